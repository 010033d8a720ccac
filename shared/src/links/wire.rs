//! Request and response bodies of `/api/links`, and the rules a request must pass before the
//! worker stores anything.

use crate::{error::ApiError, time::Timestamp};
use serde::{Deserialize, Serialize};

/// How many tags a link may carry, and how long each may be.
pub const MAX_TAGS: usize = 10;
pub const MAX_TAG_LEN: usize = 32;
/// Link passwords: shorter than account passwords (they are shared with readers), same ceiling.
pub const LINK_PASSWORD_MIN: usize = 4;

/// 301 (permanent, cached by browsers) or 302 (temporary, the default: every click is seen).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RedirectType {
    Permanent,
    #[default]
    Temporary,
}

impl RedirectType {
    pub const fn status(self) -> u16 {
        match self {
            Self::Permanent => 301,
            Self::Temporary => 302,
        }
    }

    pub fn from_status(status: i64) -> Option<Self> {
        match status {
            301 => Some(Self::Permanent),
            302 => Some(Self::Temporary),
            _ => None,
        }
    }
}

/// On the wire it is the status itself: `301` or `302`.
#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for RedirectType {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{ObjectBuilder, Type};
        ObjectBuilder::new()
            .schema_type(Type::Integer)
            .enum_values(Some([301, 302]))
            .description(Some("301 (permanent) or 302 (temporary, the default)"))
            .into()
    }
}

#[cfg(feature = "openapi")]
impl utoipa::ToSchema for RedirectType {}

impl Serialize for RedirectType {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u16(self.status())
    }
}

impl<'de> Deserialize<'de> for RedirectType {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let status = i64::deserialize(d)?;
        Self::from_status(status).ok_or_else(|| serde::de::Error::custom("redirect_type must be 301 or 302"))
    }
}

/// `POST /api/links`
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreateLinkRequest {
    /// The destination: http or https, at most 2,048 characters.
    #[serde(default)]
    pub url: String,
    /// A custom code (3–64 of A–Z a–z 0–9 _ -); signed-in users only.
    #[serde(default)]
    pub alias: Option<String>,
    #[serde(default)]
    pub expires_at: Option<Timestamp>,
    #[serde(default)]
    pub redirect_type: Option<RedirectType>,
    /// Readers must enter it before being redirected; signed-in users only.
    #[serde(default)]
    pub password: Option<String>,
    #[serde(default)]
    pub tags: Option<Vec<String>>,
    /// A custom short domain you registered; signed-in users only.
    #[serde(default)]
    pub domain: Option<String>,
    /// Make a new link even if you already shortened this URL.
    #[serde(default)]
    pub force_new: bool,
}

/// `PATCH /api/links/{code}`: absent fields stay; `null` clears `expires_at` and `password`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UpdateLinkRequest {
    #[serde(default)]
    pub url: Option<String>,
    #[serde(default, with = "double_option")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub expires_at: Option<Option<Timestamp>>,
    #[serde(default)]
    pub redirect_type: Option<RedirectType>,
    #[serde(default, with = "double_option")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub password: Option<Option<String>>,
    #[serde(default)]
    pub tags: Option<Vec<String>>,
}

/// Tells a missing field (`None`) from an explicit `null` (`Some(None)`).
mod double_option {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<T: Serialize, S: Serializer>(
        value: &Option<Option<T>>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        match value {
            None => s.serialize_none(),
            Some(inner) => inner.serialize(s),
        }
    }

    pub fn deserialize<'de, T: Deserialize<'de>, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Option<Option<T>>, D::Error> {
        Option::<T>::deserialize(d).map(Some)
    }
}

/// A link as its owner sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LinkView {
    pub code: String,
    pub short_url: String,
    pub url: String,
    /// The custom short domain, or null for the main host.
    pub domain: Option<String>,
    pub redirect_type: RedirectType,
    pub expires_at: Option<Timestamp>,
    pub password_protected: bool,
    pub tags: Vec<String>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    /// Total clicks, bots included (owners only; 0 for anonymous links).
    pub clicks: u64,
}

/// `GET /api/links`: newest first; pass `next_cursor` back as `cursor` for the next page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LinkList {
    pub links: Vec<LinkView>,
    pub next_cursor: Option<String>,
}

/// The seed's minimal form: `POST /shorten` with `{"url": …}` or `{"long_url": …}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ShortenRequest {
    #[serde(default, alias = "long_url")]
    pub url: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ShortenResponse {
    pub short_url: String,
}

/// Tags are trimmed, lower-cased, de-duplicated, at most [`MAX_TAGS`] of [`MAX_TAG_LEN`].
pub fn normalize_tags(tags: &[String]) -> Result<Vec<String>, ApiError> {
    let mut out: Vec<String> = Vec::new();
    for tag in tags {
        let tag = tag.trim().to_lowercase();
        if tag.is_empty() {
            return Err(ApiError::invalid("tags", "Tags cannot be empty."));
        }
        if tag.chars().count() > MAX_TAG_LEN {
            return Err(ApiError::invalid(
                "tags",
                format!("Each tag must be at most {MAX_TAG_LEN} characters."),
            ));
        }
        if tag.chars().any(|c| c.is_control() || c == ',') {
            return Err(ApiError::invalid("tags", "Tags cannot contain commas or control characters."));
        }
        if !out.contains(&tag) {
            out.push(tag);
        }
    }
    if out.len() > MAX_TAGS {
        return Err(ApiError::invalid("tags", format!("A link can have at most {MAX_TAGS} tags.")));
    }
    Ok(out)
}

/// A link password: 4–256 characters, never trimmed.
pub fn check_link_password(password: &str) -> Result<(), ApiError> {
    let len = password.chars().count();
    if len < LINK_PASSWORD_MIN {
        return Err(ApiError::invalid(
            "password",
            format!("The link password must be at least {LINK_PASSWORD_MIN} characters."),
        ));
    }
    if len > crate::auth::validation::PASSWORD_MAX {
        return Err(ApiError::invalid("password", "The link password must be at most 256 characters."));
    }
    Ok(())
}

/// An expiry must lie in the future.
pub fn check_expiry(expires_at: Timestamp, now_ms: i64) -> Result<(), ApiError> {
    if expires_at.millis() <= now_ms {
        return Err(ApiError::invalid("expires_at", "The expiry must be in the future."));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redirect_type_is_301_or_302_on_the_wire() {
        assert_eq!(serde_json::to_string(&RedirectType::Permanent).unwrap(), "301");
        assert_eq!(serde_json::from_str::<RedirectType>("302").unwrap(), RedirectType::Temporary);
        assert!(serde_json::from_str::<RedirectType>("307").is_err());
        assert_eq!(RedirectType::default().status(), 302);
    }

    #[test]
    fn patch_tells_absent_from_null() {
        let absent: UpdateLinkRequest = serde_json::from_str("{}").unwrap();
        assert_eq!(absent.expires_at, None);
        let cleared: UpdateLinkRequest =
            serde_json::from_str(r#"{"expires_at": null, "password": null}"#).unwrap();
        assert_eq!(cleared.expires_at, Some(None));
        assert_eq!(cleared.password, Some(None));
        let set: UpdateLinkRequest = serde_json::from_str(r#"{"password": "open sesame"}"#).unwrap();
        assert_eq!(set.password, Some(Some("open sesame".into())));
    }

    #[test]
    fn shorten_accepts_the_seed_field_names() {
        let a: ShortenRequest = serde_json::from_str(r#"{"url":"https://a.example"}"#).unwrap();
        let b: ShortenRequest = serde_json::from_str(r#"{"long_url":"https://a.example"}"#).unwrap();
        assert_eq!(a, b);
    }

    #[test]
    fn tags_are_normalised() {
        let tags = normalize_tags(&[" Launch ".into(), "launch".into(), "Q4".into()]).unwrap();
        assert_eq!(tags, vec!["launch", "q4"]);
        assert!(normalize_tags(&["".into()]).is_err());
        assert!(normalize_tags(&["a,b".into()]).is_err());
        assert!(normalize_tags(&(0..11).map(|i| format!("t{i}")).collect::<Vec<_>>()).is_err());
        assert_eq!(normalize_tags(&["x".repeat(33)]).unwrap_err().field.as_deref(), Some("tags"));
    }

    #[test]
    fn passwords_and_expiry() {
        assert!(check_link_password("open").is_ok());
        assert!(check_link_password("abc").is_err());
        assert!(check_expiry(Timestamp(10), 10).is_err());
        assert!(check_expiry(Timestamp(11), 10).is_ok());
    }
}
