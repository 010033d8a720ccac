//! Amounts of a table's chips as the pages write them: play chips counted (`12,500`), rupees
//! from paise (`₹1,250.50`, the browser's Indian grouping), and rupees read back as typed.

use app_ui::format::{count, money};
use shared::poker::money::Chips;

/// An amount of `chips` as a form field starts out: `4000` chips, or `40.00` rupees (typed in
/// rupees, sent in paise).
pub fn typed(chips: Chips, n: u64) -> String {
    match chips {
        Chips::Play => n.to_string(),
        Chips::Inr => format!("{}.{:02}", n / 100, n % 100),
    }
}

/// What was typed in such a field: chips ("4,000"), or rupees in paise ("₹40.50"); 0 when
/// unreadable (the server then names what is wrong).
pub fn read(chips: Chips, text: &str) -> u64 {
    match chips {
        Chips::Play => text.trim().replace(',', "").parse().unwrap_or(0),
        Chips::Inr => paise(text).unwrap_or(0),
    }
}

/// Rupees as people type them ("500", "1,250.50") in paise; none when unreadable.
pub fn paise(text: &str) -> Option<u64> {
    let text = text.trim().trim_start_matches('₹').replace(',', "");
    let (whole, part) = text.split_once('.').unwrap_or((&text, ""));
    if whole.is_empty() && part.is_empty() || part.len() > 2 || !part.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let whole: u64 = if whole.is_empty() { 0 } else { whole.parse().ok()? };
    let part: u64 =
        if part.is_empty() { 0 } else { part.parse::<u64>().ok()? * if part.len() == 1 { 10 } else { 1 } };
    whole.checked_mul(100)?.checked_add(part)
}

/// Paise as the page writes rupees: `₹1,250.50`.
pub fn inr(paise: u64) -> String {
    money(i64::try_from(paise).unwrap_or(i64::MAX), "INR")
}

/// An amount of a table's chips: `12,500`, or `₹125.00` at a rupee table.
pub fn amount(chips: Chips, n: u64) -> String {
    match chips {
        Chips::Play => count(n),
        Chips::Inr => inr(n),
    }
}

#[cfg(test)]
mod tests {
    use super::{paise, read, typed};
    use shared::poker::money::Chips;

    #[test]
    fn rupees_are_read_as_people_type_them() {
        assert_eq!(paise("500"), Some(50_000));
        assert_eq!(paise("₹1,250.50"), Some(125_050));
        assert_eq!(paise("0.5"), Some(50));
        assert_eq!(paise(".25"), Some(25));
        for bad in ["", ".", "1.234", "abc", "-5", "1.x"] {
            assert_eq!(paise(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_field_reads_back_what_it_started_with() {
        for (chips, n) in [(Chips::Play, 4_000), (Chips::Inr, 40_050), (Chips::Inr, 5)] {
            assert_eq!(read(chips, &typed(chips, n)), n, "{chips:?} {n}");
        }
        assert_eq!(typed(Chips::Inr, 40_050), "400.50");
        assert_eq!(read(Chips::Play, "4,000"), 4_000);
        assert_eq!(read(Chips::Play, "lots"), 0);
    }
}
