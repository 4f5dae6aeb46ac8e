//! One KVP's value and whether it fired (`chatstats_core/engine/stats.py`), and the interval
//! arithmetic the families share: the (count, total, max) triple, the union of spans, coverage.

use crate::kvps::{Kvp, Triple};
use crate::timelines::Interval;

/// The union of spans as disjoint periods, by start: spans that overlap or touch make one.
pub fn union(spans: &[Interval]) -> Vec<Interval> {
    let mut sorted: Vec<Interval> = spans.to_vec();
    sorted.sort_by_key(|s| s.start_ms); // stable, as Python's sorted
    let mut periods: Vec<Interval> = Vec::new();
    for span in sorted {
        if let Some(last) = periods.last_mut() {
            if span.start_ms <= last.end_ms {
                if span.end_ms > last.end_ms {
                    last.end_ms = span.end_ms;
                    last.to_event = span.to_event;
                }
                continue;
            }
        }
        periods.push(Interval::new(
            span.start_ms,
            span.end_ms,
            span.from_event,
            span.to_event,
        ));
    }
    periods
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Value {
    Int(i64),
    Text(String),
}

pub struct Stat {
    pub key: Kvp,
    pub value: Value,
    pub fired: bool,
}

pub fn stat(key: Kvp, value: i64, fired: bool) -> Stat {
    Stat {
        key,
        value: Value::Int(value),
        fired,
    }
}

pub fn text_stat(key: Kvp, value: &str, fired: bool) -> Stat {
    Stat {
        key,
        value: Value::Text(value.to_string()),
        fired,
    }
}

/// Milliseconds to whole seconds, truncated (the seed's durations are whole seconds).
pub fn whole_seconds(ms: i64) -> i64 {
    ms.div_euclid(1000)
}

/// How much of [start, end] sorted, disjoint spans cover.
pub struct Coverage {
    starts: Vec<i64>,
    ends: Vec<i64>,
    prefix: Vec<i64>,
}

impl Coverage {
    pub fn new(spans: &[Interval]) -> Self {
        let mut prefix = vec![0];
        for span in spans {
            prefix.push(prefix[prefix.len() - 1] + span.end_ms - span.start_ms);
        }
        Coverage {
            starts: spans.iter().map(|s| s.start_ms).collect(),
            ends: spans.iter().map(|s| s.end_ms).collect(),
            prefix,
        }
    }

    pub fn overlap_ms(&self, start: i64, end: i64) -> i64 {
        let first = self.ends.partition_point(|&e| e <= start); // bisect_right
        let last = self.starts.partition_point(|&s| s < end); // bisect_left
        if first >= last {
            return 0;
        }
        let mut covered = self.prefix[last] - self.prefix[first];
        covered -= (start - self.starts[first]).max(0);
        covered -= (self.ends[last - 1] - end).max(0);
        covered
    }
}

/// An interval family's TotalCount, TotalTime and MaxTime; fired when any.
pub fn triple(keys: Triple, spans: &[Interval], stats: &mut Vec<Stat>) {
    let fired = !spans.is_empty();
    let (total, longest) = total_and_longest(spans);
    stats.push(stat(keys[0], spans.len() as i64, fired));
    stats.push(stat(keys[1], total, fired));
    stats.push(stat(keys[2], longest, fired));
}

/// The TotalTime and MaxTime of a triple, in whole seconds (0 and 0 with no span).
pub fn total_and_longest(spans: &[Interval]) -> (i64, i64) {
    let total: i64 = spans.iter().map(Interval::ms).sum();
    let longest = spans.iter().map(Interval::ms).max().unwrap_or(0);
    (whole_seconds(total), whole_seconds(longest))
}
