// A WebSocket of JSON frames for the e2e suites, over a real WebSocket (undici's, the one Node's
// own `WebSocket` is built on) to this server. Frames are kept in arrival order; `next` waits
// for the first one not yet taken that matches. Chat's and poker's sockets build on it.
import { WebSocket } from "undici";
import { BASE } from "./api.mjs";

const opened = new Set();

/** Closes every socket still open, so that a failed test cannot keep the suite's process alive. */
export function closeAllFrameSockets() {
  for (const socket of opened) socket.close();
}

export class FrameSocket {
  /**
   * Opens `path` as the person whose session `jar` holds (or with `headers`), resolving once
   * open; `make` builds the socket object around the WebSocket.
   */
  static connect(path, { jar, headers = {} }, make) {
    const all = { ...headers };
    if (jar) all.cookie = jar.cookie;
    const socket = make(new WebSocket(BASE.replace(/^http/, "ws") + path, { headers: all }));
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
    this.closed = null;
    ws.addEventListener("message", (event) => {
      let frame;
      try {
        frame = JSON.parse(event.data);
      } catch {
        frame = { type: "not-json", data: String(event.data) };
      }
      if (this.received(frame) === false) return;
      this.frames.push(frame);
      this.wake();
    });
    ws.addEventListener("close", (event) => {
      this.closed = { code: event.code, reason: event.reason };
      this.wake();
    });
  }

  /** Sees each frame as it arrives; false keeps it out of `frames`. */
  received(_frame) {
    return true;
  }

  wake() {
    for (const waiter of [...this.waiters]) waiter();
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
        reject(new Error(`no ${what} within ${ms} ms; last frames: ${JSON.stringify(this.frames.slice(-6))}`));
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

  /** Waits until the server closes the socket; its code and reason. */
  async closedBy(ms = 5000) {
    const start = Date.now();
    while (!this.closed && Date.now() - start < ms) await new Promise((r) => setTimeout(r, 20));
    return this.closed;
  }

  close() {
    opened.delete(this);
    this.ws.close();
  }
}
