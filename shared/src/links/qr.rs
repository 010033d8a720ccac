//! QR codes of short links, as SVG: small, sharp at any size, and printable.

use qrcode::{render::svg, EcLevel, QrCode};

/// An SVG QR code of `text` (a short URL), `size` pixels square at least, black on white with
/// the standard quiet zone. Medium error correction survives a smudge or a small logo.
/// `None` only if the text is too long for any QR version (short URLs never are).
pub fn svg_for(text: &str, size: u32) -> Option<String> {
    let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M).ok()?;
    Some(
        code.render::<svg::Color<'_>>()
            .min_dimensions(size, size)
            .dark_color(svg::Color("#000000"))
            .light_color(svg::Color("#ffffff"))
            .quiet_zone(true)
            .build(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_an_svg_of_the_asked_size() {
        let svg = svg_for("https://dozen.example/Ab3dE9z", 256).unwrap();
        assert!(svg.starts_with("<?xml") && svg.contains("<svg") && svg.trim_end().ends_with("</svg>"));
        let width: u32 = svg.split("width=\"").nth(1).unwrap().split('"').next().unwrap().parse().unwrap();
        assert!(width >= 256, "{width}");
        assert_ne!(svg_for("https://dozen.example/a", 64), svg_for("https://dozen.example/b", 64));
    }

    #[test]
    fn refuses_what_no_qr_version_holds() {
        assert!(svg_for(&"x".repeat(5000), 64).is_none());
    }
}
