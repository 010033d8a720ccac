//! A match's video: an HLS stream (a playlist and its segments, uploaded by the scorers and served
//! from R2) and its highlights, the wickets, boundaries and milestones of the event log placed on
//! the stream's timeline by when each ball was scored, each with a clip around it.

use super::commentary::{commentary, LineKind};
use super::cricsheet::Match;
use super::live::Event;
use crate::error::{ApiError, ErrorCode};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// The largest playlist and the largest segment.
pub const MAX_PLAYLIST_BYTES: usize = 256 * 1024;
pub const MAX_SEGMENT_BYTES: usize = 10 * 1024 * 1024;
/// Files one match's stream may hold (two hours of two-second segments, and playlists).
pub const MAX_FILES: u32 = 4_000;
/// A clip starts this long before its moment (the run-up) and ends this long after (the replay).
pub const CLIP_BEFORE_SECS: f64 = 12.0;
pub const CLIP_AFTER_SECS: f64 = 6.0;

/// What a stream's file is, from its name; its bytes must agree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// An HLS playlist (`.m3u8`).
    Playlist,
    /// An MPEG transport stream segment (`.ts`).
    TransportStream,
    /// A fragmented MP4 segment or init segment (`.m4s`, `.mp4`).
    Mp4,
}

impl FileKind {
    pub fn content_type(self) -> &'static str {
        match self {
            FileKind::Playlist => "application/vnd.apple.mpegurl",
            FileKind::TransportStream => "video/mp2t",
            FileKind::Mp4 => "video/mp4",
        }
    }

    pub fn max_bytes(self) -> usize {
        match self {
            FileKind::Playlist => MAX_PLAYLIST_BYTES,
            _ => MAX_SEGMENT_BYTES,
        }
    }
}

/// A stream file's name: letters, digits, `-` and `_` (up to 64), then `.m3u8`, `.ts`, `.m4s` or
/// `.mp4`. Anything else is 422, so a name can never reach outside the match's folder.
pub fn file_kind(name: &str) -> Result<FileKind, ApiError> {
    let bad = || {
        ApiError::invalid(
            "file",
            "A stream file is named like seg001.ts: letters, digits, - and _, then .m3u8, .ts, .m4s or .mp4.",
        )
    };
    let (stem, extension) = name.rsplit_once('.').ok_or_else(bad)?;
    if stem.is_empty()
        || stem.len() > 64
        || !stem.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        return Err(bad());
    }
    match extension {
        "m3u8" => Ok(FileKind::Playlist),
        "ts" => Ok(FileKind::TransportStream),
        "m4s" | "mp4" => Ok(FileKind::Mp4),
        _ => Err(bad()),
    }
}

fn unsupported(reason: &str) -> ApiError {
    ApiError {
        field: Some("file".into()),
        ..ApiError::new(ErrorCode::UnsupportedMediaType, reason.to_owned())
    }
}

/// What a playlist says: how long its segments last and whether the stream has ended.
#[derive(Debug, Clone, PartialEq)]
pub struct PlaylistFacts {
    pub duration_secs: f64,
    pub ended: bool,
    /// The files it names (segments, an init segment, variant playlists).
    pub files: Vec<String>,
}

/// Checks that the bytes are what the name says (415 when not): a playlist is UTF-8 text that
/// starts `#EXTM3U` and names only files of this stream; a transport stream starts with its sync
/// byte every 188 bytes; an MP4 segment starts with an `ftyp`, `styp`, `moof` or `sidx` box.
pub fn check_bytes(kind: FileKind, bytes: &[u8]) -> Result<Option<PlaylistFacts>, ApiError> {
    if bytes.len() > kind.max_bytes() {
        return Err(ApiError::new(
            ErrorCode::PayloadTooLarge,
            format!("This file may be at most {} bytes; it is {}.", kind.max_bytes(), bytes.len()),
        ));
    }
    match kind {
        FileKind::Playlist => {
            let text = std::str::from_utf8(bytes).map_err(|_| unsupported("A playlist is UTF-8 text."))?;
            playlist_facts(text.trim_start_matches('\u{feff}')).map(Some)
        }
        FileKind::TransportStream => {
            let synced = bytes.len() >= 188 && bytes.iter().step_by(188).all(|b| *b == 0x47);
            if !synced {
                return Err(unsupported("This is not an MPEG transport stream (no 0x47 sync bytes)."));
            }
            Ok(None)
        }
        FileKind::Mp4 => {
            let boxed = bytes.len() >= 8
                && [b"ftyp", b"styp", b"moof", b"sidx"].contains(&&bytes[4..8].try_into().unwrap_or([0; 4]));
            if !boxed {
                return Err(unsupported(
                    "This is not an MP4 segment (no ftyp, styp, moof or sidx box first).",
                ));
            }
            Ok(None)
        }
    }
}

fn playlist_facts(text: &str) -> Result<PlaylistFacts, ApiError> {
    if !text.starts_with("#EXTM3U") {
        return Err(unsupported("A playlist starts with #EXTM3U."));
    }
    let mut facts = PlaylistFacts { duration_secs: 0.0, ended: false, files: Vec::new() };
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        if let Some(rest) = line.strip_prefix("#EXTINF:") {
            let seconds = rest.split(',').next().unwrap_or_default().trim();
            match seconds.parse::<f64>() {
                Ok(s) if s.is_finite() && (0.0..=3_600.0).contains(&s) => facts.duration_secs += s,
                _ => return Err(unsupported("An #EXTINF gives a segment's seconds.")),
            }
        } else if line == "#EXT-X-ENDLIST" {
            facts.ended = true;
        } else if line.starts_with('#') {
            // A tag may name a file (an init segment, a key): it must be one of ours too.
            if let Some((_, after)) = line.split_once("URI=\"") {
                let uri = after.split('"').next().unwrap_or_default();
                file_kind(uri).map_err(|_| unsupported("A playlist names only files of this stream."))?;
                facts.files.push(uri.to_owned());
            }
        } else {
            file_kind(line).map_err(|_| unsupported("A playlist names only files of this stream."))?;
            facts.files.push(line.to_owned());
        }
    }
    Ok(facts)
}

/// A moment worth seeing again, and where it is on the stream.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Highlight {
    /// The innings (from 1) and its delivery (from 0).
    pub innings: u32,
    pub ball: u32,
    /// "12.3"
    pub label: String,
    /// wicket, boundary or milestone.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub kind: LineKind,
    pub text: String,
    /// Seconds into the stream, when the match has one that was running then.
    pub at_secs: Option<f64>,
}

/// A clip of the stream around a highlight.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Clip {
    pub title: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub kind: LineKind,
    pub start_secs: f64,
    pub end_secs: f64,
}

/// A match's stream, its highlights and its clips.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StreamView {
    /// Where the playlist is, when the match has a stream.
    pub playlist: Option<String>,
    /// When the stream's first frame was filmed (unix ms).
    pub started_at: Option<i64>,
    pub duration_secs: f64,
    /// The stream has ended (its playlist says #EXT-X-ENDLIST).
    pub ended: bool,
    pub highlights: Vec<Highlight>,
    pub clips: Vec<Clip>,
}

/// A scorer names the stream's playlist and when its first frame was filmed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewStream {
    /// A `.m3u8` already uploaded.
    pub playlist: String,
    /// Unix ms; now when absent.
    #[serde(default)]
    pub started_at: Option<i64>,
}

/// The wickets, boundaries and milestones of a live match, placed on a stream that started at
/// `started_at`: each ball is where it was when the scorer recorded it (`events` with their
/// times, in order, built `m`).
pub fn highlights(
    m: &Match,
    notes: &HashMap<(u32, u32), String>,
    events: &[(Event, i64)],
    started_at: Option<i64>,
) -> Vec<Highlight> {
    let mut scored_at: HashMap<(u32, u32), i64> = HashMap::new();
    let (mut innings, mut ball) = (0u32, 0u32);
    for (event, at) in events {
        match event {
            Event::StartInnings { .. } => {
                innings += 1;
                ball = 0;
            }
            Event::Delivery { .. } => {
                scored_at.insert((innings, ball), *at);
                ball += 1;
            }
            _ => {}
        }
    }
    commentary(m, notes)
        .into_iter()
        .filter(|l| matches!(l.kind, LineKind::Wicket | LineKind::Boundary | LineKind::Milestone))
        .map(|l| {
            let at_secs = match (started_at, scored_at.get(&(l.innings, l.ball))) {
                (Some(start), Some(at)) if *at >= start => Some((*at - start) as f64 / 1000.0),
                _ => None,
            };
            Highlight {
                innings: l.innings,
                ball: l.ball,
                label: l.label,
                kind: l.kind,
                text: l.text,
                at_secs,
            }
        })
        .collect()
}

/// A clip around each highlight that is on the stream (cut to the stream's length).
pub fn clips(highlights: &[Highlight], duration_secs: f64) -> Vec<Clip> {
    highlights
        .iter()
        .filter_map(|h| {
            let at = h.at_secs.filter(|at| *at <= duration_secs)?;
            Some(Clip {
                title: format!("{}: {}", h.label, h.text),
                kind: h.kind,
                start_secs: (at - CLIP_BEFORE_SECS).max(0.0),
                end_secs: (at + CLIP_AFTER_SECS).min(duration_secs),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_stay_inside_the_stream() {
        assert_eq!(file_kind("index.m3u8").unwrap(), FileKind::Playlist);
        assert_eq!(file_kind("seg_001.ts").unwrap(), FileKind::TransportStream);
        assert_eq!(file_kind("init.mp4").unwrap(), FileKind::Mp4);
        for bad in ["../x.ts", "a/b.ts", ".ts", "x.exe", "x", "a b.ts", &format!("{}.ts", "a".repeat(65))] {
            assert!(file_kind(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn bytes_must_match_the_name() {
        let mut ts = vec![0u8; 188 * 3];
        for i in 0..3 {
            ts[i * 188] = 0x47;
        }
        assert!(check_bytes(FileKind::TransportStream, &ts).is_ok());
        ts[188] = 0;
        assert_eq!(
            check_bytes(FileKind::TransportStream, &ts).unwrap_err().code,
            ErrorCode::UnsupportedMediaType
        );
        assert!(check_bytes(FileKind::Mp4, b"\0\0\0\x18ftypisom").is_ok());
        assert!(check_bytes(FileKind::Mp4, b"\0\0\0\x18free").is_err());
        assert_eq!(
            check_bytes(FileKind::TransportStream, &vec![0x47; MAX_SEGMENT_BYTES + 1]).unwrap_err().code,
            ErrorCode::PayloadTooLarge
        );
    }

    #[test]
    fn a_playlist_is_read_for_its_length_and_files() {
        let text = "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:4\n#EXTINF:4.000000,\nseg0.ts\n#EXTINF:2.5,\nseg1.ts\n#EXT-X-ENDLIST\n";
        let facts = check_bytes(FileKind::Playlist, text.as_bytes()).unwrap().unwrap();
        assert_eq!((facts.duration_secs, facts.ended), (6.5, true));
        assert_eq!(facts.files, ["seg0.ts", "seg1.ts"]);
        let map = "#EXTM3U\n#EXT-X-MAP:URI=\"init.mp4\"\n#EXTINF:2,\nseg0.m4s\n";
        let facts = check_bytes(FileKind::Playlist, map.as_bytes()).unwrap().unwrap();
        assert_eq!((facts.files.len(), facts.ended), (2, false));
        for bad in [
            "seg0.ts\n",
            "#EXTM3U\n#EXTINF:4,\nhttps://elsewhere.example/seg0.ts\n",
            "#EXTM3U\n#EXTINF:4,\n../seg0.ts\n",
            "#EXTM3U\n#EXT-X-KEY:METHOD=AES-128,URI=\"https://x/key\"\n",
            "#EXTM3U\n#EXTINF:abc,\nseg0.ts\n",
        ] {
            assert_eq!(
                check_bytes(FileKind::Playlist, bad.as_bytes()).unwrap_err().code,
                ErrorCode::UnsupportedMediaType,
                "{bad}"
            );
        }
        assert!(check_bytes(FileKind::Playlist, &[0xff, 0xfe]).is_err());
    }

    #[test]
    fn clips_surround_their_moment_inside_the_stream() {
        let at = |secs: Option<f64>| Highlight {
            innings: 1,
            ball: 0,
            label: "0.1".into(),
            kind: LineKind::Wicket,
            text: "OUT".into(),
            at_secs: secs,
        };
        let all = clips(&[at(Some(5.0)), at(Some(30.0)), at(Some(99.0)), at(None)], 33.0);
        assert_eq!(all.len(), 2);
        assert_eq!((all[0].start_secs, all[0].end_secs), (0.0, 11.0));
        assert_eq!((all[1].start_secs, all[1].end_secs), (18.0, 33.0));
        assert_eq!(all[0].title, "0.1: OUT");
    }
}
