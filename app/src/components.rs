//! Pieces used by more than one page.

pub mod field;
pub mod header;
pub mod product_card;
