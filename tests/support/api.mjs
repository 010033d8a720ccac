// A small HTTP client for the e2e suites: JSON in and out, a cookie jar per "person", and
// direct SQL against the local D1 for what only time could otherwise do (session expiry).
import { spawnSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { join } from "node:path";
import { readdirSync, readFileSync } from "node:fs";

export const BASE = process.env.DOZEN_BASE_URL;
if (!BASE) throw new Error("run the e2e suites through tests/run-e2e.mjs (make test-e2e)");

/** A fresh, valid, unique username. */
export function uniqueName(prefix = "u") {
  return `${prefix}${randomBytes(6).toString("hex")}`.slice(0, 32);
}

/**
 * Sends a request. `body` objects are sent as JSON; strings are sent as they are.
 * Returns { status, headers, json, text }.
 */
export async function request(method, path, { body, headers = {}, jar } = {}) {
  const h = new Headers(headers);
  let payload;
  if (body !== undefined) {
    // Text and bytes go as they are (set their content-type); anything else as JSON.
    payload = typeof body === "string" || body instanceof Uint8Array ? body : JSON.stringify(body);
    if (!h.has("content-type")) h.set("content-type", "application/json");
  }
  if (jar && jar.cookie) h.set("cookie", jar.cookie);
  let response;
  let text;
  // wrangler dev's own proxy sometimes drops a request on a stale keep-alive connection before
  // the worker sees it, answering 503 "Your worker restarted mid-request" (workers-sdk#14641;
  // the worker did not restart). That answer is wrangler's, never Dozen's: send it again.
  // A reading request that finds its kept-alive connection closed under it by the server (idle
  // too long, "other side closed") is sent again on a fresh one; a write is never resent.
  for (let attempt = 1; ; attempt++) {
    try {
      response = await fetch(BASE + path, { method, headers: h, body: payload, redirect: "manual" });
    } catch (error) {
      const reading = method === "GET" || method === "HEAD";
      if (!reading || attempt === 3 || error?.cause?.code !== "UND_ERR_SOCKET") throw error;
      continue;
    }
    text = await response.text();
    const proxyDrop = response.status === 503 && text.includes("Your worker restarted mid-request");
    if (!proxyDrop || attempt === 3) break;
    await new Promise((r) => setTimeout(r, 50 * attempt));
  }
  if (jar) jar.absorb(response.headers.getSetCookie());
  let json;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, json, text };
}

/** Keeps the session cookie like a browser would. */
export class Jar {
  constructor() {
    this.cookies = new Map();
  }
  absorb(setCookies) {
    for (const line of setCookies) {
      const [pair, ...attributes] = line.split(";");
      const [name, value] = pair.split("=");
      const expired = attributes.some((a) => a.trim().toLowerCase() === "max-age=0");
      if (expired || !value) this.cookies.delete(name.trim());
      else this.cookies.set(name.trim(), value.trim());
    }
  }
  get cookie() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }
}

/** Registers a new user and returns { jar, user, password }. */
export async function signUp(overrides = {}) {
  const username = overrides.username ?? uniqueName();
  const password = overrides.password ?? "correct horse battery";
  const jar = new Jar();
  const res = await request("POST", "/api/auth/register", {
    body: { username, email: overrides.email ?? `${username}@example.com`, password },
    jar,
  });
  if (res.status !== 201) throw new Error(`sign-up failed: ${res.status} ${res.text}`);
  return { jar, user: res.json, password };
}

/**
 * Runs SQL against the local D1 of the running server (same state folder). The server may hold
 * the database's write lock at that moment (SQLITE_BUSY): then it is run again, a few times.
 */
export function d1(sql) {
  const root = new URL("../..", import.meta.url).pathname;
  for (let attempt = 1; ; attempt++) {
    const result = spawnSync(
      join(root, "node_modules/.bin/wrangler"),
      ["d1", "execute", "DB", "--local", "--persist-to", process.env.DOZEN_STATE_DIR, "--command", sql, "--json"],
      { cwd: root, encoding: "utf8", env: { ...process.env, CI: "1" } },
    );
    if (result.status === 0) return JSON.parse(result.stdout);
    const output = result.stderr || result.stdout;
    if (!/SQLITE_BUSY/.test(output) || attempt === 5) throw new Error(`d1 failed: ${output}`);
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100 * attempt);
  }
}

/**
 * Asserts the project's error shape, `{"error":{"code","message","field?"}}` sent as JSON with
 * `status`, and returns the error object. `field`, when given, must be the field named.
 */
export function expectError(assert, res, status, code, field) {
  assert.equal(res.status, status, `expected ${status}, got ${res.status}: ${res.text}`);
  assert.ok(res.json && res.json.error, `error body expected: ${res.text}`);
  assert.deepEqual(Object.keys(res.json), ["error"], `only "error" at the top: ${res.text}`);
  const extra = Object.keys(res.json.error).filter((k) => !["code", "message", "field"].includes(k));
  assert.deepEqual(extra, [], `unexpected keys in the error: ${res.text}`);
  assert.match(res.headers.get("content-type") ?? "", /^application\/json\b/);
  assert.equal(typeof res.json.error.message, "string");
  assert.ok(res.json.error.message.length > 0);
  if (code) assert.equal(res.json.error.code, code);
  if (field !== undefined) assert.equal(res.json.error.field, field, `field named: ${res.text}`);
  return res.json.error;
}

/** Lower-case hex SHA-256, as the worker stores session tokens and API keys. */
export function sha256Hex(text) {
  return createHash("sha256").update(text).digest("hex");
}

/** The session token a jar holds (the `dozen_session` cookie), or undefined. */
export function sessionToken(jar) {
  return jar.cookies.get("dozen_session");
}

/**
 * A fresh client address for `CF-Connecting-IP` (wrangler dev passes it through), so the
 * sign-in throttle of one test never counts another test's failures.
 */
export function clientIp() {
  const [a, b, c] = randomBytes(3);
  return `10.${a}.${b}.${c}`;
}

/** Signs in with a username or email; `ip` sets the client address the throttle sees. */
export async function login(name, password, { jar = new Jar(), ip, headers = {} } = {}) {
  const h = { ...headers };
  if (ip) h["CF-Connecting-IP"] = ip;
  const res = await request("POST", "/api/auth/login", { body: { login: name, password }, jar, headers: h });
  return { ...res, jar };
}

/** Rows of the first (or `index`-th) statement of a d1() result. */
export function rows(result, index = 0) {
  return result[index].results;
}

/**
 * Whether any file wrangler keeps for the running server (D1, Durable Objects, R2, KV; not its
 * log) holds `needle` (a string or bytes). SQLite's side files come and go while it runs: one
 * that vanishes between the listing and the reading holds nothing.
 */
export function stateHolds(needle) {
  const bytes = Buffer.from(needle);
  const holds = (dir) =>
    readdirSync(dir, { withFileTypes: true }).some((entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return holds(path);
      if (entry.name.endsWith(".log")) return false;
      try {
        return readFileSync(path).includes(bytes);
      } catch (err) {
        if (err.code === "ENOENT") return false;
        throw err;
      }
    });
  return holds(process.env.DOZEN_STATE_DIR);
}
