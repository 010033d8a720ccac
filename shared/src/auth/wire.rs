//! Request and response bodies of `/api/auth`. Text fields of requests default to empty so a
//! missing field gets the same clear "is required" answer as an empty one.

use crate::{
    auth::validation::{check_password, normalize_display_name, normalize_email, normalize_username},
    error::ApiError,
    ids::{ApiKeyId, UserId},
    time::Timestamp,
};
use serde::{Deserialize, Serialize};

/// `POST /api/auth/register`
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RegisterRequest {
    /// 3–32 letters, digits or underscores, starting with a letter; case-insensitive.
    #[serde(default)]
    pub username: String,
    #[serde(default)]
    pub email: String,
    /// 8–256 characters.
    #[serde(default)]
    pub password: String,
}

/// A registration that passed every rule, normalised.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidRegistration {
    pub username: String,
    pub email: String,
    pub password: String,
}

impl RegisterRequest {
    pub fn validate(self) -> Result<ValidRegistration, ApiError> {
        let username = normalize_username(&self.username)?;
        let email = normalize_email(&self.email)?;
        check_password(&self.password, "password")?;
        if self.password.trim().eq_ignore_ascii_case(&username) {
            return Err(ApiError::invalid("password", "Password must not be your username."));
        }
        Ok(ValidRegistration { username, email, password: self.password })
    }
}

/// `POST /api/auth/login`: `login` is a username or an email address (`username` and `email`
/// are accepted as its synonyms).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LoginRequest {
    #[serde(default, alias = "username", alias = "email")]
    pub login: String,
    #[serde(default)]
    pub password: String,
}

/// How a sign-in names its account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoginName {
    Username(String),
    Email(String),
}

impl LoginName {
    /// The key failed attempts are counted under.
    pub fn throttle_key(&self) -> &str {
        match self {
            Self::Username(name) | Self::Email(name) => name,
        }
    }
}

impl LoginRequest {
    pub fn validate(&self) -> Result<LoginName, ApiError> {
        let login = self.login.trim();
        if login.is_empty() {
            return Err(ApiError::invalid("login", "Enter your username or email."));
        }
        if login.chars().count() > 254 {
            return Err(ApiError::invalid("login", "Username or email is too long."));
        }
        if self.password.is_empty() {
            return Err(ApiError::invalid("password", "Enter your password."));
        }
        if self.password.chars().count() > crate::auth::validation::PASSWORD_MAX {
            return Err(ApiError::invalid("password", "Password is too long."));
        }
        Ok(if login.contains('@') {
            LoginName::Email(login.to_lowercase())
        } else {
            LoginName::Username(login.to_ascii_lowercase())
        })
    }
}

/// The signed-in account, as `GET /api/auth/me` and sign-in return it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UserView {
    pub id: UserId,
    pub username: String,
    pub email: String,
    pub display_name: String,
    pub created_at: Timestamp,
}

/// `PATCH /api/auth/me`: every field optional; a password change needs the current password.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UpdateMeRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub new_password: Option<String>,
    /// Required when `new_password` is given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub current_password: Option<String>,
}

/// An update that passed every rule.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ValidUpdate {
    pub display_name: Option<String>,
    pub email: Option<String>,
    /// (current, new)
    pub password_change: Option<(String, String)>,
}

impl UpdateMeRequest {
    pub fn validate(self) -> Result<ValidUpdate, ApiError> {
        let display_name = self.display_name.as_deref().map(normalize_display_name).transpose()?;
        let email = self.email.as_deref().map(normalize_email).transpose()?;
        let password_change = match self.new_password {
            None => None,
            Some(new) => {
                check_password(&new, "new_password")?;
                let current = self.current_password.filter(|c| !c.is_empty()).ok_or_else(|| {
                    ApiError::invalid("current_password", "Enter your current password to set a new one.")
                })?;
                Some((current, new))
            }
        };
        if display_name.is_none() && email.is_none() && password_change.is_none() {
            return Err(ApiError::new(
                crate::ErrorCode::ValidationFailed,
                "Nothing to change: send display_name, email or new_password.",
            ));
        }
        Ok(ValidUpdate { display_name, email, password_change })
    }
}

/// `POST /api/auth/keys`
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreateApiKeyRequest {
    /// What the key is for, e.g. "CI deploys". 1–64 characters.
    #[serde(default)]
    pub label: String,
}

/// An API key as listed: never the key itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApiKeyView {
    pub id: ApiKeyId,
    pub label: String,
    /// The first 12 characters of the key, to tell keys apart.
    pub prefix: String,
    pub created_at: Timestamp,
    #[serde(default)]
    pub last_used_at: Option<Timestamp>,
}

/// The answer to creating a key: the only time the key is shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreatedApiKey {
    #[serde(flatten)]
    pub key_info: ApiKeyView,
    /// The secret: send it as `Authorization: Bearer <key>`. It cannot be shown again.
    pub key: String,
}

/// `GET /api/auth/keys`
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApiKeyList {
    pub keys: Vec<ApiKeyView>,
}

/// `GET /api/health`
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Health {
    /// "ok" when every dependency answered, else "degraded".
    pub status: String,
    /// The crate version and the git commit the worker was built from.
    pub version: String,
    pub d1: bool,
    pub kv: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_fields_are_empty_and_refused_with_the_field_named() {
        let req: RegisterRequest = serde_json::from_str("{}").unwrap();
        assert_eq!(req.validate().unwrap_err().field.as_deref(), Some("username"));
        let req: RegisterRequest =
            serde_json::from_str(r#"{"username":"ada","email":"ada@example.com"}"#).unwrap();
        assert_eq!(req.validate().unwrap_err().field.as_deref(), Some("password"));
    }

    #[test]
    fn registration_is_normalised() {
        let req = RegisterRequest {
            username: "Ada".into(),
            email: "ADA@Example.com".into(),
            password: "correct horse".into(),
        };
        let valid = req.validate().unwrap();
        assert_eq!((valid.username.as_str(), valid.email.as_str()), ("ada", "ada@example.com"));
        let same = RegisterRequest {
            username: "adalove".into(),
            email: "a@example.com".into(),
            password: "AdaLove".into(),
        };
        assert!(same.validate().is_err());
        let same = RegisterRequest {
            username: "adalovelace".into(),
            email: "a@example.com".into(),
            password: "ADALOVELACE".into(),
        };
        assert_eq!(same.validate().unwrap_err().field.as_deref(), Some("password"));
    }

    #[test]
    fn login_accepts_username_or_email_under_any_name() {
        let by_name: LoginRequest = serde_json::from_str(r#"{"username":"Ada","password":"x"}"#).unwrap();
        assert_eq!(by_name.validate().unwrap(), LoginName::Username("ada".into()));
        let by_mail: LoginRequest =
            serde_json::from_str(r#"{"email":"Ada@Example.com","password":"x"}"#).unwrap();
        assert_eq!(by_mail.validate().unwrap(), LoginName::Email("ada@example.com".into()));
        let empty: LoginRequest = serde_json::from_str(r#"{"login":"ada"}"#).unwrap();
        assert_eq!(empty.validate().unwrap_err().field.as_deref(), Some("password"));
    }

    #[test]
    fn password_change_needs_the_current_password() {
        let req = UpdateMeRequest { new_password: Some("new password!".into()), ..Default::default() };
        assert_eq!(req.validate().unwrap_err().field.as_deref(), Some("current_password"));
        let req = UpdateMeRequest {
            new_password: Some("new password!".into()),
            current_password: Some("old password".into()),
            ..Default::default()
        };
        assert!(req.validate().unwrap().password_change.is_some());
        assert!(UpdateMeRequest::default().validate().is_err(), "an empty update says what it accepts");
    }

    #[test]
    fn created_key_flattens_the_listing_fields() {
        let created = CreatedApiKey {
            key_info: ApiKeyView {
                id: ApiKeyId::new(0, [0; 10]),
                label: "ci".into(),
                prefix: "dzk_abcdefgh".into(),
                created_at: Timestamp(0),
                last_used_at: None,
            },
            key: "dzk_secret".into(),
        };
        let value = serde_json::to_value(&created).unwrap();
        assert_eq!(value["label"], "ci");
        assert_eq!(value["key"], "dzk_secret");
    }
}
