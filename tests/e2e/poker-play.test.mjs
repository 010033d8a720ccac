// Poker tables in play end to end against `wrangler dev`: each table's Durable Object deals hands
// on the shared engine over real WebSockets. Six players with random legal actions play hundreds of
// hands of each game at three tables at once, while every frame every viewer receives is checked
// for hole cards it must not see; every stored hand replays through PokerKit and through the
// engine (the PokerStars text is made by replaying it); chips are conserved in every hand and in
// D1 at the end. Then the rules of the socket: refused actions, reconnecting, the clock, leaving
// mid-hand, chat.
import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { d1, expectError, request, rows, signUp } from "../support/api.mjs";
import { upgradeStatus } from "../support/chat-socket.mjs";
import { PokerSocket, closeAllPokerSockets, randomAction } from "../support/poker-socket.mjs";

after(closeAllPokerSockets);

const HANDS = Number(process.env.POKER_E2E_HANDS ?? 200);
const STAKES = {
  nlhe: { game: "nlhe", small_blind: 50, big_blind: 100, min_buy_in: 2000, max_buy_in: 20000 },
  plo: { game: "plo", small_blind: 50, big_blind: 100, min_buy_in: 2000, max_buy_in: 20000 },
  stud: { game: "stud", ante: 10, bring_in: 25, small_bet: 100, big_bet: 200, min_buy_in: 2000, max_buy_in: 20000 },
};

const makeTable = async (host, game, extra = {}) => {
  const res = await request("POST", "/api/poker/tables", { jar: host.jar, body: { ...STAKES[game], seats: 6, ...extra } });
  assert.equal(res.status, 201, res.text);
  return res.json;
};
const sit = (person, table, seat, buyIn) =>
  request("POST", `/api/poker/tables/${table.id}/seats`, { jar: person.jar, body: { seat, buy_in: buyIn } });
const leave = (person, table) => request("DELETE", `/api/poker/tables/${table.id}/seats/me`, { jar: person.jar });
const sha256 = (hex) => createHash("sha256").update(Buffer.from(hex, "hex")).digest("hex");

/** Chips a person has in D1: wallet plus seats. */
function chipsOf(people) {
  const ids = people.map((p) => `'${p.user.id}'`).join(",");
  const [row] = rows(
    d1(`SELECT (SELECT COALESCE(SUM(play_chips), 0) FROM poker_wallets WHERE user_id IN (${ids}))
          + (SELECT COALESCE(SUM(chips), 0) FROM poker_seats WHERE user_id IN (${ids})) AS n`),
  );
  return row.n;
}

/**
 * Checks one frame as `viewer` received it: no hole card of another player before it is shown
 * (Stud's up cards excepted), no seed before the hand is over, no deck ever.
 */
function checkNoLeak(frame, game, where) {
  const text = JSON.stringify(frame);
  assert.ok(!text.includes('"deck"'), `${where}: a deck was sent`);
  if (frame.type !== "hand_ended" && frame.type !== "state") assert.ok(!text.includes('"seed"'), `${where}: a seed`);
  if (frame.type === "state") {
    if (frame.last_hand) assert.equal(typeof frame.last_hand.seed, "string");
    for (const seat of frame.seats) {
      if (seat.seat === frame.you) continue;
      seat.cards.forEach((card, i) => {
        const faceUp = game === "stud" && i >= 2 && i <= 5;
        if (!faceUp) assert.equal(card, null, `${where}: seat ${seat.seat}'s card ${i} seen by seat ${frame.you}`);
      });
    }
  }
  if (frame.type === "action" && frame.action !== "show") assert.deepEqual(frame.cards, [], `${where}: cards in an action`);
}

/**
 * A player that acts at random whenever the table offers it legal actions, mixes entropy into
 * every shuffle, checks every frame, and sits down again after losing its chips.
 */
function bot(person, table, socket, game, seat, log) {
  const me = { person, socket, acted: new Set(), actions: new Map(), entropy: new Set(), stop: false, resitting: false, seated: false };
  socket.onFrame((frame) => {
    checkNoLeak(frame, game, `${game} ${person.user.username}`);
    if (frame.type === "action") {
      me.actions.set(frame.hand, (me.actions.get(frame.hand) ?? 0) + 1);
      if (frame.auto && frame.username === person.user.username && !me.stop) log.timeouts.push(frame);
    }
    if (frame.type === "error") log.errors.push(frame);
    if (frame.type !== "state" || me.stop) return;
    if (frame.you != null && !me.entropy.has(frame.next_hand)) {
      me.entropy.add(frame.next_hand);
      socket.send({ type: "entropy", hand: frame.next_hand, hex: randomBytes(16).toString("hex") });
    }
    // Busted: sit again. Not before the test has seated it (its own sit would race this one).
    if (frame.you != null) me.seated = true;
    if (frame.you == null && me.seated && !me.resitting) {
      me.resitting = true;
      sit(person, table, seat, 10000).then((res) => {
        if (res.status !== 201) log.sitRefusals.push(res.status);
        me.resitting = false;
      });
    }
    if (frame.legal && frame.to_act === frame.you) {
      const key = `${frame.hand}:${me.actions.get(frame.hand) ?? 0}`;
      if (me.acted.has(key)) return;
      me.acted.add(key);
      socket.send({ type: "act", hand: frame.hand, ...randomAction(frame.legal) });
    }
  });
  return me;
}

/** Plays `hands` hands of `game` with six bots and a spectator; what was seen. */
async function playTable(game, hands) {
  const people = await Promise.all(Array.from({ length: 7 }, () => signUp()));
  const [spectatorPerson, ...players] = people;
  const table = await makeTable(players[0], game);
  const log = { errors: [], sitRefusals: [], ended: [], started: [], timeouts: [] };
  const spectator = await PokerSocket.open(table.id, { jar: spectatorPerson.jar });
  let lastCommitment = null;
  spectator.onFrame((frame) => {
    checkNoLeak(frame, game, `${game} spectator`);
    if (frame.type === "state") lastCommitment = { hand: frame.next_hand, commitment: frame.next_commitment };
    if (frame.type === "hand_started") {
      if (lastCommitment?.hand === frame.hand) assert.equal(frame.commitment, lastCommitment.commitment, "committed before");
      log.started.push(frame);
    }
    if (frame.type === "hand_ended") {
      assert.equal(sha256(frame.seed), frame.commitment, "the revealed seed is the committed one");
      const before = frame.players.reduce((n, p) => n + p.starting_stack, 0);
      const after = frame.players.reduce((n, p) => n + p.finishing_stack, 0);
      assert.equal(after, before, `hand ${frame.hand}: chips conserved`);
      if (frame.run_out_from != null) {
        // Run out: the betting ended before the river with hands all in, every hand left shown.
        assert.notEqual(game, "stud", "Stud has no board to run out");
        assert.ok(frame.run_out_from < frame.board.length, `hand ${frame.hand}: cards came after the betting`);
        assert.ok(frame.shown.length >= 2, `hand ${frame.hand}: the hands run out are face up`);
        log.runOuts = (log.runOuts ?? 0) + 1;
      }
      log.ended.push(frame);
    }
  });
  const bots = [];
  for (const [i, person] of players.entries()) {
    const socket = await PokerSocket.open(table.id, { jar: person.jar });
    bots.push(bot(person, table, socket, game, i + 1, log));
    const res = await sit(person, table, i + 1, 10000);
    assert.equal(res.status, 201, res.text);
  }
  const start = Date.now();
  while (log.ended.length < hands) {
    const why = () =>
      JSON.stringify({ errors: log.errors.slice(-5), timeouts: log.timeouts.length, sitRefusals: log.sitRefusals.length });
    assert.ok(Date.now() - start < 240_000, `${game}: ${log.ended.length} hands in 4 minutes: ${why()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const seconds = (Date.now() - start) / 1000;
  for (const b of bots) b.stop = true;
  // Everyone gets up: at once between hands, else folded and cashed out when the hand ends.
  for (const person of players) {
    const res = await leave(person, table);
    assert.ok([200, 202, 404].includes(res.status), res.text);
  }
  const deadline = Date.now() + 20_000;
  while (rows(d1(`SELECT COUNT(*) AS n FROM poker_seats WHERE table_id = '${table.id}'`))[0].n > 0) {
    assert.ok(Date.now() < deadline, "every seat is given up");
    await new Promise((r) => setTimeout(r, 250));
  }
  for (const b of bots) b.socket.close();
  spectator.close();
  return { game, table, players, log, seconds };
}

test(`six players play ${HANDS} hands of each game at three tables at once; nothing leaks, every chip is kept`, async () => {
  const played = await Promise.all(["nlhe", "plo", "stud"].map((game) => playTable(game, HANDS)));
  const phhDir = mkdtempSync(join(tmpdir(), "dozen-poker-e2e-"));
  try {
    for (const { game, table, players, log, seconds } of played) {
      console.log(
        `# ${game}: ${log.ended.length} hands in ${seconds.toFixed(1)} s (${(log.ended.length / seconds).toFixed(1)}/s), ${log.runOuts ?? 0} run out`,
      );
      assert.deepEqual(log.errors.filter((e) => e.code !== "stale_hand"), [], `${game}: no action refused`);
      // Every chip a player had is in their wallet again, the table's winnings and losses summed.
      assert.equal(chipsOf(players), 6 * 100000, `${game}: chips conserved in D1`);
      const stored = rows(d1(`SELECT id, number FROM poker_hands WHERE table_id = '${table.id}' ORDER BY number`));
      assert.ok(stored.length >= HANDS, `${game}: ${stored.length} hands stored`);
      assert.deepEqual(stored.map((h) => h.number), stored.map((_, i) => i + 1), `${game}: hands numbered 1, 2, 3 …`);
      const tableRow = rows(d1(`SELECT hands, last_hand FROM poker_tables WHERE id = '${table.id}'`))[0];
      assert.deepEqual([tableRow.hands, tableRow.last_hand], [stored.length, stored.length]);
      const entropyMixed = log.started.filter((h) => h.entropy.length > 0).length;
      assert.ok(entropyMixed > log.started.length / 2, `${game}: players' entropy mixed into ${entropyMixed} hands`);
      for (const [i, hand] of stored.entries()) {
        const phh = await request("GET", `/api/poker/hands/${hand.id}?format=phh`, { jar: players[0].jar });
        assert.equal(phh.status, 200, phh.text);
        writeFileSync(join(phhDir, `${game}-${hand.number}.phh`), phh.text);
        if (i % 20 === 0) {
          const stars = await request("GET", `/api/poker/hands/${hand.id}?format=pokerstars`, { jar: players[0].jar });
          assert.equal(stars.status, 200, stars.text);
          assert.match(stars.text, /PokerStars|Dozen/);
        }
      }
      const one = await request("GET", `/api/poker/hands/${stored[0].id}`, { jar: players[1].jar });
      assert.equal(one.status, 200, one.text);
      assert.equal(one.json.result.hand_id, stored[0].id);
      assert.equal(sha256(one.json.result.seed), one.json.result.commitment);
    }
    const check = spawnSync(".dozen/venv/bin/python", ["scripts/pokerkit_check.py", phhDir], { encoding: "utf8" });
    console.log(`# ${check.stdout.trim().split("\n").pop()}`);
    assert.equal(check.status, 0, `PokerKit replays every stored hand:\n${check.stdout}\n${check.stderr}`);
  } finally {
    rmSync(phhDir, { recursive: true, force: true });
  }
});

/** Two players seated at a fresh table with their sockets open, the first hand dealt. */
async function headsUp(extra = {}) {
  const [ann, bob, sam] = await Promise.all([signUp(), signUp(), signUp()]);
  const table = await makeTable(ann, "nlhe", extra);
  const a = await PokerSocket.open(table.id, { jar: ann.jar });
  const b = await PokerSocket.open(table.id, { jar: bob.jar });
  assert.equal((await sit(ann, table, 1, 10000)).status, 201);
  assert.equal((await sit(bob, table, 4, 10000)).status, 201);
  const state = await a.nextOf("state", 5000, (f) => f.hand != null);
  return { ann, bob, sam, table, a, b, state };
}

const toAct = (state, players) => players.find((p) => p.seat === state.to_act);

test("out of turn, stale, oversized and unreadable actions are refused and change nothing", async () => {
  const { ann, bob, a, b, state } = await headsUp();
  const players = [
    { seat: 1, socket: a, person: ann },
    { seat: 4, socket: b, person: bob },
  ];
  const actor = toAct(state, players);
  const other = players.find((p) => p !== actor);
  actor.socket.skipAll();
  other.socket.skipAll();
  const refused = async (p, frame) => {
    p.socket.send(frame);
    return (await p.socket.nextOf("error")).code;
  };
  assert.equal(await refused(other, { type: "act", hand: state.hand, action: "call" }), "not_your_turn");
  assert.equal(await refused(actor, { type: "act", hand: state.hand + 1, action: "call" }), "stale_hand");
  assert.equal(await refused(actor, { type: "act", hand: state.hand, action: "raise", amount: 10001 }), "more_than_stack");
  assert.equal(await refused(actor, { type: "act", hand: state.hand, action: "raise", amount: 150 }), "raise_too_small");
  assert.equal(await refused(actor, { type: "act", hand: state.hand, action: "check" }), "check_facing_bet");
  assert.equal(await refused(actor, { type: "act", hand: state.hand, action: "shove" }), "invalid");
  assert.equal(await refused(actor, "not json"), "invalid");
  assert.ok(!actor.socket.frames.some((f, i) => !actor.socket.taken.has(i) && f.type === "action"), "nothing happened");
  // The same legal action is then taken.
  actor.socket.send({ type: "act", hand: state.hand, action: "call" });
  const done = await other.socket.nextOf("action");
  assert.deepEqual([done.seat, done.action, done.amount], [actor.seat, "call", 50]);
  const me = await actor.socket.nextOf("state");
  assert.equal(me.seats.find((s) => s.seat === actor.seat).stack, 10000 - 100);
});

test("a player who disconnects and returns sees the same seat and cards; a spectator sees none", async () => {
  const { bob, sam, table, b, state } = await headsUp();
  const before = await b.nextOf("state", 5000, (f) => f.hand === state.hand);
  const mine = before.seats.find((s) => s.seat === 4).cards;
  assert.equal(mine.length, 2);
  assert.ok(mine.every((c) => typeof c === "string"));
  b.close();
  const again = await PokerSocket.open(table.id, { jar: bob.jar });
  const seen = await again.nextOf("state");
  assert.equal(seen.hand, state.hand);
  assert.equal(seen.you, 4);
  assert.deepEqual(seen.seats.find((s) => s.seat === 4).cards, mine);
  const spectator = await PokerSocket.open(table.id, { jar: sam.jar });
  const view = await spectator.nextOf("state");
  assert.equal(view.you, null);
  assert.ok(view.seats.every((s) => s.cards.every((c) => c === null)));
  assert.equal(view.legal, null);
});

test("a player whose clock runs out is folded for and sat out; sitting in deals them in again", async () => {
  const { ann, bob, a, b, state } = await headsUp({ clock_secs: 5, time_bank_secs: 0 });
  const players = [
    { seat: 1, socket: a, person: ann },
    { seat: 4, socket: b, person: bob },
  ];
  const actor = toAct(state, players);
  const other = players.find((p) => p !== actor);
  assert.ok(state.clock.bank_ends_ms - state.clock.started_ms <= 5000 + 1000, "5 s (plus the 1 s the hand added)");
  const started = Date.now();
  const auto = await other.socket.nextOf("action", 12_000);
  assert.ok(Date.now() - started >= 3000, "not before the clock ran out");
  assert.deepEqual([auto.seat, auto.action, auto.auto], [actor.seat, "fold", true]);
  const after = await actor.socket.nextOf("state", 5000, (f) => f.seats.find((s) => s.seat === actor.seat)?.sitting_out);
  assert.equal(after.hand, null, "no hand without a second player");
  actor.socket.send({ type: "sit_in" });
  const dealt = await actor.socket.nextOf("hand_started", 5000);
  assert.ok(dealt.seats.includes(actor.seat));
});

test("getting up mid-hand checks or folds for the leaver at each turn and cashes out when the hand ends", async () => {
  const { ann, bob, sam, table, a, b, state } = await headsUp();
  const wallet = async (p) => (await request("GET", "/api/poker/wallet", { jar: p.jar })).json.play_chips;
  // A third player joins from the next hand, so that a fold does not end it.
  const s = await PokerSocket.open(table.id, { jar: sam.jar });
  assert.equal((await sit(sam, table, 6, 10000)).status, 201);
  const sockets = { 1: a, 4: b, 6: s };
  const people = { 1: ann, 4: bob, 6: sam };
  // Everyone calls or checks through hand 1.
  const actOnce = new Set();
  const play = (frame, socket) => {
    if (frame.type !== "state" || !frame.legal || frame.to_act !== frame.you || frame.hand !== state.hand) return;
    const key = `${frame.clock.started_ms}:${frame.you}`;
    if (actOnce.has(key)) return;
    actOnce.add(key);
    socket.send({ type: "act", hand: frame.hand, action: frame.legal.check ? "check" : "call" });
  };
  for (const socket of [a, b]) {
    socket.onFrame((f) => play(f, socket));
    if (socket.state) play(socket.state, socket);
  }
  await a.nextOf("hand_ended", 5000, (f) => f.hand === state.hand);
  actOnce.clear();
  const hand2 = await s.nextOf("state", 5000, (f) => f.hand === state.hand + 1 && f.to_act != null);
  assert.equal(hand2.seats.length, 3);
  // Someone not to act gets up: 202, the seat stays until the hand ends.
  const leaverSeat = hand2.seats.map((x) => x.seat).find((seat) => seat !== hand2.to_act);
  const leaver = people[leaverSeat];
  const walletBefore = await wallet(leaver);
  const up = await leave(leaver, table);
  assert.equal(up.status, 202, up.text);
  assert.deepEqual([up.json.leaving, up.json.seat.seat], [true, leaverSeat]);
  assert.equal(up.json.play_chips, walletBefore, "nothing back yet");
  // The others check or call; at the leaver's turn the table checks if it is free, else folds.
  for (const [seat, socket] of Object.entries(sockets)) {
    if (Number(seat) === leaverSeat) continue;
    const checkOrCall = (f) => {
      if (f.type === "state" && f.legal && f.to_act === f.you && f.hand === hand2.hand) {
        const key = `${f.clock.started_ms}:${f.you}`;
        if (actOnce.has(key)) return;
        actOnce.add(key);
        socket.send({ type: "act", hand: f.hand, action: f.legal.check ? "check" : "call" });
      }
    };
    socket.onFrame(checkOrCall);
    if (socket.state) checkOrCall(socket.state);
  }
  const autoFold = await sockets[leaverSeat].nextOf("action", 8000, (f) => f.seat === leaverSeat && f.hand === hand2.hand);
  assert.ok(["check", "fold"].includes(autoFold.action) && autoFold.auto, JSON.stringify(autoFold));
  const ended = await a.nextOf("hand_ended", 8000, (f) => f.hand === hand2.hand);
  const left = ended.players.find((p) => p.seat === leaverSeat).finishing_stack;
  let chips;
  for (let i = 0; i < 20 && (chips = await wallet(leaver)) === walletBefore; i++) await new Promise((r) => setTimeout(r, 100));
  assert.equal(chips, walletBefore + left, "the chips left came back");
  expectError(assert, await leave(leaver, table), 404, "not_found");
  assert.equal(chipsOf([ann, bob, sam]), 300000);
});

test("table chat reaches everyone, takes emotes, refuses floods and bad lines", async () => {
  const { sam, table, a, b } = await headsUp();
  const spectator = await PokerSocket.open(table.id, { jar: sam.jar });
  spectator.send({ type: "chat", text: "good luck" });
  const line = await a.nextOf("chat", 5000, (f) => f.text === "good luck");
  assert.deepEqual([line.username, line.seat], [sam.user.username, null]);
  b.send({ type: "chat", emote: "🎉" });
  assert.equal((await spectator.nextOf("chat", 5000, (f) => f.emote === "🎉")).seat, 4);
  b.send({ type: "chat", emote: "🐍" });
  assert.equal((await b.nextOf("error")).code, "invalid");
  for (let i = 0; i < 6; i++) a.send({ type: "chat", text: `line ${i}` });
  assert.equal((await a.nextOf("error", 5000, (f) => f.code === "rate_limited")).code, "rate_limited");
  // The limit is the person's, not the socket's: a second tab does not double it.
  const [c1, c2] = await Promise.all([PokerSocket.open(table.id, { jar: sam.jar }), PokerSocket.open(table.id, { jar: sam.jar })]);
  for (let i = 0; i < 3; i++) c1.send({ type: "chat", text: `tab one ${i}` });
  for (let i = 0; i < 2; i++) c2.send({ type: "chat", text: `tab two ${i}` });
  // With "good luck" before, the sixth line in ten seconds is refused, on whichever tab sent it.
  const refused = await Promise.any([c1, c2].map((s) => s.nextOf("error", 5000, (f) => f.code === "rate_limited")));
  assert.equal(refused.code, "rate_limited");
  c1.close();
  // Who arrives later is told the last lines.
  const late = await PokerSocket.open(table.id, { jar: sam.jar });
  assert.equal((await late.nextOf("chat", 5000, (f) => f.text === "good luck")).username, sam.user.username);
});

test("the socket and hand downloads refuse what they must", async () => {
  const [ann] = await Promise.all([signUp()]);
  const table = await makeTable(ann, "nlhe");
  const socketPath = `/api/poker/tables/${table.id}/socket`;
  expectError(assert, await request("GET", socketPath, { jar: ann.jar }), 400, "bad_request");
  expectError(assert, await request("GET", socketPath), 401, "unauthenticated");
  assert.equal(await upgradeStatus({ cookie: ann.jar.cookie }, "/api/poker/tables/nope/socket"), 404);
  assert.equal(await upgradeStatus({ cookie: ann.jar.cookie, Origin: "https://evil.example" }, socketPath), 403);
  // Four sockets of one person at one table at most.
  const open = [];
  for (let i = 0; i < 4; i++) open.push(await PokerSocket.open(table.id, { jar: ann.jar }));
  assert.equal(await upgradeStatus({ cookie: ann.jar.cookie }, socketPath), 429);
  open.pop().close();
  await new Promise((r) => setTimeout(r, 200));
  assert.equal(await upgradeStatus({ cookie: ann.jar.cookie }, socketPath), 101);
  expectError(assert, await request("GET", "/api/poker/hands/nope", { jar: ann.jar }), 404, "not_found");
  expectError(assert, await request("GET", "/api/poker/hands/nope?format=pdf", { jar: ann.jar }), 422, "validation_failed", "format");
  expectError(assert, await request("GET", "/api/poker/hands/nope"), 401, "unauthenticated");
});

test("a seat D1 holds that the table does not know (a buy-in that landed late) is cashed out on leaving", async () => {
  const [ann, bob] = await Promise.all([signUp(), signUp()]);
  const table = await makeTable(ann, "nlhe");
  const a = await PokerSocket.open(table.id, { jar: ann.jar });
  await a.nextOf("state");
  assert.equal((await request("GET", "/api/poker/wallet", { jar: bob.jar })).json.play_chips, 100000);
  d1(`UPDATE poker_wallets SET play_chips = play_chips - 5000 WHERE user_id = '${bob.user.id}'`);
  d1(`INSERT INTO poker_seats (id, table_id, user_id, seat, chips, joined_at)
      VALUES ('late-${bob.user.id}', '${table.id}', '${bob.user.id}', 2, 5000, 0)`);
  const up = await leave(bob, table);
  assert.equal(up.status, 200, up.text);
  assert.deepEqual([up.json.seat, up.json.play_chips], [null, 100000]);
  expectError(assert, await leave(bob, table), 404, "not_found");
});

test("a player's statistics sum the hands they played, with their chips over time", async () => {
  const { ann, bob, a, b, state } = await headsUp();
  const players = [
    { seat: 1, socket: a, person: ann },
    { seat: 4, socket: b, person: bob },
  ];
  const folder = toAct(state, players);
  const winner = players.find((p) => p !== folder);
  folder.socket.send({ type: "act", hand: state.hand, action: "fold" });
  await winner.socket.nextOf("hand_ended", 5000, (f) => f.hand === state.hand);
  const stats = async (person, of) => request("GET", `/api/poker/players/${of.user.username}/stats`, { jar: person.jar });
  let mine;
  for (let i = 0; i < 30; i++) {
    mine = await stats(ann, folder.person);
    if (mine.json?.hands === 1) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.equal(mine.status, 200, mine.text);
  // Folding the small blind: a hand, nothing put in voluntarily, 50 chips lost.
  assert.deepEqual(
    [mine.json.username, mine.json.hands, mine.json.vpip, mine.json.pfr, mine.json.net_chips, mine.json.showdowns],
    [folder.person.user.username, 1, 0, 0, -50, 0],
  );
  assert.deepEqual(mine.json.graph.map((p) => [p.hands, p.net]), [[1, -50]]);
  const theirs = (await stats(ann, winner.person)).json;
  assert.deepEqual([theirs.hands, theirs.net_chips, theirs.graph.at(-1).net], [1, 50, 50]);
  const sam = await signUp();
  const nobody = (await stats(sam, sam)).json;
  assert.deepEqual([nobody.hands, nobody.vpip, nobody.net_chips, nobody.graph], [0, null, 0, []]);
  expectError(assert, await request("GET", "/api/poker/players/no-such-player/stats", { jar: ann.jar }), 404, "not_found");
  expectError(assert, await request("GET", `/api/poker/players/${ann.user.username}/stats`), 401, "unauthenticated");
});
