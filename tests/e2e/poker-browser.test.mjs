// Poker in the browser: the lobby lists a table; two players open it (one on a desktop, one on a
// phone), sit down through the buy-in dialog, play a hand to showdown with the action bar, and see
// the pot awarded with the winning hand named and the shuffle verified in their own browser. Then
// all-in run-outs, the odds calculator, the cashier, and a sit-and-go from the lobby's form to its
// results.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { join } from "node:path";
import { BASE, clientIp, request, sessionToken, signUp } from "../support/api.mjs";
import { DESKTOP, launch, PHONE, SCREENSHOTS, watchForErrors } from "../support/browser.mjs";
import { PokerSocket, closeAllPokerSockets } from "../support/poker-socket.mjs";

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  closeAllPokerSockets();
  await browser?.close();
});

async function pageOf(person, device = DESKTOP) {
  const context = await browser.newContext(device);
  await context.addCookies([{ name: "dozen_session", value: sessionToken(person.jar), url: BASE }]);
  const page = await context.newPage();
  return { context, page, errors: watchForErrors(page) };
}

/** Sits down at `seat` through the felt's empty seat and the buy-in dialog. */
async function sitDown(page, seat) {
  await page.getByTestId(`sit-${seat}`).click();
  await page.getByRole("button", { name: "Sit down" }).click();
  await page.getByTestId(`seat-${seat}`).waitFor();
}

/** Checks or calls whenever it is this page's turn, until the hand's result is drawn. */
async function checkOrCallToShowdown(pages) {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (await pages[0].getByTestId("result").isVisible()) return;
    for (const page of pages) {
      const check = page.getByTestId("actions").getByRole("button", { name: "Check" });
      const call = page.getByTestId("actions").getByRole("button", { name: /^Call/ });
      if (await check.isVisible()) await check.click().catch(() => {});
      else if (await call.isVisible()) await call.click().catch(() => {});
    }
    await pages[0].waitForTimeout(100);
  }
  throw new Error("no result within 30 s");
}

test("two players sit down, play a hand to showdown, see the pot awarded and the shuffle verified", async () => {
  const [ann, bob] = await Promise.all([signUp(), signUp()]);
  const made = await request("POST", "/api/poker/tables", {
    jar: ann.jar,
    body: { game: "nlhe", name: "Friday game", small_blind: 50, big_blind: 100, min_buy_in: 2000, max_buy_in: 20000, seats: 6 },
  });
  assert.equal(made.status, 201, made.text);
  const a = await pageOf(ann);
  const b = await pageOf(bob, PHONE);
  try {
    // The lobby lists it, with its stakes and seats.
    await a.page.goto(BASE + "/poker");
    const row = a.page.getByTestId("tables").getByRole("row", { name: /Friday game/ });
    await row.getByText("50/100").waitFor();
    await a.page.getByTestId("wallet").getByText(/play chips/).waitFor();
    await a.page.screenshot({ path: join(SCREENSHOTS, "poker-lobby.png") });
    await row.getByRole("link", { name: "Friday game" }).click();
    await a.page.waitForURL(/\/poker\/tables\//);
    await a.page.getByTestId("link").getByText("Live").waitFor();
    await sitDown(a.page, 1);
    await b.page.goto(BASE + `/poker/tables/${made.json.id}`);
    await b.page.getByTestId("link").getByText("Live").waitFor();
    await sitDown(b.page, 4);
    // The hand is dealt: each sees their own two cards face up, the other's face down.
    const mine = a.page.getByTestId("seat-1").locator(".card.up");
    await mine.first().waitFor();
    assert.equal(await mine.count(), 2);
    assert.equal(await a.page.getByTestId("seat-4").locator(".card.up").count(), 0);
    assert.equal(await a.page.getByTestId("seat-4").locator(".card.down").count(), 2);
    // Bob sits out from the next hand, so the result stays on the table when this one ends.
    await b.page.getByRole("button", { name: "Sit out next hand" }).click();
    await a.page.screenshot({ path: join(SCREENSHOTS, "poker-table-desktop.png") });
    await checkOrCallToShowdown([a.page, b.page]);
    for (const { page } of [a, b]) {
      await page.getByTestId("result").getByText(/wins (200|100)/).waitFor();
      await page.getByTestId("verified").getByText("Hand #1: shuffle verified").waitFor();
      // At the showdown the winning hand is shown (a beaten hand may be mucked).
      await page.locator(".seat.won .card.up").nth(1).waitFor();
    }
    const log = await a.page.getByTestId("log").innerText();
    assert.match(log, /wins (200|100)/);
    await a.page.screenshot({ path: join(SCREENSHOTS, "poker-showdown-desktop.png") });
    await b.page.screenshot({ path: join(SCREENSHOTS, "poker-showdown-phone.png") });
    // Table chat reaches the other player.
    await b.page.getByLabel("Message", { exact: true }).fill("nice hand");
    await b.page.getByRole("button", { name: "Send", exact: true }).click();
    await a.page.getByTestId("chat").getByText("nice hand").waitFor();
    // The hand replayed step by step in the browser, every card face up, from its revealed seed.
    await b.page.getByRole("link", { name: "Replay" }).click();
    await b.page.waitForURL(/\/poker\/hands\//);
    await b.page.getByTestId("caption").getByText("The deal").waitFor();
    assert.equal(await b.page.locator(".seat .card.up").count(), 4, "both hands face up from the start");
    await b.page.getByRole("button", { name: "Next ▶" }).click();
    await b.page.getByTestId("caption").getByText(/Preflop: .* calls/).waitFor();
    await b.page.getByRole("button", { name: "End ⏭" }).click();
    await b.page.getByTestId("caption").getByText(/wins (200|100)/).waitFor();
    assert.equal(await b.page.getByTestId("board").locator(".card.up").count(), 5);
    await b.page.screenshot({ path: join(SCREENSHOTS, "poker-replay-phone.png") });
    // Ann's statistics: the hand counted, and her chips over time.
    await a.page.goto(BASE + "/poker");
    await a.page.getByRole("link", { name: "Your statistics" }).click();
    await a.page.waitForURL(/\/poker\/players\//);
    const figures = a.page.getByTestId("stats");
    await figures.getByText("Hands").waitFor();
    assert.match(await figures.innerText(), /Hands\s+1\b/);
    await a.page.getByTestId("graph").waitFor();
    await a.page.screenshot({ path: join(SCREENSHOTS, "poker-stats.png") });
    assert.deepEqual([...a.errors, ...b.errors], []);
  } finally {
    await a.context.close();
    await b.context.close();
  }
});

/** The equity drawn on each seat during a run-out street, by seat. */
async function equities(page) {
  return page.locator("[data-equity]").evaluateAll((seats) =>
    Object.fromEntries(seats.map((s) => [s.dataset.seat, Number(s.dataset.equity)])),
  );
}

test("an all-in is run out a street at a time with each hand's equity, in the table and the replayer", async () => {
  const [ann, bob] = await Promise.all([signUp(), signUp()]);
  const made = await request("POST", "/api/poker/tables", {
    jar: ann.jar,
    body: { game: "nlhe", name: "All in", small_blind: 50, big_blind: 100, min_buy_in: 2000, max_buy_in: 10000, seats: 2 },
  });
  assert.equal(made.status, 201, made.text);
  const a = await pageOf(ann);
  const b = await pageOf(bob, PHONE);
  try {
    for (const [{ page }, seat] of [
      [a, 1],
      [b, 2],
    ]) {
      await page.goto(BASE + `/poker/tables/${made.json.id}`);
      await page.getByTestId("link").getByText("Live").waitFor();
      await sitDown(page, seat);
    }
    await a.page.getByTestId("seat-1").locator(".card.up").first().waitFor();
    // Bob sits out from the next hand, so the run-out and the result stay on the table.
    await b.page.getByRole("button", { name: "Sit out next hand" }).click();
    // The first to act moves all in with the preset; the other calls.
    const bar = (page) => page.getByTestId("actions");
    await Promise.race([bar(a.page).waitFor(), bar(b.page).waitFor()]);
    const [first, second] = (await bar(a.page).isVisible()) ? [a, b] : [b, a];
    await bar(first.page).getByRole("button", { name: "All in" }).click();
    await bar(first.page).getByRole("button", { name: /^Raise to 10,000/ }).click();
    await bar(second.page).getByRole("button", { name: /^Call/ }).click();
    // Both hands face up, the board dealt a street at a time with each hand's chance to win.
    for (const { page } of [a, b]) {
      await page.locator("[data-equity]").nth(1).waitFor();
      const shares = await equities(page);
      const html = await page.locator("[data-equity]").evaluateAll((seats) => seats.map((s) => s.outerHTML.slice(0, 200)));
      assert.deepEqual(Object.keys(shares).sort(), ["1", "2"], JSON.stringify(html));
      assert.ok(Math.abs(shares[1] + shares[2] - 1) < 0.001, JSON.stringify(shares));
    }
    await a.page.screenshot({ path: join(SCREENSHOTS, "poker-run-out-desktop.png") });
    await b.page.screenshot({ path: join(SCREENSHOTS, "poker-run-out-phone.png") });
    const log = a.page.getByTestId("log");
    await log.getByText(/^All in: .+ \d+\.\d% · .+ \d+\.\d%$/).waitFor();
    // Then the whole board and the result, the equity gone.
    await a.page.getByTestId("result").getByText(/wins/).waitFor({ timeout: 10_000 });
    assert.equal(await a.page.getByTestId("board").locator(".card.up").count(), 5);
    assert.equal(await a.page.locator("[data-equity]").count(), 0);
    // The replayer runs it out the same way: preflop, flop and turn with equities, then the river.
    await a.page.getByRole("link", { name: "Replay" }).click();
    await a.page.waitForURL(/\/poker\/hands\//);
    await a.page.getByRole("button", { name: "End ⏭" }).click();
    await a.page.getByTestId("caption").getByText(/^River — .* wins/).waitFor();
    await a.page.getByRole("button", { name: "◀ Back" }).click();
    await a.page.getByTestId("caption").getByText(/^Turn: .+%/).waitFor();
    assert.equal(await a.page.getByTestId("board").locator(".card.up").count(), 4);
    const turn = await equities(a.page);
    assert.ok(Math.abs(turn[1] + turn[2] - 1) < 0.001, JSON.stringify(turn));
    // On the turn one card is left: each share is a whole number of the 44 rivers, ties halved.
    for (const share of Object.values(turn)) assert.ok(Math.abs(share * 88 - Math.round(share * 88)) < 0.01, `${share}`);
    await a.page.getByRole("button", { name: "◀ Back" }).click();
    await a.page.getByTestId("caption").getByText(/^Flop: /).waitFor();
    await a.page.getByRole("button", { name: "◀ Back" }).click();
    await a.page.getByTestId("caption").getByText(/calls — all in: /).waitFor();
    assert.equal(await a.page.getByTestId("board").locator(".card.up").count(), 0);
    await a.page.screenshot({ path: join(SCREENSHOTS, "poker-replay-all-in.png") });
    assert.deepEqual([...a.errors, ...b.errors], []);
  } finally {
    await a.context.close();
    await b.context.close();
  }
});

test("the odds calculator works out exact equities from the address or the form, and names a bad spot", async () => {
  const context = await browser.newContext(PHONE);
  const page = await context.newPage();
  const errors = watchForErrors(page);
  try {
    // Aces against kings before the flop: all 1,712,304 boards, as shared::poker::equity counts them.
    await page.goto(BASE + "/poker/odds?game=nlhe&hands=AsAh,KdKc");
    const odds = page.getByTestId("odds");
    await odds.getByText("81.3%").waitFor();
    await odds.getByText("18.7%").waitFor();
    await page.getByText("1,712,304 boards").waitFor();
    // A third hand and a flop through the form; the address keeps the spot.
    await page.getByRole("button", { name: "Add a hand" }).click();
    await page.getByLabel("Hand 3").fill("7h 8h");
    await page.getByLabel("Board").fill("9h Th 2c");
    await page.getByRole("button", { name: "Work out the odds" }).click();
    await page.waitForURL(/hands=AsAh%2CKdKc%2C7h%208h&board=9h%20Th%202c/);
    await page.getByText("903 boards").waitFor();
    const shares = await odds.locator("[data-share]").evaluateAll((cells) => cells.map((c) => Number(c.dataset.share)));
    assert.equal(shares.length, 3);
    assert.ok(Math.abs(shares.reduce((a, b) => a + b) - 1) < 1e-6, `${shares}`);
    assert.ok(shares[0] > shares[1], `aces stay ahead of kings: ${shares}`);
    await page.screenshot({ path: join(SCREENSHOTS, "poker-odds-phone.png") });
    // Omaha on the flop; a card given twice is named.
    await page.goto(BASE + "/poker/odds?game=plo&hands=AsAhKdQd,7c8c9dTd&board=2c3d4h");
    await page.getByText("820 boards").waitFor();
    await page.goto(BASE + "/poker/odds?game=nlhe&hands=AsAh,AsKd");
    await page.getByTestId("odds-error").getByText("given twice").waitFor();
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test("the cashier: a deposit goes to Pay's checkout; rupees paid show in the lobby and are withdrawn to a UPI ID", async () => {
  const ann = await signUp();
  // A deposit paid through the API as the checkout page would pay it.
  const started = await request("POST", "/api/poker/wallet/deposits", { jar: ann.jar, body: { amount: 100_000 } });
  assert.equal(started.status, 201, started.text);
  const paid = await request("POST", `/api/pay/checkout/${started.json.id}/pay`, {
    // From an address of its own: Pay throttles checkout attempts by address.
    headers: { "CF-Connecting-IP": clientIp() },
    body: { method: "upi", vpa: "success@razorpay", email: `${ann.user.username}@example.com`, contact: "9000090000" },
  });
  assert.equal(paid.status, 200, paid.text);
  const a = await pageOf(ann, PHONE);
  try {
    // The lobby shows the rupees and leads to the cashier, a bundle of its own.
    await a.page.goto(BASE + "/poker");
    await a.page.getByTestId("wallet").getByText(/₹976\.40/).waitFor();
    await a.page.getByRole("link", { name: "Cashier" }).click();
    await a.page.waitForURL(/\/poker\/wallet$/);
    // ₹1,000 paid; Pay keeps its fee (2% and GST on it).
    await a.page.getByTestId("rupees").getByText("₹976.40").waitFor();
    await a.page.getByTestId("movements").getByText("Deposit ₹1,000.00 · ₹976.40 credited").waitFor();
    // Withdraw ₹250.50 to a UPI ID: a Pay payout, and the wallet shows what is left.
    await a.page.getByLabel("Withdraw (₹, to a UPI ID)").fill("250.50");
    await a.page.getByLabel("UPI ID", { exact: true }).fill("ann@okhdfc");
    await a.page.getByRole("button", { name: "Withdraw" }).click();
    await a.page.getByTestId("withdrawn").getByText(/Sent ₹250\.50 to ann@okhdfc \(payout pout_/).waitFor();
    await a.page.getByTestId("rupees").getByText("₹725.90").waitFor();
    await a.page.screenshot({ path: join(SCREENSHOTS, "poker-cashier-phone.png"), fullPage: true });
    // A bad amount is named at its field, and nothing leaves.
    await a.page.getByLabel("Withdraw (₹, to a UPI ID)").fill("abc");
    await a.page.getByRole("button", { name: "Withdraw" }).click();
    await a.page.getByText("Give an amount in rupees").first().waitFor();
    // A deposit opens Pay's checkout for its order.
    await a.page.getByLabel("Deposit (₹100 to ₹50,000)").fill("500");
    await a.page.getByRole("button", { name: "Deposit" }).click();
    await a.page.waitForURL(/\/pay\/checkout\/order_\w+\?callback_url=/);
    await a.page.getByText("Dozen Poker").first().waitFor();
    await a.page.screenshot({ path: join(SCREENSHOTS, "poker-deposit-checkout-phone.png") });
    assert.deepEqual(a.errors, []);
  } finally {
    await a.context.close();
  }
});

test("a sit-and-go made in the lobby takes registrations, starts when full and shows its results", async () => {
  const [ann, bob] = await Promise.all([signUp(), signUp()]);
  const a = await pageOf(ann, PHONE);
  const sockets = [];
  try {
    await a.page.goto(BASE + "/poker");
    await a.page.getByRole("button", { name: "New table" }).click();
    await a.page.getByLabel("Format").last().selectOption("sng");
    await a.page.getByLabel("Name (optional)").fill("Heads-up turbo");
    await a.page.getByLabel("Small blind").fill("10");
    await a.page.getByLabel("Big blind").fill("20");
    await a.page.getByLabel("Entry").fill("500");
    await a.page.getByLabel("Starting chips").fill("1000");
    await a.page.getByLabel("Seats", { exact: true }).fill("2");
    await a.page.getByRole("button", { name: "Make the table" }).click();
    await a.page.waitForURL(/\/poker\/tables\//);
    const id = a.page.url().split("/").pop();
    const panel = a.page.getByTestId("sng");
    await panel.getByText("Registering: 0 of 2 seats taken").waitFor();
    await panel.getByText("Entry 500 · prizes 1st 1,000").waitFor();
    // Registering through the dialog: the entry is the buy-in, nothing to choose.
    await a.page.getByTestId("sit-1").click();
    await a.page.getByRole("button", { name: "Register" }).click();
    await panel.getByText("Registering: 1 of 2 seats taken").waitFor();
    await a.page.getByRole("button", { name: "Unregister" }).waitFor();
    await a.page.screenshot({ path: join(SCREENSHOTS, "poker-sng-registering-phone.png"), fullPage: true });
    // Bob takes the last seat from elsewhere: it starts, at level 1.
    const registered = await request("POST", `/api/poker/tables/${id}/seats`, { jar: bob.jar, body: { seat: 2, buy_in: 500 } });
    assert.equal(registered.status, 201, registered.text);
    await panel.getByText(/Level 1 · 10\/20 · 15\/30 in \d+ min/).waitFor();
    assert.equal(await a.page.getByRole("button", { name: "Unregister" }).count(), 0, "no leaving once it runs");
    await a.page.screenshot({ path: join(SCREENSHOTS, "poker-sng-running-phone.png"), fullPage: true });
    // Both shove or call until one holds every chip.
    for (const person of [ann, bob]) {
      const socket = await PokerSocket.open(id, { jar: person.jar });
      sockets.push(socket);
      const acted = new Set();
      socket.onFrame((f) => {
        if (f.type !== "state" || f.you == null || f.to_act !== f.you || !f.legal) return;
        const turn = `${f.hand}:${f.clock?.started_ms}`;
        if (acted.has(turn)) return;
        acted.add(turn);
        const move = f.legal.raise ? { action: f.legal.raise.kind, amount: f.legal.raise.max } : f.legal.call != null ? { action: "call" } : { action: "check" };
        socket.send({ type: "act", hand: f.hand, ...move });
      });
    }
    await panel.getByText("The sit-and-go is finished.").waitFor({ timeout: 60_000 });
    await a.page.getByTestId("sng-results").getByText(/^1st .+: 1,000$/).waitFor();
    await a.page.getByTestId("sng-results").getByText(/^2nd /).waitFor();
    await a.page.screenshot({ path: join(SCREENSHOTS, "poker-sng-finished-phone.png"), fullPage: true });
    assert.deepEqual(a.errors, []);
  } finally {
    for (const socket of sockets) socket.close();
    await a.context.close();
  }
});
