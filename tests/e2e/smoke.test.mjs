import assert from "node:assert/strict";
import { test } from "node:test";
import { request } from "../support/api.mjs";

test("health reports the build and that D1 and KV answer", async () => {
  const res = await request("GET", "/api/health");
  assert.equal(res.status, 200);
  assert.deepEqual({ d1: res.json.d1, kv: res.json.kv, status: res.json.status }, { d1: true, kv: true, status: "ok" });
  assert.match(res.json.version, /^\d+\.\d+\.\d+/);
});
