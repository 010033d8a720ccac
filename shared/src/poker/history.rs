//! Hand histories out: PHH (the TOML-based Poker Hand History format that PokerKit reads) and
//! PokerStars-style text; and PHH back in, replayed through the engine.
//!
//! PHH conventions used here: `variant` is `NT` (no-limit Texas hold'em), `PO` (pot-limit Omaha) or
//! `F7S` (fixed-limit seven card stud); player `pN` is engine player N-1; `antes` and
//! `blinds_or_straddles` list the forced bets as PokerKit reads them (`[1, 2, 0, …]`; heads-up
//! PokerKit itself makes player 1 the big blind, as this engine does). A show is `pN sm <cards>`
//! and a muck `pN sm` (the PHH specification: no cards means a muck, `-` would mean "show the
//! cards dealt"). The showdown is written where PokerKit holds it: right after the last betting,
//! before the board of an all-in hand is run out; in Stud a hand shown before seventh street is
//! shown again, all seven cards, after its face-down seventh card.

use std::{collections::BTreeMap, fmt};

use super::{
    cards::{format_compact, format_spaced, parse_cards, Card},
    game::{Action, ActionError, Event, Game, GameConfig, SetupError, Variant},
};

/// A hand as recorded: enough to replay it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HandHistory {
    pub config: GameConfig,
    pub players: Vec<String>,
    pub starting_stacks: Vec<u64>,
    /// PHH action lines (`d dh p1 AsKs`, `p2 cbr 6`, …).
    pub actions: Vec<String>,
    pub finishing_stacks: Option<Vec<u64>>,
    pub hand: Option<u64>,
}

/// Why a history could not be read or replayed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HistoryError {
    Syntax {
        line: usize,
        message: String,
    },
    MissingField(&'static str),
    UnsupportedVariant(String),
    BadAction {
        index: usize,
        action: String,
    },
    /// Cards shown as `??` cannot be replayed.
    UnknownCards {
        index: usize,
    },
    Setup(SetupError),
    Illegal {
        index: usize,
        action: String,
        error: ActionError,
    },
    /// The file ended before the hand did.
    Unfinished,
    /// The engine, replaying the actions, deals other cards than the file records.
    DealsDiffer {
        index: usize,
        recorded: String,
        replayed: String,
    },
    StacksDiffer {
        recorded: Vec<u64>,
        replayed: Vec<u64>,
    },
}

impl fmt::Display for HistoryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HistoryError::Syntax { line, message } => write!(f, "line {line}: {message}"),
            HistoryError::MissingField(k) => write!(f, "missing field `{k}`"),
            HistoryError::UnsupportedVariant(v) => {
                write!(f, "variant {v:?} is not played here (NT, PO, F7S)")
            }
            HistoryError::BadAction { index, action } => {
                write!(f, "action {index} {action:?} is not understood")
            }
            HistoryError::UnknownCards { index } => write!(f, "action {index} deals unknown cards"),
            HistoryError::Setup(e) => write!(f, "{e}"),
            HistoryError::Illegal { index, action, error } => write!(f, "action {index} {action:?}: {error}"),
            HistoryError::Unfinished => write!(f, "the actions end before the hand does"),
            HistoryError::DealsDiffer { index, recorded, replayed } => {
                write!(f, "action {index}: the file deals {recorded:?}, the engine {replayed:?}")
            }
            HistoryError::StacksDiffer { recorded, replayed } => {
                write!(f, "finishing stacks differ: recorded {recorded:?}, replayed {replayed:?}")
            }
        }
    }
}

impl std::error::Error for HistoryError {}

fn variant_code(v: Variant) -> &'static str {
    match v {
        Variant::Nlhe => "NT",
        Variant::Plo => "PO",
        Variant::Stud => "F7S",
    }
}

impl HandHistory {
    /// The history of a finished (or running) hand. `players` names each engine player.
    pub fn from_game(game: &Game, players: Vec<String>, hand: Option<u64>) -> HandHistory {
        let mut actions = Vec::new();
        let mut showdown = Vec::new();
        // Where PokerKit holds the showdown: after the last betting action (or, if nobody could act
        // at all, after the first street's cards). Streets dealt after it are run out unbet.
        let mut showdown_at = 0;
        // Players whose face-down cards arrive after the showdown (Stud all in before seventh street).
        let mut dealt_down_after = Vec::new();
        for e in game.events() {
            let line = match e {
                Event::DealHole { player, cards, up, street } => {
                    if *street == 0 {
                        showdown_at = actions.len() + 1;
                    } else if up.iter().any(|u| !u) && !dealt_down_after.contains(player) {
                        dealt_down_after.push(*player);
                    }
                    format!("d dh p{} {}", player + 1, format_compact(cards))
                }
                Event::DealBoard { cards, .. } => format!("d db {}", format_compact(cards)),
                Event::Fold { player } => format!("p{} f", player + 1),
                Event::Check { player } | Event::Call { player, .. } => format!("p{} cc", player + 1),
                Event::BringIn { player, .. } => format!("p{} pb", player + 1),
                Event::BetRaise { player, to, .. } => format!("p{} cbr {to}", player + 1),
                Event::Show { player, cards, .. } => {
                    showdown.push((*player, format!("p{} sm {}", player + 1, format_compact(cards))));
                    continue;
                }
                Event::Muck { player } => {
                    showdown.push((*player, format!("p{} sm", player + 1)));
                    continue;
                }
                _ => continue,
            };
            if !line.starts_with("d ") {
                showdown_at = actions.len() + 1;
                dealt_down_after.clear();
            }
            actions.push(line);
        }
        let run_out = actions.split_off(showdown_at.min(actions.len()));
        for (p, line) in &showdown {
            let later = dealt_after(&run_out, *p);
            if later == 0 || !line.contains(" sm ") {
                actions.push(line.clone());
            } else {
                // Stud: only the cards dealt so far are shown.
                let cards = game.hole_cards(*p);
                actions.push(format!("p{} sm {}", p + 1, format_compact(&cards[..cards.len() - later])));
            }
        }
        actions.extend(run_out);
        for (p, line) in &showdown {
            if dealt_down_after.contains(p) && line.contains(" sm ") {
                actions.push(line.clone());
            }
        }
        HandHistory {
            config: *game.config(),
            players,
            starting_stacks: game.starting_stacks().to_vec(),
            actions,
            finishing_stacks: game.is_over().then(|| game.stacks().to_vec()),
            hand,
        }
    }

    fn forced(&self) -> (Vec<u64>, Vec<u64>) {
        let n = self.starting_stacks.len();
        let antes = vec![self.config.ante; n];
        let mut blinds = vec![0; n];
        if self.config.variant != Variant::Stud {
            // PokerKit swaps the two blinds heads-up itself (player 1 is then the big blind).
            blinds[0] = self.config.small_blind;
            blinds[1] = self.config.big_blind;
        }
        (antes, blinds)
    }

    /// The `.phh` text.
    pub fn to_phh(&self) -> String {
        let list =
            |v: &[u64]| format!("[{}]", v.iter().map(|x| x.to_string()).collect::<Vec<_>>().join(", "));
        let strings = |v: &[String]| {
            format!("[{}]", v.iter().map(|s| format!("\"{}\"", escape(s))).collect::<Vec<_>>().join(", "))
        };
        let (antes, blinds) = self.forced();
        let mut out = format!("variant = \"{}\"\n", variant_code(self.config.variant));
        out += "ante_trimming_status = true\n";
        out += &format!("antes = {}\n", list(&antes));
        match self.config.variant {
            Variant::Stud => {
                out += &format!("bring_in = {}\n", self.config.bring_in);
                out += &format!("small_bet = {}\n", self.config.small_bet);
                out += &format!("big_bet = {}\n", self.config.big_bet);
            }
            _ => {
                out += &format!("blinds_or_straddles = {}\n", list(&blinds));
                out += &format!("min_bet = {}\n", self.config.big_blind);
            }
        }
        out += &format!("starting_stacks = {}\n", list(&self.starting_stacks));
        out += "actions = [\n";
        for a in &self.actions {
            out += &format!("  \"{}\",\n", escape(a));
        }
        out += "]\n";
        if let Some(h) = self.hand {
            out += &format!("hand = {h}\n");
        }
        out += &format!("players = {}\n", strings(&self.players));
        if let Some(f) = &self.finishing_stacks {
            out += &format!("finishing_stacks = {}\n", list(f));
        }
        out
    }

    /// Reads the PHH fields this engine plays (a TOML subset: top-level keys with integers, strings,
    /// booleans and arrays of them).
    pub fn parse_phh(text: &str) -> Result<HandHistory, HistoryError> {
        let fields = parse_toml_subset(text)?;
        let get = |k: &'static str| fields.get(k).ok_or(HistoryError::MissingField(k));
        let int = |k: &'static str| -> Result<u64, HistoryError> {
            match get(k)? {
                Value::Int(i) => Ok(*i),
                _ => Err(HistoryError::MissingField(k)),
            }
        };
        let ints = |k: &'static str| -> Result<Vec<u64>, HistoryError> {
            match get(k)? {
                Value::Int(i) => Ok(vec![*i]),
                Value::List(v) => v
                    .iter()
                    .map(|x| match x {
                        Value::Int(i) => Ok(*i),
                        _ => Err(HistoryError::MissingField(k)),
                    })
                    .collect(),
                _ => Err(HistoryError::MissingField(k)),
            }
        };
        let strings = |k: &'static str| -> Result<Vec<String>, HistoryError> {
            match get(k)? {
                Value::List(v) => v
                    .iter()
                    .map(|x| match x {
                        Value::Str(s) => Ok(s.clone()),
                        _ => Err(HistoryError::MissingField(k)),
                    })
                    .collect(),
                _ => Err(HistoryError::MissingField(k)),
            }
        };
        let variant = match get("variant")? {
            Value::Str(s) => s.clone(),
            _ => return Err(HistoryError::MissingField("variant")),
        };
        let starting_stacks = ints("starting_stacks")?;
        let n = starting_stacks.len();
        let ante = ints("antes").ok().and_then(|a| a.into_iter().max()).unwrap_or(0);
        let config = match variant.as_str() {
            "NT" | "PO" => {
                let blinds = ints("blinds_or_straddles")?;
                let mut sorted: Vec<u64> = blinds.iter().copied().filter(|&b| b > 0).collect();
                sorted.sort_unstable();
                let (sb, bb) = match sorted[..] {
                    [b] => (0, b),
                    [s, b, ..] => (s, b),
                    _ => return Err(HistoryError::MissingField("blinds_or_straddles")),
                };
                let c = if variant == "NT" { GameConfig::nlhe(sb, bb) } else { GameConfig::plo(sb, bb) };
                c.with_ante(ante)
            }
            "F7S" => GameConfig::stud(ante, int("bring_in")?, int("small_bet")?, int("big_bet")?),
            other => return Err(HistoryError::UnsupportedVariant(other.to_string())),
        };
        let players = strings("players").unwrap_or_else(|_| (1..=n).map(|i| format!("p{i}")).collect());
        Ok(HandHistory {
            config,
            players,
            starting_stacks,
            actions: strings("actions")?,
            finishing_stacks: ints("finishing_stacks").ok(),
            hand: int("hand").ok(),
        })
    }

    /// Replays the actions through the engine. The deck is rebuilt from the dealt cards in order (then
    /// the unused cards), which is the engine's dealing order; show/muck lines (`pN sm cards`,
    /// `pN sm -`, `pN sm`) are the engine's own decision and are not re-applied. Checks that the
    /// engine deals the recorded cards, and `finishing_stacks` when the file has them.
    pub fn replay(&self) -> Result<Game, HistoryError> {
        let mut deck: Vec<Card> = Vec::with_capacity(52);
        let mut moves: Vec<(usize, usize, Action)> = Vec::new();
        let mut deals: Vec<(usize, String)> = Vec::new();
        for (index, line) in self.actions.iter().enumerate() {
            let bad = || HistoryError::BadAction { index, action: line.clone() };
            let words: Vec<&str> = line.split_whitespace().collect();
            match words[..] {
                ["d", "dh", _, cards] | ["d", "db", cards] => {
                    if cards.contains('?') {
                        return Err(HistoryError::UnknownCards { index });
                    }
                    // A card dealt a second time (a folded card reused on seventh street) is
                    // already in the deck.
                    for c in parse_cards(cards).map_err(|_| bad())? {
                        if !deck.contains(&c) {
                            deck.push(c);
                        }
                    }
                    deals.push((index, line.split_whitespace().collect::<Vec<_>>().join(" ")));
                }
                [p, verb, ..] if p.starts_with('p') => {
                    let player: usize = p[1..].parse().map_err(|_| bad())?;
                    let player = player.checked_sub(1).ok_or_else(bad)?;
                    let action = match (verb, words.get(2)) {
                        ("f", None) => Action::Fold,
                        ("cc", None) => Action::CheckCall,
                        ("pb", None) => Action::BringIn,
                        ("cbr", Some(x)) => Action::BetRaiseTo(x.parse().map_err(|_| bad())?),
                        ("sm", _) => continue,
                        _ => return Err(bad()),
                    };
                    moves.push((index, player, action));
                }
                _ => return Err(bad()),
            }
        }
        for c in Card::deck() {
            if !deck.contains(&c) {
                deck.push(c);
            }
        }
        let mut game =
            Game::new(self.config, self.starting_stacks.clone(), deck).map_err(HistoryError::Setup)?;
        for (index, player, action) in moves {
            game.act(player, action).map_err(|error| HistoryError::Illegal {
                index,
                action: self.actions[index].clone(),
                error,
            })?;
        }
        if !game.is_over() {
            return Err(HistoryError::Unfinished);
        }
        // The engine must have dealt exactly the recorded cards, in order.
        let replayed = HandHistory::from_game(&game, Vec::new(), None).actions;
        let mut replayed_deals = replayed.iter().filter(|l| l.starts_with("d "));
        for (index, recorded) in &deals {
            let again = replayed_deals.next().cloned().unwrap_or_default();
            if *recorded != again {
                return Err(HistoryError::DealsDiffer {
                    index: *index,
                    recorded: recorded.clone(),
                    replayed: again,
                });
            }
        }
        if let Some(extra) = replayed_deals.next() {
            return Err(HistoryError::DealsDiffer {
                index: self.actions.len(),
                recorded: String::new(),
                replayed: extra.clone(),
            });
        }
        if let Some(recorded) = &self.finishing_stacks {
            if recorded != game.stacks() {
                return Err(HistoryError::StacksDiffer {
                    recorded: recorded.clone(),
                    replayed: game.stacks().to_vec(),
                });
            }
        }
        Ok(game)
    }
}

/// How many hole cards `player` receives in these action lines.
fn dealt_after(lines: &[String], player: usize) -> usize {
    let prefix = format!("d dh p{} ", player + 1);
    lines.iter().filter_map(|l| l.strip_prefix(&prefix)).map(|cards| cards.len() / 2).sum()
}

fn escape(s: &str) -> String {
    s.replace('\\', "\\\\").replace('"', "\\\"")
}

#[derive(Debug, Clone, PartialEq)]
enum Value {
    Int(u64),
    Str(String),
    /// Booleans and floats occur in PHH (e.g. `ante_trimming_status`) but no field read here uses them.
    Bool,
    Float,
    List(Vec<Value>),
}

/// Parses `key = value` lines; values may be integers, floats (kept only as a marker), strings,
/// booleans and arrays spanning lines. Comments start with `#` outside strings.
fn parse_toml_subset(text: &str) -> Result<BTreeMap<String, Value>, HistoryError> {
    let chars: Vec<char> = text.chars().collect();
    let mut pos = 0;
    let mut line = 1;
    let mut out = BTreeMap::new();
    let err = |line: usize, m: &str| HistoryError::Syntax { line, message: m.to_string() };

    fn skip_ws(chars: &[char], pos: &mut usize, line: &mut usize, newlines: bool) {
        while *pos < chars.len() {
            match chars[*pos] {
                '\n' if newlines => *line += 1,
                ' ' | '\t' | '\r' => {}
                '#' => {
                    while *pos < chars.len() && chars[*pos] != '\n' {
                        *pos += 1;
                    }
                    continue;
                }
                _ => return,
            }
            *pos += 1;
        }
    }

    fn value(chars: &[char], pos: &mut usize, line: &mut usize) -> Result<Value, String> {
        skip_ws(chars, pos, line, true);
        match chars.get(*pos) {
            Some('"') => {
                *pos += 1;
                let mut s = String::new();
                loop {
                    match chars.get(*pos) {
                        None | Some('\n') => return Err("unterminated string".into()),
                        Some('"') => {
                            *pos += 1;
                            return Ok(Value::Str(s));
                        }
                        Some('\\') => {
                            let c = chars.get(*pos + 1).copied().ok_or("bad escape")?;
                            s.push(match c {
                                'n' => '\n',
                                't' => '\t',
                                other => other,
                            });
                            *pos += 2;
                        }
                        Some(&c) => {
                            s.push(c);
                            *pos += 1;
                        }
                    }
                }
            }
            Some('[') => {
                *pos += 1;
                let mut items = Vec::new();
                loop {
                    skip_ws(chars, pos, line, true);
                    if chars.get(*pos) == Some(&']') {
                        *pos += 1;
                        return Ok(Value::List(items));
                    }
                    items.push(value(chars, pos, line)?);
                    skip_ws(chars, pos, line, true);
                    match chars.get(*pos) {
                        Some(',') => *pos += 1,
                        Some(']') => {}
                        _ => return Err("expected , or ] in array".into()),
                    }
                }
            }
            Some(_) => {
                let start = *pos;
                while *pos < chars.len() && !matches!(chars[*pos], ',' | ']' | '\n' | '#' | ' ' | '\t' | '\r')
                {
                    *pos += 1;
                }
                let word: String = chars[start..*pos].iter().collect::<String>().replace('_', "");
                match word.as_str() {
                    "true" | "false" => Ok(Value::Bool),
                    w if w.parse::<u64>().is_ok() => Ok(Value::Int(w.parse().unwrap_or(0))),
                    w if w.parse::<f64>().is_ok() => Ok(Value::Float),
                    w => Err(format!("unsupported value {w:?}")),
                }
            }
            None => Err("missing value".into()),
        }
    }

    loop {
        skip_ws(&chars, &mut pos, &mut line, true);
        if pos >= chars.len() {
            break;
        }
        if chars[pos] == '[' {
            return Err(err(line, "tables are not part of PHH hand files"));
        }
        let start = pos;
        while pos < chars.len()
            && (chars[pos].is_ascii_alphanumeric() || chars[pos] == '_' || chars[pos] == '-')
        {
            pos += 1;
        }
        let key: String = chars[start..pos].iter().collect();
        if key.is_empty() {
            return Err(err(line, "expected a key"));
        }
        skip_ws(&chars, &mut pos, &mut line, false);
        if chars.get(pos) != Some(&'=') {
            return Err(err(line, "expected ="));
        }
        pos += 1;
        let v = value(&chars, &mut pos, &mut line).map_err(|m| err(line, &m))?;
        out.insert(key, v);
    }
    Ok(out)
}

/// PokerStars-style text of a finished hand. `date` is passed in (this crate reads no clock), e.g.
/// "2026/11/29 12:00:00 UTC".
pub fn pokerstars_text(game: &Game, players: &[String], hand: u64, table: &str, date: &str) -> String {
    let c = game.config();
    let n = game.players();
    let name = |p: usize| players.get(p).cloned().unwrap_or_else(|| format!("p{}", p + 1));
    let game_name = match c.variant {
        Variant::Nlhe => format!("Hold'em No Limit ({}/{})", c.small_blind, c.big_blind),
        Variant::Plo => format!("Omaha Pot Limit ({}/{})", c.small_blind, c.big_blind),
        Variant::Stud => format!("7 Card Stud Limit ({}/{})", c.small_bet, c.big_bet),
    };
    let mut out = format!("PokerStars Hand #{hand}: {game_name} - {date}\n");
    if c.variant == Variant::Stud {
        out += &format!("Table '{table}' {}-max\n", c.variant.max_players());
    } else {
        out += &format!("Table '{table}' {}-max Seat #{} is the button\n", c.variant.max_players(), n);
    }
    for p in 0..n {
        out += &format!("Seat {}: {} ({} in chips)\n", p + 1, name(p), game.starting_stacks()[p]);
    }
    let street_names: &[&str] = match c.variant {
        Variant::Stud => &["3rd STREET", "4th STREET", "5th STREET", "6th STREET", "RIVER"],
        _ => &["HOLE CARDS", "FLOP", "TURN", "RIVER"],
    };
    let mut bets = vec![0u64; n];
    let mut board: Vec<Card> = Vec::new();
    let mut street_shown = usize::MAX;
    let mut pots_won = vec![0u64; n];
    let mut showdown_started = false;
    let mut header = |out: &mut String, street: usize, extra: &str| {
        if street != street_shown {
            street_shown = street;
            *out += &format!("*** {} ***{extra}\n", street_names[street.min(street_names.len() - 1)]);
            true
        } else {
            false
        }
    };
    for e in game.events() {
        match e {
            Event::Ante { player, amount } => out += &format!("{}: posts the ante {amount}\n", name(*player)),
            Event::Blind { player, amount } => {
                bets[*player] = *amount;
                let kind = if *amount >= c.big_blind { "big" } else { "small" };
                out += &format!("{}: posts {kind} blind {amount}\n", name(*player));
            }
            Event::DealHole { street, player, cards, up } => {
                // Hold'em and Omaha keep the blinds as this street's bets.
                if header(&mut out, *street, "") && c.variant == Variant::Stud {
                    bets = vec![0; n];
                }
                let down: Vec<Card> = cards.iter().zip(up).filter(|(_, u)| !**u).map(|(c, _)| *c).collect();
                let shown: Vec<Card> = cards.iter().zip(up).filter(|(_, u)| **u).map(|(c, _)| *c).collect();
                let mut line = format!("Dealt to {}", name(*player));
                if !down.is_empty() {
                    line += &format!(" [{}]", format_spaced(&down));
                }
                if !shown.is_empty() {
                    line += &format!(" [{}]", format_spaced(&shown));
                }
                out += &line;
                out += "\n";
            }
            Event::DealBoard { street, cards } => {
                let extra = if board.is_empty() {
                    format!(" [{}]", format_spaced(cards))
                } else {
                    format!(" [{}] [{}]", format_spaced(&board), format_spaced(cards))
                };
                board.extend(cards);
                bets = vec![0; n];
                header(&mut out, *street, &extra);
            }
            Event::Fold { player } => out += &format!("{}: folds\n", name(*player)),
            Event::Check { player } => out += &format!("{}: checks\n", name(*player)),
            Event::Call { player, amount } => {
                bets[*player] += amount;
                out += &format!("{}: calls {amount}\n", name(*player));
            }
            Event::BringIn { player, amount } => {
                bets[*player] += amount;
                out += &format!("{}: brings in for {amount}\n", name(*player));
            }
            Event::BetRaise { player, to, all_in } => {
                let max_other = bets.iter().copied().max().unwrap_or(0);
                let tail = if *all_in { " and is all-in" } else { "" };
                if max_other == 0 {
                    out += &format!("{}: bets {to}{tail}\n", name(*player));
                } else {
                    out += &format!("{}: raises {} to {to}{tail}\n", name(*player), to - max_other.min(*to));
                }
                bets[*player] = *to;
            }
            Event::UncalledReturned { player, amount } => {
                out += &format!("Uncalled bet ({amount}) returned to {}\n", name(*player));
            }
            Event::Show { player, cards, rank } => {
                if !showdown_started {
                    showdown_started = true;
                    out += "*** SHOW DOWN ***\n";
                }
                out +=
                    &format!("{}: shows [{}] ({})\n", name(*player), format_spaced(cards), rank.description);
            }
            Event::Muck { player } => out += &format!("{}: mucks hand\n", name(*player)),
            Event::Win { player, amount, pot } => {
                pots_won[*player] += amount;
                let which = match pot {
                    0 => "pot".to_string(),
                    k => format!("side pot-{k}"),
                };
                out += &format!("{} collected {amount} from {which}\n", name(*player));
            }
        }
    }
    let total: u64 = pots_won.iter().sum();
    out += "*** SUMMARY ***\n";
    out += &format!("Total pot {total} | Rake 0\n");
    if !board.is_empty() {
        out += &format!("Board [{}]\n", format_spaced(&board));
    }
    for (p, won) in pots_won.iter().enumerate() {
        let net = game.stacks()[p] as i64 - game.starting_stacks()[p] as i64;
        let status = if game.has_folded(p) {
            "folded"
        } else if *won > 0 {
            "won"
        } else {
            "lost"
        };
        out += &format!("Seat {}: {} {status} (net {net:+})\n", p + 1, name(p));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toml_subset_reads_phh_fields() {
        let text = "# a hand\nvariant = \"NT\"\nantes = [0, 0]\nstarting_stacks = [1_000, 200]\nactions = [\n  \"d dh p1 AsKs\", # c\n]\nx = 1.5\nflag = true\n";
        let f = parse_toml_subset(text).unwrap();
        assert_eq!(f["starting_stacks"], Value::List(vec![Value::Int(1000), Value::Int(200)]));
        assert_eq!(f["actions"], Value::List(vec![Value::Str("d dh p1 AsKs".into())]));
        assert_eq!(f["x"], Value::Float);
        assert!(matches!(parse_toml_subset("[table]\n"), Err(HistoryError::Syntax { line: 1, .. })));
    }
}
