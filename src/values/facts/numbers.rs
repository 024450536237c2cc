//! Reading numbers written with digits or words, with per-language separators.

use super::lexicon::Lexicon;
use super::text::{Input, TokKind};

/// A number read at some token position.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Num {
    pub value: f64,
    /// Token index just after the number.
    pub end: usize,
    /// Digit count when the number is a bare run of digits ("2018" → 4); used for years and days.
    pub plain_digits: Option<usize>,
    /// The unit of the last digit written, when the number has decimals or a scale word
    /// ("1.35 billion": 10 million): the value stands for anything that rounds to it.
    pub step: Option<f64>,
    /// A round number that is approximate by itself ("une quarantaine", "una ventina").
    pub about: bool,
    /// A plural that stands for an order of magnitude ("thousands", "milhares"): from
    /// `value` to ten times it.
    pub magnitude: bool,
}

impl Num {
    /// A number read exactly (no rounding step, no hedge) ending before token `end`.
    fn exact(value: f64, end: usize) -> Self {
        Num {
            value,
            end,
            plain_digits: None,
            step: None,
            about: false,
            magnitude: false,
        }
    }
}

/// Reads a number written with digits or with number words at token `i`.
/// A leading "minus" / "negative" word negates it; where digits and number words run on
/// together ("3 hundred and 21") the longer reading wins.
pub(crate) fn number(inp: &Input, i: usize, lex: &Lexicon) -> Option<Num> {
    if let Some(j) = lex.negatives.end(inp, i) {
        if let Some(n) = unsigned(inp, j, lex) {
            return Some(Num {
                value: -n.value,
                plain_digits: None,
                ..n
            });
        }
    }
    unsigned(inp, i, lex)
}

fn unsigned(inp: &Input, i: usize, lex: &Lexicon) -> Option<Num> {
    match (digits(inp, i, lex), words(inp, i, lex)) {
        (Some(d), Some(w)) if w.end > d.end => Some(w),
        (Some(d), _) => Some(d),
        (None, w) => w,
    }
}

/// Reads a quantity in front of a unit, where articles and "half" count as numbers:
/// "uma hora", "o oră", "half an hour", "eine halbe Stunde".
pub(crate) fn amount(inp: &Input, i: usize, lex: &Lexicon) -> Option<Num> {
    // Before numbers: Romanian "mii" is also the scale of "5 mii".
    if let Some(n) = magnitude(inp, i, lex) {
        return Some(n);
    }
    if let Some(n) = number(inp, i, lex) {
        return Some(n);
    }
    let after_article = lex.articles.end(inp, i);
    let j = after_article.unwrap_or(i);
    if let Some((e, value)) = lex.approx_cardinals.longest(inp, j) {
        // "une quarantaine de minutes", "una ventina di feriti"
        let end = lex.approx_links.end(inp, e).unwrap_or(e);
        return Some(Num {
            about: true,
            ..Num::exact(*value, end)
        });
    }
    if let Some(n) = magnitude(inp, j, lex) {
        return Some(n);
    }
    if let Some(h) = lex.halves.end(inp, j) {
        let end = lex.articles.end(inp, h).unwrap_or(h);
        return Some(Num::exact(0.5, end));
    }
    after_article.map(|end| Num::exact(1.0, end))
}

/// "thousands of people", "milhares de desalojados": an order of magnitude at `i`; "hundreds
/// of thousands", "dezenas de milhares", "hundreds of millions": the orders multiply.
fn magnitude(inp: &Input, i: usize, lex: &Lexicon) -> Option<Num> {
    let (e, value) = lex.magnitude_cardinals.longest(inp, i)?;
    let after = lex.approx_links.end(inp, e).unwrap_or(e);
    let (end, value) = match lex
        .magnitude_cardinals
        .longest(inp, after)
        .or_else(|| lex.scales.longest(inp, after))
    {
        Some((e2, times)) => (lex.approx_links.end(inp, e2).unwrap_or(e2), value * times),
        None => (after, *value),
    };
    Some(Num {
        magnitude: true,
        ..Num::exact(value, end)
    })
}

fn digit_count(inp: &Input, i: usize) -> Option<usize> {
    let t = inp.tok(i)?;
    (t.kind == TokKind::Num).then(|| t.end - t.start)
}

/// Reads digits with thousands/decimal separators, a leading minus, a scale word
/// ("27,5 Milliarden", "10k"), and the machine-translation damage "1, 1 miliar"
/// (a decimal comma followed by a space) when a scale word follows.
pub(crate) fn digits(inp: &Input, i: usize, lex: &Lexicon) -> Option<Num> {
    // "-2020-07-01-": a dash before digits that a dash follows is a separator, not a minus.
    let separator = inp.glued(i + 2, TokKind::Punct) && inp.norm(i + 2) == "-";
    let negative = inp.norm(i) == "-" && minus_allowed(inp, i) && !separator;
    let first = if negative { i + 1 } else { i };
    let sign = if negative { -1.0 } else { 1.0 };
    if let Some(num) = leading_decimal(inp, first, lex) {
        return Some(Num {
            value: sign * num.value,
            ..num
        });
    }
    let first_len = digit_count(inp, first)?;
    let groups = DigitGroups::read(inp, first, first_len, lex);
    let mut value: f64 = format!(
        "{}.{}",
        groups.int_part,
        if groups.frac_part.is_empty() {
            "0"
        } else {
            &groups.frac_part
        }
    )
    .parse()
    .ok()?;
    let (mut scale, mut j) = (1.0, groups.end);
    if let Some((end, s)) = scale_at(inp, j, lex) {
        scale = *s;
        j = end;
    }
    value *= scale * sign;
    let scaled = scale != 1.0;
    let fraction = !groups.frac_part.is_empty();
    let plain = !negative && !groups.grouped && !scaled && !fraction;
    let step = (scaled || fraction).then(|| scale * 10f64.powi(-(groups.frac_part.len() as i32)));
    Some(Num {
        plain_digits: plain.then_some(first_len),
        step,
        ..Num::exact(value, j)
    })
}

/// The (thousands, decimal) separators of the language.
fn separators(lex: &Lexicon) -> (&'static str, &'static str) {
    if lex.decimal_comma {
        (".", ",")
    } else {
        (",", ".")
    }
}

/// ".08", ",23456000": a fraction with no integer part, after a space or at the start.
fn leading_decimal(inp: &Input, first: usize, lex: &Lexicon) -> Option<Num> {
    let (_, decimal) = separators(lex);
    let leading = inp.norm(first) == decimal
        && inp.glued(first + 1, TokKind::Num)
        && first
            .checked_sub(1)
            .and_then(|p| inp.tok(p))
            .is_none_or(|p| inp.toks[first].gap && p.kind != TokKind::Num);
    if !leading {
        return None;
    }
    let value: f64 = format!("0.{}", inp.norm(first + 1)).parse().ok()?;
    Some(Num {
        step: Some(10f64.powi(-(inp.norm(first + 1).len() as i32))),
        ..Num::exact(value, first + 2)
    })
}

/// The digit groups of one number: "12.345,6" → int "12345", fraction "6".
struct DigitGroups {
    int_part: String,
    frac_part: String,
    /// Thousands were separated (by the separator or a space).
    grouped: bool,
    /// The token after the last group.
    end: usize,
}

impl DigitGroups {
    fn read(inp: &Input, first: usize, first_len: usize, lex: &Lexicon) -> Self {
        let (thousands, decimal) = separators(lex);
        let mut groups = DigitGroups {
            int_part: inp.norm(first).to_string(),
            frac_part: String::new(),
            grouped: false,
            end: first + 1,
        };
        // "192.168.1.2", "1.2.3": the marks go on before or after the number.
        let in_a_dotted_code = |after: usize| {
            inp.glued_punct(after, thousands) || first > 0 && inp.glued_punct(first - 1, thousands)
        };
        loop {
            let j = groups.end;
            let sep = inp.norm(j);
            let glued_sep = inp.glued(j, TokKind::Punct);
            if glued_sep && sep == thousands && first_len <= 3 && inp.glued(j + 1, TokKind::Num) {
                match digit_count(inp, j + 1) {
                    Some(3) => {
                        groups.push_group(inp.norm(j + 1), j + 2);
                        continue;
                    }
                    // "magnitudo 6.3": the other language's decimal mark, since a thousands
                    // group has three digits.
                    Some(1 | 2) if !(groups.grouped || in_a_dotted_code(j + 2)) => {
                        groups.frac_part = inp.norm(j + 1).to_string();
                        groups.end = j + 2;
                    }
                    _ => {}
                }
                break;
            }
            if glued_sep && sep == decimal {
                let broken_by_space = digit_count(inp, j + 1).is_some_and(|n| n <= 2)
                    && !groups.grouped
                    && lex.scales.longest(inp, j + 2).is_some();
                if inp.glued(j + 1, TokKind::Num) || broken_by_space {
                    groups.frac_part = inp.norm(j + 1).to_string();
                    groups.end = j + 2;
                }
                break;
            }
            let spaced_group = first_len <= 3
                && digit_count(inp, j) == Some(3)
                && matches!(inp.space_before(j), " " | "\u{a0}" | "\u{202f}");
            if spaced_group && groups.frac_part.is_empty() {
                groups.push_group(inp.norm(j), j + 1);
                continue;
            }
            break;
        }
        groups
    }

    fn push_group(&mut self, digits: &str, end: usize) {
        self.int_part.push_str(digits);
        self.grouped = true;
        self.end = end;
    }
}

/// A "-" is a minus sign only when it does not join two words or numbers ("ke-19", "2020-2021").
fn minus_allowed(inp: &Input, i: usize) -> bool {
    let Some(prev) = i.checked_sub(1).and_then(|p| inp.tok(p)) else {
        return true;
    };
    let joined_to_word = !inp.toks[i].gap && prev.kind == TokKind::Word;
    prev.kind != TokKind::Num && !joined_to_word && !prev.is_hyphen()
}

/// One piece of a spelled-out number.
#[derive(Clone, Copy)]
enum Part {
    Unit(f64),
    Scale(f64),
    Connector,
}

/// Reads spelled-out numbers: "twenty-one", "vinte e quatro", "două sute", "dua puluh lima",
/// "vierundzwanzig", "a hundred", "half a dozen", "eine halbe Million", "3 hundred and 21",
/// "two hundred point zero three", "drei halbe", "fünf und drei Viertel Milliarden". A lone
/// article ("uma") is not a number here.
pub(crate) fn words(inp: &Input, i: usize, lex: &Lexicon) -> Option<Num> {
    if let Some((value, end)) = fraction(inp, i, lex) {
        return Some(scaled(inp, value, end, lex));
    }
    let mut acc = Accumulator::default();
    let mut j = i;
    let after_article = lex.articles.end(inp, i);
    let a = after_article.unwrap_or(i);
    if let Some(h) = lex.halves.end(inp, a) {
        // "half a dozen", "ein halbes Dutzend", "meia dúzia"
        let h = lex.articles.end(inp, h).unwrap_or(h);
        if lex.scales.longest(inp, h).is_some() {
            acc.push(Part::Unit(0.5));
            acc.words = true;
            j = h;
        }
    } else if let Some(a) = after_article {
        if lex.scales.longest(inp, a).is_some() {
            acc.push(Part::Unit(1.0));
            j = a;
        }
    }
    let mut end = None;
    while let Some((next, parts)) = word_parts(inp, j, lex, &acc) {
        let mut probe = acc.clone();
        let fits = parts.iter().all(|p| {
            let ok = probe.accepts(*p);
            if ok {
                probe.push(*p);
            }
            ok
        });
        if !fits {
            break;
        }
        acc = probe;
        if inp.tok(j).is_some_and(|t| t.kind == TokKind::Word) {
            acc.words = true;
        }
        if !matches!(parts.as_slice(), [Part::Connector]) {
            end = Some(next);
        }
        j = next;
        while inp.tok(j).is_some_and(|t| t.is_hyphen())
            && word_parts(inp, j + 1, lex, &acc).is_some()
        {
            j += 1;
        }
    }
    let mut end = end?;
    if lex.articles.end(inp, i) == Some(end) {
        return None;
    }
    let mut value = acc.value();
    let more = lex
        .connectors
        .end(inp, end)
        .and_then(|c| fraction(inp, c, lex));
    if let Some((frac, e)) = more.filter(|_| value.fract() == 0.0) {
        return Some(scaled(inp, value + frac, e, lex));
    }
    if acc.words && value.fract() == 0.0 {
        if let Some((e, frac)) = decimals(inp, end, lex) {
            value += frac;
            end = e;
        }
    }
    Some(Num::exact(value, end))
}

/// A scale word at token `i`, possibly after a link word ("50 de milioane"): (index after it,
/// the scale).
fn scale_at<'l>(inp: &Input, i: usize, lex: &'l Lexicon) -> Option<(usize, &'l f64)> {
    lex.scales.longest(inp, i).or_else(|| {
        let k = lex.scale_links.end(inp, i)?;
        lex.scales.longest(inp, k)
    })
}

/// A spelled-out fraction: a numerator word (or an article for one) and a fraction word:
/// "ein halbes" (1/2), "zwei Drittel" (2/3), "drei Viertel": (value, index after it).
fn fraction(inp: &Input, i: usize, lex: &Lexicon) -> Option<(f64, usize)> {
    let (numerator, k) = match lex.articles.end(inp, i) {
        Some(e) => (1.0, e),
        None => lex.cardinals.longest(inp, i).map(|(e, v)| (*v, e))?,
    };
    let (end, denominator) = lex.fractions.longest(inp, k)?;
    (numerator >= 1.0 && numerator.fract() == 0.0).then(|| (numerator / denominator, end))
}

/// A value followed by an optional scale word: "drei Viertel Milliarden".
fn scaled(inp: &Input, value: f64, end: usize, lex: &Lexicon) -> Num {
    match scale_at(inp, end, lex) {
        Some((e, scale)) => Num::exact(value * scale, e),
        None => Num::exact(value, end),
    }
}

/// The spelled-out decimals after a whole number: "point zero three" (.03),
/// "point seventy-one" (.71), "vírgula cinco" (.5).
fn decimals(inp: &Input, i: usize, lex: &Lexicon) -> Option<(usize, f64)> {
    let mut k = lex.decimal_points.end(inp, i)?;
    let mut digits = String::new();
    while let Some((e, v)) = lex.cardinals.longest(inp, k) {
        if *v >= 10.0 || v.fract() != 0.0 {
            break;
        }
        digits.push_str(&(*v as u32).to_string());
        k = e;
    }
    if digits.is_empty() {
        let n = words(inp, k, lex).filter(|n| n.value.fract() == 0.0 && n.value > 0.0)?;
        digits = (n.value as u64).to_string();
        k = n.end;
    }
    let frac: f64 = format!("0.{digits}").parse().ok()?;
    Some((k, frac))
}

/// The number-word parts at token `j`: a lexicon phrase or a split compound word, or a
/// short digit run inside a spelled-out number ("3 hundred", "hundred and 21"): before a
/// scale word, or after "hundred"-sized scales.
fn word_parts(
    inp: &Input,
    j: usize,
    lex: &Lexicon,
    acc: &Accumulator,
) -> Option<(usize, Vec<Part>)> {
    if let Some((end, v)) = lex.cardinals.longest(inp, j) {
        return Some((end, vec![Part::Unit(*v)]));
    }
    if let Some((end, v)) = lex.scales.longest(inp, j) {
        return Some((end, vec![Part::Scale(*v)]));
    }
    if let Some(end) = lex.connectors.end(inp, j) {
        return Some((end, vec![Part::Connector]));
    }
    let tok = inp.tok(j)?;
    if tok.kind == TokKind::Num {
        let short = tok.end - tok.start <= 3;
        let standalone = inp.tok(j + 1).is_none_or(|t| t.gap) && (j == 0 || tok.gap);
        if !short || !standalone {
            return None;
        }
        let v: f64 = tok.norm.parse().ok()?;
        let scale = lex
            .scales
            .longest(inp, j + 1)
            .filter(|_| inp.tok(j + 1).is_some_and(|t| t.gap));
        return match scale {
            Some((end, s)) => Some((end, vec![Part::Unit(v), Part::Scale(*s)])),
            None if acc.small_scale && v > 0.0 => Some((j + 1, vec![Part::Unit(v)])),
            None => None,
        };
    }
    if tok.kind != TokKind::Word {
        return None;
    }
    split_compound(&tok.norm, lex).map(|parts| (j + 1, parts))
}

/// The value of a compound number word such as "neunundzwanzig" (29).
pub(crate) fn compound_value(word: &str, lex: &Lexicon) -> Option<f64> {
    let mut acc = Accumulator::default();
    for part in split_compound(word, lex)? {
        if !acc.accepts(part) {
            return None;
        }
        acc.push(part);
    }
    acc.any.then(|| acc.value())
}

/// Splits a compound number word ("dreihundertfünfundzwanzig") into known parts.
fn split_compound(word: &str, lex: &Lexicon) -> Option<Vec<Part>> {
    if lex.compound_words.is_empty() || word.is_empty() {
        return None;
    }
    let mut cuts: Vec<usize> = word.char_indices().map(|(b, _)| b).skip(1).collect();
    cuts.push(word.len());
    for &cut in cuts.iter().rev() {
        let Some(&v) = lex.compound_words.get(&word[..cut]) else {
            continue;
        };
        let head = if v.is_nan() {
            Part::Connector
        } else if v >= 100.0 {
            Part::Scale(v)
        } else {
            Part::Unit(v)
        };
        if cut == word.len() {
            return Some(vec![head]);
        }
        if let Some(mut rest) = split_compound(&word[cut..], lex) {
            rest.insert(0, head);
            return Some(rest);
        }
    }
    None
}

/// Running total of a spelled-out number, with the ordering rules that keep "two three"
/// or "twenty thirty" from reading as one number.
#[derive(Default, Clone)]
struct Accumulator {
    total: f64,
    current: f64,
    /// Last additive component since the last scale (0 after a scale or at the start).
    last: f64,
    /// Smallest large scale used so far (thousand, million...).
    last_big: Option<f64>,
    after_connector: bool,
    any: bool,
    /// The last part was a scale below a thousand ("hundred", "dozen").
    small_scale: bool,
    /// A scale below a thousand was applied since the last large scale ("three hundred").
    small_used: bool,
    /// Whether any part came from a word rather than digits.
    words: bool,
}

impl Accumulator {
    fn accepts(&self, part: Part) -> bool {
        match part {
            Part::Connector => self.any && !self.after_connector,
            Part::Scale(s) if s >= 1000.0 => self.last_big.is_none_or(|b| s < b),
            Part::Scale(s) => !self.small_used || self.current < s,
            Part::Unit(v) if v.fract() != 0.0 => {
                self.current.fract() == 0.0 && self.last >= 1.0 || !self.any
            }
            Part::Unit(v) => {
                if self.last.fract() != 0.0 {
                    return false;
                }
                if self.last == 0.0 {
                    return self.current == 0.0 || v < self.current;
                }
                let tens_after_unit = self.after_connector
                    && self.last < 10.0
                    && (20.0..100.0).contains(&v)
                    && v % 10.0 == 0.0;
                let room = 10f64.powi(self.last.log10().floor() as i32);
                tens_after_unit || (self.last % 10.0 == 0.0 && v < room)
            }
        }
    }

    fn push(&mut self, part: Part) {
        if !matches!(part, Part::Connector) {
            self.small_scale = matches!(part, Part::Scale(s) if s < 1000.0);
        }
        match part {
            Part::Connector => {
                self.after_connector = true;
                return;
            }
            Part::Unit(v) => {
                self.current += v;
                self.last = v;
            }
            Part::Scale(s) if s >= 1000.0 => {
                self.total += Self::or_one(self.current) * s;
                self.current = 0.0;
                self.last = 0.0;
                self.last_big = Some(s);
                self.small_used = false;
            }
            Part::Scale(s) => {
                self.small_used = true;
                self.current = Self::or_one(self.current) * s;
                self.last = s;
            }
        }
        self.after_connector = false;
        self.any = true;
    }

    /// The multiplier in front of a scale: "hundred" alone is one hundred.
    fn or_one(current: f64) -> f64 {
        if current == 0.0 {
            1.0
        } else {
            current
        }
    }

    fn value(&self) -> f64 {
        self.total + self.current
    }
}
