//! Pieces used by more than one page or bundle.

pub mod field;
pub mod form_errors;
pub mod header;

pub use form_errors::{FormError, FormErrors};
