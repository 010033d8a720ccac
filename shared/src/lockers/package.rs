//! A parcel's life: made by its sender, carried to a bank, deposited in a compartment (the
//! recipient gets a code), picked up once — or, unclaimed when its window ends, expired and carried
//! back. A return goes the other way: its sender (who picked up the parcel it returns) gets a
//! drop-off code that holds a compartment to the end of the next local day, drops it off, and a
//! courier carries it back to the first parcel's sender. Every change is an event with its time
//! and who made it.

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
    /// A return whose compartment is held for it; its sender has a drop-off code.
    Reserved,
    /// A return dropped off: waits in its compartment for a courier.
    DroppedOff,
    /// A return not dropped off in time: its compartment is free again.
    Lapsed,
}

/// What a parcel is: a delivery to a locker, or a return from one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Delivery,
    Return,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Delivery => "delivery",
            Kind::Return => "return",
        }
    }

    pub fn parse(text: &str) -> Option<Kind> {
        [Kind::Delivery, Kind::Return].into_iter().find(|k| k.as_str() == text)
    }
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
            Status::Reserved => "reserved",
            Status::DroppedOff => "dropped_off",
            Status::Lapsed => "lapsed",
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
            Status::Reserved,
            Status::DroppedOff,
            Status::Lapsed,
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
                | (Created, Reserved)
                | (Reserved, DroppedOff)
                | (Reserved, Lapsed)
                | (DroppedOff, Returned)
        )
    }

    /// Whether the parcel holds a compartment.
    pub fn in_compartment(self) -> bool {
        matches!(self, Status::InLocker | Status::Expired | Status::Reserved | Status::DroppedOff)
    }

    /// Whether a code opens its compartment: a delivery waiting for its recipient, or a return
    /// waiting for its sender to drop it off.
    pub fn has_code(self) -> bool {
        matches!(self, Status::InLocker | Status::Reserved)
    }
}

/// Who holds a parcel's code: the recipient of a delivery, the sender of a return.
pub fn code_holder<'a>(kind: Kind, sender_id: &'a str, recipient_id: &'a str) -> &'a str {
    match kind {
        Kind::Delivery => recipient_id,
        Kind::Return => sender_id,
    }
}

/// Days after a pickup that its recipient may still send the parcel back.
pub const RETURN_DAYS: i64 = 30;

/// `POST /api/lockers/returns`: send back a parcel the caller picked up, from a location of their
/// choosing. Its measures are the first parcel's unless given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewReturn {
    pub package_id: String,
    pub location_id: String,
    #[serde(default)]
    pub parcel: Option<Parcel>,
}

impl NewReturn {
    /// The parcel to send back (`first`'s measures unless given) and its size, or why not.
    pub fn check(&self, first: Parcel) -> Result<(Parcel, Size), ApiError> {
        let parcel = self.parcel.unwrap_or(first);
        for (field, side) in [
            ("parcel.length_mm", parcel.length_mm),
            ("parcel.width_mm", parcel.width_mm),
            ("parcel.height_mm", parcel.height_mm),
        ] {
            if !(1..=MAX_SIDE_MM).contains(&side) {
                return Err(ApiError::invalid(field, format!("A side is 1–{MAX_SIDE_MM} mm.")));
            }
        }
        if !(1..=MAX_WEIGHT_G).contains(&parcel.weight_g) {
            return Err(ApiError::invalid("parcel.weight_g", format!("A parcel weighs 1–{MAX_WEIGHT_G} g.")));
        }
        let size = parcel.smallest_size().map_err(|unfit| {
            let field = match unfit {
                super::size::Unfit::TooHeavy { .. } => "parcel.weight_g",
                super::size::Unfit::TooBig { .. } => "parcel.length_mm",
            };
            ApiError::invalid(field, unfit.reason())
        })?;
        Ok((parcel, size))
    }
}

/// What opening a compartment is for: the courier putting a parcel in or taking one back, the
/// recipient picking one up, or a return's sender dropping one off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Purpose {
    Deposit,
    PickUp,
    DropOff,
    Collect,
}

/// The longest side and the heaviest parcel the API takes at all (what no compartment takes is
/// refused later, with the reason).
pub const MAX_SIDE_MM: u32 = 3_000;
pub const MAX_WEIGHT_G: u32 = 100_000;
/// The longest sender's reference.
pub const MAX_REFERENCE_CHARS: usize = 64;

/// `POST /api/lockers/packages`: a parcel for `recipient` (a username, or the e-mail of their
/// account) at a location.
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
            return Err(ApiError::invalid("recipient", "Name the recipient's username or e-mail."));
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
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "delivery"))]
    pub kind: Kind,
    /// A return: the parcel it sends back.
    pub return_of: Option<String>,
    /// A delivery being sent back: its return (not lapsed).
    pub return_id: Option<String>,
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
    /// RFC 3339, exclusive: until when a delivery can be picked up, or a return dropped off.
    pub pickup_by: Option<String>,
    /// Whether its window was extended (once at most).
    pub extended: bool,
    /// The six-digit code and what its QR carries: for its holder alone (a delivery's recipient,
    /// a return's sender), while it opens a compartment.
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
    pub location_name: String,
    pub bank_id: String,
    /// The bank's name, on its front: a location may have several, each with a door 1.
    pub bank_name: String,
    pub door: u16,
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "M"))]
    pub size: Size,
    /// RFC 3339, after a deposit: until when the recipient can pick it up.
    pub pickup_by: Option<String>,
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "pick_up"))]
    pub purpose: Purpose,
}

/// A paid extension of a pickup window: a Pay order, paid at Pay's checkout; the window moves
/// when Pay captures the payment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExtensionView {
    pub order_id: String,
    /// Paise.
    pub amount: i64,
    pub currency: String,
    pub checkout_url: String,
    /// RFC 3339: the window's end once paid.
    pub pickup_by: String,
}

/// `POST /api/lockers/packages/{id}/deposit`'s optional body: where the courier stands. A parcel
/// rerouted meanwhile is refused there, with where it goes now, rather than given a door at a
/// location the courier is not at.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct DepositAt {
    pub location_id: Option<String>,
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
        assert!(
            Created.may_become(Reserved)
                && Reserved.may_become(DroppedOff)
                && DroppedOff.may_become(Returned)
        );
        assert!(
            Reserved.may_become(Lapsed) && !Lapsed.may_become(DroppedOff),
            "a lapsed drop-off code opens nothing"
        );
        assert!(!DroppedOff.may_become(PickedUp));
        assert!(Created.may_become(InLocker) && InTransit.may_become(InLocker));
        assert!(
            InLocker.may_become(PickedUp) && InLocker.may_become(Expired) && Expired.may_become(Returned)
        );
        assert!(!PickedUp.may_become(InLocker), "a code opens once");
        assert!(!Expired.may_become(PickedUp), "an expired code opens nothing");
        assert!(!InLocker.may_become(Cancelled) && !Returned.may_become(InLocker));
        for s in [
            Created, InTransit, InLocker, PickedUp, Expired, Returned, Cancelled, Reserved, DroppedOff,
            Lapsed,
        ] {
            assert_eq!(Status::parse(s.as_str()), Some(s));
        }
        assert!(InLocker.has_code() && Reserved.has_code() && !DroppedOff.has_code() && !Expired.has_code());
        assert!(DroppedOff.in_compartment() && !Lapsed.in_compartment());
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

    #[test]
    fn a_return_takes_the_first_parcels_measures_unless_given_and_the_code_goes_to_its_holder() {
        let first = Parcel { length_mm: 300, width_mm: 200, height_mm: 100, weight_g: 2_000 };
        let asked = NewReturn { package_id: "p".into(), location_id: "l".into(), parcel: None };
        assert_eq!(asked.check(first).unwrap(), (first, Size::M));
        let heavy = NewReturn { parcel: Some(Parcel { weight_g: 26_000, ..first }), ..asked.clone() };
        assert_eq!(heavy.check(first).unwrap_err().field.as_deref(), Some("parcel.weight_g"));
        let flat = NewReturn { parcel: Some(Parcel { height_mm: 0, ..first }), ..asked };
        assert_eq!(flat.check(first).unwrap_err().field.as_deref(), Some("parcel.height_mm"));
        assert_eq!(code_holder(Kind::Delivery, "s", "r"), "r");
        assert_eq!(code_holder(Kind::Return, "s", "r"), "s");
        assert_eq!(Kind::parse("return"), Some(Kind::Return));
    }
}
