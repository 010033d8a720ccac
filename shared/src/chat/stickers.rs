//! Chat's sticker set: a few big pictures with a word, drawn as SVG from this table (no image
//! files to fetch), sent as a message that names one.

use crate::ApiError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sticker {
    /// What a message names (`"sticker": "thanks"`).
    pub id: &'static str,
    pub emoji: &'static str,
    pub caption: &'static str,
    /// The badge's colour.
    pub color: &'static str,
}

const fn sticker(
    id: &'static str,
    emoji: &'static str,
    caption: &'static str,
    color: &'static str,
) -> Sticker {
    Sticker { id, emoji, caption, color }
}

pub const STICKERS: [Sticker; 8] = [
    sticker("thanks", "🙏", "Thanks!", "#f59e0b"),
    sticker("on-my-way", "🏃", "On my way", "#10b981"),
    sticker("lol", "😂", "LOL", "#6366f1"),
    sticker("congrats", "🎉", "Congrats!", "#ec4899"),
    sticker("coffee", "☕", "Coffee?", "#92400e"),
    sticker("yes", "👍", "Yes!", "#22c55e"),
    sticker("no-way", "🙅", "No way", "#ef4444"),
    sticker("good-night", "🌙", "Good night", "#1e3a8a"),
];

/// The sticker a message names, or 422.
pub fn find(id: &str) -> Result<&'static Sticker, ApiError> {
    STICKERS.iter().find(|s| s.id == id).ok_or_else(|| ApiError::invalid("sticker", "No such sticker."))
}

impl Sticker {
    /// How lists, quotes and search show it: "🙏 Thanks!".
    pub fn label(&self) -> String {
        format!("{} {}", self.emoji, self.caption)
    }

    /// The sticker as an SVG document (160 × 160).
    pub fn svg(&self) -> String {
        format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 160 160\" width=\"160\" height=\"160\" role=\"img\" aria-label=\"{caption}\">\
             <rect x=\"8\" y=\"8\" width=\"144\" height=\"144\" rx=\"36\" fill=\"{color}\"/>\
             <text x=\"80\" y=\"88\" font-size=\"64\" text-anchor=\"middle\">{emoji}</text>\
             <text x=\"80\" y=\"132\" font-size=\"20\" font-weight=\"700\" fill=\"#fff\" text-anchor=\"middle\" font-family=\"system-ui, sans-serif\">{caption}</text></svg>",
            caption = self.caption,
            color = self.color,
            emoji = self.emoji,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stickers_are_found_by_id_and_drawn() {
        assert_eq!(find("thanks").unwrap().caption, "Thanks!");
        assert_eq!(find("nope").unwrap_err().field.as_deref(), Some("sticker"));
        let mut ids: Vec<&str> = STICKERS.iter().map(|s| s.id).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), STICKERS.len(), "ids are unique");
        for s in STICKERS {
            let svg = s.svg();
            assert!(svg.starts_with("<svg") && svg.ends_with("</svg>") && svg.contains(s.caption));
            assert!(!s.caption.contains(['<', '&', '"']), "captions go into SVG as they are");
        }
    }
}
