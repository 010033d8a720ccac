// The code size of every function of a wasm, named from its name section (the linker's output,
// before wasm-bindgen and wasm-opt strip the names): what scripts/wasm-top.mjs and the worker's
// per-product share in scripts/sizes.mjs read.
import { readFileSync } from "node:fs";

/** [{ name, size }] for every function body of `file`; throws when it has no name section. */
export function functionSizes(file) {
  const bytes = readFileSync(file);

  let at = 8; // magic + version
  function leb() {
    let result = 0;
    let shift = 0;
    for (;;) {
      const byte = bytes[at++];
      result += (byte & 0x7f) * 2 ** shift;
      shift += 7;
      if (!(byte & 0x80)) return result;
    }
  }
  const text = (length) => bytes.toString("utf8", at, (at += length));

  let importedFunctions = 0;
  const bodySizes = [];
  const names = new Map();
  while (at < bytes.length) {
    const id = bytes[at++];
    const size = leb();
    const end = at + size;
    if (id === 2) {
      // imports: count the functions, which come first in the function index space
      for (let n = leb(); n > 0; n--) {
        text(leb());
        text(leb());
        const kind = bytes[at++];
        if (kind === 0) {
          leb();
          importedFunctions++;
        } else if (kind === 1) {
          at++;
          const flags = leb();
          leb();
          if (flags & 1) leb();
        } else if (kind === 2) {
          const flags = leb();
          leb();
          if (flags & 1) leb();
        } else if (kind === 3) {
          at += 2;
        } else {
          leb();
        }
      }
    } else if (id === 10) {
      for (let n = leb(); n > 0; n--) {
        const length = leb();
        bodySizes.push(length);
        at += length;
      }
    } else if (id === 0) {
      const name = text(leb());
      if (name === "name") {
        while (at < end) {
          const sub = bytes[at++];
          const subSize = leb();
          const subEnd = at + subSize;
          if (sub === 1) for (let n = leb(); n > 0; n--) names.set(leb(), text(leb()));
          at = subEnd;
        }
      }
    }
    at = end;
  }
  if (!names.size) throw new Error(`${file} has no name section (use the linker's output, before wasm-opt)`);

  return bodySizes.map((size, i) => ({ size, name: demangle(names.get(i + importedFunctions) ?? `#${i}`) }));
}

// Legacy Rust mangling: _ZN <len><ident>… 17h<hash> E  →  a::b::c
export function demangle(symbol) {
  if (!symbol.startsWith("_ZN")) return symbol;
  const parts = [];
  let i = 3;
  while (i < symbol.length && symbol[i] !== "E") {
    let digits = "";
    while (/\d/.test(symbol[i])) digits += symbol[i++];
    if (!digits) break;
    parts.push(symbol.slice(i, i + Number(digits)));
    i += Number(digits);
  }
  if (parts.length && /^h[0-9a-f]{16}$/.test(parts.at(-1))) parts.pop();
  return parts
    .join("::")
    .replaceAll("$LT$", "<")
    .replaceAll("$GT$", ">")
    .replaceAll("$u20$", " ")
    .replaceAll("$RF$", "&")
    .replaceAll("$C$", ",")
    .replaceAll("..", "::");
}

