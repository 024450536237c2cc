//! Event separation on facts: values that measure one thing but belong to different events
//! become different facts ("11 dead" of the 2019 quake, "38 dead" of this one; the meeting of
//! 10 March and the one of 18 September). A value's event is placed by the days its sentence
//! names besides it; a day value is placed by itself. Values whose events lie more than
//! [`EVENT_GAP_DAYS`] apart are different events; a value whose sentence names no day joins the
//! event nearest its article's publication date, or, when every dated event lies further than
//! that from it, an event of its own on that date.

use chrono::NaiveDate;

use crate::domain::{Article, DaySpan, ValueClass, ValueMention};

/// Days between two events' spans beyond which they are different events: a week, so that
/// "on Tuesday" against "on Wednesday" stays one event told two ways (a discrepancy), while
/// last year's quake or an earlier meeting separates.
pub const EVENT_GAP_DAYS: i64 = 7;

/// The days that place a value's event: its own day for a day value, else the days its
/// sentence names.
fn placed(value: &ValueMention, articles: &[Article]) -> Vec<DaySpan> {
    if value.class == ValueClass::Day {
        return crate::values::frames::day_span(&value.mention)
            .or_else(|| in_publication_year(value, articles))
            .into_iter()
            .collect();
    }
    value.event.days.clone()
}

/// A day and month without a year ("joi, 3 iulie", "am 18. März") placed in its article's
/// year of publication, so that days months apart are told apart as events.
fn in_publication_year(value: &ValueMention, articles: &[Article]) -> Option<DaySpan> {
    let crate::domain::Value::Date(d) = &value.mention.value else {
        return None;
    };
    let year = articles[value.article].date.as_ref()?.0.year;
    let day = NaiveDate::from_ymd_opt(year, d.month?, d.day?)?;
    Some(DaySpan {
        first: day,
        last: day,
    })
}

fn gap(a: &DaySpan, b: &DaySpan) -> i64 {
    if a.last < b.first {
        (b.first - a.last).num_days()
    } else if b.last < a.first {
        (a.first - b.last).num_days()
    } else {
        0
    }
}

/// An event: the spans of its dated values.
struct Event {
    spans: Vec<DaySpan>,
    members: Vec<usize>,
}

impl Event {
    fn near(&self, span: &DaySpan, within: i64) -> bool {
        self.spans.iter().any(|s| gap(s, span) <= within)
    }

    fn distance_to(&self, day: NaiveDate) -> i64 {
        let point = DaySpan {
            first: day,
            last: day,
        };
        self.spans
            .iter()
            .map(|s| gap(s, &point))
            .min()
            .unwrap_or(i64::MAX)
    }
}

/// The members of one cluster, split into one list per event (each in drop order).
pub fn split(values: &[ValueMention], cluster: &[usize], articles: &[Article]) -> Vec<Vec<usize>> {
    // A running total (a toll) is reported for weeks after its event: the days its sentences
    // name place the report, so its events lie further apart.
    let within = if cluster
        .iter()
        .all(|&v| crate::values::measures::cumulative(&values[v].measure))
    {
        crate::values::measures::concepts()
            .cumulative_gap_days
            .max(EVENT_GAP_DAYS)
    } else {
        EVENT_GAP_DAYS
    };
    let mut events: Vec<Event> = Vec::new();
    let mut undated = Vec::new();
    for &v in cluster {
        let spans = placed(&values[v], articles);
        if spans.is_empty() {
            undated.push(v);
            continue;
        }
        match events
            .iter_mut()
            .find(|e| spans.iter().any(|s| e.near(s, within)))
        {
            Some(event) => {
                event.spans.extend(spans);
                event.members.push(v);
            }
            None => events.push(Event {
                spans,
                members: vec![v],
            }),
        }
    }
    if events.is_empty() {
        return vec![cluster.to_vec()];
    }
    for v in undated {
        let publication = articles[values[v].article].publication_day();
        let home = match publication {
            Some(day) => {
                let nearest = (0..events.len())
                    .min_by_key(|&e| (events[e].distance_to(day), e))
                    .unwrap_or(0);
                if events[nearest].distance_to(day) > within {
                    // Every dated event lies far from this article's day (the 2019 quake's
                    // toll against today's): the value belongs to the article's own event.
                    events.push(Event {
                        spans: vec![DaySpan {
                            first: day,
                            last: day,
                        }],
                        members: Vec::new(),
                    });
                    events.len() - 1
                } else {
                    nearest
                }
            }
            None => (0..events.len())
                .max_by_key(|&e| (events[e].members.len(), std::cmp::Reverse(e)))
                .unwrap_or(0),
        };
        events[home].members.push(v);
    }
    events
        .into_iter()
        .map(|mut e| {
            e.members.sort_unstable();
            e.members
        })
        .collect()
}
