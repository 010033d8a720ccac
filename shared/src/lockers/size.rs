//! Compartment sizes and which one a parcel needs: InPost's Paczkomat gauges (A, B, C as S, M, L),
//! and the smallest free compartment that fits.

use serde::{Deserialize, Serialize};

/// A compartment's size, smallest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Size {
    S,
    M,
    L,
}

/// A compartment's inner dimensions (millimetres, sorted shortest first) and the heaviest parcel
/// it takes (grams).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Gauge {
    pub size: Size,
    pub dimensions_mm: [u32; 3],
    pub max_weight_g: u32,
}

/// Every size's gauge, smallest first: 8 × 38 × 64 cm, 19 × 38 × 64 cm and 41 × 38 × 64 cm,
/// each up to 25 kg (InPost's A, B and C).
pub const GAUGES: [Gauge; 3] = [
    Gauge { size: Size::S, dimensions_mm: [80, 380, 640], max_weight_g: 25_000 },
    Gauge { size: Size::M, dimensions_mm: [190, 380, 640], max_weight_g: 25_000 },
    Gauge { size: Size::L, dimensions_mm: [380, 410, 640], max_weight_g: 25_000 },
];

impl Size {
    pub const ALL: [Size; 3] = [Size::S, Size::M, Size::L];

    pub fn gauge(self) -> Gauge {
        GAUGES[self as usize]
    }

    /// As D1 keeps it.
    pub fn as_str(self) -> &'static str {
        match self {
            Size::S => "S",
            Size::M => "M",
            Size::L => "L",
        }
    }

    pub fn parse(text: &str) -> Option<Size> {
        match text {
            "S" | "s" => Some(Size::S),
            "M" | "m" => Some(Size::M),
            "L" | "l" => Some(Size::L),
            _ => None,
        }
    }
}

/// A parcel's outer dimensions (millimetres, any order) and weight (grams).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Parcel {
    pub length_mm: u32,
    pub width_mm: u32,
    pub height_mm: u32,
    pub weight_g: u32,
}

/// Why no compartment takes a parcel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unfit {
    /// A side (sorted, shortest first, the one that does not fit) longer than the largest
    /// compartment's matching side.
    TooBig {
        side_mm: u32,
        limit_mm: u32,
    },
    TooHeavy {
        weight_g: u32,
        limit_g: u32,
    },
}

impl Unfit {
    /// The reason as a person reads it.
    pub fn reason(self) -> String {
        match self {
            Unfit::TooBig { side_mm, limit_mm } => format!(
                "The parcel is too big for any compartment: a side of {side_mm} mm where the largest takes {limit_mm} mm."
            ),
            Unfit::TooHeavy { weight_g, limit_g } => format!(
                "The parcel is too heavy: {} kg where a compartment takes at most {} kg.",
                kilograms(weight_g),
                kilograms(limit_g)
            ),
        }
    }
}

fn kilograms(grams: u32) -> String {
    let tenths = grams.div_ceil(100);
    format!("{}.{}", tenths / 10, tenths % 10)
}

impl Parcel {
    fn sorted(&self) -> [u32; 3] {
        let mut sides = [self.length_mm, self.width_mm, self.height_mm];
        sides.sort_unstable();
        sides
    }

    /// Whether it fits a compartment of `size`, turned any way.
    pub fn fits(&self, size: Size) -> bool {
        let gauge = size.gauge();
        self.weight_g <= gauge.max_weight_g
            && self.sorted().iter().zip(gauge.dimensions_mm).all(|(side, room)| *side <= room)
    }

    /// The smallest size that takes it, or why none does.
    pub fn smallest_size(&self) -> Result<Size, Unfit> {
        if let Some(size) = Size::ALL.into_iter().find(|s| self.fits(*s)) {
            return Ok(size);
        }
        let largest = Size::L.gauge();
        if self.weight_g > largest.max_weight_g {
            return Err(Unfit::TooHeavy { weight_g: self.weight_g, limit_g: largest.max_weight_g });
        }
        let (side_mm, limit_mm) = self
            .sorted()
            .into_iter()
            .zip(largest.dimensions_mm)
            .find(|(side, room)| side > room)
            .unwrap_or((0, 0));
        Err(Unfit::TooBig { side_mm, limit_mm })
    }
}

/// A compartment as allocation sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Door {
    pub door: u16,
    pub size: Size,
    pub in_service: bool,
    pub occupied: bool,
}

/// The compartment a parcel of size `needed` goes in: the smallest size at least `needed` that has
/// a free compartment in service, the lowest door of that size. None when the bank is full for it.
pub fn allocate(doors: &[Door], needed: Size) -> Option<u16> {
    doors
        .iter()
        .filter(|d| d.in_service && !d.occupied && d.size >= needed)
        .min_by_key(|d| (d.size, d.door))
        .map(|d| d.door)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parcel(l: u32, w: u32, h: u32, g: u32) -> Parcel {
        Parcel { length_mm: l, width_mm: w, height_mm: h, weight_g: g }
    }

    #[test]
    fn a_parcel_takes_the_smallest_size_it_fits_turned_any_way() {
        assert_eq!(parcel(300, 200, 50, 1_000).smallest_size(), Ok(Size::S));
        assert_eq!(parcel(50, 300, 200, 1_000).smallest_size(), Ok(Size::S), "turned");
        assert_eq!(parcel(80, 380, 640, 25_000).smallest_size(), Ok(Size::S), "exactly the gauge");
        assert_eq!(parcel(81, 380, 640, 1).smallest_size(), Ok(Size::M));
        assert_eq!(parcel(400, 400, 370, 1).smallest_size(), Ok(Size::L));
    }

    #[test]
    fn a_parcel_no_compartment_takes_is_refused_with_the_reason() {
        assert_eq!(
            parcel(100, 100, 700, 1).smallest_size(),
            Err(Unfit::TooBig { side_mm: 700, limit_mm: 640 })
        );
        assert_eq!(
            parcel(370, 420, 420, 1).smallest_size(),
            Err(Unfit::TooBig { side_mm: 420, limit_mm: 410 })
        );
        // A 40 cm cube: no compartment is 40 cm in two directions and more in the third.
        assert_eq!(
            parcel(400, 400, 400, 1).smallest_size(),
            Err(Unfit::TooBig { side_mm: 400, limit_mm: 380 })
        );
        let heavy = parcel(100, 100, 100, 25_001).smallest_size().unwrap_err();
        assert_eq!(heavy, Unfit::TooHeavy { weight_g: 25_001, limit_g: 25_000 });
        assert_eq!(
            heavy.reason(),
            "The parcel is too heavy: 25.1 kg where a compartment takes at most 25.0 kg."
        );
    }

    #[test]
    fn allocation_takes_the_smallest_free_fitting_door_in_service() {
        let door = |door, size, in_service, occupied| Door { door, size, in_service, occupied };
        let bank = [
            door(1, Size::S, true, true),
            door(2, Size::S, false, false),
            door(3, Size::M, true, false),
            door(4, Size::M, true, false),
            door(5, Size::L, true, false),
        ];
        assert_eq!(allocate(&bank, Size::S), Some(3), "S is taken or out of service: the next size up");
        assert_eq!(allocate(&bank, Size::M), Some(3), "the lowest door of the size");
        assert_eq!(allocate(&bank, Size::L), Some(5));
        assert_eq!(allocate(&bank[..4], Size::L), None, "no L: full for it");
        assert_eq!(allocate(&[], Size::S), None);
    }
}
