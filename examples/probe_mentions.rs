// Scratch probe (not committed): which mentions the extractor finds at each gold quote.
use crosscheck::eval_drop::read_gold;
use crosscheck::ingest::read_drop;
use crosscheck::pipeline::segment_all;
use std::path::Path;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let drop = Path::new(&args[1]);
    let name = drop.file_name().unwrap().to_string_lossy().to_string();
    let gold = read_gold(&Path::new("data/gold").join(format!("{name}.csv"))).unwrap();
    let articles = read_drop(drop, &Default::default()).unwrap().articles;
    let (_, sentences, _) = segment_all(&articles);
    for row in &gold {
        for (id, quote) in [
            (&row.article_a, &row.quote_a),
            (&row.article_b, &row.quote_b),
        ] {
            if id.is_empty() {
                continue;
            }
            let Some(ai) = articles.iter().position(|a| &a.id == id) else {
                println!("?? {id}");
                continue;
            };
            let Some(at) = articles[ai].text.find(quote.as_str()) else {
                println!("?? quote {quote}");
                continue;
            };
            let s = sentences
                .iter()
                .find(|s| s.article == ai && s.start <= at && at < s.end);
            let Some(s) = s else {
                println!("{:?} {id} {quote:?}: NO SENTENCE", row.label);
                continue;
            };
            let ms = crosscheck::facts::extract(&s.text, &s.language);
            let hits: Vec<String> = ms
                .iter()
                .filter(|m| {
                    let (ms_, me) = (s.start + m.start, s.start + m.end);
                    ms_ < at + quote.len() && at < me
                })
                .map(|m| format!("{:?}={} [{}] head={:?}", m.kind, m.value, m.text, m.head))
                .collect();
            println!(
                "{} {:?} {id} {quote:?}: {}",
                row.fact,
                row.label,
                if hits.is_empty() {
                    "NONE".to_string()
                } else {
                    hits.join(" ; ")
                }
            );
        }
    }
}
