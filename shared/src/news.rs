//! News: a Hacker-News-style community (seed: "Design Hacker News"). Its rules live here, with
//! their tests: how stories rank and why ([`ranking`]), what a submission may be and when it is
//! a duplicate ([`submission`]), how a thread is ordered ([`comments`]), who may vote how
//! ([`votes`]), flags, vouches, kills and posting limits ([`moderation`]), how text is shown
//! ([`format`]), and the wire types of `/api/news` and HN's `/v0` ([`wire`]).

pub mod comments;
pub mod demo;
pub mod format;
pub mod moderation;
pub mod ranking;
pub mod submission;
pub mod votes;
pub mod wire;

/// One hour, in the milliseconds every rule here counts in.
pub const HOUR_MS: i64 = 3_600_000;
/// One day.
pub const DAY_MS: i64 = 24 * HOUR_MS;
