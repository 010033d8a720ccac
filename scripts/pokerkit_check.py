#!/usr/bin/env python3
"""Check Dozen's PHH hand histories against PokerKit, the rules reference (issue 5).

    .dozen/venv/bin/python scripts/pokerkit_check.py DIR [DIR ...] [--verbose]

Every `*.phh` under the given directories (recursively) is loaded with
`pokerkit.HandHistory.load` and replayed twice:

1. strictly: each line of `actions` goes through `pokerkit.notation.parse_action` on a fresh
   state; only what PokerKit's PHH reader does for every file is done between actions (burning
   an unknown card where a burn is due; antes, blinds, bet collection, chip pushing and pulling
   are PokerKit automations). Any action PokerKit refuses is an error, as is a hand that is not
   over after the last action;
2. as PokerKit's own reader does (iterating the `HandHistory`, which silently repairs refused
   actions), to make sure the file reads the same way there.

Both replays' final stacks must equal the file's `finishing_stacks`. If the file has the
`_options` field (`poker simulate --options`: what the engine offered before each player action:
the player, the amount to call, the smallest and largest raise-to or `-`, whether the bring-in is
due), each entry must equal PokerKit's at that point, so an action PokerKit would allow but the
engine refuses is caught too. PokerKit warnings (for
example "There is no reason for this player to fold") are counted and, with --verbose, printed;
they are not failures.

Exit status: 0 when every file agrees, 1 on any mismatch or load failure, 2 on bad usage.
"""

from __future__ import annotations

import argparse
import sys
import warnings
from collections import Counter
from pathlib import Path

try:
    import pokerkit
    from importlib.metadata import version as _version
    from pokerkit import HandHistory
    from pokerkit.notation import parse_action
except ImportError as error:  # pragma: no cover - environment problem
    sys.exit(
        f"pokerkit_check: cannot import pokerkit ({error}); "
        "create the venv with scripts/install.sh or: python3 -m venv .dozen/venv && "
        ".dozen/venv/bin/pip install pokerkit==0.7.7"
    )

GAME_NAMES = {"NT": "nlhe", "PO": "plo", "F7S": "stud"}


class Mismatch(Exception):
    """A disagreement between the file and PokerKit."""


def strict_replay(hh: HandHistory) -> tuple[list[int], list[str]]:
    """Replay every action through PokerKit, refusing nothing silently.

    Returns the final stacks and the warnings PokerKit emitted (prefixed by the action).
    """
    notes: list[str] = []
    offered = list(hh.user_defined_fields.get("_options", []))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        state = hh.create_state()
        for number, action in enumerate(hh.actions, start=1):
            # The only non-automated dealer step PokerKit's reader performs itself.
            while state.can_burn_card():
                state.burn_card("??")
            words = action.split("#")[0].split()
            if offered and len(words) >= 2 and words[0] != "d" and words[1] in {"f", "cc", "cbr", "pb"}:
                ours = offered.pop(0)
                theirs = pokerkit_options(state)
                if ours != theirs:
                    raise Mismatch(
                        f"before action {number} {action!r} the engine offers {ours!r} "
                        f"(player, to call, min raise-to, max raise-to, bring-in) "
                        f"but PokerKit {theirs!r}"
                    )
            try:
                parse_action(state, action, hh.parse_value)
            except (ValueError, AssertionError) as error:
                raise Mismatch(
                    f"action {number} {action!r} refused by PokerKit: "
                    f"{error or type(error).__name__}"
                    f" (PokerKit expects actor p{_one_based(state.actor_index)},"
                    f" stacks {list(state.stacks)}, bets {list(state.bets)})"
                ) from None
            notes.extend(f"action {number} {action!r}: {w.message}" for w in caught)
            caught.clear()
        while state.status and state.can_burn_card():
            state.burn_card("??")
        notes.extend(f"end: {w.message}" for w in caught)
    if state.status:
        expected = _next_step(state)
        raise Mismatch(
            f"hand not over after the last action ({len(hh.actions)} actions); "
            f"PokerKit still expects {expected}"
        )
    return [int(s) for s in state.stacks], notes


def pokerkit_options(state: pokerkit.State) -> str:
    """PokerKit's choices for the player to act, in the `_options` format."""

    def bound(value: int | None) -> str:
        return "-" if value is None else str(int(value))

    bring_in = state.can_post_bring_in()
    to_call = 0 if bring_in else int(state.checking_or_calling_amount or 0)
    return (
        f"p{_one_based(state.actor_index)} {to_call} "
        f"{bound(state.min_completion_betting_or_raising_to_amount)} "
        f"{bound(state.max_completion_betting_or_raising_to_amount)} {int(bring_in)}"
    )


def _one_based(index: int | None) -> str:
    return "?" if index is None else str(index + 1)


def _next_step(state: pokerkit.State) -> str:
    if state.actor_index is not None:
        return f"an action from p{state.actor_index + 1}"
    if state.showdown_index is not None:
        return f"a show or muck from p{state.showdown_index + 1}"
    if state.can_deal_hole():
        return "hole cards to be dealt"
    if state.can_deal_board():
        return "board cards to be dealt"
    return "more steps"


def reader_replay(hh: HandHistory) -> list[int]:
    """Final stacks as PokerKit's own PHH reader computes them."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        last = None
        for last in hh:
            pass
    assert last is not None
    return [int(s) for s in last.stacks]


def check_file(path: Path) -> tuple[str, list[str]]:
    """Returns the game name and PokerKit's warnings; raises Mismatch on disagreement."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # unexpected fields etc. are load failures
            with path.open("rb") as fp:
                hh = HandHistory.load(fp)
    except Exception as error:  # noqa: BLE001 - any load failure is reported per file
        raise Mismatch(f"load failed: {type(error).__name__}: {error}") from None
    game = GAME_NAMES.get(hh.variant, hh.variant)
    if hh.finishing_stacks is None:
        raise Mismatch("no finishing_stacks field")
    expected = [int(s) for s in hh.finishing_stacks]
    try:
        stacks, notes = strict_replay(hh)
    except Mismatch:
        raise
    except Exception as error:  # noqa: BLE001 - PokerKit internals
        raise Mismatch(f"replay crashed: {type(error).__name__}: {error}") from None
    if stacks != expected:
        raise Mismatch(
            f"finishing_stacks {expected} but PokerKit ends with {stacks} "
            f"(difference {[s - e for s, e in zip(stacks, expected)]})"
        )
    try:
        read = reader_replay(hh)
    except Exception as error:  # noqa: BLE001
        raise Mismatch(f"PokerKit's reader failed: {type(error).__name__}: {error}") from None
    if read != expected:
        raise Mismatch(f"finishing_stacks {expected} but PokerKit's reader ends with {read}")
    return game, notes


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dirs", nargs="+", type=Path, help="directories of .phh files")
    parser.add_argument("-v", "--verbose", action="store_true", help="print PokerKit warnings")
    args = parser.parse_args()

    files: list[Path] = []
    for directory in args.dirs:
        if not directory.is_dir():
            print(f"pokerkit_check: {directory} is not a directory", file=sys.stderr)
            return 2
        files.extend(sorted(directory.rglob("*.phh")))
    if not files:
        print("pokerkit_check: no .phh files found", file=sys.stderr)
        return 2

    per_game: Counter[str] = Counter()
    failures = 0
    warning_count: Counter[str] = Counter()
    for path in files:
        try:
            game, notes = check_file(path)
        except Mismatch as error:
            failures += 1
            print(f"MISMATCH {path}: {error}", file=sys.stderr)
            continue
        per_game[game] += 1
        for note in notes:
            warning_count[note.split(": ", 1)[1]] += 1
            if args.verbose:
                print(f"warning {path}: {note}")

    games = ", ".join(f"{game} {n}" for game, n in sorted(per_game.items())) or "none"
    warned = sum(warning_count.values())
    summary = (
        f"pokerkit {_version('pokerkit')}: "
        f"{len(files)} files, {sum(per_game.values())} agree ({games}), {failures} mismatches"
    )
    if warned:
        summary += f", {warned} PokerKit warnings (" + "; ".join(
            f"{n}x {msg}" for msg, n in warning_count.most_common()
        ) + ")"
    print(summary)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
