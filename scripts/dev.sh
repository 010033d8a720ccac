#!/usr/bin/env bash
# make dev's server: `wrangler dev` at http://localhost:$PORT, the demo data of every product
# (loaded once per state folder: POST /api/demo, worker/src/demo.rs), plus what Cloudflare's Cron
# Trigger does in production: every minute, on the minute, the worker's scheduled handler runs every
# product's jobs (worker/src/scheduled.rs). wrangler's own /cdn-cgi/handler/scheduled fails for
# this worker (README, "Requests at the edge"), so the same entry point is reached at
# POST /api/scheduled, which only a local worker (DOZEN_LOCAL) answers.
set -euo pipefail
PORT=${PORT:-8787}
STATE=${STATE:-.wrangler/state}
# The address the README gives, so the demo's short links (made with this origin) open signed in.
BASE="http://localhost:$PORT"

# The demo account may read poker's collusion signals, make lockers' locations and play their
# courier and News moderator here (POKER_ADMINS, LOCKERS_ADMINS, LOCKERS_COURIERS and NEWS_MODERATORS
# are empty in wrangler.toml).
wrangler dev --persist-to "$STATE" --port "$PORT" --var POKER_ADMINS:demo \
  --var LOCKERS_ADMINS:demo --var LOCKERS_COURIERS:demo --var NEWS_MODERATORS:demo &
server=$!
ticker=
trap 'kill $ticker $server 2>/dev/null || true' EXIT INT TERM

post() { # path -> HTTP status, or 0 when nothing answers
  node -e 'fetch(process.argv[1], { method: process.argv[2] }).then((r) => console.log(r.status), () => console.log(0))' "$BASE$1" "${2:-GET}"
}

(
  until [ "$(post /api/health)" = 200 ]; do sleep 1; done
  status=$(post /api/demo POST)
  [ "$status" = 200 ] && echo "[dev] demo data loaded: sign in as demo / dozen-demo-2026" \
    || echo "[dev] loading the demo data answered $status (see the log above)"
  node scripts/demo-cricket.mjs "$BASE" || echo "[dev] the cricket demo could not be imported (see above)"
  while sleep $((60 - $(date +%s) % 60)); do
    status=$(post /api/scheduled POST)
    [ "$status" = 200 ] || echo "[dev] the scheduled run answered $status (see the log above)"
  done
) &
ticker=$!
wait "$server"
