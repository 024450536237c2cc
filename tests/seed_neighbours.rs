//! Real data: in the seed articles, the Portuguese (000) and Romanian (001) renderings of
//! Zelensky's quotes are each other's nearest neighbours across those two articles.

use crosscheck::matching::embed::{EmbedConfig, Embedder};
use crosscheck::models::ModelDir;
use crosscheck::pipeline::segment_all;
use crosscheck::read::ingest::read_drop;
use indicatif::ProgressBar;
use std::path::Path;

/// (Portuguese fragment, Romanian fragment) of the same quote.
const QUOTES: &[(&str, &str)] = &[
    (
        "Conversamos sobre oportunidades na defesa aérea",
        "Am vorbit despre oportunitățile în domeniul apărării aeriene",
    ),
    (
        "Tivemos uma conversa detalhada sobre as capacidades",
        "Am avut o discuție detaliată despre capacitățile",
    ),
    (
        "Também abordamos as compras e investimentos mútuos",
        "despre achizițiile și investițiile reciproce",
    ),
];

#[test]
fn zelensky_quotes_pt_and_ro_are_mutual_nearest_neighbours() {
    let articles = read_drop(Path::new("data/seeds"), &Default::default())
        .unwrap()
        .articles;
    let (_, sentences, _) = segment_all(
        &articles,
        crosscheck::read::segment::DEFAULT_MAX_SENTENCES,
        &indicatif::ProgressBar::hidden(),
    );
    let article_of = |prefix: &str| {
        articles
            .iter()
            .position(|a| a.id.starts_with(prefix))
            .unwrap()
    };
    let (pt, ro) = (article_of("000_"), article_of("001_"));
    let embedder = Embedder::new(
        &ModelDir::new(ModelDir::default_location()),
        EmbedConfig::default(),
    )
    .unwrap();
    let texts: Vec<&str> = sentences.iter().map(|s| s.text.as_str()).collect();
    let embeddings = embedder.embed(&texts, &ProgressBar::hidden()).unwrap();

    let find = |article: usize, fragment: &str| {
        sentences
            .iter()
            .position(|s| s.article == article && s.text.contains(fragment))
            .unwrap_or_else(|| panic!("no sentence with {fragment:?}"))
    };
    let nearest_in = |i: usize, article: usize| {
        (0..sentences.len())
            .filter(|&j| sentences[j].article == article)
            .max_by(|&a, &b| embeddings.cosine(i, a).total_cmp(&embeddings.cosine(i, b)))
            .unwrap()
    };
    for (pt_fragment, ro_fragment) in QUOTES {
        let (p, r) = (find(pt, pt_fragment), find(ro, ro_fragment));
        assert_eq!(
            nearest_in(p, ro),
            r,
            "nearest Romanian sentence of {:?} is {:?}",
            sentences[p].text,
            sentences[nearest_in(p, ro)].text
        );
        assert_eq!(
            nearest_in(r, pt),
            p,
            "nearest Portuguese sentence of {:?} is {:?}",
            sentences[r].text,
            sentences[nearest_in(r, pt)].text
        );
    }
}
