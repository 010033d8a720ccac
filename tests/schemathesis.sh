#!/usr/bin/env bash
# Holds the OpenAPI document to what the worker answers: schemathesis sends generated requests to
# every operation of /api/openapi.json and fails on a status the document does not list, a
# response that breaks its schema or content type, or a server error.
#
#   tests/schemathesis.sh http://127.0.0.1:8787 [more schemathesis options]
#
# It starts nothing itself: give it the base URL of a running worker (`wrangler dev`, e.g. the
# one tests/support/server.mjs starts, with a fresh state folder). Through the API it makes a
# throwaway account with an API key and a Pay key, then runs three passes, so signed-in code is
# reached and not only the 401s: anonymous, then the JSON API with the API key (Bearer), then
# Pay's `/v1` with the Pay key (HTTP Basic). Bounded and repeatable: a fixed seed, a few examples
# per operation, no shrinking, one worker; about 2 minutes on the dev machine. Needs
# schemathesis in the project venv (`.dozen/venv/bin/pip install schemathesis`), or its path in
# $SCHEMATHESIS.
set -euo pipefail
base="${1:?usage: tests/schemathesis.sh BASE_URL [schemathesis options]}"
shift
root="$(cd "$(dirname "$0")/.." && pwd)"
st="${SCHEMATHESIS:-$root/.dozen/venv/bin/schemathesis}"

# POST a JSON body; print the response body (fails on an HTTP error).
post() {
  curl -sS --fail-with-body -X POST "$base$1" -H 'content-type: application/json' "${@:3}" -d "$2"
}
field() { python3 -c "import json,sys; print(json.load(sys.stdin)['$1'])"; }

jar="$(mktemp)"
trap 'rm -f "$jar"' EXIT
name="st$(date +%s)$RANDOM"
post /api/auth/register "{\"username\":\"$name\",\"email\":\"$name@example.test\",\"password\":\"schemathesis-$name\"}" -c "$jar" >/dev/null
api_key="$(post /api/auth/keys '{"label":"schemathesis"}' -b "$jar" | field key)"
pay_key="$(post /api/pay/keys '{}' -b "$jar")"
pay_id="$(field key_id <<<"$pay_key")"
pay_secret="$(field key_secret <<<"$pay_key")"

run() {
  "$st" run "$base/api/openapi.json" \
    --url "$base" \
    --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance \
    --max-examples "${SCHEMATHESIS_EXAMPLES:-10}" \
    --seed 2026 \
    --no-shrink \
    --workers 1 \
    --request-timeout 10 \
    --suppress-health-check all \
    --warnings off \
    "$@"
}

echo "== anonymous"
run "$@"
echo "== the JSON API with an API key"
run --include-path-regex '^/(api|shorten)' -H "Authorization: Bearer $api_key" "$@"
echo "== Pay's /v1 with a Pay key"
run --include-path-regex '^/v1/' --auth "$pay_id:$pay_secret" "$@"
