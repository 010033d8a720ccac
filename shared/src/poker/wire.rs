//! The table socket's frames (`GET /api/poker/tables/{id}/socket`), JSON objects with a `type`.
//! The table's Durable Object writes [`ServerFrame`]s and reads [`ClientFrame`]s; the browser the
//! other way round. What a viewer may see of the table is [`TableState`], built for each viewer by
//! `super::play::Table::view`: the serialised engine (with its deck) never leaves the server.

use super::{
    cards::Card,
    game::{Action, GameConfig, Variant},
    money::Chips,
    sit_and_go::{Finish, Stage},
};
use serde::{Deserialize, Serialize};

/// The longest chat line, in characters.
pub const MAX_CHAT_CHARS: usize = 200;
/// The emotes a player may send (`{"type":"chat","emote":"👍"}`).
pub const EMOTES: [&str; 8] = ["👍", "👏", "😂", "😮", "😬", "🤔", "😎", "🎉"];
/// The most bytes of entropy a player may mix into a shuffle.
pub const MAX_ENTROPY_BYTES: usize = 64;

/// What a player did, as the socket names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Move {
    Fold,
    Check,
    Call,
    Bet,
    Raise,
    /// Stud: complete the bring-in to the small bet.
    Complete,
    BringIn,
    Show,
    Muck,
}

/// Client → server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum ClientFrame {
    /// An action in hand `hand` (a stale number is refused). `amount` is the street total a bet,
    /// raise or completion goes to; other actions take none.
    Act {
        hand: u64,
        action: Move,
        #[serde(default)]
        amount: Option<u64>,
    },
    /// Show one's cards after the hand (when they were not shown at the showdown).
    Show,
    /// Keep them hidden (the default: nothing is sent).
    Muck,
    /// Not dealt in from the next hand; `sit_in` to play again.
    SitOut,
    SitIn,
    /// A chat line or an emote (one of [`EMOTES`]).
    Chat {
        #[serde(default)]
        text: Option<String>,
        #[serde(default)]
        emote: Option<String>,
    },
    /// Bytes (hex, at most [`MAX_ENTROPY_BYTES`]) mixed into the shuffle of hand `hand`, whose
    /// commitment the table has already published.
    Entropy {
        hand: u64,
        hex: String,
    },
}

/// Why a frame was refused; the socket stays open.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Refusal {
    /// `invalid`, `not_seated`, `no_hand`, `stale_hand`, `not_in_hand`, `rate_limited`, or the
    /// engine's reason (`not_your_turn`, `raise_too_small`, `raise_too_large`, …).
    pub code: String,
    pub message: String,
}

impl Refusal {
    pub fn new(code: &str, message: impl Into<String>) -> Refusal {
        Refusal { code: code.to_owned(), message: message.into() }
    }
}

/// Server → client.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ServerFrame {
    State(Box<TableState>),
    HandStarted(HandStarted),
    Action(ActionTaken),
    HandEnded(HandEnded),
    Chat(ChatLine),
    Error(Refusal),
}

impl ServerFrame {
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// The table as one viewer may see it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TableState {
    pub table: String,
    pub name: String,
    pub game: Variant,
    pub stakes: GameConfig,
    pub seats_total: u8,
    /// Occupied seats, by seat number.
    pub seats: Vec<SeatState>,
    /// The viewer's seat, if seated.
    pub you: Option<u8>,
    /// The hand in play (its number at this table and its id), if any.
    pub hand: Option<u64>,
    pub hand_id: Option<String>,
    /// `preflop`, `flop`, `turn`, `river`; Stud `third` … `seventh`.
    pub street: Option<String>,
    pub button: Option<u8>,
    pub board: Vec<Card>,
    /// Chips collected in the middle (bets of this street not yet in), main pot first.
    pub pots: Vec<u64>,
    pub to_act: Option<u8>,
    pub clock: Option<Clock>,
    /// What the viewer may do, when it is their turn.
    pub legal: Option<Legal>,
    /// The next hand's number and the commitment to its shuffle (SHA-256 of its seed, hex).
    pub next_hand: u64,
    pub next_commitment: String,
    /// The last finished hand.
    pub last_hand: Option<HandEnded>,
    /// What the table's chips are (amounts in paise at a rupee table; a sit-and-go's tournament
    /// chips are `play`).
    #[serde(default)]
    pub chips: Chips,
    /// A sit-and-go's state; none at a cash table.
    #[serde(default)]
    pub tournament: Option<TournamentState>,
    /// The server's clock when this was sent (Unix ms), to draw the action clock.
    pub now_ms: i64,
}

/// A sit-and-go as its table shows it (`stakes` of the state are the level's).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TournamentState {
    /// What the entry and the prizes are paid in (the table's chips are tournament chips).
    pub money: Chips,
    pub entry: u64,
    pub starting_chips: u64,
    pub stage: Stage,
    /// The level now, from 1.
    pub level: u32,
    /// When the next level starts (Unix ms), while it is played.
    pub next_level_ms: Option<i64>,
    pub next_stakes: GameConfig,
    /// What each paid place wins, first place first.
    pub prizes: Vec<u64>,
    /// Finishes so far, best place first.
    pub results: Vec<Finish>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeatState {
    pub seat: u8,
    pub username: String,
    /// Chips behind (not bet).
    pub stack: u64,
    /// Bet on this street.
    pub bet: u64,
    pub in_hand: bool,
    pub folded: bool,
    pub all_in: bool,
    pub sitting_out: bool,
    pub leaving: bool,
    /// The cards this viewer may see: `null` for a card face down to them.
    pub cards: Vec<Option<Card>>,
    pub time_bank_ms: u64,
}

/// The action clock of the player to act (Unix ms): the clock, then the time bank.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Clock {
    pub seat: u8,
    pub started_ms: i64,
    pub clock_ends_ms: i64,
    pub bank_ends_ms: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Legal {
    pub fold: bool,
    pub check: bool,
    /// The chips a call puts in, if there is something to call.
    pub call: Option<u64>,
    pub raise: Option<RaiseRange>,
    /// Stud: the opener may post this bring-in instead of completing.
    pub bring_in: Option<u64>,
}

/// Legal bet, raise or completion totals for this street (`min` = `max` in fixed limit).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RaiseRange {
    /// `bet`, `raise` or `complete`.
    pub kind: Move,
    pub min: u64,
    pub max: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entropy {
    pub seat: u8,
    pub hex: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HandStarted {
    pub hand: u64,
    pub hand_id: String,
    /// SHA-256 of the hand's secret seed, published before it was dealt (hex).
    pub commitment: String,
    /// What the players mixed in.
    pub entropy: Vec<Entropy>,
    pub button: Option<u8>,
    /// The seats dealt in, in the engine's order (small blind first; Stud by seat).
    pub seats: Vec<u8>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionTaken {
    pub hand: u64,
    pub seat: u8,
    pub username: String,
    pub action: Move,
    /// A call's chips; a bet, raise or completion's street total; a bring-in's chips.
    pub amount: Option<u64>,
    pub all_in: bool,
    /// Taken by the table: the clock ran out, or the player left.
    pub auto: bool,
    /// The cards of a `show`.
    pub cards: Vec<Card>,
}

/// One engine move, as the hand's record and the browser's check replay it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct EngineMove {
    pub player: usize,
    pub action: Action,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HandPlayer {
    pub seat: u8,
    pub username: String,
    pub starting_stack: u64,
    pub finishing_stack: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Winner {
    pub seat: u8,
    pub username: String,
    pub amount: u64,
    /// 0 is the main pot, then side pots.
    pub pot: usize,
    /// The winning hand when it was shown ("Full house, kings over fours").
    pub hand: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shown {
    pub seat: u8,
    pub username: String,
    pub cards: Vec<Card>,
    pub description: Option<String>,
}

/// A finished hand: the result, and everything a browser needs to check the deal (the revealed
/// seed against the commitment, then the engine replaying the moves on that deck).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HandEnded {
    pub hand: u64,
    pub hand_id: String,
    pub stakes: GameConfig,
    /// In the engine's order.
    pub players: Vec<HandPlayer>,
    pub board: Vec<Card>,
    pub moves: Vec<EngineMove>,
    pub winners: Vec<Winner>,
    /// Each pot's chips, main pot first.
    pub pots: Vec<u64>,
    pub shown: Vec<Shown>,
    pub commitment: String,
    pub seed: String,
    pub entropy: Vec<Entropy>,
    /// The board's length when the betting ended with hands all in and cards still to come: the
    /// rest was run out with nobody able to act (tables show it street by street, with each
    /// hand's equity). None when the hand was decided with the betting.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub run_out_from: Option<u8>,
}

impl HandEnded {
    /// How many streets were run out (0–3).
    pub fn run_out_streets(&self) -> u8 {
        let Some(from) = self.run_out_from else { return 0 };
        let lengths = [3u8, 4, 5];
        lengths.iter().filter(|&&len| len > from && usize::from(len) <= self.board.len()).count() as u8
    }
}

/// `GET /api/poker/hands/{id}`: one played hand.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HandView {
    pub id: String,
    pub table_id: String,
    pub table_name: String,
    /// Its number at its table.
    pub number: u64,
    /// RFC 3339.
    pub started_at: String,
    pub ended_at: String,
    /// The result as the table sent it (`hand_ended`): players, board, moves, winners, pots,
    /// shown cards, the shuffle's commitment, revealed seed and entropy.
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub result: HandEnded,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChatLine {
    pub username: String,
    pub seat: Option<u8>,
    pub text: Option<String>,
    pub emote: Option<String>,
    pub at_ms: i64,
}

/// Frames one socket may send at once, and per second beyond that (`chat::pace::Pace`): far more
/// than a person at a table sends, so that a bot playing fast through the API is not cut short,
/// while a flood is refused.
pub const FRAMES_BURST: f64 = 120.0;
pub const FRAMES_PER_SECOND: f64 = 60.0;

/// Chat lines one socket may send in [`CHAT_WINDOW_MS`].
pub const CHAT_LINES: usize = 5;
pub const CHAT_WINDOW_MS: i64 = 10_000;

/// Whether one more chat line may go now, given when the last ones went (kept, newest last).
pub fn chat_allowed(sent_ms: &mut Vec<i64>, now_ms: i64) -> bool {
    sent_ms.retain(|&at| now_ms - at < CHAT_WINDOW_MS);
    if sent_ms.len() >= CHAT_LINES {
        return false;
    }
    sent_ms.push(now_ms);
    true
}

/// A chat frame as a line: a text of 1–[`MAX_CHAT_CHARS`] characters without control
/// characters, or one of the [`EMOTES`], not both.
pub fn chat_line(
    username: &str,
    seat: Option<u8>,
    text: Option<&str>,
    emote: Option<&str>,
    now_ms: i64,
) -> Result<ChatLine, Refusal> {
    let line = |text: Option<String>, emote: Option<String>| ChatLine {
        username: username.to_owned(),
        seat,
        text,
        emote,
        at_ms: now_ms,
    };
    match (text.map(str::trim), emote) {
        (Some(text), None) => {
            let chars = text.chars().count();
            if chars == 0 || chars > MAX_CHAT_CHARS {
                return Err(Refusal::new(
                    "invalid",
                    format!("A chat line is 1–{MAX_CHAT_CHARS} characters."),
                ));
            }
            if text.chars().any(char::is_control) {
                return Err(Refusal::new("invalid", "A chat line cannot contain control characters."));
            }
            Ok(line(Some(text.to_owned()), None))
        }
        (None, Some(emote)) if EMOTES.contains(&emote) => Ok(line(None, Some(emote.to_owned()))),
        (None, Some(_)) => Err(Refusal::new("invalid", format!("Emotes are {}.", EMOTES.join(" ")))),
        _ => Err(Refusal::new("invalid", "Send a `text` or an `emote`.")),
    }
}

/// Reads a client frame, or says what is wrong with it.
pub fn read_client_frame(text: &str) -> Result<ClientFrame, Refusal> {
    serde_json::from_str(text).map_err(|e| Refusal::new("invalid", format!("Unreadable frame: {e}")))
}

/// Lower-case hex.
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    bytes
        .iter()
        .flat_map(|b| [DIGITS[usize::from(b >> 4)] as char, DIGITS[usize::from(b & 15)] as char])
        .collect()
}

/// Bytes from hex (either case), or `None`.
pub fn from_hex(text: &str) -> Option<Vec<u8>> {
    if text.len() % 2 != 0 {
        return None;
    }
    let digit = |c: u8| (c as char).to_digit(16).map(|d| d as u8);
    text.as_bytes().chunks(2).map(|pair| Some(digit(pair[0])? << 4 | digit(pair[1])?)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chat_takes_a_short_line_or_an_emote_and_five_lines_in_ten_seconds() {
        assert_eq!(chat_line("ann", Some(2), Some("  gg "), None, 5).unwrap().text.as_deref(), Some("gg"));
        assert_eq!(chat_line("ann", None, None, Some("🎉"), 5).unwrap().emote.as_deref(), Some("🎉"));
        let long = "x".repeat(MAX_CHAT_CHARS + 1);
        for (text, emote) in [
            (Some(""), None),
            (Some(long.as_str()), None),
            (Some("a\u{7}"), None),
            (None, Some("🐍")),
            (None, None),
            (Some("hi"), Some("🎉")),
        ] {
            assert_eq!(
                chat_line("ann", None, text, emote, 0).unwrap_err().code,
                "invalid",
                "{text:?} {emote:?}"
            );
        }
        let mut sent = Vec::new();
        assert!((0..5).all(|i| chat_allowed(&mut sent, i * 100)));
        assert!(!chat_allowed(&mut sent, 1_000));
        assert!(chat_allowed(&mut sent, 10_000), "the first line has left the window");
    }

    #[test]
    fn hex_goes_there_and_back() {
        assert_eq!(hex(&[0, 15, 16, 255]), "000f10ff");
        assert_eq!(from_hex("000F10ff"), Some(vec![0, 15, 16, 255]));
        assert_eq!(from_hex("abc"), None);
        assert_eq!(from_hex("zz"), None);
    }

    #[test]
    fn client_frames_read_as_the_readme_writes_them() {
        assert_eq!(
            read_client_frame(r#"{"type":"act","hand":3,"action":"raise","amount":600}"#),
            Ok(ClientFrame::Act { hand: 3, action: Move::Raise, amount: Some(600) })
        );
        assert_eq!(read_client_frame(r#"{"type":"sit_out"}"#), Ok(ClientFrame::SitOut));
        assert_eq!(
            read_client_frame(r#"{"type":"chat","text":"gg"}"#),
            Ok(ClientFrame::Chat { text: Some("gg".into()), emote: None })
        );
        for bad in [
            r#"{"type":"act","hand":3,"action":"shove"}"#,
            r#"{"type":"dance"}"#,
            "nope",
            r#"{"type":"act","hand":1,"action":"call","x":1}"#,
        ] {
            assert_eq!(read_client_frame(bad).unwrap_err().code, "invalid", "{bad}");
        }
    }
}
