# Dozen: the two commands are `make dev` and `make test` (see README.md).
# Everything else here is a step of those two.

SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := dev

export PATH := $(CURDIR)/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)
# worker-build would download these without being told where the installed ones are.
export WASM_BINDGEN_BIN := $(HOME)/.cargo/bin/wasm-bindgen
export ESBUILD_BIN := $(CURDIR)/node_modules/.bin/esbuild
export WASM_OPT_BIN := $(CURDIR)/node_modules/.bin/wasm-opt
# No prompts, no telemetry: these machines have no network beyond the package registries.
export WRANGLER_SEND_METRICS := false
export CI ?= 1
export DOZEN_GIT_COMMIT := $(shell git rev-parse --short HEAD 2>/dev/null)

# Set only for wasm builds: empty with rustup, Debian's rustc-web route otherwise.
WASM_ENV := $(shell scripts/wasm-env.sh)
STATE := .wrangler/state
PORT ?= 8787

SHARED_SOURCES := Cargo.toml Cargo.lock $(shell find shared/src -type f) shared/Cargo.toml
WORKER_SOURCES := $(SHARED_SOURCES) $(shell find worker/src -type f) worker/Cargo.toml

.PHONY: dev test install build app worker migrate lint test-native pokerkit-check test-browser \
        test-e2e sizes check-sizes lighthouse bench-links bench-pay bench-chat bench-poker bench-lockers bench-cricket bench-news deploy dry-run clean

## make dev: install what is missing, build, migrate, serve http://localhost:8787 with demo data
# The server loads every product's demo data once (POST /api/demo) and runs the worker's scheduled
# jobs every minute, as Cloudflare's Cron Trigger does (scripts/dev.sh).
dev: install build migrate
	PORT=$(PORT) STATE=$(STATE) scripts/dev.sh

## make test: install what is missing, then every test layer; fails on any failure
test: install
	$(MAKE) --no-print-directory lint test-native pokerkit-check test-browser build check-sizes test-e2e

install:
	@scripts/install.sh

build: app worker

# Each bundle of the app (app/bundles.json) is built by Trunk on its own, only when its sources
# changed; then dist/ is assembled (scripts/build-app.mjs).
app:
	env $(WASM_ENV) node scripts/build-app.mjs

worker: worker/build/index.js
worker/build/index.js: $(WORKER_SOURCES)
	cd worker && env $(WASM_ENV) worker-build --release
	@touch $@

migrate:
	wrangler d1 migrations apply DB --local --persist-to $(STATE)

lint:
	cargo fmt --all --check
	cargo clippy --workspace --all-targets -- -D warnings

# `push` (Chat's Web Push crypto) is a feature of shared that only the worker turns on: named here
# so that its tests run whatever else is selected.
test-native:
	cargo test -p shared -p dozen-worker --features shared/push

## make sizes: the size table (each bundle and the worker, raw / gzip / brotli, per route)
sizes: build
	node scripts/sizes.mjs

# The budgets of the size table; part of make test.
check-sizes: build
	node scripts/sizes.mjs --check

# Simulated hand histories replayed by PokerKit, the rules reference (shared/POKER.md).
pokerkit-check:
	scripts/pokerkit-check.sh

# App components in headless Chromium (wasm-bindgen-test).
test-browser:
	CHROMEDRIVER=/usr/bin/chromedriver CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
	  env $(WASM_ENV) cargo test -p app-ui -p app-shell -p app-account -p app-links -p app-pay -p app-chat -p app-poker -p app-lockers -p app-news --target wasm32-unknown-unknown

# API scenarios and browser journeys against a real `wrangler dev` with a fresh state folder.
test-e2e: build
	node tests/run-e2e.mjs

# Benchmark (not a test): Lighthouse's mobile preset on / and each product's main page.
lighthouse: build
	node scripts/lighthouse.mjs

# Benchmark (not a test): wrk against a redirect and the worker's cheapest route, same run.
bench-links: build
	node tests/bench/links.mjs 10 16

# Benchmark (not a test): wrk against Pay's /v1 read and write paths and the ceiling, same run.
bench-pay: build
	node tests/bench/pay.mjs 10 16

# Benchmark (not a test): chat fan-out over real sockets, 1 group of 100 and 10 groups of 10.
bench-chat: build
	node tests/bench/chat.mjs 100

# Benchmark (not a test): a 9-player poker table over real sockets, and a heads-up one, same run.
bench-poker: build
	node tests/bench/poker.mjs 200

# Benchmark (not a test): 50 couriers depositing into one bank, and into 50 banks, same run.
bench-lockers: build
	node tests/bench/lockers.mjs 250

# Benchmark (not a test): a Test match's import against a T20's, and one ball reaching 200
# viewers' sockets against one viewer's, same run.
bench-cricket: build
	node tests/bench/cricket.mjs 200 60 5

bench-news: build
	node tests/bench/news.mjs 10 16 5

deploy: install build
	wrangler d1 migrations apply DB --remote
	wrangler deploy

dry-run: build
	wrangler deploy --dry-run --outdir .dozen/dry-run

clean:
	rm -rf dist worker/build target/bundles target/app-html .dozen
