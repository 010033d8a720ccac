// Poker in the browser: the lobby lists a table; two players open it (one on a desktop, one on a
// phone), sit down through the buy-in dialog, play a hand to showdown with the action bar, and see
// the pot awarded with the winning hand named and the shuffle verified in their own browser.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { join } from "node:path";
import { BASE, request, sessionToken, signUp } from "../support/api.mjs";
import { DESKTOP, launch, PHONE, SCREENSHOTS, watchForErrors } from "../support/browser.mjs";

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
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
