// What a person does in the browser: sign up, stay signed in, sign out; install the PWA and
// use the shell offline.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { join } from "node:path";
import { BASE, signUp, uniqueName } from "../support/api.mjs";
import { DESKTOP, launch, PHONE, SCREENSHOTS, signUpInPage, watchForErrors } from "../support/browser.mjs";

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

test("home page presents the twelve products on a phone and on a desktop", async () => {
  const darkPhone = { ...PHONE, colorScheme: "dark" };
  for (const [name, options] of [["phone", PHONE], ["desktop", DESKTOP], ["phone-dark", darkPhone]]) {
    const context = await browser.newContext(options);
    const page = await context.newPage();
    const errors = watchForErrors(page);
    await page.goto(BASE + "/");
    await page.getByRole("heading", { name: "Twelve products. One account." }).waitFor();
    assert.equal(await page.locator(".product-card").count(), 12);
    assert.equal(await page.getByText("Not built yet").count(), 5, "all but Links, Pay, Chat, Poker, Lockers, Cricket and News say they are not built");
    for (const live of ["links", "pay", "chat", "poker", "lockers", "cricket", "news"]) {
      assert.equal(await page.locator(`.product-card[data-product="${live}"] .badge.live`).count(), 1, live);
    }
    await page.getByRole("link", { name: "Sign up" }).first().waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, `home-${name}.png`), fullPage: name === "desktop" });
    assert.deepEqual(errors, [], `no errors in the page (${name})`);
    await context.close();
  }
});

test("a product that is not built says so; an unknown page is a 404 page", async () => {
  const page = await browser.newPage();
  await page.goto(BASE + "/music");
  await page.getByText("Music is not built yet.").waitFor();
  await page.goto(BASE + "/music/albums/7");
  await page.getByText("Music is not built yet.").waitFor();
  await page.goto(BASE + "/signup/nothing-here");
  await page.getByRole("heading", { name: "Page not found" }).waitFor();
  await page.close();
});

test("sign up through the form, stay signed in across a reload, sign out", async () => {
  const context = await browser.newContext(PHONE);
  const page = await context.newPage();
  const errors = watchForErrors(page);
  const username = uniqueName("web");
  await page.goto(BASE + "/signup");

  // Inline validation from the shared rules, before anything is sent.
  await page.getByLabel("Username").fill("ab");
  await page.getByText("Username must be at least 3 characters.").waitFor();
  await page.getByRole("button", { name: "Sign up" }).click();
  await page.getByText("Enter your email address.").waitFor();

  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Email").fill(`${username}@example.com`);
  await page.getByLabel("Password").fill("correct horse battery");
  await page.screenshot({ path: join(SCREENSHOTS, "signup-filled.png") });
  await page.getByRole("button", { name: "Sign up" }).click();

  await page.waitForURL(BASE + "/account");
  const chip = page.getByTestId("header-user");
  await chip.waitFor();
  assert.equal((await chip.textContent()).trim().endsWith(username), true);
  await page.getByTestId("account-username").getByText(username).waitFor();
  await page.screenshot({ path: join(SCREENSHOTS, "account.png"), fullPage: true });

  await page.reload();
  await page.getByTestId("header-user").waitFor();
  assert.ok((await page.getByTestId("header-user").textContent()).includes(username), "still signed in after reload");

  await page.getByRole("button", { name: "Sign out" }).click();
  await page.getByRole("link", { name: "Sign in" }).first().waitFor();
  await page.reload();
  await page.getByRole("link", { name: "Sign in" }).first().waitFor();
  assert.equal(await page.getByTestId("header-user").count(), 0, "signed out after reload");
  assert.deepEqual(errors, []);
  await context.close();
});

test("a taken username is explained under the field", async () => {
  const page = await browser.newPage();
  const username = uniqueName("dup");
  const register = () =>
    page.evaluate(
      async (u) =>
        (await fetch("/api/auth/register", {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ username: u, email: `${u}@example.com`, password: "correct horse battery" }),
        })).status,
      username,
    );
  await page.goto(BASE + "/");
  assert.equal(await register(), 201);
  await page.goto(BASE + "/signup");
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Email").fill(`other-${username}@example.com`);
  await page.getByLabel("Password").fill("correct horse battery");
  await page.getByRole("button", { name: "Sign up" }).click();
  await page.locator("#username-error").getByText("This username is taken.").waitFor();
  await page.close();
});

test("API keys: create one on the account page, see it once, revoke it", async () => {
  const context = await browser.newContext(DESKTOP);
  const page = await context.newPage();
  await signUpInPage(page, "key");
  await page.getByLabel("New key's label").fill("CI deploys");
  await page.getByRole("button", { name: "Create key" }).click();
  const key = (await page.getByTestId("new-key").locator("code").textContent()).trim();
  assert.match(key, /^dzk_[A-Za-z0-9_-]{43}$/);
  await page.locator(".key-list li").filter({ hasText: "CI deploys" }).waitFor();
  await page.screenshot({ path: join(SCREENSHOTS, "account-keys.png"), fullPage: true });
  const me = await fetch(BASE + "/api/auth/me", { headers: { authorization: `Bearer ${key}` } });
  assert.equal(me.status, 200);
  await page.getByRole("button", { name: "Revoke" }).click();
  await page.getByText("No API keys yet.").waitFor();
  const revoked = await fetch(BASE + "/api/auth/me", { headers: { authorization: `Bearer ${key}` } });
  assert.equal(revoked.status, 401);
  await context.close();
});

test("installable: the manifest is served and the service worker registers", async () => {
  const context = await browser.newContext(PHONE);
  const page = await context.newPage();
  await page.goto(BASE + "/");
  const manifestHref = await page.locator('link[rel="manifest"]').getAttribute("href");
  const manifest = await (await fetch(BASE + manifestHref)).json();
  assert.equal(manifest.display, "standalone");
  assert.equal(manifest.start_url, "/");
  const sizes = manifest.icons.map((i) => `${i.sizes}:${i.purpose}`);
  assert.ok(sizes.includes("192x192:any") && sizes.includes("512x512:any") && sizes.includes("512x512:maskable"));
  for (const icon of manifest.icons) {
    const res = await fetch(BASE + icon.src);
    assert.equal(res.status, 200, icon.src);
    assert.equal(res.headers.get("content-type"), "image/png");
  }
  const scope = await page.evaluate(async () => (await navigator.serviceWorker.ready).scope);
  assert.equal(scope, BASE + "/");
  await context.close();
});

test("after one visit a page loads offline, and short codes are never answered by the service worker", async () => {
  const context = await browser.newContext(PHONE);
  const page = await context.newPage();
  await page.goto(BASE + "/");
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    // Wait until this page is controlled, so the next loads go through the worker.
    if (!navigator.serviceWorker.controller) {
      await new Promise((resolve) => navigator.serviceWorker.addEventListener("controllerchange", resolve, { once: true }));
    }
  });
  // Links is opened once online; its bundle is saved as it loads.
  await page.goto(BASE + "/links");
  await page.getByRole("heading", { name: "Shorten a link" }).waitFor();
  await context.setOffline(true);
  await page.goto(BASE + "/links");
  await page.getByRole("heading", { name: "Shorten a link" }).waitFor();
  await page.screenshot({ path: join(SCREENSHOTS, "offline-links.png") });
  await page.goto(BASE + "/");
  await page.getByRole("heading", { name: "Twelve products. One account." }).waitFor();
  // Pay was never opened on this device: the shell says so instead of a blank page.
  await page.goto(BASE + "/pay");
  await page.getByTestId("not-saved-offline").waitFor();
  await page.screenshot({ path: join(SCREENSHOTS, "offline-pay-not-saved.png") });

  // A short code is not an SPA route: offline it fails instead of showing the cached shell.
  const shortCode = await page.goto(BASE + "/abc1234").then(() => "loaded", (e) => String(e));
  assert.match(shortCode, /ERR_INTERNET_DISCONNECTED|net::/);
  await context.setOffline(false);
  const online = await page.goto(BASE + "/abc1234", { waitUntil: "load" });
  assert.equal(online.status(), 404, "online, the short-code path reaches the worker");
  await context.close();
});

test("a signed-out visit to the account page signs in and comes back; ?next= never leaves the site", async () => {
  const { user, password } = await signUp();
  const context = await browser.newContext(PHONE);
  const page = await context.newPage();
  const errors = watchForErrors(page);
  // /account is its own bundle; sending a signed-out visitor to the shell's sign-in keeps `next`.
  await page.goto(BASE + "/account");
  await page.waitForURL(BASE + "/signin?next=/account");
  await page.getByLabel("Username or email").fill(user.username);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(BASE + "/account");
  // The heading is painted by the worker before the app runs; the username only by the app.
  // Waiting for it keeps a still-booting account page (which would send a signed-out visitor to
  // /signin?next=/account) from racing the navigations below once the cookies are cleared.
  await page.getByTestId("account-username").waitFor();

  // Browsers read `/\host` and `/<tab>/host` as another host: such a `next` goes home instead.
  for (const next of ["/%5Cevil.example", "/%09/evil.example", "//evil.example"]) {
    await context.clearCookies();
    await page.goto(`${BASE}/signin?next=${next}`);
    assert.equal(new URL(page.url()).search, `?next=${next}`);
    await page.getByLabel("Username or email").fill(user.username);
    await page.getByLabel("Password").fill(password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(BASE + "/");
  }
  assert.deepEqual(errors, []);
  await context.close();
});

/** The app bundles (`/assets/<bundle>/…`) a page fetched, from Chromium's network log. */
function watchBundles(page) {
  const fetched = new Set();
  page.on("request", (request) => {
    const match = new URL(request.url()).pathname.match(/^\/assets\/([^/]+)\//);
    if (match) fetched.add(match[1]);
  });
  return fetched;
}

test("each page fetches only its own bundle: / never downloads a product's code", async () => {
  // No service worker here, so every fetch shows in the log as the page makes it.
  const context = await browser.newContext({ ...PHONE, serviceWorkers: "block" });
  const page = await context.newPage();
  const errors = watchForErrors(page);
  let fetched = watchBundles(page);
  await page.goto(BASE + "/");
  await page.getByRole("heading", { name: "Twelve products. One account." }).waitFor();
  await page.waitForLoadState("networkidle");
  assert.deepEqual([...fetched], ["shell"], "the home page fetches the shell alone");

  // Opening a product from the home page loads that product's bundle, and only it.
  fetched.clear();
  await page.locator('.product-card[data-product="links"] a').click();
  await page.getByRole("heading", { name: "Shorten a link" }).waitFor();
  await page.waitForLoadState("networkidle");
  assert.deepEqual([...fetched], ["links"]);

  // The header leads back to the shell's pages.
  fetched.clear();
  await page.locator(".site-header").getByRole("link", { name: "Sign in" }).click();
  await page.waitForURL(BASE + "/signin");
  await page.getByRole("heading", { name: "Sign in to Dozen" }).waitFor();
  assert.deepEqual([...fetched], ["shell"]);

  // A paying customer's page carries the checkout, never the merchant's dashboard.
  await page.close();
  const customer = await context.newPage();
  fetched = watchBundles(customer);
  await customer.goto(BASE + "/pay/checkout/order_NOSUCHORDER00001");
  await customer.waitForLoadState("networkidle");
  assert.deepEqual([...fetched], ["pay-checkout"]);
  fetched.clear();
  await customer.goto(BASE + "/pay");
  await customer.waitForLoadState("networkidle");
  assert.deepEqual([...fetched], ["pay"]);
  assert.deepEqual(errors, []);
  await context.close();
});
