// News through haxor (haxor==1.2.4), the most used Python client of HN's read API, pointed at
// Dozen's /v0 and otherwise unchanged: runs tests/news/haxor_suite.py against the same
// `wrangler dev` and fails unless all its scenarios pass. haxor lives in .dozen/venv-haxor,
// which scripts/install.sh (`make test`) sets up.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { BASE } from "../support/api.mjs";
import { ROOT, TIMEOUT_MS, run } from "../support/python.mjs";

const PYTHON = join(ROOT, ".dozen/venv-haxor/bin/python");
const HAXOR_VERSION = "1.2.4";
const INSTALL = `run \`make test\` (scripts/install.sh installs haxor==${HAXOR_VERSION} into .dozen/venv-haxor)`;

test("haxor, an HN API client, reads Dozen News unchanged (tests/news/haxor_suite.py)", { timeout: TIMEOUT_MS + 30_000 }, async () => {
  assert.ok(existsSync(PYTHON), `${PYTHON} is missing: ${INSTALL}`);
  const probe = spawnSync(PYTHON, ["-c", "import importlib.metadata as m, hackernews; print(m.version('haxor'))"], {
    cwd: ROOT,
    encoding: "utf8",
  });
  assert.equal(probe.status, 0, `haxor is missing from .dozen/venv-haxor: ${INSTALL}\n${probe.stderr}`);
  assert.equal(probe.stdout.trim(), HAXOR_VERSION, `.dozen/venv-haxor has haxor ${probe.stdout.trim()}, not ${HAXOR_VERSION}: ${INSTALL}`);

  const env = { ...process.env, DOZEN_BASE_URL: BASE, PYTHONUNBUFFERED: "1", PYTHONDONTWRITEBYTECODE: "1", PYTHONIOENCODING: "utf-8" };
  const { code, signal, tail } = await run(PYTHON, ["tests/news/haxor_suite.py"], env);
  assert.equal(code, 0, `the haxor scenarios failed (exit ${code ?? signal}); the end of their output:\n${tail}`);
});
