// Poker with real money (shared::poker::money): a deposit is a Pay order of the house's paid at
// Pay's checkout and credited only when Pay captures it; rupees buy in at a rupee table, are
// played and cashed out; a withdrawal is a Pay payout. After every step the rupee wallets and
// rupee seats add up to the house's balance in Pay's ledger (deposits captured, less Pay's fees,
// less payouts), and the house's books balance.
import assert from "node:assert/strict";
import { after, test } from "node:test";
import { d1, expectError, request, rows, signUp } from "../support/api.mjs";
import { HOUSE, UPI, assertBooksBalance, deposit, depositAndPay, payAt, wallet } from "../support/poker-books.mjs";
import { PokerSocket, closeAllPokerSockets, randomAction } from "../support/poker-socket.mjs";

after(closeAllPokerSockets);

const withdraw = (person, amount, vpa = "player@okaxis") =>
  request("POST", "/api/poker/wallet/withdrawals", { jar: person.jar, body: { amount, vpa } });
const DECLINED = { method: "card", card: { number: "4000000000000002", name: "P", expiry_month: "12", expiry_year: "30", cvv: "123" } };

test("a deposit is a Pay order, credited when Pay captures its payment: not before, not twice, not on a decline", async () => {
  const [ann, eve] = await Promise.all([signUp(), signUp()]);
  expectError(assert, await request("POST", "/api/poker/wallet/deposits", { body: { amount: 50000 } }), 401, "unauthenticated");
  expectError(assert, await deposit(ann, 9_999), 422, "validation_failed", "amount");
  expectError(assert, await deposit(ann, 5_000_001), 422, "validation_failed", "amount");
  expectError(assert, await request("POST", "/api/poker/wallet/deposits", { jar: ann.jar, body: { amount: "500" } }), 422);
  expectError(assert, await request("POST", "/api/poker/wallet/deposits", { jar: ann.jar, body: { amount: 50000, extra: 1 } }), 422);

  const started = await deposit(ann, 50_000);
  assert.equal(started.status, 201, started.text);
  assert.match(started.json.id, /^order_/);
  assert.equal(started.json.status, "pending");
  assert.match(started.json.checkout_url, new RegExp(`/pay/checkout/${started.json.id}\\?callback_url=`));
  // Pay's checkout shows the house's order to the payer.
  const shown = await request("GET", `/api/pay/checkout/${started.json.id}`);
  assert.equal(shown.status, 200, shown.text);
  assert.equal(shown.json.amount, 50_000);
  assert.equal(shown.json.merchant_name, "Dozen Poker");
  assert.equal((await wallet(ann)).inr_paise, 0, "nothing before it is paid");

  // A declined card credits nothing.
  const declined = await payAt(started.json.id, ann, DECLINED);
  assert.equal(declined.json.status, "failed", declined.text);
  assert.equal((await wallet(ann)).inr_paise, 0);
  // Paid by UPI: captured, and credited in the same transaction with what Pay leaves of it:
  // ₹500 less 2% (₹10) and 18% GST on that (₹1.80).
  assert.equal(started.json.credit, 48_820);
  assert.equal((await payAt(started.json.id, ann, UPI)).status, 200);
  const after = await wallet(ann);
  assert.equal(after.inr_paise, 48_820);
  assert.equal(after.deposits[0].credit, 48_820);
  assert.equal(after.deposits[0].id, started.json.id);
  assert.equal(after.deposits[0].status, "credited");
  // The order is paid: a second payment is refused and nothing more is credited.
  assert.notEqual((await payAt(started.json.id, ann, UPI)).status, 200);
  assert.equal((await wallet(ann)).inr_paise, 48_820);
  // Another person sees none of it.
  const eves = await wallet(eve);
  assert.equal(eves.inr_paise, 0);
  assert.deepEqual(eves.deposits, []);
  assertBooksBalance("after a deposit");
});

test("deposit → buy-in at a rupee table → play → cash-out → withdraw leaves every balance exact", async () => {
  const [ann, bob] = await Promise.all([signUp(), signUp()]);
  await depositAndPay(ann, 100_000);
  await depositAndPay(bob, 100_000);
  const playBefore = [(await wallet(ann)).play_chips, (await wallet(bob)).play_chips];
  assertBooksBalance("after two deposits");

  const made = await request("POST", "/api/poker/tables", {
    jar: ann.jar,
    body: { game: "nlhe", chips: "inr", name: "Rupees", small_blind: 100, big_blind: 200, min_buy_in: 4_000, max_buy_in: 40_000, seats: 2 },
  });
  assert.equal(made.status, 201, made.text);
  assert.equal(made.json.chips, "inr");
  const table = made.json;
  // More rupees than the wallet holds: refused with the balance named.
  const other = await request("POST", "/api/poker/tables", {
    jar: bob.jar,
    body: { game: "nlhe", chips: "inr", small_blind: 1_000, big_blind: 2_000, min_buy_in: 40_000, max_buy_in: 400_000, seats: 2 },
  });
  assert.equal(other.status, 201, other.text);
  const short = await request("POST", `/api/poker/tables/${other.json.id}/seats`, { jar: bob.jar, body: { seat: 1, buy_in: 150_000 } });
  expectError(assert, short, 409, "conflict");
  assert.match(short.json.error.message, /INR 976\.40/);

  const sockets = await Promise.all([ann, bob].map((p) => PokerSocket.open(table.id, { jar: p.jar })));
  // Ten hands with random legal actions (the bots listen before they sit).
  let ended = 0;
  const errors = [];
  for (const socket of sockets) {
    const acted = new Set();
    socket.onFrame((frame) => {
      if (frame.type === "hand_ended" && socket === sockets[0]) ended += 1;
      if (frame.type === "error") errors.push(frame);
      if (frame.type !== "state" || frame.you == null || frame.to_act !== frame.you || !frame.legal) return;
      // One action per turn, however many states arrive meanwhile.
      const turn = `${frame.hand}:${frame.clock?.started_ms}`;
      if (acted.has(turn)) return;
      acted.add(turn);
      socket.send({ type: "act", hand: frame.hand, ...randomAction(frame.legal) });
    });
  }
  for (const [i, person] of [ann, bob].entries()) {
    const sat = await request("POST", `/api/poker/tables/${table.id}/seats`, { jar: person.jar, body: { seat: i + 1, buy_in: 40_000 } });
    assert.equal(sat.status, 201, sat.text);
    assert.equal(sat.json.inr_paise, 97_640 - 40_000, "the buy-in left the rupee wallet");
    // Read while Ann sits alone: once Bob sits, a hand may end (and move her stack) before the read.
    if (i === 0) assert.equal((await wallet(ann)).inr_at_tables, 40_000);
  }
  assert.deepEqual([(await wallet(ann)).play_chips, (await wallet(bob)).play_chips], playBefore, "play chips untouched");
  assertBooksBalance("seated");

  const deadline = Date.now() + 60_000;
  // Random play may bust one of them before ten hands: then the table has stopped dealing.
  const busted = () => (sockets[0].state?.seats ?? []).filter((seat) => seat.stack > 0).length < 2 && ended > 0;
  while (ended < 10 && !busted()) {
    assert.ok(Date.now() < deadline, `${ended} hands in a minute: ${JSON.stringify(errors.slice(-3))} ${JSON.stringify(sockets[0].state)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  for (const person of [ann, bob]) {
    const left = await request("DELETE", `/api/poker/tables/${table.id}/seats/me`, { jar: person.jar });
    assert.ok([200, 202, 404].includes(left.status), left.text);
  }
  while (rows(d1(`SELECT COUNT(*) AS n FROM poker_seats WHERE table_id = '${table.id}'`))[0].n > 0) {
    assert.ok(Date.now() < deadline + 20_000, "both are up");
    await new Promise((r) => setTimeout(r, 200));
  }
  const [a, b] = [await wallet(ann), await wallet(bob)];
  assert.equal(a.inr_paise + b.inr_paise, 2 * 97_640, "every paisa is back in a wallet");
  assert.deepEqual([a.play_chips, b.play_chips], playBefore, "play chips untouched");
  assertBooksBalance("after play");

  // Bad withdrawals change nothing.
  expectError(assert, await withdraw(ann, 9_999), 422, "validation_failed", "amount");
  expectError(assert, await withdraw(ann, 10_000, "not a upi id"), 422, "validation_failed", "vpa");
  expectError(assert, await withdraw(ann, a.inr_paise + 1), 409, "conflict");
  assert.equal((await wallet(ann)).inr_paise, a.inr_paise);

  // Ann takes it all out: a Pay payout, posted to the ledger.
  const out = await withdraw(ann, a.inr_paise, "Ann@OkHDFC");
  assert.equal(out.status, 201, out.text);
  assert.match(out.json.payout_id, /^pout_/);
  assert.equal(out.json.vpa, "ann@okhdfc");
  const payout = rows(d1(`SELECT amount, status, vpa, merchant_id FROM pay_payouts WHERE id = '${out.json.payout_id}'`))[0];
  assert.deepEqual(payout, { amount: a.inr_paise, status: "processed", vpa: "ann@okhdfc", merchant_id: HOUSE });
  const aAfter = await wallet(ann);
  assert.equal(aAfter.inr_paise, 0);
  assert.equal(aAfter.withdrawals[0].payout_id, out.json.payout_id);
  assertBooksBalance("after a withdrawal");

  // Two withdrawals at once of 60% each: one is paid, the other refused; never below zero.
  const part = Math.floor(b.inr_paise * 0.6);
  const both = await Promise.all([withdraw(bob, part), withdraw(bob, part)]);
  assert.deepEqual(both.map((r) => r.status).sort(), [201, 409], both.map((r) => r.text).join(" | "));
  assert.equal((await wallet(bob)).inr_paise, b.inr_paise - part);
  assertBooksBalance("after racing withdrawals");
  // Pay's settlement run, three days on, pays merchants their balances; never the house's, which
  // is its players' money.
  const sweep = await request("POST", `/api/pay/sweep?time=${Date.now() + 3 * 86_400_000}`);
  assert.equal(sweep.status, 200, sweep.text);
  assert.equal(rows(d1(`SELECT COUNT(*) AS n FROM pay_settlements WHERE merchant_id = '${HOUSE}'`))[0].n, 0);
  assertBooksBalance("after a settlement run");
  for (const s of sockets) s.close();
});
