// Pay through Razorpay's official Python SDK (razorpay==2.0.1): runs the unittest scenarios of
// tests/pay/test_sdk.py (orders, S2S payments, signatures, OTP, declines, captures, refunds,
// lists, validation, authentication, isolation, idempotency, concurrent captures and refunds)
// against the same `wrangler dev`, streaming their output, and fails unless they all pass.
// The SDK lives in .dozen/venv, which scripts/install.sh (`make test`) sets up.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { BASE } from "../support/api.mjs";
import { ROOT, TIMEOUT_MS, run } from "../support/python.mjs";

const PYTHON = join(ROOT, ".dozen/venv/bin/python");
const SDK_VERSION = "2.0.1";
const INSTALL = `run \`make test\` (scripts/install.sh installs razorpay==${SDK_VERSION} into .dozen/venv)`;

test("Razorpay's Python SDK against Pay (tests/pay/test_sdk.py)", { timeout: TIMEOUT_MS + 30_000 }, async () => {
  assert.ok(existsSync(PYTHON), `${PYTHON} is missing: ${INSTALL}`);
  const probe = spawnSync(
    PYTHON,
    ["-c", "import importlib.metadata as m, razorpay, requests; print(m.version('razorpay'))"],
    { cwd: ROOT, encoding: "utf8" },
  );
  assert.equal(probe.status, 0, `the razorpay module is missing from .dozen/venv: ${INSTALL}\n${probe.stderr}`);
  assert.equal(probe.stdout.trim(), SDK_VERSION, `.dozen/venv has razorpay ${probe.stdout.trim()}, not ${SDK_VERSION}: ${INSTALL}`);

  const env = {
    ...process.env,
    DOZEN_BASE_URL: BASE,
    PYTHONUNBUFFERED: "1",
    PYTHONDONTWRITEBYTECODE: "1",
    PYTHONIOENCODING: "utf-8",
  };
  const { code, signal, tail } = await run(PYTHON, ["-m", "unittest", "-v", "tests.pay.test_sdk"], env);
  assert.equal(code, 0, `the Pay SDK scenarios failed (exit ${code ?? signal}); the end of their output:\n${tail}`);
});
