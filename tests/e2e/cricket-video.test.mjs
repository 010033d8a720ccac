// A live match's video against `wrangler dev`: a real HLS stream made here by ffmpeg (a test
// pattern and a tone, three two-second segments) is uploaded by the match's scorers, each file
// checked by its name and its bytes (a playlist may name only files of this stream); it comes back
// byte for byte with its type; once named, with when its first frame was filmed, the match's
// FOUR and wicket are placed on it where they were scored, each with a clip cut to the stream.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { BASE, expectError, signUp } from "../support/api.mjs";
import { ball, get, post, put, sleep, testStream, xi } from "../support/cricket.mjs";

/** A file of the stream as served: status, headers and bytes. */
async function download(path) {
  const response = await fetch(BASE + path);
  return { status: response.status, headers: response.headers, bytes: Buffer.from(await response.arrayBuffer()) };
}


const people = {};
let match;
let imported;
let files; // name → bytes of the ffmpeg output
const streamPath = () => `/api/cricket/matches/${match.id}/stream`;

test("setup: a live match with an invited scorer, an imported match, and an HLS stream made by ffmpeg", async () => {
  files = testStream(6);
  assert.ok(Object.keys(files).filter((n) => n.endsWith(".ts")).length >= 3, Object.keys(files).join(", "));

  const [scorer, helper, stranger] = await Promise.all([signUp(), signUp(), signUp()]);
  Object.assign(people, { scorer, helper, stranger });
  const tag = randomBytes(3).toString("hex");
  const teams = [`Camera ${tag}`, `Lens ${tag}`];
  const res = await post(scorer, "/api/cricket/matches", {
    teams,
    players: { [teams[0]]: xi(teams[0]), [teams[1]]: xi(teams[1]) },
    match_type: "T20",
    overs: 2,
    start_date: "2026-12-05",
  });
  assert.equal(res.status, 201, res.text);
  match = res.json;
  const invited = await post(scorer, `/api/cricket/matches/${match.id}/scorers`, { username: helper.user.username });
  assert.equal(invited.status, 200, invited.text);
  const raw = readFileSync(new URL("../../shared/tests/data/cricsheet/1082591.json", import.meta.url), "utf8");
  const imp = await post(scorer, "/api/cricket/matches/import", raw);
  imported = imp.status === 409 ? /it is match (\w+)/.exec(imp.json.error.message)[1] : imp.json.id;
  assert.ok(imported, imp.text);
});

test("before any upload the match has no stream", async () => {
  const view = await get(null, streamPath());
  assert.equal(view.status, 200, view.text);
  assert.deepEqual(view.json, { playlist: null, started_at: null, duration_secs: 0, ended: false, highlights: [], clips: [] });
  expectError(assert, await get(null, `/api/cricket/matches/nosuchmatch/stream`), 404, "not_found");
  expectError(assert, asError(await download(`${streamPath()}/index.m3u8`)), 404, "not_found");
});

/** A download as the `{ status, headers, json, text }` that expectError reads. */
function asError(d) {
  const text = d.bytes.toString("utf8");
  return { status: d.status, headers: d.headers, text, json: JSON.parse(text) };
}

test("uploads: only scorers, only a live match, only names and bytes that agree, only so large", async () => {
  const { scorer, stranger } = people;
  const segment = files["seg000.ts"];
  const at = (file) => `${streamPath()}/${file}`;
  expectError(assert, await put(null, at("seg000.ts"), segment), 401, "unauthenticated");
  expectError(assert, await put(stranger, at("seg000.ts"), segment), 403, "forbidden");
  expectError(assert, await put(scorer, `/api/cricket/matches/${imported}/stream/seg000.ts`, segment), 409, "conflict");
  expectError(assert, await put(scorer, `/api/cricket/matches/nosuchmatch/stream/seg000.ts`, segment), 404, "not_found");

  for (const bad of ["..%2Fx.ts", "x.exe", "index.M3U8", "noextension", "a%20b.ts", ".ts", `${"a".repeat(65)}.ts`]) {
    expectError(assert, await put(scorer, at(bad), segment), 422, "validation_failed", "file");
  }

  const unsupported = async (file, bytes) => expectError(assert, await put(scorer, at(file), bytes), 415, "unsupported_media_type", "file");
  const noSync = Buffer.from(segment);
  noSync[188] = 0;
  await unsupported("bad1.ts", noSync);
  await unsupported("bad2.ts", randomBytes(188 * 4));
  await unsupported("bad3.ts", Buffer.alloc(100, 0x47));
  await unsupported("bad4.ts", files["index.m3u8"]);
  await unsupported("bad5.m4s", Buffer.from("\0\0\0\x18freeisom\0\0\0\0isomiso2", "latin1"));
  await unsupported("bad6.mp4", segment);
  await unsupported("bad7.m3u8", Buffer.from("seg000.ts\n"));
  await unsupported("bad8.m3u8", Buffer.from("#EXTM3U\n#EXTINF:2.0,\nhttps://elsewhere.example/x.ts\n#EXT-X-ENDLIST\n"));
  await unsupported("bad9.m3u8", Buffer.from("#EXTM3U\n#EXTINF:2.0,\n../seg000.ts\n"));
  await unsupported("bad10.m3u8", Buffer.from('#EXTM3U\n#EXT-X-KEY:METHOD=AES-128,URI="https://elsewhere.example/key"\n#EXTINF:2,\nseg000.ts\n'));
  await unsupported("bad11.m3u8", Buffer.from("#EXTM3U\n#EXTINF:abc,\nseg000.ts\n"));
  await unsupported("bad12.m3u8", Buffer.from([0x23, 0x45, 0x58, 0x54, 0x4d, 0x33, 0x55, 0x0a, 0xff, 0xfe]));

  const big = Buffer.alloc(10 * 1024 * 1024 + 1);
  for (let i = 0; i < big.length; i += 188) big[i] = 0x47;
  expectError(assert, await put(scorer, at("big.ts"), big), 413, "payload_too_large");
  const longList = Buffer.from("#EXTM3U\n" + "#EXT-X-COMMENT\n".repeat(Math.ceil((256 * 1024) / 15)));
  assert.ok(longList.length > 256 * 1024);
  expectError(assert, await put(scorer, at("long.m3u8"), longList), 413, "payload_too_large");
  // The same without a Content-Length (sent in chunks): the bytes themselves are counted.
  const chunked = await fetch(BASE + at("long.m3u8"), {
    method: "PUT",
    headers: { "content-type": "application/octet-stream", cookie: scorer.jar.cookie },
    body: new ReadableStream({
      start(controller) {
        for (let i = 0; i < longList.length; i += 64 * 1024) controller.enqueue(longList.subarray(i, i + 64 * 1024));
        controller.close();
      },
    }),
    duplex: "half",
  });
  const chunkedText = await chunked.text();
  expectError(assert, { status: chunked.status, headers: chunked.headers, text: chunkedText, json: JSON.parse(chunkedText) }, 413, "payload_too_large");

  // Refused files are never served.
  for (const name of ["bad1.ts", "bad8.m3u8", "big.ts", "long.m3u8"]) {
    expectError(assert, asError(await download(at(name))), 404, "not_found");
  }
});

test("the real stream uploads (scorer and invited scorer), comes back byte for byte with its type; a file is replaced", async () => {
  const { scorer, helper } = people;
  const at = (file) => `${streamPath()}/${file}`;
  const segments = Object.keys(files).filter((n) => n.endsWith(".ts"));
  for (const [i, name] of segments.entries()) {
    const res = await put(i % 2 ? helper : scorer, at(name), files[name]);
    assert.equal(res.status, 201, res.text);
    assert.deepEqual(res.json, { name, size: files[name].length, duration_secs: null });
  }
  const playlistText = files["index.m3u8"].toString("utf8");
  const extinf = [...playlistText.matchAll(/#EXTINF:([\d.]+)/g)].reduce((sum, m) => sum + Number(m[1]), 0);
  assert.ok(Math.abs(extinf - 6) < 0.5, playlistText);
  const playlist = await put(scorer, at("index.m3u8"), files["index.m3u8"]);
  assert.equal(playlist.status, 201, playlist.text);
  assert.equal(playlist.json.name, "index.m3u8");
  assert.equal(playlist.json.size, files["index.m3u8"].length);
  assert.ok(Math.abs(playlist.json.duration_secs - extinf) < 1e-6, `duration ${playlist.json.duration_secs} vs ${extinf}`);
  const again = await put(helper, at("index.m3u8"), files["index.m3u8"]);
  assert.equal(again.status, 200, again.text);
  assert.deepEqual(again.json, playlist.json);

  const list = await download(at("index.m3u8"));
  assert.equal(list.status, 200);
  assert.ok(list.bytes.equals(files["index.m3u8"]), "the playlist as uploaded");
  assert.equal(list.headers.get("content-type"), "application/vnd.apple.mpegurl");
  assert.equal(list.headers.get("cache-control"), "no-cache");
  for (const name of segments) {
    const got = await download(at(name));
    assert.equal(got.status, 200, name);
    assert.ok(got.bytes.equals(files[name]), `${name} as uploaded`);
    assert.equal(got.headers.get("content-type"), "video/mp2t");
    assert.match(got.headers.get("cache-control") ?? "", /max-age=\d+/);
  }

  // An MP4 init segment; then a file replaced by other bytes is served as replaced.
  const init = Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from("ftypisom\0\0\x02\0isomiso6", "latin1")]);
  const mp4 = await put(scorer, at("init.mp4"), init);
  assert.equal(mp4.status, 201, mp4.text);
  const served = await download(at("init.mp4"));
  assert.ok(served.bytes.equals(init));
  assert.equal(served.headers.get("content-type"), "video/mp4");
  assert.equal((await put(scorer, at("extra.ts"), files[segments[0]])).status, 201);
  const replaced = await put(scorer, at("extra.ts"), files[segments[1]]);
  assert.equal(replaced.status, 200, replaced.text);
  assert.equal(replaced.json.size, files[segments[1]].length);
  assert.ok((await download(at("extra.ts"))).bytes.equals(files[segments[1]]), "the replacement is served");

  expectError(assert, asError(await download(at("nope.ts"))), 404, "not_found");
  expectError(assert, asError(await download(at("x.exe"))), 422, "validation_failed", "file");
  expectError(assert, asError(await download(`/api/cricket/matches/${imported}/stream/seg000.ts`)), 404, "not_found");
});

test("naming the stream: a scorer names an uploaded playlist and a start within a day of now", async () => {
  const { scorer, stranger } = people;
  const name = (who, body, id = match.id) => post(who, `/api/cricket/matches/${id}/stream`, body);
  expectError(assert, await name(null, { playlist: "index.m3u8" }), 401, "unauthenticated");
  expectError(assert, await name(stranger, { playlist: "index.m3u8" }), 403, "forbidden");
  expectError(assert, await name(scorer, { playlist: "index.m3u8" }, imported), 409, "conflict");
  expectError(assert, await name(scorer, { playlist: "missing.m3u8" }), 422, "validation_failed", "playlist");
  expectError(assert, await name(scorer, { playlist: "seg000.ts" }), 422, "validation_failed", "playlist");
  expectError(assert, await name(scorer, { playlist: "../index.m3u8" }), 422, "validation_failed", "playlist");
  const day = 86_400_000;
  expectError(assert, await name(scorer, { playlist: "index.m3u8", started_at: Date.now() + day + 60_000 }), 422, "validation_failed", "started_at");
  expectError(assert, await name(scorer, { playlist: "index.m3u8", started_at: Date.now() - day - 60_000 }), 422, "validation_failed", "started_at");
  // A playlist uploaded to another match is not this match's.
  const otherTeams = [`Tripod ${randomBytes(3).toString("hex")}`, `Zoom ${randomBytes(3).toString("hex")}`];
  const second = await post(scorer, "/api/cricket/matches", {
    teams: otherTeams,
    players: { [otherTeams[0]]: xi(otherTeams[0]), [otherTeams[1]]: xi(otherTeams[1]) },
    match_type: "T20",
    overs: 2,
    start_date: "2026-12-06",
  });
  assert.equal(second.status, 201, second.text);
  expectError(assert, await name(scorer, { playlist: "index.m3u8" }, second.json.id), 422, "validation_failed", "playlist");
  expectError(assert, asError(await download(`/api/cricket/matches/${second.json.id}/stream/seg000.ts`)), 404, "not_found");
  // Refused namings left no stream behind.
  assert.equal((await get(null, streamPath())).json.playlist, null);

  const before = Date.now();
  const named = await name(scorer, { playlist: "index.m3u8" });
  assert.equal(named.status, 200, named.text);
  assert.equal(named.json.playlist, `/api/cricket/matches/${match.id}/stream/index.m3u8`);
  assert.ok(named.json.started_at >= before - 1000 && named.json.started_at <= Date.now() + 1000, "now when not given");
  assert.ok(Math.abs(named.json.duration_secs - 6) < 0.5);
  assert.equal(named.json.ended, true, "a VOD playlist has ended");
  assert.deepEqual([named.json.highlights, named.json.clips], [[], []]);
  // The playlist's address is where the playlist is.
  const listed = await download(named.json.playlist);
  assert.ok(listed.bytes.equals(files["index.m3u8"]));

  // An imported match's moments have no place on any stream.
  const other = await get(null, `/api/cricket/matches/${imported}/stream`);
  assert.equal(other.status, 200, other.text);
  assert.equal(other.json.playlist, null);
  assert.ok(other.json.highlights.length > 0, "an imported match has its moments");
  assert.ok(other.json.highlights.every((h) => h.at_secs === null));
  assert.deepEqual(other.json.clips, []);
});

test("highlights: the FOUR and the wicket sit on the stream where they were scored, each with a clip", async () => {
  const { scorer } = people;
  const [a, b] = match.teams;
  const id = match.id;
  const deliver = async (body) => {
    const sent = Date.now();
    const res = await post(scorer, `/api/cricket/matches/${id}/deliveries`, body);
    assert.equal(res.status, 200, res.text);
    return [sent, Date.now()];
  };
  // The camera starts rolling just before the first ball.
  const startedAt = Date.now();
  assert.equal((await post(scorer, `/api/cricket/matches/${id}/events`, { type: "start_innings", team: a })).status, 200);
  await sleep(300);
  await deliver(ball(`${a} 1`, `${a} 2`, `${b} 11`, 0));
  // A SIX scored by mistake and taken back leaves no highlight.
  await deliver(ball(`${a} 1`, `${a} 2`, `${b} 11`, 6));
  assert.equal((await post(scorer, `/api/cricket/matches/${id}/undo`)).status, 200);
  await sleep(500);
  const four = await deliver(ball(`${a} 1`, `${a} 2`, `${b} 11`, 4, { note: "cracking drive" }));
  await sleep(500);
  await deliver(ball(`${a} 1`, `${a} 2`, `${b} 11`, 1));
  await sleep(500);
  const wicket = await deliver(ball(`${a} 2`, `${a} 1`, `${b} 11`, 0, { wickets: [{ player_out: `${a} 2`, kind: "bowled" }] }));
  assert.ok(wicket[1] - startedAt < 5000, "every ball fell inside the six seconds of video");

  const named = await post(scorer, streamPath(), { playlist: "index.m3u8", started_at: startedAt });
  assert.equal(named.status, 200, named.text);
  const view = named.json;
  assert.equal(view.started_at, startedAt);
  const duration = view.duration_secs;
  assert.deepEqual(
    view.highlights.map((h) => [h.kind, h.innings, h.ball, h.label]),
    [
      ["boundary", 1, 1, "0.2"],
      ["wicket", 1, 3, "0.4"],
    ],
  );
  const [h4, hw] = view.highlights;
  assert.match(h4.text, /FOUR/);
  assert.match(hw.text, /OUT/);
  for (const [h, [sent, answered]] of [[h4, four], [hw, wicket]]) {
    assert.ok(h.at_secs !== null, JSON.stringify(h));
    assert.ok(
      h.at_secs >= (sent - startedAt) / 1000 - 0.05 && h.at_secs <= (answered - startedAt) / 1000 + 0.05,
      `${h.label} at ${h.at_secs}s, scored between ${(sent - startedAt) / 1000}s and ${(answered - startedAt) / 1000}s`,
    );
    assert.ok(h.at_secs > 0 && h.at_secs < duration);
  }
  assert.ok(h4.at_secs < hw.at_secs, "in order");
  assert.deepEqual(
    view.clips,
    [h4, hw].map((h) => ({
      title: `${h.label}: ${h.text}`,
      kind: h.kind,
      start_secs: Math.max(0, h.at_secs - 12),
      end_secs: Math.min(duration, h.at_secs + 6),
    })),
  );
  // Anyone sees the same.
  assert.deepEqual((await get(null, streamPath())).json, view);

  // A stream that started ten seconds earlier: the moments are past its end, so no clips.
  const earlier = (await post(scorer, streamPath(), { playlist: "index.m3u8", started_at: startedAt - 10_000 })).json;
  assert.deepEqual(earlier.highlights.map((h) => h.label), ["0.2", "0.4"]);
  earlier.highlights.forEach((h, i) => assert.ok(Math.abs(h.at_secs - (view.highlights[i].at_secs + 10)) < 1e-6));
  assert.deepEqual(earlier.clips, []);
  // One that started after the balls: they are not on it.
  const later = (await post(scorer, streamPath(), { playlist: "index.m3u8", started_at: Date.now() + 60_000 })).json;
  assert.ok(later.highlights.every((h) => h.at_secs === null));
  assert.deepEqual(later.clips, []);
});
