// Poker's lobby end to end against `wrangler dev`: tables made with their rules checked, listed
// (public ones only) and filtered by game, stakes and free seats, one table's page (private ones
// too, by their link), and play chips topped up once a day.
import assert from "node:assert/strict";
import { test } from "node:test";
import { BASE, d1, expectError, request, rows, signUp } from "../support/api.mjs";

const make = (person, body) => request("POST", "/api/poker/tables", { jar: person.jar, body });
const lobby = (person, query = "") => request("GET", `/api/poker/tables${query}`, { jar: person.jar });

const holdem = (extra = {}) => ({ game: "nlhe", small_blind: 50, big_blind: 100, min_buy_in: 4000, max_buy_in: 10000, seats: 6, ...extra });
const stud = (extra = {}) => ({ game: "stud", ante: 10, bring_in: 25, small_bet: 50, big_bet: 100, min_buy_in: 2000, max_buy_in: 8000, seats: 8, ...extra });

test("a table is made with its rules, and everyone signed in sees it in the lobby", async () => {
  const [ann, bob] = await Promise.all([signUp(), signUp()]);
  const made = await make(ann, holdem({ name: "  Friday game ", clock_secs: 20, ante: 10 }));
  assert.equal(made.status, 201, made.text);
  const table = made.json;
  assert.match(table.id, /^[0-9A-Z]{26}$/);
  assert.deepEqual(
    [table.name, table.game, table.stakes, table.small_blind, table.big_blind, table.ante, table.seats, table.players, table.clock_secs, table.private, table.invite_url, table.host, table.average_pot, table.hands],
    ["Friday game", "nlhe", "50/100, ante 10", 50, 100, 10, 6, 0, 20, false, null, ann.user.username, null, 0],
  );
  assert.ok(!Number.isNaN(Date.parse(table.created_at)));
  const seen = await lobby(bob);
  assert.equal(seen.status, 200, seen.text);
  assert.deepEqual(seen.json.items.find((t) => t.id === table.id), table, "the lobby shows what was made");
  const one = await request("GET", `/api/poker/tables/${table.id}`, { jar: bob.jar });
  assert.deepEqual(one.json, table);
  // Stud names its own stakes; a table without a name is named by them.
  const seven = await make(bob, stud());
  assert.equal(seven.status, 201, seven.text);
  assert.deepEqual([seven.json.name, seven.json.stakes, seven.json.big_bet], ["50/100 Stud", "50/100 bring-in 25, ante 10", 100]);
});

test("the lobby filters by game, stakes and free seats, and never lists a private table", async () => {
  const ann = await signUp();
  const low = (await make(ann, holdem({ small_blind: 1, big_blind: 2, min_buy_in: 40, max_buy_in: 200 }))).json;
  const omaha = (await make(ann, holdem({ game: "plo", small_blind: 5, big_blind: 10, min_buy_in: 200, max_buy_in: 1000 }))).json;
  const seven = (await make(ann, stud())).json;
  const hidden = (await make(ann, holdem({ private: true }))).json;
  const full = (await make(ann, holdem({ seats: 2, small_blind: 3, big_blind: 6, min_buy_in: 60, max_buy_in: 600 }))).json;
  d1(`UPDATE poker_tables SET players = 2 WHERE id = '${full.id}'`); // as its table will, once two sit
  const ids = async (query) => {
    const res = await lobby(ann, query);
    assert.equal(res.status, 200, res.text);
    return res.json.items.map((t) => t.id);
  };
  const everything = await ids("");
  for (const t of [low, omaha, seven, full]) assert.ok(everything.includes(t.id), t.name);
  assert.ok(!everything.includes(hidden.id), "private tables are reached by their link only");
  assert.equal((await request("GET", `/api/poker/tables/${hidden.id}`, { jar: ann.jar })).json.private, true);
  // Its invite is a short link (Links) to its page, found among the host's links.
  assert.ok(hidden.invite_url.startsWith(`${BASE}/`), hidden.invite_url);
  const invite = await request("GET", new URL(hidden.invite_url).pathname);
  assert.ok([301, 302, 307, 308].includes(invite.status), `${invite.status} ${invite.text}`);
  assert.equal(invite.headers.get("location"), `${BASE}/poker/tables/${hidden.id}`);
  const links = await request("GET", "/api/links", { jar: ann.jar });
  const link = links.json.links.find((l) => l.short_url === hidden.invite_url);
  assert.ok(link?.tags.includes("poker"), links.text);
  const plo = await ids("?game=plo");
  assert.ok(plo.includes(omaha.id) && !plo.includes(low.id) && !plo.includes(seven.id));
  const cheap = await ids("?max_stake=6");
  assert.ok(cheap.includes(low.id) && cheap.includes(full.id) && !cheap.includes(omaha.id));
  const studs = await ids("?game=stud&min_stake=100&max_stake=100");
  assert.ok(studs.includes(seven.id), "Stud's stake is its big bet");
  const free = await ids("?max_stake=6&free=true");
  assert.ok(free.includes(low.id) && !free.includes(full.id), "a full table is left out");
  // Newest first.
  assert.ok(everything.indexOf(full.id) < everything.indexOf(low.id));
});

test("the lobby pages newest first: every table once, by cursor", async () => {
  const ann = await signUp();
  const stake = 3000 + Math.floor(Math.random() * 7000); // this test's tables alone
  const made = [];
  for (let i = 0; i < 5; i++) {
    made.push((await make(ann, holdem({ small_blind: stake, big_blind: stake, min_buy_in: 10 * stake, max_buy_in: 20 * stake }))).json.id);
  }
  const seen = [];
  let cursor = "";
  for (let page = 0; page < 5; page++) {
    const res = await lobby(ann, `?min_stake=${stake}&max_stake=${stake}&limit=2${cursor ? `&cursor=${cursor}` : ""}`);
    assert.equal(res.status, 200, res.text);
    assert.ok(res.json.items.length <= 2);
    seen.push(...res.json.items.map((t) => t.id));
    if (!res.json.next_cursor) break;
    cursor = res.json.next_cursor;
  }
  assert.deepEqual(seen, [...made].reverse(), "newest first, each once");
});

test("bad tables and bad filters are refused, naming the field; nothing is made", async () => {
  const ann = await signUp();
  const cases = [
    [holdem({ small_blind: 0 }), "small_blind"],
    [holdem({ big_blind: 40 }), "big_blind"],
    [holdem({ seats: 10 }), "seats"],
    [stud({ seats: 9 }), "seats"],
    [holdem({ seats: 1 }), "seats"],
    [holdem({ min_buy_in: 999 }), "min_buy_in"],
    [holdem({ max_buy_in: 3000 }), "max_buy_in"],
    [holdem({ max_buy_in: 100_001 }), "max_buy_in"],
    [holdem({ clock_secs: 4 }), "clock_secs"],
    [holdem({ name: "x".repeat(61) }), "name"],
    [holdem({ big_bet: 100 }), "big_bet"],
    [stud({ bring_in: 0 }), "bring_in"],
    [stud({ small_bet: 20 }), "small_bet"],
  ];
  for (const [body, field] of cases) {
    expectError(assert, await make(ann, body), 422, "validation_failed", field);
  }
  for (const body of [holdem({ game: "razz" }), holdem({ rake: 5 }), holdem({ seats: -1 }), holdem({ big_blind: "100" }), { game: "nlhe" }]) {
    expectError(assert, await make(ann, body), 422, "validation_failed");
  }
  const mine = rows(d1(`SELECT COUNT(*) AS n FROM poker_tables WHERE host_id = '${ann.user.id}'`));
  assert.equal(mine[0].n, 0, "no table was made");
  for (const [query, field] of [
    ["?game=razz", "game"],
    ["?min_stake=-1", "min_stake"],
    ["?free=yes", "free"],
    ["?min_stake=10&max_stake=5", "max_stake"],
    ["?limit=0", "limit"],
    ["?cursor=page-2", "cursor"],
  ]) {
    expectError(assert, await lobby(ann, query), 422, "validation_failed", field);
  }
  expectError(assert, await request("GET", "/api/poker/tables/NOPE", { jar: ann.jar }), 404, "not_found");
  expectError(assert, await request("GET", "/api/poker/tables"), 401, "unauthenticated");
  expectError(assert, await request("POST", "/api/poker/tables", { body: holdem() }), 401, "unauthenticated");
});

test("play chips: 100,000 on the first visit, topped up once a day when below it, never taken away", async () => {
  const ann = await signUp();
  const wallet = async () => {
    const res = await request("GET", "/api/poker/wallet", { jar: ann.jar });
    assert.equal(res.status, 200, res.text);
    return res.json;
  };
  const [first, again] = await Promise.all([wallet(), wallet()]);
  assert.deepEqual([first.play_chips, first.at_tables, first.next_top_up_at, again.play_chips], [100000, 0, null, 100000]);
  // Down to 500 after a bad night, topped up an hour ago: the next top-up is a day after it.
  const hourAgo = Date.now() - 3600_000;
  d1(`UPDATE poker_wallets SET play_chips = 500, topped_up_at = ${hourAgo} WHERE user_id = '${ann.user.id}'`);
  const low = await wallet();
  assert.equal(low.play_chips, 500);
  assert.equal(Date.parse(low.next_top_up_at), hourAgo + 24 * 3600_000);
  // A day later it is topped up.
  d1(`UPDATE poker_wallets SET topped_up_at = ${Date.now() - 25 * 3600_000} WHERE user_id = '${ann.user.id}'`);
  assert.equal((await wallet()).play_chips, 100000);
  // A winner keeps what they won.
  d1(`UPDATE poker_wallets SET play_chips = 250000, topped_up_at = 0 WHERE user_id = '${ann.user.id}'`);
  assert.deepEqual(await wallet(), {
    play_chips: 250000,
    at_tables: 0,
    next_top_up_at: null,
    inr_paise: 0,
    inr_at_tables: 0,
    deposits: [],
    withdrawals: [],
  });
  expectError(assert, await request("GET", "/api/poker/wallet"), 401, "unauthenticated");
});
