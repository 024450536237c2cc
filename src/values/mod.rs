//! Typed values: the numbers, dates, weekdays, times and durations of every claim, read by
//! crosscheck itself ([`facts`]), the people a drop names ([`participants`]) and the frame of
//! each value, what it is compared as and the words around it ([`frames`]), and what each
//! value counts or measures ([`measures`]). In: sentences and
//! claims. Out: typed mentions and value mentions with their frames.

pub mod facts;
pub mod frames;
pub mod measures;
pub mod participants;
