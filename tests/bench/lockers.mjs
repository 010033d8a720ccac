// Benchmark (not a test): allocation in Lockers under 50 couriers at once, against one
// `wrangler dev`. Every deposit asks a bank's Durable Object for a door, and a bank's deposits
// take turns, so that two couriers never get one compartment. The contended run puts `parcels`
// parcels into ONE bank of 300 doors with 50 couriers depositing in parallel; the reference, in
// the same run, puts as many into 50 one-bank locations (one per courier), where nothing waits its
// turn. Every bank's object takes one deposit first, untimed. Both report deposits per second and
// p50/p99 per deposit; then D1 is asked whether any door holds two parcels (it must hold none).
//
//   node tests/bench/lockers.mjs [parcels=250]
//
// Figures under `wrangler dev` are bounded by one workerd process on this machine; compare the
// ratios, not the absolute numbers (TOOLCHAIN.md).
import { startServer } from "../support/server.mjs";

// At most 250 timed, after 50 of warm-up: the busy bank has 300 doors.
const parcels = Math.min(250, Number(process.argv[2] ?? 250));
const COURIERS = 50;
const server = await startServer();
process.env.DOZEN_BASE_URL = server.baseUrl;
process.env.DOZEN_STATE_DIR = server.state;
const { d1, request, rows, signUp } = await import("../support/api.mjs");
const { staff } = await import("../support/lockers.mjs");

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

async function location(admin, name, banks) {
  const res = await request("POST", "/api/lockers/locations", {
    jar: admin.jar,
    body: { name, address: `${name}, Chennai`, lat: 13.05, lng: 80.25, timezone: "Asia/Kolkata", banks },
  });
  if (res.status !== 201) throw new Error(res.text);
  return res.json;
}

// A person sends at most 200 parcels an hour: the bench's parcels come from several.
let sent = 0;
async function send(senders, recipient, locationId, count) {
  const ids = [];
  for (let i = 0; i < count; i += 25) {
    const sender = senders[Math.floor(sent++ / 4) % senders.length];
    const batch = Array.from({ length: Math.min(25, count - i) }, () =>
      request("POST", "/api/lockers/packages", {
        jar: sender.jar,
        body: { recipient: recipient.user.username, location_id: locationId, length_mm: 200, width_mm: 150, height_mm: 50, weight_g: 500 },
      }),
    );
    for (const res of await Promise.all(batch)) {
      if (res.status !== 201) throw new Error(res.text);
      ids.push(res.json.id);
    }
  }
  return ids;
}

/** `COURIERS` couriers depositing the queues of parcels in parallel; times and throughput. */
async function depositAll(courier, queues) {
  const times = [];
  const started = performance.now();
  await Promise.all(
    queues.map(async (queue) => {
      for (const id of queue) {
        const t = performance.now();
        const res = await request("POST", `/api/lockers/packages/${id}/deposit`, { jar: courier.jar });
        if (res.status !== 201) throw new Error(`${res.status} ${res.text}`);
        times.push(performance.now() - t);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const sorted = times.sort((a, b) => a - b);
  return { perSecond: times.length / seconds, p50: percentile(sorted, 50), p99: percentile(sorted, 99), n: times.length };
}

const deal = (ids, hands) => Array.from({ length: hands }, (_, h) => ids.filter((_, i) => i % hands === h));

try {
  const [admin, courier, recipient] = [await staff("locker_admin"), await staff("locker_courier"), await signUp()];
  const senders = await Promise.all(Array.from({ length: 6 }, () => signUp()));
  // Reference: 50 locations of one bank each, one courier per bank: nobody waits their turn.
  const per = Math.ceil(parcels / COURIERS);
  const spread = [];
  for (let l = 0; l < COURIERS; l++) spread.push(await location(admin, `Reference ${l}`, [{ name: `R${l}`, small: per + 1 }]));
  const one = await location(admin, "One bank", [{ name: "Busy", small: 300 }]);
  // Warm-up (not timed): each of the 51 banks' objects takes its first deposit.
  const warm = [];
  for (const place of spread) warm.push(await send(senders, recipient, place.id, 1));
  warm.push(await send(senders, recipient, one.id, COURIERS));
  await depositAll(courier, warm.flat().map((id) => [id]));

  const queues = [];
  for (const place of spread) queues.push(await send(senders, recipient, place.id, per));
  const reference = await depositAll(courier, queues);

  // Contended: the one bank of 300 doors, the same 50 couriers.
  const ids = await send(senders, recipient, one.id, per * COURIERS);
  const contended = await depositAll(courier, deal(ids, COURIERS));

  const [check] = rows(d1(`SELECT COUNT(*) AS held, COUNT(DISTINCT package_id) AS parcels, COUNT(DISTINCT door) AS doors
                           FROM lockers_compartments WHERE bank_id = '${one.banks[0].id}' AND package_id IS NOT NULL`));
  const row = (name, s) =>
    `${name.padEnd(40)} ${s.perSecond.toFixed(1).padStart(6)} deposits/s (${(s.perSecond / reference.perSecond).toFixed(2)}× the reference)   ` +
    `p50 ${s.p50.toFixed(0).padStart(5)} ms   p99 ${s.p99.toFixed(0).padStart(5)} ms   (${s.n} deposits)`;
  console.log(row("50 couriers, 50 banks (reference)", reference));
  console.log(row("50 couriers, one bank of 300 doors", contended));
  const expected = COURIERS + per * COURIERS;
  console.log(`one bank: ${check.held} doors taken by ${check.parcels} parcels (${check.doors} distinct doors): ${check.held === check.parcels && check.parcels === expected ? "one parcel per door" : "DOUBLE ALLOCATION"}`);
  if (check.held !== expected || check.parcels !== expected) process.exitCode = 1;
} finally {
  server.stop();
}
