//! Lockers: parcel lockers (seed: "Design Amazon Locker"). Locations with banks of compartments
//! in three sizes; a parcel goes in the smallest free compartment it fits, its recipient gets a
//! one-time code (stored only as a keyed hash) that opens that compartment once, within a window
//! counted in the location's own days; unclaimed parcels expire and are carried back.

pub mod admin;
pub mod code;
pub mod demo;
pub mod hours;
pub mod location;
pub mod package;
pub mod size;
pub mod webhook;
pub mod window;
