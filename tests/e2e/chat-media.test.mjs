// Chat's media end to end against `wrangler dev` (R2 and D1 on disk): files up to 25 MB, what
// they are decided by their bytes (a disguised file is refused), downloads with the right type,
// `attachment` for anything that is not a picture, video or sound, ranges for players, only
// for the conversation's members, and gone with a message deleted for everyone.
import assert from "node:assert/strict";
import { test } from "node:test";
import { BASE, d1, expectError, request, signUp } from "../support/api.mjs";
import { png } from "../support/png.mjs";

const EXE = Buffer.concat([Buffer.from("MZ\x90\x00\x03\x00\x00\x00", "binary"), Buffer.alloc(512, 7)]);
const HTML = Buffer.from("<!doctype html><script>alert(document.cookie)</script>");
const PDF = Buffer.from("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");
// An MP3 frame header then silence: what a browser's player would be given.
const MP3 = Buffer.concat([Buffer.from([0xff, 0xfb, 0x90, 0x64]), Buffer.alloc(20_000, 0)]);

async function upload(jar, conversation, parts, headers = {}) {
  const form = new FormData();
  for (const [name, value, filename, type] of parts) {
    if (filename === undefined) form.append(name, value);
    else form.append(name, new Blob([value], { type: type ?? "" }), filename);
  }
  // Encoded first, so the request has its length and type as a browser sends them.
  const encoded = new Response(form);
  const res = await fetch(`${BASE}/api/chat/conversations/${conversation}/media`, {
    method: "POST",
    headers: { cookie: jar.cookie, "content-type": encoded.headers.get("content-type"), ...headers },
    body: Buffer.from(await encoded.arrayBuffer()),
  });
  const text = await res.text();
  let json;
  try {
    json = JSON.parse(text);
  } catch {}
  return { status: res.status, headers: res.headers, text, json };
}

const file = (bytes, filename, type) => ["file", bytes, filename, type];

async function download(jar, path, headers = {}) {
  const res = await fetch(BASE + path, { headers: { cookie: jar.cookie, ...headers } });
  return { status: res.status, headers: res.headers, body: Buffer.from(await res.arrayBuffer()) };
}

async function direct(a, b) {
  const res = await request("POST", "/api/chat/conversations", { jar: a.jar, body: { kind: "direct", members: [b.user.username] } });
  assert.ok([200, 201].includes(res.status), res.text);
  return res.json.id;
}

const send = (jar, id, body) => request("POST", `/api/chat/conversations/${id}/messages`, { jar, body });

test("a picture with its thumbnail: sent, listed, shown inline to members as the bytes say", async () => {
  const [ann, bob] = await Promise.all([signUp(), signUp()]);
  const id = await direct(ann, bob);
  const picture = png(64, 48);
  const thumb = png(16, 12);
  // Named .jpg and claimed as JPEG, but a PNG: the bytes decide, and it is still a picture.
  const up = await upload(ann.jar, id, [file(picture, "holiday.jpg", "image/jpeg"), ["thumbnail", thumb, "t.png", "image/png"], ["width", "64"], ["height", "48"]]);
  assert.equal(up.status, 201, up.text);
  assert.deepEqual(
    { ...up.json, id: undefined },
    { id: undefined, kind: "image", content_type: "image/png", name: "holiday.jpg", size: picture.length, width: 64, height: 48, has_thumbnail: true },
  );
  const sent = await send(ann.jar, id, { client_id: "pic-1", body: "", media: up.json.id });
  assert.equal(sent.status, 201, sent.text);
  assert.deepEqual(sent.json.media, up.json);
  const again = await send(ann.jar, id, { client_id: "pic-1", body: "", media: up.json.id });
  assert.equal(again.status, 200, "the same client id is the same message");
  const page = await request("GET", `/api/chat/conversations/${id}/messages`, { jar: bob.jar });
  assert.deepEqual(page.json.items.map((m) => [m.seq, m.media?.id]), [[1, up.json.id]]);
  const list = await request("GET", "/api/chat/conversations", { jar: bob.jar });
  assert.equal(list.json.items[0].last_message.body, "holiday.jpg", "a file without a caption is listed by its name");

  const got = await download(bob.jar, `/api/chat/media/${up.json.id}`);
  assert.equal(got.status, 200);
  assert.ok(got.body.equals(picture), "the bytes as uploaded");
  assert.equal(got.headers.get("content-type"), "image/png");
  assert.match(got.headers.get("content-disposition"), /^inline; filename="holiday.jpg"/);
  assert.equal(got.headers.get("x-content-type-options"), "nosniff");
  assert.match(got.headers.get("content-security-policy"), /sandbox/);
  const small = await download(bob.jar, `/api/chat/media/${up.json.id}/thumbnail`);
  assert.equal(small.status, 200);
  assert.ok(small.body.equals(thumb));
  assert.equal(small.headers.get("content-type"), "image/png");
  const found = await request("GET", "/api/chat/search?q=holiday", { jar: bob.jar });
  assert.deepEqual(found.json.items.map((h) => h.seq), [1], "found by its name");
});

test("what is not a picture, video or sound downloads as an attachment; sounds are served in ranges", async () => {
  const [ann, bob] = await Promise.all([signUp(), signUp()]);
  const id = await direct(ann, bob);
  const exe = await upload(ann.jar, id, [file(EXE, "setup.exe", "application/x-msdownload")]);
  assert.equal(exe.status, 201, exe.text);
  assert.deepEqual([exe.json.kind, exe.json.content_type, exe.json.has_thumbnail], ["file", "application/octet-stream", false]);
  const page = await upload(ann.jar, id, [file(HTML, "page.html", "text/html")]);
  assert.equal(page.status, 201, page.text);
  const pdf = await upload(ann.jar, id, [file(PDF, "../../Résumé 2026.pdf", "application/pdf")]);
  assert.equal(pdf.status, 201, pdf.text);
  assert.deepEqual([pdf.json.kind, pdf.json.content_type, pdf.json.name], ["file", "application/pdf", "Résumé 2026.pdf"]);
  for (const [i, up] of [exe, page, pdf].entries()) {
    assert.equal((await send(ann.jar, id, { client_id: `f-${i}`, body: "", media: up.json.id })).status, 201);
  }
  for (const [up, type] of [[exe, "application/octet-stream"], [page, "application/octet-stream"], [pdf, "application/pdf"]]) {
    const got = await download(bob.jar, `/api/chat/media/${up.json.id}`);
    assert.equal(got.status, 200);
    assert.equal(got.headers.get("content-type"), type, "HTML is never served as HTML");
    assert.match(got.headers.get("content-disposition"), /^attachment; /);
  }
  const got = await download(bob.jar, `/api/chat/media/${pdf.json.id}`);
  assert.equal(got.headers.get("content-disposition"), `attachment; filename="R_sum_ 2026.pdf"; filename*=UTF-8''R%C3%A9sum%C3%A9%202026.pdf`);

  const song = await upload(ann.jar, id, [file(MP3, "voice.mp3", "audio/mpeg")]);
  assert.equal(song.status, 201, song.text);
  assert.deepEqual([song.json.kind, song.json.content_type], ["audio", "audio/mpeg"]);
  assert.equal((await send(ann.jar, id, { client_id: "song", body: "", media: song.json.id })).status, 201);
  const part = await download(bob.jar, `/api/chat/media/${song.json.id}`, { range: "bytes=100-199" });
  assert.equal(part.status, 206);
  assert.equal(part.headers.get("content-range"), `bytes 100-199/${MP3.length}`);
  assert.ok(part.body.equals(MP3.subarray(100, 200)));
  const tail = await download(bob.jar, `/api/chat/media/${song.json.id}`, { range: "bytes=-4" });
  assert.equal(tail.status, 206);
  assert.equal(tail.body.length, 4);
  const beyond = await download(bob.jar, `/api/chat/media/${song.json.id}`, { range: `bytes=${MP3.length}-` });
  assert.equal(beyond.status, 416);
  assert.equal(JSON.parse(beyond.body.toString()).error.code, "range_not_satisfiable");
});

test("disguised, empty, oversize and malformed uploads are refused and leave nothing", async () => {
  const [ann, bob] = await Promise.all([signUp(), signUp()]);
  const id = await direct(ann, bob);
  for (const [bytes, name, type] of [
    [EXE, "cute-cat.jpg", "image/jpeg"],
    [EXE, "cute-cat.jpg", ""],
    [HTML, "x.png", "image/png"],
    [PDF, "clip.mp4", "video/mp4"],
    [png(4, 4), "note.mp3", "audio/mpeg"],
  ]) {
    const res = await upload(ann.jar, id, [file(bytes, name, type)]);
    expectError(assert, res, 415, "unsupported_media_type");
    assert.match(res.json.error.message, /says it is/);
  }
  expectError(assert, await upload(ann.jar, id, [file(Buffer.alloc(0), "empty.txt", "text/plain")]), 422, "validation_failed", "file");
  expectError(assert, await upload(ann.jar, id, [["note", "no file here"]]), 422, "validation_failed", "file");
  expectError(assert, await upload(ann.jar, id, [file(PDF, "a.pdf"), ["thumbnail", png(2, 2), "t.png", "image/png"]]), 422, "validation_failed", "thumbnail");
  expectError(assert, await upload(ann.jar, id, [file(png(2, 2), "a.png"), ["thumbnail", EXE, "t.png", "image/png"]]), 415, "unsupported_media_type");
  expectError(assert, await upload(ann.jar, id, [file(png(2, 2), "a.png"), ["width", "0"]]), 422, "validation_failed", "width");
  expectError(assert, await upload(ann.jar, id, [file(png(2, 2), "a.png"), ["height", "wide"]]), 422, "validation_failed", "height");
  const json = await request("POST", `/api/chat/conversations/${id}/media`, { jar: ann.jar, body: { file: "x" } });
  expectError(assert, json, 415, "unsupported_media_type");
  // 25 MB and one byte: refused (a JPEG start, so only the size is wrong).
  const huge = Buffer.alloc(25 * 1024 * 1024 + 1);
  huge.set([0xff, 0xd8, 0xff, 0xe0]);
  expectError(assert, await upload(ann.jar, id, [file(huge, "huge.jpg", "image/jpeg")]), 413, "payload_too_large");
  // Exactly 25 MB is fine.
  const full = await upload(ann.jar, id, [file(huge.subarray(0, 25 * 1024 * 1024), "big.jpg", "image/jpeg")]);
  assert.equal(full.status, 201, full.text);
  assert.equal(full.json.size, 25 * 1024 * 1024);
  // A message naming no upload of the sender's in this conversation is refused whole.
  expectError(assert, await send(ann.jar, id, { client_id: "x1", body: "", media: "m-nothing" }), 422, "validation_failed", "media");
  expectError(assert, await send(ann.jar, id, { client_id: "x2", body: "" }), 422, "validation_failed", "body");
  const page = await request("GET", `/api/chat/conversations/${id}/messages`, { jar: ann.jar });
  assert.equal(page.json.items.length, 0, "nothing was sent");
});

test("only members upload and fetch; nobody sends another's upload or one from another chat; deleting the message deletes the file", async () => {
  const [ann, bob, eve] = await Promise.all([signUp(), signUp(), signUp()]);
  const id = await direct(ann, bob);
  const other = await direct(ann, eve);
  const up = await upload(ann.jar, id, [file(png(8, 8), "secret.png", "image/png"), ["thumbnail", png(2, 2), "t.png", "image/png"]]);
  assert.equal(up.status, 201, up.text);
  for (const path of [`/api/chat/media/${up.json.id}`, `/api/chat/media/${up.json.id}/thumbnail`]) {
    const res = await download(eve.jar, path);
    assert.equal(res.status, 404, "a stranger cannot tell it exists");
    assert.equal((await fetch(BASE + path)).status, 401);
  }
  expectError(assert, await upload(eve.jar, id, [file(png(2, 2), "x.png")]), 404, "not_found");
  expectError(assert, await send(bob.jar, id, { client_id: "b1", body: "mine now", media: up.json.id }), 422, "validation_failed", "media");
  expectError(assert, await send(ann.jar, other, { client_id: "a1", body: "", media: up.json.id }), 422, "validation_failed", "media");
  // A blocked person cannot upload into the direct conversation either.
  await request("POST", `/api/chat/contacts/${ann.user.username}/block`, { jar: bob.jar });
  expectError(assert, await upload(ann.jar, id, [file(png(2, 2), "x.png")]), 403, "forbidden");
  await request("POST", `/api/chat/contacts/${ann.user.username}/unblock`, { jar: bob.jar });

  const sent = await send(ann.jar, id, { client_id: "a2", body: "look", media: up.json.id });
  assert.equal(sent.status, 201, sent.text);
  assert.equal((await download(bob.jar, `/api/chat/media/${up.json.id}`)).status, 200);
  const deleted = await request("DELETE", `/api/chat/conversations/${id}/messages/${sent.json.seq}`, { jar: ann.jar });
  assert.equal(deleted.status, 200, deleted.text);
  assert.equal(deleted.json.media, undefined, "the message no longer names it");
  for (const path of [`/api/chat/media/${up.json.id}`, `/api/chat/media/${up.json.id}/thumbnail`]) {
    assert.equal((await download(ann.jar, path)).status, 404, "the file went with the message");
  }
});

test("one upload is one message's: a second message is refused, a retry of the first is the first", async () => {
  const [ann, bob] = await Promise.all([signUp(), signUp()]);
  const id = await direct(ann, bob);
  const up = await upload(ann.jar, id, [file(png(8, 8), "once.png", "image/png")]);
  assert.equal(up.status, 201, up.text);
  // Two sends naming it at the same moment: one message carries it, the other is refused.
  const [first, second] = await Promise.all([
    send(ann.jar, id, { client_id: "race-1", body: "", media: up.json.id }),
    send(ann.jar, id, { client_id: "race-2", body: "", media: up.json.id }),
  ]);
  const statuses = [first.status, second.status].sort();
  assert.deepEqual(statuses, [201, 409], `${first.text} ${second.text}`);
  const winner = first.status === 201 ? first : second;
  const again = await send(ann.jar, id, { client_id: winner.json.client_id, body: "", media: up.json.id });
  assert.deepEqual([again.status, again.json.seq], [200, winner.json.seq], "a retry of the message that has it");
  const page = await request("GET", `/api/chat/conversations/${id}/messages`, { jar: bob.jar });
  assert.equal(page.json.items.filter((m) => m.media?.id === up.json.id).length, 1);
  // Deleting that message takes the file; nothing else pointed at it.
  await request("DELETE", `/api/chat/conversations/${id}/messages/${winner.json.seq}`, { jar: ann.jar });
  assert.equal((await download(ann.jar, `/api/chat/media/${up.json.id}`)).status, 404);
});

test("a retry racing its own first try carries the file too: one message, the same seq for both", async () => {
  const [ann, bob] = await Promise.all([signUp(), signUp()]);
  const id = await direct(ann, bob);
  const up = await upload(ann.jar, id, [file(png(8, 8), "twice.png", "image/png")]);
  assert.equal(up.status, 201, up.text);
  const attempts = await Promise.all([1, 2, 3].map(() => send(ann.jar, id, { client_id: "same-1", body: "", media: up.json.id })));
  for (const a of attempts) assert.ok([200, 201].includes(a.status), a.text);
  assert.equal(new Set(attempts.map((a) => a.json.seq)).size, 1, "one message");
  assert.equal(attempts.filter((a) => a.status === 201).length, 1);
  assert.equal((await download(bob.jar, `/api/chat/media/${up.json.id}`)).status, 200);
});

test("a file whose send ended between the room and D1 is settled by the scheduled job, as the room says", async () => {
  const [ann, bob] = await Promise.all([signUp(), signUp()]);
  const id = await direct(ann, bob);
  const sent = await upload(ann.jar, id, [file(png(4, 4), "sent.png", "image/png")]);
  const lost = await upload(ann.jar, id, [file(png(4, 4), "lost.png", "image/png")]);
  const never = await upload(ann.jar, id, [file(png(4, 4), "never.png", "image/png")]);
  assert.equal((await send(ann.jar, id, { client_id: "s-1", body: "", media: sent.json.id })).status, 201);
  assert.equal((await send(ann.jar, id, { client_id: "s-2", body: "", media: lost.json.id })).status, 201);
  // As if each request had ended before D1 heard how it went: the first still held, the
  // second released as if the room's answer were lost, the third held for a message never sent.
  d1(`UPDATE chat_media SET seq = 0, held_at = 0 WHERE id = '${sent.json.id}'`);
  d1(`UPDATE chat_media SET seq = NULL WHERE id = '${lost.json.id}'`);
  d1(`UPDATE chat_media SET seq = 0, held_for = 'ghost', held_at = 0 WHERE id = '${never.json.id}'`);
  assert.equal((await download(bob.jar, `/api/chat/media/${sent.json.id}`)).status, 404, "broken until settled");
  assert.equal((await request("POST", `/api/scheduled?time=${Date.now() + 60_000}`)).status, 200);
  assert.equal((await download(bob.jar, `/api/chat/media/${sent.json.id}`)).status, 200, "its message carries it");
  assert.equal((await request("POST", `/api/scheduled?time=${Date.now() + 25 * 3600_000}`)).status, 200);
  assert.equal((await download(bob.jar, `/api/chat/media/${lost.json.id}`)).status, 200, "not collected: its message carries it");
  assert.equal((await download(ann.jar, `/api/chat/media/${never.json.id}`)).status, 404, "released, then collected");
});

test("a member sees the files of messages they may read; an upload not yet sent is its uploader's alone", async () => {
  const [ann, bob, cat] = await Promise.all([signUp(), signUp(), signUp()]);
  const created = await request("POST", "/api/chat/conversations", { jar: ann.jar, body: { kind: "group", title: "Files", members: [bob.user.username] } });
  const id = created.json.id;
  const early = await upload(ann.jar, id, [file(png(4, 4), "before-cat.png", "image/png")]);
  assert.equal((await send(ann.jar, id, { client_id: "e1", body: "", media: early.json.id })).status, 201);
  const unsent = await upload(ann.jar, id, [file(PDF, "draft.pdf", "application/pdf")]);
  assert.equal((await download(ann.jar, `/api/chat/media/${unsent.json.id}`)).status, 200, "the uploader sees it");
  assert.equal((await download(bob.jar, `/api/chat/media/${unsent.json.id}`)).status, 404, "nobody else before it is sent");
  const added = await request("POST", `/api/chat/conversations/${id}/members`, { jar: ann.jar, body: { usernames: [cat.user.username] } });
  assert.equal(added.status, 200, added.text);
  assert.equal((await download(bob.jar, `/api/chat/media/${early.json.id}`)).status, 200);
  assert.equal((await download(cat.jar, `/api/chat/media/${early.json.id}`)).status, 404, "said before Cat joined");
  assert.equal((await send(ann.jar, id, { client_id: "e2", body: "the draft", media: unsent.json.id })).status, 201);
  assert.equal((await download(cat.jar, `/api/chat/media/${unsent.json.id}`)).status, 200, "sent after she joined");
  // A range past the end says how long the file is.
  const beyond = await download(cat.jar, `/api/chat/media/${unsent.json.id}`, { range: "bytes=100000-" });
  assert.equal(beyond.status, 416);
  assert.equal(beyond.headers.get("content-range"), `bytes */${PDF.length}`);
});

test("uploads never sent are collected a day later; sent ones stay", async () => {
  const [ann, bob] = await Promise.all([signUp(), signUp()]);
  const id = await direct(ann, bob);
  const kept = await upload(ann.jar, id, [file(png(4, 4), "kept.png", "image/png")]);
  assert.equal((await send(ann.jar, id, { client_id: "k1", body: "", media: kept.json.id })).status, 201);
  const forgotten = await upload(ann.jar, id, [file(png(4, 4), "forgotten.png", "image/png"), ["thumbnail", png(2, 2), "t.png", "image/png"]]);
  const cron = await request("POST", `/api/scheduled?time=${Date.now() + 60_000}`);
  assert.equal(cron.status, 200, cron.text);
  assert.equal((await download(ann.jar, `/api/chat/media/${forgotten.json.id}`)).status, 200, "a minute later it waits");
  const later = await request("POST", `/api/scheduled?time=${Date.now() + 25 * 3600_000}`);
  assert.equal(later.status, 200, later.text);
  assert.equal((await download(ann.jar, `/api/chat/media/${forgotten.json.id}`)).status, 404, "a day later it is gone");
  assert.equal((await download(ann.jar, `/api/chat/media/${kept.json.id}`)).status, 200, "what was sent stays");
  expectError(assert, await send(ann.jar, id, { client_id: "k2", body: "", media: forgotten.json.id }), 422, "validation_failed", "media");
});
