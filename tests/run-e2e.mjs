// Runs the end-to-end suites (tests/e2e/*.test.mjs) against a real `wrangler dev`: a fresh
// state folder, migrations applied, free ports, the built worker and SPA. The server is
// stopped afterwards; the last lines printed are the test runner's own summary.
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, openSync, readdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const wrangler = join(root, "node_modules/.bin/wrangler");

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function waitForHealth(baseUrl, server, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`wrangler dev exited with ${server.exitCode}`);
    try {
      const response = await fetch(`${baseUrl}/api/health`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`wrangler dev did not become healthy within ${timeoutMs / 1000}s`);
}

const state = mkdtempSync(join(tmpdir(), "dozen-e2e-"));
const logPath = join(state, "wrangler.log");
const env = { ...process.env, WRANGLER_SEND_METRICS: "false", CI: "1", NO_COLOR: "1" };

const migrate = spawnSync(wrangler, ["d1", "migrations", "apply", "DB", "--local", "--persist-to", state], {
  cwd: root, env, encoding: "utf8",
});
if (migrate.status !== 0) {
  console.error(migrate.stdout, migrate.stderr);
  process.exit(1);
}

const port = await freePort();
const inspectorPort = await freePort();
const baseUrl = `http://127.0.0.1:${port}`;
const log = openSync(logPath, "a");
const server = spawn(
  wrangler,
  ["dev", "--persist-to", state, "--port", String(port), "--ip", "127.0.0.1", "--inspector-port", String(inspectorPort)],
  { cwd: root, env, stdio: ["ignore", log, log], detached: true },
);
const stop = () => {
  try {
    process.kill(-server.pid, "SIGTERM");
  } catch {
    // already gone
  }
};
process.on("exit", stop);
process.on("SIGINT", () => process.exit(130));

let status = 1;
try {
  await waitForHealth(baseUrl, server, 90_000);
  console.log(`wrangler dev at ${baseUrl}, state ${state}, log ${logPath}`);
  const only = process.argv.slice(2);
  const suites = readdirSync(join(root, "tests/e2e"))
    .filter((name) => name.endsWith(".test.mjs"))
    .filter((name) => only.length === 0 || only.some((o) => name.includes(o)))
    .sort()
    .map((name) => join(root, "tests/e2e", name));
  const run = spawnSync(process.execPath, ["--test", "--test-reporter=spec", "--test-concurrency=1", ...suites], {
    cwd: root,
    env: { ...env, DOZEN_BASE_URL: baseUrl, DOZEN_STATE_DIR: state },
    stdio: "inherit",
  });
  status = run.status ?? 1;
} catch (error) {
  console.error(String(error), `\n(wrangler log: ${logPath})`);
} finally {
  stop();
  if (status === 0) rmSync(state, { recursive: true, force: true });
}
process.exit(status);
