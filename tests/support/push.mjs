// A push service for the tests: a node http server on 127.0.0.1 (a random port) that takes the
// pushes the worker sends, browsers' push keys made here, and a push's payload decrypted as a
// browser would, with a standard implementation of RFC 8291/8188 (the npm package http_ece).
import { createECDH, randomBytes } from "node:crypto";
import { createServer } from "node:http";
import ece from "http_ece";

/** The push service: every request it gets, by path; answers 201 unless told otherwise. */
export class Receiver {
  constructor() {
    this.requests = [];
    this.answers = new Map();
    this.server = createServer((req, res) => {
      const chunks = [];
      req.on("data", (chunk) => chunks.push(chunk));
      req.on("end", () => {
        this.requests.push({ method: req.method, path: req.url, headers: req.headers, body: Buffer.concat(chunks) });
        res.writeHead(this.answers.get(req.url) ?? 201).end();
      });
    });
  }
  start() {
    return new Promise((resolve) => this.server.listen(0, "127.0.0.1", resolve));
  }
  get origin() {
    return `http://127.0.0.1:${this.server.address().port}`;
  }
  /** A fresh endpoint on this receiver, answering `status`. */
  endpoint(status = 201) {
    const path = `/push/${randomBytes(8).toString("hex")}`;
    this.answers.set(path, status);
    return this.origin + path;
  }
  at(endpoint) {
    const path = new URL(endpoint).pathname;
    return this.requests.filter((r) => r.path === path);
  }
  /** Waits (polling, up to `ms`) until `endpoint` has had `count` pushes; they. */
  async pushes(endpoint, count = 1, ms = 10_000) {
    const deadline = Date.now() + ms;
    while (this.at(endpoint).length < count) {
      if (Date.now() > deadline) {
        throw new Error(`${count} push(es) to ${endpoint} expected within ${ms} ms; got ${this.at(endpoint).length}`);
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    return this.at(endpoint);
  }
  stop() {
    this.server.closeAllConnections?.();
    return new Promise((resolve) => this.server.close(resolve));
  }
}

/** A browser's push keys: a P-256 key pair and a 16-byte auth secret. */
export function browser() {
  const ecdh = createECDH("prime256v1");
  ecdh.generateKeys();
  const auth = randomBytes(16);
  return { ecdh, keys: { p256dh: ecdh.getPublicKey().toString("base64url"), auth: auth.toString("base64url") } };
}

/** The payload of a push, decrypted as the browser would. */
export function open(push, b) {
  const plain = ece.decrypt(push.body, { version: "aes128gcm", privateKey: b.ecdh, authSecret: b.keys.auth });
  return JSON.parse(plain.toString("utf8"));
}
