//! Durations, money, percentages, ordinals, counts and bare numbers.

use super::lexicon::Lexicon;
use super::numbers::Num;
use super::numbers::{amount, number};
use super::text::{Input, TokKind};
use super::{longer, Found, MentionKind, Qualifier, Value};

/// The longest quantity reading starting at token `i`. A qualifier may lead ("circa",
/// "more than", "até") and hedges the value; "between 20 and 30 <unit>" reads as a range.
pub(crate) fn find(inp: &Input, i: usize, lex: &Lexicon) -> Option<Found> {
    let (start, qualifier) = match lex.qualifiers.longest(inp, i) {
        Some((e, q)) => (e, *q),
        None => (i, Qualifier::Exact),
    };
    longer(
        longer(ordinal(inp, i, lex), hedged(inp, i, start, qualifier, lex)),
        range(inp, i, lex),
    )
}

/// A duration, amount of money, percentage or count at `start`, hedged by `qualifier`
/// (which a round number like "une quarantaine" implies by itself).
fn hedged(
    inp: &Input,
    i: usize,
    start: usize,
    qualifier: Qualifier,
    lex: &Lexicon,
) -> Option<Found> {
    let qualifier = match (qualifier, amount(inp, start, lex)) {
        (Qualifier::Exact, Some(Num { about: true, .. })) => Qualifier::About,
        (Qualifier::Exact, Some(n)) if n.magnitude => Qualifier::Between(10.0 * n.value),
        (q, _) => q,
    };
    [
        duration(inp, i, start, qualifier, lex),
        money(inp, start, qualifier, lex),
        percentage(inp, start, qualifier, lex),
        count(inp, start, qualifier, lex),
    ]
    .into_iter()
    .fold(None, longer)
}

/// "between 20 and 30 minutes", "entre 12 e 14 feridos", "zwischen 5 und 7 Prozent": the
/// reading of the upper end, with the lower end as its range.
fn range(inp: &Input, i: usize, lex: &Lexicon) -> Option<Found> {
    let first_at = lex.range_starts.end(inp, i)?;
    let low = amount(inp, first_at, lex)?;
    let second_at = lex.range_joiners.end(inp, low.end)?;
    let high = amount(inp, second_at, lex)?;
    let mut found = hedged(inp, second_at, second_at, Qualifier::Exact, lex)?;
    if high.value <= 0.0 || low.value >= high.value {
        return None;
    }
    let ratio = low.value / high.value;
    found.value = match found.value {
        Value::Duration { seconds, .. } => Value::Duration {
            seconds: seconds * ratio,
            qualifier: Qualifier::Between(seconds),
        },
        Value::Quantity {
            value, unit, step, ..
        } => Value::Quantity {
            value: value * ratio,
            unit,
            qualifier: Qualifier::Between(value),
            step,
        },
        _ => return None,
    };
    Some(found)
}

/// "40-minute", "uma hora", "circa o oră", "30 Tagen", "3h", "half an hour",
/// "den ganzen Tag", "1 hour and 30 minutes".
fn duration(
    inp: &Input,
    i: usize,
    start: usize,
    qualifier: Qualifier,
    lex: &Lexicon,
) -> Option<Found> {
    let (mut seconds, mut end, mut last_unit, hyphenated) = match lex.whole.end(inp, start) {
        Some(w) => {
            let w = if inp.glued_punct(w, "-") { w + 1 } else { w };
            let (e, unit) = lex.durations.longest(inp, w)?;
            (*unit, e, *unit, false)
        }
        None => {
            let (value, k) = amount_with_half(inp, start, lex)?;
            let hyphenated = inp.tok(k).is_some_and(|t| t.is_hyphen());
            let at = if hyphenated { k + 1 } else { k };
            // "48 de ore": the word that links a number to what it counts (Romanian "de").
            let (e, unit) = lex.durations.longest(inp, at).or_else(|| {
                let linked = lex.scale_links.end(inp, at)?;
                lex.durations.longest(inp, linked)
            })?;
            (value * unit, e, *unit, hyphenated)
        }
    };
    if seconds <= 0.0 {
        return None;
    }
    loop {
        let k = lex.connectors.end(inp, end).unwrap_or(end);
        if let Some((h, share)) = unit_share(inp, k, lex) {
            if k > end && lex.durations.longest(inp, h).is_none() {
                seconds += last_unit * share;
                end = h;
                break;
            }
        }
        let Some(n) = amount(inp, k, lex) else { break };
        match lex.durations.longest(inp, n.end) {
            Some((e, unit)) if *unit < last_unit && n.value > 0.0 => {
                seconds += n.value * unit;
                end = e;
                last_unit = *unit;
            }
            _ => break,
        }
    }
    let head = if hyphenated {
        head_after(inp, end, lex)
    } else {
        head_before(inp, i, lex)
    };
    Some(Found {
        end,
        kind: MentionKind::Duration,
        value: Value::Duration { seconds, qualifier },
        head,
    })
}

/// An amount that may carry "and a half" before its unit: "one and a half hours",
/// "one and a quarter year".
fn amount_with_half(inp: &Input, i: usize, lex: &Lexicon) -> Option<(f64, usize)> {
    let n = amount(inp, i, lex)?;
    let share = lex
        .connectors
        .end(inp, n.end)
        .and_then(|c| unit_share(inp, c, lex));
    Some(match share {
        Some((e, share)) if lex.durations.longest(inp, e).is_some() => (n.value + share, e),
        _ => (n.value, n.end),
    })
}

/// "a half", "half", "a quarter" after "and": (index after it, share of one unit).
fn unit_share(inp: &Input, i: usize, lex: &Lexicon) -> Option<(usize, f64)> {
    let a = lex.articles.end(inp, i).unwrap_or(i);
    lex.fractions
        .longest(inp, a)
        .map(|(e, denominator)| (e, 1.0 / denominator))
        .or_else(|| lex.halves.end(inp, a).map(|e| (e, 0.5)))
}

/// "EUR 1, 1 miliar", "($ 1, 28 miliar)", "$50 million", "27,5 Milliarden US-Dollar",
/// "1,1 miliarde de euro".
fn money(inp: &Input, start: usize, qualifier: Qualifier, lex: &Lexicon) -> Option<Found> {
    let quantity = |n: Num, code: &str| Value::Quantity {
        value: n.value,
        unit: Some(code.to_string()),
        qualifier,
        step: n.step,
    };
    if let Some((e, code)) = lex.currencies.longest(inp, start) {
        if let Some(n) = number(inp, e, lex) {
            return Some(Found::new(n.end, MentionKind::Money, quantity(n, code)));
        }
    }
    let n = number(inp, start, lex)?;
    let (e, code) = lex.currencies.longest(inp, n.end)?;
    Some(Found::new(e, MentionKind::Money, quantity(n, code)))
}

/// "12%", "12 por cento", "12 Prozent", "12 persen".
fn percentage(inp: &Input, start: usize, qualifier: Qualifier, lex: &Lexicon) -> Option<Found> {
    let n = number(inp, start, lex)?;
    let e = lex.percent.end(inp, n.end)?;
    let value = Value::Quantity {
        value: n.value,
        unit: Some("%".to_string()),
        qualifier,
        step: n.step,
    };
    Some(Found::new(e, MentionKind::Percentage, value))
}

/// "19th", "1º", "19." (German, before a word), "al 19-lea" (the "19-lea" part),
/// "ke-19" / "ke - 19" / "ke – 19" (Indonesian).
fn ordinal(inp: &Input, i: usize, lex: &Lexicon) -> Option<Found> {
    let as_ordinal = |end: usize, digits: &str| {
        digits
            .parse::<i64>()
            .ok()
            .map(|n| Found::new(end, MentionKind::Ordinal, Value::Ordinal(n)))
    };
    if let Some(j) = lex.ordinal_prefixes.end(inp, i) {
        if inp.tok(j).is_some_and(|t| t.is_hyphen())
            && inp.tok(j + 1).is_some_and(|t| t.kind == TokKind::Num)
        {
            return as_ordinal(j + 2, inp.norm(j + 1));
        }
    }
    let tok = inp.tok(i)?;
    if tok.kind != TokKind::Num || tok.end - tok.start > 4 {
        return None;
    }
    let mut j = i + 1;
    if inp.glued(j, TokKind::Punct) && inp.tok(j).is_some_and(|t| t.is_hyphen()) {
        j += 1;
    }
    if inp.tok(j).is_none_or(|t| t.gap) {
        return None;
    }
    let e = lex.ordinal_suffixes.end(inp, j)?;
    let followed_by = inp.tok(e);
    let end_is_clean = followed_by.is_none_or(|t| t.gap || t.kind == TokKind::Punct);
    let dot_needs_word =
        inp.norm(j) != "." || followed_by.is_some_and(|t| t.gap && t.kind == TokKind::Word);
    (end_is_clean && dot_needs_word)
        .then(|| as_ordinal(e, &tok.norm))
        .flatten()
}

/// A number, with the noun it counts when one follows ("26 negara", "two presidents",
/// "20 weitere Patriot-Batterien" → head "batterien"). Numbers glued to letters ("180ml",
/// "A320") or forming compound adjectives ("one-sided") are not read at all.
fn count(inp: &Input, start: usize, qualifier: Qualifier, lex: &Lexicon) -> Option<Found> {
    let glued_before = start > 0
        && inp.tok(start).is_some_and(|t| !t.gap)
        && inp
            .tok(start - 1)
            .is_some_and(|p| p.kind != TokKind::Punct || p.is_hyphen());
    if glued_before {
        return None;
    }
    let n = amount(inp, start, lex)
        .filter(|n| n.about || n.magnitude)
        .or_else(|| number(inp, start, lex))?;
    let lone_one = n.value == 1.0
        && n.end == start + 1
        && inp.tok(start).is_some_and(|t| t.kind == TokKind::Word)
        && start > 0
        && lex.pronoun_markers.has_word(inp.norm(start - 1));
    if lone_one {
        // "the one you mentioned", "which one": a pronoun.
        return None;
    }
    let compound_adjective = inp.glued_punct(n.end, "-") && inp.glued(n.end + 1, TokKind::Word);
    // "2019/aug/01": part of a date or code, not a number of its own.
    let slashed = inp.glued_punct(n.end, "/") && inp.glued(n.end + 1, TokKind::Word);
    let joined = compound_adjective || slashed;
    if inp.glued(n.end, TokKind::Word) || inp.glued(n.end, TokKind::Num) || joined {
        return None;
    }
    let head = head_after(inp, n.end, lex);
    let kind = if head.is_some() {
        MentionKind::Count
    } else {
        MentionKind::Number
    };
    let value = Value::Quantity {
        value: n.value,
        unit: None,
        qualifier,
        step: n.step,
    };
    Some(Found {
        end: n.end,
        kind,
        value,
        head,
    })
}

/// The noun right after a value, skipping words like "weitere"/"more"; the last part of a
/// hyphenated compound ("Patriot-Batterien" → "batterien").
fn head_after(inp: &Input, i: usize, lex: &Lexicon) -> Option<String> {
    let mut k = i;
    while let Some(e) = lex.head_skip.end(inp, k) {
        k = e;
    }
    let mut tok = inp.tok(k).filter(|t| t.kind == TokKind::Word && t.gap)?;
    if lex.stopwords.has_word(&tok.norm) {
        return None;
    }
    while inp.glued_punct(k + 1, "-") && inp.glued(k + 2, TokKind::Word) {
        k += 2;
        tok = &inp.toks[k];
    }
    Some(inp.text[tok.start..tok.end].to_lowercase())
}

/// The noun before a linking word in front of the value: "ligação com uma hora" → "ligação".
fn head_before(inp: &Input, i: usize, lex: &Lexicon) -> Option<String> {
    let link = inp.tok(i.checked_sub(1)?)?;
    if link.kind != TokKind::Word || !lex.head_links.has_word(&link.norm) {
        return None;
    }
    let noun = inp.tok(i.checked_sub(2)?)?;
    (noun.kind == TokKind::Word && !lex.stopwords.has_word(&noun.norm))
        .then(|| inp.text[noun.start..noun.end].to_lowercase())
}
