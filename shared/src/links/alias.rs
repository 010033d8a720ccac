//! Custom aliases: the short name a signed-in user picks instead of a generated code.

use crate::{error::ApiError, routes::is_reserved_root_segment};

pub const ALIAS_MIN: usize = 3;
pub const ALIAS_MAX: usize = 64;

const FIELD: &str = "alias";

/// 3 to 64 characters of `[A-Za-z0-9_-]`, case-sensitive, and not a name the site itself uses
/// at the root (an SPA route, `api`, an asset folder…), since aliases live at `/{alias}`.
/// Returned unchanged: nothing is trimmed or lower-cased behind the user's back.
pub fn validate_alias(alias: &str) -> Result<String, ApiError> {
    if alias.is_empty() {
        return Err(ApiError::invalid(FIELD, "Enter an alias, or leave it out to get a generated code."));
    }
    if alias.trim() != alias {
        return Err(ApiError::invalid(FIELD, "Remove the spaces at the start or end of the alias."));
    }
    let len = alias.chars().count();
    if len < ALIAS_MIN {
        return Err(ApiError::invalid(FIELD, format!("An alias must be at least {ALIAS_MIN} characters.")));
    }
    if len > ALIAS_MAX {
        return Err(ApiError::invalid(FIELD, format!("An alias must be at most {ALIAS_MAX} characters.")));
    }
    if let Some(bad) = alias.chars().find(|&c| !(c.is_ascii_alphanumeric() || c == '_' || c == '-')) {
        let shown = if bad.is_whitespace() { "a space".to_owned() } else { format!("\"{bad}\"") };
        return Err(ApiError::invalid(
            FIELD,
            format!("An alias may use only letters A–Z and a–z, digits, \"-\" and \"_\"; remove {shown}."),
        ));
    }
    if is_reserved_root_segment(alias) {
        return Err(ApiError::invalid(
            FIELD,
            format!("\"{alias}\" is reserved for Dozen's own pages; choose another alias."),
        ));
    }
    Ok(alias.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refusal(alias: &str) -> String {
        let err = validate_alias(alias).expect_err(alias);
        assert_eq!(err.field.as_deref(), Some("alias"));
        assert_eq!(err.status(), 422);
        err.message
    }

    #[test]
    fn accepts_letters_digits_dash_and_underscore_unchanged() {
        for ok in ["abc", "my-launch", "Spring_Sale_2025", "A1-_b", "x".repeat(64).as_str(), "---"] {
            assert_eq!(validate_alias(ok).as_deref(), Ok(ok));
        }
    }

    #[test]
    fn aliases_are_case_sensitive() {
        assert_eq!(validate_alias("MyLink").as_deref(), Ok("MyLink"));
        assert_eq!(validate_alias("mylink").as_deref(), Ok("mylink"));
    }

    #[test]
    fn empty_is_refused() {
        assert!(refusal("").contains("Enter an alias"));
    }

    #[test]
    fn length_is_3_to_64_characters() {
        assert!(refusal("ab").contains("at least 3"));
        assert!(refusal(&"a".repeat(65)).contains("at most 64"));
        assert!(validate_alias(&"a".repeat(3)).is_ok());
    }

    #[test]
    fn surrounding_spaces_are_refused_not_trimmed() {
        for padded in [" launch", "launch ", "\tlaunch", "launch\n"] {
            assert!(refusal(padded).contains("spaces at the start or end"), "{padded:?}");
        }
    }

    #[test]
    fn other_characters_are_refused_by_name() {
        assert!(refusal("my link").contains("remove a space"));
        assert!(refusal("my/link").contains("remove \"/\""));
        assert!(refusal("café").contains("remove \"é\""));
        for bad in ["a.b.c", "a?b", "a#b", "a%20b", "abc+", "日本語"] {
            assert!(refusal(bad).contains("may use only"), "{bad}");
        }
    }

    #[test]
    fn reserved_root_names_are_refused_in_any_case() {
        for reserved in ["api", "admin", "links", "Links", "ADMIN", "shorten", "static", "assets", "signin"] {
            assert!(refusal(reserved).contains("reserved"), "{reserved}");
        }
    }
}
