// A chat socket for the e2e suites: one device of one person, over a real WebSocket (undici's,
// the one Node's own `WebSocket` is built on) to `GET /api/chat/socket`. Frames are kept in
// arrival order; `next` waits for the first one not yet taken that matches.
import { request as httpRequest } from "node:http";
import { randomBytes } from "node:crypto";
import { WebSocket } from "undici";
import { BASE } from "./api.mjs";

const socketUrl = () => BASE.replace(/^http/, "ws") + "/api/chat/socket";
const opened = new Set();

/** Closes every socket still open, so that a failed test cannot keep the suite's process alive. */
export function closeAllSockets() {
  for (const socket of opened) socket.close();
}

export class ChatSocket {
  /**
   * Opens a socket as the person whose session `jar` holds (or with `headers`). Like any client
   * it answers pings, unless told not to (a device that went silent).
   */
  static open({ jar, headers = {}, answersPings = true } = {}) {
    const all = { ...headers };
    if (jar) all.cookie = jar.cookie;
    const socket = new ChatSocket(new WebSocket(socketUrl(), { headers: all }), answersPings);
    return new Promise((resolve, reject) => {
      socket.ws.addEventListener("open", () => resolve(socket), { once: true });
      socket.ws.addEventListener("error", (e) => reject(new Error(`socket failed: ${e.message ?? e.type}`)), {
        once: true,
      });
    });
  }

  constructor(ws, answersPings) {
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
      if (frame.type === "ping") {
        this.pings = (this.pings ?? 0) + 1;
        if (answersPings && ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify({ type: "pong" }));
        return;
      }
      this.frames.push(frame);
      this.wake();
    });
    ws.addEventListener("close", (event) => {
      this.closed = { code: event.code, reason: event.reason };
      this.wake();
    });
  }

  wake() {
    for (const waiter of [...this.waiters]) waiter();
  }

  send(frame) {
    this.ws.send(typeof frame === "string" ? frame : JSON.stringify(frame));
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
        reject(new Error(`no ${what} within ${ms} ms; frames: ${JSON.stringify(this.frames.slice(-10))}`));
      }, ms);
      const done = () => {
        clearTimeout(timer);
        this.waiters = this.waiters.filter((w) => w !== waiter);
      };
      this.waiters.push(waiter);
    });
  }

  /** The next frame of `type` (and for `conversation`, when given). */
  nextOf(type, conversation, ms) {
    return this.next((f) => f.type === type && (!conversation || f.conversation === conversation), ms, `"${type}"`);
  }

  /** Messages of `conversation` collected until `count` arrived. */
  async messages(conversation, count, ms = 8000) {
    const got = [];
    while (got.length < count) got.push(await this.nextOf("message", conversation, ms));
    return got;
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

/**
 * The status of a raw upgrade request (101 when the socket opens) with these headers, to the chat
 * socket or to `path`.
 */
export function upgradeStatus(headers, path = "/api/chat/socket") {
  const url = new URL(BASE + path);
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, {
      headers: {
        Connection: "Upgrade",
        Upgrade: "websocket",
        "Sec-WebSocket-Version": "13",
        "Sec-WebSocket-Key": randomBytes(16).toString("base64"),
        ...headers,
      },
    });
    req.on("upgrade", (res, socket) => {
      socket.destroy();
      resolve(res.statusCode);
    });
    req.on("response", (res) => {
      res.resume();
      resolve(res.statusCode);
    });
    req.on("error", reject);
    req.end();
  });
}
