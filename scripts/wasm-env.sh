#!/usr/bin/env bash
# Prints the environment wasm builds need (as `NAME=value` words for `env`), or nothing when
# rustup provides wasm32-unknown-unknown. The fallback is Debian's rustc-web building std from
# source (see ../shared/TOOLCHAIN.md); it is set only for wasm commands, never for native tests.
if rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  exit 0
fi
if [ -x /usr/bin/rustc ] && command -v wasm-ld-19 >/dev/null; then
  echo "RUSTC=/usr/bin/rustc RUSTC_BOOTSTRAP=1 CARGO_UNSTABLE_BUILD_STD=std,panic_abort" \
       "CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER=wasm-ld-19 PATH=/usr/bin:$PATH"
fi
