//! A live match's talk: its chat (short messages, a rate limit, moderators who remove messages and
//! mute people) and its polls (who wins, how the next wicket falls, or the moderator's own
//! question), one vote per person with results that only grow.

use crate::error::ApiError;
use serde::{Deserialize, Serialize};

/// The longest chat message, in characters.
pub const MAX_MESSAGE_CHARS: usize = 280;
/// Chat messages one person may send to one match per window.
pub const MESSAGES_PER_WINDOW: u32 = 5;
pub const MESSAGE_WINDOW_SECS: i64 = 15;
/// Messages a page of chat holds.
pub const CHAT_PAGE: u32 = 50;
/// The longest mute, in minutes (a day).
pub const MAX_MUTE_MINUTES: u32 = 1_440;
/// Polls open at once in one match.
pub const MAX_OPEN_POLLS: u32 = 3;
pub const MAX_QUESTION_CHARS: usize = 140;
pub const MAX_OPTION_CHARS: usize = 60;
pub const MAX_OPTIONS: usize = 6;

/// How the next wicket falls: the options of that poll.
pub const WICKET_METHODS: [&str; 5] = ["Caught", "Bowled", "LBW", "Run out", "Another way"];

/// One chat message as everyone sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChatMessage {
    /// Sortable: newer messages have greater ids.
    pub id: String,
    pub username: String,
    pub body: String,
    /// Unix ms.
    pub sent_at: i64,
    /// The author is one of the match's scorers (who moderate its chat).
    pub moderator: bool,
}

/// A page of chat, oldest first; `next_before` asks for the page before it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChatPage {
    pub messages: Vec<ChatMessage>,
    pub next_before: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewChatMessage {
    pub body: String,
}

/// A moderator keeps someone out of the chat for a while.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewMute {
    pub username: String,
    /// 1 to 1,440.
    pub minutes: u32,
}

/// The message as stored: trimmed, one line of up to `MAX_MESSAGE_CHARS`, or 422.
pub fn clean_message(body: &str) -> Result<String, ApiError> {
    let text: String = body.trim().chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    let text = text.split(' ').filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" ");
    if text.is_empty() {
        return Err(ApiError::invalid("body", "Write something."));
    }
    let count = text.chars().count();
    if count > MAX_MESSAGE_CHARS {
        return Err(ApiError::invalid(
            "body",
            format!("A message is at most {MAX_MESSAGE_CHARS} characters; this one is {count}."),
        ));
    }
    Ok(text)
}

impl NewMute {
    pub fn checked(self) -> Result<Self, ApiError> {
        if !(1..=MAX_MUTE_MINUTES).contains(&self.minutes) {
            return Err(ApiError::invalid(
                "minutes",
                format!("A mute lasts 1 to {MAX_MUTE_MINUTES} minutes."),
            ));
        }
        Ok(self)
    }
}

/// What a moderator asks: a poll of a known kind, or their own question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PollKind {
    /// Who wins the match: the two teams, and a draw for a first-class match or a tie.
    Winner,
    /// How the next wicket falls.
    NextWicket,
    /// The moderator's own question and options.
    Custom,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewPoll {
    pub kind: PollKind,
    /// Only for a custom poll.
    #[serde(default)]
    pub question: Option<String>,
    /// Only for a custom poll: 2 to 6 different options.
    #[serde(default)]
    pub options: Option<Vec<String>>,
}

impl NewPoll {
    /// The question and its options, from the match's teams for a winner poll, or 422.
    pub fn question_and_options(
        self,
        teams: &[String],
        first_class: bool,
    ) -> Result<(String, Vec<String>), ApiError> {
        let clean = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
        match self.kind {
            PollKind::Winner => {
                let mut options = teams.to_vec();
                options.push(if first_class { "Draw".into() } else { "Tie".into() });
                Ok(("Who wins the match?".into(), options))
            }
            PollKind::NextWicket => Ok((
                "How does the next wicket fall?".into(),
                WICKET_METHODS.iter().map(|m| (*m).to_owned()).collect(),
            )),
            PollKind::Custom => {
                let question = clean(self.question.as_deref().unwrap_or_default());
                if question.is_empty() || question.chars().count() > MAX_QUESTION_CHARS {
                    return Err(ApiError::invalid(
                        "question",
                        format!("Ask a question of up to {MAX_QUESTION_CHARS} characters."),
                    ));
                }
                let options: Vec<String> =
                    self.options.unwrap_or_default().iter().map(|o| clean(o)).collect();
                let mut unique: Vec<String> = options.iter().map(|o| o.to_lowercase()).collect();
                unique.sort();
                unique.dedup();
                if !(2..=MAX_OPTIONS).contains(&options.len())
                    || unique.len() != options.len()
                    || options.iter().any(|o| o.is_empty() || o.chars().count() > MAX_OPTION_CHARS)
                {
                    return Err(ApiError::invalid(
                        "options",
                        format!(
                            "Give 2 to {MAX_OPTIONS} different options of up to {MAX_OPTION_CHARS} characters."
                        ),
                    ));
                }
                Ok((question, options))
            }
        }
    }
}

/// A poll and its results so far.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Poll {
    pub id: String,
    pub question: String,
    pub options: Vec<String>,
    /// Votes per option, in the options' order.
    pub votes: Vec<u32>,
    /// Every vote so far: it only grows, so of two frames the one with more is the newer.
    pub total: u32,
    pub closed: bool,
    /// The option the caller chose (absent in what the socket sends).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub my_vote: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewVote {
    /// The option's index, from 0.
    pub option: u32,
}

impl Poll {
    /// Votes per option from (option, count) rows; rows for options the poll lacks are ignored.
    pub fn tally(&mut self, counts: &[(u32, u32)]) {
        self.votes = vec![0; self.options.len()];
        for (option, count) in counts {
            if let Some(slot) = self.votes.get_mut(*option as usize) {
                *slot += count;
            }
        }
        self.total = self.votes.iter().sum();
    }

    /// Whether `vote` names one of the options, or 422.
    pub fn check_vote(&self, vote: &NewVote) -> Result<(), ApiError> {
        if vote.option as usize >= self.options.len() {
            return Err(ApiError::invalid(
                "option",
                format!("Choose an option from 0 to {}.", self.options.len().saturating_sub(1)),
            ));
        }
        Ok(())
    }

    /// A percentage of the votes per option, rounded so they add up to 100 (none without votes).
    pub fn shares(&self) -> Vec<u32> {
        if self.total == 0 {
            return vec![0; self.votes.len()];
        }
        // Largest remainder: floor every share, then give the points left to the largest remainders.
        let mut shares: Vec<(usize, u32, u32)> = self
            .votes
            .iter()
            .enumerate()
            .map(|(i, v)| (i, v * 100 / self.total, v * 100 % self.total))
            .collect();
        let left = 100 - shares.iter().map(|s| s.1).sum::<u32>();
        let mut order: Vec<usize> = (0..shares.len()).collect();
        order.sort_by(|a, b| shares[*b].2.cmp(&shares[*a].2).then(a.cmp(b)));
        for i in order.into_iter().take(left as usize) {
            shares[i].1 += 1;
        }
        shares.into_iter().map(|s| s.1).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_are_trimmed_to_one_line_and_bounded() {
        assert_eq!(clean_message("  What a\nshot!  ").unwrap(), "What a shot!");
        assert_eq!(clean_message(" \n\t ").unwrap_err().field.as_deref(), Some("body"));
        assert!(clean_message(&"x".repeat(MAX_MESSAGE_CHARS)).is_ok());
        assert!(clean_message(&"x".repeat(MAX_MESSAGE_CHARS + 1)).is_err());
        // Characters, not bytes.
        assert!(clean_message(&"🏏".repeat(MAX_MESSAGE_CHARS)).is_ok());
    }

    #[test]
    fn mutes_last_a_minute_to_a_day() {
        let mute = |minutes| NewMute { username: "a".into(), minutes }.checked();
        assert!(mute(0).is_err());
        assert!(mute(1).is_ok());
        assert!(mute(MAX_MUTE_MINUTES).is_ok());
        assert!(mute(MAX_MUTE_MINUTES + 1).is_err());
    }

    fn teams() -> Vec<String> {
        vec!["India".into(), "Australia".into()]
    }

    #[test]
    fn a_winner_poll_offers_the_teams_and_a_draw_or_tie() {
        let poll = NewPoll { kind: PollKind::Winner, question: None, options: None };
        let (_, options) = poll.clone().question_and_options(&teams(), true).unwrap();
        assert_eq!(options, ["India", "Australia", "Draw"]);
        let (_, options) = poll.question_and_options(&teams(), false).unwrap();
        assert_eq!(options, ["India", "Australia", "Tie"]);
        let wicket = NewPoll { kind: PollKind::NextWicket, question: None, options: None };
        assert_eq!(wicket.question_and_options(&teams(), false).unwrap().1.len(), WICKET_METHODS.len());
    }

    #[test]
    fn a_custom_poll_needs_a_question_and_distinct_options() {
        let custom = |q: &str, o: &[&str]| {
            NewPoll {
                kind: PollKind::Custom,
                question: Some(q.into()),
                options: Some(o.iter().map(|s| (*s).to_owned()).collect()),
            }
            .question_and_options(&teams(), false)
        };
        let (q, o) = custom("  Best  shot? ", &["Cover drive", " Pull "]).unwrap();
        assert_eq!((q.as_str(), o), ("Best shot?", vec!["Cover drive".to_owned(), "Pull".to_owned()]));
        assert_eq!(custom("", &["a", "b"]).unwrap_err().field.as_deref(), Some("question"));
        assert_eq!(custom("q", &["a"]).unwrap_err().field.as_deref(), Some("options"));
        assert_eq!(custom("q", &["a", "A"]).unwrap_err().field.as_deref(), Some("options"));
        assert_eq!(
            custom("q", &["a", "b", "c", "d", "e", "f", "g"]).unwrap_err().field.as_deref(),
            Some("options")
        );
        assert!(custom(&"q".repeat(MAX_QUESTION_CHARS + 1), &["a", "b"]).is_err());
    }

    fn poll(options: usize) -> Poll {
        Poll {
            id: "p".into(),
            question: "q".into(),
            options: (0..options).map(|i| i.to_string()).collect(),
            votes: Vec::new(),
            total: 0,
            closed: false,
            my_vote: None,
        }
    }

    #[test]
    fn tallies_count_only_real_options_and_shares_add_to_a_hundred() {
        let mut p = poll(3);
        p.tally(&[(0, 1), (1, 1), (2, 1), (7, 4)]);
        assert_eq!((p.votes.clone(), p.total), (vec![1, 1, 1], 3));
        assert_eq!(p.shares(), [34, 33, 33]);
        p.tally(&[(1, 2)]);
        assert_eq!(p.shares(), [0, 100, 0]);
        p.tally(&[]);
        assert_eq!(p.shares(), [0, 0, 0]);
        assert!(p.check_vote(&NewVote { option: 2 }).is_ok());
        assert_eq!(p.check_vote(&NewVote { option: 3 }).unwrap_err().field.as_deref(), Some("option"));
    }
}
