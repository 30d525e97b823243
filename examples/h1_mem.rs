fn mem() -> String {
    let s = std::fs::read_to_string("/proc/self/status").unwrap();
    let g = |k: &str| s.lines().find_map(|l| l.strip_prefix(k)).map(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().unwrap() / 1024).unwrap();
    format!("rss {} MiB, peak {} MiB", g("VmRSS:"), g("VmHWM:"))
}
fn main() {
    let root = std::path::PathBuf::from(std::env::args().nth(1).unwrap());
    let mut diags = Vec::new();
    let cfg = fiches::config::load(&root, &mut diags).unwrap();
    let files = fiches::load::load(&root, &mut diags);
    eprintln!("load: {}", mem());
    let cards = fiches::parse::parse(&files, &mut diags);
    eprintln!("parse: {}", mem());
    drop(cards);
    let (cards, _) = fiches::transform(&cfg, &files, &mut diags);
    eprintln!("transform: {}", mem());
    let html: usize = cards.iter().map(|c| c.body.html.len()).sum();
    let text: usize = cards.iter().map(|c| c.text.len()).sum();
    let src: usize = files.iter().map(|f| f.text.len()).sum();
    let links: usize = cards.iter().map(|c| c.body.links.iter().map(|(a, b)| a.len() + b.len() + 48).sum::<usize>()).sum();
    eprintln!("html {} MiB, text {} MiB, src {} MiB, links {} MiB", html >> 20, text >> 20, src >> 20, links >> 20);
}
