#!/usr/bin/env bash
# Installs what Dozen needs to build and test, at pinned versions. Idempotent: each step checks
# first and does nothing when the right version is already there (a warm run takes ~1 s).
#
#   Rust wasm target   rustup's wasm32-unknown-unknown, or Debian's rustc-web route (TOOLCHAIN.md)
#   cargo tools        wasm-bindgen-cli (= the wasm-bindgen in Cargo.lock), worker-build, trunk
#   npm tools          wrangler, esbuild, binaryen's wasm-opt, playwright-core (package-lock.json)
#   Debian packages    chromium + chromium-driver (browser tests), wrk (benchmarks), ffmpeg (Cricket's
#                      test video stream)
#   PyPI               schemathesis (the API document's check), razorpay (Pay's SDK tests) and
#                      pokerkit in .dozen/venv (the poker rules reference, scripts/pokerkit-check.sh),
#                      razorpay (Razorpay's Python SDK, which Pay's e2e tests drive: tests/pay);
#                      haxor (an HN API client, News' /v0 tests: tests/news) in .dozen/venv-haxor
set -euo pipefail
cd "$(dirname "$0")/.."

WASM_BINDGEN_VERSION=0.2.130   # must equal the wasm-bindgen pinned in Cargo.toml
WORKER_BUILD_VERSION=0.8.7
TRUNK_VERSION=0.21.14
# fonts-noto-color-emoji: so screenshots of chats show emoji as people see them, not boxes.
APT_PACKAGES=(chromium chromium-driver wrk fonts-noto-color-emoji ffmpeg)

say() { printf '\033[1;34m[install]\033[0m %s\n' "$*"; }

# --- Debian packages -------------------------------------------------------------------------
missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if ((${#missing[@]})); then
  say "apt: ${missing[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# --- the wasm target -------------------------------------------------------------------------
# rustup's target where rustup can add it; else Debian's rustc-web with std built from source,
# which scripts/wasm-env.sh then selects for every wasm command.
if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  if ! rustup target add wasm32-unknown-unknown; then
    say "rustup cannot add wasm32-unknown-unknown; installing Debian's rustc-web route"
    SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq rustc-web cargo-web rust-web-src lld-19 >/dev/null
  fi
fi

# --- cargo-installed tools -------------------------------------------------------------------
cargo_tool() { # binary, crate, version, version-probe-args, [--locked]
  local bin=$1 crate=$2 version=$3 probe=$4 locked=${5:-}
  if command -v "$bin" >/dev/null && "$bin" $probe 2>/dev/null | grep -q "$version"; then return; fi
  say "cargo install $crate $version"
  cargo install "$crate" --version "$version" $locked
}
# wasm-bindgen-cli's own lockfile names a webpki-roots the registry mirror lacks, so it resolves
# without --locked; the CLI version itself is exact.
cargo_tool wasm-bindgen wasm-bindgen-cli "$WASM_BINDGEN_VERSION" --version
cargo_tool worker-build worker-build "$WORKER_BUILD_VERSION" --version --locked
cargo_tool trunk trunk "$TRUNK_VERSION" --version --locked

# --- npm tools -------------------------------------------------------------------------------
# package.json pins, through "overrides", what a package asks for as "latest" (lighthouse's trace
# engine: third-party-web, legacy-javascript): unpinned, `npm ci` refuses the lockfile as soon as a
# newer version is published.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ] \
  || [ package.json -nt node_modules/.package-lock.json ]; then
  say "npm ci"
  npm ci --no-audit --no-fund --loglevel=error
fi

# --- PokerKit: the poker rules reference (scripts/pokerkit-check.sh) -------------------------
POKERKIT_VERSION=0.7.7   # needs Python >= 3.11
if ! .dozen/venv/bin/python -c "import importlib.metadata as m, sys; sys.exit(m.version('pokerkit') != '$POKERKIT_VERSION')" 2>/dev/null; then
  say "pip install pokerkit $POKERKIT_VERSION"
  [ -x .dozen/venv/bin/python ] || python3 -m venv .dozen/venv
  .dozen/venv/bin/pip install --quiet --disable-pip-version-check "pokerkit==$POKERKIT_VERSION"
fi

# --- Razorpay's Python SDK: Pay's end-to-end tests drive Dozen with it (tests/pay) ------------
RAZORPAY_VERSION=2.0.1
if ! .dozen/venv/bin/python -c "import importlib.metadata as m, sys; sys.exit(m.version('razorpay') != '$RAZORPAY_VERSION')" 2>/dev/null; then
  say "pip install razorpay $RAZORPAY_VERSION"
  [ -x .dozen/venv/bin/python ] || python3 -m venv .dozen/venv
  .dozen/venv/bin/pip install --quiet --disable-pip-version-check "razorpay==$RAZORPAY_VERSION"
fi

# --- haxor, a Python client of HN's read API: News' /v0 is tested with it (tests/news) ----------
# A venv of its own: haxor pins aiohttp 3.9.1 and installs a top-level `tests` package, which
# would shadow this repo's tests/ in .dozen/venv.
HAXOR_VERSION=1.2.4
if ! .dozen/venv-haxor/bin/python -c "import importlib.metadata as m, sys; sys.exit(m.version('haxor') != '$HAXOR_VERSION')" 2>/dev/null; then
  say "pip install haxor $HAXOR_VERSION"
  [ -x .dozen/venv-haxor/bin/python ] || python3 -m venv .dozen/venv-haxor
  .dozen/venv-haxor/bin/pip install --quiet --disable-pip-version-check "haxor==$HAXOR_VERSION"
fi

# --- schemathesis: holds /api/openapi.json to what the worker answers (tests/schemathesis.sh) --
SCHEMATHESIS_VERSION=4.32.5
if ! .dozen/venv/bin/python -c "import importlib.metadata as m, sys; sys.exit(m.version('schemathesis') != '$SCHEMATHESIS_VERSION')" 2>/dev/null; then
  say "pip install schemathesis $SCHEMATHESIS_VERSION"
  [ -x .dozen/venv/bin/python ] || python3 -m venv .dozen/venv
  .dozen/venv/bin/pip install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"
fi

say "tools ready"
