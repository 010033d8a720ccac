//! Custom short domains: what a registrable hostname looks like, and its wire types.

use crate::{error::ApiError, time::Timestamp};
use serde::{Deserialize, Serialize};

/// A hostname as stored: lower-case ASCII (IDN in punycode), no trailing dot, at least two
/// labels, not an IP address, and not one of `own_hosts` (Dozen's own).
pub fn normalize_hostname(input: &str, own_hosts: &[&str]) -> Result<String, ApiError> {
    const FIELD: &str = "hostname";
    let text = input.trim().trim_end_matches('.');
    if text.is_empty() {
        return Err(ApiError::invalid(FIELD, "Enter the domain, such as go.example.com."));
    }
    if text.contains(['/', ':', '@', '?', '#', ' ']) {
        return Err(ApiError::invalid(
            FIELD,
            "Enter only the domain name, such as go.example.com, without https:// or a path.",
        ));
    }
    let host = match url::Host::parse(text) {
        Ok(url::Host::Domain(domain)) => domain.to_ascii_lowercase(),
        Ok(_) => return Err(ApiError::invalid(FIELD, "Use a domain name, not an IP address.")),
        Err(_) => return Err(ApiError::invalid(FIELD, "This is not a valid domain name.")),
    };
    let labels: Vec<&str> = host.split('.').collect();
    let valid_label = |l: &&str| {
        (1..=63).contains(&l.len())
            && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
            && !l.starts_with('-')
            && !l.ends_with('-')
    };
    if labels.len() < 2 || host.len() > 253 || !labels.iter().all(valid_label) {
        return Err(ApiError::invalid(FIELD, "Use a full domain name such as go.example.com."));
    }
    if own_hosts.iter().any(|own| own.eq_ignore_ascii_case(&host)) {
        return Err(ApiError::invalid(FIELD, "This is Dozen's own domain; register a domain you own."));
    }
    Ok(host)
}

/// `POST /api/domains`
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RegisterDomainRequest {
    /// e.g. `go.example.com`; point its DNS at Dozen.
    #[serde(default)]
    pub hostname: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DomainView {
    pub hostname: String,
    pub created_at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DomainList {
    pub domains: Vec<DomainView>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostnames_are_normalised() {
        assert_eq!(normalize_hostname(" Go.Example.COM. ", &[]).unwrap(), "go.example.com");
        assert_eq!(normalize_hostname("bücher.example", &[]).unwrap(), "xn--bcher-kva.example");
    }

    #[test]
    fn refusals_name_the_field() {
        for bad in [
            "",
            "localhost",
            "https://go.example.com",
            "go.example.com/x",
            "192.0.2.1",
            "[::1]",
            "-a.example",
            "a_b.example",
            "user@go.example.com",
        ] {
            assert_eq!(
                normalize_hostname(bad, &[]).unwrap_err().field.as_deref(),
                Some("hostname"),
                "{bad:?}"
            );
        }
        assert!(normalize_hostname("dozen.example", &["dozen.example"]).is_err());
    }
}
