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

// A match scored live, once: two overs of a T20 with a boundary, a six and a wicket, a chat,
// a poll, and a short test stream made with ffmpeg (Debian's) whose timeline carries the
// highlights. Skipped when the demo's live match is here already.
const headers = { "content-type": "application/json", cookie, origin: base };
const api = async (method, path, body) => {
  const res = await fetch(`${base}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${path} answered ${res.status}: ${text}`);
  return text ? JSON.parse(text) : null;
};
const home = "Dozen XI";
const away = "Edge CC";
const existing = await api("GET", `/api/cricket/matches?team=${encodeURIComponent(home)}`);
if (existing.matches.length === 0) {
  const side = (prefix) => ["Asha", "Bilal", "Chen", "Dara", "Emeka", "Farah", "Gopal", "Hana", "Ivan", "Jade", "Kofi"].map((n) => `${n} ${prefix}`);
  const made = await api("POST", "/api/cricket/matches", {
    teams: [home, away],
    players: { [home]: side("Rao"), [away]: side("Silva") },
    match_type: "T20",
    overs: 20,
    start_date: new Date().toISOString().slice(0, 10),
    venue: "Dozen Oval",
    event: "Dozen Demo Cup",
    toss_winner: home,
    toss_decision: "bat",
  });
  const id = made.id;
  const startedAt = Date.now();
  let seq = 0;
  const change = async (path, body) => (seq = (await api("POST", `/api/cricket/matches/${id}/${path}?expected_seq=${seq}`, body)).seq);
  await change("events", { type: "start_innings", team: home });
  const [a, b] = side("Rao");
  const bowlers = side("Silva");
  // [striker, non-striker, bowler, runs off the bat, note, wicket]
  const balls = [
    [a, b, bowlers[10], 0], [a, b, bowlers[10], 4, "driven through the covers"], [a, b, bowlers[10], 1],
    [b, a, bowlers[10], 0], [b, a, bowlers[10], 6, "launched over long-on"], [b, a, bowlers[10], 1],
    [b, a, bowlers[9], 2], [b, a, bowlers[9], 0], [b, a, bowlers[9], 0, "beaten all ends up", { player_out: b, kind: "bowled" }],
    [side("Rao")[2], a, bowlers[9], 1], [a, side("Rao")[2], bowlers[9], 4], [a, side("Rao")[2], bowlers[9], 0],
  ];
  for (const [batter, non_striker, bowler, runs, note, wicket] of balls) {
    await new Promise((r) => setTimeout(r, 500));
    await change("deliveries", {
      batter, non_striker, bowler, runs: { batter: runs, extras: 0, total: runs },
      ...(wicket ? { wickets: [wicket] } : {}), ...(note ? { note } : {}),
    });
  }
  await api("POST", `/api/cricket/matches/${id}/chat`, { body: "Welcome to the Dozen Demo Cup! Scoring every ball live." });
  const poll = await api("POST", `/api/cricket/matches/${id}/polls`, { kind: "winner" });
  await api("POST", `/api/cricket/matches/${id}/polls/${poll.id}/votes`, { option: 0 });
  await demoStream(id, startedAt);
  console.log(`[dev] cricket: a live match (${home} v ${away}) scored, with its chat, a poll and a test stream`);
}

async function demoStream(id, startedAt) {
  const { spawnSync } = await import("node:child_process");
  const { mkdtempSync, rmSync } = await import("node:fs");
  const { tmpdir } = await import("node:os");
  const out = mkdtempSync(`${tmpdir()}/dozen-stream-`);
  const made = spawnSync("ffmpeg", [
    "-hide_banner", "-loglevel", "error",
    "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=25", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100",
    "-t", "24", "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p", "-g", "50", "-c:a", "aac",
    "-f", "hls", "-hls_time", "4", "-hls_playlist_type", "vod", "-hls_segment_filename", `${out}/seg%03d.ts`, `${out}/index.m3u8`,
  ]);
  if (made.status !== 0) {
    console.log(`[dev] cricket: no test stream (ffmpeg: ${made.error?.message ?? made.stderr})`);
    return;
  }
  const files = readdirSync(out).sort((x, y) => (x.endsWith(".m3u8") ? 1 : 0) - (y.endsWith(".m3u8") ? 1 : 0));
  for (const file of files) {
    const res = await fetch(`${base}/api/cricket/matches/${id}/stream/${file}`, {
      method: "PUT",
      headers: { "content-type": "application/octet-stream", cookie, origin: base },
      body: readFileSync(`${out}/${file}`),
    });
    if (res.status >= 300) throw new Error(`uploading ${file} answered ${res.status}: ${await res.text()}`);
  }
  rmSync(out, { recursive: true, force: true });
  // The stream "started" two seconds before the first ball, so each highlight lands on it.
  await api("POST", `/api/cricket/matches/${id}/stream`, { playlist: "index.m3u8", started_at: startedAt - 2000 });
}
