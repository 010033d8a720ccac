//! The input rules the worker enforces and the sign-up form checks as the person types.
//! Each refusal names the field and says what to fix.

use crate::error::ApiError;

pub const USERNAME_MIN: usize = 3;
pub const USERNAME_MAX: usize = 32;
pub const PASSWORD_MIN: usize = 8;
pub const PASSWORD_MAX: usize = 256;
pub const EMAIL_MAX: usize = 254;
pub const DISPLAY_NAME_MAX: usize = 64;
pub const KEY_LABEL_MAX: usize = 64;

/// Names that would confuse people if someone else held them.
const RESERVED_USERNAMES: [&str; 9] =
    ["admin", "administrator", "root", "dozen", "support", "security", "system", "api", "null"];

/// Usernames are case-insensitive: `Alice` signs up as `alice`. Letters, digits and `_`,
/// starting with a letter.
pub fn normalize_username(input: &str) -> Result<String, ApiError> {
    const FIELD: &str = "username";
    let name = input.trim();
    let len = name.chars().count();
    if len == 0 {
        return Err(ApiError::invalid(FIELD, "Choose a username."));
    }
    if len < USERNAME_MIN {
        return Err(ApiError::invalid(
            FIELD,
            format!("Username must be at least {USERNAME_MIN} characters."),
        ));
    }
    if len > USERNAME_MAX {
        return Err(ApiError::invalid(FIELD, format!("Username must be at most {USERNAME_MAX} characters.")));
    }
    if !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return Err(ApiError::invalid(FIELD, "Username may use only letters, digits and underscores."));
    }
    if !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return Err(ApiError::invalid(FIELD, "Username must start with a letter."));
    }
    let name = name.to_ascii_lowercase();
    if RESERVED_USERNAMES.contains(&name.as_str()) {
        return Err(ApiError::invalid(FIELD, "This username is reserved; choose another."));
    }
    Ok(name)
}

/// Emails are trimmed and lower-cased so one address is one account.
pub fn normalize_email(input: &str) -> Result<String, ApiError> {
    const FIELD: &str = "email";
    let email = input.trim();
    if email.is_empty() {
        return Err(ApiError::invalid(FIELD, "Enter your email address."));
    }
    if email.len() > EMAIL_MAX {
        return Err(ApiError::invalid(FIELD, format!("Email must be at most {EMAIL_MAX} characters.")));
    }
    let example = "Enter an email address like name@example.com.";
    let parsed = email_address::EmailAddress::parse_with_options(
        email,
        email_address::Options::default().without_display_text().without_domain_literal(),
    )
    .map_err(|_| ApiError::invalid(FIELD, example))?;
    // Deliverable addresses have a dotted domain; `a@b` parses per RFC 5322 but reaches no one.
    let domain = parsed.domain();
    if !domain.contains('.') || domain.starts_with('.') || domain.ends_with('.') {
        return Err(ApiError::invalid(FIELD, example));
    }
    Ok(email.to_lowercase())
}

/// Length counts characters, not bytes. The password is never trimmed or otherwise changed.
pub fn check_password(password: &str, field: &str) -> Result<(), ApiError> {
    let len = password.chars().count();
    if len == 0 {
        return Err(ApiError::invalid(field, "Enter a password."));
    }
    if len < PASSWORD_MIN {
        return Err(ApiError::invalid(
            field,
            format!("Password must be at least {PASSWORD_MIN} characters."),
        ));
    }
    if len > PASSWORD_MAX {
        return Err(ApiError::invalid(field, format!("Password must be at most {PASSWORD_MAX} characters.")));
    }
    if password.trim().is_empty() {
        return Err(ApiError::invalid(field, "Password cannot be only spaces."));
    }
    Ok(())
}

/// A short human-written text (a display name, a key label): trimmed, not empty, no control
/// characters, at most `max` characters.
pub fn check_label(input: &str, field: &str, what: &str, max: usize) -> Result<String, ApiError> {
    let text = input.trim();
    if text.is_empty() {
        return Err(ApiError::invalid(field, format!("Enter a {what}.")));
    }
    if text.chars().count() > max {
        return Err(ApiError::invalid(field, format!("The {what} must be at most {max} characters.")));
    }
    if text.chars().any(char::is_control) {
        return Err(ApiError::invalid(field, format!("The {what} cannot contain control characters.")));
    }
    Ok(text.to_owned())
}

pub fn normalize_display_name(input: &str) -> Result<String, ApiError> {
    check_label(input, "display_name", "display name", DISPLAY_NAME_MAX)
}

pub fn normalize_key_label(input: &str) -> Result<String, ApiError> {
    check_label(input, "label", "label", KEY_LABEL_MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field_of(result: Result<impl std::fmt::Debug, ApiError>) -> String {
        result.unwrap_err().field.unwrap()
    }

    #[test]
    fn usernames() {
        assert_eq!(normalize_username("  Alice_99 ").unwrap(), "alice_99");
        assert_eq!(normalize_username("abc").unwrap(), "abc");
        assert!(normalize_username(&"a".repeat(32)).is_ok());
        for bad in ["", "ab", "9lives", "_x_", "al ice", "al-ice", "élise", "admin", "ROOT"] {
            assert_eq!(field_of(normalize_username(bad)), "username", "{bad:?}");
        }
        assert!(normalize_username(&"a".repeat(33)).unwrap_err().message.contains("at most 32"));
    }

    #[test]
    fn emails() {
        assert_eq!(normalize_email(" Ada@Example.COM ").unwrap(), "ada@example.com");
        assert!(normalize_email("first.last+tag@mail.example.co.uk").is_ok());
        for bad in [
            "",
            "ada",
            "ada@",
            "@example.com",
            "ada@localhost",
            "ada@@example.com",
            "a b@example.com",
            "Ada <ada@example.com>",
        ] {
            assert_eq!(field_of(normalize_email(bad)), "email", "{bad:?}");
        }
        let long = format!("{}@example.com", "a".repeat(250));
        assert!(normalize_email(&long).unwrap_err().message.contains("at most 254"));
    }

    #[test]
    fn passwords_count_characters_and_bounds_are_inclusive() {
        assert!(check_password("12345678", "password").is_ok());
        assert!(check_password(&"é".repeat(8), "password").is_ok(), "8 characters even if 16 bytes");
        assert!(check_password(&"x".repeat(256), "password").is_ok());
        assert!(check_password("1234567", "password").unwrap_err().message.contains("at least 8"));
        assert!(check_password(&"x".repeat(257), "password").unwrap_err().message.contains("at most 256"));
        assert_eq!(field_of(check_password("        ", "new_password")), "new_password");
    }

    #[test]
    fn labels() {
        assert_eq!(normalize_key_label("  CI deploys ").unwrap(), "CI deploys");
        assert_eq!(field_of(normalize_key_label("   ")), "label");
        assert_eq!(field_of(normalize_display_name(&"x".repeat(65))), "display_name");
        assert_eq!(field_of(normalize_display_name("bad\u{7}name")), "display_name");
    }
}
