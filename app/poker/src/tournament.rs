//! A sit-and-go on its table's page: where it is (taking entries, the level and its stakes with
//! the next, or over), what each paid place wins, and the finishes so far.

use crate::{live::Live, lobby::stage_name, rupees::amount};
use leptos::prelude::*;
use shared::poker::{sit_and_go::Stage, table::stakes_text, wire::TableState};

/// "1st", "2nd", "3rd", "4th" … (places go to 9).
fn ordinal(place: u8) -> String {
    let suffix = match place {
        1 => "st",
        2 => "nd",
        3 => "rd",
        _ => "th",
    };
    format!("{place}{suffix}")
}

/// What the panel says of where the tournament is.
fn standing(s: &TableState) -> Option<String> {
    let t = s.tournament.as_ref()?;
    Some(match t.stage {
        Stage::Registering => {
            format!(
                "Registering: {} of {} seats taken; it starts when the last is.",
                s.seats.len(),
                s.seats_total
            )
        }
        Stage::Running => {
            let next = t.next_level_ms.map_or(String::new(), |at| {
                let minutes = ((at - s.now_ms).max(0) + 59_999) / 60_000;
                format!(" · {} in {minutes} min", stakes_text(&t.next_stakes))
            });
            format!("Level {} · {}{next}", t.level, stakes_text(&s.stakes))
        }
        Stage::Finished => format!("The sit-and-go is {}.", stage_name(t.stage)),
    })
}

#[component]
pub fn TournamentPanel(live: Live) -> impl IntoView {
    move || {
        live.state.with(|s| {
            let s = s.as_ref()?;
            let t = s.tournament.as_ref()?;
            let money = t.money;
            let prizes = t
                .prizes
                .iter()
                .enumerate()
                .map(|(i, p)| format!("{} {}", ordinal(u8::try_from(i + 1).unwrap_or(9)), amount(money, *p)))
                .collect::<Vec<_>>()
                .join(" · ");
            let results = t
                .results
                .iter()
                .map(|r| {
                    let prize =
                        if r.prize > 0 { format!(": {}", amount(money, r.prize)) } else { String::new() };
                    view! { <li>{format!("{} {}{prize}", ordinal(r.place), r.username)}</li> }
                })
                .collect_view();
            Some(view! {
                <section class="panel sng" aria-label="Sit and go" data-testid="sng">
                    <p><strong>{standing(s)}</strong></p>
                    <p class="muted">{format!("Entry {} · prizes {prizes}", amount(money, t.entry))}</p>
                    <ol class="results" data-testid="sng-results">{results}</ol>
                </section>
            })
        })
    }
}
