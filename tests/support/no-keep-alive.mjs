// Preloaded into every e2e test process (tests/run-e2e.mjs sets NODE_OPTIONS=--import=…).
//
// wrangler dev closes idle keep-alive connections at will; Node's fetch pools them, and a
// request written onto a socket wrangler has just closed fails with "other side closed"
// (UND_ERR_SOCKET) although the worker never saw it. Resending is unsafe in general (the worker
// may have answered), so instead no connection is ever reused: every request opens its own.
// The worker's answers are never resent; wrangler's own 503 "restarted mid-request" is handled
// in api.mjs.
import { Agent, fetch as undiciFetch } from "undici";

// pipelining 0: one request per connection, closed after its answer (no keep-alive).
const dispatcher = new Agent({ pipelining: 0 });

globalThis.fetch = (input, init = {}) => undiciFetch(input, { ...init, dispatcher });
