// Cricket in the browser: a signed-in person imports a real Cricsheet file from the matches page
// and lands on the match; its header, this over's chips, each innings' scorecard, the commentary,
// the worm and manhattan and the partnerships show on a phone; a player's page shows the career.
// A scorer makes a match and scores it from the console while a fan follows it: the video with
// its highlights, the chat, a poll and following a team.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { BASE, request, sessionToken, signUp } from "../support/api.mjs";
import { launch, PHONE, SCREENSHOTS, watchForErrors } from "../support/browser.mjs";
import { put, testStream } from "../support/cricket.mjs";

const DATA = new URL("../../shared/tests/data/cricsheet/", import.meta.url).pathname;

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

async function pageOf(person, device = PHONE) {
  const context = await browser.newContext(device);
  if (person) await context.addCookies([{ name: "dozen_session", value: sessionToken(person.jar), url: BASE }]);
  const page = await context.newPage();
  return { context, page, errors: watchForErrors(page) };
}

test("import a match from the page, read its scorecard, commentary and charts, open a player", async () => {
  const ann = await signUp();
  const { context, page, errors } = await pageOf(ann);
  try {
    await page.goto(BASE + "/cricket");
    await page.getByRole("heading", { name: "Import a match" }).waitFor();
    const file = join(DATA, "1082591.json");
    await page.getByTestId("import-file").setInputFiles(file);
    await page.getByTestId("import").click();
    let id;
    // Another suite on this server may have imported it already: then the page says so, and the
    // match is opened from the list.
    const outcome = await Promise.race([
      page.waitForURL(/\/cricket\/matches\/\w+$/).then(() => "opened"),
      page.getByTestId("import-error").waitFor().then(() => "refused"),
    ]);
    if (outcome === "refused") {
      const text = await page.getByTestId("import-error").textContent();
      assert.match(text, /imported already/);
      id = /it is match (\w+)/.exec(text)[1];
      await page.goto(`${BASE}/cricket/matches/${id}`);
    } else {
      id = page.url().split("/").pop();
    }

    const header = page.getByTestId("score-header");
    await header.getByText("Sunrisers Hyderabad won by 35 runs").waitFor();
    await header.getByText("207/4 (20)").waitFor();
    await header.getByText("172 (19.4)").waitFor();
    const chips = page.getByTestId("this-over");
    await chips.getByText("Over 20").waitFor();
    // The first innings' card: Warner's line and the total.
    const first = page.getByTestId("innings-1");
    await first.getByRole("rowheader", { name: "DA Warner" }).waitFor();
    await first.getByText("207/4 (20 ov)").waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, "cricket-scorecard-phone.png"), fullPage: true });
    // The chase's card.
    await page.getByRole("group", { name: "Innings" }).getByRole("button", { name: "Royal Challengers Bangalore" }).click();
    await page.getByTestId("innings-2").getByText("172 all out (19.4 ov)").waitFor();

    await page.getByTestId("tab-commentary").click();
    const commentary = page.getByTestId("commentary");
    await commentary.getByText(/^End of over 19:/).first().waitFor();
    assert.match(await commentary.locator("li").first().textContent(), /OUT!|reaches|partnership/, "the newest line first");
    await page.screenshot({ path: join(SCREENSHOTS, "cricket-commentary-phone.png") });

    await page.getByTestId("tab-charts").click();
    await page.getByTestId("worm").waitFor();
    assert.equal(await page.getByTestId("worm").locator("polyline").count(), 2);
    assert.equal(await page.getByTestId("manhattan").first().locator("rect").count(), 20);
    await page.screenshot({ path: join(SCREENSHOTS, "cricket-charts-phone.png"), fullPage: true });

    await page.getByTestId("tab-partnerships").click();
    await page.getByText(/1 wkt DA Warner & S Dhawan/).first().waitFor();

    // A player's page from the scorecard.
    await page.getByTestId("tab-scorecard").click();
    await page.getByTestId("innings-1").getByRole("link", { name: "DA Warner" }).click();
    await page.getByTestId("player-name").getByText("DA Warner").waitFor();
    const batting = page.getByTestId("batting-career");
    await batting.getByRole("rowheader", { name: "T20" }).waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, "cricket-player-phone.png"), fullPage: true });

    // The list shows the match with its scores.
    await page.goto(BASE + "/cricket");
    await page.getByTestId("matches").getByText("Sunrisers Hyderabad won by 35 runs").first().waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, "cricket-list-phone.png"), fullPage: true });
    const listed = await request("GET", "/api/cricket/matches");
    assert.ok(listed.json.matches.some((m) => m.id === id));
    // An import of a file that is not Cricsheet is told why, on the page.
    await page.getByTestId("import-file").setInputFiles({ name: "bad.json", mimeType: "application/json", buffer: Buffer.from(readFileSync(join(DATA, "README.md"))) });
    await page.getByTestId("import").click();
    await page.getByTestId("import-error").getByText(/not JSON/).waitFor();
    assert.deepEqual(errors.filter((e) => !/status of 409/.test(e)), []);
  } finally {
    await context.close();
  }
});

test("follow a live match on a phone while the scorer records an over: it all moves without a reload", async () => {
  const scorer = await signUp();
  const xi = (p) => Array.from({ length: 11 }, (_, i) => `${p} ${i + 1}`);
  const made = await request("POST", "/api/cricket/matches", {
    jar: scorer.jar,
    body: { teams: ["Pune Panthers", "Goa Gulls"], players: { "Pune Panthers": xi("PP"), "Goa Gulls": xi("GG") }, match_type: "T20", overs: 5, start_date: "2026-12-05", venue: "Pune" },
  });
  assert.equal(made.status, 201, made.text);
  const id = made.json.id;
  const post = (path, body) => request("POST", `/api/cricket/matches/${id}${path}`, { jar: scorer.jar, body });
  assert.equal((await post("/events", { type: "start_innings", team: "Pune Panthers" })).status, 200);
  const { context, page, errors } = await pageOf(null);
  try {
    await page.goto(`${BASE}/cricket/matches/${id}`);
    await page.getByTestId("score-header").getByText("Pune Panthers v Goa Gulls").waitFor();
    await page.getByTestId("tab-commentary").click();
    const runs = [1, 4, 0, 6, 2, 1];
    let striker = ["PP 1", "PP 2"];
    for (const [i, r] of runs.entries()) {
      const res = await post("/deliveries", {
        batter: striker[0], non_striker: striker[1], bowler: "GG 11",
        runs: { batter: r, extras: 0, total: r },
        ...(i === 3 ? { note: "over long-on" } : {}),
      });
      assert.equal(res.status, 200, res.text);
      if (r % 2 === 1) striker = [striker[1], striker[0]];
      await page.getByTestId("this-over").locator(".chip").nth(i).waitFor();
    }
    const header = page.getByTestId("score-header");
    await header.getByText("14/0 (1)").waitFor();
    await page.getByTestId("live-now").getByText(/PP 1/).waitFor();
    await page.getByTestId("commentary").getByText("GG 11 to PP 2, SIX, over long-on").waitFor();
    await page.getByTestId("commentary").getByText(/^End of over 1: 14 runs from it/).waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, "cricket-live-phone.png"), fullPage: true });
    await page.getByTestId("tab-charts").click();
    await page.getByTestId("worm").waitFor();
    assert.equal(await page.getByTestId("manhattan").first().locator("rect").count(), 1);
    // The scorer takes the last ball back: the page follows.
    assert.equal((await post("/undo")).status, 200);
    await header.getByText("13/0 (0.5)").waitFor();
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test("score from the console on a phone while a fan chats, votes and jumps to a wicket on the video", async () => {
  const scorer = await signUp();
  const fan = await signUp();
  const { context, page, errors } = await pageOf(scorer);
  const fanView = await pageOf(fan);
  try {
    // The scorer makes the match from the matches page and lands in the console.
    await page.goto(BASE + "/cricket");
    await page.getByTestId("score-new").click();
    await page.waitForURL(/\/cricket\/score\/new$/);
    await page.getByTestId("new-team-a").fill("Kochi Kites");
    await page.getByTestId("new-players-a").fill(Array.from({ length: 11 }, (_, i) => `KK ${i + 1}`).join("\n"));
    await page.getByTestId("new-team-b").fill("Surat Swifts");
    await page.getByTestId("new-players-b").fill(Array.from({ length: 11 }, (_, i) => `SS ${i + 1}`).join("\n"));
    await page.getByTestId("new-overs").fill("5");
    await page.getByTestId("new-match").click();
    await page.waitForURL(/\/cricket\/score\/(?!new$)\w+$/);
    const id = page.url().split("/").at(-1);
    const startedAt = Date.now() - 1000;
    await page.getByTestId("start-innings").click();
    await page.getByTestId("striker").selectOption("KK 1");
    await page.getByTestId("non-striker").selectOption("KK 2");
    await page.getByTestId("bowler").selectOption("SS 11");
    await page.getByTestId("note").fill("driven through the covers");
    await page.getByTestId("runs-4").click();
    const score = page.getByTestId("scorer-score");
    await score.getByText("4/0 (0.1)").waitFor();
    await page.getByTestId("runs-1").click();
    await score.getByText("5/0 (0.2)").waitFor();
    // One run: the batters crossed, so KK 2 faces.
    assert.equal(await page.getByTestId("striker").inputValue(), "KK 2");
    await page.getByText("Wicket", { exact: true }).click();
    await page.getByTestId("out-kind").selectOption("bowled");
    await page.getByTestId("runs-0").click();
    await score.getByText("5/1 (0.3)").waitFor();
    // The batter out is gone from the crease: the console asks for the new one.
    assert.equal(await page.getByTestId("striker").inputValue(), "");
    await page.getByTestId("striker").selectOption("KK 3");
    await page.screenshot({ path: join(SCREENSHOTS, "cricket-scorer-phone.png"), fullPage: true });
    // A batter who is out is refused, with the reason, and nothing changes.
    await page.getByTestId("striker").selectOption("KK 2");
    await page.getByTestId("runs-2").click();
    await page.getByTestId("scorer-error").getByText(/KK 2 is out/).waitFor();
    await page.getByTestId("striker").selectOption("KK 3");
    await page.getByTestId("runs-6").click();
    await score.getByText("11/1 (0.4)").waitFor();

    // The stream: filmed from just before the first ball.
    for (const [name, bytes] of Object.entries(testStream(8))) {
      const res = await put(scorer, `/api/cricket/matches/${id}/stream/${name}`, bytes);
      assert.equal(res.status, 201, `${name}: ${res.text}`);
    }
    const named = await request("POST", `/api/cricket/matches/${id}/stream`, { jar: scorer.jar, body: { playlist: "index.m3u8", started_at: startedAt } });
    assert.equal(named.status, 200, named.text);

    // The fan opens the match: the video with its highlights, then the chat.
    const fp = fanView.page;
    await fp.goto(`${BASE}/cricket/matches/${id}`);
    await fp.getByTestId("score-header").getByText("11/1 (0.4)").waitFor();
    const video = fp.getByTestId("video-player");
    await video.waitFor();
    const marks = fp.getByTestId("timeline").getByTestId("marker");
    await marks.nth(2).waitFor();
    assert.equal(await marks.count(), 3, "the four, the wicket and the six");
    await fp.waitForFunction(() => document.querySelector("[data-testid=video-player]").readyState >= 1, null, { timeout: 20000 });
    const wicketAt = Number(await marks.nth(1).getAttribute("data-at"));
    await marks.nth(1).click();
    await fp.waitForFunction((at) => Math.abs(document.querySelector("[data-testid=video-player]").currentTime - at) < 1.5, wicketAt, { timeout: 10000 });
    await fp.getByTestId("clips").getByTestId("clip").first().waitFor();
    await fp.screenshot({ path: join(SCREENSHOTS, "cricket-video-phone.png"), fullPage: true });

    await fp.getByTestId("follow").first().click();
    await fp.getByTestId("follow").first().getByText("✓ Following Kochi Kites").waitFor();
    await fp.getByTestId("tab-chat").click();
    await fp.getByTestId("chat-input").fill("What a start!");
    await fp.getByTestId("chat-send").click();
    await fp.getByTestId("chat").getByText("What a start!").waitFor();
    // The scorer, on the match page, sees it come in and opens a poll the fan sees at once.
    await page.goto(`${BASE}/cricket/matches/${id}`);
    await page.getByTestId("tab-chat").click();
    await page.getByTestId("chat").getByText("What a start!").waitFor();
    await page.getByTestId("open-poll-Who wins?").click();
    const poll = fp.getByTestId("poll");
    await poll.getByText("Who wins the match?").waitFor();
    await poll.getByRole("button", { name: "Kochi Kites" }).click();
    await poll.getByText("Kochi Kites ✓").waitFor();
    await poll.getByTestId("poll-status").getByText("1 vote", { exact: true }).waitFor();
    await page.getByTestId("poll").getByTestId("poll-status").getByText("1 vote", { exact: true }).waitFor();
    // The scorer takes the fan's message down; it leaves the fan's page too.
    await page.getByTestId("chat").getByTestId("remove-message").click();
    await fp.getByTestId("chat").getByText("What a start!").waitFor({ state: "detached" });
    await fp.getByTestId("chat-input").fill("Come on Kochi");
    await fp.getByTestId("chat-send").click();
    await fp.getByTestId("chat").getByText("Come on Kochi").waitFor();
    await fp.screenshot({ path: join(SCREENSHOTS, "cricket-chat-phone.png"), fullPage: true });

    // The fan's home puts the followed team's live match first.
    await fp.goto(BASE + "/cricket");
    await fp.getByTestId("following").getByText("You follow Kochi Kites").waitFor();
    assert.deepEqual(errors.filter((e) => !/status of 422/.test(e)), []);
    assert.deepEqual(fanView.errors, []);
  } finally {
    await context.close();
    await fanView.context.close();
  }
});
