// Where a wasm's bytes go: code size by crate and the largest functions, read from the name
// section of the linker's output (before wasm-bindgen and wasm-opt strip the names), like
// `twiggy top` without another tool to install.
//
//   node scripts/wasm-top.mjs <file.wasm> [how many functions, default 25] [--prefix a::b]
//
// With --prefix, functions are grouped by the first path segment after that prefix instead of by
// crate (e.g. `--prefix dozen_worker` gives the worker's code per product module).
import { readFileSync } from "node:fs";
import { functionSizes } from "./wasm-names.mjs";

const args = process.argv.slice(2);
const prefixAt = args.indexOf("--prefix");
const prefix = prefixAt >= 0 ? args.splice(prefixAt, 2)[1] : null;
const [file, top = "25"] = args;
if (!file) {
  console.error("usage: node scripts/wasm-top.mjs <file.wasm> [N] [--prefix crate]");
  process.exit(2);
}
let functions;
try {
  functions = functionSizes(file);
} catch (error) {
  console.error(error.message);
  process.exit(1);
}
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
console.log(`${file}: ${kb(readFileSync(file).length)} KB file, ${kb(total)} KB of code in ${functions.length} functions\n`);
console.log(prefix ? `code by ${prefix} module` : "code by crate");
for (const [group, size] of [...groups].sort((a, b) => b[1] - a[1]).slice(0, 30)) {
  console.log(`${kb(size)}  ${((100 * size) / total).toFixed(1).padStart(5)}%  ${group}`);
}
console.log(`\nlargest ${top} functions`);
for (const f of functions.sort((a, b) => b.size - a.size).slice(0, Number(top))) {
  console.log(`${kb(f.size)}  ${f.name.slice(0, 140)}`);
}
