//! The wire types of Baton's canonical format: what the files hold, apart
//! from the in-memory model. Names are strings, times RFC 3339 text,
//! durations seconds, rates fractions 0..1, money USD. Optional fields are
//! left out when there is no data. Strings borrow from the input when they
//! have no escapes.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

use schemars::gen::SchemaGenerator;
use schemars::schema::{InstanceType, Schema, SchemaObject};
use schemars::JsonSchema;
use serde::de::{self, Deserializer, Visitor};
use serde::ser::{SerializeMap, Serializer};
use serde::{Deserialize, Serialize};

use crate::import::common::RawTime;

/// Text, borrowed from the input when it has no escapes.
#[derive(Debug, Clone, PartialEq)]
pub struct Text<'a>(pub Cow<'a, str>);

impl Text<'_> {
    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl<'a> From<&'a str> for Text<'a> {
    fn from(s: &'a str) -> Self {
        Text(Cow::Borrowed(s))
    }
}

impl Serialize for Text<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Text<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V<'a>(PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for V<'a> {
            type Value = Text<'a>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(Text(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(Text(Cow::Owned(v.to_string())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
                Ok(Text(Cow::Owned(v)))
            }
        }
        deserializer.deserialize_str(V(PhantomData))
    }
}

impl JsonSchema for Text<'_> {
    fn is_referenceable() -> bool {
        false
    }
    fn schema_name() -> String {
        "String".to_string()
    }
    fn json_schema(gen: &mut SchemaGenerator) -> Schema {
        String::json_schema(gen)
    }
}

/// A point in time: RFC 3339 text (written with a `Z` suffix). Readers also
/// accept epoch seconds or milliseconds and zone-less text (read as UTC).
#[derive(Debug, Clone, PartialEq)]
pub struct Time<'a>(pub RawTime<'a>);

impl Serialize for Time<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match &self.0 {
            RawTime::Text(t) => s.serialize_str(t),
            RawTime::Number(n) => s.serialize_f64(*n),
        }
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Time<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        RawTime::deserialize(deserializer).map(Time)
    }
}

impl JsonSchema for Time<'_> {
    fn is_referenceable() -> bool {
        false
    }
    fn schema_name() -> String {
        "DateTime".to_string()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        SchemaObject {
            instance_type: Some(InstanceType::String.into()),
            format: Some("date-time".to_string()),
            ..Default::default()
        }
        .into()
    }
}

/// A JSON object kept in file order: name → value.
#[derive(Debug, Clone, PartialEq)]
pub struct Pairs<'a, V>(pub Vec<(Text<'a>, V)>);

impl<V> Default for Pairs<'_, V> {
    fn default() -> Self {
        Pairs(Vec::new())
    }
}

impl<V> Pairs<'_, V> {
    /// True when there is no entry.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl<V: Serialize> Serialize for Pairs<'_, V> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

impl<'de: 'a, 'a, V: Deserialize<'de>> Deserialize<'de> for Pairs<'a, V> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Vis<'a, V>(PhantomData<(&'a (), V)>);
        impl<'de: 'a, 'a, V: Deserialize<'de>> Visitor<'de> for Vis<'a, V> {
            type Value = Pairs<'a, V>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut out = Vec::new();
                while let Some(entry) = map.next_entry::<Text<'a>, V>()? {
                    out.push(entry);
                }
                Ok(Pairs(out))
            }
        }
        deserializer.deserialize_map(Vis(PhantomData))
    }
}

impl<V: JsonSchema> JsonSchema for Pairs<'_, V> {
    fn is_referenceable() -> bool {
        false
    }
    fn schema_name() -> String {
        format!("Map_of_{}", V::schema_name())
    }
    fn json_schema(gen: &mut SchemaGenerator) -> Schema {
        BTreeMap::<String, V>::json_schema(gen)
    }
}

/// The schema of the `format` field: the constant `baton`.
fn baton_const(_: &mut SchemaGenerator) -> Schema {
    SchemaObject {
        instance_type: Some(InstanceType::String.into()),
        const_value: Some(serde_json::Value::String("baton".to_string())),
        ..Default::default()
    }
    .into()
}

/// How a unit of work ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[schemars(rename = "Outcome")]
pub enum WireOutcome {
    /// Finished and succeeded.
    Success,
    /// Finished and failed.
    Failure,
    /// Not finished.
    Running,
}

/// Token counts by category. `input` excludes tokens read from the cache.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(rename = "Tokens")]
pub struct WireTokens {
    /// Fresh prompt tokens.
    #[serde(default)]
    pub input: u64,
    /// Completion tokens.
    #[serde(default)]
    pub output: u64,
    /// Prompt tokens served from the provider's cache.
    #[serde(default)]
    pub cache_read: u64,
    /// Prompt tokens written to the provider's cache.
    #[serde(default)]
    pub cache_write: u64,
}

/// An LLM configuration.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(rename = "LlmConfig")]
pub struct WireLlm<'a> {
    /// Provider, for instance `deepseek`.
    #[serde(borrow, default, skip_serializing_if = "Option::is_none")]
    pub provider: Option<Text<'a>>,
    /// Model name.
    #[serde(borrow, default, skip_serializing_if = "Option::is_none")]
    pub model: Option<Text<'a>>,
    /// Sampling temperature.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub temperature: Option<f64>,
}

/// A run or session: one orchestration.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(rename = "Session")]
pub struct WireSession<'a> {
    /// Unique id.
    #[serde(borrow)]
    pub id: Text<'a>,
    /// Start time.
    #[serde(borrow, default, skip_serializing_if = "Option::is_none")]
    pub start: Option<Time<'a>>,
    /// End time.
    #[serde(borrow, default, skip_serializing_if = "Option::is_none")]
    pub end: Option<Time<'a>>,
    /// Wall-clock duration in seconds, when recorded apart from start and end.
    #[schemars(range(min = 0))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration: Option<f64>,
    /// How it ended.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome: Option<WireOutcome>,
    /// The status word as the orchestrator recorded it.
    #[serde(borrow, default, skip_serializing_if = "Option::is_none")]
    pub status: Option<Text<'a>>,
    /// Operating mode (manual, supervised, autonomous ...).
    #[serde(borrow, default, skip_serializing_if = "Option::is_none")]
    pub mode: Option<Text<'a>>,
    /// LLM configuration.
    #[serde(borrow, default, skip_serializing_if = "Option::is_none")]
    pub llm: Option<WireLlm<'a>>,
    /// What the orchestration did.
    #[serde(borrow, default, skip_serializing_if = "Option::is_none")]
    pub description: Option<Text<'a>>,
    /// Project it belongs to.
    #[serde(borrow, default, skip_serializing_if = "Option::is_none")]
    pub project: Option<Text<'a>>,
    /// Tasks planned.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tasks_total: Option<u64>,
    /// Tasks completed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tasks_completed: Option<u64>,
    /// Tasks failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tasks_failed: Option<u64>,
    /// Git commit worked on.
    #[serde(borrow, default, skip_serializing_if = "Option::is_none")]
    pub commit: Option<Text<'a>>,
    /// Current phase, for running sessions.
    #[serde(borrow, default, skip_serializing_if = "Option::is_none")]
    pub current_phase: Option<Text<'a>>,
    /// Progress 0..1, for running sessions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub progress: Option<f64>,
}

/// One unit of agent work: an operation, phase, agent execution, task,
/// agent attempt, LLM call or span.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(rename = "Operation")]
pub struct WireOperation<'a> {
    /// Unique id; a second record with the same id is merged into the first.
    #[serde(borrow)]
    pub id: Text<'a>,
    /// Session it belongs to.
    #[serde(borrow, default, skip_serializing_if = "Option::is_none")]
    pub session: Option<Text<'a>>,
    /// Parent operation (span tree).
    #[serde(borrow, default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<Text<'a>>,
    /// Operation type, phase name or task pattern.
    #[serde(borrow)]
    pub kind: Text<'a>,
    /// Agent that did it.
    #[serde(borrow)]
    pub agent: Text<'a>,
    /// Model used.
    #[serde(borrow, default, skip_serializing_if = "Option::is_none")]
    pub model: Option<Text<'a>>,
    /// Work item (issue, request) it belongs to.
    #[serde(borrow, default, skip_serializing_if = "Option::is_none")]
    pub work_item: Option<Text<'a>>,
    /// Start time.
    #[serde(borrow, default, skip_serializing_if = "Option::is_none")]
    pub start: Option<Time<'a>>,
    /// End time (not before the start).
    #[serde(borrow, default, skip_serializing_if = "Option::is_none")]
    pub end: Option<Time<'a>>,
    /// Duration in seconds (finite, not negative).
    #[schemars(range(min = 0))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration: Option<f64>,
    /// How it ended.
    pub outcome: WireOutcome,
    /// Retries before the final attempt.
    #[serde(default)]
    pub retries: u32,
    /// Error class, for failures.
    #[serde(borrow, default, skip_serializing_if = "Option::is_none")]
    pub error_type: Option<Text<'a>>,
    /// Error text, for failures.
    #[serde(borrow, default, skip_serializing_if = "Option::is_none")]
    pub error_message: Option<Text<'a>>,
    /// Tokens by category.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tokens: Option<WireTokens>,
    /// Tokens recorded only as a total, with no split by category.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tokens_uncategorized: Option<u64>,
    /// Recorded cost in USD.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cost: Option<f64>,
    /// Whether a cache served it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cache_hit: Option<bool>,
    /// Files created.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub files_created: Option<u32>,
    /// Files modified.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub files_modified: Option<u32>,
    /// Output quality score 0..100.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quality_score: Option<f64>,
    /// Integration conflicts detected.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conflicts: Option<u32>,
    /// Whether self-healing happened.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub self_healed: Option<bool>,
}

/// An issue or request processed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(rename = "WorkItem")]
pub struct WireWorkItem<'a> {
    /// Unique id.
    #[serde(borrow)]
    pub id: Text<'a>,
    /// Session it belongs to.
    #[serde(borrow, default, skip_serializing_if = "Option::is_none")]
    pub session: Option<Text<'a>>,
    /// How it ended.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome: Option<WireOutcome>,
    /// Status word as recorded.
    #[serde(borrow, default, skip_serializing_if = "Option::is_none")]
    pub status: Option<Text<'a>>,
    /// When it started.
    #[serde(borrow, default, skip_serializing_if = "Option::is_none")]
    pub start: Option<Time<'a>>,
    /// Duration in seconds.
    #[schemars(range(min = 0))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration: Option<f64>,
    /// Pull requests merged for it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prs_merged: Option<u32>,
    /// Errors met while processing it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub errors: Option<u32>,
}

/// One CI pipeline run for a work item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(rename = "PipelineAttempt")]
pub struct WirePipeline<'a> {
    /// Pipeline id.
    #[serde(borrow)]
    pub id: Text<'a>,
    /// Work item it ran for.
    #[serde(borrow, default, skip_serializing_if = "Option::is_none")]
    pub work_item: Option<Text<'a>>,
    /// Position among the work item's attempts (0 = first).
    #[serde(default)]
    pub sequence: u32,
    /// How it ended.
    pub outcome: WireOutcome,
    /// Commit tested.
    #[serde(borrow, default, skip_serializing_if = "Option::is_none")]
    pub commit: Option<Text<'a>>,
    /// When it ran.
    #[serde(borrow, default, skip_serializing_if = "Option::is_none")]
    pub time: Option<Time<'a>>,
}

/// An agent reworking code until an error is fixed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(rename = "DebuggingCycle")]
pub struct WireDebugging<'a> {
    /// Work item it belongs to.
    #[serde(borrow, default, skip_serializing_if = "Option::is_none")]
    pub work_item: Option<Text<'a>>,
    /// Agent doing the fixing.
    #[serde(borrow)]
    pub agent: Text<'a>,
    /// Error class being fixed.
    #[serde(borrow, default, skip_serializing_if = "Option::is_none")]
    pub error_type: Option<Text<'a>>,
    /// Error text.
    #[serde(borrow, default, skip_serializing_if = "Option::is_none")]
    pub error_message: Option<Text<'a>>,
    /// Fix attempts.
    #[serde(default)]
    pub attempts: u32,
    /// Whether it was resolved.
    #[serde(default)]
    pub resolved: bool,
    /// Duration in seconds.
    #[schemars(range(min = 0))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration: Option<f64>,
    /// When it ran.
    #[serde(borrow, default, skip_serializing_if = "Option::is_none")]
    pub time: Option<Time<'a>>,
}

/// Who messaged whom, how often.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(rename = "MessageEdge")]
pub struct WireEdge<'a> {
    /// Sender agent.
    #[serde(borrow)]
    pub from: Text<'a>,
    /// Receiver agent.
    #[serde(borrow)]
    pub to: Text<'a>,
    /// Messages.
    pub count: u64,
}

/// Message statistics of a session.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(rename = "Communication")]
pub struct WireCommunication<'a> {
    /// Session they belong to.
    #[serde(borrow, default, skip_serializing_if = "Option::is_none")]
    pub session: Option<Text<'a>>,
    /// Messages in total.
    #[serde(default)]
    pub total_messages: u64,
    /// Messages by type.
    #[serde(borrow, default, skip_serializing_if = "Pairs::is_empty")]
    pub messages_by_type: Pairs<'a, u64>,
    /// Messages sent by each agent.
    #[serde(borrow, default, skip_serializing_if = "Pairs::is_empty")]
    pub messages_by_agent: Pairs<'a, u64>,
    /// Who messaged whom.
    #[serde(borrow, default, skip_serializing_if = "Vec::is_empty")]
    pub edges: Vec<WireEdge<'a>>,
    /// Mean response time in seconds.
    #[schemars(range(min = 0))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub average_response_time: Option<f64>,
    /// Communication efficiency as recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub efficiency: Option<f64>,
    /// When, for period filtering.
    #[serde(borrow, default, skip_serializing_if = "Option::is_none")]
    pub time: Option<Time<'a>>,
}

/// A per-agent profile recorded already aggregated. Rates 0..1, scores 0..100.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(rename = "AgentProfile")]
pub struct WireAgentProfile<'a> {
    /// Agent.
    #[serde(borrow, default, skip_serializing_if = "Option::is_none")]
    pub agent: Option<Text<'a>>,
    /// Task type the profile covers.
    #[serde(borrow, default, skip_serializing_if = "Option::is_none")]
    pub task_type: Option<Text<'a>>,
    /// Completion rate 0..1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub completion_rate: Option<f64>,
    /// Mean task duration in seconds.
    #[schemars(range(min = 0))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub average_task_duration: Option<f64>,
    /// Quality score 0..100.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quality_score: Option<f64>,
    /// Error rate 0..1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_rate: Option<f64>,
    /// Retry rate 0..1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_rate: Option<f64>,
    /// Messages sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub messages_sent: Option<u64>,
    /// Messages received.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub messages_received: Option<u64>,
    /// Mean response time in seconds.
    #[schemars(range(min = 0))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response_time: Option<f64>,
    /// Collaboration score 0..1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collaboration_score: Option<f64>,
    /// Files created.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub files_created: Option<u64>,
    /// Code quality score 0..100.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code_quality_score: Option<f64>,
    /// Test coverage 0..1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub test_coverage: Option<f64>,
    /// Security score 0..100.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub security_score: Option<f64>,
    /// Security issues found.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub security_issues: Option<u64>,
    /// When the profile was taken.
    #[serde(borrow, default, skip_serializing_if = "Option::is_none")]
    pub time: Option<Time<'a>>,
}

/// One agent's results on a task pattern.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(rename = "PatternAgent")]
pub struct WirePatternAgent<'a> {
    /// Agent.
    #[serde(borrow, default, skip_serializing_if = "Option::is_none")]
    pub agent: Option<Text<'a>>,
    /// Success rate 0..1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub success_rate: Option<f64>,
    /// Mean duration in seconds.
    #[schemars(range(min = 0))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub average_duration: Option<f64>,
    /// Quality consistency as recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quality_consistency: Option<f64>,
}

/// A task pattern recorded already aggregated.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(rename = "PatternProfile")]
pub struct WirePattern<'a> {
    /// Pattern id.
    #[serde(borrow)]
    pub id: Text<'a>,
    /// Pattern name.
    #[serde(borrow)]
    pub name: Text<'a>,
    /// Executions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total_executions: Option<u64>,
    /// Success rate 0..1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub success_rate: Option<f64>,
    /// Mean duration in seconds.
    #[schemars(range(min = 0))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub average_duration: Option<f64>,
    /// Where it usually fails.
    #[serde(borrow, default, skip_serializing_if = "Vec::is_empty")]
    pub common_failure_points: Vec<Text<'a>>,
    /// Known bottlenecks.
    #[serde(borrow, default, skip_serializing_if = "Vec::is_empty")]
    pub bottlenecks: Vec<Text<'a>>,
    /// Optimization opportunities.
    #[serde(borrow, default, skip_serializing_if = "Vec::is_empty")]
    pub optimization_opportunities: Vec<Text<'a>>,
    /// Efficiency improvements.
    #[serde(borrow, default, skip_serializing_if = "Vec::is_empty")]
    pub efficiency_improvements: Vec<Text<'a>>,
    /// Per-agent results.
    #[serde(borrow, default, skip_serializing_if = "Vec::is_empty")]
    pub agents: Vec<WirePatternAgent<'a>>,
}

/// What a pre-aggregated figure covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[schemars(rename = "AggregateScope")]
pub enum WireScope {
    /// Everything the source saw.
    Overall,
    /// One operation kind (named by `name`).
    Kind,
    /// One agent (named by `name`).
    Agent,
    /// One session (named by `name`).
    Session,
    /// One model (named by `name`).
    Model,
    /// One error type (named by `name`); `count` is its occurrences.
    ErrorType,
}

/// Figures recorded already aggregated: shown as such, never added to
/// counts from raw records of the same period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(rename = "Aggregate")]
pub struct WireAggregate<'a> {
    /// What it covers.
    pub scope: WireScope,
    /// The kind, agent, session or model covered (not for `overall`).
    #[serde(borrow, default, skip_serializing_if = "Option::is_none")]
    pub name: Option<Text<'a>>,
    /// Which document produced it (for instance `daily_report`).
    #[serde(borrow)]
    pub origin: Text<'a>,
    /// Start of the period covered.
    #[serde(borrow, default, skip_serializing_if = "Option::is_none")]
    pub period_start: Option<Time<'a>>,
    /// End of the period covered.
    #[serde(borrow, default, skip_serializing_if = "Option::is_none")]
    pub period_end: Option<Time<'a>>,
    /// Length of the period in days.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub period_days: Option<f64>,
    /// Operations or tasks counted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count: Option<u64>,
    /// Of which succeeded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub success_count: Option<u64>,
    /// Success rate 0..1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub success_rate: Option<f64>,
    /// Error rate 0..1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_rate: Option<f64>,
    /// Mean duration in seconds.
    #[schemars(range(min = 0))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub avg_duration: Option<f64>,
    /// Cache hit rate 0..1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cache_hit_rate: Option<f64>,
    /// Total cost in USD.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total_cost: Option<f64>,
    /// Mean cost per operation in USD.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub avg_cost_per_operation: Option<f64>,
    /// Total tokens.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total_tokens: Option<u64>,
    /// Tokens by category.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tokens: Option<WireTokens>,
    /// Sessions counted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sessions: Option<u64>,
    /// Other named figures, kept for display (for instance `success_rate_change`).
    #[serde(borrow, default, skip_serializing_if = "Pairs::is_empty")]
    pub extra: Pairs<'a, Text<'a>>,
}

/// A Baton canonical document: every record kind in its own list. The same
/// records may be written as NDJSON, one per line with a `type` tag.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(rename = "BatonDocument")]
pub struct WireDocument<'a> {
    /// Always `baton`.
    #[serde(borrow)]
    #[schemars(schema_with = "baton_const")]
    pub format: Text<'a>,
    /// Format version: 1.
    #[schemars(range(min = 1, max = 1))]
    pub version: u64,
    /// Runs and sessions.
    #[serde(borrow, default, skip_serializing_if = "Vec::is_empty")]
    pub sessions: Vec<WireSession<'a>>,
    /// Units of agent work.
    #[serde(borrow, default, skip_serializing_if = "Vec::is_empty")]
    pub operations: Vec<WireOperation<'a>>,
    /// Issues and requests processed.
    #[serde(borrow, default, skip_serializing_if = "Vec::is_empty")]
    pub work_items: Vec<WireWorkItem<'a>>,
    /// CI pipeline attempts.
    #[serde(borrow, default, skip_serializing_if = "Vec::is_empty")]
    pub pipelines: Vec<WirePipeline<'a>>,
    /// Debugging cycles.
    #[serde(borrow, default, skip_serializing_if = "Vec::is_empty")]
    pub debugging: Vec<WireDebugging<'a>>,
    /// Communication statistics.
    #[serde(borrow, default, skip_serializing_if = "Vec::is_empty")]
    pub communication: Vec<WireCommunication<'a>>,
    /// Pre-aggregated agent profiles.
    #[serde(borrow, default, skip_serializing_if = "Vec::is_empty")]
    pub agent_profiles: Vec<WireAgentProfile<'a>>,
    /// Pre-aggregated task patterns.
    #[serde(borrow, default, skip_serializing_if = "Vec::is_empty")]
    pub patterns: Vec<WirePattern<'a>>,
    /// Pre-aggregated figures.
    #[serde(borrow, default, skip_serializing_if = "Vec::is_empty")]
    pub aggregates: Vec<WireAggregate<'a>>,
}
