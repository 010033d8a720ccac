#!/usr/bin/env bash
# Checks the poker engine's PHH hand histories against PokerKit, the rules reference (issue 5):
# simulates hands of NLHE, PLO and Stud with 2, 3, 6 and 9 players (Stud: 8) at a fixed seed, then
# loads and replays every file with PokerKit (scripts/pokerkit_check.py): every action must be
# accepted, the engine's choices before each action (--options) must equal PokerKit's, and the final
# stacks must equal the file's finishing_stacks. Needs the venv from scripts/install.sh (.dozen/venv with
# the pinned pokerkit). About 20 s warm.
#
#   scripts/pokerkit-check.sh [HANDS_PER_TABLE (default 50)] [SEED (default dozen)]
set -euo pipefail
cd "$(dirname "$0")/.."

HANDS=${1:-50}
SEED=${2:-dozen}
PYTHON=.dozen/venv/bin/python
if ! "$PYTHON" -c 'import pokerkit' 2>/dev/null; then
  echo "pokerkit-check: no PokerKit in .dozen/venv; run scripts/install.sh" >&2
  exit 2
fi

OUT=$(mktemp -d "${TMPDIR:-/tmp}/dozen-pokerkit.XXXXXX")
trap 'rm -rf "$OUT"' EXIT

# One build, then the binary directly for each table.
cargo build --release --quiet -p shared --example poker
POKER=${CARGO_TARGET_DIR:-target}/release/examples/poker
for game in nlhe plo stud; do
  for players in 2 3 6 9; do
    if [ "$game" = stud ] && [ "$players" = 9 ]; then players=8; fi
    "$POKER" simulate --game "$game" --players "$players" --hands "$HANDS" --seed "$SEED" \
      --out "$OUT/$game-$players" --options >/dev/null
  done
done

"$PYTHON" scripts/pokerkit_check.py "$OUT"
