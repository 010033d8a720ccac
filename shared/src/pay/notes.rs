//! `notes`: the merchant's own key–value pairs on orders, payments and refunds. Razorpay allows
//! at most 15 pairs of at most 256 characters each.

use super::RazorpayError;
use serde_json::{Map, Value};

pub const MAX_NOTES: usize = 15;
pub const MAX_NOTE_CHARS: usize = 256;

/// Checks `notes` (absent or null is empty); values may be strings, numbers or booleans and
/// are kept as strings.
pub fn parse_notes(value: Option<&Value>) -> Result<Map<String, Value>, RazorpayError> {
    let object = match value {
        None | Some(Value::Null) => return Ok(Map::new()),
        // Razorpay writes empty notes as `[]`; accept it back.
        Some(Value::Array(items)) if items.is_empty() => return Ok(Map::new()),
        Some(Value::Object(object)) => object,
        Some(_) => {
            return Err(RazorpayError::invalid("notes", "The notes should be an object of key-value pairs."))
        }
    };
    if object.len() > MAX_NOTES {
        return Err(RazorpayError::invalid("notes", format!("The notes may have at most {MAX_NOTES} keys.")));
    }
    let mut notes = Map::new();
    for (key, value) in object {
        let text = match value {
            Value::String(s) => s.clone(),
            Value::Number(n) => n.to_string(),
            Value::Bool(b) => b.to_string(),
            _ => return Err(RazorpayError::invalid("notes", format!("The note `{key}` must be a string."))),
        };
        if key.is_empty() || key.chars().count() > MAX_NOTE_CHARS || text.chars().count() > MAX_NOTE_CHARS {
            return Err(RazorpayError::invalid(
                "notes",
                format!("Each note's key and value must be 1 to {MAX_NOTE_CHARS} characters."),
            ));
        }
        notes.insert(key.clone(), Value::String(text));
    }
    Ok(notes)
}

/// An optional free-text field (receipt, description): at most `max` characters.
pub fn optional_text(
    value: Option<&Value>,
    field: &str,
    max: usize,
) -> Result<Option<String>, RazorpayError> {
    match value {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.chars().count() <= max => Ok(Some(s.clone())),
        Some(Value::String(_)) => Err(RazorpayError::invalid(
            field,
            format!("The {field} may not be greater than {max} characters."),
        )),
        Some(_) => Err(RazorpayError::invalid(field, format!("The {field} must be a string."))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn notes_rules() {
        assert!(parse_notes(None).unwrap().is_empty());
        assert!(parse_notes(Some(&json!([]))).unwrap().is_empty());
        let notes = parse_notes(Some(&json!({"a": "x", "n": 5, "b": true}))).unwrap();
        assert_eq!(notes["n"], "5");
        assert_eq!(notes["b"], "true");
        let many: Map<String, Value> = (0..16).map(|i| (format!("k{i}"), json!("v"))).collect();
        assert!(parse_notes(Some(&Value::Object(many))).is_err());
        assert!(parse_notes(Some(&json!({"a": {"nested": 1}}))).is_err());
        assert!(parse_notes(Some(&json!({"a": "x".repeat(257)}))).is_err());
        assert!(parse_notes(Some(&json!("text"))).is_err());
    }

    #[test]
    fn optional_texts() {
        assert_eq!(optional_text(Some(&json!("r1")), "receipt", 40).unwrap().as_deref(), Some("r1"));
        assert!(optional_text(Some(&json!("x".repeat(41))), "receipt", 40).is_err());
        assert!(optional_text(Some(&json!(5)), "receipt", 40).is_err());
        assert_eq!(optional_text(None, "receipt", 40).unwrap(), None);
    }
}
