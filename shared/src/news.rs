//! News: a Hacker-News-style community (seed: "Design Hacker News"). Its rules live here, with
//! their tests: how stories rank and why ([`ranking`]), what a submission may be and when it is
//! a duplicate ([`submission`]), how a thread is ordered ([`comments`]), who may vote how
//! ([`votes`]), and flags, vouches, kills and posting limits ([`moderation`]).

pub mod comments;
pub mod moderation;
pub mod ranking;
pub mod submission;
pub mod votes;

/// One hour, in the milliseconds every rule here counts in.
pub const HOUR_MS: i64 = 3_600_000;
/// One day.
pub const DAY_MS: i64 = 24 * HOUR_MS;
