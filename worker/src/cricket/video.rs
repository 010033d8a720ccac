//! `/api/cricket/matches/{id}/stream`: a match's video as HLS. Its scorers upload the playlist
//! and segments (checked by their bytes, kept in R2 under `cricket/<match>/stream/<file>`), then
//! say which playlist is the stream and when its first frame was filmed; the highlights and clips
//! are the event log's moments placed on that timeline (`shared::cricket::video`).

use super::store;
use crate::{
    d1::{self, num, text},
    http::{header, json, read_json, with_headers, ApiResult, Cx, OrInternal},
    rate_limit,
};
use serde::Deserialize;
use shared::{
    cricket::{
        live::Live,
        video::{check_bytes, clips, file_kind, highlights, FileKind, NewStream, StreamView, MAX_FILES},
    },
    error::ErrorEnvelope,
    rate_limit::RateLimit,
    ApiError, ErrorCode,
};
use std::collections::HashMap;
use worker::{HttpMetadata, Request, Response};

/// Files one scorer may upload in an hour (a segment every two seconds, with room to spare).
const UPLOADS: RateLimit = RateLimit { limit: 2_400, window_secs: 3_600 };

fn key(match_id: &str, file: &str) -> String {
    format!("cricket/{match_id}/stream/{file}")
}

#[derive(Deserialize)]
struct FileRow {
    duration: Option<f64>,
    ended: i64,
}

async fn file_row(db: &worker::D1Database, match_id: &str, name: &str) -> Result<Option<FileRow>, ApiError> {
    d1::first::<FileRow>(
        db,
        "SELECT duration, ended FROM cricket_stream_files WHERE match_id = ?1 AND name = ?2",
        &[text(match_id), text(name)],
    )
    .await
}

/// The body, read a chunk at a time and refused (413) as soon as it passes `max_bytes`, whether or
/// not the client said how long it was.
async fn read_up_to(req: &mut Request, max_bytes: usize) -> Result<Vec<u8>, ApiError> {
    use futures_util::StreamExt;
    let unreadable = || ApiError::new(ErrorCode::BadRequest, "Could not read the body.");
    let mut stream = req.stream().map_err(|_| unreadable())?;
    let mut bytes = Vec::new();
    while let Some(chunk) = stream.next().await {
        bytes.extend_from_slice(&chunk.map_err(|_| unreadable())?);
        if bytes.len() > max_bytes {
            return Err(ApiError::new(
                ErrorCode::PayloadTooLarge,
                format!("This file may be at most {max_bytes} bytes."),
            ));
        }
    }
    Ok(bytes)
}

#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct StoredFile {
    pub name: String,
    pub size: u64,
    /// A playlist's length in seconds.
    pub duration_secs: Option<f64>,
}

/// Uploads one file of the stream (a scorer): an `.m3u8` playlist (up to 256 KB) naming only
/// files of this stream, or a `.ts`, `.m4s` or `.mp4` segment (up to 10 MB). What it is comes from
/// its bytes; a file of the same name is replaced.
#[utoipa::path(put, path = "/api/cricket/matches/{id}/stream/{file}", tag = "cricket",
    params(("id" = String, Path), ("file" = String, Path, description = "e.g. index.m3u8 or seg001.ts")),
    request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    security(("session" = []), ("api_key" = [])),
    responses((status = 201, body = StoredFile), (status = 200, body = StoredFile, description = "Replaced"),
              (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope),
              (status = 409, body = ErrorEnvelope), (status = 413, body = ErrorEnvelope), (status = 415, body = ErrorEnvelope),
              (status = 422, body = ErrorEnvelope), (status = 429, body = ErrorEnvelope)))]
pub async fn upload(req: &mut Request, cx: &Cx, id: &str, file: &str) -> ApiResult {
    let user_id = super::api::scorer(req, cx, id, "upload its stream").await?;
    let kind = file_kind(file)?;
    let too_large = || {
        ApiError::new(
            ErrorCode::PayloadTooLarge,
            format!("This file may be at most {} bytes.", kind.max_bytes()),
        )
    };
    if header(req, "Content-Length")
        .and_then(|v| v.parse::<usize>().ok())
        .is_some_and(|n| n > kind.max_bytes())
    {
        return Err(too_large());
    }
    let db = cx.db()?;
    rate_limit::hit(&db, &format!("cricket-stream:user:{user_id}"), UPLOADS, cx.now_ms).await?;
    let bytes = read_up_to(req, kind.max_bytes()).await?;
    let facts = check_bytes(kind, &bytes)?;
    let replacing = file_row(&db, id, file).await?.is_some();
    if !replacing {
        let files =
            d1::count(&db, "SELECT COUNT(*) AS n FROM cricket_stream_files WHERE match_id = ?1", &[text(id)])
                .await?;
        if files >= i64::from(MAX_FILES) {
            return Err(ApiError::new(
                ErrorCode::Conflict,
                format!("A match's stream holds at most {MAX_FILES} files."),
            ));
        }
    }
    let bucket = cx.env.bucket("MEDIA").internal("MEDIA binding")?;
    let metadata = HttpMetadata { content_type: Some(kind.content_type().to_owned()), ..Default::default() };
    bucket
        .put(key(id, file), bytes.clone())
        .http_metadata(metadata)
        .execute()
        .await
        .internal("storing a stream file")?;
    d1::run(
        &db,
        "INSERT INTO cricket_stream_files (match_id, name, size, duration, ended, uploaded_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (match_id, name) DO UPDATE SET size = excluded.size, duration = excluded.duration,
           ended = excluded.ended, uploaded_at = excluded.uploaded_at",
        &[
            text(id),
            text(file),
            num(bytes.len() as i64),
            facts.as_ref().map_or(wasm_bindgen::JsValue::NULL, |f| wasm_bindgen::JsValue::from_f64(f.duration_secs)),
            num(i64::from(facts.as_ref().is_some_and(|f| f.ended))),
            num(cx.now_ms),
        ],
    )
    .await?;
    let stored = StoredFile {
        name: file.to_owned(),
        size: bytes.len() as u64,
        duration_secs: facts.map(|f| f.duration_secs),
    };
    json(if replacing { 200 } else { 201 }, &stored)
}

/// Names the stream (a scorer): its playlist, uploaded already, and when its first frame was
/// filmed, so each ball finds its place on it.
#[utoipa::path(post, path = "/api/cricket/matches/{id}/stream", tag = "cricket", params(("id" = String, Path)),
    request_body = NewStream, security(("session" = []), ("api_key" = [])),
    responses((status = 200, body = StreamView), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope),
              (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn set_stream(req: &mut Request, cx: &Cx, id: &str) -> ApiResult {
    super::api::scorer(req, cx, id, "name its stream").await?;
    let asked = read_json::<NewStream>(req).await?;
    if file_kind(&asked.playlist).ok() != Some(FileKind::Playlist) {
        return Err(ApiError::invalid("playlist", "The stream is an .m3u8 playlist."));
    }
    let db = cx.db()?;
    if file_row(&db, id, &asked.playlist).await?.is_none() {
        return Err(ApiError::invalid("playlist", "Upload the playlist first."));
    }
    // Within a day either side of now: a clock that far out is a mistake, not a stream.
    let started_at = asked.started_at.unwrap_or(cx.now_ms);
    if started_at.abs_diff(cx.now_ms) > 86_400_000 {
        return Err(ApiError::invalid("started_at", "started_at is unix ms within a day of now."));
    }
    d1::run(
        &db,
        "INSERT INTO cricket_streams (match_id, playlist, started_at, updated_at) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (match_id) DO UPDATE SET playlist = excluded.playlist, started_at = excluded.started_at,
           updated_at = excluded.updated_at",
        &[text(id), text(&asked.playlist), num(started_at), num(cx.now_ms)],
    )
    .await?;
    json(200, &stream_view(cx, id).await?)
}

async fn stream_view(cx: &Cx, id: &str) -> Result<StreamView, ApiError> {
    #[derive(Deserialize)]
    struct StreamRow {
        playlist: String,
        started_at: i64,
    }
    let db = cx.db()?;
    let row = store::match_row(&db, id).await?;
    let stream = d1::first::<StreamRow>(
        &db,
        "SELECT playlist, started_at FROM cricket_streams WHERE match_id = ?1",
        &[text(id)],
    )
    .await?;
    let playlist = match &stream {
        Some(s) => file_row(&db, id, &s.playlist).await?,
        None => None,
    };
    let m = store::load(&db, id).await?;
    let (timed, notes) = if row.source == "live" {
        let timed = store::timed_events(&db, id).await?;
        let events: Vec<_> = timed.iter().map(|(e, _)| e.clone()).collect();
        let notes = Live::restore(m.clone(), &events).notes;
        (timed, notes)
    } else {
        (Vec::new(), HashMap::new())
    };
    let moments = highlights(&m, &notes, &timed, stream.as_ref().map(|s| s.started_at));
    let duration_secs = playlist.as_ref().and_then(|p| p.duration).unwrap_or(0.0);
    Ok(StreamView {
        playlist: stream.as_ref().map(|s| format!("/api/cricket/matches/{id}/stream/{}", s.playlist)),
        started_at: stream.as_ref().map(|s| s.started_at),
        duration_secs,
        ended: playlist.as_ref().is_some_and(|p| p.ended != 0),
        clips: clips(&moments, duration_secs),
        highlights: moments,
    })
}

/// The match's stream (if it has one), its highlights placed on it and the clips around them.
#[utoipa::path(get, path = "/api/cricket/matches/{id}/stream", tag = "cricket", params(("id" = String, Path)),
    responses((status = 200, body = StreamView), (status = 404, body = ErrorEnvelope)))]
pub async fn stream(_req: &mut Request, cx: &Cx, id: &str) -> ApiResult {
    json(200, &stream_view(cx, id).await?)
}

/// One file of the stream, as uploaded: a playlist is never cached (a live one grows), a
/// segment for an hour.
#[utoipa::path(get, path = "/api/cricket/matches/{id}/stream/{file}", tag = "cricket",
    params(("id" = String, Path), ("file" = String, Path)),
    responses((status = 200, description = "The playlist or segment"), (status = 404, body = ErrorEnvelope),
              (status = 422, body = ErrorEnvelope)))]
pub async fn download(_req: &mut Request, cx: &Cx, id: &str, file: &str) -> ApiResult {
    let kind = file_kind(file)?;
    let db = cx.db()?;
    file_row(&db, id, file).await?.ok_or_else(|| ApiError::not_found("No such stream file."))?;
    let bucket = cx.env.bucket("MEDIA").internal("MEDIA binding")?;
    let gone = || ApiError::not_found("No such stream file.");
    let object =
        bucket.get(key(id, file)).execute().await.internal("reading a stream file")?.ok_or_else(gone)?;
    // The length of what R2 holds: a playlist re-uploaded a moment ago may differ from its row.
    let size = object.size();
    let body = object.body().ok_or_else(gone)?.response_body().internal("a stream file's body")?;
    let cache = if kind == FileKind::Playlist { "no-cache" } else { "public, max-age=3600" };
    let response = Response::from_body(body).internal("a stream file's response")?;
    with_headers(
        response,
        &[
            ("Content-Type", kind.content_type().to_owned()),
            ("Content-Length", size.to_string()),
            ("Cache-Control", cache.to_owned()),
        ],
    )
}
