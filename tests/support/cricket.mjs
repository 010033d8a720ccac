// What Cricket's suites share: calls as a person (or nobody), sides of eleven, a ball in
// Cricsheet's delivery shape, a viewer's socket, and a short real HLS stream made by Debian's
// ffmpeg (H.264 and AAC in MPEG-TS segments).
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { request } from "./api.mjs";
import { FrameSocket } from "./frame-socket.mjs";

export const post = (who, path, body) => request("POST", path, { jar: who?.jar, body });
export const get = (who, path) => request("GET", path, { jar: who?.jar });
export const del = (who, path) => request("DELETE", path, { jar: who?.jar });
/** Uploads raw bytes, as a scorer's encoder would. */
export const put = (who, path, bytes, contentType = "application/octet-stream") =>
  request("PUT", path, { jar: who?.jar, body: bytes, headers: { "content-type": contentType } });
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
export const xi = (prefix) => Array.from({ length: 11 }, (_, i) => `${prefix} ${i + 1}`);
export const viewer = (id) => FrameSocket.connect(`/api/cricket/matches/${id}/socket`, {}, (ws) => new FrameSocket(ws));

/** A ball: the batter's runs, and `extra` (extras, wickets, a note) with the totals made to agree. */
export function ball(batter, non_striker, bowler, batterRuns = 0, extra = {}) {
  const extras = extra.extras ?? {};
  const extrasRuns = Object.values(extras).reduce((a, b) => a + b, 0);
  return { batter, non_striker, bowler, runs: { batter: batterRuns, extras: extrasRuns, total: batterRuns + extrasRuns }, ...extra };
}

/** A `seconds`-long HLS stream in two-second segments: its files by name (the playlist last). */
export function testStream(seconds, size = "320x180") {
  const dir = mkdtempSync(join(tmpdir(), "dozen-hls-"));
  try {
    const made = spawnSync("ffmpeg", [
      "-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i", `testsrc2=size=${size}:rate=15`,
      "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100", "-t", String(seconds), "-c:v", "libx264",
      "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-g", "30", "-c:a", "aac", "-f", "hls", "-hls_time", "2",
      "-hls_playlist_type", "vod", "-hls_segment_filename", join(dir, "seg%03d.ts"), join(dir, "index.m3u8"),
    ]);
    assert.equal(made.status, 0, `ffmpeg: ${made.error?.message ?? made.stderr}`);
    const names = readdirSync(dir).sort((a, b) => Number(a.endsWith(".m3u8")) - Number(b.endsWith(".m3u8")) || a.localeCompare(b));
    return Object.fromEntries(names.map((f) => [f, readFileSync(join(dir, f))]));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
