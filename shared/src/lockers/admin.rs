//! The admin screen's figures: every compartment of a location with what is behind it, and how
//! many were taken over time (sampled from when each parcel went in and came out).

use super::{location::LocationView, package::Status, size::Size};
use serde::{Deserialize, Serialize};

/// Days of occupancy the admin screen shows.
pub const OCCUPANCY_DAYS: i64 = 7;
/// Samples a day (hourly).
pub const SAMPLES_PER_DAY: i64 = 24;

/// One compartment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DoorView {
    pub bank_id: String,
    pub door: u16,
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "M"))]
    pub size: Size,
    pub in_service: bool,
    /// The status of the parcel behind it, if any.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, example = "in_locker"))]
    pub holds: Option<Status>,
}

/// Compartments taken, sampled every `step_minutes` from `from`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Occupancy {
    /// RFC 3339: the first sample.
    pub from: String,
    pub step_minutes: u32,
    pub taken: Vec<u32>,
    /// Compartments in service now.
    pub capacity: u32,
}

/// `GET /api/lockers/locations/{id}/admin`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LocationAdminView {
    pub location: LocationView,
    pub doors: Vec<DoorView>,
    pub occupancy: Occupancy,
}

/// How many of `held` (from, until; None: still) cover each sample `from_ms + i × step_ms` for
/// `samples` samples. A compartment taken at a sample's instant counts; one freed then does not.
pub fn occupancy(held: &[(i64, Option<i64>)], from_ms: i64, step_ms: i64, samples: usize) -> Vec<u32> {
    let mut counts = vec![0u32; samples];
    if step_ms <= 0 {
        return counts;
    }
    for &(since, until) in held {
        for (i, count) in counts.iter_mut().enumerate() {
            let at = from_ms + step_ms * i64::try_from(i).unwrap_or(i64::MAX);
            if since <= at && until.is_none_or(|u| at < u) {
                *count += 1;
            }
        }
    }
    counts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn occupancy_counts_the_compartments_held_at_each_sample() {
        // Samples at 0, 10, 20, 30, 40.
        let held = [(0, Some(20)), (5, None), (25, Some(30)), (50, None)];
        assert_eq!(occupancy(&held, 0, 10, 5), vec![1, 2, 1, 1, 1]);
        assert_eq!(occupancy(&[], 0, 10, 3), vec![0, 0, 0]);
        assert_eq!(occupancy(&held, 0, 0, 2), vec![0, 0], "no step, no samples counted");
    }
}
