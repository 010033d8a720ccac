// Debian's Chromium driven by playwright-core (no browser download). Screenshots go to
// .dozen/screenshots so a person can look at the pages a run saw.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { BASE, uniqueName } from "./api.mjs";

export const SCREENSHOTS = join(new URL("../..", import.meta.url).pathname, ".dozen/screenshots");

export async function launch() {
  mkdirSync(SCREENSHOTS, { recursive: true });
  return chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      // A microphone that plays a tone, granted without a prompt (Chat's voice notes).
      "--use-fake-device-for-media-stream",
      "--use-fake-ui-for-media-stream",
    ],
  });
}

export const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };
export const DESKTOP = { viewport: { width: 1280, height: 800 } };

/** Fails the test on any console error or uncaught exception in the page (CSP violations included). */
export function watchForErrors(page) {
  const errors = [];
  page.on("pageerror", (e) => errors.push(`pageerror: ${e.message}`));
  page.on("console", (m) => {
    if (m.type() === "error" && !/Failed to load resource: the server responded with a status of 401/.test(m.text())) {
      errors.push(`console: ${m.text()}`);
    }
  });
  return errors;
}

/** Signs up a new account through the form; resolves with its username once on /account. */
export async function signUpInPage(page, prefix = "web") {
  const username = uniqueName(prefix);
  await page.goto(BASE + "/signup");
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Email").fill(`${username}@example.com`);
  await page.getByLabel("Password").fill("correct horse battery");
  await page.getByRole("button", { name: "Sign up" }).click();
  await page.waitForURL(BASE + "/account");
  return username;
}
