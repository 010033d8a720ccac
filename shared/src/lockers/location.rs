//! Locations and their banks: where a bank stands (address, coordinates, time zone), how many
//! compartments of each size it has, and how far a location is from a person.

use super::{
    hours::{self, HoursRange},
    size::Size,
    window::time_zone,
};
use crate::ApiError;
use serde::{Deserialize, Serialize};

pub const MAX_NAME_CHARS: usize = 80;
pub const MAX_ADDRESS_CHARS: usize = 200;
/// Banks a location has, and compartments a bank has.
pub const MAX_BANKS: usize = 8;
pub const MAX_COMPARTMENTS: u32 = 300;

/// A bank to build: its name and how many compartments of each size.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewBank {
    pub name: String,
    #[serde(default)]
    pub small: u32,
    #[serde(default)]
    pub medium: u32,
    #[serde(default)]
    pub large: u32,
}

impl NewBank {
    /// Its compartments' sizes, door 1 first: the small ones, then medium, then large.
    pub fn doors(&self) -> Vec<Size> {
        [(Size::S, self.small), (Size::M, self.medium), (Size::L, self.large)]
            .into_iter()
            .flat_map(|(size, n)| std::iter::repeat_n(size, n as usize))
            .collect()
    }
}

/// `POST /api/lockers/locations` (admins): a place with one or more banks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewLocation {
    pub name: String,
    pub address: String,
    pub lat: f64,
    pub lng: f64,
    /// IANA, such as `Asia/Kolkata`: the location's days (pickup windows end with them).
    pub timezone: String,
    /// Opening hours, local; none: open around the clock.
    #[serde(default)]
    pub hours: Vec<HoursRange>,
    pub banks: Vec<NewBank>,
}

fn text(field: &str, value: &str, most: usize) -> Result<String, ApiError> {
    let value = value.trim();
    if value.is_empty() || value.chars().count() > most || value.chars().any(char::is_control) {
        return Err(ApiError::invalid(
            field,
            format!("1–{most} characters, none of them control characters."),
        ));
    }
    Ok(value.to_owned())
}

impl NewLocation {
    /// The location with its name and address trimmed, or the first field that is wrong.
    pub fn check(&self) -> Result<NewLocation, ApiError> {
        let name = text("name", &self.name, MAX_NAME_CHARS)?;
        let address = text("address", &self.address, MAX_ADDRESS_CHARS)?;
        if !(-90.0..=90.0).contains(&self.lat) {
            return Err(ApiError::invalid("lat", "A latitude is −90 to 90."));
        }
        if !(-180.0..=180.0).contains(&self.lng) {
            return Err(ApiError::invalid("lng", "A longitude is −180 to 180."));
        }
        time_zone(&self.timezone, "timezone")?;
        hours::check(&self.hours)?;
        if self.banks.is_empty() || self.banks.len() > MAX_BANKS {
            return Err(ApiError::invalid("banks", format!("A location has 1–{MAX_BANKS} banks.")));
        }
        let mut banks = Vec::new();
        for (i, bank) in self.banks.iter().enumerate() {
            let name = text(&format!("banks[{i}].name"), &bank.name, MAX_NAME_CHARS)?;
            let total = u64::from(bank.small) + u64::from(bank.medium) + u64::from(bank.large);
            if total == 0 || total > u64::from(MAX_COMPARTMENTS) {
                return Err(ApiError::invalid(
                    &format!("banks[{i}]"),
                    format!("A bank has 1–{MAX_COMPARTMENTS} compartments."),
                ));
            }
            banks.push(NewBank { name, ..bank.clone() });
        }
        Ok(NewLocation {
            name,
            address,
            banks,
            timezone: self.timezone.clone(),
            hours: self.hours.clone(),
            ..*self
        })
    }
}

/// `PUT /api/lockers/banks/{id}/doors/{door}` (admins): a compartment in or out of service. One
/// out of service takes no new parcel; the one inside it, if any, stays until it is taken out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct DoorService {
    pub in_service: bool,
}

/// Free compartments by size.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FreeBySize {
    #[serde(rename = "S")]
    pub small: u32,
    #[serde(rename = "M")]
    pub medium: u32,
    #[serde(rename = "L")]
    pub large: u32,
}

impl FreeBySize {
    pub fn add(&mut self, size: Size, n: u32) {
        match size {
            Size::S => self.small += n,
            Size::M => self.medium += n,
            Size::L => self.large += n,
        }
    }

    /// Free compartments that take a parcel of `size` (its own size or larger).
    pub fn fitting(&self, size: Size) -> u32 {
        match size {
            Size::S => self.small + self.medium + self.large,
            Size::M => self.medium + self.large,
            Size::L => self.large,
        }
    }
}

/// A bank as its location's page shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BankView {
    pub id: String,
    pub name: String,
    pub compartments: u32,
    pub free: FreeBySize,
}

/// A location as the list and its page show it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LocationView {
    pub id: String,
    pub name: String,
    pub address: String,
    pub lat: f64,
    pub lng: f64,
    pub timezone: String,
    /// Open around the clock (no hours).
    pub always_open: bool,
    pub hours: Vec<HoursRange>,
    /// The hours as people read them: `Mon–Fri 08:00–20:00` or `Open 24/7`.
    pub hours_text: String,
    pub open_now: bool,
    /// RFC 3339: when it opens again, while closed.
    pub opens_at: Option<String>,
    pub banks: Vec<BankView>,
    pub free: FreeBySize,
    /// Kilometres from `near`, when asked.
    pub distance_km: Option<f64>,
}

/// `?near=lat,lng`: a point, or a 422 on `near`.
pub fn parse_near(text: &str) -> Result<(f64, f64), ApiError> {
    let bad = || ApiError::invalid("near", "near is a latitude and a longitude: near=12.97,77.59.");
    let (lat, lng) = text.split_once(',').ok_or_else(bad)?;
    let (lat, lng) =
        (lat.trim().parse::<f64>().map_err(|_| bad())?, lng.trim().parse::<f64>().map_err(|_| bad())?);
    if !(-90.0..=90.0).contains(&lat) || !(-180.0..=180.0).contains(&lng) {
        return Err(bad());
    }
    Ok((lat, lng))
}

/// The great-circle distance in kilometres (haversine, the Earth a sphere of 6,371 km).
pub fn distance_km(a: (f64, f64), b: (f64, f64)) -> f64 {
    let (lat1, lat2) = (a.0.to_radians(), b.0.to_radians());
    let (dlat, dlng) = ((b.0 - a.0).to_radians(), (b.1 - a.1).to_radians());
    let h = (dlat / 2.0).sin().powi(2) + lat1.cos() * lat2.cos() * (dlng / 2.0).sin().powi(2);
    2.0 * 6_371.0 * h.sqrt().min(1.0).asin()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn location() -> NewLocation {
        NewLocation {
            name: " MG Road Metro ".into(),
            address: "MG Road, Bengaluru".into(),
            lat: 12.9756,
            lng: 77.6066,
            timezone: "Asia/Kolkata".into(),
            hours: vec![],
            banks: vec![NewBank { name: "A".into(), small: 2, medium: 1, large: 1 }],
        }
    }

    #[test]
    fn a_location_is_checked_field_by_field() {
        let checked = location().check().unwrap();
        assert_eq!(checked.name, "MG Road Metro");
        assert_eq!(checked.banks[0].doors(), vec![Size::S, Size::S, Size::M, Size::L]);
        let field = |l: NewLocation| l.check().unwrap_err().field.unwrap_or_default();
        assert_eq!(field(NewLocation { name: "".into(), ..location() }), "name");
        assert_eq!(field(NewLocation { lat: 91.0, ..location() }), "lat");
        assert_eq!(field(NewLocation { lng: f64::NAN, ..location() }), "lng");
        assert_eq!(field(NewLocation { timezone: "Bengaluru".into(), ..location() }), "timezone");
        assert_eq!(field(NewLocation { banks: vec![], ..location() }), "banks");
        let closed = HoursRange { days: "mon".into(), opens: "09:00".into(), closes: "08:00".into() };
        assert_eq!(field(NewLocation { hours: vec![closed], ..location() }), "hours[0]");
        let empty = NewBank { name: "B".into(), small: 0, medium: 0, large: 0 };
        assert_eq!(field(NewLocation { banks: vec![empty], ..location() }), "banks[0]");
        let huge = NewBank { name: "B".into(), small: 301, medium: 0, large: 0 };
        assert_eq!(field(NewLocation { banks: vec![huge], ..location() }), "banks[0]");
    }

    #[test]
    fn distances_are_great_circle_kilometres() {
        // MG Road to Bengaluru airport: about 27 km as the crow flies.
        let km = distance_km((12.9756, 77.6066), (13.1986, 77.7066));
        assert!((26.0..28.0).contains(&km), "{km}");
        assert_eq!(distance_km((1.0, 2.0), (1.0, 2.0)), 0.0);
        assert_eq!(parse_near("12.97, 77.59").unwrap(), (12.97, 77.59));
        for bad in ["", "12.97", "a,b", "91,0", "0,181"] {
            assert_eq!(parse_near(bad).unwrap_err().field.as_deref(), Some("near"), "{bad}");
        }
    }

    #[test]
    fn free_compartments_count_for_every_size_they_take() {
        let mut free = FreeBySize::default();
        free.add(Size::S, 3);
        free.add(Size::L, 1);
        assert_eq!((free.fitting(Size::S), free.fitting(Size::M), free.fitting(Size::L)), (4, 1, 1));
    }
}
