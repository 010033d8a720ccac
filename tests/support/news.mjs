// News' helpers for the e2e suites: posting as a person, giving karma, and the moderator the
// suites' server names in NEWS_MODERATORS (`news_mod`, tests/support/server.mjs).
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { d1, request } from "./api.mjs";
import { staff } from "./lockers.mjs";

export const post = (who, path, body) => request("POST", path, { jar: who?.jar, body });
export const get = (who, path) => request("GET", path, { jar: who?.jar });
export const unique = () => randomBytes(5).toString("hex");

/** Gives a person News karma directly (earning 500 by votes would take 500 accounts). */
export function setKarma(person, karma) {
  d1(`INSERT INTO news_people (user_id, karma) VALUES ('${person.user.id}', ${karma}) ON CONFLICT (user_id) DO UPDATE SET karma = ${karma}`);
}

export async function submit(who, body) {
  const made = await post(who, "/api/news/stories", body);
  assert.ok([200, 201].includes(made.status), made.text);
  return made.json;
}

export async function story(who, extra = {}) {
  return (await submit(who, { title: `A story about ${unique()}`, url: `https://example.com/${unique()}`, ...extra })).story;
}

export async function comment(who, parent, text = `A thought ${unique()}`) {
  const made = await post(who, "/api/news/comments", { parent, text });
  assert.equal(made.status, 201, made.text);
  return made.json;
}

/** The suites' News moderator, signed in. */
export const moderator = () => staff("news_mod");
