//! Golden cases of what values measure, one table per language, run by one runner.

use super::*;

/// One golden case: (language, claim, value text, concept, holder). The value is the first
/// occurrence of its text in the claim; the claim's other numbers are its other values.
type Case = (
    &'static str,
    &'static str,
    &'static str,
    Option<&'static str>,
    Option<&'static str>,
);

const CASES: &[Case] = &[
    (
        "en",
        "The quake killed 17 people and injured 240.",
        "17",
        Some("dead"),
        None,
    ),
    (
        "en",
        "The quake killed 17 people and injured 240.",
        "240",
        Some("injured"),
        None,
    ),
    (
        "en",
        "At least 180 dead, including 120 Spaniards.",
        "120",
        Some("dead"),
        Some("es"),
    ),
    (
        "en",
        "There were 196 people on board.",
        "196",
        Some("on_board"),
        None,
    ),
    (
        "en",
        "Four were critically injured.",
        "Four",
        Some("seriously_injured"),
        None,
    ),
    (
        "en",
        "48 firefighters were deployed.",
        "48",
        Some("rescuers"),
        None,
    ),
    (
        "en",
        "About thirty ambulances arrived.",
        "thirty",
        Some("vehicles"),
        None,
    ),
    (
        "en",
        "The plane carried two pilots and six cabin crew.",
        "six",
        Some("crew"),
        None,
    ),
    (
        "en",
        "It led to the deaths of 126 fans.",
        "126",
        Some("dead"),
        Some("spectators"),
    ),
    (
        "en",
        "The 200,000 passengers affected.",
        "200,000",
        Some("passengers"),
        None,
    ),
    (
        "en",
        "Arema lost 3-2 to Persebaya.",
        "3",
        Some("score"),
        None,
    ),
    (
        "de",
        "1.354 Regionalzüge fielen aus.",
        "1.354",
        Some("trains"),
        None,
    ),
    (
        "es",
        "Con 7 votos a favor y 2 en contra.",
        "7",
        Some("votes"),
        Some("for"),
    ),
    ("en", "The death toll rose to 38.", "38", Some("dead"), None),
    (
        "en",
        "17 children were among the dead.",
        "17",
        Some("dead"),
        Some("children"),
    ),
    (
        "en",
        "The plane landed on runway 27.",
        "27",
        Some("identifier"),
        None,
    ),
    (
        "es",
        "Al menos 125 muertos y 323 heridos.",
        "125",
        Some("dead"),
        None,
    ),
    (
        "es",
        "Al menos 125 muertos y 323 heridos.",
        "323",
        Some("injured"),
        None,
    ),
    ("es", "Entre ellas 17 niños.", "17", None, Some("children")),
    (
        "pt",
        "Incluindo 32 crianças mortas.",
        "32",
        Some("dead"),
        Some("children"),
    ),
    ("pt", "A morte de 125 pessoas.", "125", Some("dead"), None),
    (
        "fr",
        "Au moins 125 personnes sont mortes.",
        "125",
        Some("dead"),
        None,
    ),
    (
        "fr",
        "Le bilan fait état de 22 blessés graves.",
        "22",
        Some("seriously_injured"),
        None,
    ),
    (
        "de",
        "Mindestens 174 Menschen sterben.",
        "174",
        Some("dead"),
        None,
    ),
    (
        "de",
        "120 Spanier waren an Bord.",
        "120",
        Some("on_board"),
        Some("es"),
    ),
    ("it", "Almeno 125 i morti.", "125", Some("dead"), None),
    ("ro", "Au murit 127 de persoane.", "127", Some("dead"), None),
    (
        "id",
        "Sebanyak 31 luka berat.",
        "31",
        Some("seriously_injured"),
        None,
    ),
    (
        "id",
        "440 orang mengalami luka ringan.",
        "440",
        Some("lightly_injured"),
        None,
    ),
    (
        "id",
        "Korban meninggal 131 orang.",
        "131",
        Some("dead"),
        None,
    ),
];

fn others(claim: &str, own: (usize, usize)) -> Vec<(usize, usize)> {
    crate::values::facts::extract(claim, "en")
        .into_iter()
        .map(|m| (m.start, m.end))
        .filter(|&(s, e)| e <= own.0 || s >= own.1)
        .collect()
}

#[test]
fn golden_measures_in_every_language() {
    let mut wrong = Vec::new();
    for &(lang, claim, value, concept, holder) in CASES {
        let s = claim.find(value).unwrap();
        let at = (s, s + value.len());
        let m = measure(
            claim,
            at,
            &others(claim, at),
            lang,
            &ValueClass::Quantity,
            None,
        );
        if (m.concept, m.holder.as_deref()) != (concept, holder) {
            wrong.push(format!(
                "{lang} {claim:?} {value}: got {:?} {:?}, want {concept:?} {holder:?}",
                m.concept, m.holder
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn days_and_times_know_their_event_and_zone() {
    let claim = "The blackout began at 12:33 in Madrid.";
    let s = claim.find("12:33").unwrap();
    let m = measure(claim, (s, s + 5), &[], "en", &ValueClass::Time, None);
    assert_eq!(m.concept, Some("blackout"));
    assert_eq!(m.holder.as_deref(), Some("madrid"));
    assert_eq!(
        label(&m, &ValueClass::Time).as_deref(),
        Some("time of the blackout")
    );
    let claim = "The stadium opened in 1902.";
    let s = claim.find("1902").unwrap();
    let m = measure(claim, (s, s + 4), &[], "en", &ValueClass::Day, None);
    assert!(m.concept.is_some_and(is_dropped), "{m:?}");
    let claim = "His 40-minute call with Zelensky.";
    let m = measure(claim, (4, 13), &[], "en", &ValueClass::Duration, None);
    assert_eq!(
        label(&m, &ValueClass::Duration).as_deref(),
        Some("call length")
    );
}

#[test]
fn different_measures_and_holders_are_never_comparable() {
    let m = |concept: Option<&'static str>, holder: Option<&str>| Measure {
        concept,
        holder: holder.map(str::to_string),
        ..Measure::default()
    };
    let q = ValueClass::Quantity;
    assert!(!comparable(
        &m(Some("dead"), None),
        &m(Some("injured"), None),
        &q,
        true
    ));
    assert!(!comparable(
        &m(Some("dead"), None),
        &m(Some("dead"), Some("es")),
        &q,
        true
    ));
    assert!(!comparable(
        &m(None, Some("es")),
        &m(None, Some("de")),
        &q,
        true
    ));
    assert!(comparable(&m(Some("dead"), None), &m(None, None), &q, true));
    assert!(comparable(
        &m(Some("dead"), Some("es")),
        &m(Some("dead"), Some("es")),
        &q,
        true
    ));
    let noun = |n: &str| Measure {
        noun: Some(n.to_string()),
        ..Measure::default()
    };
    assert!(comparable(&noun("carriage"), &noun("carriages"), &q, true));
    assert!(!comparable(
        &noun("carriages"),
        &m(Some("dead"), None),
        &q,
        true
    ));
    let t = ValueClass::Time;
    assert!(!comparable(
        &m(None, Some("madrid")),
        &m(None, Some("buenos")),
        &t,
        true
    ));
    assert!(comparable(
        &m(None, Some("madrid")),
        &m(None, None),
        &t,
        true
    ));
}

#[test]
fn an_incident_word_names_any_kind_of_incident_but_not_a_call() {
    let day = ValueClass::Day;
    let at = |claim: &str, value: &str, lang: &str| {
        let s = claim.find(value).unwrap();
        measure(claim, (s, s + value.len()), &[], lang, &day, None)
    };
    let tragedy = at("La tragedia del sábado dejó 125 muertos.", "sábado", "es");
    let stampede = at("Saturday's stampede killed 131.", "Saturday", "en");
    assert_eq!(tragedy.concept, Some("incident"));
    assert_eq!(stampede.concept, Some("crush"));
    assert!(comparable(&tragedy, &stampede, &day, false));
    let call = Measure {
        concept: Some("call"),
        ..Measure::default()
    };
    assert!(!comparable(&tragedy, &call, &day, false));
    // A day of a statement or a vigil is not the day of the event it is about.
    let vigil = at(
        "Familiares realizaram uma vigília nesta segunda-feira.",
        "segunda-feira",
        "pt",
    );
    assert_eq!(vigil.concept, Some("commemoration"));
    assert!(!comparable(&vigil, &stampede, &day, false));
    let said = at(
        "The minister said on Tuesday that power was back.",
        "Tuesday",
        "en",
    );
    assert_eq!(said.concept, Some("announcement"));
}

#[test]
fn shares_of_different_things_are_kept_apart_in_one_language() {
    let share = ValueClass::Percentage;
    let at = |claim: &str, value: &str| {
        let s = claim.find(value).unwrap();
        measure(claim, (s, s + value.len()), &[], "en", &share, None)
    };
    let trains = at("She said 80 percent of trains will run.", "80 percent");
    let demand = at("It equalled about 60% of Spanish demand.", "60%");
    assert_eq!(trains.noun.as_deref(), Some("trains"));
    assert!(!comparable(&trains, &demand, &share, true));
    // Nouns of two languages are left to the similarity of the claims.
    assert!(comparable(&trains, &demand, &share, false));
    let bare = at("Turnout reached 61.8% on Sunday.", "61.8%");
    assert_eq!(bare.noun, None);
    assert!(comparable(&trains, &bare, &share, true));
}
