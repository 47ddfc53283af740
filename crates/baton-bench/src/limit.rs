//! The limit: serde_json parsing the file into minimal typed, borrowed
//! structs (only the fields the per-agent figures need) and summing per agent
//! on the fly, with no model, no diagnostics and no other figure.

use std::collections::{BTreeMap, HashMap};
use std::fmt;

use serde::de::{DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};

use crate::kpi::{percentile, Kpi};

#[derive(Deserialize, Default, Clone, Copy)]
struct Tok {
    #[serde(default)]
    input: u64,
    #[serde(default)]
    output: u64,
    #[serde(default)]
    cache_read: u64,
    #[serde(default)]
    cache_write: u64,
}

#[derive(Deserialize)]
struct Op<'a> {
    #[serde(borrow)]
    agent: &'a str,
    #[serde(borrow)]
    outcome: &'a str,
    #[serde(default)]
    duration: Option<f64>,
    #[serde(default)]
    tokens: Option<Tok>,
}

#[derive(Deserialize)]
struct Line<'a> {
    #[serde(borrow, rename = "type", default)]
    kind: Option<&'a str>,
    #[serde(borrow, default)]
    agent: Option<&'a str>,
    #[serde(borrow, default)]
    outcome: Option<&'a str>,
    #[serde(default)]
    duration: Option<f64>,
    #[serde(default)]
    tokens: Option<Tok>,
}

#[derive(Default)]
struct Acc {
    finished: u64,
    succeeded: u64,
    dur_sum: f64,
    durations: Vec<f64>,
    tokens_n: u64,
    tokens: u64,
}

type Map<'a> = HashMap<&'a str, Acc>;

fn add<'a>(map: &mut Map<'a>, agent: &'a str, outcome: &str, d: Option<f64>, t: Option<Tok>) {
    let a = map.entry(agent).or_default();
    if outcome != "running" {
        a.finished += 1;
        a.succeeded += u64::from(outcome == "success");
        if let Some(d) = d {
            a.dur_sum += d;
            a.durations.push(d);
        }
    }
    if let Some(t) = t {
        a.tokens_n += 1;
        a.tokens += t.input + t.output + t.cache_read + t.cache_write;
    }
}

struct Ops<'m, 'a>(&'m mut Map<'a>);

impl<'de, 'm> DeserializeSeed<'de> for Ops<'m, 'de> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de, 'm> Visitor<'de> for Ops<'m, 'de> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("operations")
    }
    fn visit_seq<S: SeqAccess<'de>>(self, mut s: S) -> Result<(), S::Error> {
        while let Some(op) = s.next_element::<Op<'de>>()? {
            add(self.0, op.agent, op.outcome, op.duration, op.tokens);
        }
        Ok(())
    }
}

struct Doc<'m, 'a>(&'m mut Map<'a>);

impl<'de, 'm> Visitor<'de> for Doc<'m, 'de> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a Baton document")
    }
    fn visit_map<M: MapAccess<'de>>(self, mut m: M) -> Result<(), M::Error> {
        while let Some(key) = m.next_key::<&'de str>()? {
            if key == "operations" {
                m.next_value_seed(Ops(&mut *self.0))?;
            } else {
                m.next_value::<IgnoredAny>()?;
            }
        }
        Ok(())
    }
}

fn finish(map: Map<'_>) -> BTreeMap<String, Kpi> {
    map.into_iter()
        .map(|(agent, mut a)| {
            let n = a.durations.len();
            let kpi = Kpi {
                count: a.finished,
                success_rate: (a.finished > 0).then(|| a.succeeded as f64 / a.finished as f64),
                avg_duration: (n > 0).then(|| a.dur_sum / n as f64),
                p95_duration: percentile(&mut a.durations, 0.95),
                tokens: (a.tokens_n > 0).then_some(a.tokens),
            };
            (agent.to_string(), kpi)
        })
        .collect()
}

/// Per-agent figures of a Baton document.
pub fn document(bytes: &[u8]) -> Result<BTreeMap<String, Kpi>, String> {
    let mut map = Map::new();
    let mut de = serde_json::Deserializer::from_slice(bytes);
    de.deserialize_map(Doc(&mut map))
        .map_err(|e| e.to_string())?;
    Ok(finish(map))
}

/// Per-agent figures of Baton NDJSON.
pub fn ndjson(bytes: &[u8]) -> Result<BTreeMap<String, Kpi>, String> {
    let mut map = Map::new();
    for line in bytes.split(|&b| b == b'\n') {
        if line.is_empty() {
            continue;
        }
        let l: Line = serde_json::from_slice(line).map_err(|e| e.to_string())?;
        if let (Some("operation"), Some(agent), Some(outcome)) = (l.kind, l.agent, l.outcome) {
            add(&mut map, agent, outcome, l.duration, l.tokens);
        }
    }
    Ok(finish(map))
}
