//! Scratch: per-stage cost. Columns: process CPU ms (all threads), and
//! instructions of the main thread in millions (exact for the sequential rows).
static FD: std::sync::OnceLock<i32> = std::sync::OnceLock::new();
fn instr() -> u64 {
    let fd = *FD.get_or_init(|| {
        let mut attr = [0u64; 16];
        attr[0] = 128u64 << 32; // type HARDWARE, size 128
        attr[1] = 1; // INSTRUCTIONS
        attr[5] = 1 << 5 | 1 << 6; // exclude_kernel, exclude_hv
        let fd = unsafe { libc::syscall(libc::SYS_perf_event_open, attr.as_ptr(), 0, -1, -1, 0) };
        assert!(fd >= 0, "perf_event_open");
        fd as i32
    });
    let mut v = 0u64;
    unsafe { libc::read(fd, &mut v as *mut u64 as *mut libc::c_void, 8) };
    v
}
fn cpu() -> f64 {
    let mut ts = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    unsafe { libc::clock_gettime(libc::CLOCK_PROCESS_CPUTIME_ID, &mut ts) };
    ts.tv_sec as f64 * 1e3 + ts.tv_nsec as f64 / 1e6
}
#[derive(Clone, Copy)]
struct T(f64, u64);
impl T {
    fn now() -> T { T(cpu(), instr()) }
    fn since(self) -> (f64, f64) { let n = T::now(); (n.0 - self.0, (n.1 - self.1) as f64 / 1e6) }
}
fn main() {
    let root = std::path::PathBuf::from(std::env::args().nth(1).unwrap());
    let reps: usize = std::env::args().nth(2).map(|s| s.parse().unwrap()).unwrap_or(5);
    let names = ["load", "parse(pass1)", "links::index", "Glossary::new", "Lints::new", "Targets::new",
        "seq: events", "seq: lint", "seq: glossary", "seq: links", "seq: body", "transform (par)"];
    if std::env::var_os("H1_SEQ").is_some() {
        rayon::ThreadPoolBuilder::new().num_threads(1).use_current_thread().build_global().unwrap();
    }
    let mut best = vec![(f64::MAX, f64::MAX); names.len()];
    for _ in 0..reps {
        let mut diags = Vec::new();
        let mut cur = vec![(0f64, 0f64); names.len()];
        let mut t = T::now();
        let mut lap = |i: usize, cur: &mut Vec<(f64, f64)>| { let d = t.since(); cur[i].0 += d.0; cur[i].1 += d.1; t = T::now(); };
        let cfg = fiches::config::load(&root, &mut diags).unwrap();
        let files = fiches::load::load(&root, &mut diags);
        lap(0, &mut cur);
        let cards = fiches::parse::parse(&files, &mut diags);
        lap(1, &mut cur);
        let index = fiches::links::index(&cards, &files, &mut diags);
        lap(2, &mut cur);
        let glossary = fiches::glossary::Glossary::new(&cards, &files, &mut diags);
        lap(3, &mut cur);
        let lints = fiches::lint::Lints::new(&cards, &cfg, fiches::lint::today());
        lap(4, &mut cur);
        let targets = fiches::links::Targets::new(&cards, &index);
        lap(5, &mut cur);
        let mut n = 0;
        for card in &cards {
            let f = &files[card.file];
            let mut t = T::now();
            let mut l = |i: usize, cur: &mut Vec<(f64, f64)>| { let d = t.since(); cur[i].0 += d.0; cur[i].1 += d.1; t = T::now(); };
            let events = fiches::parse::events(f, card);
            l(6, &mut cur);
            lints.check(card, &events, f, &mut diags);
            l(7, &mut cur);
            let (events, tips) = glossary.apply(card, events, f, &cfg.allow, &mut diags);
            l(8, &mut cur);
            let events = targets.apply(card, events, f, &mut diags);
            l(9, &mut cur);
            let body = fiches::render::body::render(card, events, &tips, cfg.allow_html);
            l(10, &mut cur);
            n += body.html.len();
        }
        std::hint::black_box(n); eprintln!("diags {}", diags.len());
        let t2 = T::now();
        let mut d2 = Vec::new();
        let (cards, _) = fiches::transform(&cfg, &files, &mut d2);
        let d = t2.since();
        cur[11] = d;
        std::hint::black_box(cards.len());
        for (b, c) in best.iter_mut().zip(&cur) { if c.0 < b.0 { b.0 = c.0; } if c.1 < b.1 { b.1 = c.1; } }
    }
    println!("{:24} {:>9} {:>12}", "stage", "CPU ms", "M instr(main)");
    for (n, b) in names.iter().zip(&best) { println!("{n:24} {:9.1} {:12.1}", b.0, b.1); }
}
