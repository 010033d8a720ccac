//! A parcel's life: made by its sender, carried to a bank, deposited in a compartment (the
//! recipient gets a code), picked up once — or, unclaimed when its window ends, expired and carried
//! back. Every change is an event with its time and who made it.

use super::size::{Parcel, Size};
use crate::ApiError;
use serde::{Deserialize, Serialize};

/// Where a parcel is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Made by the sender; not with a courier yet.
    Created,
    /// A courier has it.
    InTransit,
    /// In a compartment; the recipient has a code.
    InLocker,
    PickedUp,
    /// Not picked up in time: waits in its compartment for a courier to carry it back.
    Expired,
    /// Carried back to its sender.
    Returned,
    /// Called off by its sender before it reached a bank.
    Cancelled,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Created => "created",
            Status::InTransit => "in_transit",
            Status::InLocker => "in_locker",
            Status::PickedUp => "picked_up",
            Status::Expired => "expired",
            Status::Returned => "returned",
            Status::Cancelled => "cancelled",
        }
    }

    pub fn parse(text: &str) -> Option<Status> {
        [
            Status::Created,
            Status::InTransit,
            Status::InLocker,
            Status::PickedUp,
            Status::Expired,
            Status::Returned,
            Status::Cancelled,
        ]
        .into_iter()
        .find(|s| s.as_str() == text)
    }

    /// Whether a parcel may go from this status to `next`.
    pub fn may_become(self, next: Status) -> bool {
        use Status::*;
        matches!(
            (self, next),
            (Created, InTransit)
                | (Created | InTransit, InLocker)
                | (Created, Cancelled)
                | (InLocker, PickedUp)
                | (InLocker, Expired)
                | (Expired, Returned)
        )
    }

    /// Whether the parcel holds a compartment.
    pub fn in_compartment(self) -> bool {
        matches!(self, Status::InLocker | Status::Expired)
    }
}

/// The longest side and the heaviest parcel the API takes at all (what no compartment takes is
/// refused later, with the reason).
pub const MAX_SIDE_MM: u32 = 3_000;
pub const MAX_WEIGHT_G: u32 = 100_000;
/// The longest sender's reference.
pub const MAX_REFERENCE_CHARS: usize = 64;

/// `POST /api/lockers/packages`: a parcel for `recipient` (a username) at a location.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewPackage {
    pub recipient: String,
    pub location_id: String,
    pub length_mm: u32,
    pub width_mm: u32,
    pub height_mm: u32,
    pub weight_g: u32,
    /// The sender's own reference (an order number), shown to both.
    #[serde(default)]
    pub reference: Option<String>,
}

impl NewPackage {
    /// The parcel and the size it needs, or the first field that is wrong.
    pub fn check(&self) -> Result<(Parcel, Size), ApiError> {
        for (field, side) in
            [("length_mm", self.length_mm), ("width_mm", self.width_mm), ("height_mm", self.height_mm)]
        {
            if !(1..=MAX_SIDE_MM).contains(&side) {
                return Err(ApiError::invalid(field, format!("A side is 1–{MAX_SIDE_MM} mm.")));
            }
        }
        if !(1..=MAX_WEIGHT_G).contains(&self.weight_g) {
            return Err(ApiError::invalid("weight_g", format!("A parcel weighs 1–{MAX_WEIGHT_G} g.")));
        }
        if let Some(reference) = &self.reference {
            if reference.chars().count() > MAX_REFERENCE_CHARS || reference.chars().any(char::is_control) {
                return Err(ApiError::invalid(
                    "reference",
                    format!("A reference is at most {MAX_REFERENCE_CHARS} characters, none of them control characters."),
                ));
            }
        }
        if self.recipient.trim().is_empty() {
            return Err(ApiError::invalid("recipient", "Name the recipient's username."));
        }
        let parcel = Parcel {
            length_mm: self.length_mm,
            width_mm: self.width_mm,
            height_mm: self.height_mm,
            weight_g: self.weight_g,
        };
        let size = parcel.smallest_size().map_err(|unfit| {
            let field = match unfit {
                super::size::Unfit::TooHeavy { .. } => "weight_g",
                super::size::Unfit::TooBig { .. } => "length_mm",
            };
            ApiError::invalid(field, unfit.reason())
        })?;
        Ok((parcel, size))
    }
}

/// One change in a parcel's life.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PackageEvent {
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "in_locker"))]
    pub status: Status,
    /// RFC 3339.
    pub at: String,
    /// Who made it (a username), or `system` for the clock.
    pub actor: String,
    /// What else happened: the compartment, a redirect.
    pub detail: Option<String>,
}

/// A parcel as its sender, its recipient or a courier sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PackageView {
    pub id: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "in_locker"))]
    pub status: Status,
    pub sender: String,
    pub recipient: String,
    pub reference: Option<String>,
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "M"))]
    pub size: Size,
    pub parcel: Parcel,
    pub location_id: String,
    pub location_name: String,
    pub address: String,
    /// The bank and door once deposited.
    pub bank_id: Option<String>,
    pub bank_name: Option<String>,
    pub door: Option<u16>,
    /// RFC 3339: until when it can be picked up (exclusive), once in a compartment.
    pub pickup_by: Option<String>,
    /// The six-digit code and what its QR carries: for the recipient alone, while it waits.
    pub code: Option<String>,
    pub qr: Option<String>,
    /// Its life, oldest first.
    pub events: Vec<PackageEvent>,
    /// RFC 3339.
    pub created_at: String,
}

/// A compartment a courier or a recipient is to open: the bank, its door and the parcel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Opened {
    pub package_id: String,
    pub location_id: String,
    pub bank_id: String,
    pub door: u16,
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "M"))]
    pub size: Size,
    /// RFC 3339, after a deposit: until when the recipient can pick it up.
    pub pickup_by: Option<String>,
}

/// `POST /api/lockers/banks/{id}/pickup`: the code typed at the bank (or read from its QR).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Pickup {
    pub code: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn package() -> NewPackage {
        NewPackage {
            recipient: "ann".into(),
            location_id: "loc".into(),
            length_mm: 300,
            width_mm: 200,
            height_mm: 100,
            weight_g: 2_000,
            reference: Some("Order 42".into()),
        }
    }

    #[test]
    fn a_parcel_only_moves_forward_along_its_life() {
        use Status::*;
        assert!(Created.may_become(InLocker) && InTransit.may_become(InLocker));
        assert!(
            InLocker.may_become(PickedUp) && InLocker.may_become(Expired) && Expired.may_become(Returned)
        );
        assert!(!PickedUp.may_become(InLocker), "a code opens once");
        assert!(!Expired.may_become(PickedUp), "an expired code opens nothing");
        assert!(!InLocker.may_become(Cancelled) && !Returned.may_become(InLocker));
        for s in [Created, InTransit, InLocker, PickedUp, Expired, Returned, Cancelled] {
            assert_eq!(Status::parse(s.as_str()), Some(s));
        }
    }

    #[test]
    fn a_new_parcel_gets_the_smallest_size_or_the_reason_no_size_fits() {
        assert_eq!(package().check().unwrap().1, Size::M);
        let field = |p: NewPackage| p.check().unwrap_err().field.unwrap_or_default();
        assert_eq!(field(NewPackage { weight_g: 30_000, ..package() }), "weight_g");
        let big = NewPackage { length_mm: 900, ..package() }.check().unwrap_err();
        assert_eq!(big.field.as_deref(), Some("length_mm"));
        assert!(big.message.contains("900 mm"), "{}", big.message);
        assert_eq!(field(NewPackage { width_mm: 0, ..package() }), "width_mm");
        assert_eq!(field(NewPackage { height_mm: 3_001, ..package() }), "height_mm");
        assert_eq!(field(NewPackage { weight_g: 0, ..package() }), "weight_g");
        assert_eq!(field(NewPackage { recipient: " ".into(), ..package() }), "recipient");
        assert_eq!(field(NewPackage { reference: Some("x".repeat(65)), ..package() }), "reference");
    }
}
