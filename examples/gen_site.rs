//! Generates a large site of the DESIGN.md shape for benchmarks:
//! `cargo run --release --example gen_site -- <dir> [pages] [partners]`
//! (defaults: 10,000 pages in 20 sections, 500 partners × 8 quarters).
//!
//! Pages have 600–900 words with headings, lists, a table, a code block,
//! links to other pages and 3 tags out of 40. Output is deterministic (a
//! fixed-seed generator), so every run benchmarks the same corpus.
//!
//! With `GEN_SHORTCODES=1`, every page also holds three shortcodes of the
//! built-in theme (a `callout` block, an `only(tiers=[1])` block and a
//! `button`), with the same words otherwise.

use std::fmt::Write as _;
use std::fs;
use std::path::Path;

/// xorshift64*: small, fast, deterministic.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }
}

/// The eight quarters every generated partner and company row covers.
const QUARTERS: [(u32, u32); 8] = [
    (2024, 4),
    (2025, 1),
    (2025, 2),
    (2025, 3),
    (2025, 4),
    (2026, 1),
    (2026, 2),
    (2026, 3),
];

const WORDS: [&str; 48] = [
    "partner",
    "program",
    "integration",
    "revenue",
    "pipeline",
    "customer",
    "deployment",
    "model",
    "routing",
    "latency",
    "governance",
    "campaign",
    "certification",
    "enablement",
    "quarter",
    "registration",
    "workflow",
    "platform",
    "security",
    "compliance",
    "inference",
    "orchestration",
    "budget",
    "review",
    "milestone",
    "playbook",
    "objection",
    "pricing",
    "sandbox",
    "gateway",
    "observability",
    "contract",
    "renewal",
    "expansion",
    "pilot",
    "launch",
    "strategy",
    "market",
    "audience",
    "messaging",
    "webinar",
    "event",
    "lead",
    "funnel",
    "forecast",
    "scorecard",
    "target",
    "adoption",
];

fn sentence(rng: &mut Rng, words: usize) -> String {
    let mut s = String::new();
    for i in 0..words {
        let w = rng.pick(&WORDS);
        if i == 0 {
            let mut c = w.chars();
            if let Some(f) = c.next() {
                s.push(f.to_ascii_uppercase());
                s.push_str(c.as_str());
            }
        } else {
            s.push(' ');
            s.push_str(w);
        }
    }
    s.push('.');
    s
}

fn paragraph(rng: &mut Rng, words: &mut usize) -> String {
    let mut p = String::new();
    for _ in 0..(3 + rng.below(3)) {
        let n = 8 + rng.below(10) as usize;
        *words += n;
        p.push_str(&sentence(rng, n));
        p.push(' ');
    }
    p.trim_end().to_string()
}

fn page(
    rng: &mut Rng,
    section: usize,
    index: usize,
    sections: usize,
    per_section: usize,
) -> String {
    let mut body = String::new();
    let target = 600 + rng.below(300) as usize;
    let mut words = 0;
    let mut h = 0;
    while words < target {
        h += 1;
        let _ = writeln!(body, "## {} {h}\n", sentence(rng, 3).trim_end_matches('.'));
        let _ = writeln!(body, "{}\n", paragraph(rng, &mut words));
        match h % 4 {
            1 => {
                for _ in 0..4 {
                    let _ = writeln!(body, "- {}", sentence(rng, 6));
                    words += 6;
                }
                body.push('\n');
            }
            2 => {
                body.push_str("| Item | Owner | Value |\n|---|---|---|\n");
                for i in 0..4 {
                    let _ = writeln!(
                        body,
                        "| {} | {} | {} |",
                        rng.pick(&WORDS),
                        rng.pick(&WORDS),
                        100 * (i + 1)
                    );
                    words += 3;
                }
                body.push('\n');
            }
            3 => {
                let _ = writeln!(
                    body,
                    "```python\ndef {}(x):\n    return x * {}\n```\n",
                    rng.pick(&WORDS),
                    rng.below(100)
                );
            }
            _ => {
                let s = rng.below(sections as u64) as usize;
                let p = rng.below(per_section as u64) as usize;
                let _ = writeln!(
                    body,
                    "See [the related page](@/section-{s:02}/page-{p:04}.md) for details.\n"
                );
                words += 5;
            }
        }
        let _ = writeln!(body, "{}\n", paragraph(rng, &mut words));
    }
    if std::env::var_os("GEN_SHORTCODES").is_some_and(|v| v == "1") {
        body.push_str(concat!(
            "{% callout(kind=\"tip\") %}\nRegister the deal **before** the first call.\n{% end %}\n\n",
            "{% only(tiers=[1]) %}\nTier 1 partners get a named solutions engineer.\n{% end %}\n\n",
            "{{ button(href=\"@/section-00/_index.md\", text=\"Back to section 0\") }}\n",
        ));
    }
    let tags: Vec<String> = (0..3)
        .map(|_| format!("\"tag-{:02}\"", rng.below(40)))
        .collect();
    let track = ["technical", "sales", "marketing"][section % 3];
    format!(
        "+++\ntitle = \"Page {index} of section {section}\"\ndescription = \"{}\"\ndate = 2026-{:02}-{:02}\nweight = {index}\ntags = [{}]\ntrack = \"{track}\"\n+++\n\n{body}",
        sentence(rng, 10),
        1 + rng.below(12),
        1 + rng.below(28),
        tags.join(", "),
    )
}

fn partner(rng: &mut Rng, i: usize) -> String {
    let tier = 1 + i % 3;
    let scale = [0, 300_000, 90_000, 25_000][tier];
    let mut s = format!(
        "name = \"Generated Partner {i:04}\"\ntier = {tier}\nsegment = \"Generated\"\njoined = 2023-01-{:02}\nphase = \"launch\"\nphase_started = 2026-05-01\n\n[brand]\nlogo = \"logos/partner-{i:04}.svg\"\nprimary = \"#0b5fff\"\naccent = \"#ffb000\"\n",
        1 + i % 28
    );
    for (y, q) in QUARTERS {
        let influenced = scale / 2 + rng.below(scale as u64) as usize;
        let sourced = influenced * (20 + rng.below(25) as usize) / 100;
        let deals = 5 + rng.below(30) as usize;
        let staff = 5 + rng.below(40) as usize;
        let customers = 5 + rng.below(50) as usize;
        let approved = 5_000 + rng.below(40_000) as usize;
        let _ = write!(
            s,
            "\n[[quarters]]\nquarter = \"{y}-Q{q}\"\ninfluenced_revenue = {influenced}\nsourced_revenue = {sourced}\ndeals_total = {deals}\ndeals_registered = {}\ncompetitive_deals = {deals}\ncompetitive_wins = {}\nstaff = {staff}\ncertified_staff = {}\ncertifications = {{ technical = {}, sales = {}, marketing = {} }}\nsatisfaction = {}.{}\nrecommend = {}\njoint_csat = 0.{}\ncustomers = {customers}\ncustomers_with_integration = {}\nleads = {}\nmdf_approved = {approved}\nmdf_spent = {}\n",
            rng.below(deals as u64 + 1),
            rng.below(deals as u64 + 1),
            rng.below(staff as u64 + 1),
            rng.below(10),
            rng.below(10),
            rng.below(10),
            6 + rng.below(4),
            rng.below(10),
            5 + rng.below(6),
            70 + rng.below(29),
            rng.below(customers as u64 + 1),
            rng.below(200),
            rng.below(approved as u64 + 1),
        );
    }
    s
}

fn main() -> std::io::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let dir = Path::new(args.get(1).map(String::as_str).unwrap_or("bench-site"));
    let pages: usize = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(10_000);
    let partners: usize = args.get(3).and_then(|a| a.parse().ok()).unwrap_or(500);
    let sections = 20.min(pages.max(1));
    let per_section = pages.div_ceil(sections);
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    if dir.exists() {
        fs::remove_dir_all(dir)?;
    }
    fs::create_dir_all(dir.join("content"))?;
    fs::write(
        dir.join("site.toml"),
        "title = \"Benchmark site\"\nbase_url = \"https://bench.example\"\n",
    )?;
    fs::write(
        dir.join("content/_index.md"),
        "+++\ntitle = \"Home\"\n+++\nThe benchmark home page.\n",
    )?;
    for s in 0..sections {
        let sdir = dir.join(format!("content/section-{s:02}"));
        fs::create_dir_all(&sdir)?;
        fs::write(
            sdir.join("_index.md"),
            format!("+++\ntitle = \"Section {s}\"\nweight = {s}\n+++\nSection {s}.\n"),
        )?;
        for p in 0..per_section {
            if s * per_section + p >= pages {
                break;
            }
            fs::write(
                sdir.join(format!("page-{p:04}.md")),
                page(&mut rng, s, p, sections, per_section),
            )?;
        }
    }
    if partners > 0 {
        fs::create_dir_all(dir.join("data/partners"))?;
        fs::create_dir_all(dir.join("data/logos"))?;
        let mut program = String::from(
            "name = \"Benchmark program\"\n\n[targets]\ninfluenced_share = 0.4\nsourced_share = 0.25\nstrategic_partner_revenue = 500000\nyoy_growth = 0.5\nsatisfaction = 8.5\nretention = 0.95\ndeal_registration_rate = 0.5\ncertified_staff_share = 0.8\njoint_csat = 0.9\nintegration_adoption = 0.6\nwin_rate = 0.6\nlead_share = 0.15\nmax_partner_share = 0.2\nroi = [3.0, 5.0, 8.0, 10.0]\n",
        );
        for (y, q) in QUARTERS {
            let _ = write!(
                program,
                "\n[[company]]\nquarter = \"{y}-Q{q}\"\nrevenue = {}\nleads = 90000\n",
                partners * 400_000
            );
        }
        for y in [2024, 2025, 2026] {
            let _ = write!(
                program,
                "\n[[investment]]\nyear = {y}\nmarketing = {}\n",
                partners * 100_000
            );
        }
        program.push_str("\n[tiers.1]\nmin_ttm_revenue = 500000\nmin_certified_staff = 20\n[tiers.2]\nmin_ttm_revenue = 150000\nmin_certified_staff = 8\n");
        fs::write(dir.join("data/program.toml"), program)?;
        for i in 0..partners {
            fs::write(
                dir.join(format!("data/partners/partner-{i:04}.toml")),
                partner(&mut rng, i),
            )?;
            // A logo of its own: `--audience partners` refuses a partner's
            // output that holds another partner's logo, and logos are
            // compared by content.
            fs::write(
                dir.join(format!("data/logos/partner-{i:04}.svg")),
                format!(
                    "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 160 48\"><title>Partner {i:04}</title><rect width=\"160\" height=\"48\" fill=\"#{:06x}\"/></svg>\n",
                    (i * 0x9e37) % 0x100_0000
                ),
            )?;
        }
    }
    println!(
        "generated {pages} pages in {sections} sections and {partners} partners in {}",
        dir.display()
    );
    Ok(())
}
