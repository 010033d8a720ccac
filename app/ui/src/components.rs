//! Pieces used by more than one page or bundle.

pub mod answer;
pub mod chart;
pub mod copy;
pub mod dialog;
pub mod field;
pub mod form_errors;
pub mod header;
pub mod keys;
pub mod load;
pub mod page_head;
pub mod period;
pub mod status;

pub use crate::focus::focus_id;
pub use answer::on_answer;
pub use chart::{Bar, BarChart};
pub use copy::CopyButton;
pub use dialog::{Confirm, ConfirmAction, Modal};
pub use form_errors::{FormError, FormErrors};
pub use load::{ErrorBanner, Load, Loading};
pub use page_head::PageHead;
pub use period::PeriodPicker;
pub use status::StatusBadge;
