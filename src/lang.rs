//! The language registry: every language crosscheck knows, in one table, as sentencex keeps
//! its languages. Each entry says how the language is detected, which sentence rules split it,
//! which fact lexicon (`data/facts/<code>.json`) reads its numbers and dates, and which
//! language stands in for a missing part. Page-furniture patterns are rows of
//! `data/boilerplate.tsv` keyed by the same codes. Adding a language is one entry here plus its
//! data files; `tests` below check that every part is there.
//!
//! ```
//! let pt = crosscheck::lang::find("PT").unwrap();
//! assert_eq!(pt.code, "pt");
//! assert!(pt.facts.is_some());
//! assert_eq!(crosscheck::lang::find("uk").unwrap().facts_language().map(|l| l.code), None);
//! assert!(crosscheck::lang::find("xx").is_none());
//! ```

use whatlang::Lang;

/// One language of the registry.
#[derive(Debug)]
pub struct Language {
    /// ISO 639-1 code, as used in reports and `lang:` headers.
    pub code: &'static str,
    /// English name, for messages.
    pub name: &'static str,
    /// whatlang's identifier (language detection is restricted to the registry).
    pub detector: Lang,
    /// The sentencex language whose rules split sentences.
    pub sentence_rules: &'static str,
    /// Whether words are separated by spaces (Thai, Chinese and Japanese are not): decides how
    /// a fragment is told from a sentence.
    pub spaced: bool,
    /// The fact lexicon (`data/facts/<code>.json`), embedded; None when numbers and dates of
    /// this language are not read.
    pub facts: Option<&'static str>,
    /// The clause boundaries (`data/clauses/<code>.json`), embedded; None when sentences of
    /// this language are compared whole.
    pub clauses: Option<&'static str>,
    /// The measure words (`data/measures/<code>.json`), embedded: what counts count and
    /// which event a day belongs to; None when values of this language are not told apart
    /// by what they measure.
    pub measures: Option<&'static str>,
    /// A language whose parts stand in for missing ones.
    pub fallback: Option<&'static str>,
}

impl Language {
    /// This language, or the first one along its fallback chain, that has a fact lexicon.
    pub fn facts_language(&self) -> Option<&'static Language> {
        let mut current = find(self.code)?;
        for _ in 0..LANGUAGES.len() {
            if current.facts.is_some() {
                return Some(current);
            }
            current = find(current.fallback?)?;
        }
        None
    }
}

macro_rules! facts {
    ($code:literal) => {
        Some(include_str!(concat!("../data/facts/", $code, ".json")))
    };
}

macro_rules! measures {
    ($code:literal) => {
        Some(include_str!(concat!("../data/measures/", $code, ".json")))
    };
}

macro_rules! clauses {
    ($code:literal) => {
        Some(include_str!(concat!("../data/clauses/", $code, ".json")))
    };
}

/// Every language crosscheck knows. Order is the order of detection ties.
#[rustfmt::skip]
pub static LANGUAGES: &[Language] = &[
    Language { code: "en", name: "English", detector: Lang::Eng, sentence_rules: "en", spaced: true, facts: facts!("en"), clauses: clauses!("en"), measures: measures!("en"), fallback: None },
    Language { code: "pt", name: "Portuguese", detector: Lang::Por, sentence_rules: "pt", spaced: true, facts: facts!("pt"), clauses: clauses!("pt"), measures: measures!("pt"), fallback: None },
    Language { code: "ro", name: "Romanian", detector: Lang::Ron, sentence_rules: "ro", spaced: true, facts: facts!("ro"), clauses: clauses!("ro"), measures: measures!("ro"), fallback: None },
    Language { code: "id", name: "Indonesian", detector: Lang::Ind, sentence_rules: "id", spaced: true, facts: facts!("id"), clauses: clauses!("id"), measures: measures!("id"), fallback: None },
    Language { code: "de", name: "German", detector: Lang::Deu, sentence_rules: "de", spaced: true, facts: facts!("de"), clauses: clauses!("de"), measures: measures!("de"), fallback: None },
    Language { code: "es", name: "Spanish", detector: Lang::Spa, sentence_rules: "es", spaced: true, facts: facts!("es"), clauses: clauses!("es"), measures: measures!("es"), fallback: None },
    Language { code: "fr", name: "French", detector: Lang::Fra, sentence_rules: "fr", spaced: true, facts: facts!("fr"), clauses: clauses!("fr"), measures: measures!("fr"), fallback: None },
    Language { code: "it", name: "Italian", detector: Lang::Ita, sentence_rules: "it", spaced: true, facts: facts!("it"), clauses: clauses!("it"), measures: measures!("it"), fallback: None },
    Language { code: "nl", name: "Dutch", detector: Lang::Nld, sentence_rules: "nl", spaced: true, facts: None, clauses: None, measures: None, fallback: None },
    Language { code: "pl", name: "Polish", detector: Lang::Pol, sentence_rules: "pl", spaced: true, facts: None, clauses: None, measures: None, fallback: None },
    Language { code: "ru", name: "Russian", detector: Lang::Rus, sentence_rules: "ru", spaced: true, facts: None, clauses: None, measures: None, fallback: None },
    Language { code: "uk", name: "Ukrainian", detector: Lang::Ukr, sentence_rules: "uk", spaced: true, facts: None, clauses: None, measures: None, fallback: Some("ru") },
    Language { code: "bg", name: "Bulgarian", detector: Lang::Bul, sentence_rules: "bg", spaced: true, facts: None, clauses: None, measures: None, fallback: Some("ru") },
    Language { code: "el", name: "Greek", detector: Lang::Ell, sentence_rules: "el", spaced: true, facts: None, clauses: None, measures: None, fallback: None },
    Language { code: "tr", name: "Turkish", detector: Lang::Tur, sentence_rules: "tr", spaced: true, facts: None, clauses: None, measures: None, fallback: None },
    Language { code: "az", name: "Azerbaijani", detector: Lang::Aze, sentence_rules: "az", spaced: true, facts: None, clauses: None, measures: None, fallback: Some("tr") },
    Language { code: "ar", name: "Arabic", detector: Lang::Ara, sentence_rules: "ar", spaced: true, facts: None, clauses: None, measures: None, fallback: None },
    Language { code: "he", name: "Hebrew", detector: Lang::Heb, sentence_rules: "he", spaced: true, facts: None, clauses: None, measures: None, fallback: None },
    Language { code: "hi", name: "Hindi", detector: Lang::Hin, sentence_rules: "hi", spaced: true, facts: None, clauses: None, measures: None, fallback: None },
    Language { code: "vi", name: "Vietnamese", detector: Lang::Vie, sentence_rules: "vi", spaced: true, facts: None, clauses: None, measures: None, fallback: None },
    Language { code: "th", name: "Thai", detector: Lang::Tha, sentence_rules: "th", spaced: false, facts: None, clauses: None, measures: None, fallback: None },
    Language { code: "zh", name: "Chinese", detector: Lang::Cmn, sentence_rules: "zh", spaced: false, facts: None, clauses: None, measures: None, fallback: None },
    Language { code: "ja", name: "Japanese", detector: Lang::Jpn, sentence_rules: "ja", spaced: false, facts: None, clauses: None, measures: None, fallback: None },
    Language { code: "ko", name: "Korean", detector: Lang::Kor, sentence_rules: "ko", spaced: true, facts: None, clauses: None, measures: None, fallback: None },
];

/// The sentence rules used when a text's language is unknown.
pub const GENERIC_SENTENCE_RULES: &str = "en";

/// The registered language with this code (any case).
pub fn find(code: &str) -> Option<&'static Language> {
    let code = code.trim();
    LANGUAGES.iter().find(|l| l.code.eq_ignore_ascii_case(code))
}

/// The registered language whatlang calls `lang`.
pub fn by_detector(lang: Lang) -> Option<&'static Language> {
    LANGUAGES.iter().find(|l| l.detector == lang)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn codes_and_detectors_are_unique_and_fallbacks_registered() {
        let codes: BTreeSet<_> = LANGUAGES.iter().map(|l| l.code).collect();
        assert_eq!(codes.len(), LANGUAGES.len());
        let detectors: BTreeSet<_> = LANGUAGES.iter().map(|l| l.detector.code()).collect();
        assert_eq!(detectors.len(), LANGUAGES.len());
        for l in LANGUAGES {
            if let Some(f) = l.fallback {
                assert!(
                    find(f).is_some(),
                    "{}: fallback {f} is not registered",
                    l.code
                );
            }
            assert!(find(l.sentence_rules).is_some() || l.sentence_rules == l.code);
        }
    }

    #[test]
    fn every_data_file_belongs_to_a_registered_language_with_that_part() {
        for entry in std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/data/facts")).unwrap()
        {
            let path = entry.unwrap().path();
            let code = path.file_stem().unwrap().to_string_lossy().into_owned();
            let language = find(&code).unwrap_or_else(|| panic!("{code}.json is not registered"));
            assert!(
                language.facts.is_some(),
                "{code}.json is not wired into the registry"
            );
        }
        let boilerplate = include_str!("../data/boilerplate.tsv");
        for line in boilerplate.lines().skip(1).filter(|l| !l.trim().is_empty()) {
            let code = line.split('\t').next().unwrap();
            assert!(
                code == "*" || find(code).is_some(),
                "data/boilerplate.tsv: {code} is not registered"
            );
        }
    }

    #[test]
    fn clause_files_are_registered_and_languages_with_facts_have_clause_rules() {
        for entry in
            std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/data/clauses")).unwrap()
        {
            let path = entry.unwrap().path();
            let code = path.file_stem().unwrap().to_string_lossy().into_owned();
            let language = find(&code).unwrap_or_else(|| panic!("{code}.json is not registered"));
            assert!(
                language.clauses.is_some(),
                "clauses/{code}.json is not wired in"
            );
        }
        for l in LANGUAGES.iter().filter(|l| l.facts.is_some()) {
            assert!(
                l.clauses.is_some(),
                "{}: facts are read but no clause rules",
                l.code
            );
        }
    }

    #[test]
    fn languages_with_facts_have_furniture_patterns() {
        let boilerplate = include_str!("../data/boilerplate.tsv");
        for l in LANGUAGES.iter().filter(|l| l.facts.is_some()) {
            let prefix = format!("{}\t", l.code);
            assert!(
                boilerplate.lines().any(|row| row.starts_with(&prefix)),
                "{}: facts are read but no furniture pattern is registered",
                l.code
            );
        }
    }
}
