// make dev's cricket demo: the real Cricsheet matches in shared/tests/data/cricsheet (data from
// cricsheet.org, ODC-BY) imported as the demo account through the public import API, so the demo
// is what any user's import makes. A match already here is refused (409) and left as it is, so
// running this again changes nothing.
import { readdirSync, readFileSync } from "node:fs";

const base = process.argv[2] ?? "http://localhost:8787";
const dir = new URL("../shared/tests/data/cricsheet/", import.meta.url).pathname;

const signIn = await fetch(`${base}/api/auth/login`, {
  method: "POST",
  headers: { "content-type": "application/json", origin: base },
  body: JSON.stringify({ login: "demo", password: "dozen-demo-2026" }),
});
if (signIn.status !== 200) throw new Error(`signing in as demo answered ${signIn.status}`);
const cookie = signIn.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");

let imported = 0;
for (const file of readdirSync(dir).filter((f) => f.endsWith(".json")).sort()) {
  const res = await fetch(`${base}/api/cricket/matches/import`, {
    method: "POST",
    headers: { "content-type": "application/json", cookie, origin: base },
    body: readFileSync(dir + file),
  });
  if (res.status === 201) imported += 1;
  else if (res.status !== 409) throw new Error(`importing ${file} answered ${res.status}: ${await res.text()}`);
}
console.log(`[dev] cricket: ${imported} Cricsheet matches imported`);
