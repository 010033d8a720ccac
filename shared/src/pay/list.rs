//! Razorpay's list filters: `count` (1–100, default 10), `skip`, and `from`/`to` in unix
//! seconds (inclusive). Razorpay pages by `skip`, so these lists do too (an OFFSET): the one
//! place Dozen does, for compatibility; the dashboard pages the same way.

use super::RazorpayError;

pub const DEFAULT_COUNT: i64 = 10;
pub const MAX_COUNT: i64 = 100;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ListQuery {
    pub count: i64,
    pub skip: i64,
    /// Unix milliseconds, inclusive.
    pub from_ms: i64,
    /// Unix milliseconds, exclusive.
    pub until_ms: i64,
}

fn integer(value: &str, field: &str) -> Result<i64, RazorpayError> {
    value
        .trim()
        .parse::<i64>()
        .map_err(|_| RazorpayError::invalid(field, format!("The {field} must be an integer.")))
}

impl ListQuery {
    /// From the query string's pairs; unknown keys (Razorpay's other filters, `expand[]`) are
    /// ignored.
    pub fn parse<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Result<Self, RazorpayError> {
        let mut query = Self { count: DEFAULT_COUNT, skip: 0, from_ms: 0, until_ms: i64::MAX };
        for (key, value) in pairs {
            match key {
                "count" => {
                    query.count = integer(value, "count")?;
                    if !(1..=MAX_COUNT).contains(&query.count) {
                        return Err(RazorpayError::invalid(
                            "count",
                            format!("The count must be between 1 and {MAX_COUNT}."),
                        ));
                    }
                }
                "skip" => {
                    query.skip = integer(value, "skip")?;
                    if query.skip < 0 {
                        return Err(RazorpayError::invalid("skip", "The skip must be at least 0."));
                    }
                }
                "from" => query.from_ms = integer(value, "from")?.clamp(0, i64::MAX / 1000) * 1000,
                "to" => query.until_ms = (integer(value, "to")?.clamp(0, i64::MAX / 1000 - 1) + 1) * 1000,
                _ => {}
            }
        }
        if query.from_ms >= query.until_ms {
            return Err(RazorpayError::invalid("to", "The to timestamp must be after the from timestamp."));
        }
        Ok(query)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_bounds() {
        let q = ListQuery::parse([]).unwrap();
        assert_eq!((q.count, q.skip, q.from_ms), (10, 0, 0));
        let q = ListQuery::parse([
            ("count", "2"),
            ("skip", "4"),
            ("from", "100"),
            ("to", "200"),
            ("expand[]", "card"),
        ])
        .unwrap();
        assert_eq!((q.count, q.skip, q.from_ms, q.until_ms), (2, 4, 100_000, 201_000));
        for (key, value) in
            [("count", "0"), ("count", "101"), ("count", "x"), ("skip", "-1"), ("from", "1.5")]
        {
            assert_eq!(
                ListQuery::parse([(key, value)]).unwrap_err().field.as_deref(),
                Some(key),
                "{key}={value}"
            );
        }
        assert!(ListQuery::parse([("from", "200"), ("to", "100")]).is_err());
        // `to` is inclusive: a thing made in its last millisecond is in.
        let q = ListQuery::parse([("from", "100"), ("to", "100")]).unwrap();
        assert!(q.from_ms <= 100_999 && 100_999 < q.until_ms);
    }
}
