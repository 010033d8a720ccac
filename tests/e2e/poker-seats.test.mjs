// Poker seats end to end against `wrangler dev`: buying in moves play chips from the wallet to a
// seat and cashing out moves them back, each in one D1 transaction, so that under any race (two
// people after one seat, one person after two, more buy-ins than the wallet holds) nothing is
// seated twice and no chip is made or lost.
import assert from "node:assert/strict";
import { test } from "node:test";
import { d1, expectError, request, rows, signUp } from "../support/api.mjs";

const holdem = (extra = {}) => ({ game: "nlhe", small_blind: 50, big_blind: 100, min_buy_in: 4000, max_buy_in: 20000, seats: 6, ...extra });
const make = async (person, extra) => {
  const res = await request("POST", "/api/poker/tables", { jar: person.jar, body: holdem(extra) });
  assert.equal(res.status, 201, res.text);
  return res.json;
};
const sit = (person, table, seat, buyIn) =>
  request("POST", `/api/poker/tables/${table.id}/seats`, { jar: person.jar, body: { seat, buy_in: buyIn } });
const leave = (person, table) => request("DELETE", `/api/poker/tables/${table.id}/seats/me`, { jar: person.jar });
const wallet = async (person) => (await request("GET", "/api/poker/wallet", { jar: person.jar })).json.play_chips;
const tableOf = async (person, table) => (await request("GET", `/api/poker/tables/${table.id}`, { jar: person.jar })).json;

/** Play chips a person has, in the wallet and on every seat, as D1 holds them. */
function allChips(person) {
  const [row] = rows(
    d1(`SELECT (SELECT COALESCE(SUM(play_chips), 0) FROM poker_wallets WHERE user_id = '${person.user.id}')
          + (SELECT COALESCE(SUM(chips), 0) FROM poker_seats WHERE user_id = '${person.user.id}') AS n`),
  );
  return row.n;
}

test("a buy-in moves chips from the wallet to the seat; getting up moves them back", async () => {
  const [ann, bob] = await Promise.all([signUp(), signUp()]);
  const table = await make(ann);
  const sat = await sit(bob, table, 3, 10000);
  assert.equal(sat.status, 201, sat.text);
  assert.deepEqual(sat.json, { seat: { seat: 3, username: bob.user.username, chips: 10000 }, play_chips: 90000, inr_paise: 0, leaving: false });
  assert.equal(allChips(bob), 100000, "nothing made or lost");
  const seen = await tableOf(ann, table);
  assert.deepEqual([seen.players, seen.seated], [1, [{ seat: 3, username: bob.user.username, chips: 10000 }]]);
  const lobby = await request("GET", "/api/poker/tables?max_stake=100", { jar: ann.jar });
  assert.deepEqual(lobby.json.items.find((t) => t.id === table.id).seated, seen.seated);
  const up = await leave(bob, table);
  assert.equal(up.status, 200, up.text);
  assert.deepEqual(up.json, { seat: null, play_chips: 100000, inr_paise: 0, leaving: false });
  assert.deepEqual((await tableOf(ann, table)).seated, []);
  expectError(assert, await leave(bob, table), 404, "not_found");
});

test("two people after the last seat: one sits, the other hears it was taken; their chips stay whole", async () => {
  const [ann, bob, cat] = await Promise.all([signUp(), signUp(), signUp()]);
  const table = await make(ann, { seats: 2 });
  assert.equal((await sit(ann, table, 1, 5000)).status, 201);
  const [b, c] = await Promise.all([sit(bob, table, 2, 5000), sit(cat, table, 2, 5000)]);
  assert.deepEqual([b.status, c.status].sort(), [201, 409], `${b.text} ${c.text}`);
  const loser = b.status === 409 ? b : c;
  assert.match(loser.json.error.message, /taken/);
  assert.equal((await tableOf(ann, table)).players, 2);
  for (const person of [ann, bob, cat]) assert.equal(allChips(person), 100000);
  const full = await request("GET", "/api/poker/tables?max_stake=100&free=true", { jar: ann.jar });
  assert.ok(!full.json.items.some((t) => t.id === table.id), "a full table is not free");
});

test("one person, two seats at once: one seat, paid once", async () => {
  const [ann, bob] = await Promise.all([signUp(), signUp()]);
  const table = await make(ann);
  const answers = await Promise.all([sit(bob, table, 1, 8000), sit(bob, table, 2, 8000), sit(bob, table, 3, 8000)]);
  assert.deepEqual(answers.map((a) => a.status).sort(), [201, 409, 409]);
  assert.equal(await wallet(bob), 92000);
  assert.equal(allChips(bob), 100000);
  assert.equal((await tableOf(bob, table)).seated.length, 1);
});

test("more buy-ins at once than the wallet holds: as many as it pays for, never below zero", async () => {
  const [ann, bob] = await Promise.all([signUp(), signUp()]);
  const tables = [];
  for (let i = 0; i < 8; i++) tables.push(await make(ann));
  await wallet(bob); // 100,000 play chips
  const answers = await Promise.all(tables.map((t) => sit(bob, t, 1, 20000)));
  assert.deepEqual(answers.map((a) => a.status).sort(), [201, 201, 201, 201, 201, 409, 409, 409]);
  for (const refused of answers.filter((a) => a.status === 409)) assert.match(refused.json.error.message, /You have 0 play chips/);
  assert.equal(await wallet(bob), 0);
  assert.equal(allChips(bob), 100000);
});

test("a top-up counts the chips at tables: buying in everywhere and waiting a day makes nothing, even raced", async () => {
  const [ann, bob] = await Promise.all([signUp(), signUp()]);
  const [first, second] = [await make(ann), await make(ann)];
  await wallet(bob);
  assert.equal((await sit(bob, first, 1, 20000)).status, 201);
  const dayAgo = Date.now() - 25 * 3600_000;
  // A top-up due, asked for while a buy-in of 20,000 goes in at the same moment: whatever the
  // order, Bob ends with 100,000 in all.
  d1(`UPDATE poker_wallets SET play_chips = 500, topped_up_at = ${dayAgo} WHERE user_id = '${bob.user.id}'`);
  d1(`UPDATE poker_seats SET chips = 20000 WHERE user_id = '${bob.user.id}'`);
  const [seen, sat] = await Promise.all([request("GET", "/api/poker/wallet", { jar: bob.jar }), sit(bob, second, 1, 20000)]);
  assert.equal(seen.status, 200, seen.text);
  assert.equal(sat.status, 201, sat.text);
  assert.equal(allChips(bob), 100000, "topped up to 100,000 in all, once");
  const now = (await request("GET", "/api/poker/wallet", { jar: bob.jar })).json;
  assert.deepEqual([now.play_chips, now.at_tables, now.next_top_up_at], [60000, 40000, null]);
  // Everything at tables and a day gone by: still 100,000 in all.
  d1(`UPDATE poker_wallets SET play_chips = 0, topped_up_at = ${dayAgo} WHERE user_id = '${bob.user.id}'`);
  d1(`UPDATE poker_seats SET chips = 50000 WHERE user_id = '${bob.user.id}'`);
  assert.deepEqual([await wallet(bob), allChips(bob)], [0, 100000]);
});

test("seats and buy-ins are checked against the table; nobody sits at a table that is not there", async () => {
  const [ann, bob] = await Promise.all([signUp(), signUp()]);
  const table = await make(ann, { seats: 6 });
  for (const [body, field] of [
    [{ seat: 0, buy_in: 5000 }, "seat"],
    [{ seat: 7, buy_in: 5000 }, "seat"],
    [{ seat: 1, buy_in: 3999 }, "buy_in"],
    [{ seat: 1, buy_in: 20001 }, "buy_in"],
  ]) {
    expectError(assert, await request("POST", `/api/poker/tables/${table.id}/seats`, { jar: bob.jar, body }), 422, "validation_failed", field);
  }
  for (const body of [{ seat: 1 }, { seat: 1, buy_in: 5000, extra: 1 }, { seat: "one", buy_in: 5000 }, { seat: 1, buy_in: -5 }]) {
    expectError(assert, await request("POST", `/api/poker/tables/${table.id}/seats`, { jar: bob.jar, body }), 422, "validation_failed");
  }
  expectError(assert, await request("POST", "/api/poker/tables/NOPE/seats", { jar: bob.jar, body: { seat: 1, buy_in: 5000 } }), 404, "not_found");
  expectError(assert, await request("DELETE", "/api/poker/tables/NOPE/seats/me", { jar: bob.jar }), 404, "not_found");
  expectError(assert, await request("POST", `/api/poker/tables/${table.id}/seats`, { body: { seat: 1, buy_in: 5000 } }), 401, "unauthenticated");
  // Chips short: a 409 that says how many there are.
  await wallet(bob);
  d1(`UPDATE poker_wallets SET play_chips = 4500, topped_up_at = ${Date.now()} WHERE user_id = '${bob.user.id}'`);
  const short = await sit(bob, table, 1, 5000);
  expectError(assert, short, 409, "conflict");
  assert.match(short.json.error.message, /You have 4500 play chips/);
  assert.equal(await wallet(bob), 4500);
  assert.deepEqual((await tableOf(bob, table)).seated, []);
});
