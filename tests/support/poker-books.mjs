// Rupees at the poker tables for the e2e suites: deposits paid at Pay's checkout, and the books
// that must balance after every step: what players hold in rupees (wallets, seats at rupee cash
// tables, and every rupee sit-and-go's entries less the prizes it paid) against the house's
// balance in Pay's ledger (deposits captured, less Pay's fees, less payouts).
import assert from "node:assert/strict";
import { clientIp, d1, request, rows } from "./api.mjs";

export const HOUSE = "01M8MZ2A0000000000000HOUSE";
export const UPI = { method: "upi", vpa: "success@razorpay" };

export const wallet = async (person) => (await request("GET", "/api/poker/wallet", { jar: person.jar })).json;
export const deposit = (person, amount) =>
  request("POST", "/api/poker/wallet/deposits", { jar: person.jar, body: { amount } });

export const payAt = (orderId, payer, instrument) =>
  request("POST", `/api/pay/checkout/${orderId}/pay`, {
    // Each payer from an address of their own, as on the internet (Pay throttles by address).
    headers: { "CF-Connecting-IP": (payer.ip ??= clientIp()) },
    body: { email: `${payer.user.username}@example.com`, contact: "9000090000", ...instrument },
  });

/** A deposit paid at the checkout; the order's id. */
export async function depositAndPay(person, amount) {
  const started = await deposit(person, amount);
  assert.equal(started.status, 201, started.text);
  const paid = await payAt(started.json.id, person, UPI);
  assert.equal(paid.status, 200, paid.text);
  return started.json.id;
}

/** The rupees players hold against what Pay's ledger holds for them. */
export function books() {
  const [row] = rows(
    d1(`SELECT (SELECT COALESCE(SUM(inr_paise), 0) FROM poker_wallets) AS wallets,
          (SELECT COALESCE(SUM(s.chips), 0) FROM poker_seats s JOIN poker_tables t ON t.id = s.table_id
             WHERE t.currency = 'inr' AND t.format = 'cash') AS seats,
          (SELECT COALESCE(SUM(e.entry - e.prize), 0) FROM poker_entries e JOIN poker_tables t ON t.id = e.table_id
             WHERE t.currency = 'inr') AS pools,
          (SELECT -COALESCE(SUM(amount), 0) FROM pay_ledger WHERE merchant_id = '${HOUSE}'
             AND account = 'merchant_balance') AS ledger,
          (SELECT COALESCE(SUM(amount), 0) FROM pay_ledger WHERE merchant_id = '${HOUSE}') AS balance`),
  );
  return row;
}

export function assertBooksBalance(when) {
  const b = books();
  assert.equal(
    b.wallets + b.seats + b.pools,
    b.ledger,
    `${when}: wallets ${b.wallets} + seats ${b.seats} + prize pools ${b.pools} = the house's balance ${b.ledger}`,
  );
  assert.equal(b.balance, 0, `${when}: the house's postings sum to zero`);
}
