// A chat socket for the e2e suites: one device of one person on `GET /api/chat/socket` (see
// frame-socket.mjs for the frame queue). Like any client it answers pings.
import { request as httpRequest } from "node:http";
import { randomBytes } from "node:crypto";
import { BASE } from "./api.mjs";
import { FrameSocket, closeAllFrameSockets } from "./frame-socket.mjs";

export const closeAllSockets = closeAllFrameSockets;

export class ChatSocket extends FrameSocket {
  /**
   * Opens a socket as the person whose session `jar` holds (or with `headers`). Like any client
   * it answers pings, unless told not to (a device that went silent).
   */
  static open({ jar, headers = {}, answersPings = true } = {}) {
    return FrameSocket.connect("/api/chat/socket", { jar, headers }, (ws) => new ChatSocket(ws, answersPings));
  }

  constructor(ws, answersPings) {
    super(ws);
    this.answersPings = answersPings;
  }

  received(frame) {
    if (frame.type !== "ping") return true;
    this.pings = (this.pings ?? 0) + 1;
    if (this.answersPings) this.send({ type: "pong" });
    return false;
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
