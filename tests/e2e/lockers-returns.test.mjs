// Lockers, continued, against `wrangler dev`: a picked-up parcel sent back with a drop-off code
// (held compartment → dropped off → carried back), a hold that lapses with the bank's alarm, a
// code typed at a location's kiosk for a door in any of its banks, opening hours (a closed
// location opens no door), the paid extension of a pickup window through Pay's checkout (and one
// paid too late, which moves nothing), and the admins' view of compartments and occupancy.
// The suites' server gives every window 30 s (LOCKERS_WINDOW_MS).
import assert from "node:assert/strict";
import { test } from "node:test";
import { d1, expectError, request, rows, signUp } from "../support/api.mjs";
import { staff } from "../support/lockers.mjs";
import { payAt, UPI } from "../support/poker-books.mjs";

const people = {};
const places = {};

const post = (who, path, body) => request("POST", path, { jar: who?.jar, body });
const get = (who, path) => request("GET", path, { jar: who?.jar });
const view = async (who, id) => (await get(who, `/api/lockers/packages/${id}`)).json;

async function makeLocation(body) {
  const made = await post(people.admin, "/api/lockers/locations", { timezone: "Asia/Kolkata", ...body });
  assert.equal(made.status, 201, made.text);
  return made.json;
}

/** A parcel from `sender` to `recipient`, deposited at `location`: its id and door. */
async function delivered(sender, recipient, location, extra = {}) {
  const made = await post(sender, "/api/lockers/packages", {
    recipient: recipient.user.username,
    location_id: location.id,
    length_mm: 300,
    width_mm: 200,
    height_mm: 50,
    weight_g: 1_500,
    ...extra,
  });
  assert.equal(made.status, 201, made.text);
  const opened = await post(people.courier, `/api/lockers/packages/${made.json.id}/deposit`);
  assert.equal(opened.status, 201, opened.text);
  return opened.json;
}

/** A parcel delivered and picked up from the recipient's phone: its id. */
async function pickedUp(sender, recipient, location, extra) {
  const opened = await delivered(sender, recipient, location, extra);
  const taken = await post(recipient, `/api/lockers/packages/${opened.package_id}/pickup`);
  assert.equal(taken.status, 200, taken.text);
  return opened.package_id;
}

async function until(what, check) {
  const deadline = Date.now() + 70_000;
  for (;;) {
    const value = await check();
    if (value) return value;
    assert.ok(Date.now() < deadline, what);
    await new Promise((r) => setTimeout(r, 300));
  }
}

test("a picked-up parcel goes back by drop-off code: held, dropped off, carried back", async () => {
  const [admin, courier, ann, bob, eve] = await Promise.all([
    staff("locker_admin"),
    staff("locker_courier"),
    signUp(),
    signUp(),
    signUp(),
  ]);
  Object.assign(people, { admin, courier, ann, bob, eve });
  // In Hyderabad: away from the demo's Bengaluru and the other suites' cities.
  places.hitech = await makeLocation({ name: "Hitech City", address: "Madhapur, Hyderabad", lat: 17.4435, lng: 78.3772, banks: [{ name: "H1", small: 2, medium: 2 }] });
  places.charminar = await makeLocation({ name: "Charminar", address: "Charminar, Hyderabad", lat: 17.3616, lng: 78.4747, banks: [{ name: "H2", small: 1 }] });

  const first = await pickedUp(ann, bob, places.hitech);
  const waiting = await delivered(ann, bob, places.hitech);
  const asked = { package_id: first, location_id: places.charminar.id };
  expectError(assert, await post(null, "/api/lockers/returns", asked), 401, "unauthenticated");
  expectError(assert, await post(eve, "/api/lockers/returns", asked), 404, "not_found");
  // Its sender does not send it back: only who picked it up.
  expectError(assert, await post(ann, "/api/lockers/returns", asked), 404, "not_found");
  expectError(assert, await post(bob, "/api/lockers/returns", { ...asked, package_id: waiting.package_id }), 409, "conflict");
  expectError(assert, await post(bob, "/api/lockers/returns", { ...asked, location_id: "nowhere" }), 422, "validation_failed", "location_id");
  const heavy = { ...asked, parcel: { length_mm: 300, width_mm: 200, height_mm: 50, weight_g: 30_000 } };
  expectError(assert, await post(bob, "/api/lockers/returns", heavy), 422, "validation_failed", "parcel.weight_g");
  expectError(assert, await post(bob, "/api/lockers/returns", { ...asked, extra: 1 }), 422, "validation_failed");

  const made = await post(bob, "/api/lockers/returns", asked);
  assert.equal(made.status, 201, made.text);
  const ret = made.json;
  assert.deepEqual([ret.kind, ret.status, ret.return_of, ret.sender, ret.recipient, ret.size],
    ["return", "reserved", first, bob.user.username, ann.user.username, "S"]);
  assert.match(ret.code, /^\d{6}$/, "the drop-off code is its sender's");
  assert.equal(ret.qr, `DOZEN-LOCKER:${ret.bank_id}:${ret.code}`);
  assert.ok(Date.parse(ret.pickup_by) > Date.now(), "held until a deadline");
  assert.deepEqual(ret.events.map((e) => e.status), ["created", "reserved"]);
  // The hold takes Charminar's only door; Ann, the return's recipient, sees it without the code.
  assert.deepEqual((await get(null, `/api/lockers/locations/${places.charminar.id}`)).json.free, { S: 0, M: 0, L: 0 });
  assert.equal((await view(bob, first)).return_id, ret.id, "the parcel knows its return");
  const forAnn = await view(ann, ret.id);
  assert.equal(forAnn.code, null);
  assert.ok((await get(ann, "/api/lockers/packages")).json.some((p) => p.id === ret.id && p.kind === "return"));
  assert.ok((await get(bob, "/api/lockers/packages?role=sender")).json.some((p) => p.id === ret.id && p.code === ret.code));
  expectError(assert, await get(eve, `/api/lockers/packages/${ret.id}`), 404, "not_found");
  expectError(assert, await get(ann, `/api/lockers/packages/${ret.id}/qr`), 404, "not_found");
  assert.equal((await get(bob, `/api/lockers/packages/${ret.id}/qr`)).status, 200);
  // Once: a second return of the same parcel is refused, in a race too.
  const twice = await Promise.all([post(bob, "/api/lockers/returns", asked), post(bob, "/api/lockers/returns", { ...asked, location_id: places.hitech.id })]);
  for (const again of twice) expectError(assert, again, 409, "conflict");
  // A courier cannot carry it back before it is dropped off.
  expectError(assert, await post(courier, `/api/lockers/packages/${ret.id}/collect`), 409, "conflict");

  // Typed at the bank, the drop-off code opens its door, once.
  const dropped = await post(null, `/api/lockers/banks/${ret.bank_id}/pickup`, { code: ret.code });
  assert.equal(dropped.status, 200, dropped.text);
  assert.deepEqual([dropped.json.package_id, dropped.json.door, dropped.json.purpose], [ret.id, ret.door, "drop_off"]);
  expectError(assert, await post(null, `/api/lockers/banks/${ret.bank_id}/pickup`, { code: ret.code }), 409, "conflict");
  assert.equal((await view(bob, ret.id)).code, null, "no code once dropped off");
  const round = (await get(courier, "/api/lockers/packages?role=courier")).json;
  assert.ok(round.some((p) => p.id === ret.id && p.status === "dropped_off"), "on the courier's round");
  const back = await post(courier, `/api/lockers/packages/${ret.id}/collect`);
  assert.equal(back.status, 200, back.text);
  assert.equal(back.json.purpose, "collect");
  const done = await view(ann, ret.id);
  assert.deepEqual(done.events.map((e) => [e.status, e.actor]), [
    ["created", bob.user.username],
    ["reserved", bob.user.username],
    ["dropped_off", bob.user.username],
    ["returned", courier.user.username],
  ]);
  assert.deepEqual((await get(null, `/api/lockers/locations/${places.charminar.id}`)).json.free, { S: 1, M: 0, L: 0 });
  // Full: no compartment at Charminar (small doors only) takes a medium return.
  const second = await pickedUp(ann, bob, places.hitech, { height_mm: 100 });
  const full = await post(bob, "/api/lockers/returns", { package_id: second, location_id: places.charminar.id });
  expectError(assert, full, 409, "conflict");
  assert.match(full.json.error.message, /No compartment at Charminar takes a size M parcel/);
});

test("a hold not used in time lapses and frees its door; a pickup window extension paid too late moves nothing", async () => {
  const { ann, bob } = people;
  const first = await pickedUp(ann, bob, places.hitech);
  const ret = (await post(bob, "/api/lockers/returns", { package_id: first, location_id: places.charminar.id })).json;
  assert.equal(ret.status, "reserved");
  // Meanwhile a parcel waits for Bob; he starts an extension and pays only once it has expired.
  const waiting = await delivered(ann, bob, places.hitech);
  const order = await post(bob, `/api/lockers/packages/${waiting.package_id}/extension`);
  assert.equal(order.status, 201, order.text);

  const lapsed = await until("the hold lapses", async () => {
    const now = await view(bob, ret.id);
    return now.status === "lapsed" && now;
  });
  assert.equal(lapsed.events.at(-1).actor, "system");
  assert.equal(lapsed.code, null);
  assert.deepEqual((await get(null, `/api/lockers/locations/${places.charminar.id}`)).json.free.S, 1, "the door is free again");
  expectError(assert, await post(null, `/api/lockers/banks/${ret.bank_id}/pickup`, { code: ret.code }), 410, "gone");
  // A new return of it may be made.
  const again = await post(bob, "/api/lockers/returns", { package_id: first, location_id: places.charminar.id });
  assert.equal(again.status, 201, again.text);

  await until("the parcel expires", async () => (await view(bob, waiting.package_id)).status === "expired");
  expectError(assert, await post(bob, `/api/lockers/packages/${waiting.package_id}/extension`), 410, "gone");
  const paid = await payAt(order.json.order_id, bob, UPI);
  assert.equal(paid.status, 200, paid.text);
  const after = await view(bob, waiting.package_id);
  assert.equal(after.status, "expired");
  assert.equal(after.extended, false);
  const [row] = rows(d1(`SELECT x.applied_at, x.refused_at, x.payment_id, x.refund_id, p.amount_refunded
                         FROM lockers_extensions x JOIN pay_payments p ON p.id = x.payment_id
                         WHERE x.order_id = '${order.json.order_id}'`));
  assert.equal(row.applied_at, null);
  assert.ok(row.refused_at > 0 && row.payment_id, "recorded as paid too late");
  // And the money goes straight back, in full.
  assert.match(row.refund_id ?? "", /^rfnd_/);
  assert.equal(row.amount_refunded, 4_900);
});

test("two more days through Pay: the window moves when the payment is captured, once", async () => {
  const { ann, bob, eve } = people;
  const waiting = await delivered(ann, bob, places.hitech);
  const id = waiting.package_id;
  const before = await view(bob, id);
  expectError(assert, await post(ann, `/api/lockers/packages/${id}/extension`), 404, "not_found");
  expectError(assert, await post(eve, `/api/lockers/packages/${id}/extension`), 404, "not_found");
  expectError(assert, await post(null, `/api/lockers/packages/${id}/extension`), 401, "unauthenticated");
  const order = await post(bob, `/api/lockers/packages/${id}/extension`);
  assert.equal(order.status, 201, order.text);
  assert.equal(order.json.amount, 4_900);
  assert.equal(order.json.currency, "INR");
  assert.match(order.json.checkout_url, new RegExp(`/pay/checkout/${order.json.order_id}\\?callback_url=`));
  // Asked again before paying: the same order.
  const same = await post(bob, `/api/lockers/packages/${id}/extension`);
  assert.equal(same.status, 200, same.text);
  assert.equal(same.json.order_id, order.json.order_id);
  const shown = await get(null, `/api/pay/checkout/${order.json.order_id}`);
  assert.equal(shown.json.merchant_name, "Dozen Lockers");
  assert.equal(shown.json.amount, 4_900);
  assert.equal((await view(bob, id)).pickup_by, before.pickup_by, "nothing moves before it is paid");

  assert.equal((await payAt(order.json.order_id, bob, UPI)).status, 200);
  const after = await view(bob, id);
  assert.equal(after.extended, true);
  assert.equal(after.pickup_by, order.json.pickup_by);
  // The suites' windows are 30 s: the extension adds as much.
  assert.equal(Date.parse(after.pickup_by) - Date.parse(before.pickup_by), 30_000);
  assert.equal(after.events.at(-1).detail, "window extended (paid)");
  expectError(assert, await post(bob, `/api/lockers/packages/${id}/extension`), 409, "conflict");
  // Paying the order again moves nothing more.
  assert.notEqual((await payAt(order.json.order_id, bob, UPI)).status, 200);
  assert.equal((await view(bob, id)).pickup_by, after.pickup_by);
  // The parcel still opens, with its code.
  const opened = await post(null, `/api/lockers/banks/${waiting.bank_id}/pickup`, { code: after.code });
  assert.equal(opened.status, 200, opened.text);
  assert.equal(opened.json.purpose, "pick_up");
});

test("a location's kiosk takes a code for any of its banks; a closed location opens no door", async () => {
  const { admin, ann, bob, courier } = people;
  const twin = await makeLocation({ name: "Secunderabad Station", address: "Secunderabad, Hyderabad", lat: 17.4337, lng: 78.5016, banks: [{ name: "T1", small: 1 }, { name: "T2", small: 1 }] });
  const a = await delivered(ann, bob, twin);
  const b = await delivered(ann, bob, twin);
  assert.notEqual(a.bank_id, b.bank_id, "one parcel in each bank");
  const code = (await view(bob, b.package_id)).code;
  expectError(assert, await post(null, `/api/lockers/locations/${twin.id}/pickup`, { code: "12a456" }), 422, "validation_failed", "code");
  expectError(assert, await post(null, `/api/lockers/locations/nowhere/pickup`, { code }), 404, "not_found");
  // Typed at the other bank's own kiosk, it opens nothing there.
  expectError(assert, await post(null, `/api/lockers/banks/${a.bank_id}/pickup`, { code }), 404, "not_found");
  const opened = await post(null, `/api/lockers/locations/${twin.id}/pickup`, { code });
  assert.equal(opened.status, 200, opened.text);
  assert.deepEqual([opened.json.bank_id, opened.json.door], [b.bank_id, b.door], "the second bank's door");

  // Hours: open one hour on a day that is not today (UTC), so closed now.
  const days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
  const other = days[(new Date().getUTCDay() + 2) % 7];
  const hours = [{ days: other, opens: "10:00", closes: "11:00" }];
  const bad = await post(admin, "/api/lockers/locations", { name: "X", address: "Y", lat: 17.4, lng: 78.4, timezone: "UTC", hours: [{ days: "mon", opens: "18:00", closes: "09:00" }], banks: [{ name: "Z", small: 1 }] });
  expectError(assert, bad, 422, "validation_failed", "hours[0]");
  const shut = await makeLocation({ name: "Kukatpally Mall", address: "Kukatpally, Hyderabad", lat: 17.4849, lng: 78.4138, timezone: "UTC", hours, banks: [{ name: "M1", small: 2 }] });
  assert.equal(shut.open_now, false);
  assert.equal(shut.always_open, false);
  assert.match(shut.hours_text, /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun) 10:00–11:00$/);
  assert.match(shut.opens_at, /T10:00:00/);
  assert.equal(twin.always_open, true);
  assert.equal(twin.hours_text, "Open 24/7");
  const parcel = await post(ann, "/api/lockers/packages", { recipient: bob.user.username, location_id: shut.id, length_mm: 100, width_mm: 100, height_mm: 50, weight_g: 200 });
  const refused = await post(courier, `/api/lockers/packages/${parcel.json.id}/deposit`);
  expectError(assert, refused, 409, "conflict");
  assert.match(refused.json.error.message, /^Kukatpally Mall is closed now: it opens \w{3} 10:00\.$/);
  expectError(assert, await post(null, `/api/lockers/banks/${shut.banks[0].id}/pickup`, { code: "123456" }), 409, "conflict");
  expectError(assert, await post(null, `/api/lockers/locations/${shut.id}/pickup`, { code: "123456" }), 409, "conflict");
});

test("admins see every compartment and the week's occupancy; nobody else does", async () => {
  const { admin, ann } = people;
  expectError(assert, await get(ann, `/api/lockers/locations/${places.hitech.id}/admin`), 403, "forbidden");
  expectError(assert, await get(null, `/api/lockers/locations/${places.hitech.id}/admin`), 401, "unauthenticated");
  expectError(assert, await get(admin, `/api/lockers/locations/nowhere/admin`), 404, "not_found");
  const seen = await get(admin, `/api/lockers/locations/${places.hitech.id}/admin`);
  assert.equal(seen.status, 200, seen.text);
  const { location, doors, occupancy } = seen.json;
  assert.equal(location.name, "Hitech City");
  assert.equal(doors.length, 4);
  const held = doors.filter((d) => d.holds).length;
  const [{ inside }] = rows(d1(`SELECT COUNT(*) AS inside FROM lockers_compartments c JOIN lockers_banks b ON b.id = c.bank_id
                                WHERE b.location_id = '${places.hitech.id}' AND c.package_id IS NOT NULL`));
  assert.equal(held, inside);
  assert.equal(occupancy.taken.length, 7 * 24 + 1);
  assert.equal(occupancy.step_minutes, 60);
  assert.equal(occupancy.capacity, 4);
  // The last sample is now: what is inside; a day ago, before this suite, nothing was.
  assert.equal(occupancy.taken.at(-1), inside);
  assert.ok(inside > 0);
  assert.ok(occupancy.taken.slice(0, -24).every((n) => n === 0), "nothing a day ago");
});
