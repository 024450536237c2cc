//! Whether two values of one fact can both be true, in their context: the typed comparison of
//! [`crate::values::facts::agree`], and for clock times the zone they may be told in. Two
//! times of articles in different languages (or of different stated zones) that differ by a
//! whole number of hours give the same moment in two zones ("12:33" in Madrid, "11h30" in
//! Lisbon) as often as not, so they are compatible rather than a conflict; "16h00" against
//! "11:33" stays one.

use crate::domain::{Value, ValueMention};

/// Minutes off a whole hour that two times of different zones may be, by rounding.
pub const ZONE_ROUNDING_MINUTES: u32 = 5;

/// The most hours between two zones told in one story.
pub const MAX_ZONE_HOURS: u32 = 12;

/// The most hours between two times of articles in different languages, none of which names
/// its zone, that may still be one moment (neighbouring countries: Spain and Portugal).
pub const MAX_UNSTATED_ZONE_HOURS: u32 = 3;

/// Whether `x` and `y` can both be true: Some(true) or Some(false) when their values say,
/// None when they cannot be compared (an unanchored "yesterday" against a date).
pub fn agree(x: &ValueMention, y: &ValueMention) -> Option<bool> {
    let typed = crate::values::facts::agree(&x.mention, &y.mention);
    if typed == Some(false) && zone_shift(x, y) {
        return Some(true);
    }
    typed
}

/// Whether two clock times may be one moment told in two zones.
fn zone_shift(x: &ValueMention, y: &ValueMention) -> bool {
    let (Value::Time(a), Value::Time(b)) = (&x.mention.value, &y.mention.value) else {
        return false;
    };
    let stated = x.measure.holder.is_some() || y.measure.holder.is_some();
    let most = if stated && x.measure.holder != y.measure.holder {
        MAX_ZONE_HOURS
    } else if x.language != y.language {
        MAX_UNSTATED_ZONE_HOURS
    } else {
        return false;
    };
    let diff = a.abs_diff(*b) % (24 * 60);
    let diff = diff.min(24 * 60 - diff);
    let off = diff % 60;
    let hours = (diff + 30) / 60;
    (1..=most).contains(&hours)
        && (off <= ZONE_ROUNDING_MINUTES || off >= 60 - ZONE_ROUNDING_MINUTES)
}
