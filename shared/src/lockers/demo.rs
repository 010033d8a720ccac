//! What `make dev`'s demo account finds in Lockers: four locations in Bengaluru, parcels waiting
//! for it (with codes), one picked up, one on its way, and one it sent. Written through the same
//! deposits and pickups as real ones (worker/src/lockers/demo.rs).

use super::{
    hours::HoursRange,
    location::{NewBank, NewLocation},
};

/// A demo location: name, address, coordinates and its banks' (name, small, medium, large).
pub struct DemoLocation {
    pub name: &'static str,
    pub address: &'static str,
    pub lat: f64,
    pub lng: f64,
    /// Opening hours as (days, opens, closes); none: 24/7.
    pub hours: &'static [(&'static str, &'static str, &'static str)],
    pub banks: &'static [(&'static str, u32, u32, u32)],
}

pub const LOCATIONS: [DemoLocation; 4] = [
    DemoLocation {
        name: "MG Road Metro",
        address: "MG Road, Bengaluru 560001",
        lat: 12.9756,
        lng: 77.6066,
        hours: &[],
        banks: &[("A", 12, 6, 2), ("B", 8, 4, 2)],
    },
    DemoLocation {
        name: "Indiranagar 100 ft Road",
        address: "100 Feet Rd, Indiranagar, Bengaluru 560038",
        lat: 12.9719,
        lng: 77.6412,
        hours: &[],
        banks: &[("A", 10, 6, 3)],
    },
    DemoLocation {
        name: "Koramangala 5th Block",
        address: "80 Feet Rd, Koramangala, Bengaluru 560095",
        lat: 12.9352,
        lng: 77.6245,
        hours: &[("mon-sun", "10:00", "22:00")],
        banks: &[("A", 16, 8, 4)],
    },
    DemoLocation {
        name: "Whitefield ITPL",
        address: "ITPL Main Rd, Whitefield, Bengaluru 560066",
        lat: 12.9866,
        lng: 77.7314,
        hours: &[("mon-fri", "07:00", "23:00"), ("sat", "09:00", "18:00")],
        banks: &[("A", 6, 4, 2)],
    },
];

impl DemoLocation {
    pub fn new_location(&self) -> NewLocation {
        NewLocation {
            name: self.name.to_owned(),
            address: self.address.to_owned(),
            lat: self.lat,
            lng: self.lng,
            timezone: "Asia/Kolkata".to_owned(),
            hours: self
                .hours
                .iter()
                .map(|&(days, opens, closes)| HoursRange {
                    days: days.to_owned(),
                    opens: opens.to_owned(),
                    closes: closes.to_owned(),
                })
                .collect(),
            banks: self
                .banks
                .iter()
                .map(|&(name, small, medium, large)| NewBank { name: name.to_owned(), small, medium, large })
                .collect(),
        }
    }
}

/// How far a demo parcel has come.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    OnItsWay,
    Waiting,
    PickedUp,
}

/// A demo parcel: sender and recipient (usernames; `demo` is the demo account), the location (an
/// index into [`LOCATIONS`]), its size in mm and g, a reference, and how far it has come.
pub struct DemoParcel {
    pub sender: &'static str,
    pub recipient: &'static str,
    pub location: usize,
    pub dimensions_mm: [u32; 3],
    pub weight_g: u32,
    pub reference: &'static str,
    pub stage: Stage,
}

/// Sent by Chat's demo friends (asha, ben, chen), and one by the demo account to ben.
pub const PARCELS: [DemoParcel; 5] = [
    DemoParcel {
        sender: "asha",
        recipient: "demo",
        location: 0,
        dimensions_mm: [240, 170, 60],
        weight_g: 900,
        reference: "Books from Asha",
        stage: Stage::Waiting,
    },
    DemoParcel {
        sender: "ben",
        recipient: "demo",
        location: 1,
        dimensions_mm: [300, 250, 150],
        weight_g: 1_400,
        reference: "Headphones",
        stage: Stage::Waiting,
    },
    DemoParcel {
        sender: "chen",
        recipient: "demo",
        location: 0,
        dimensions_mm: [200, 150, 70],
        weight_g: 600,
        reference: "Spices",
        stage: Stage::PickedUp,
    },
    DemoParcel {
        sender: "asha",
        recipient: "demo",
        location: 2,
        dimensions_mm: [350, 300, 200],
        weight_g: 2_300,
        reference: "Camera lens",
        stage: Stage::OnItsWay,
    },
    DemoParcel {
        sender: "demo",
        recipient: "ben",
        location: 1,
        dimensions_mm: [400, 300, 80],
        weight_g: 1_800,
        reference: "Board game",
        stage: Stage::OnItsWay,
    },
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lockers::size::Parcel;

    #[test]
    fn every_demo_location_is_valid_and_every_parcel_fits_where_it_goes() {
        for location in &LOCATIONS {
            location.new_location().check().unwrap();
        }
        for parcel in &PARCELS {
            assert!(parcel.location < LOCATIONS.len(), "{}", parcel.reference);
            let [l, w, h] = parcel.dimensions_mm;
            let p = Parcel { length_mm: l, width_mm: w, height_mm: h, weight_g: parcel.weight_g };
            assert!(p.smallest_size().is_ok(), "{}", parcel.reference);
        }
        let stages: Vec<Stage> = PARCELS.iter().map(|p| p.stage).collect();
        for stage in [Stage::OnItsWay, Stage::Waiting, Stage::PickedUp] {
            assert!(stages.contains(&stage), "{stage:?}");
        }
    }
}
