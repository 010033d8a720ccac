// A poker table socket for the e2e suites: one viewer (player or spectator) of one table, over a
// real WebSocket (undici's) to `GET /api/poker/tables/{id}/socket`. Frames are kept in arrival
// order; `state` is the latest `state` frame; `next` waits for the first frame not yet taken
// that matches.
import { WebSocket } from "undici";
import { BASE } from "./api.mjs";

const opened = new Set();

/** Closes every socket still open, so that a failed test cannot keep the suite's process alive. */
export function closeAllPokerSockets() {
  for (const socket of opened) socket.close();
}

export class PokerSocket {
  /** Opens table `tableId`'s socket as the person whose session `jar` holds. */
  static open(tableId, { jar, headers = {} } = {}) {
    const all = { ...headers };
    if (jar) all.cookie = jar.cookie;
    const url = BASE.replace(/^http/, "ws") + `/api/poker/tables/${tableId}/socket`;
    const socket = new PokerSocket(new WebSocket(url, { headers: all }));
    return new Promise((resolve, reject) => {
      socket.ws.addEventListener("open", () => resolve(socket), { once: true });
      socket.ws.addEventListener("error", (e) => reject(new Error(`socket failed: ${e.message ?? e.type}`)), {
        once: true,
      });
    });
  }

  constructor(ws) {
    this.ws = ws;
    opened.add(this);
    this.frames = [];
    this.taken = new Set();
    this.waiters = [];
    this.listeners = [];
    this.state = null;
    this.closed = null;
    ws.addEventListener("message", (event) => {
      const frame = JSON.parse(event.data);
      this.frames.push(frame);
      if (frame.type === "state") this.state = frame;
      for (const listener of this.listeners) listener(frame);
      for (const waiter of [...this.waiters]) waiter();
    });
    ws.addEventListener("close", (event) => {
      this.closed = { code: event.code, reason: event.reason };
      for (const waiter of [...this.waiters]) waiter();
    });
  }

  /** Calls `listener` with every frame from now on. */
  onFrame(listener) {
    this.listeners.push(listener);
  }

  send(frame) {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(typeof frame === "string" ? frame : JSON.stringify(frame));
  }

  /** The first frame not yet taken for which `match` holds, waiting up to `ms` for it. */
  next(match = () => true, ms = 5000, what = "a frame") {
    const find = () => {
      const index = this.frames.findIndex((f, i) => !this.taken.has(i) && match(f));
      if (index === -1) return undefined;
      this.taken.add(index);
      return this.frames[index];
    };
    const found = find();
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const waiter = () => {
        const frame = find();
        if (frame) {
          done();
          resolve(frame);
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`no ${what} within ${ms} ms; last frames: ${JSON.stringify(this.frames.slice(-4))}`));
      }, ms);
      const done = () => {
        clearTimeout(timer);
        this.waiters = this.waiters.filter((w) => w !== waiter);
      };
      this.waiters.push(waiter);
    });
  }

  /** Skips every frame received so far (so `next` sees only what comes after). */
  skipAll() {
    this.frames.forEach((_, i) => this.taken.add(i));
  }

  nextOf(type, ms, match = () => true) {
    return this.next((f) => f.type === type && match(f), ms, `"${type}"`);
  }

  close() {
    opened.delete(this);
    this.ws.close();
  }
}

/**
 * A random legal action for the state's `legal`: mostly checks and calls, a fold a fifth of the
 * time facing a bet, a raise of up to twice the minimum now and then, all in rarely (so that
 * players seldom go broke and a table keeps playing for hundreds of hands).
 */
export function randomAction(legal, random = Math.random) {
  const roll = random();
  if (legal.bring_in != null && roll < 0.5) return { action: "bring_in" };
  if (legal.raise && roll > 0.85) {
    const { kind, min, max } = legal.raise;
    const amount = roll > 0.995 ? max : min + Math.floor(random() * (min + 1));
    return { action: kind, amount: Math.min(amount, max) };
  }
  if (legal.bring_in != null) return { action: "bring_in" };
  if (legal.call != null && roll < 0.2) return { action: "fold" };
  if (legal.check) return { action: "check" };
  if (legal.call != null) return { action: "call" };
  return { action: "fold" };
}
