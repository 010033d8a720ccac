// Chat's end-to-end key schedule done the browser's way, with WebCrypto (here Node's
// crypto.subtle, the same API): the bytes must equal what shared::chat::e2ee::ratchet derives
// (its known_answers test holds the same values), so a browser and the Rust rules agree on
// every key. Then a real exchange: P-256 keys made with WebCrypto, the three ECDHs, a message
// sealed with AES-256-GCM and opened on the other side; a changed byte does not open.
import assert from "node:assert/strict";
import { test } from "node:test";

import { aesKey, associatedData, chains, sessionSecret, step } from "../support/e2ee.mjs";

const subtle = globalThis.crypto.subtle;
const enc = new TextEncoder();
const hex = (buf) => Buffer.from(buf).toString("hex");
const concat = (...parts) => Buffer.concat(parts.map((p) => Buffer.from(p)));

test("WebCrypto derives the bytes the Rust key schedule does", async () => {
  const secret = await sessionSecret(new Uint8Array(32).fill(1), new Uint8Array(32).fill(2), new Uint8Array(32).fill(3));
  assert.equal(hex(secret), "3b6ca455d1754560834974f40c182cdd520e2d537729d94e91d23b98cbcdbec4");
  const ann = await chains(secret, "initiator");
  const first = await step(ann.sending);
  const second = await step(first.next);
  assert.equal(hex(first.message), "b9325bc06d8d7fad4d5be87adf4758d4910e874543c4b70a0732efb5da7cbe7c");
  assert.equal(hex(second.message), "46b90b0deeb3cb887afa72dd100f81bd4d9c81dc169993732f0895644f301bc1");
  assert.equal(hex(await aesKey(first.message)), "061e7a4e4252d5c75ff15c178088dc8f67e711354ad4df083370195472b27768");
  const bob = await chains(secret, "responder");
  assert.equal(hex((await step(bob.sending)).message), "a40079a3eb892d32c6c62d7af1a1b4359b7be1fe6a614da9eb0220f5e5e0c3c7");
  assert.equal(hex(bob.receiving), hex(ann.sending), "one side's sending chain is the other's receiving chain");
});

test("two devices with WebCrypto P-256 keys agree on a session and exchange a sealed message", async () => {
  const ecdh = { name: "ECDH", namedCurve: "P-256" };
  const make = () => subtle.generateKey(ecdh, false, ["deriveBits"]);
  const [annIdentity, annEphemeral, bobIdentity, bobPreKey] = await Promise.all([make(), make(), make(), make()]);
  const dh = async (mine, theirs) => new Uint8Array(await subtle.deriveBits({ name: "ECDH", public: theirs.publicKey }, mine.privateKey, 256));
  const annSecret = await sessionSecret(await dh(annIdentity, bobPreKey), await dh(annEphemeral, bobIdentity), await dh(annEphemeral, bobPreKey));
  const bobSecret = await sessionSecret(await dh(bobPreKey, annIdentity), await dh(bobIdentity, annEphemeral), await dh(bobPreKey, annEphemeral));
  assert.equal(hex(annSecret), hex(bobSecret));

  const aad = enc.encode("Dozen chat v1 envelope|c1|ann|ann-phone|0");
  const nonce = globalThis.crypto.getRandomValues(new Uint8Array(12));
  const seal = async (chain, text) => {
    const k = await subtle.importKey("raw", await aesKey((await step(chain)).message), "AES-GCM", false, ["encrypt"]);
    return new Uint8Array(await subtle.encrypt({ name: "AES-GCM", iv: nonce, additionalData: aad }, k, enc.encode(text)));
  };
  const open = async (chain, sealed, data = aad) => {
    const k = await subtle.importKey("raw", await aesKey((await step(chain)).message), "AES-GCM", false, ["decrypt"]);
    return new TextDecoder().decode(await subtle.decrypt({ name: "AES-GCM", iv: nonce, additionalData: data }, k, sealed));
  };
  const sealed = await seal((await chains(annSecret, "initiator")).sending, "Meet at 6? 🚲");
  assert.ok(!Buffer.from(sealed).includes(Buffer.from("Meet")), "no plaintext in what travels");
  const bobReceiving = (await chains(bobSecret, "responder")).receiving;
  assert.equal(await open(bobReceiving, sealed), "Meet at 6? 🚲");
  const flipped = Uint8Array.from(sealed);
  flipped[3] ^= 1;
  await assert.rejects(open(bobReceiving, flipped), "a changed byte does not open");
  await assert.rejects(open(bobReceiving, sealed, enc.encode("Dozen chat v1 envelope|c2|ann|ann-phone|0")), "nor in another conversation");
});

test("an envelope's additional data is, byte for byte, what the Rust envelope authenticates", () => {
  const envelope = { device: "d1", counter: 7, nonce: "AAAAAAAAAAAAAAAA", replaces: "k9", handshake: { identity: "I", ephemeral: "E", pre_key: 3 }, generation: 2 };
  assert.equal(
    hex(associatedData(envelope, "c1", "ann")),
    "446f7a656e206368617420763120656e76656c6f706500000002633100000003616e6e000000026431000000013700000010414141414141414141414141414141410000" +
      "00026b390000000149000000014500000001330000000132",
  );
  assert.equal(hex(associatedData({ ...envelope, generation: null }, "c1", "ann")), hex(associatedData({ ...envelope, generation: undefined }, "c1", "ann")));
});

test("the safety number of known keys, with WebCrypto's SHA-512, is the Rust one", async () => {
  const fingerprint = async (username, key) => {
    let hash = new Uint8Array(await subtle.digest("SHA-512", concat([0, 0], key, enc.encode(username))));
    for (let i = 0; i < 5200; i++) hash = new Uint8Array(await subtle.digest("SHA-512", concat(hash, key)));
    let digits = "";
    for (let i = 0; i < 30; i += 5) {
      const n = hash.slice(i, i + 5).reduce((acc, byte) => acc * 256n + BigInt(byte), 0n);
      digits += String(n % 100000n).padStart(5, "0");
    }
    return digits;
  };
  const [a, b] = [await fingerprint("ann", new Uint8Array(65).fill(4)), await fingerprint("bob", new Uint8Array(65).fill(7))];
  assert.equal([a, b].sort().join(""), "596310924253721788125162783578856829825605673740291268865845");
});
