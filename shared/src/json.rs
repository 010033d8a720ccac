//! Reading a JSON request body into a typed request, with errors in the project's shape:
//! not JSON at all is 400 `malformed_json`; JSON of the wrong shape is 422 naming the field.

use crate::error::{ApiError, ErrorCode};
use serde::de::DeserializeOwned;

pub fn parse_object<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let value: serde_json::Value = serde_json::from_slice(bytes)
        .map_err(|e| ApiError::new(ErrorCode::MalformedJson, format!("The body is not valid JSON ({e}).")))?;
    if !value.is_object() {
        return Err(ApiError::new(ErrorCode::ValidationFailed, "The body must be a JSON object."));
    }
    serde_path_to_error::deserialize(value).map_err(|e| {
        let field = e.path().to_string();
        ApiError {
            field: Some(field.clone()),
            ..ApiError::new(ErrorCode::ValidationFailed, format!("`{field}`: {}.", e.inner()))
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::wire::{LoginRequest, RegisterRequest};

    #[test]
    fn not_json_is_400() {
        let err = parse_object::<LoginRequest>(b"{\"login\": ").unwrap_err();
        assert_eq!((err.code, err.status()), (ErrorCode::MalformedJson, 400));
        assert_eq!(parse_object::<LoginRequest>(b"").unwrap_err().status(), 400);
    }

    #[test]
    fn not_an_object_is_422() {
        assert_eq!(parse_object::<LoginRequest>(b"[1,2]").unwrap_err().status(), 422);
        assert_eq!(parse_object::<LoginRequest>(b"\"x\"").unwrap_err().status(), 422);
    }

    #[test]
    fn wrong_type_names_the_field() {
        let err = parse_object::<RegisterRequest>(br#"{"username": 5, "email": "a@b.co", "password": "x"}"#)
            .unwrap_err();
        assert_eq!(err.status(), 422);
        assert_eq!(err.field.as_deref(), Some("username"));
        assert!(err.message.contains("expected a string"), "{}", err.message);
    }

    #[test]
    fn well_formed_bodies_parse() {
        let req: LoginRequest =
            parse_object(br#"{"login": "ada", "password": "pw", "extra": true}"#).unwrap();
        assert_eq!(req.login, "ada");
    }
}
