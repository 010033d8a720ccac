//! Roles named in a deployment's settings (`POKER_ADMINS`, `LOCKERS_ADMINS`, `LOCKERS_COURIERS`):
//! usernames separated by commas or spaces.

/// Whether the setting `usernames` names `username`; usernames are compared in lower case, as
/// they are stored.
pub fn named_in(usernames: &str, username: &str) -> bool {
    let me = username.to_ascii_lowercase();
    usernames.split([',', ' ']).map(str::trim).any(|a| !a.is_empty() && a.to_ascii_lowercase() == me)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_role_is_named_in_a_setting() {
        assert!(named_in("ann, bob", "Bob"));
        assert!(named_in("ann bob", "ann"));
        assert!(!named_in("", "ann"));
        assert!(!named_in("ann,", ""));
        assert!(!named_in("annie", "ann"));
    }
}
