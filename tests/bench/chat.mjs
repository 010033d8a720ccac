// Benchmark (not a test): Chat's fan-out over real WebSockets on loopback, against one
// `wrangler dev`. One group of 100 members, each with a socket; one member sends messages one
// after another and we time, per message, from the send to the moment every one of the 100
// sockets has it (p50/p99). Then the same with 10 groups of 10 sending in parallel. The
// reference, in the same run: a direct conversation of two, send to the other's socket.
//
//   node tests/bench/chat.mjs [messages=100]
//
// Figures under `wrangler dev` are bounded by one workerd process on this machine; compare the
// ratios, not the absolute numbers (TOOLCHAIN.md).
import { startServer } from "../support/server.mjs";

const messages = Number(process.argv[2] ?? 100);
const server = await startServer();
process.env.DOZEN_BASE_URL = server.baseUrl;
const { request, signUp } = await import("../support/api.mjs");
const { ChatSocket } = await import("../support/chat-socket.mjs");

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const summary = (times) => {
  const sorted = [...times].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99), n: sorted.length };
};

async function people(count) {
  const list = [];
  // Sign-ups run a few at a time: each hashes a password.
  for (let i = 0; i < count; i += 10) {
    list.push(...(await Promise.all(Array.from({ length: Math.min(10, count - i) }, () => signUp()))));
  }
  return list;
}

async function conversation(admin, members) {
  const body =
    members.length === 1
      ? { kind: "direct", members: [members[0].user.username] }
      : { kind: "group", title: "bench", members: members.map((m) => m.user.username) };
  const res = await request("POST", "/api/chat/conversations", { jar: admin.jar, body });
  if (res.status !== 201) throw new Error(res.text);
  return res.json.id;
}

/** Sends `count` messages one after another; per message, ms until every receiver had it. */
async function fanOut(sender, receivers, id, count, tag) {
  const times = [];
  for (let i = 1; i <= count; i++) {
    const started = performance.now();
    const clientId = `${tag}-${i}`;
    sender.send({ type: "send", conversation: id, client_id: clientId, body: `bench ${i}` });
    await Promise.all(receivers.map((r) => r.next((f) => f.type === "message" && f.client_id === clientId, 20000)));
    times.push(performance.now() - started);
  }
  return times;
}

try {
  // Reference: two people, one receiver.
  const [ann, bob] = await people(2);
  const direct = await conversation(ann, [bob]);
  const annSocket = await ChatSocket.open({ jar: ann.jar });
  const bobSocket = await ChatSocket.open({ jar: bob.jar });
  await fanOut(annSocket, [bobSocket], direct, 10, "warm");
  const reference = summary(await fanOut(annSocket, [bobSocket], direct, messages, "ref"));

  // One group of 100 members, 100 sockets.
  const crowd = await people(100);
  const big = await conversation(crowd[0], crowd.slice(1));
  const sockets = [];
  for (const person of crowd) sockets.push(await ChatSocket.open({ jar: person.jar }));
  await fanOut(sockets[0], sockets, big, 5, "warm-big");
  const one = summary(await fanOut(sockets[0], sockets, big, messages, "big"));

  // Ten groups of ten, sending in parallel (the same 100 people, 10 per group).
  const groups = [];
  for (let g = 0; g < 10; g++) {
    const members = crowd.slice(g * 10, g * 10 + 10);
    groups.push({ id: await conversation(members[0], members.slice(1)), sockets: sockets.slice(g * 10, g * 10 + 10) });
  }
  const parallel = await Promise.all(groups.map((g, i) => fanOut(g.sockets[0], g.sockets, g.id, messages, `par-${i}`)));
  const ten = summary(parallel.flat());
  for (const s of [annSocket, bobSocket, ...sockets]) s.close();

  const row = (name, s) =>
    `${name.padEnd(44)} p50 ${s.p50.toFixed(1).padStart(7)} ms   p99 ${s.p99.toFixed(1).padStart(7)} ms   ` +
    `(${(s.p50 / reference.p50).toFixed(1)}× / ${(s.p99 / reference.p99).toFixed(1)}× the reference, ${s.n} messages)`;
  console.log(row("direct, 1 receiver (reference)", reference));
  console.log(row("1 group of 100, 100 receivers", one));
  console.log(row("10 groups of 10 in parallel, 10 receivers each", ten));
} finally {
  server.stop();
}
