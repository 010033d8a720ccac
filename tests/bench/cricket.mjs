// Benchmark (not a test): Cricket against one `wrangler dev` on loopback.
//
// 1. Import: a real five-day Test (Lord's 2021, 2,519 deliveries) through POST /matches/import,
//    timed end to end, against a real T20 (IPL 2017, 248 deliveries) in the same run. Each copy
//    differs only in `meta.created`, so the fingerprint lets it in again.
// 2. Event → viewer: a match scored live with `viewers` sockets open; per ball, the time from the
//    scorer's POST to the moment every socket has the state of that ball (p50/p99), against the
//    same with a single viewer (the reference, same run).
//
//   node tests/bench/cricket.mjs [viewers=200] [balls=60] [imports=5]
//
// Figures under `wrangler dev` are bounded by one workerd process on this machine; compare the
// ratios, not the absolute numbers (TOOLCHAIN.md).
import { readFileSync } from "node:fs";
import { startServer } from "../support/server.mjs";

const viewers = Number(process.argv[2] ?? 200);
const balls = Number(process.argv[3] ?? 60);
const imports = Number(process.argv[4] ?? 5);
const server = await startServer();
process.env.DOZEN_BASE_URL = server.baseUrl;
const { request, signUp } = await import("../support/api.mjs");
const { FrameSocket, closeAllFrameSockets } = await import("../support/frame-socket.mjs");
const DATA = new URL("../../shared/tests/data/cricsheet/", import.meta.url).pathname;

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const summary = (times) => {
  const sorted = [...times].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99), n: sorted.length };
};
const ms = (x) => `${x.toFixed(1)} ms`;

async function timeImports(person, file, count) {
  const match = JSON.parse(readFileSync(DATA + file, "utf8"));
  const times = [];
  for (let i = 0; i < count; i++) {
    match.meta.created = `2000-01-${String(i + 1).padStart(2, "0")}`;
    const started = performance.now();
    const res = await request("POST", "/api/cricket/matches/import", { jar: person.jar, body: match });
    times.push(performance.now() - started);
    if (res.status !== 201) throw new Error(`${file}: ${res.status} ${res.text}`);
  }
  return summary(times);
}

async function fanOut(scorer, count, ballCount) {
  const xi = (p) => Array.from({ length: 11 }, (_, i) => `${p} ${i + 1}`);
  const made = await request("POST", "/api/cricket/matches", {
    jar: scorer.jar,
    body: { teams: ["Bench A", "Bench B"], players: { "Bench A": xi("A"), "Bench B": xi("B") }, match_type: "ODI", overs: 50, start_date: "2026-12-05" },
  });
  if (made.status !== 201) throw new Error(made.text);
  const id = made.json.id;
  const sockets = [];
  for (let i = 0; i < count; i++) {
    sockets.push(await FrameSocket.connect(`/api/cricket/matches/${id}/socket`, {}, (ws) => new FrameSocket(ws)));
  }
  let seq = (await request("POST", `/api/cricket/matches/${id}/events`, { jar: scorer.jar, body: { type: "start_innings", team: "Bench A" } })).json.seq;
  const times = [];
  for (let i = 0; i < ballCount; i++) {
    const over = Math.floor(i / 6);
    const started = performance.now();
    const posted = request("POST", `/api/cricket/matches/${id}/deliveries?expected_seq=${seq}`, {
      jar: scorer.jar,
      body: { batter: "A 1", non_striker: "A 2", bowler: over % 2 ? "B 10" : "B 11", runs: { batter: 0, extras: 0, total: 0 } },
    });
    const want = seq + 1;
    await Promise.all(sockets.map((s) => s.next((f) => f.type === "state" && f.seq === want, 20000, `ball ${want}`)));
    times.push(performance.now() - started);
    const res = await posted;
    if (res.status !== 200) throw new Error(res.text);
    seq = res.json.seq;
    for (const s of sockets) s.frames.length = 0, s.taken.clear();
  }
  for (const s of sockets) s.ws.close();
  return summary(times);
}

try {
  const person = await signUp();
  const t20 = await timeImports(person, "1082591.json", imports);
  const test = await timeImports(person, "1239544.json", imports);
  console.log(`import, T20 (248 balls): p50 ${ms(t20.p50)}, p99 ${ms(t20.p99)} (n=${t20.n})`);
  console.log(`import, Test (2,519 balls): p50 ${ms(test.p50)}, p99 ${ms(test.p99)} (n=${test.n}); ${(test.p50 / t20.p50).toFixed(2)}× the T20`);
  const one = await fanOut(person, 1, balls);
  const many = await fanOut(person, viewers, balls);
  console.log(`event → 1 viewer: p50 ${ms(one.p50)}, p99 ${ms(one.p99)} (n=${one.n})`);
  console.log(`event → ${viewers} viewers (all of them): p50 ${ms(many.p50)}, p99 ${ms(many.p99)} (n=${many.n}); p50 ${(many.p50 / one.p50).toFixed(2)}× one viewer`);
} finally {
  closeAllFrameSockets();
  await server.stop();
}
