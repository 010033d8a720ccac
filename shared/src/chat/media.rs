//! Media in chats: images, video, audio notes and files up to 25 MB. What a file is comes from
//! its first bytes (its magic number), never from its name or the type the browser claimed; a
//! file that claims to be a picture, a video or a sound and is not is refused as disguised.
//! Whatever is not recognised is kept as a plain file, served only as a download.

use crate::{ApiError, ErrorCode};
use serde::{Deserialize, Serialize};

/// The largest upload.
pub const MAX_MEDIA_BYTES: usize = 25 * 1024 * 1024;
/// The largest thumbnail (made by the sender's browser, a small JPEG, PNG or WebP).
pub const MAX_THUMBNAIL_BYTES: usize = 128 * 1024;
/// The longest file name kept.
const MAX_NAME_CHARS: usize = 200;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum MediaKind {
    Image,
    Video,
    Audio,
    File,
}

impl MediaKind {
    pub fn as_str(self) -> &'static str {
        match self {
            MediaKind::Image => "image",
            MediaKind::Video => "video",
            MediaKind::Audio => "audio",
            MediaKind::File => "file",
        }
    }

    pub fn parse(stored: &str) -> MediaKind {
        match stored {
            "image" => MediaKind::Image,
            "video" => MediaKind::Video,
            "audio" => MediaKind::Audio,
            _ => MediaKind::File,
        }
    }

    /// Whether a browser may show it in the page (anything else is a download).
    pub fn is_inline(self) -> bool {
        self != MediaKind::File
    }
}

/// What the bytes are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sniffed {
    pub kind: MediaKind,
    pub content_type: &'static str,
}

const fn is(kind: MediaKind, content_type: &'static str) -> Option<Sniffed> {
    Some(Sniffed { kind, content_type })
}

/// What the first bytes of a file say it is; `None` for anything not known here.
pub fn sniff(bytes: &[u8]) -> Option<Sniffed> {
    let starts = |magic: &[u8]| bytes.starts_with(magic);
    let at = |offset: usize, magic: &[u8]| bytes.get(offset..offset + magic.len()) == Some(magic);
    use MediaKind::*;
    if starts(&[0xFF, 0xD8, 0xFF]) {
        return is(Image, "image/jpeg");
    }
    if starts(b"\x89PNG\r\n\x1a\n") {
        return is(Image, "image/png");
    }
    if starts(b"GIF87a") || starts(b"GIF89a") {
        return is(Image, "image/gif");
    }
    if starts(b"RIFF") && at(8, b"WEBP") {
        return is(Image, "image/webp");
    }
    if starts(b"RIFF") && at(8, b"WAVE") {
        return is(Audio, "audio/wav");
    }
    if at(4, b"ftyp") {
        // ISO media: the brand says sound or picture.
        return match bytes.get(8..12) {
            Some(b"M4A ") | Some(b"M4B ") => is(Audio, "audio/mp4"),
            Some(b"heic") | Some(b"heix") | Some(b"mif1") => is(Image, "image/heic"),
            Some(b"avif") => is(Image, "image/avif"),
            Some(b"qt  ") => is(Video, "video/quicktime"),
            _ => is(Video, "video/mp4"),
        };
    }
    if starts(&[0x1A, 0x45, 0xDF, 0xA3]) {
        // WebM (and Matroska); a recorded audio note is WebM too, told apart by what was claimed.
        return is(Video, "video/webm");
    }
    if starts(b"OggS") {
        return is(Audio, "audio/ogg");
    }
    if starts(b"ID3") || (bytes.len() > 1 && bytes[0] == 0xFF && bytes[1] & 0xE0 == 0xE0) {
        return is(Audio, "audio/mpeg");
    }
    if starts(b"fLaC") {
        return is(Audio, "audio/flac");
    }
    if starts(b"%PDF-") {
        return is(File, "application/pdf");
    }
    if starts(b"PK\x03\x04") {
        return is(File, "application/zip");
    }
    None
}

/// The kind a browser's claimed type names (`image/png` → image), if any.
fn claimed_kind(claimed_type: &str) -> Option<MediaKind> {
    match claimed_type.split('/').next().map(str::trim) {
        Some("image") => Some(MediaKind::Image),
        Some("video") => Some(MediaKind::Video),
        Some("audio") => Some(MediaKind::Audio),
        _ => None,
    }
}

/// The kind a file name's extension names, if any.
fn named_kind(name: &str) -> Option<MediaKind> {
    let ext = name.rsplit_once('.')?.1.to_ascii_lowercase();
    match ext.as_str() {
        "jpg" | "jpeg" | "png" | "gif" | "webp" | "heic" | "avif" | "bmp" | "svg" => Some(MediaKind::Image),
        "mp4" | "mov" | "webm" | "mkv" | "m4v" => Some(MediaKind::Video),
        "mp3" | "m4a" | "ogg" | "oga" | "opus" | "wav" | "flac" | "aac" => Some(MediaKind::Audio),
        _ => None,
    }
}

/// A file as it will be kept: what it is and the name it is downloaded under.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Accepted {
    pub kind: MediaKind,
    pub content_type: &'static str,
    pub name: String,
}

fn refuse(message: &str) -> ApiError {
    ApiError::new(ErrorCode::UnsupportedMediaType, message)
}

/// Decides what an upload is. `claimed_type` is the type the browser sent with the file,
/// `name` its name; the bytes decide. A claim of picture, video or sound (by type or by name)
/// that the bytes do not bear out is refused; WebM or MP4 claimed as sound is an audio note; anything
/// unknown is a plain file (`application/octet-stream`).
pub fn accept(bytes: &[u8], claimed_type: &str, name: &str) -> Result<Accepted, ApiError> {
    if bytes.is_empty() {
        return Err(ApiError::invalid("file", "The file is empty."));
    }
    if bytes.len() > MAX_MEDIA_BYTES {
        return Err(ApiError::new(ErrorCode::PayloadTooLarge, "Files can be at most 25 MB."));
    }
    let name = clean_name(name);
    let claimed = claimed_kind(claimed_type).or_else(|| named_kind(&name));
    let sniffed = sniff(bytes);
    let (kind, content_type) = match (claimed, sniffed) {
        (Some(MediaKind::Audio), Some(Sniffed { content_type: "video/webm", .. })) => {
            (MediaKind::Audio, "audio/webm")
        }
        // Safari records voice notes as MP4 of sound only, branded like any MP4.
        (Some(MediaKind::Audio), Some(Sniffed { content_type: "video/mp4", .. })) => {
            (MediaKind::Audio, "audio/mp4")
        }
        (Some(claim), Some(found)) if claim != found.kind && claim != MediaKind::File => {
            return Err(refuse(&format!(
                "This file says it is {} but its content is {}.",
                an(claim),
                describe(found)
            )));
        }
        (Some(claim), None) => {
            return Err(refuse(&format!("This file says it is {} but its content is not.", an(claim))));
        }
        (_, Some(found)) => (found.kind, found.content_type),
        (None, None) => (MediaKind::File, "application/octet-stream"),
    };
    Ok(Accepted { kind, content_type, name })
}

fn an(kind: MediaKind) -> &'static str {
    match kind {
        MediaKind::Image => "an image",
        MediaKind::Video => "a video",
        MediaKind::Audio => "a sound",
        MediaKind::File => "a file",
    }
}

fn describe(found: Sniffed) -> String {
    match found.kind {
        MediaKind::File => {
            format!("a {} file", found.content_type.trim_start_matches("application/").to_uppercase())
        }
        kind => format!("{} ({})", an(kind), found.content_type),
    }
}

/// A thumbnail must be a small picture.
pub fn accept_thumbnail(bytes: &[u8]) -> Result<&'static str, ApiError> {
    if bytes.len() > MAX_THUMBNAIL_BYTES {
        return Err(ApiError::new(ErrorCode::PayloadTooLarge, "A thumbnail can be at most 128 KB."));
    }
    match sniff(bytes) {
        Some(Sniffed { kind: MediaKind::Image, content_type }) if content_type != "image/heic" => {
            Ok(content_type)
        }
        _ => Err(refuse("A thumbnail must be a JPEG, PNG, GIF or WebP image.")),
    }
}

/// A file name as kept: its last path segment, without control characters, at most 200
/// characters (the extension kept), and "file" when nothing is left.
pub fn clean_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or_default();
    let cleaned: String = base.chars().filter(|c| !c.is_control()).collect::<String>().trim().to_owned();
    let cleaned = cleaned.trim_start_matches('.').to_owned();
    if cleaned.is_empty() {
        return "file".to_owned();
    }
    if cleaned.chars().count() <= MAX_NAME_CHARS {
        return cleaned;
    }
    let ext: String =
        cleaned.rsplit_once('.').map(|(_, e)| e).filter(|e| e.len() <= 10).unwrap_or_default().to_owned();
    let keep = MAX_NAME_CHARS - ext.chars().count() - usize::from(!ext.is_empty());
    let stem: String = cleaned.chars().take(keep).collect();
    if ext.is_empty() {
        stem
    } else {
        format!("{stem}.{ext}")
    }
}

/// `Content-Disposition` for a download: inline for pictures, video and sound; otherwise an
/// attachment. The name both as plain ASCII and as RFC 5987 UTF-8.
pub fn content_disposition(kind: MediaKind, name: &str) -> String {
    let ascii: String = name
        .chars()
        .map(|c| if c.is_ascii_graphic() && c != '"' && c != '\\' || c == ' ' { c } else { '_' })
        .collect();
    let mut encoded = String::new();
    for byte in name.bytes() {
        if byte.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&byte) {
            encoded.push(byte as char);
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    let disposition = if kind.is_inline() { "inline" } else { "attachment" };
    format!("{disposition}; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

/// A file shared in a conversation, as its members see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MediaView {
    pub id: String,
    pub kind: MediaKind,
    pub content_type: String,
    pub name: String,
    pub size: u64,
    /// A picture's or video's size in pixels, as the sender's browser measured it.
    #[serde(default)]
    pub width: Option<u32>,
    #[serde(default)]
    pub height: Option<u32>,
    /// Whether `GET /api/chat/media/{id}/thumbnail` has a small picture of it.
    pub has_thumbnail: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    const JPEG: &[u8] = &[0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, b'J', b'F', b'I', b'F'];
    const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
    const EXE: &[u8] = b"MZ\x90\0\x03\0\0\0";
    const HTML: &[u8] = b"<!doctype html><script>alert(1)</script>";

    #[test]
    fn the_bytes_say_what_a_file_is() {
        assert_eq!(sniff(JPEG).unwrap().content_type, "image/jpeg");
        assert_eq!(sniff(PNG).unwrap().content_type, "image/png");
        assert_eq!(sniff(b"GIF89a\x01\0").unwrap().kind, MediaKind::Image);
        assert_eq!(sniff(b"RIFF\0\0\0\0WEBPVP8 ").unwrap().content_type, "image/webp");
        assert_eq!(sniff(b"RIFF\0\0\0\0WAVEfmt ").unwrap().content_type, "audio/wav");
        assert_eq!(sniff(b"\0\0\0\x20ftypisom\0\0").unwrap().content_type, "video/mp4");
        assert_eq!(sniff(b"\0\0\0\x20ftypM4A \0\0").unwrap().content_type, "audio/mp4");
        assert_eq!(sniff(b"\0\0\0\x14ftypqt  ").unwrap().content_type, "video/quicktime");
        assert_eq!(sniff(&[0x1A, 0x45, 0xDF, 0xA3, 0x9F]).unwrap().content_type, "video/webm");
        assert_eq!(sniff(b"OggS\0\x02").unwrap().kind, MediaKind::Audio);
        assert_eq!(sniff(b"ID3\x04\0").unwrap().content_type, "audio/mpeg");
        assert_eq!(sniff(&[0xFF, 0xFB, 0x90, 0x64]).unwrap().content_type, "audio/mpeg");
        assert_eq!(sniff(b"%PDF-1.7\n").unwrap().content_type, "application/pdf");
        assert_eq!(sniff(EXE), None);
        assert_eq!(sniff(HTML), None);
        assert_eq!(sniff(b""), None);
        assert_eq!(sniff(b"RIFF"), None, "too short to say");
    }

    #[test]
    fn a_claim_the_bytes_do_not_bear_out_is_refused() {
        let ok = accept(JPEG, "image/jpeg", "beach.jpg").unwrap();
        assert_eq!(
            (ok.kind, ok.content_type, ok.name.as_str()),
            (MediaKind::Image, "image/jpeg", "beach.jpg")
        );
        // The bytes decide, whatever the name: a PNG named .jpg is a PNG.
        assert_eq!(accept(PNG, "image/jpeg", "photo.jpg").unwrap().content_type, "image/png");
        for (bytes, claimed, name) in [
            (EXE, "image/jpeg", "cute-cat.jpg"),
            (EXE, "", "cute-cat.jpg"),
            (HTML, "image/png", "x.png"),
            (HTML, "", "song.mp3"),
            (b"%PDF-1.4".as_slice(), "video/mp4", "clip.mp4"),
            (JPEG, "audio/mpeg", "voice.mp3"),
        ] {
            let err = accept(bytes, claimed, name).unwrap_err();
            assert_eq!(err.code, ErrorCode::UnsupportedMediaType, "{name}: {}", err.message);
        }
        // No claim, nothing known: a plain file, downloaded, never shown.
        let exe = accept(EXE, "application/x-msdownload", "setup.exe").unwrap();
        assert_eq!((exe.kind, exe.content_type), (MediaKind::File, "application/octet-stream"));
        let page = accept(HTML, "text/html", "page.html").unwrap();
        assert_eq!(page.content_type, "application/octet-stream", "HTML is never served as HTML");
        // A recorded audio note is WebM claimed as sound.
        let note = accept(&[0x1A, 0x45, 0xDF, 0xA3, 1], "audio/webm;codecs=opus", "note.webm").unwrap();
        assert_eq!((note.kind, note.content_type), (MediaKind::Audio, "audio/webm"));
        // Safari's is MP4 claimed as sound.
        let note = accept(b"\0\0\0\x20ftypiso5\0\0", "audio/mp4", "voice-note.m4a").unwrap();
        assert_eq!((note.kind, note.content_type), (MediaKind::Audio, "audio/mp4"));
        // A video claimed as a picture is still refused.
        assert!(accept(b"\0\0\0\x20ftypiso5\0\0", "image/png", "a.png").is_err());
        assert_eq!(accept(b"", "", "x").unwrap_err().code, ErrorCode::ValidationFailed);
    }

    #[test]
    fn size_limits() {
        let big = [JPEG, &vec![0u8; MAX_MEDIA_BYTES]].concat();
        assert_eq!(accept(&big, "image/jpeg", "big.jpg").unwrap_err().code, ErrorCode::PayloadTooLarge);
        assert_eq!(accept_thumbnail(JPEG), Ok("image/jpeg"));
        assert_eq!(accept_thumbnail(EXE).unwrap_err().code, ErrorCode::UnsupportedMediaType);
        let fat = [JPEG, &vec![0u8; MAX_THUMBNAIL_BYTES]].concat();
        assert_eq!(accept_thumbnail(&fat).unwrap_err().code, ErrorCode::PayloadTooLarge);
    }

    #[test]
    fn names_are_cleaned_and_downloads_say_so() {
        assert_eq!(clean_name("C:\\Users\\me\\report.pdf"), "report.pdf");
        assert_eq!(clean_name("../../etc/passwd"), "passwd");
        assert_eq!(clean_name("a\u{0}b\nc.txt"), "abc.txt");
        assert_eq!(clean_name("..."), "file");
        assert_eq!(clean_name(".env"), "env");
        let long = format!("{}.pdf", "x".repeat(300));
        let kept = clean_name(&long);
        assert_eq!(kept.chars().count(), 200);
        assert!(kept.ends_with(".pdf"));
        assert_eq!(
            content_disposition(MediaKind::File, "Résumé \"final\".pdf"),
            "attachment; filename=\"R_sum_ _final_.pdf\"; filename*=UTF-8''R%C3%A9sum%C3%A9%20%22final%22.pdf"
        );
        assert!(content_disposition(MediaKind::Image, "a.png").starts_with("inline; "));
    }
}
