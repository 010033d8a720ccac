// Running a Python suite from an e2e test: the suites that drive Dozen through a real client
// library (Razorpay's SDK for Pay, haxor for News) run as a child process against the same
// `wrangler dev`, their output streamed, the end of it kept for the failure message.
import { spawn } from "node:child_process";

export const ROOT = new URL("../..", import.meta.url).pathname;
/** How long a suite may run before it is killed. */
export const TIMEOUT_MS = 240_000;

/** Runs a command from the repo root, echoing its output; resolves { code, signal, tail }. */
export function run(command, args, env) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
    let tail = "";
    const keep = (chunk) => {
      tail = (tail + chunk.toString("utf8")).slice(-12_000);
    };
    child.stdout.on("data", (chunk) => {
      process.stdout.write(chunk);
      keep(chunk);
    });
    child.stderr.on("data", (chunk) => {
      process.stderr.write(chunk);
      keep(chunk);
    });
    const timer = setTimeout(() => {
      keep(`\n[killed after ${TIMEOUT_MS / 1000}s]\n`);
      child.kill("SIGKILL");
    }, TIMEOUT_MS);
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, tail });
    });
  });
}
