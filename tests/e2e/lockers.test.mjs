// Lockers end to end against `wrangler dev` (one Durable Object per bank, D1, the bank's alarm):
// who may make locations and deposit; parcels refused with the reason when no compartment takes
// them; couriers racing for a bank's last compartments (one parcel per door, the rest rerouted);
// a code opening its door once, at its own bank only; wrong codes throttled per bank; the window
// ending (the suites' server sets it to 30 s) → expired → carried back; contactless pickup; who
// sees a parcel and its code.
import assert from "node:assert/strict";
import { test } from "node:test";
import { d1, expectError, request, rows, signUp } from "../support/api.mjs";
import { staff } from "../support/lockers.mjs";

const people = {};
const places = {};

const post = (who, path, body) => request("POST", path, { jar: who?.jar, body });
const get = (who, path) => request("GET", path, { jar: who?.jar });
const parcelFor = (recipient, location, extra = {}) => ({
  recipient: recipient.user.username,
  location_id: location.id,
  length_mm: 300,
  width_mm: 200,
  height_mm: 50,
  weight_g: 1_500,
  ...extra,
});
async function send(sender, recipient, location, extra) {
  const made = await post(sender, "/api/lockers/packages", parcelFor(recipient, location, extra));
  assert.equal(made.status, 201, made.text);
  return made.json;
}
const deposit = (id) => post(people.courier, `/api/lockers/packages/${id}/deposit`);
const codeOf = async (recipient, id) => (await get(recipient, `/api/lockers/packages/${id}`)).json.code;
const pickup = (bankId, code) => post(null, `/api/lockers/banks/${bankId}/pickup`, { code });

async function makeLocation(body) {
  const made = await post(people.admin, "/api/lockers/locations", { timezone: "Asia/Kolkata", ...body });
  assert.equal(made.status, 201, made.text);
  return made.json;
}

test("admins make locations with banks; bad ones are refused field by field; anyone lists them", async () => {
  const [admin, courier, ann, bob, eve] = await Promise.all([
    staff("locker_admin"),
    staff("locker_courier"),
    signUp(),
    signUp(),
    signUp(),
  ]);
  Object.assign(people, { admin, courier, ann, bob, eve });
  // In Chennai, away from the demo's Bengaluru lockers (demo.test.mjs seeds them on this server).
  const good = { name: "Anna Salai", address: "Anna Salai, Chennai", lat: 13.0604, lng: 80.2496, banks: [{ name: "A1", small: 1, medium: 1 }] };
  expectError(assert, await post(null, "/api/lockers/locations", good), 401, "unauthenticated");
  expectError(assert, await post(ann, "/api/lockers/locations", { ...good, timezone: "Asia/Kolkata" }), 403, "forbidden");
  const bad = async (body, field) =>
    expectError(assert, await post(admin, "/api/lockers/locations", { ...good, timezone: "Asia/Kolkata", ...body }), 422, "validation_failed", field);
  await bad({ lat: 91 }, "lat");
  await bad({ timezone: "Bengaluru" }, "timezone");
  await bad({ banks: [] }, "banks");
  await bad({ banks: [{ name: "X" }] }, "banks[0]");
  await bad({ name: " " }, "name");

  places.mg = await makeLocation({ ...good, banks: [{ name: "A1", small: 1, medium: 1 }, { name: "A2", medium: 1 }] });
  places.trinity = await makeLocation({ name: "Egmore Station", address: "Gandhi Irwin Rd, Chennai", lat: 13.0732, lng: 80.2609, banks: [{ name: "B1", medium: 4 }] });
  places.mysore = await makeLocation({ name: "Puducherry Beach", address: "Goubert Ave, Puducherry", lat: 11.934, lng: 79.8357, banks: [{ name: "C1", small: 2, large: 1 }] });
  places.warsaw = await makeLocation({ name: "Warszawa Centralna", address: "Aleje Jerozolimskie 54", lat: 52.2289, lng: 21.0030, timezone: "Europe/Warsaw", banks: [{ name: "W1", small: 2 }] });
  assert.deepEqual(places.mg.free, { S: 1, M: 2, L: 0 });
  assert.deepEqual(places.mg.banks.map((b) => [b.name, b.compartments]), [["A1", 2], ["A2", 1]]);

  // Public, nearest first with distances, filtered by a size with room.
  const near = await get(null, "/api/lockers/locations?near=13.056,80.242");
  assert.equal(near.status, 200, near.text);
  const ours = near.json.filter((l) => Object.values(places).some((p) => p.id === l.id));
  assert.deepEqual(ours.map((l) => l.name), ["Anna Salai", "Egmore Station", "Puducherry Beach", "Warszawa Centralna"]);
  assert.ok(ours[0].distance_km > 0.5 && ours[0].distance_km < 2, String(ours[0].distance_km));
  const large = (await get(null, "/api/lockers/locations?size=L")).json;
  assert.ok(large.some((l) => l.id === places.mysore.id) && !large.some((l) => l.id === places.mg.id));
  expectError(assert, await get(null, "/api/lockers/locations?near=north"), 422, "validation_failed", "near");
  expectError(assert, await get(null, "/api/lockers/locations?size=XL"), 422, "validation_failed", "size");
  expectError(assert, await get(null, "/api/lockers/locations/nope"), 404, "not_found");
});

test("a parcel no compartment takes is refused with the reason; bad parcels name their field", async () => {
  const { ann, bob } = people;
  const bad = async (extra, status, code, field) =>
    expectError(assert, await post(ann, "/api/lockers/packages", parcelFor(bob, places.mg, extra)), status, code, field);
  const big = await post(ann, "/api/lockers/packages", parcelFor(bob, places.mg, { length_mm: 700 }));
  expectError(assert, big, 422, "validation_failed", "length_mm");
  assert.match(big.json.error.message, /700 mm/);
  const heavy = await post(ann, "/api/lockers/packages", parcelFor(bob, places.mg, { weight_g: 26_000 }));
  expectError(assert, heavy, 422, "validation_failed", "weight_g");
  assert.match(heavy.json.error.message, /26\.0 kg/);
  await bad({ recipient: "nobody_here" }, 422, "validation_failed", "recipient");
  await bad({ location_id: "nowhere" }, 422, "validation_failed", "location_id");
  await bad({ width_mm: 0 }, 422, "validation_failed", "width_mm");
  await bad({ colour: "red" }, 422, "validation_failed");
  expectError(assert, await post(null, "/api/lockers/packages", parcelFor(bob, places.mg)), 401, "unauthenticated");
  // A shop may know only the recipient's e-mail (any case): it names the same account.
  const byEmail = await post(ann, "/api/lockers/packages", parcelFor(bob, places.mg, { recipient: bob.user.email.toUpperCase() }));
  assert.equal(byEmail.status, 201, byEmail.text);
  assert.equal(byEmail.json.recipient, bob.user.username);
  assert.equal((await request("DELETE", `/api/lockers/packages/${byEmail.json.id}`, { jar: ann.jar })).status, 200);
  const made = await send(ann, bob, places.mg, { reference: "Order 42" });
  assert.equal(made.status, "created");
  assert.equal(made.size, "S");
  assert.equal(made.code, null);
  assert.deepEqual(made.events.map((e) => [e.status, e.actor]), [["created", ann.user.username]]);
});

test("couriers racing for a bank's last compartments: one parcel per door, the rest rerouted", async () => {
  const { ann, bob, courier } = people;
  // Anna Salai takes three small parcels (one S door, two M doors in two banks); five arrive at once.
  const parcels = await Promise.all([1, 2, 3, 4, 5].map(() => send(ann, bob, places.mg)));
  expectError(assert, await post(ann, `/api/lockers/packages/${parcels[0].id}/deposit`), 403, "forbidden");
  // They are on the couriers' round (and the round is theirs alone).
  const round = await get(courier, "/api/lockers/packages?role=courier");
  assert.equal(round.status, 200, round.text);
  assert.ok(parcels.every((p) => round.json.some((r) => r.id === p.id && r.status === "created")));
  expectError(assert, await get(ann, "/api/lockers/packages?role=courier"), 403, "forbidden");
  const answers = await Promise.all(parcels.map((p) => deposit(p.id)));
  const placed = answers.filter((a) => a.status === 201).map((a) => a.json);
  const full = answers.filter((a) => a.status === 409);
  assert.equal(placed.length, 3, answers.map((a) => a.text).join("\n"));
  assert.equal(full.length, 2);
  assert.equal(new Set(placed.map((o) => `${o.bank_id}:${o.door}`)).size, 3, "never two parcels behind one door");
  assert.deepEqual(placed.map((o) => o.size).sort(), ["M", "M", "S"], "the small door first, then the next size up");
  for (const answer of full) assert.match(answer.json.error.message, /rerouted to Egmore Station/);
  // D1 agrees: each compartment holds one parcel, and the rerouted ones are headed for Egmore.
  const held = rows(d1(`SELECT COUNT(*) AS n, COUNT(DISTINCT package_id) AS parcels FROM lockers_compartments c
                         JOIN lockers_banks b ON b.id = c.bank_id WHERE b.location_id = '${places.mg.id}' AND c.package_id IS NOT NULL`))[0];
  assert.deepEqual([held.n, held.parcels], [3, 3]);
  const rerouted = parcels.filter((_, i) => answers[i].status === 409);
  for (const p of rerouted) {
    const now = (await get(courier, `/api/lockers/packages/${p.id}`)).json;
    assert.equal(now.location_id, places.trinity.id);
    assert.match(now.events.at(-1).detail, /rerouted from Anna Salai/);
    // Asked again where the courier still stands, it gets no door there: it is told where to go.
    const still = await post(courier, `/api/lockers/packages/${p.id}/deposit`, { location_id: places.mg.id });
    expectError(assert, still, 409, "conflict");
    assert.match(still.json.error.message, /^This parcel goes to Egmore Station, Gandhi Irwin Rd, Chennai now/);
    assert.equal((await deposit(p.id)).status, 201, "deposited at Egmore");
  }
  // A deposit asked again (its answer lost) gets the same door, not another.
  const firstIn = answers.findIndex((a) => a.status === 201);
  const again = await deposit(parcels[firstIn].id);
  assert.equal(again.status, 200, again.text);
  assert.deepEqual([again.json.bank_id, again.json.door], [answers[firstIn].json.bank_id, answers[firstIn].json.door]);
  const mg = (await get(null, `/api/lockers/locations/${places.mg.id}`)).json;
  assert.deepEqual(mg.free, { S: 0, M: 0, L: 0 });
  places.raced = placed;
});

test("a code opens its door once, at its own bank only; only the recipient sees it", async () => {
  const { ann, bob, eve, courier } = people;
  const opened = places.raced[0];
  const id = opened.package_id;
  const code = await codeOf(bob, id);
  assert.match(code, /^\d{6}$/);
  const forBob = (await get(bob, `/api/lockers/packages/${id}`)).json;
  assert.equal(forBob.status, "in_locker");
  assert.equal(forBob.qr, `DOZEN-LOCKER:${opened.bank_id}:${code}`);
  assert.ok(Date.parse(forBob.pickup_by) > Date.now());
  assert.equal((await get(ann, `/api/lockers/packages/${id}`)).json.code, null, "the sender does not see it");
  assert.equal((await get(courier, `/api/lockers/packages/${id}`)).json.code, null, "nor the courier");
  expectError(assert, await get(eve, `/api/lockers/packages/${id}`), 404, "not_found");
  expectError(assert, await post(eve, `/api/lockers/packages/${id}/pickup`), 404, "not_found");
  expectError(assert, await pickup(opened.bank_id, "12345"), 422, "validation_failed", "code");
  const otherBank = places.mg.banks.find((b) => b.id !== opened.bank_id).id;
  expectError(assert, await pickup(otherBank, code), 404, "not_found");
  const open = await pickup(opened.bank_id, code);
  assert.equal(open.status, 200, open.text);
  assert.deepEqual([open.json.package_id, open.json.door], [id, opened.door]);
  // Typed again, the code opens nothing (and is not counted as a wrong one).
  expectError(assert, await pickup(opened.bank_id, code), 409, "conflict");
  const after = (await get(bob, `/api/lockers/packages/${id}`)).json;
  assert.equal(after.status, "picked_up");
  assert.equal(after.code, null);
  assert.deepEqual(after.events.map((e) => e.status), ["created", "in_locker", "picked_up"]);
  // The door is free again; another parcel of Bob's opens from his phone, no code typed.
  const second = places.raced[1];
  const mine = await post(bob, `/api/lockers/packages/${second.package_id}/pickup`);
  assert.equal(mine.status, 200, mine.text);
  assert.equal(mine.json.door, second.door);
  expectError(assert, await post(bob, `/api/lockers/packages/${second.package_id}/pickup`), 409, "conflict");
  const list = (await get(bob, "/api/lockers/packages")).json;
  assert.ok(list.some((p) => p.id === id && p.status === "picked_up"));
  assert.ok(!(await get(ann, "/api/lockers/packages")).json.some((p) => p.id === id), "Ann's are the ones sent to her");
  assert.ok((await get(ann, "/api/lockers/packages?role=sender")).json.some((p) => p.id === id));
  expectError(assert, await get(ann, "/api/lockers/packages?role=thief"), 422, "validation_failed", "role");
  expectError(assert, await get(null, "/api/lockers/packages?role=courier"), 401, "unauthenticated");
});

test("wrong codes are throttled for the whole bank: after ten, even the right code waits", async () => {
  const { ann, bob } = people;
  const parcel = await send(ann, bob, places.warsaw);
  const opened = (await deposit(parcel.id)).json;
  const code = await codeOf(bob, parcel.id);
  const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, "0");
  for (let i = 0; i < 10; i++) expectError(assert, await pickup(opened.bank_id, wrong), 404, "not_found");
  const blocked = await pickup(opened.bank_id, code);
  expectError(assert, blocked, 429, "rate_limited");
  assert.ok(Number(blocked.headers.get("retry-after")) > 3_000, blocked.headers.get("retry-after"));
  // Another bank is not affected.
  const elsewhere = await send(ann, bob, places.mysore);
  const there = (await deposit(elsewhere.id)).json;
  assert.equal((await pickup(there.bank_id, await codeOf(bob, elsewhere.id))).status, 200);
});

test("a parcel not picked up in its window expires, its code stops working, and a courier carries it back", async () => {
  const { ann, bob, courier } = people;
  const parcel = await send(ann, bob, places.mysore, { length_mm: 400, width_mm: 400, height_mm: 370 });
  const opened = (await deposit(parcel.id)).json;
  assert.equal(opened.size, "L");
  const code = await codeOf(bob, parcel.id);
  expectError(assert, await post(courier, `/api/lockers/packages/${parcel.id}/collect`), 409, "conflict");
  const deadline = Date.now() + 60_000;
  let now;
  for (;;) {
    now = (await get(ann, `/api/lockers/packages/${parcel.id}`)).json;
    if (now.status === "expired") break;
    assert.ok(Date.now() < deadline, `expired by the bank's alarm: ${now.status}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  assert.deepEqual(now.events.at(-1), { ...now.events.at(-1), status: "expired", actor: "system" });
  expectError(assert, await pickup(opened.bank_id, code), 410, "gone");
  assert.equal((await get(null, `/api/lockers/locations/${places.mysore.id}`)).json.free.L, 0, "still in its compartment");
  expectError(assert, await post(bob, `/api/lockers/packages/${parcel.id}/collect`), 403, "forbidden");
  const round = (await get(courier, "/api/lockers/packages?role=courier")).json;
  assert.ok(round.some((r) => r.id === parcel.id && r.status === "expired"), "on the round to carry back");
  const back = await post(courier, `/api/lockers/packages/${parcel.id}/collect`);
  assert.equal(back.status, 200, back.text);
  assert.equal(back.json.door, opened.door);
  const returned = (await get(ann, `/api/lockers/packages/${parcel.id}`)).json;
  assert.deepEqual(returned.events.map((e) => e.status), ["created", "in_locker", "expired", "returned"]);
  assert.equal((await get(null, `/api/lockers/locations/${places.mysore.id}`)).json.free.L, 1, "the door is free again");
});

test("a sender calls a parcel off until a courier has it; nobody else can", async () => {
  const { ann, bob, eve } = people;
  const parcel = await send(ann, bob, places.trinity);
  expectError(assert, await request("DELETE", `/api/lockers/packages/${parcel.id}`, { jar: bob.jar }), 403, "forbidden");
  expectError(assert, await request("DELETE", `/api/lockers/packages/${parcel.id}`, { jar: eve.jar }), 404, "not_found");
  const off = await request("DELETE", `/api/lockers/packages/${parcel.id}`, { jar: ann.jar });
  assert.equal(off.status, 200, off.text);
  assert.equal(off.json.status, "cancelled");
  expectError(assert, await deposit(parcel.id), 409, "conflict");
  const kept = await send(ann, bob, places.trinity);
  assert.equal((await deposit(kept.id)).status, 201);
  expectError(assert, await request("DELETE", `/api/lockers/packages/${kept.id}`, { jar: ann.jar }), 409, "conflict");
});

test("an admin puts a door out of service: no parcel goes behind it until it is back", async () => {
  const { admin, ann, bob } = people;
  const kochi = await makeLocation({ name: "Kochi Marine Drive", address: "Marine Dr, Kochi", lat: 9.9816, lng: 76.2755, banks: [{ name: "K1", small: 1, medium: 1 }] });
  const bank = kochi.banks[0];
  const door = (n, body, who = admin) => request("PUT", `/api/lockers/banks/${bank.id}/doors/${n}`, { jar: who.jar, body });
  expectError(assert, await door(1, { in_service: false }, ann), 403, "forbidden");
  expectError(assert, await door(9, { in_service: false }), 404, "not_found");
  expectError(assert, await door("x", { in_service: false }), 404, "not_found");
  expectError(assert, await door(1, { in_service: "no" }), 422, "validation_failed");
  const off = await door(1, { in_service: false });
  assert.equal(off.status, 200, off.text);
  assert.deepEqual(off.json.free, { S: 0, M: 1, L: 0 });
  const small = await send(ann, bob, kochi);
  const opened = (await deposit(small.id)).json;
  assert.deepEqual([opened.door, opened.size], [2, "M"], "the S door is skipped: the next size up");
  assert.equal((await door(1, { in_service: true })).json.free.S, 1);
  const next = await send(ann, bob, kochi);
  assert.equal((await deposit(next.id)).json.door, 1, "back in service, it takes parcels again");
});

test("a courier takes a parcel from its sender; a deposit asked twice at once gets one door; the clock's backstop", async () => {
  const { ann, bob, courier } = people;
  const vellore = await makeLocation({ name: "Vellore Fort", address: "Fort Rd, Vellore", lat: 12.9165, lng: 79.1325, banks: [{ name: "V1", small: 3 }] });
  const parcel = await send(ann, bob, vellore);
  expectError(assert, await post(ann, `/api/lockers/packages/${parcel.id}/transit`), 403, "forbidden");
  const taken = await post(courier, `/api/lockers/packages/${parcel.id}/transit`);
  assert.equal(taken.status, 200, taken.text);
  assert.equal(taken.json.status, "in_transit");
  assert.deepEqual(taken.json.events.map((e) => [e.status, e.actor]), [["created", ann.user.username], ["in_transit", courier.user.username]]);
  assert.equal((await post(courier, `/api/lockers/packages/${parcel.id}/transit`)).status, 200, "asked again, the same");
  expectError(assert, await request("DELETE", `/api/lockers/packages/${parcel.id}`, { jar: ann.jar }), 409, "conflict");

  // Two deposits of one parcel at once (a retry racing the first): one door, the same for both.
  const both = await Promise.all([deposit(parcel.id), deposit(parcel.id)]);
  assert.ok(both.every((b) => b.status === 200 || b.status === 201), both.map((b) => b.text).join("\n"));
  assert.equal(new Set(both.map((b) => `${b.json.bank_id}:${b.json.door}`)).size, 1);
  assert.equal(both[0].json.bank_name, "V1");
  assert.equal(both[0].json.location_name, "Vellore Fort");
  const [{ held }] = rows(d1(`SELECT COUNT(*) AS held FROM lockers_compartments WHERE package_id = '${parcel.id}'`));
  assert.equal(held, 1);
  expectError(assert, await post(courier, `/api/lockers/packages/${parcel.id}/transit`), 409, "conflict");

  // Two parcels of one location never share a code: the database refuses it outright.
  const other = await send(ann, bob, vellore);
  assert.equal((await deposit(other.id)).status, 201);
  assert.throws(() =>
    d1(`UPDATE lockers_packages SET code_hash = (SELECT code_hash FROM lockers_packages WHERE id = '${parcel.id}') WHERE id = '${other.id}'`),
  );

  // A parcel whose window passed while its bank's alarm did not fire is expired by the Cron
  // Trigger's backstop (here its deadline is moved into the past behind the alarm's back).
  d1(`UPDATE lockers_packages SET pickup_by = ${Date.now() - 10 * 60_000} WHERE id = '${other.id}'`);
  assert.equal((await request("POST", `/api/scheduled?time=${Date.now()}`)).status, 200);
  const late = (await get(bob, `/api/lockers/packages/${other.id}`)).json;
  assert.equal(late.status, "expired");
  assert.equal(late.events.at(-1).actor, "system");
});
