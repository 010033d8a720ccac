// Starts a real `wrangler dev` (workerd with local D1/KV/DO/R2) on free ports with a fresh
// state folder and the migrations applied, for the e2e suites and the benchmarks.
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, openSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const ROOT = new URL("../..", import.meta.url).pathname;
const WRANGLER = join(ROOT, "node_modules/.bin/wrangler");

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

async function waitForHealth(baseUrl, child, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${baseUrl}/api/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`wrangler dev did not become healthy within ${timeoutMs / 1000}s`);
}

/**
 * Returns { baseUrl, state, logPath, env, stop(keepState) }. `stop` kills the server and, unless
 * told to keep it, removes the state folder.
 */
export async function startServer({ vars = {} } = {}) {
  const state = mkdtempSync(join(tmpdir(), "dozen-e2e-"));
  const logPath = join(state, "wrangler.log");
  const env = { ...process.env, WRANGLER_SEND_METRICS: "false", CI: "1", NO_COLOR: "1" };
  const migrate = spawnSync(WRANGLER, ["d1", "migrations", "apply", "DB", "--local", "--persist-to", state], {
    cwd: ROOT,
    env,
    encoding: "utf8",
  });
  if (migrate.status !== 0) throw new Error(`migrations failed:\n${migrate.stdout}\n${migrate.stderr}`);

  const port = await freePort();
  const inspectorPort = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const log = openSync(logPath, "a");
  const child = spawn(
    WRANGLER,
    [
      "dev",
      ...["--persist-to", state, "--port", String(port), "--ip", "127.0.0.1", "--inspector-port", String(inspectorPort)],
      // Chat pings sockets every second (not 45 s), so heartbeats and presence are seen quickly.
      ...["--var", "CHAT_PING_EVERY_MS:1000"],
      // Poker tables deal the next hand 30 ms after the last (not 3 s), so hundreds of hands fit.
      ...["--var", "POKER_HAND_PAUSE_MS:30"],
      // The admin of poker's collusion signals (tests/e2e/poker-signals.test.mjs signs up as it).
      ...["--var", "POKER_ADMINS:poker_warden"],
      // Lockers' admin and courier (tests/support/lockers.mjs), and a 30 s pickup window (not
      // three local days), so that a parcel expires while the suite waits.
      ...["--var", "LOCKERS_ADMINS:locker_admin", "--var", "LOCKERS_COURIERS:locker_courier"],
      ...["--var", "NEWS_MODERATORS:news_mod"],
      ...["--var", "LOCKERS_WINDOW_MS:30000"],
      // A caller's own values (a bench) come last, so they win.
      ...Object.entries(vars).flatMap(([name, value]) => ["--var", `${name}:${value}`]),
    ],
    { cwd: ROOT, env, stdio: ["ignore", log, log], detached: true },
  );
  const kill = () => {
    try {
      process.kill(-child.pid, "SIGTERM");
    } catch {
      // already gone
    }
  };
  process.on("exit", kill);
  try {
    await waitForHealth(baseUrl, child, 90_000);
  } catch (error) {
    kill();
    throw new Error(`${error.message} (log: ${logPath})`);
  }
  return {
    baseUrl,
    state,
    logPath,
    env,
    stop(keepState = false) {
      kill();
      if (!keepState) rmSync(state, { recursive: true, force: true });
    },
  };
}
