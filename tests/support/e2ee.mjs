// Chat's end-to-end encryption done as a browser does it, with WebCrypto (Node's crypto.subtle
// is the same API): the key schedule of shared::chat::e2ee::ratchet, envelopes as
// shared::chat::e2ee::envelope writes them, and devices that publish their keys. The tests use
// it as a real client would.
import { request } from "./api.mjs";

const subtle = globalThis.crypto.subtle;
const enc = new TextEncoder();
export const b64 = (bytes) => Buffer.from(bytes).toString("base64url");
export const unb64 = (text) => new Uint8Array(Buffer.from(text, "base64url"));
const concat = (...parts) => Buffer.concat(parts.map((p) => Buffer.from(p)));

export async function hkdf(ikm, salt, info, length) {
  const key = await subtle.importKey("raw", ikm, "HKDF", false, ["deriveBits"]);
  return new Uint8Array(await subtle.deriveBits({ name: "HKDF", hash: "SHA-256", salt, info: enc.encode(info) }, key, length * 8));
}

async function hmac(key, byte) {
  const k = await subtle.importKey("raw", key, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  return new Uint8Array(await subtle.sign("HMAC", k, new Uint8Array([byte])));
}

export const sessionSecret = (dh1, dh2, dh3) =>
  hkdf(concat(new Uint8Array(32).fill(0xff), dh1, dh2, dh3), new Uint8Array(32), "Dozen chat v1", 32);

export async function chains(secret, role) {
  const okm = await hkdf(secret, new Uint8Array(0), "Dozen chat v1 chains", 64);
  const [first, second] = [okm.slice(0, 32), okm.slice(32)];
  return role === "initiator" ? { sending: first, receiving: second } : { sending: second, receiving: first };
}

/** One step of a chain: the message key, and the chain after it. */
export const step = async (chain) => ({ message: await hmac(chain, 0x01), next: await hmac(chain, 0x02) });

/** The AES-256-GCM key of one message (its nonce is random, in the envelope). */
export const aesKey = (messageKey) => hkdf(messageKey, new Uint8Array(0), "Dozen chat v1 message", 32);

/** The additional data of an envelope (Envelope::associated_data). */
export function associatedData(envelope, conversation, sender) {
  const h = envelope.handshake;
  const fields = [
    conversation,
    sender,
    envelope.device,
    String(envelope.counter),
    envelope.nonce,
    envelope.replaces ?? "",
    h?.identity ?? "",
    h?.ephemeral ?? "",
    h ? String(h.pre_key) : "",
    envelope.generation == null ? "" : String(envelope.generation),
  ];
  const parts = [enc.encode("Dozen chat v1 envelope")];
  for (const field of fields) {
    const bytes = enc.encode(field);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(bytes.length);
    parts.push(length, bytes);
  }
  return concat(...parts);
}

export const toBody = (envelope) => "e2ee:v1:" + b64(enc.encode(JSON.stringify(envelope)));
export const fromBody = (body) => JSON.parse(Buffer.from(body.slice("e2ee:v1:".length), "base64url").toString());

const ECDH = { name: "ECDH", namedCurve: "P-256" };
const ECDSA = { name: "ECDSA", namedCurve: "P-256" };
const raw = async (key) => b64(new Uint8Array(await subtle.exportKey("raw", key)));

/** A device: its keys made here (private halves never leave it), published as a browser would. */
export async function device(person, id) {
  const identity = await subtle.generateKey(ECDH, false, ["deriveBits"]);
  const preKey = await subtle.generateKey(ECDH, false, ["deriveBits"]);
  const signing = await subtle.generateKey(ECDSA, false, ["sign", "verify"]);
  const preKeyBytes = new Uint8Array(await subtle.exportKey("raw", preKey.publicKey));
  const signature = new Uint8Array(await subtle.sign({ name: "ECDSA", hash: "SHA-256" }, signing.privateKey, preKeyBytes));
  const published = {
    identity_key: await raw(identity.publicKey),
    signing_key: await raw(signing.publicKey),
    pre_key_id: 1,
    pre_key: b64(preKeyBytes),
    pre_key_signature: b64(signature),
  };
  return { person, id, identity, preKey, signing, published };
}

export const publish = (dev, body = dev.published) =>
  request("PUT", `/api/chat/devices/${dev.id}`, { jar: dev.person.jar, body });

const importEcdh = (text) => subtle.importKey("raw", unb64(text), ECDH, false, []);
const dh = async (privateKey, publicKey) => new Uint8Array(await subtle.deriveBits({ name: "ECDH", public: publicKey }, privateKey, 256));

/** Starts a session with another person's published device: checks its pre-key's signature. */
export async function startSession(mine, theirs) {
  const signingKey = await subtle.importKey("raw", unb64(theirs.signing_key), ECDSA, false, ["verify"]);
  const good = await subtle.verify({ name: "ECDSA", hash: "SHA-256" }, signingKey, unb64(theirs.pre_key_signature), unb64(theirs.pre_key));
  if (!good) throw new Error("the pre-key is not signed by the device's key");
  const ephemeral = await subtle.generateKey(ECDH, true, ["deriveBits"]);
  const [theirIdentity, theirPreKey] = [await importEcdh(theirs.identity_key), await importEcdh(theirs.pre_key)];
  const secret = await sessionSecret(
    await dh(mine.identity.privateKey, theirPreKey),
    await dh(ephemeral.privateKey, theirIdentity),
    await dh(ephemeral.privateKey, theirPreKey),
  );
  const { sending, receiving } = await chains(secret, "initiator");
  const handshake = { identity: mine.published.identity_key, ephemeral: await raw(ephemeral.publicKey), pre_key: theirs.pre_key_id };
  return { sending, receiving, counter: 0, handshake };
}

/** The responder's side, from the first envelope's handshake. */
export async function acceptSession(mine, handshake) {
  const [identity, ephemeral] = [await importEcdh(handshake.identity), await importEcdh(handshake.ephemeral)];
  const secret = await sessionSecret(
    await dh(mine.preKey.privateKey, identity),
    await dh(mine.identity.privateKey, ephemeral),
    await dh(mine.preKey.privateKey, ephemeral),
  );
  const { sending, receiving } = await chains(secret, "responder");
  return { sending, receiving, counter: 0 };
}

/** Seals `text` for `conversation` as `sender` from device `deviceId`: the message body. */
export async function seal(session, deviceId, conversation, sender, text) {
  const { message, next } = await step(session.sending);
  session.sending = next;
  const nonce = globalThis.crypto.getRandomValues(new Uint8Array(12));
  const envelope = { device: deviceId, counter: session.counter++, nonce: b64(nonce), ...(session.handshake ? { handshake: session.handshake } : {}), ciphertext: "" };
  const k = await subtle.importKey("raw", await aesKey(message), "AES-GCM", false, ["encrypt"]);
  const sealed = await subtle.encrypt({ name: "AES-GCM", iv: nonce, additionalData: associatedData(envelope, conversation, sender) }, k, enc.encode(text));
  envelope.ciphertext = b64(new Uint8Array(sealed));
  return toBody(envelope);
}

/** Opens the next message of the session's receiving chain (in order, for the tests). */
export async function open(session, conversation, sender, body) {
  const envelope = fromBody(body);
  const { message, next } = await step(session.receiving);
  session.receiving = next;
  const k = await subtle.importKey("raw", await aesKey(message), "AES-GCM", false, ["decrypt"]);
  const plain = await subtle.decrypt({ name: "AES-GCM", iv: unb64(envelope.nonce), additionalData: associatedData(envelope, conversation, sender) }, k, unb64(envelope.ciphertext));
  return new TextDecoder().decode(plain);
}
