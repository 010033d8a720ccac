// Where a wasm's bytes go: code size by crate and the largest functions, read from the name
// section of the linker's output (before wasm-bindgen and wasm-opt strip the names), like
// `twiggy top` without another tool to install.
//
//   node scripts/wasm-top.mjs <file.wasm> [how many functions, default 25] [--prefix a::b]
//
// With --prefix, functions are grouped by the first path segment after that prefix instead of by
// crate (e.g. `--prefix dozen_worker` gives the worker's code per product module).
import { readFileSync } from "node:fs";

const args = process.argv.slice(2);
const prefixAt = args.indexOf("--prefix");
const prefix = prefixAt >= 0 ? args.splice(prefixAt, 2)[1] : null;
const [file, top = "25"] = args;
if (!file) {
  console.error("usage: node scripts/wasm-top.mjs <file.wasm> [N] [--prefix crate]");
  process.exit(2);
}
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
if (!names.size) {
  console.error(`${file} has no name section (use the linker's output, before wasm-opt)`);
  process.exit(1);
}

// Legacy Rust mangling: _ZN <len><ident>… 17h<hash> E  →  a::b::c
function demangle(symbol) {
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

const functions = bodySizes.map((size, i) => ({ size, name: demangle(names.get(i + importedFunctions) ?? `#${i}`) }));
const total = functions.reduce((sum, f) => sum + f.size, 0);
const groupOf = (name) => {
  const path = name.replace(/^<+/, "");
  if (prefix) {
    const found = path.indexOf(prefix + "::");
    if (found < 0) return "(elsewhere)";
    return prefix + "::" + path.slice(found + prefix.length + 2).split("::")[0];
  }
  return path.split("::")[0].split(" ")[0];
};
const groups = new Map();
for (const f of functions) groups.set(groupOf(f.name), (groups.get(groupOf(f.name)) ?? 0) + f.size);

const kb = (n) => (n / 1000).toFixed(1).padStart(8);
console.log(`${file}: ${kb(bytes.length)} KB file, ${kb(total)} KB of code in ${functions.length} functions\n`);
console.log(prefix ? `code by ${prefix} module` : "code by crate");
for (const [group, size] of [...groups].sort((a, b) => b[1] - a[1]).slice(0, 30)) {
  console.log(`${kb(size)}  ${((100 * size) / total).toFixed(1).padStart(5)}%  ${group}`);
}
console.log(`\nlargest ${top} functions`);
for (const f of functions.sort((a, b) => b.size - a.size).slice(0, Number(top))) {
  console.log(`${kb(f.size)}  ${f.name.slice(0, 140)}`);
}
