//! Settlements and reconciliation. Captured money (less fees and refunds) is paid out to the
//! merchant T+N days after it was captured; each settlement claims the ledger postings it pays
//! so none is paid twice. The reconciliation report of a period lists every captured payment and
//! every refund of that period exactly once, as Razorpay's `recon/combined` rows or as CSV.

use crate::error::ApiError;
use serde::{Deserialize, Serialize};

/// Days between a capture and its settlement (Razorpay's default T+2).
pub const DEFAULT_SETTLEMENT_DAYS: i64 = 2;

/// A settlement's status. The test bank pays out at once, so every settlement is processed;
/// Razorpay's `created` and `failed` come with real bank transfers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SettlementStatus {
    Processed,
}

impl SettlementStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Processed => "processed",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        (s == Self::Processed.as_str()).then_some(Self::Processed)
    }
}

/// Postings made at or before this time are due for settlement at `now_ms`.
pub fn settlement_cutoff(now_ms: i64, days: i64) -> i64 {
    now_ms - days.max(0) * 86_400_000
}

/// The UTC year, month or day that a report's `year`, `month` and `day` name, as
/// [start, end) in unix ms.
pub fn recon_period(
    year: Option<&str>,
    month: Option<&str>,
    day: Option<&str>,
) -> Result<(i64, i64), ApiError> {
    let number = |value: Option<&str>, field: &str, range: std::ops::RangeInclusive<i64>| {
        value
            .map(|v| {
                v.trim()
                    .parse::<i64>()
                    .ok()
                    .filter(|n| range.contains(n))
                    .ok_or_else(|| ApiError::invalid(field, format!("The {field} is not valid.")))
            })
            .transpose()
    };
    let year = number(year, "year", 2000..=2100)?
        .ok_or_else(|| ApiError::invalid("year", "The year is required."))?;
    let month = number(month, "month", 1..=12)?;
    let day = number(day, "day", 1..=31)?;
    let start_of = |y: i64, m: i64, d: i64| -> Result<i64, ApiError> {
        let month = time::Month::try_from(m as u8)
            .map_err(|_| ApiError::invalid("month", "The month is not valid."))?;
        let date = time::Date::from_calendar_date(y as i32, month, d as u8)
            .map_err(|_| ApiError::invalid("day", "That day does not exist."))?;
        Ok(date.midnight().assume_utc().unix_timestamp() * 1000)
    };
    Ok(match (month, day) {
        (Some(m), Some(d)) => {
            let start = start_of(year, m, d)?;
            (start, start + 86_400_000)
        }
        (Some(m), None) => {
            let (next_year, next_month) = if m == 12 { (year + 1, 1) } else { (year, m + 1) };
            (start_of(year, m, 1)?, start_of(next_year, next_month, 1)?)
        }
        (None, None) => (start_of(year, 1, 1)?, start_of(year + 1, 1, 1)?),
        (None, Some(_)) => return Err(ApiError::invalid("month", "A day needs its month.")),
    })
}

/// One line of the reconciliation report (Razorpay's `recon/combined` item).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReconRow {
    /// `pay_…` or `rfnd_…`.
    pub entity_id: String,
    /// `payment` or `refund`.
    #[serde(rename = "type")]
    pub kind: String,
    /// Money in to the merchant (a payment's amount), minor units.
    pub credit: i64,
    /// Money out (a refund's amount).
    pub debit: i64,
    pub amount: i64,
    pub currency: String,
    pub fee: i64,
    pub tax: i64,
    pub on_hold: bool,
    pub settled: bool,
    /// Unix seconds of the capture or refund.
    pub created_at: i64,
    pub settled_at: Option<i64>,
    pub settlement_id: Option<String>,
    pub settlement_utr: Option<String>,
    pub payment_id: String,
    pub order_id: Option<String>,
    pub order_receipt: Option<String>,
    pub method: Option<String>,
    pub card_network: Option<String>,
}

const CSV_HEADER: [&str; 19] = [
    "entity_id",
    "type",
    "credit",
    "debit",
    "amount",
    "currency",
    "fee",
    "tax",
    "on_hold",
    "settled",
    "created_at",
    "settled_at",
    "settlement_id",
    "settlement_utr",
    "payment_id",
    "order_id",
    "order_receipt",
    "method",
    "card_network",
];

/// RFC 4180: quoted when it holds a comma, quote or line break; quotes doubled. A leading
/// `=`, `+`, `-` or `@` is prefixed with `'` so spreadsheets do not run it as a formula.
fn csv_field(value: &str) -> String {
    let value = if value.starts_with(['=', '+', '-', '@']) { format!("'{value}") } else { value.to_owned() };
    if value.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value
    }
}

/// The report as CSV (a header, then one line per row, CRLF line ends).
pub fn recon_csv(rows: &[ReconRow]) -> String {
    let mut out = CSV_HEADER.join(",");
    out.push_str("\r\n");
    for row in rows {
        let opt = |v: &Option<String>| v.as_deref().map(csv_field).unwrap_or_default();
        let fields = [
            csv_field(&row.entity_id),
            csv_field(&row.kind),
            row.credit.to_string(),
            row.debit.to_string(),
            row.amount.to_string(),
            csv_field(&row.currency),
            row.fee.to_string(),
            row.tax.to_string(),
            row.on_hold.to_string(),
            row.settled.to_string(),
            row.created_at.to_string(),
            row.settled_at.map(|t| t.to_string()).unwrap_or_default(),
            opt(&row.settlement_id),
            opt(&row.settlement_utr),
            csv_field(&row.payment_id),
            opt(&row.order_id),
            opt(&row.order_receipt),
            opt(&row.method),
            opt(&row.card_network),
        ];
        out.push_str(&fields.join(","));
        out.push_str("\r\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(receipt: &str) -> ReconRow {
        ReconRow {
            entity_id: "pay_1".into(),
            kind: "payment".into(),
            credit: 50_000,
            debit: 0,
            amount: 50_000,
            currency: "INR".into(),
            fee: 1_180,
            tax: 180,
            on_hold: false,
            settled: true,
            created_at: 1_796_000_000,
            settled_at: Some(1_796_172_800),
            settlement_id: Some("setl_1".into()),
            settlement_utr: Some("123".into()),
            payment_id: "pay_1".into(),
            order_id: Some("order_1".into()),
            order_receipt: Some(receipt.into()),
            method: Some("card".into()),
            card_network: Some("Visa".into()),
        }
    }

    #[test]
    fn csv_is_rfc_4180_and_safe_in_spreadsheets() {
        let csv = recon_csv(&[row("plain"), row("a, \"quoted\"\nreceipt"), row("=HYPERLINK(\"x\")")]);
        let lines: Vec<&str> = csv.split("\r\n").collect();
        assert_eq!(lines[0].split(',').count(), 19);
        assert!(lines[1].starts_with(
            "pay_1,payment,50000,0,50000,INR,1180,180,false,true,1796000000,1796172800,setl_1,123,"
        ));
        assert!(csv.contains("\"a, \"\"quoted\"\"\nreceipt\""));
        assert!(csv.contains("\"'=HYPERLINK(\"\"x\"\")\""), "{csv}");
        assert!(csv.ends_with("\r\n"));
        assert_eq!(recon_csv(&[]).matches("\r\n").count(), 1, "a header even when empty");
    }

    #[test]
    fn periods() {
        let day = recon_period(Some("2026"), Some("11"), Some("29")).unwrap();
        assert_eq!(day, (1_795_910_400_000, 1_795_996_800_000));
        let month = recon_period(Some("2026"), Some("12"), None).unwrap();
        assert_eq!(month.1 - month.0, 31 * 86_400_000);
        let year = recon_period(Some("2028"), None, None).unwrap();
        assert_eq!(year.1 - year.0, 366 * 86_400_000);
        for (y, m, d, field) in [
            (None, None, None, "year"),
            (Some("1999"), None, None, "year"),
            (Some("2026"), Some("13"), None, "month"),
            (Some("2026"), Some("2"), Some("30"), "day"),
            (Some("2026"), None, Some("3"), "month"),
        ] {
            assert_eq!(recon_period(y, m, d).unwrap_err().field.as_deref(), Some(field));
        }
    }

    #[test]
    fn cutoff() {
        assert_eq!(settlement_cutoff(10 * 86_400_000, 2), 8 * 86_400_000);
        assert_eq!(settlement_cutoff(10 * 86_400_000, -1), 10 * 86_400_000);
    }
}
