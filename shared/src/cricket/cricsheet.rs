//! Cricsheet's JSON match format (cricsheet.org/format/json, data versions 1.0.0 and 1.1.0): the
//! model every Cricket feature reads, parsed with the path of the first problem and written back
//! so that an export imports again to the same match.
//!
//! Fields the engine reads are typed; descriptive ones it only carries (officials, event, reviews,
//! replacements, powerplays) stay JSON values so nothing in them is lost on the way through.

use crate::error::{ApiError, ErrorCode};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;

/// One match: `meta`, `info` and the innings with their ball-by-ball deliveries.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Match {
    pub meta: Meta,
    pub info: Info,
    #[serde(default)]
    pub innings: Vec<Innings>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Meta {
    pub data_version: String,
    pub created: String,
    pub revision: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Info {
    pub balls_per_over: u8,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bowl_out: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
    pub dates: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event: Option<Value>,
    pub gender: String,
    pub match_type: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub match_type_number: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub missing: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub officials: Option<Value>,
    pub outcome: Outcome,
    /// Scheduled overs per innings for limited-overs matches; absent for Tests.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub overs: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub player_of_match: Option<Vec<String>>,
    /// Each team's players, by team name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub players: BTreeMap<String, Vec<String>>,
    #[serde(default, skip_serializing_if = "Registry::is_empty")]
    pub registry: Registry,
    /// A string such as "2021" or "2007/08" (some files give a bare number).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub season: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub supersubs: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team_type: Option<String>,
    pub teams: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub toss: Option<Toss>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub venue: Option<String>,
}

/// `registry.people`: each person's name in this file → their Cricsheet register id.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Registry {
    #[serde(default)]
    pub people: BTreeMap<String, String>,
}

impl Registry {
    fn is_empty(&self) -> bool {
        self.people.is_empty()
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Toss {
    pub decision: String,
    pub winner: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uncontested: Option<bool>,
}

/// How the match ended, as Cricsheet records it: a winner and a margin, or a `result` of
/// "draw", "tie" or "no result" (a tie decided by super overs or boundaries names the
/// `eliminator`), with the `method` (D/L, Awarded…) when one applied.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Outcome {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub winner: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<Margin>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub result: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub eliminator: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bowl_out: Option<String>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Margin {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub runs: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wickets: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub innings: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Innings {
    pub team: String,
    #[serde(default)]
    pub overs: Vec<Over>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub absent_hurt: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub penalty_runs: Option<PenaltyRuns>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub declared: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub forfeited: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub powerplays: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub miscounted_overs: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<Target>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub super_over: Option<bool>,
}

impl Innings {
    pub fn is_super_over(&self) -> bool {
        self.super_over == Some(true)
    }
    pub fn is_declared(&self) -> bool {
        self.declared == Some(true)
    }
    pub fn is_forfeited(&self) -> bool {
        self.forfeited == Some(true)
    }
    pub fn deliveries(&self) -> impl Iterator<Item = (u32, &Delivery)> {
        self.overs.iter().flat_map(|over| over.deliveries.iter().map(move |d| (over.over, d)))
    }
}

/// Penalty runs awarded outside any delivery: before the innings began or after it ended.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PenaltyRuns {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pre: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub post: Option<u32>,
}

/// The target of a chase, as given in the data (a DLS-revised one included): `overs` may be a
/// part-over such as 14.2.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Target {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub overs: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub runs: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Over {
    /// Zero-based: the first over is 0.
    pub over: u32,
    pub deliveries: Vec<Delivery>,
}

/// One ball, legal or not.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Delivery {
    pub batter: String,
    pub bowler: String,
    pub non_striker: String,
    pub runs: Runs,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extras: Option<Extras>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub wickets: Vec<Wicket>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Object>))]
    pub review: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Object>))]
    pub replacements: Option<Value>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Runs {
    pub batter: u32,
    pub extras: u32,
    pub total: u32,
    /// A four or six that was run, not hit to the boundary.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub non_boundary: Option<bool>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Extras {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wides: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub noballs: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub byes: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub legbyes: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub penalty: Option<u32>,
}

impl Extras {
    pub fn sum(&self) -> u32 {
        [self.wides, self.noballs, self.byes, self.legbyes, self.penalty].iter().flatten().sum()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Wicket {
    pub player_out: String,
    pub kind: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fielders: Vec<Fielder>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Fielder {
    /// Absent when the fielder is not known (an unnamed substitute).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub substitute: Option<bool>,
}

impl Delivery {
    pub fn extras(&self) -> Extras {
        self.extras.unwrap_or_default()
    }
    pub fn wides(&self) -> u32 {
        self.extras().wides.unwrap_or(0)
    }
    pub fn noballs(&self) -> u32 {
        self.extras().noballs.unwrap_or(0)
    }
    /// Wides and no-balls are not legal balls: they are bowled again.
    pub fn is_legal(&self) -> bool {
        let extras = self.extras();
        extras.wides.is_none() && extras.noballs.is_none()
    }
    /// The runs charged to the bowler: the batter's, wides and no-balls (not byes, leg byes or
    /// penalties).
    pub fn bowler_runs(&self) -> u32 {
        self.runs.batter + self.wides() + self.noballs()
    }
    /// A four or a six hit to the boundary.
    pub fn boundary(&self) -> Option<u32> {
        (matches!(self.runs.batter, 4 | 6) && self.runs.non_boundary != Some(true))
            .then_some(self.runs.batter)
    }
}

/// The dismissal kinds Cricsheet records.
pub const DISMISSAL_KINDS: [&str; 14] = [
    "bowled",
    "caught",
    "caught and bowled",
    "lbw",
    "stumped",
    "hit wicket",
    "run out",
    "obstructing the field",
    "handled the ball",
    "hit the ball twice",
    "timed out",
    "retired hurt",
    "retired out",
    "retired not out",
];

/// The largest file `import` takes.
pub const MAX_FILE_BYTES: usize = 5 * 1024 * 1024;

/// Reads a Cricsheet file as downloaded. Not JSON is 400; the wrong shape, or numbers that do not
/// add up, is 422 with `field` the path of the first problem
/// (`innings[1].overs[4].deliveries[2].runs.total`).
pub fn parse(bytes: &[u8]) -> Result<Match, ApiError> {
    check(crate::json::parse_object(bytes)?)
}

/// A match read from JSON, once its numbers and names are checked ([`validate`]): 422 naming
/// the first problem's path otherwise.
pub fn check(parsed: Match) -> Result<Match, ApiError> {
    validate(&parsed).map_err(|(field, reason)| ApiError {
        field: Some(field.clone()),
        ..ApiError::new(ErrorCode::ValidationFailed, format!("`{field}`: {reason}."))
    })?;
    Ok(parsed)
}

/// The rules a file's numbers and names must keep: the path of the first broken one, and why.
pub fn validate(m: &Match) -> Result<(), (String, String)> {
    let fail = |path: String, reason: String| Err((path, reason));
    if !m.meta.data_version.starts_with("1.") {
        return fail(
            "meta.data_version".into(),
            format!("data version {} is not one this reads (1.x)", m.meta.data_version),
        );
    }
    if !(1..=10).contains(&m.info.balls_per_over) {
        return fail("info.balls_per_over".into(), "must be between 1 and 10".into());
    }
    if m.info.teams.len() != 2
        || m.info.teams[0] == m.info.teams[1]
        || m.info.teams.iter().any(|t| t.trim().is_empty())
    {
        return fail("info.teams".into(), "must name two different teams".into());
    }
    if m.info.dates.is_empty() || m.info.dates.iter().any(|d| !is_date(d)) {
        return fail("info.dates".into(), "must list the days played as YYYY-MM-DD".into());
    }
    if m.info.overs.is_some_and(|o| o == 0 || o > 200) {
        return fail("info.overs".into(), "must be between 1 and 200".into());
    }
    let mut ids: Vec<&String> = m.info.registry.people.values().collect();
    ids.sort();
    if let Some(pair) = ids.windows(2).find(|w| w[0] == w[1]) {
        return fail("info.registry.people".into(), format!("two names have the id {}", pair[0]));
    }
    for team in m.info.players.keys() {
        if !m.info.teams.contains(team) {
            return fail(format!("info.players.{team}"), "is not one of info.teams".into());
        }
    }
    for (i, innings) in m.innings.iter().enumerate() {
        let at = format!("innings[{i}]");
        if !m.info.teams.contains(&innings.team) {
            return fail(format!("{at}.team"), format!("\"{}\" is not one of info.teams", innings.team));
        }
        let mut previous_over = None;
        for (o, over) in innings.overs.iter().enumerate() {
            let at = format!("{at}.overs[{o}]");
            if previous_over.is_some_and(|p| over.over <= p) {
                return fail(format!("{at}.over"), "overs must be numbered in increasing order".into());
            }
            previous_over = Some(over.over);
            if over.deliveries.is_empty() {
                return fail(format!("{at}.deliveries"), "an over has at least one delivery".into());
            }
            for (d, delivery) in over.deliveries.iter().enumerate() {
                validate_delivery(delivery)
                    .map_err(|(field, reason)| (format!("{at}.deliveries[{d}]{field}"), reason))?;
            }
        }
    }
    Ok(())
}

fn is_date(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter().enumerate().all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
}

/// Dismissals only the batter on strike can suffer.
fn striker_only(kind: &str) -> bool {
    matches!(
        kind,
        "bowled" | "caught" | "caught and bowled" | "lbw" | "stumped" | "hit wicket" | "hit the ball twice"
    )
}

/// More runs than any ball has ever been worth (seven off one, with penalties): a cap that also
/// keeps the sums below from overflowing.
const MOST_RUNS_OFF_A_BALL: u32 = 50;

/// One delivery's own consistency; the path returned is relative (".runs.total").
pub fn validate_delivery(d: &Delivery) -> Result<(), (String, String)> {
    let fail = |path: &str, reason: String| Err((path.to_owned(), reason));
    for (field, name) in [(".batter", &d.batter), (".bowler", &d.bowler), (".non_striker", &d.non_striker)] {
        if name.trim().is_empty() {
            return fail(field, "must name a player".into());
        }
    }
    if d.batter == d.non_striker {
        return fail(".non_striker", "is the batter on strike too".into());
    }
    let extras = d.extras();
    let parts = [
        (".runs.total", d.runs.total),
        (".runs.batter", d.runs.batter),
        (".runs.extras", d.runs.extras),
        (".extras.wides", extras.wides.unwrap_or(0)),
        (".extras.noballs", extras.noballs.unwrap_or(0)),
        (".extras.byes", extras.byes.unwrap_or(0)),
        (".extras.legbyes", extras.legbyes.unwrap_or(0)),
        (".extras.penalty", extras.penalty.unwrap_or(0)),
    ];
    if let Some((path, _)) = parts.iter().find(|(_, runs)| *runs > MOST_RUNS_OFF_A_BALL) {
        return fail(path, format!("no ball is worth more than {MOST_RUNS_OFF_A_BALL} runs"));
    }
    if extras.wides.is_some() && extras.noballs.is_some() {
        return fail(".extras", "a ball is a wide or a no-ball, not both".into());
    }
    if extras.wides.is_some() && d.runs.batter > 0 {
        return fail(".runs.batter", "nobody scores off a wide".into());
    }
    if extras.wides.is_some_and(|w| w == 0) || extras.noballs.is_some_and(|n| n == 0) {
        return fail(".extras", "a wide or no-ball is worth at least one run".into());
    }
    if d.runs.extras != extras.sum() {
        return fail(
            ".runs.extras",
            format!("is {} but the extras add up to {}", d.runs.extras, extras.sum()),
        );
    }
    if d.runs.total != d.runs.batter + d.runs.extras {
        return fail(
            ".runs.total",
            format!(
                "is {} but batter {} + extras {} make {}",
                d.runs.total,
                d.runs.batter,
                d.runs.extras,
                d.runs.batter + d.runs.extras
            ),
        );
    }
    if d.wickets.len() > 2 {
        return fail(".wickets", "no more than two wickets fall on one ball".into());
    }
    for (w, wicket) in d.wickets.iter().enumerate() {
        if !DISMISSAL_KINDS.contains(&wicket.kind.as_str()) {
            return fail(
                &format!(".wickets[{w}].kind"),
                format!("\"{}\" is not a dismissal Cricsheet knows", wicket.kind),
            );
        }
        if striker_only(&wicket.kind) && wicket.player_out != d.batter {
            return fail(
                &format!(".wickets[{w}].player_out"),
                format!("only the striker is out {}", wicket.kind),
            );
        }
        let at_crease = wicket.player_out == d.batter || wicket.player_out == d.non_striker;
        if !at_crease && wicket.kind != "timed out" {
            return fail(
                &format!(".wickets[{w}].player_out"),
                format!("{} is not at the crease", wicket.player_out),
            );
        }
    }
    Ok(())
}

/// Writes the match as Cricsheet JSON.
pub fn to_json(m: &Match) -> String {
    serde_json::to_string(m).expect("a match always serialises")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn minimal() -> serde_json::Value {
        serde_json::json!({
            "meta": {"data_version": "1.1.0", "created": "2026-12-05", "revision": 1},
            "info": {"balls_per_over": 6, "dates": ["2026-12-05"], "gender": "male", "match_type": "T20",
                     "outcome": {}, "overs": 20, "teams": ["A", "B"]},
            "innings": [{"team": "A", "overs": [{"over": 0, "deliveries": [
                {"batter": "a1", "bowler": "b1", "non_striker": "a2", "runs": {"batter": 1, "extras": 0, "total": 1}},
                {"batter": "a2", "bowler": "b1", "non_striker": "a1", "extras": {"wides": 1}, "runs": {"batter": 0, "extras": 1, "total": 1}}
            ]}]}]
        })
    }

    fn parse_value(v: &serde_json::Value) -> Result<Match, ApiError> {
        parse(v.to_string().as_bytes())
    }

    #[test]
    fn a_minimal_file_parses_and_round_trips() {
        let m = parse_value(&minimal()).unwrap();
        assert_eq!(m.innings[0].overs[0].deliveries.len(), 2);
        assert_eq!(parse(to_json(&m).as_bytes()).unwrap(), m);
    }

    #[test]
    fn a_wrong_type_names_its_path() {
        let mut v = minimal();
        v["innings"][0]["overs"][0]["deliveries"][1]["runs"]["total"] = "one".into();
        let err = parse_value(&v).unwrap_err();
        assert_eq!(err.status(), 422);
        assert_eq!(err.field.as_deref(), Some("innings[0].overs[0].deliveries[1].runs.total"));
    }

    #[test]
    fn totals_that_do_not_add_up_name_their_path() {
        let mut v = minimal();
        v["innings"][0]["overs"][0]["deliveries"][1]["runs"]["total"] = 3.into();
        let err = parse_value(&v).unwrap_err();
        assert_eq!(err.field.as_deref(), Some("innings[0].overs[0].deliveries[1].runs.total"));
        let mut v = minimal();
        v["innings"][0]["overs"][0]["deliveries"][1]["runs"]["extras"] = 2.into();
        assert_eq!(
            parse_value(&v).unwrap_err().field.as_deref(),
            Some("innings[0].overs[0].deliveries[1].runs.extras")
        );
    }

    #[test]
    fn names_and_kinds_are_checked() {
        let mut v = minimal();
        v["innings"][0]["team"] = "C".into();
        assert_eq!(parse_value(&v).unwrap_err().field.as_deref(), Some("innings[0].team"));
        let mut v = minimal();
        v["innings"][0]["overs"][0]["deliveries"][0]["wickets"] =
            serde_json::json!([{"player_out": "a1", "kind": "kidnapped"}]);
        assert_eq!(
            parse_value(&v).unwrap_err().field.as_deref(),
            Some("innings[0].overs[0].deliveries[0].wickets[0].kind")
        );
        let mut v = minimal();
        v["innings"][0]["overs"][0]["deliveries"][0]["wickets"] =
            serde_json::json!([{"player_out": "z9", "kind": "bowled"}]);
        assert_eq!(
            parse_value(&v).unwrap_err().field.as_deref(),
            Some("innings[0].overs[0].deliveries[0].wickets[0].player_out")
        );
        let mut v = minimal();
        v["meta"]["data_version"] = "0.92".into();
        assert_eq!(parse_value(&v).unwrap_err().field.as_deref(), Some("meta.data_version"));
        let mut v = minimal();
        v["info"]["dates"] = serde_json::json!(["TBC"]);
        assert_eq!(parse_value(&v).unwrap_err().field.as_deref(), Some("info.dates"));
        let mut v = minimal();
        v["info"]["registry"] = serde_json::json!({"people": {"a1": "x1", "a2": "x1"}});
        assert_eq!(parse_value(&v).unwrap_err().field.as_deref(), Some("info.registry.people"));
        let mut v = minimal();
        v["innings"][0]["overs"][0]["deliveries"][0]["runs"] =
            serde_json::json!({"batter": 4294967295u32, "extras": 1, "total": 0});
        v["innings"][0]["overs"][0]["deliveries"][0]["extras"] = serde_json::json!({"byes": 1});
        assert_eq!(
            parse_value(&v).unwrap_err().field.as_deref(),
            Some("innings[0].overs[0].deliveries[0].runs.batter")
        );
        assert_eq!(parse(b"{\"meta\":").unwrap_err().status(), 400);
    }
}
