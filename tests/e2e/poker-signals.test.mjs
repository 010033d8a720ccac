// Collusion signals (GET /api/poker/admin/signals, shared::poker::signals): for the admins named
// in POKER_ADMINS only (the suites' server names `poker_warden`). Ann and Bob sit at one table
// from one address; Ann dumps chips to Bob hand after hand (she opens big, then folds to any
// raise); Cat plays from elsewhere. The admin sees the shared address, the pair that only ever
// plays together, and the chips flowing one way; Cat appears in none of it.
import assert from "node:assert/strict";
import { after, test } from "node:test";
import { join } from "node:path";
import { BASE, clientIp, expectError, request, sessionToken, signUp } from "../support/api.mjs";
import { DESKTOP, launch, SCREENSHOTS, watchForErrors } from "../support/browser.mjs";
import { PokerSocket, closeAllPokerSockets } from "../support/poker-socket.mjs";

after(closeAllPokerSockets);

const HANDS = 24;

test("an admin sees a shared address, a pair always together and chips dumped one way; nobody else sees anything", async () => {
  const [warden, ann, bob, cat] = await Promise.all([signUp({ username: "poker_warden" }), signUp(), signUp(), signUp()]);
  const signals = (jar, player) =>
    request("GET", `/api/poker/admin/signals${player ? `?player=${player}` : ""}`, { jar });
  expectError(assert, await signals(ann.jar), 403, "forbidden");
  expectError(assert, await request("GET", "/api/poker/admin/signals"), 401, "unauthenticated");

  const made = await request("POST", "/api/poker/tables", {
    jar: cat.jar,
    body: { game: "nlhe", name: "Quiet game", small_blind: 100, big_blind: 200, min_buy_in: 4_000, max_buy_in: 40_000, seats: 3 },
  });
  assert.equal(made.status, 201, made.text);
  const table = made.json;
  const home = { "CF-Connecting-IP": clientIp() };
  const elsewhere = { "CF-Connecting-IP": clientIp() };
  // Cat watches from elsewhere; Ann and Bob sit from the same address.
  const catSocket = await PokerSocket.open(table.id, { jar: cat.jar, headers: elsewhere });
  const [annSocket, bobSocket] = await Promise.all(
    [ann, bob].map((p) => PokerSocket.open(table.id, { jar: p.jar, headers: home })),
  );
  let ended = 0;
  const play = (socket, policy) => {
    const acted = new Set();
    socket.onFrame((frame) => {
      if (frame.type === "hand_ended" && socket === annSocket) ended += 1;
      if (frame.type !== "state" || frame.you == null || frame.to_act !== frame.you || !frame.legal) return;
      const turn = `${frame.hand}:${frame.clock?.started_ms}`;
      if (acted.has(turn) || ended >= HANDS) return;
      acted.add(turn);
      socket.send({ type: "act", hand: frame.hand, ...policy(frame.legal, frame) });
    });
  };
  // Ann opens to five big blinds from the small blind and folds to anything; Bob raises whenever
  // he can, else calls.
  play(annSocket, (legal, frame) => {
    if (frame.board.length === 0 && legal.call === 100 && legal.raise) return { action: legal.raise.kind, amount: 1_000 };
    if (legal.check) return { action: "check" };
    return { action: "fold" };
  });
  play(bobSocket, (legal) => {
    if (legal.raise) return { action: legal.raise.kind, amount: legal.raise.min };
    if (legal.call != null) return { action: "call" };
    return { action: "check" };
  });
  for (const [person, seat] of [
    [ann, 1],
    [bob, 2],
  ]) {
    const sat = await request("POST", `/api/poker/tables/${table.id}/seats`, {
      jar: person.jar,
      headers: home,
      body: { seat, buy_in: 40_000 },
    });
    assert.equal(sat.status, 201, sat.text);
  }
  const deadline = Date.now() + 60_000;
  while (ended < HANDS) {
    assert.ok(Date.now() < deadline, `${ended} hands in a minute`);
    await new Promise((r) => setTimeout(r, 100));
  }
  for (const person of [ann, bob]) await request("DELETE", `/api/poker/tables/${table.id}/seats/me`, { jar: person.jar });

  const seen = await signals(warden.jar, ann.user.username);
  assert.equal(seen.status, 200, seen.text);
  const pair = [ann.user.username, bob.user.username].sort();
  const shared = seen.json.shared_connections.find((c) => c.table_id === table.id);
  assert.ok(shared, JSON.stringify(seen.json.shared_connections));
  assert.deepEqual(shared.players, pair);
  assert.equal(shared.shared, "address and browser");
  const together = seen.json.frequent_pairs.find((p) => [...p.players].sort().join() === pair.join());
  assert.ok(together, JSON.stringify(seen.json.frequent_pairs));
  assert.ok(together.hands_together >= HANDS - 1, `${together.hands_together} hands together`);
  assert.equal(together.share, 1);
  const flow = seen.json.chip_flows.find((f) => f.from === ann.user.username && f.to === bob.user.username);
  assert.ok(flow, JSON.stringify(seen.json.chip_flows));
  assert.equal(flow.chips, "play");
  assert.ok(flow.big_blinds >= 50, `${flow.big_blinds} big blinds`);
  assert.ok(!seen.json.chip_flows.some((f) => f.from === bob.user.username && f.to === ann.user.username), "netted one way");
  // Cat, who watched from elsewhere and never played, is in none of it.
  const cats = await signals(warden.jar, cat.user.username);
  assert.deepEqual(cats.json, { shared_connections: [], frequent_pairs: [], chip_flows: [] });
  for (const s of [annSocket, bobSocket, catSocket]) s.close();

  // The admin's page shows the three; anyone else is told it is not theirs.
  const browser = await launch();
  try {
    for (const [person, admin] of [
      [warden, true],
      [cat, false],
    ]) {
      const context = await browser.newContext(DESKTOP);
      await context.addCookies([{ name: "dozen_session", value: sessionToken(person.jar), url: BASE }]);
      const page = await context.newPage();
      const errors = watchForErrors(page);
      await page.goto(BASE + `/poker/admin?player=${ann.user.username}`);
      if (admin) {
        for (const id of ["shared-connections", "frequent-pairs", "chip-flows"]) {
          await page.getByTestId(id).getByText(bob.user.username).first().waitFor();
        }
        await page.screenshot({ path: join(SCREENSHOTS, "poker-admin-signals.png"), fullPage: true });
        assert.deepEqual(errors, []);
      } else {
        await page.getByTestId("signals-error").getByText("for the tables' admins").waitFor();
      }
      await context.close();
    }
  } finally {
    await browser.close();
  }
});
