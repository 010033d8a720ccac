//! What the demo account finds in Chat (`make dev`): three friends who are its contacts, a
//! conversation with one of them and a group with all three, written over the last two days
//! with replies and reactions, the newest group messages still unread.

use crate::demo::DAY_MS;

/// A demo friend: a real account nobody signs in to (its password is random).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Friend {
    pub id: &'static str,
    pub username: &'static str,
    pub display_name: &'static str,
}

pub const FRIENDS: [Friend; 3] = [
    Friend { id: "01M8MZ2A00000000000000CH01", username: "asha", display_name: "Asha Rao" },
    Friend { id: "01M8MZ2A00000000000000CH02", username: "ben", display_name: "Ben Okafor" },
    Friend { id: "01M8MZ2A00000000000000CH03", username: "chen", display_name: "Chen Wei" },
];

/// Who says a line: the demo account, or a friend (by index in [`FRIENDS`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Who {
    Demo,
    Friend(usize),
}

/// One message: who, what, how long ago (minutes), and the seq it answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Line {
    pub who: Who,
    pub text: &'static str,
    pub minutes_ago: i64,
    pub reply_to: Option<u64>,
}

const fn line(who: Who, minutes_ago: i64, text: &'static str) -> Line {
    Line { who, text, minutes_ago, reply_to: None }
}

const fn reply(who: Who, minutes_ago: i64, reply_to: u64, text: &'static str) -> Line {
    Line { who, text, minutes_ago, reply_to: Some(reply_to) }
}

const ASHA: Who = Who::Friend(0);
const BEN: Who = Who::Friend(1);
const CHEN: Who = Who::Friend(2);
const ME: Who = Who::Demo;

/// The conversation with Asha.
pub const DIRECT: &[Line] = &[
    line(ASHA, 1_700, "Are you still up for the book club on Thursday?"),
    line(ME, 1_690, "Yes! I'm halfway through, no spoilers please 😄"),
    line(ASHA, 1_688, "Promise. Bring the snacks this time?"),
    line(ME, 1_685, "Deal. Samosas from the corner shop?"),
    reply(ASHA, 1_680, 4, "Perfect, the spicy ones"),
    line(ASHA, 95, "Running 10 min late, save me a seat"),
    line(ME, 90, "Saved. Tea's on the table ☕"),
];

pub const GROUP_TITLE: &str = "Weekend trek";

/// The group's id, fixed: a seeding that failed halfway and runs again finds it rather than
/// making a second one.
pub const GROUP_ID: &str = "01M8MZ2A00000000000000CHG1";

/// The group with all three friends (the demo account made it).
pub const GROUP: &[Line] = &[
    line(ME, 2_800, "Trek on Saturday? Forecast says clear skies"),
    line(BEN, 2_790, "I'm in. Which trail?"),
    line(CHEN, 2_785, "The ridge loop, 14 km, we did half of it last year"),
    reply(ASHA, 2_770, 3, "The one with the waterfall? Count me in"),
    line(ME, 2_760, "Meet at the station at 6:30, first train is 6:45"),
    line(BEN, 1_200, "I'll bring the first aid kit and a stove"),
    line(CHEN, 1_150, "Tarpaulin and ropes on me"),
    line(ASHA, 300, "Do we need permits for the ridge?"),
    reply(CHEN, 280, 8, "No, only for camping overnight"),
    line(BEN, 25, "Rain gear anyway? The hills make their own weather"),
    line(CHEN, 12, "Yes, and an extra pair of socks 🧦"),
];

/// How many of the group's newest messages the demo account has not read.
pub const GROUP_UNREAD: u64 = 2;

/// Reactions: in which conversation (false: direct, true: group), on which seq, by whom, what.
pub const REACTIONS: &[(bool, u64, Who, &str)] = &[
    (false, 4, ASHA, "😋"),
    (true, 1, BEN, "👍"),
    (true, 1, CHEN, "👍"),
    (true, 5, ASHA, "🙏"),
    (true, 7, ME, "❤️"),
];

/// When a line was sent.
pub fn sent_at(line: &Line, now_ms: i64) -> i64 {
    now_ms - line.minutes_ago * 60_000
}

/// The demo account and its friends are two days into this.
pub const SPAN_MS: i64 = 2 * DAY_MS;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_conversation_is_in_time_order_and_replies_answer_what_came_before() {
        for lines in [DIRECT, GROUP] {
            for (i, pair) in lines.windows(2).enumerate() {
                assert!(
                    pair[0].minutes_ago > pair[1].minutes_ago,
                    "line {} comes after line {}",
                    i + 2,
                    i + 1
                );
            }
            for (i, line) in lines.iter().enumerate() {
                if let Some(to) = line.reply_to {
                    assert!(to >= 1 && to <= i as u64, "line {} answers a message before it", i + 1);
                }
                assert!(crate::chat::message::body(line.text).is_ok());
                assert!(line.minutes_ago * 60_000 < SPAN_MS);
            }
        }
        assert!(GROUP_UNREAD < GROUP.len() as u64);
        for (group, seq, _, emoji) in REACTIONS {
            let lines = if *group { GROUP } else { DIRECT };
            assert!(*seq >= 1 && *seq <= lines.len() as u64);
            assert!(crate::chat::message::reaction(emoji).is_ok(), "{emoji}");
        }
    }

    #[test]
    fn friends_have_valid_ids_and_usernames() {
        for friend in FRIENDS {
            assert!(ulid::Ulid::from_string(friend.id).is_ok(), "{}", friend.id);
            assert!(crate::auth::validation::normalize_username(friend.username).is_ok());
        }
        assert!(ulid::Ulid::from_string(GROUP_ID).is_ok());
    }
}
