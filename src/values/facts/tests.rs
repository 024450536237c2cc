//! Unit tests on sentences from the seed articles (with their machine-translation damage).

use chrono::NaiveDate;

use super::*;

/// The languages whose numbers and dates are read.
fn fact_languages() -> impl Iterator<Item = &'static str> {
    crate::lang::LANGUAGES
        .iter()
        .filter(|l| l.facts.is_some())
        .map(|l| l.code)
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid test date")
}

fn only(text: &str, lang: &str, kind: MentionKind) -> Mention {
    let found: Vec<Mention> = extract(text, lang)
        .into_iter()
        .filter(|m| m.kind == kind)
        .collect();
    assert_eq!(found.len(), 1, "{text:?}: {found:?}");
    found.into_iter().next().expect("one mention")
}

fn seconds(m: &Mention) -> (f64, bool) {
    match m.value {
        Value::Duration { seconds, qualifier } => (seconds, qualifier != Qualifier::Exact),
        ref other => panic!("not a duration: {other:?}"),
    }
}

fn quantity(m: &Mention) -> (f64, Option<&str>) {
    match &m.value {
        Value::Quantity { value, unit, .. } => (*value, unit.as_deref()),
        other => panic!("not a quantity: {other:?}"),
    }
}

#[test]
fn every_language_file_loads() {
    for lang in fact_languages() {
        assert!(lexicon::get(lang).is_some(), "{lang}");
    }
    assert!(lexicon::get("xx").is_none());
}

#[test]
fn weekdays_across_languages() {
    let cases = [
        (
            "O presidente saudou a conversa na sexta -feira, onde",
            "pt",
            5,
        ),
        (
            "membahas perlindungan pada hari Kamis saat panggilan",
            "id",
            4,
        ),
        ("U.S. President Donald Trump on Friday expressed", "en", 5),
        ("Still, Friday’s comments suggest Trump may", "en", 5),
        ("Am Donnerstag telefonierten die Präsidenten", "de", 4),
    ];
    for (text, lang, weekday) in cases {
        let m = only(text, lang, MentionKind::Weekday);
        assert_eq!(m.value, Value::Weekday(weekday), "{text}");
        assert_eq!(&text[m.start..m.end], m.text);
    }
    let night: Vec<Value> = extract("a avut loc în noaptea de joi spre vineri", "ro")
        .into_iter()
        .map(|m| m.value)
        .collect();
    assert_eq!(night, vec![Value::Weekday(4), Value::Weekday(5)]);
}

#[test]
fn last_weekday_is_relative_and_strictly_before() {
    let mut ms = extract("por que, na última terça -feira, os EUA", "pt");
    assert_eq!(ms.len(), 1);
    assert_eq!(
        ms[0].value,
        Value::Relative(Relative::Weekday {
            weekday: 2,
            direction: -1
        })
    );
    // 2025-07-01 is a Tuesday: "last Tuesday" from that day is a week earlier.
    anchor(&mut ms, Some(date(2025, 7, 1)));
    assert_eq!(ms[0].resolved_date, Some(date(2025, 6, 24)));
}

#[test]
fn weekday_anchors_on_or_before_publication() {
    let mut ms = extract("Trump on Friday expressed support", "en");
    anchor(&mut ms, Some(date(2025, 7, 5)));
    assert_eq!(ms[0].resolved_date, Some(date(2025, 7, 4)));
    anchor(&mut ms, Some(date(2025, 7, 4)));
    assert_eq!(ms[0].resolved_date, Some(date(2025, 7, 4)));
    anchor(&mut ms, None);
    assert_eq!(ms[0].resolved_date, None);
}

#[test]
fn absolute_dates() {
    let m = only(
        "Putin i-a transmis joi, 3 iulie, omologului său",
        "ro",
        MentionKind::Date,
    );
    assert_eq!(m.text, "joi, 3 iulie");
    assert_eq!(m.value.to_string(), "--07-03");
    let m = only(
        "parabenizou os americanos em seu feriado de 4 de julho antes",
        "pt",
        MentionKind::Date,
    );
    assert_eq!(m.value.to_string(), "--07-04");
    let m = only(
        "yang telah berlangsung sejak akhir Februari 2022",
        "id",
        MentionKind::Date,
    );
    assert_eq!(m.value.to_string(), "2022-02");
    let m = only("happened on July 4, 2025 in Kyiv", "en", MentionKind::Date);
    assert_eq!(m.value.to_string(), "2025-07-04");
    let m = only(" date 2025-07 Andrii Iermak", "ro", MentionKind::Date);
    assert_eq!(m.value.to_string(), "2025-07");
}

#[test]
fn german_date_anchors_to_publication_year() {
    let mut ms = extract(
        "Am 18. März telefonierten US-Präsident Donald Trump und Putin",
        "de",
    );
    assert_eq!(ms[0].text, "18. März");
    anchor(&mut ms, Some(date(2025, 3, 20)));
    assert_eq!(ms[0].resolved_date, Some(date(2025, 3, 18)));
    // More than 60 days after publication: the previous year.
    let mut ms = extract("am 18. Dezember", "de");
    anchor(&mut ms, Some(date(2025, 3, 20)));
    assert_eq!(ms[0].resolved_date, Some(date(2024, 12, 18)));
}

#[test]
fn a_decimal_point_in_a_decimal_comma_language_is_a_decimal_not_a_date() {
    for (text, lang) in [
        ("La scossa, di magnitudo 6.3 secondo l'Istituto", "it"),
        (
            "Il sisma del 2019, di magnitudo 5.9, aveva causato 11 vittime",
            "it",
        ),
        ("Das Beben der Stärke 6.3 erschütterte die Region", "de"),
    ] {
        let ms = extract(text, lang);
        assert!(
            ms.iter().all(|m| m.kind != MentionKind::Date),
            "{text}: {ms:?}"
        );
    }
    // They are decimals: a thousands group has three digits.
    let ms = extract("La scossa, di magnitudo 6.3 secondo l'Istituto", "it");
    assert_eq!(ms.len(), 1, "{ms:?}");
    assert_eq!(quantity(&ms[0]), (6.3, None), "{ms:?}");
    // Written as dates, they still are: two digits each, a closing dot, or a cue.
    for (text, lang, value) in [
        ("Die Sitzung ist für den 22.04 angesetzt", "de", "--04-22"),
        (
            "Das Beben vom 6.3. erschütterte die Region",
            "de",
            "--03-06",
        ),
        ("Die Sitzung beginnt am 6.3 um 10 Uhr", "de", "--03-06"),
    ] {
        let m = only(text, lang, MentionKind::Date);
        assert_eq!(m.value.to_string(), value, "{text}");
    }
}

#[test]
fn plurals_of_round_numbers_stand_for_an_order_of_magnitude() {
    let range = |text: &str, lang: &str| {
        let m = extract(text, lang)
            .into_iter()
            .find(|m| matches!(m.value, Value::Quantity { .. }))
            .unwrap_or_else(|| panic!("{text}: no amount"));
        let i = interval::interval(&m.value).expect("an interval");
        (i.low, i.high)
    };
    assert_eq!(
        range("Milhares de desalojados passaram a noite", "pt"),
        (1000.0, 10000.0)
    );
    assert_eq!(
        range("Thousands of people slept outside", "en"),
        (1000.0, 10000.0)
    );
    assert_eq!(
        range("În Molise trăiesc câteva mii de români", "ro"),
        (1000.0, 10000.0)
    );
    assert_eq!(
        range("Dezenas de milhares de pessoas protestaram", "pt"),
        (10000.0, 100000.0)
    );
    assert_eq!(
        range("Hundreds of thousands of people marched", "en"),
        (100000.0, 1000000.0)
    );
    // One of them is still "about": "une dizaine de kilomètres".
    let (low, high) = range("à une dizaine de kilomètres de Bojano", "fr");
    assert!(low > 8.0 && high < 12.0, "{low} {high}");
}

#[test]
fn years_only_in_year_context() {
    let m = only(
        "Trump und Putin trafen sich 2018 in Finnland",
        "de",
        MentionKind::Date,
    );
    assert_eq!(m.value.to_string(), "2018");
    let ms = extract("Russland hat 2018 Raketen geliefert", "de");
    assert!(ms.iter().all(|m| m.kind != MentionKind::Date), "{ms:?}");
}

#[test]
fn relative_days() {
    let mut ms = extract("Pentagon-Beamte bestätigten gestern, dass", "de");
    anchor(&mut ms, Some(date(2025, 3, 20)));
    assert_eq!(ms[0].value, Value::Relative(Relative::Days(-1)));
    assert_eq!(ms[0].resolved_date, Some(date(2025, 3, 19)));
    let m = only(
        "in einem gestrigen Telefonat auf",
        "de",
        MentionKind::RelativeDate,
    );
    assert_eq!(m.value, Value::Relative(Relative::Days(-1)));
    for (text, lang) in [
        ("Zelensky disse ontem", "pt"),
        ("a declarat ieri", "ro"),
        ("kata dia kemarin", "id"),
    ] {
        let m = only(text, lang, MentionKind::RelativeDate);
        assert_eq!(m.value, Value::Relative(Relative::Days(-1)), "{text}");
    }
}

#[test]
fn event_relative_dates_stay_unresolved() {
    let mut ms = extract("ocorreu apenas um dia depois que o último fez", "pt");
    assert_eq!(
        ms[0].value,
        Value::Relative(Relative::FromEvent {
            amount: 1,
            unit: CalendarUnit::Day
        })
    );
    anchor(&mut ms, Some(date(2025, 7, 4)));
    assert_eq!(ms[0].resolved_date, None);
}

#[test]
fn periods() {
    let m = only("di Alaska bulan lalu, dan", "id", MentionKind::RelativeDate);
    assert_eq!(
        m.value,
        Value::Relative(Relative::Period {
            unit: CalendarUnit::Month,
            offset: -1
        })
    );
    let m = only(
        "pemimpin Ukraina minggu ini, tetapi",
        "id",
        MentionKind::RelativeDate,
    );
    assert_eq!(
        m.value,
        Value::Relative(Relative::Period {
            unit: CalendarUnit::Week,
            offset: 0
        })
    );
    let m = only(
        "nach einer Unterbrechung Anfang des Monats wieder",
        "de",
        MentionKind::RelativeDate,
    );
    assert_eq!(
        m.value,
        Value::Relative(Relative::Period {
            unit: CalendarUnit::Month,
            offset: 0
        })
    );
}

#[test]
fn durations() {
    let m = only(
        "Trump described his 40-minute call with Zelenskiy",
        "en",
        MentionKind::Duration,
    );
    assert_eq!(seconds(&m), (2400.0, false));
    assert_eq!(m.head.as_deref(), Some("call"));
    assert_eq!(m.value.to_string(), "PT40M");
    let m = only(
        "Discuția telefonică a durat circa o oră și a fost",
        "ro",
        MentionKind::Duration,
    );
    assert_eq!(seconds(&m), (3600.0, true));
    assert_eq!(m.value.to_string(), "~PT1H");
    let m = only(
        "o último fez uma ligação com uma hora com o líder russo",
        "pt",
        MentionKind::Duration,
    );
    assert_eq!(seconds(&m), (3600.0, false));
    assert_eq!(m.head.as_deref(), Some("ligação"));
    let m = only(
        "einen Waffenstillstand innerhalb von 30 Tagen",
        "de",
        MentionKind::Duration,
    );
    assert_eq!(seconds(&m), (30.0 * 86400.0, false));
    assert_eq!(m.value.to_string(), "P30D");
    let m = only(
        "mereka berbicara selama dua jam",
        "id",
        MentionKind::Duration,
    );
    assert_eq!(seconds(&m), (7200.0, false));
    let m = only("I'll leave for 3h", "en", MentionKind::Duration);
    assert_eq!(seconds(&m), (10800.0, false));
    let m = only("they spoke for about one hour", "en", MentionKind::Duration);
    assert_eq!(seconds(&m), (3600.0, true));
}

#[test]
fn money_with_broken_decimal_commas() {
    let ms: Vec<Mention> = extract(
        "Rusia menerima EUR 1, 1 miliar ($ 1, 28 miliar) dalam penjualan",
        "id",
    )
    .into_iter()
    .filter(|m| m.kind == MentionKind::Money)
    .collect();
    assert_eq!(ms.len(), 2, "{ms:?}");
    let (v, unit) = quantity(&ms[0]);
    assert!(
        (v - 1.1e9).abs() < 1.0 && unit == Some("EUR"),
        "{v} {unit:?}"
    );
    let (v, unit) = quantity(&ms[1]);
    assert!(
        (v - 1.28e9).abs() < 1.0 && unit == Some("USD"),
        "{v} {unit:?}"
    );
    let m = only(
        "Hilfen von 27,5 Milliarden US-Dollar",
        "de",
        MentionKind::Money,
    );
    assert_eq!(quantity(&m), (27.5e9, Some("USD")));
    let m = only("a pledged $50 million in aid", "en", MentionKind::Money);
    assert_eq!(quantity(&m), (50e6, Some("USD")));
    let m = only(
        "au primit 1,1 miliarde de euro din vânzări",
        "ro",
        MentionKind::Money,
    );
    assert_eq!(quantity(&m), (1.1e9, Some("EUR")));
}

#[test]
fn counts_percentages_and_ordinals() {
    let m = only(
        "bahwa 26 negara siap mengirim pasukan",
        "id",
        MentionKind::Count,
    );
    assert_eq!((quantity(&m).0, m.head.as_deref()), (26.0, Some("negara")));
    let m = only(
        "Er forderte 20 weitere Patriot-Batterien und",
        "de",
        MentionKind::Count,
    );
    assert_eq!(
        (quantity(&m).0, m.head.as_deref()),
        (20.0, Some("batterien"))
    );
    let m = only(
        "a call between the two presidents",
        "en",
        MentionKind::Count,
    );
    assert_eq!(
        (quantity(&m).0, m.head.as_deref()),
        (2.0, Some("presidents"))
    );
    for (text, lang) in [
        ("rose 12% on", "en"),
        ("subiu 12 por cento", "pt"),
        ("um 12 Prozent", "de"),
    ] {
        let m = only(text, lang, MentionKind::Percentage);
        assert_eq!(quantity(&m), (12.0, Some("%")), "{text}");
    }
    for (text, lang) in [
        ("Paket Sanksi Uni Eropa ke – 19 sedang", "id"),
        ("paket sanksi ke-19", "id"),
        ("the 19th sanctions package", "en"),
        ("das 19. Sanktionspaket", "de"),
        ("al 19-lea pachet", "ro"),
    ] {
        let m = only(text, lang, MentionKind::Ordinal);
        assert_eq!(m.value, Value::Ordinal(19), "{text}");
    }
}

#[test]
fn separators_follow_the_language() {
    let m = only("spent 1,000.5 units", "en", MentionKind::Count);
    assert_eq!(quantity(&m).0, 1000.5);
    let m = only("gastou 1.000,5 unidades", "pt", MentionKind::Count);
    assert_eq!(quantity(&m).0, 1000.5);
    let m = only("einundzwanzig Soldaten", "de", MentionKind::Count);
    assert_eq!(quantity(&m).0, 21.0);
}

fn compare_texts(
    a: (&str, &str),
    b: (&str, &str),
    publication: Option<NaiveDate>,
) -> Vec<SlotComparison> {
    let mut ma = extract(a.0, a.1);
    let mut mb = extract(b.0, b.1);
    anchor(&mut ma, publication);
    anchor(&mut mb, publication);
    compare(&ma, &mb)
}

fn outcomes(cmp: &[SlotComparison]) -> Vec<(MentionKind, SlotOutcome)> {
    cmp.iter().map(|c| (c.kind, c.outcome)).collect()
}

#[test]
fn weekday_conflict() {
    let cmp = compare_texts(
        ("Zelensky saudou a conversa na sexta -feira", "pt"),
        ("Trump's tense phone call with Putin on Thursday", "en"),
        None,
    );
    assert_eq!(
        outcomes(&cmp),
        vec![(MentionKind::Weekday, SlotOutcome::Conflict)]
    );
}

#[test]
fn weekday_matches_anchored_date() {
    // 2025-07-04 is a Friday.
    let cmp = compare_texts(
        ("on Friday expressed support", "en"),
        ("feriado de 4 de julho", "pt"),
        Some(date(2025, 7, 5)),
    );
    assert_eq!(
        outcomes(&cmp),
        vec![(MentionKind::Weekday, SlotOutcome::Match)]
    );
}

#[test]
fn approximate_hour_matches_an_hour() {
    let cmp = compare_texts(
        ("Discuția telefonică a durat circa o oră", "ro"),
        ("fez uma ligação com uma hora com o líder russo", "pt"),
        None,
    );
    assert_eq!(
        outcomes(&cmp),
        vec![(MentionKind::Duration, SlotOutcome::Match)]
    );
}

#[test]
fn hour_conflicts_with_forty_minutes() {
    let cmp = compare_texts(
        ("a durat circa o oră", "ro"),
        ("his 40-minute call with Zelenskiy", "en"),
        None,
    );
    assert_eq!(
        outcomes(&cmp),
        vec![(MentionKind::Duration, SlotOutcome::Conflict)]
    );
    let cmp = compare_texts(("one hour", "en"), ("40 minutes", "en"), None);
    assert_eq!(
        outcomes(&cmp),
        vec![(MentionKind::Duration, SlotOutcome::Conflict)]
    );
}

#[test]
fn missing_duration_is_one_sided() {
    let cmp = compare_texts(
        ("Trump described his 40-minute call with Zelenskiy", "en"),
        ("Zelensky saudou a chamada com Trump", "pt"),
        None,
    );
    assert_eq!(
        outcomes(&cmp),
        vec![(MentionKind::Duration, SlotOutcome::OneSided)]
    );
    assert!(cmp[0].a.is_some() && cmp[0].b.is_none());
}

#[test]
fn money_conflict_and_counts_need_same_head() {
    let cmp = compare_texts(
        ("EUR 1, 1 miliar", "id"),
        ("1,3 miliarde de euro", "ro"),
        None,
    );
    assert_eq!(
        outcomes(&cmp),
        vec![(MentionKind::Money, SlotOutcome::Conflict)]
    );
    let cmp = compare_texts(("26 negara", "id"), ("26 countries", "en"), None);
    assert!(cmp.is_empty(), "{cmp:?}");
    let cmp = compare_texts(("26 countries", "en"), ("25 countries", "en"), None);
    assert_eq!(
        outcomes(&cmp),
        vec![(MentionKind::Count, SlotOutcome::Conflict)]
    );
}

#[test]
fn odd_input_never_panics_and_spans_are_char_aligned() {
    let odd = [
        "",
        " ",
        "ke -",
        "ke - ",
        "1, ",
        "1,",
        ",",
        "-",
        "- 1",
        "$",
        "€ 1, 1",
        "1, 1 miliar",
        "19.",
        "2025-",
        "2025-13-45",
        "31/02/2020",
        "12/",
        "ş",
        "joi,",
        "sexta -",
        "„”–—",
        "0 0 0 0",
        "99999999999999999999999 million",
        "vierundzwanzigtausendundeins",
        "einundeinund",
        "ümlaut 3 Männer 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 ٣ 十",
        "am 18.",
        "la 3.",
        "1.2.3.4.5",
        "EUR",
        "circa",
        "cerca de",
    ];
    for text in odd {
        for lang in fact_languages().chain(["xx"]) {
            let mut ms = extract(text, lang);
            anchor(&mut ms, Some(date(2025, 1, 1)));
            let _ = compare(&ms, &ms);
            let mut last_end = 0;
            for m in &ms {
                assert!(
                    text.is_char_boundary(m.start) && text.is_char_boundary(m.end),
                    "{text:?}"
                );
                assert!(m.start >= last_end && m.start < m.end, "{text:?}: {ms:?}");
                assert_eq!(&text[m.start..m.end], m.text);
                last_end = m.end;
            }
        }
    }
}

#[test]
fn display_forms() {
    let shown = |v: Value| v.to_string();
    assert_eq!(shown(Value::Weekday(5)), "XXXX-WXX-5");
    assert_eq!(
        shown(Value::Duration {
            seconds: 3.5 * 31_536_000.0,
            qualifier: Qualifier::Exact
        }),
        "P3.5Y"
    );
    assert_eq!(
        shown(Value::Duration {
            seconds: 90.0 * 86_400.0,
            qualifier: Qualifier::Exact
        }),
        "P3M"
    );
    assert_eq!(
        shown(Value::Quantity {
            value: 1.1e9,
            unit: Some("EUR".into()),
            qualifier: Qualifier::About,
            step: Some(0.1e9),
        }),
        "~1100000000 EUR"
    );
    assert_eq!(shown(Value::Ordinal(19)), "#19");
    assert_eq!(shown(Value::Relative(Relative::Days(-1))), "pub-1D");
}

#[test]
fn cued_days_weeks_and_spelled_numbers() {
    // A day of the month alone needs a cue and takes the publication month.
    let mut ms = extract("The talks resume on the 18th.", "en");
    anchor(&mut ms, Some(date(2025, 7, 4)));
    assert_eq!(ms[0].text, "the 18th");
    assert_eq!(ms[0].resolved_date, Some(date(2025, 7, 18)));
    let ms = extract("On Friday 13 people were killed", "en");
    assert_eq!(ms[0].value, Value::Weekday(5), "{ms:?}");
    assert!(extract("one of the 27.", "en")
        .iter()
        .all(|m| m.kind != MentionKind::Date));
    assert!(extract("the 19th sanctions package", "en")
        .iter()
        .all(|m| m.kind != MentionKind::Date));
    // A weekday tied to a week resolves inside that (Monday-based) week.
    let mut ms = extract("they met on Tuesday of last week", "en");
    anchor(&mut ms, Some(date(2025, 7, 4)));
    assert_eq!(ms[0].resolved_date, Some(date(2025, 6, 24)));
    let mut ms = extract("Ich komme diese Woche Dienstag wieder.", "de");
    anchor(&mut ms, Some(date(2025, 7, 4)));
    assert_eq!(ms[0].resolved_date, Some(date(2025, 7, 1)));
    let m = only("zweieinhalb Millionen Menschen", "de", MentionKind::Count);
    assert_eq!(quantity(&m).0, 2.5e6);
    let m = only(
        "three hundred and twenty one soldiers",
        "en",
        MentionKind::Count,
    );
    assert_eq!(quantity(&m).0, 321.0);
    let ms = extract("3 hundred and 21 soldiers", "en");
    assert_eq!(quantity(&ms[0]).0, 321.0);
    let ms = extract("it was minus five point five", "en");
    assert_eq!(quantity(&ms[0]).0, -5.5);
}

#[test]
fn holidays_fixed_movable_and_relative() {
    let m = only("gifts for Christmas", "en", MentionKind::Date);
    assert_eq!(m.value.to_string(), "--12-25");
    let m = only("I'll go back on easter 2018", "en", MentionKind::Date);
    assert_eq!(m.value.to_string(), "2018-04-01");
    let m = only("Wann ist Pfingsten 2022?", "de", MentionKind::Date);
    assert_eq!(m.value.to_string(), "2022-06-05");
    let m = only("an Thanksgiving 2019", "en", MentionKind::Date);
    assert_eq!(m.text, "Thanksgiving 2019");
    assert_eq!(m.value.to_string(), "2019-11-28");
    // Without a year a movable holiday stays relative and anchors near publication.
    let mut ms = extract("Wir sehen uns an Karsamstag", "de");
    anchor(&mut ms, Some(date(2016, 11, 7)));
    assert_eq!(ms[0].resolved_date, Some(date(2016, 3, 26)));
    let mut ms = extract("When was the last easter?", "en");
    assert_eq!(ms[0].text, "last easter");
    anchor(&mut ms, Some(date(2019, 3, 12)));
    assert_eq!(ms[0].resolved_date, Some(date(2018, 4, 1)));
    let mut ms = extract("the following easter", "en");
    anchor(&mut ms, Some(date(2019, 6, 12)));
    assert_eq!(ms[0].resolved_date, Some(date(2020, 4, 12)));
    let mut ms = extract("an Fastnachtssonntag im nächsten Jahr", "de");
    assert_eq!(ms[0].text, "Fastnachtssonntag im nächsten Jahr");
    anchor(&mut ms, Some(date(2017, 11, 7)));
    assert_eq!(ms[0].resolved_date, Some(date(2018, 2, 11)));
    let m = only("Heilige Drei Könige im Jahr 2020", "de", MentionKind::Date);
    assert_eq!(m.value.to_string(), "2020-01-06");
}

#[test]
fn ordinal_months_mixed_orders_and_weekday_days() {
    // German writes months as ordinals after a cue: "am 7. vierter", "27. 11.".
    for (text, span, value) in [
        ("Ich komme am 7. vierter zurück.", "7. vierter", "--04-07"),
        ("Das treffen ist am 27. 11.", "27. 11.", "--11-27"),
        (
            "am Donnerstag, den siebenundzwanzigsten zwölften",
            "Donnerstag, den siebenundzwanzigsten zwölften",
            "--12-27",
        ),
    ] {
        let m = only(text, "de", MentionKind::Date);
        assert_eq!((m.text.as_str(), m.value.to_string()), (span, value.into()));
    }
    // Without a cue two ordinals are not a date.
    assert!(extract("Ich komme 7. vierter zurück.", "de")
        .iter()
        .all(|m| m.kind != MentionKind::Date));
    // Year, month name and day in any order.
    for text in ["2020/Sep/23", "23-2020-September", "September-2020-23"] {
        let m = only(text, "en", MentionKind::Date);
        assert_eq!(m.value.to_string(), "2020-09-23", "{text}");
    }
    assert!(extract("Tel: +86 2010-2015-86", "en")
        .iter()
        .all(|m| m.kind != MentionKind::Date));
    // A weekday with a day of the month finds the month where they agree.
    let mut ms = extract("Do you have any arrangement on Sunday 31!", "en");
    assert_eq!(ms[0].text, "Sunday 31");
    assert_eq!(ms[0].value.weekday(), Some(7));
    anchor(&mut ms, Some(date(2019, 1, 25)));
    assert_eq!(ms[0].resolved_date, Some(date(2017, 12, 31)));
    let mut ms = extract("coffee on tuesday the eleventh", "en");
    anchor(&mut ms, Some(date(2019, 6, 10)));
    assert_eq!(ms[0].resolved_date, Some(date(2019, 6, 11)));
}

#[test]
fn fractions_spellings_and_german_day_cues() {
    for (text, lang, value) in [
        ("drei halbe Schweine", "de", 1.5),
        ("ein halbes Schwein", "de", 0.5),
        ("Die Zahl ist fünf und drei Viertel Milliarde", "de", 5.75e9),
        ("zweihundertsechsundfuenfzig Zustände", "de", 256.0),
        ("das Ergebnis ist ½", "de", 0.5),
    ] {
        let ms = extract(text, lang);
        assert_eq!(ms.len(), 1, "{text}: {ms:?}");
        assert!((quantity(&ms[0]).0 - value).abs() < 1e-6, "{text}: {ms:?}");
    }
    let m = only("Please schedule a ½ hour call", "en", MentionKind::Duration);
    assert_eq!(seconds(&m), (1800.0, false));
    // "am 15." before a lowercase word is a date; before a capitalised noun an ordinal.
    let m = only("Ich bin am 15. wieder hier.", "de", MentionKind::Date);
    assert_eq!(m.text, "15.");
    assert!(extract("am 15. Tag", "de")
        .iter()
        .all(|m| m.kind != MentionKind::Date));
    // An article is not part of a year-first date.
    let m = only("wird der 2015/08/12 sein", "de", MentionKind::Date);
    assert_eq!(m.text, "2015/08/12");
    let mut ms = extract("Ich komme übernächste Woche Freitag zurück.", "de");
    assert_eq!(ms[0].text, "übernächste Woche Freitag");
    anchor(&mut ms, Some(date(2025, 7, 4)));
    assert_eq!(ms[0].resolved_date, Some(date(2025, 7, 18)));
}

#[test]
fn bracketed_dates_abbreviations_and_codes() {
    for (text, span, value) in [
        (
            "a call this friday (jun-15) with Jim",
            "this friday (jun-15)",
            "--06-15",
        ),
        (
            "a call this Friday-Jun-15 with Jim",
            "this Friday-Jun-15",
            "--06-15",
        ),
        ("How about 2019/aug/01", "2019/aug/01", "2019-08-01"),
    ] {
        let m = only(text, "en", MentionKind::Date);
        assert_eq!((m.text.as_str(), m.value.to_string()), (span, value.into()));
    }
    let m = only("i'll go back tmrw", "en", MentionKind::RelativeDate);
    assert_eq!(m.value, Value::Relative(Relative::Days(1)));
    let m = only("on this upcoming Friday?", "en", MentionKind::RelativeDate);
    assert_eq!(m.text, "this upcoming Friday");
    for text in [
        "One may ask a question",
        "The code of this object is 133-03-03-2020",
        "a BUN/Cr of 30/4.85",
    ] {
        assert!(
            extract(text, "en")
                .iter()
                .all(|m| m.kind != MentionKind::Date),
            "{text}"
        );
    }
}

#[test]
fn nth_weekday_of_a_month() {
    let mut ms = extract("i'll go back the first friday of july", "en");
    assert_eq!(ms[0].text, "the first friday of july");
    assert_eq!(ms[0].value.to_string(), "XXXX-07-WXX-5-#1");
    anchor(&mut ms, Some(date(2025, 7, 20)));
    assert_eq!(ms[0].resolved_date, Some(date(2025, 7, 4)));
    let mut ms = extract("the 2nd Tuesday in this month", "en");
    assert_eq!(ms[0].text, "the 2nd Tuesday in this month");
    anchor(&mut ms, Some(date(2025, 7, 20)));
    assert_eq!(ms[0].resolved_date, Some(date(2025, 7, 8)));
    // Ranks above five are not ranks within a month.
    let m = only("i'll go back sixth sunday", "en", MentionKind::Weekday);
    assert_eq!(m.text, "sunday");
}

#[test]
fn offsets_from_a_stated_date() {
    let m = only(
        "It happened 2 weeks before May 13 1999.",
        "en",
        MentionKind::Date,
    );
    assert_eq!(m.text, "2 weeks before May 13 1999");
    assert_eq!(m.value.to_string(), "1999-04-29");
    let m = only(
        "We will meet 5 days before new year.",
        "en",
        MentionKind::Date,
    );
    assert_eq!(m.value.to_string(), "--12-27");
    let m = only("zwei Wochen vor Weihnachten", "de", MentionKind::Date);
    assert_eq!(m.value.to_string(), "--12-11");
    let m = only(
        "Are you available three weeks from tomorrow?",
        "en",
        MentionKind::RelativeDate,
    );
    assert_eq!(m.value, Value::Relative(Relative::Days(22)));
    // Without a date after it the offset still counts from some other event.
    let m = only("two days before the vote", "en", MentionKind::RelativeDate);
    assert_eq!(m.value.to_string(), "event-2D");
}

#[test]
fn dashes_around_dates_and_day_of_month_phrases() {
    for (text, value) in [("-2020-07-01-", "2020-07-01"), ("-20200701-", "2020-07-01")] {
        let m = only(text, "en", MentionKind::Date);
        assert_eq!(m.value.to_string(), value, "{text}");
    }
    // A lone dash before a number is still a minus sign.
    let m = only("a change of -5 points", "en", MentionKind::Count);
    assert_eq!(quantity(&m).0, -5.0);
    let m = only(
        "back on the twenty third day of September",
        "en",
        MentionKind::Date,
    );
    assert_eq!(m.value.to_string(), "--09-23");
}

#[test]
fn modifiers_before_a_day_and_month() {
    let mut ms = extract("This task should be done next 6th of April", "en");
    assert_eq!(ms[0].text, "next 6th of April");
    assert_eq!(ms[0].value.to_string(), "--04-06@pub>");
    anchor(&mut ms, Some(date(2019, 5, 20)));
    assert_eq!(ms[0].resolved_date, Some(date(2020, 4, 6)));
    let mut ms = extract("done this 5/12", "en");
    anchor(&mut ms, Some(date(2019, 5, 20)));
    assert_eq!(ms[0].resolved_date, Some(date(2019, 5, 12)));
    let mut ms = extract("since last May 5", "en");
    anchor(&mut ms, Some(date(2019, 5, 3)));
    assert_eq!(ms[0].resolved_date, Some(date(2018, 5, 5)));
}

#[test]
fn quarter_units_and_capitalised_german_nouns() {
    for text in [
        "a one and a quarter year gap",
        "a one year and a quarter gap",
    ] {
        let m = only(text, "en", MentionKind::Duration);
        assert_eq!(m.value.to_string(), "P1.25Y", "{text}");
    }
    let m = only("one hour and a half", "en", MentionKind::Duration);
    assert_eq!(seconds(&m), (5400.0, false));
    // "Morgen" inside a sentence is the morning; lowercase or first it is tomorrow.
    assert!(extract("guten Morgen", "de").is_empty());
    assert!(extract("Wir trafen uns am Morgen", "de").is_empty());
    for text in ["Wir kommen morgen", "Morgen kommen wir"] {
        let m = only(text, "de", MentionKind::RelativeDate);
        assert_eq!(m.value, Value::Relative(Relative::Days(1)), "{text}");
    }
}

#[test]
fn qualifiers_become_intervals() {
    let value = |text: &str, lang: &str| {
        let ms = extract(text, lang);
        assert_eq!(ms.len(), 1, "{text}: {ms:?}");
        ms[0].value.clone()
    };
    let span = |text: &str, lang: &str| interval(&value(text, lang)).unwrap();
    assert_eq!(
        value("more than 120 aftershocks", "en").to_string(),
        ">=120"
    );
    assert_eq!(value("peste 120 de replici", "ro").to_string(), ">=120");
    assert_eq!(value("menos de 10 minutos", "pt").to_string(), "<=PT10M");
    assert_eq!(value("lebih dari 200 orang", "id").to_string(), ">=200");
    // "less than 10 minutes" and "seven minutes" can both be true.
    assert!(span("less than 10 minutes", "en").overlaps(&span("seven minutes", "en")));
    // "over EUR 1 billion" and "EUR 1.1 billion" too; 12 and 14 injured cannot.
    assert!(span("over EUR 1 billion", "en").overlaps(&span("EUR 1.1 billion", "en")));
    assert!(!span("12 injured", "en").overlaps(&span("14 injured", "en")));
    // Rounding: "1.35 billion" stands for 1.354 billion.
    assert!(span("$1.35 billion", "en").overlaps(&span("$1.354 billion", "en")));
    assert!(!span("$1.35 billion", "en").overlaps(&span("$1.37 billion", "en")));
    // A figure in whole hundreds is a round figure: 300 injured and 323 can both be true;
    // 100 and 131 cannot, nor 323 and 341.
    assert!(span("otras 300 resultaron heridas", "es").overlaps(&span("323 heridos", "es")));
    assert!(!span("100 dead", "en").overlaps(&span("131 dead", "en")));
    assert!(!span("323 injured", "en").overlaps(&span("341 injured", "en")));
}

#[test]
fn round_numbers_ranges_and_scale_links() {
    let value = |text: &str, lang: &str| {
        extract(text, lang)
            .into_iter()
            .map(|m| m.value.to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(value("une quarantaine de minutes", "fr"), ["~PT40M"]);
    assert_eq!(value("una ventina di feriti", "it"), ["~20"]);
    assert_eq!(value("between 20 and 30 minutes", "en"), ["PT20M..PT30M"]);
    assert_eq!(value("entre 12 e 14 feridos", "pt"), ["12..14"]);
    assert_eq!(value("50 de milioane de euro", "ro"), ["50000000 EUR"]);
    assert_eq!(value("25 milhões de euros", "pt"), ["25000000 EUR"]);
    assert_eq!(value("1.354 milhões de dólares", "pt"), ["1354000000 USD"]);
}

#[test]
fn times_of_day() {
    let value = |text: &str, lang: &str| {
        extract(text, lang)
            .into_iter()
            .filter(|m| m.kind == MentionKind::TimeOfDay)
            .map(|m| m.value.to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(value("at 3:27 a.m. on Tuesday", "en"), ["T03:27"]);
    assert_eq!(value("at 2:15 p.m.", "en"), ["T14:15"]);
    assert_eq!(value("um 3.27 Uhr", "de"), ["T03:27"]);
    assert_eq!(value("ieri alle 3.27", "it"), ["T03:27"]);
    assert_eq!(value("pukul 03.27 WIB", "id"), ["T03:27"]);
    assert_eq!(value("à 3 h 27", "fr"), ["T03:27"]);
    assert!(value("7:2 vote", "en").is_empty());
}
