//! How long an agenda of 60 items with 40 invited takes to render as PDF and as Word (issue: under
//! 200 ms in release on this machine). Run with `cargo bench --bench documents`; it prints the median
//! of 15 runs of each.

use std::time::{Duration, Instant};

use samarbejdsrum::documents::{Block, Document, docx, pdf};

fn agenda() -> Document {
    let invited = (0..40)
        .map(|n| vec![format!("Deltager {n} Ærøskøbing"), "Kommunerne".into(), "Medlem".into(), String::new()])
        .collect();
    let mut blocks = vec![
        Block::Facts(vec![("Tidspunkt".into(), "onsdag 17. marts 2027 kl. 13:00–16:00".into())]),
        Block::Heading("Inviterede".into()),
        Block::Table {
            columns: vec![("Navn".into(), 0.34), ("Part".into(), 0.3), ("Rolle".into(), 0.16), ("Status".into(), 0.2)],
            rows: invited,
        },
        Block::Heading("Dagsorden".into()),
    ];
    for n in 0..60 {
        blocks.push(Block::Item {
            number: format!("{}.{}", n / 6 + 1, n % 6 + 1),
            title: format!("Ændringsønske nr. {n} om søer, åer og vandløb"),
            top_level: n % 6 == 0,
            lines: vec![
                "kl. 13:00–13:05 · v/ Sekretariatet".into(),
                "Baggrund for punktet, som fylder en linje eller to i dokumentet, med æ, ø og å.".into(),
            ],
        });
    }
    Document {
        kind: "Dagsorden".into(),
        organisation: "Samarbejdsrum · Natur".into(),
        title: "Møde I".into(),
        draft: false,
        blocks,
    }
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn time(label: &str, f: impl Fn() -> usize) {
    let runs: Vec<Duration> = (0..15)
        .map(|_| {
            let start = Instant::now();
            std::hint::black_box(f());
            start.elapsed()
        })
        .collect();
    println!("{label}: median {:.1} ms", median(runs).as_secs_f64() * 1000.0);
}

fn main() {
    let doc = agenda();
    time("agenda PDF, 60 items, 40 invited", || pdf::render(&doc).map(|b| b.len()).unwrap_or(0));
    time("agenda .docx, 60 items, 40 invited", || docx::render(&doc).map(|b| b.len()).unwrap_or(0));
}
