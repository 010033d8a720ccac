//! A command line for checking the poker engine.
//!
//! ```text
//! cargo run --release -p shared --example poker -- rank < hands.txt
//! cargo run --release -p shared --example poker -- simulate --game nlhe --players 6 --hands 100 --seed 7 --out /tmp/hands
//! cargo run --release -p shared --example poker -- replay /tmp/hands/hand-000001.phh
//! cargo run --release -p shared --example poker -- stats /tmp/hands/*.phh
//! ```

use std::{
    collections::BTreeMap,
    io::{self, BufRead, Write},
    path::PathBuf,
    process::ExitCode,
};

use shared::poker::{
    cards::parse_cards,
    eval::evaluate,
    game::{Action, Event, Game, GameConfig},
    history::{pokerstars_text, HandHistory},
    shuffle::{KeyedStream, ShuffleInputs},
    sim::random_hand,
    stats,
};

const USAGE: &str = "usage:
  poker rank                      read lines of 5-7 cards from stdin, print rank (1-7462) and category
  poker simulate --game nlhe|plo|stud --players N --hands K --seed S --out DIR [--stars] [--options]
                                  --options adds `_options`: the engine's choices before each action
  poker replay FILE.phh           replay a hand history and print the finishing stacks
  poker stats FILE.phh...         player statistics over hand histories";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("rank") => rank(),
        Some("simulate") => simulate(&args[1..]),
        Some("replay") => replay(&args[1..]),
        Some("stats") => stats_cmd(&args[1..]),
        _ => Err(USAGE.to_string()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}

fn rank() -> Result<(), String> {
    let stdin = io::stdin();
    let mut out = io::BufWriter::new(io::stdout().lock());
    let mut failed = false;
    for (i, line) in stdin.lock().lines().enumerate() {
        let line = line.map_err(|e| e.to_string())?;
        if line.trim().is_empty() {
            continue;
        }
        let result = parse_cards(&line)
            .map_err(|e| e.to_string())
            .and_then(|c| evaluate(&c).map_err(|e| e.to_string()));
        match result {
            Ok(r) => writeln!(out, "{} {}", r.value(), r.category()).map_err(|e| e.to_string())?,
            Err(e) => {
                failed = true;
                writeln!(out, "error line {}: {e}", i + 1).map_err(|e| e.to_string())?;
            }
        }
    }
    out.flush().map_err(|e| e.to_string())?;
    if failed {
        Err("some lines could not be ranked".into())
    } else {
        Ok(())
    }
}

fn flag<'a>(args: &'a [String], name: &str) -> Option<&'a str> {
    args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).map(String::as_str)
}

fn simulate(args: &[String]) -> Result<(), String> {
    let need = |name: &str| flag(args, name).ok_or(format!("missing {name}\n{USAGE}"));
    let config = match need("--game")? {
        "nlhe" => GameConfig::nlhe(1, 2),
        "plo" => GameConfig::plo(1, 2),
        "stud" => GameConfig::stud(1, 2, 5, 10),
        g => return Err(format!("unknown game {g:?}: nlhe, plo or stud")),
    };
    let players: usize = need("--players")?.parse().map_err(|_| "--players takes a number")?;
    let hands: u64 = need("--hands")?.parse().map_err(|_| "--hands takes a number")?;
    let seed_text = need("--seed")?;
    let out = PathBuf::from(need("--out")?);
    let stars = args.iter().any(|a| a == "--stars");
    let with_options = args.iter().any(|a| a == "--options");
    std::fs::create_dir_all(&out).map_err(|e| format!("{}: {e}", out.display()))?;
    // The 32-byte table seed is SHA-256 of the --seed text (a real table draws it at random).
    let seed: [u8; 32] =
        sha2::Digest::finalize(sha2::Digest::chain_update(sha2::Sha256::default(), seed_text)).into();
    let names: Vec<String> = (1..=players).map(|i| format!("player{i}")).collect();
    let mut rng = KeyedStream::new(&seed, &ShuffleInputs { hand_number: u64::MAX, player_entropy: vec![] });
    for hand in 1..=hands {
        // Random stacks between 1 and 300 big blinds so that all-ins of every size happen; one in four
        // is short (1 to 20 big blinds, down to a single chip: blinds, antes and bring-ins all in).
        let stacks: Vec<u64> = (0..players)
            .map(|_| if rng.below(4) == 0 { 1 + rng.below(40) as u64 } else { 2 + rng.below(600) as u64 })
            .collect();
        let game = random_hand(config, stacks, &seed, hand).map_err(|e| e.to_string())?;
        let h = HandHistory::from_game(&game, names.clone(), Some(hand));
        let path = out.join(format!("hand-{hand:06}.phh"));
        let mut text = h.to_phh();
        if with_options {
            text += &options_field(&game);
        }
        std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))?;
        if stars {
            let text = pokerstars_text(&game, &names, hand, "Dozen", "2026/01/01 00:00:00 UTC");
            let path = out.join(format!("hand-{hand:06}.txt"));
            std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))?;
        }
    }
    println!("wrote {hands} hands to {}", out.display());
    Ok(())
}

/// A PHH user-defined field (PokerKit keeps `_`-prefixed fields as they are) listing, before each
/// player action, what the engine offered: `"pN to_call min_raise_to max_raise_to can_bring_in"`
/// (`-` when raising is not allowed), so that scripts/pokerkit_check.py can compare it with
/// PokerKit's choices at the same point.
fn options_field(game: &Game) -> String {
    let mut g = Game::new(*game.config(), game.starting_stacks().to_vec(), game.deck().to_vec())
        .expect("the hand was set up the same way");
    let bound = |b: Option<u64>| b.map_or("-".to_string(), |v| v.to_string());
    let mut lines = Vec::new();
    for e in game.events() {
        let (player, action) = match *e {
            Event::Fold { player } => (player, Action::Fold),
            Event::Check { player } | Event::Call { player, .. } => (player, Action::CheckCall),
            Event::BringIn { player, .. } => (player, Action::BringIn),
            Event::BetRaise { player, to, .. } => (player, Action::BetRaiseTo(to)),
            _ => continue,
        };
        let o = g.options().expect("a player is to act");
        lines.push(format!(
            "\"p{} {} {} {} {}\"",
            o.player + 1,
            o.to_call,
            bound(o.min_raise_to),
            bound(o.max_raise_to),
            u8::from(o.can_bring_in)
        ));
        g.act(player, action).expect("the recorded action is legal");
    }
    format!("_options = [{}]\n", lines.join(", "))
}

fn read_history(path: &str) -> Result<HandHistory, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
    HandHistory::parse_phh(&text).map_err(|e| format!("{path}: {e}"))
}

fn replay(args: &[String]) -> Result<(), String> {
    let [path] = args else { return Err(USAGE.into()) };
    let h = read_history(path)?;
    let game = h.replay().map_err(|e| format!("{path}: {e}"))?;
    let stacks: Vec<String> = game.stacks().iter().map(|s| s.to_string()).collect();
    println!("finishing_stacks = [{}]", stacks.join(", "));
    Ok(())
}

fn stats_cmd(paths: &[String]) -> Result<(), String> {
    if paths.is_empty() {
        return Err(USAGE.into());
    }
    let histories = paths.iter().map(|p| read_history(p)).collect::<Result<Vec<_>, _>>()?;
    let all: BTreeMap<String, stats::PlayerStats> =
        stats::from_histories(&histories).map_err(|e| e.to_string())?;
    let pct = |x: Option<f64>| x.map_or("-".to_string(), |v| format!("{v:.1}%"));
    println!(
        "{:<12} {:>6} {:>7} {:>7} {:>7} {:>7} {:>7} {:>9}",
        "player", "hands", "VPIP", "PFR", "3bet", "WTSD", "W$SD", "net"
    );
    for (name, s) in all {
        println!(
            "{:<12} {:>6} {:>7} {:>7} {:>7} {:>7} {:>7} {:>9}",
            name,
            s.hands,
            pct(s.vpip_pct()),
            pct(s.pfr_pct()),
            pct(s.three_bet_pct()),
            pct(s.wtsd_pct()),
            pct(s.wsd_pct()),
            s.net_chips
        );
    }
    Ok(())
}
