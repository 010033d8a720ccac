// Benchmark (not a test): News against one `wrangler dev` on loopback.
//
// 1. Reading: the front page (GET /api/news/stories, ranked from 600 stories of the last three
//    days and then served from KV) and HN's /v0/topstories.json, with wrk, against GET /api/ping
//    (the worker's cheapest answer) and a static asset (/robots.txt) in the same run; p95 and
//    throughput as ratios to the ceiling.
// 2. Voting: 100 voters upvote ONE story at once, in rounds (each round's votes are taken back
//    before the next), against the reference of the same 100 voters each upvoting a story of
//    their own at once, rounds alternating. Reports votes/s and p50/p99 per vote, then asks D1
//    whether the one story counted every vote exactly once.
//
//   node tests/bench/news.mjs [seconds=10] [connections=16] [rounds=5]
//
// Figures under `wrangler dev` are bounded by one workerd process on this machine; compare the
// ratios, not the absolute numbers (TOOLCHAIN.md).
import { startServer } from "../support/server.mjs";
import { compare } from "./wrk.mjs";

const seconds = Number(process.argv[2] ?? 10);
const connections = Number(process.argv[3] ?? 16);
const rounds = Number(process.argv[4] ?? 5);
const VOTERS = 100;
const STORIES = 600;

const server = await startServer();
process.env.DOZEN_BASE_URL = server.baseUrl;
process.env.DOZEN_STATE_DIR = server.state;
const { d1, request, rows, signUp } = await import("../support/api.mjs");

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

/** A deterministic stream of numbers in [0, 1): the same stories every run. */
function random(seed) {
  let x = seed;
  return () => {
    x = (x * 1_103_515_245 + 12_345) % 2_147_483_648;
    return x / 2_147_483_648;
  };
}

/** Stories of the last three days with points and comments like a real front page's, in one
 * statement (through the API a new account posts two an hour). Returns their ids. */
function seedStories(author, count) {
  const next = random(42);
  const now = Date.now();
  const values = [];
  for (let i = 0; i < count; i++) {
    const age = Math.floor(next() * 72 * 3_600_000);
    const points = 1 + Math.floor(next() ** 3 * 800);
    const comments = Math.floor(points * next() * 0.8);
    const site = `site${i % 97}.example`;
    values.push(
      `('story', 'link', '${author.user.id}', 'Bench story ${i}: something worth reading', 'https://${site}/${i}', '${site}/${i}', '${site}', ${points}, ${comments}, ${now - age})`,
    );
  }
  // D1 takes statements of up to 100 KB: a hundred stories at a time.
  for (let i = 0; i < values.length; i += 100) {
    d1(`INSERT INTO news_items (kind, story_kind, author_id, title, url, url_key, site, points, descendants, created_at) VALUES ${values.slice(i, i + 100).join(", ")}`);
  }
  return rows(d1(`SELECT id FROM news_items WHERE author_id = '${author.user.id}' ORDER BY id`)).map((r) => r.id);
}

/** Every voter at once upvotes (`up`) or takes back (`back`) a vote on `storyOf(their index)`. */
async function voteAll(voters, storyOf, direction) {
  const times = [];
  const started = performance.now();
  await Promise.all(
    voters.map(async (voter, i) => {
      const t = performance.now();
      const path = `/api/news/items/${storyOf(i)}/vote`;
      const res = direction === "up" ? await request("POST", path, { jar: voter.jar, body: { direction } }) : await request("DELETE", path, { jar: voter.jar });
      if (res.status !== 200) throw new Error(`${res.status} ${res.text}`);
      times.push(performance.now() - t);
    }),
  );
  return { times, seconds: (performance.now() - started) / 1000 };
}

function report(name, runs, reference) {
  const times = runs.flatMap((r) => r.times).sort((a, b) => a - b);
  const perSecond = times.length / runs.reduce((s, r) => s + r.seconds, 0);
  const ratio = reference ? `   ${(perSecond / reference).toFixed(2)}× the reference` : "";
  console.log(
    `${name.padEnd(44)} ${perSecond.toFixed(1).padStart(6)} votes/s   p50 ${percentile(times, 50).toFixed(0).padStart(5)} ms   p99 ${percentile(times, 99).toFixed(0).padStart(5)} ms   (${times.length} votes)${ratio}`,
  );
  return perSecond;
}

try {
  const author = await signUp();
  const ids = seedStories(author, STORIES);
  // The first reads rank the lists and put them in KV; wrk then reads them from there.
  for (const path of ["/api/news/stories", "/v0/topstories.json"]) {
    const res = await request("GET", path);
    if (res.status !== 200) throw new Error(`${path}: ${res.status} ${res.text}`);
  }
  const front = await request("GET", "/api/news/stories");
  if (front.json.stories.length !== 30) throw new Error(`the front page has ${front.json.stories.length} stories`);
  await compare(
    server.baseUrl,
    [
      { name: "GET /robots.txt (static)", url: `${server.baseUrl}/robots.txt` },
      { name: "GET /api/news/stories", url: `${server.baseUrl}/api/news/stories` },
      { name: "GET /v0/topstories.json", url: `${server.baseUrl}/v0/topstories.json` },
    ],
    { seconds, connections },
  );

  const voters = [];
  while (voters.length < VOTERS) voters.push(...(await Promise.all(Array.from({ length: 10 }, () => signUp()))));
  const one = ids[0];
  const own = ids.slice(1, 1 + VOTERS);
  const pointsBefore = rows(d1(`SELECT points FROM news_items WHERE id = ${one}`))[0].points;
  // Warm-up, untimed: every voter votes once, on each kind, and takes it back.
  await voteAll(voters, () => one, "up");
  await voteAll(voters, () => one, "back");
  await voteAll(voters, (i) => own[i], "up");
  await voteAll(voters, (i) => own[i], "back");
  const spread = [];
  const contended = [];
  for (let r = 0; r < rounds; r++) {
    spread.push(await voteAll(voters, (i) => own[i], "up"));
    await voteAll(voters, (i) => own[i], "back");
    contended.push(await voteAll(voters, () => one, "up"));
    if (r < rounds - 1) await voteAll(voters, () => one, "back");
  }
  console.log(`${VOTERS} voters at once, ${rounds} rounds each, alternating`);
  const reference = report(`${VOTERS} voters, a story each (reference)`, spread);
  report(`${VOTERS} voters, one story`, contended, reference);
  const [check] = rows(d1(`SELECT i.points, (SELECT COUNT(*) FROM news_votes v WHERE v.item_id = i.id) AS votes FROM news_items i WHERE i.id = ${one}`));
  const exact = check.votes === VOTERS && check.points === pointsBefore + VOTERS;
  console.log(`one story: ${check.votes} vote rows, points ${pointsBefore} → ${check.points}: ${exact ? "every vote counted once" : "MISCOUNT"}`);
  if (!exact) process.exitCode = 1;
} finally {
  await server.stop(process.env.KEEP_STATE === "1");
}
