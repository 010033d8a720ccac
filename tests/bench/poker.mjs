// Benchmark (not a test): a poker table over real WebSockets on loopback, against one
// `wrangler dev` dealing the next hand at once (POKER_HAND_PAUSE_MS=0). Nine players play calm
// random legal actions; per action we time from the send to the moment every player's socket has
// the `action` frame (p50/p99), and count the hands per second the table sustains. The reference,
// in the same run: a heads-up table (the same action reaching two sockets). Heads-up, two bots
// send more than the 60 frames a second one socket may (wire::FRAMES_PER_SECOND): they wait and
// resend, so that table's hands per second are the rate limit's, not the table's.
//
//   node tests/bench/poker.mjs [hands=200]
//
// Figures under `wrangler dev` are bounded by one workerd process on this machine; compare the
// ratios, not the absolute numbers (TOOLCHAIN.md).
import { startServer } from "../support/server.mjs";

const hands = Number(process.argv[2] ?? 200);
const server = await startServer({ vars: { POKER_HAND_PAUSE_MS: "0" } });
process.env.DOZEN_BASE_URL = server.baseUrl;
const { request, signUp } = await import("../support/api.mjs");
const { PokerSocket } = await import("../support/poker-socket.mjs");

/**
 * A calm random player: checks or calls, folds a fifth of the time facing a bet, and now and then
 * makes the smallest raise; so chips move every hand but nobody goes broke in a few hundred.
 */
function calmAction(legal) {
  const roll = Math.random();
  if (legal.bring_in != null) return { action: "bring_in" };
  if (legal.raise && roll > 0.9) return { action: legal.raise.kind, amount: legal.raise.min };
  if (legal.call != null && roll < 0.2) return { action: "fold" };
  if (legal.check) return { action: "check" };
  return { action: legal.call != null ? "call" : "fold" };
}

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const summary = (times) => {
  const sorted = [...times].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99), n: sorted.length };
};

/**
 * Seats `count` players at a new table with sockets open, lets them play `target` hands with
 * random legal actions, and returns every action's fan-out time and the hands per second.
 */
async function play(count, target) {
  const people = await Promise.all(Array.from({ length: count }, () => signUp()));
  const made = await request("POST", "/api/poker/tables", {
    jar: people[0].jar,
    body: { game: "nlhe", small_blind: 50, big_blind: 100, min_buy_in: 2000, max_buy_in: 20000, seats: Math.max(count, 2) },
  });
  if (made.status !== 201) throw new Error(made.text);
  const table = made.json;
  const sockets = [];
  for (const person of people) sockets.push(await PokerSocket.open(table.id, { jar: person.jar }));
  // Per hand: how many actions each socket has seen, and when each action was sent.
  const seen = sockets.map(() => new Map());
  const sent = new Map();
  const times = [];
  let ended = 0;
  let started = 0;
  const arrived = (key) => {
    const entry = sent.get(key);
    if (!entry) return;
    entry.left -= 1;
    if (entry.left === 0) {
      times.push(performance.now() - entry.at);
      sent.delete(key);
    }
  };
  let done;
  const finished = new Promise((resolve) => (done = resolve));
  const resitting = sockets.map(() => true);
  const resits = sockets.map(() => 0);
  const sitDown = (i) =>
    request("POST", `/api/poker/tables/${table.id}/seats`, { jar: people[i].jar, body: { seat: i + 1, buy_in: 20000 } });
  sockets.forEach((socket, i) => {
    const acted = new Set();
    let lastSent = null;
    socket.onFrame((frame) => {
      // A socket faster than the table's 60 frames a second (heads-up bots are) waits and resends.
      if (frame.type === "error" && frame.code === "rate_limited" && lastSent) {
        const again = lastSent;
        setTimeout(() => {
          const entry = sent.get(again.key);
          if (entry) entry.at = performance.now();
          socket.send(again.frame);
        }, 50);
        return;
      }
      if (frame.type === "action") {
        const n = (seen[i].get(frame.hand) ?? 0) + 1;
        seen[i].set(frame.hand, n);
        arrived(`${frame.hand}:${n}`);
      }
      if (frame.type === "hand_ended" && i === 0) {
        ended += 1;
        if (ended === 5) started = performance.now();
        if (ended === target + 5) done();
      }
      // A player who lost their chips sits down again (their wallet holds five buy-ins).
      if (frame.type === "state" && frame.you == null && !resitting[i] && resits[i] < 5 && ended < target + 5) {
        resitting[i] = true;
        resits[i] += 1;
        sitDown(i).finally(() => (resitting[i] = false));
      }
      if (frame.type === "state" && frame.legal && frame.to_act === frame.you && ended < target + 5) {
        const n = seen[i].get(frame.hand) ?? 0;
        const key = `${frame.hand}:${n + 1}`;
        if (acted.has(key)) return;
        acted.add(key);
        sent.set(key, { at: performance.now(), left: sockets.length });
        lastSent = { key, frame: { type: "act", hand: frame.hand, ...calmAction(frame.legal) } };
        socket.send(lastSent.frame);
      }
    });
  });
  for (let i = 0; i < people.length; i++) {
    const res = await sitDown(i);
    if (res.status !== 201) throw new Error(res.text);
    resitting[i] = false;
  }
  // A table that stops dealing (everyone but one broke) ends the run with what it has.
  let last = ended;
  const stalled = setInterval(() => {
    if (ended === last) done();
    last = ended;
  }, 10_000);
  await finished;
  clearInterval(stalled);
  if (ended < target + 5) throw new Error(`the ${count}-player table stopped after ${ended} hands`);
  const seconds = (performance.now() - started) / 1000;
  for (const socket of sockets) socket.close();
  return { fanOut: summary(times), handsPerSecond: target / seconds, hands: target, seconds };
}

try {
  const reference = await play(2, hands);
  const nine = await play(9, hands);
  const ms = (x) => x.toFixed(1);
  console.log(`poker bench: ${hands} hands per table, POKER_HAND_PAUSE_MS=0, loopback`);
  console.log("table        action→all sockets p50 / p99 (ms)   hands/s   actions timed");
  for (const [name, r] of [["heads-up", reference], ["9 players", nine]]) {
    console.log(
      `${name.padEnd(12)} ${ms(r.fanOut.p50).padStart(8)} / ${ms(r.fanOut.p99).padEnd(22)} ${r.handsPerSecond.toFixed(1).padStart(7)}   ${r.fanOut.n}`,
    );
  }
  console.log(
    `ratios: 9-player p50 ${(nine.fanOut.p50 / reference.fanOut.p50).toFixed(2)}× heads-up, ` +
      `p99 ${(nine.fanOut.p99 / reference.fanOut.p99).toFixed(2)}×; hands/s ${(nine.handsPerSecond / reference.handsPerSecond).toFixed(2)}×`,
  );
} catch (error) {
  console.error(error);
  process.exitCode = 1;
} finally {
  server.stop();
  process.exit();
}
