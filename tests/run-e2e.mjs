// Runs the end-to-end suites (tests/e2e/*.test.mjs) against a real `wrangler dev` started by
// tests/support/server.mjs. Pass words to run only the suites whose names contain them
// (`node tests/run-e2e.mjs links`). A full run then holds the OpenAPI document to the same server
// with schemathesis (tests/schemathesis.sh, about 2 minutes; `--no-schema` skips it).
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { ROOT, startServer } from "./support/server.mjs";

process.on("SIGINT", () => process.exit(130));

let server;
let status = 1;
try {
  server = await startServer();
  console.log(`wrangler dev at ${server.baseUrl}, state ${server.state}, log ${server.logPath}`);
  const args = process.argv.slice(2);
  const only = args.filter((arg) => !arg.startsWith("--"));
  const schema = only.length === 0 && !args.includes("--no-schema");
  const suites = readdirSync(join(ROOT, "tests/e2e"))
    .filter((name) => name.endsWith(".test.mjs"))
    .filter((name) => only.length === 0 || only.some((o) => name.includes(o)))
    .sort()
    .map((name) => join(ROOT, "tests/e2e", name));
  const run = spawnSync(process.execPath, ["--test", "--test-reporter=spec", "--test-concurrency=1", ...suites], {
    cwd: ROOT,
    env: {
      ...server.env,
      DOZEN_BASE_URL: server.baseUrl,
      DOZEN_STATE_DIR: server.state,
      // No keep-alive to wrangler dev from any test (see the module).
      NODE_OPTIONS: `--import=${join(ROOT, "tests/support/no-keep-alive.mjs")}`,
    },
    stdio: "inherit",
  });
  status = run.status ?? 1;
  if (status === 0 && schema) {
    console.log("\n== schemathesis over /api/openapi.json (tests/schemathesis.sh)");
    const fuzz = spawnSync(join(ROOT, "tests/schemathesis.sh"), [server.baseUrl], { cwd: ROOT, stdio: "inherit" });
    status = fuzz.status ?? 1;
    console.log(status === 0 ? "schemathesis: no issues" : "schemathesis: FAILED (see above)");
  }
} catch (error) {
  console.error(String(error));
} finally {
  // A failed run keeps its state folder and log for a look afterwards.
  server?.stop(status !== 0);
}
process.exit(status);
