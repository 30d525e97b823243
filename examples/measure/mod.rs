//! What the bench examples read of their own process (Linux): CPU time and
//! memory lines of `/proc/self/status`. Not an example of its own (Cargo
//! builds `examples/*.rs` and `examples/*/main.rs` only). Each example
//! uses some of these functions.
#![allow(dead_code)]

use std::time::Duration;

/// User and system CPU time of this process so far, all threads.
pub fn cpu_time() -> Duration {
    // SAFETY: getrusage only writes into the struct we own.
    let mut u: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut u) };
    let tv = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    tv(u.ru_utime) + tv(u.ru_stime)
}

/// A memory line of /proc/self/status ("VmRSS:", "VmHWM:"...), in KiB.
pub fn status_kib(key: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix(key))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        })
        .unwrap_or(0)
}

/// Peak resident memory of this process so far, in MiB.
pub fn peak_mib() -> u64 {
    status_kib("VmHWM:") / 1024
}
