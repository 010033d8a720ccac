// Links in the browser: shorten signed out, then signed in with an alias and tags; the list,
// search, the edit dialog, the QR code, and the statistics page with its chart.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { join } from "node:path";
import { BASE, uniqueName } from "../support/api.mjs";
import { DESKTOP, launch, PHONE, SCREENSHOTS, signUpInPage, watchForErrors } from "../support/browser.mjs";

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

test("signed out: shorten a URL, copy the short link, follow it", async () => {
  const context = await browser.newContext({ ...PHONE, extraHTTPHeaders: { "CF-Connecting-IP": "10.9.8.7" } });
  const page = await context.newPage();
  const errors = watchForErrors(page);
  await page.goto(BASE + "/links");
  await page.getByTestId("links-signed-out").waitFor();
  assert.equal(await page.getByLabel("Alias (optional)").count(), 0, "aliases need an account");

  await page.getByLabel("Long URL").fill("ftp://example.com/file");
  await page.getByRole("button", { name: "Shorten" }).click();
  await page.locator("#url-error").getByText(/http/).waitFor();

  await page.getByLabel("Long URL").fill("https://example.com/a/long/path?ref=browser");
  await page.getByRole("button", { name: "Shorten" }).click();
  const result = page.getByTestId("shortened");
  await result.waitFor();
  const shortUrl = (await result.locator("a.short-url").textContent()).trim();
  assert.match(shortUrl, new RegExp(`^${BASE}/[0-9A-Za-z]{7}$`));
  await page.waitForFunction(() => {
    const img = document.querySelector('[data-testid="shortened"] img.qr');
    return img && img.complete && img.naturalWidth > 0;
  }, null, { timeout: 5000 });
  await page.screenshot({ path: join(SCREENSHOTS, "links-signed-out.png"), fullPage: true });

  const response = await fetch(shortUrl, { redirect: "manual" });
  assert.equal(response.status, 302);
  assert.equal(response.headers.get("location"), "https://example.com/a/long/path?ref=browser");
  assert.deepEqual(errors, []);
  await context.close();
});

test("signed in: alias and tags, the list, search, edit, and the stats page", async () => {
  const context = await browser.newContext(DESKTOP);
  const page = await context.newPage();
  const errors = watchForErrors(page);
  await signUpInPage(page, "lnk");
  await page.goto(BASE + "/links");
  const alias = `launch-${uniqueName("").slice(0, 8)}`;

  await page.getByLabel("Long URL").fill("https://shop.example/spring-sale");
  await page.getByLabel("Alias (optional)").fill("api");
  await page.getByRole("button", { name: "Shorten" }).click();
  await page.locator("#alias-error").getByText(/reserved/).waitFor();

  await page.getByLabel("Alias (optional)").fill(alias);
  await page.getByLabel("Tags (optional)").fill("Sale, spring");
  await page.getByRole("button", { name: "Shorten" }).click();
  await page.getByTestId("shortened").waitFor();
  const row = page.locator(`.link-list li[data-code="${alias}"]`);
  await row.waitFor();
  assert.deepEqual(await row.locator(".tag").allTextContents(), ["sale", "spring"]);

  await page.getByLabel("Long URL").fill("https://blog.example/other");
  await page.getByRole("button", { name: "Shorten" }).click();
  await page.locator(".link-list li").nth(1).waitFor();
  await page.getByPlaceholder("Search URL or code").fill("spring-sale");
  await page.waitForFunction(() => document.querySelectorAll(".link-list li").length === 1);
  await page.getByPlaceholder("Search URL or code").fill("");
  await page.waitForFunction(() => document.querySelectorAll(".link-list li").length === 2);

  // Three human clicks (different addresses) and one preview bot.
  for (const ip of ["10.1.0.1", "10.1.0.2", "10.1.0.2"]) {
    const res = await fetch(`${BASE}/${alias}`, { redirect: "manual", headers: { "cf-connecting-ip": ip, referer: "https://news.example/item" } });
    assert.equal(res.status, 302);
  }
  await fetch(`${BASE}/${alias}`, { redirect: "manual", headers: { "user-agent": "Slackbot-LinkExpanding 1.0" } });

  await row.getByRole("button", { name: "Edit" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.waitFor();
  await dialog.getByLabel("Destination").fill("https://shop.example/summer-sale");
  await page.screenshot({ path: join(SCREENSHOTS, "links-edit.png") });
  await dialog.getByRole("button", { name: "Save" }).click();
  await dialog.waitFor({ state: "detached" });
  await row.locator(".destination").getByText("https://shop.example/summer-sale").waitFor();
  const moved = await fetch(`${BASE}/${alias}`, { redirect: "manual", headers: { "cf-connecting-ip": "10.1.0.3" } });
  assert.equal(moved.headers.get("location"), "https://shop.example/summer-sale", "the edit takes effect at once");

  await row.getByRole("button", { name: "QR" }).click();
  await row.locator("img.qr").waitFor();
  await page.screenshot({ path: join(SCREENSHOTS, "links-list.png"), fullPage: true });

  // Clicks reach the statistics through the clicks queue, about a second after the redirects.
  for (let tries = 0; tries < 50; tries++) {
    const stats = await (await page.request.get(`${BASE}/api/links/${alias}/stats`)).json();
    if (stats.clicks + stats.bot_clicks >= 5) break;
    await page.waitForTimeout(200);
  }
  await row.getByRole("link", { name: "Stats" }).click();
  await page.waitForURL(`${BASE}/links/${alias}`);
  const totals = page.getByTestId("totals");
  await totals.waitFor();
  await page.waitForFunction(() => document.querySelector('[data-testid="totals"] dd')?.textContent === "4");
  assert.deepEqual(await totals.locator("dd").allTextContents(), ["4", "3", "1"], "clicks, unique visitors, bots");
  assert.ok((await page.locator("svg.chart rect.bar").count()) >= 30, "a bar per day");
  await page.getByRole("cell", { name: "news.example" }).waitFor();
  await page.screenshot({ path: join(SCREENSHOTS, "links-stats.png"), fullPage: true });
  assert.deepEqual(errors, []);
  await context.close();
});
