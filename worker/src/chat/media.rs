//! `/api/chat/conversations/{id}/media` and `/api/chat/media/{id}`: files shared in chats.
//! The bytes live in R2 (`MEDIA`, under `chat/<conversation>/<media id>`), what they are in D1
//! (`chat_media`). What a file is comes from its bytes (`shared::chat::media`); downloads carry
//! that type, `nosniff`, a sandboxing CSP, and `attachment` for anything that is not a picture,
//! a video or a sound. Only the conversation's members can fetch them; a sound or a video is
//! served in ranges, so players can seek.

use crate::{
    auth::identity,
    chat::{
        conversations::member_of,
        messages::may_post,
        room,
        store::media::{self as store, MediaRow},
    },
    http::{header, internal, json, with_headers, ApiResult, Cx, OrInternal},
    password::random,
    rate_limit,
};
use shared::{
    chat::media::{accept, accept_thumbnail, content_disposition, MediaKind, MediaView, MAX_MEDIA_BYTES},
    error::ErrorEnvelope,
    ids::TimeId,
    rate_limit::RateLimit,
    ApiError, ErrorCode,
};
use worker::{Env, FormEntry, Range, Request, Response};

/// The most a whole upload may be: the file, a thumbnail and the form's own bytes.
const MAX_UPLOAD_BYTES: usize = MAX_MEDIA_BYTES + 256 * 1024;
/// The largest picture side believed from a browser (a larger one is not passed on).
const MAX_SIDE: u32 = 65_535;
/// Uploads per person per hour: plenty for a busy chat, not for filling the bucket.
const UPLOADS: RateLimit = RateLimit { limit: 200, window_secs: 3_600 };
/// How long a send may hold a file before the scheduled job settles it by asking the room.
const HELD_AT_MOST_MS: i64 = 10 * 60_000;
/// How long an upload waits to be sent before it is collected.
const UNSENT_KEPT_MS: i64 = 24 * 3_600_000;

fn too_large() -> ApiError {
    ApiError::new(ErrorCode::PayloadTooLarge, "Files can be at most 25 MB.")
}

/// Uploads a file into a conversation (a multipart form: `file`, and for a picture or a video
/// an optional `thumbnail` with its `width` and `height`). The answer names it; a message then
/// carries it (`media` in the send).
#[utoipa::path(post, path = "/api/chat/conversations/{id}/media", tag = "chat", params(("id" = String, Path)),
    request_body(content = UploadForm, content_type = "multipart/form-data"),
    security(("session" = []), ("api_key" = [])),
    responses((status = 201, body = MediaView),
              (status = 400, body = ErrorEnvelope, description = "A multipart form that can't be read"),
              (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope),
              (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope), (status = 413, body = ErrorEnvelope),
              (status = 415, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn upload(req: &mut Request, cx: &Cx, id: &str) -> ApiResult {
    let me = identity::require(req, cx).await?.user;
    let content_type = header(req, "Content-Type").unwrap_or_default().to_ascii_lowercase();
    if !content_type.starts_with("multipart/form-data") {
        return Err(ApiError::new(
            ErrorCode::UnsupportedMediaType,
            "Send the file as multipart/form-data, in a part named \"file\".",
        ));
    }
    if header(req, "Content-Length")
        .and_then(|v| v.parse::<usize>().ok())
        .is_some_and(|n| n > MAX_UPLOAD_BYTES)
    {
        return Err(too_large());
    }
    let db = cx.db()?;
    let (conversation, members) = member_of(&db, id, &me.id).await?;
    may_post(&db, &conversation, &members, &me.id).await?;
    if conversation.encrypted != 0 {
        // The bytes, their name and type would be readable here: not until the browser seals
        // files too.
        return Err(ApiError::new(
            ErrorCode::Conflict,
            "Files cannot be sent in end-to-end encrypted chats yet.",
        ));
    }
    rate_limit::hit(&db, &format!("chat-media:user:{}", me.id), UPLOADS, cx.now_ms).await?;
    let form = req
        .form_data()
        .await
        .map_err(|_| ApiError::new(ErrorCode::BadRequest, "Could not read the multipart form."))?;
    let Some(FormEntry::File(file)) = form.get("file") else {
        return Err(ApiError::invalid("file", "Attach the file in a part named \"file\"."));
    };
    if file.size() > MAX_MEDIA_BYTES {
        return Err(too_large());
    }
    let bytes = file.bytes().await.internal("reading an upload")?;
    let accepted = accept(&bytes, &file.type_(), &file.name())?;
    let thumbnail = match form.get("thumbnail") {
        None => None,
        Some(_) if !matches!(accepted.kind, MediaKind::Image | MediaKind::Video) => {
            return Err(ApiError::invalid("thumbnail", "Only pictures and videos have thumbnails."));
        }
        Some(FormEntry::File(thumb)) => {
            let thumb = thumb.bytes().await.internal("reading a thumbnail")?;
            let thumb_type = accept_thumbnail(&thumb)?;
            Some((thumb, thumb_type))
        }
        Some(FormEntry::Field(_)) => {
            return Err(ApiError::invalid("thumbnail", "The thumbnail must be a file."))
        }
    };
    let side = |name: &str| -> Result<Option<u32>, ApiError> {
        match form.get(name) {
            None => Ok(None),
            Some(FormEntry::Field(text)) => match text.trim().parse::<u64>() {
                Ok(n) if (1..=u64::from(MAX_SIDE)).contains(&n) => Ok(u32::try_from(n).ok()),
                Ok(n) if n > 0 => Ok(None), // A measurement past belief: the file goes without it.
                _ => Err(ApiError::invalid(name, "A whole number of pixels, 1 or more.")),
            },
            Some(FormEntry::File(_)) => Err(ApiError::invalid(name, "A number, not a file.")),
        }
    };
    let (width, height) = (side("width")?, side("height")?);
    let media_id = format!("m{}", TimeId::new(cx.now_ms, random::<10>()?));
    let row = MediaRow {
        id: media_id,
        conversation_id: conversation.id.clone(),
        uploader_id: me.id.clone(),
        kind: accepted.kind.as_str().to_owned(),
        content_type: accepted.content_type.to_owned(),
        name: accepted.name,
        size: bytes.len() as i64,
        width: width.map(i64::from),
        height: height.map(i64::from),
        thumbnail_type: thumbnail.as_ref().map(|(_, t)| (*t).to_owned()),
        created_at: cx.now_ms,
        seq: None,
        held_for: None,
    };
    // The bytes first: a row never names a file that is not there.
    let bucket = cx.env.bucket("MEDIA").internal("MEDIA binding")?;
    bucket.put(row.key(), bytes).execute().await.internal("storing a chat file")?;
    let stored = async {
        if let Some((thumb, _)) = thumbnail {
            bucket.put(row.thumbnail_key(), thumb).execute().await.internal("storing a thumbnail")?;
        }
        store::insert(&db, &row).await
    };
    if let Err(err) = stored.await {
        // Nothing names the bytes: take them back out (what cannot be, the collection can't
        // find either, so say so in the log).
        for key in [row.key(), row.thumbnail_key()] {
            if let Err(cleanup) = bucket.delete(key.clone()).await {
                let _ = internal(&format!("removing {key} after a failed upload"), cleanup);
            }
        }
        return Err(err);
    }
    json(201, &row.view())
}

/// Collects uploads nobody sent within a day, out of D1 and R2: the scheduled job.
pub async fn collect_unsent(env: &Env, now_ms: i64) -> Result<usize, ApiError> {
    let db = env.d1("DB").internal("D1 binding")?;
    let bucket = env.bucket("MEDIA").internal("MEDIA binding")?;
    // A send that ended between the room and D1 left its file held: the room says whether
    // the message went out with it.
    // One room that fails is tried again next time; the others go on.
    for row in store::held_before(&db, now_ms - HELD_AT_MOST_MS, 100).await? {
        match went_out(env, &row).await {
            Ok(Some(seq)) => store::attach(&db, &row.id, seq).await?,
            Ok(None) => store::release(&db, &row.id).await?,
            Err(err) => {
                let _ = internal("settling a held chat file", err);
            }
        }
    }
    let mut collected = 0;
    for row in store::unsent_before(&db, now_ms - UNSENT_KEPT_MS, 100).await? {
        // A send whose answer from the room was lost released a file its message carries.
        match went_out(env, &row).await {
            Ok(None) => {}
            Ok(Some(seq)) => {
                store::attach(&db, &row.id, seq).await?;
                continue;
            }
            Err(err) => {
                let _ = internal("asking a room about an unsent chat file", err);
                continue;
            }
        }
        // The row goes first, and only if still unsent: a send that takes the file meanwhile
        // keeps it, bytes and all.
        if !store::remove_unsent(&db, &row.id).await? {
            continue;
        }
        bucket.delete(row.key()).await.internal("collecting an unsent file")?;
        bucket.delete(row.thumbnail_key()).await.internal("collecting an unsent thumbnail")?;
        collected += 1;
    }
    Ok(collected)
}

/// The seq of the message a send held this file for, if the room has it and it carries the
/// file (not deleted for everyone since).
async fn went_out(env: &Env, row: &MediaRow) -> Result<Option<u64>, ApiError> {
    let Some(client_id) = row.held_for.as_deref() else { return Ok(None) };
    let found = room::find(env, &row.conversation_id, &row.uploader_id, client_id).await?;
    Ok(found.filter(|m| m.media.as_ref().is_some_and(|f| f.id == row.id)).map(|m| m.seq))
}

/// The form `upload` reads (for the API document).
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub struct UploadForm {
    /// The file, up to 25 MB; what it is comes from its content.
    #[schema(format = Binary, value_type = String)]
    file: Vec<u8>,
    /// A small JPEG, PNG or WebP of a picture or video (≤ 128 KB).
    #[schema(format = Binary, value_type = Option<String>)]
    thumbnail: Option<Vec<u8>>,
    width: Option<u32>,
    height: Option<u32>,
}

/// A file shared in one of the caller's conversations, as stored.
#[utoipa::path(get, path = "/api/chat/media/{id}", tag = "chat", params(("id" = String, Path)),
    security(("session" = []), ("api_key" = [])),
    responses((status = 200, description = "The file, its type from its content"), (status = 206, description = "A range of it"),
              (status = 401, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 416, body = ErrorEnvelope)))]
pub async fn download(req: &mut Request, cx: &Cx, id: &str) -> ApiResult {
    let row = find(req, cx, id).await?;
    let size = u64::try_from(row.size).unwrap_or(0);
    let range = match header(req, "Range") {
        None => None,
        Some(value) => requested_range(&value, size)?,
    };
    let bucket = cx.env.bucket("MEDIA").internal("MEDIA binding")?;
    let mut get = bucket.get(row.key());
    if let Some((start, end)) = range {
        get = get.range(Range::OffsetWithLength { offset: start, length: end - start + 1 });
    }
    let object = get.execute().await.internal("reading a chat file")?.ok_or_else(gone)?;
    let body = object.body().ok_or_else(gone)?.response_body().internal("a chat file's body")?;
    let kind = MediaKind::parse(&row.kind);
    let mut headers = vec![
        ("Content-Type", row.content_type.clone()),
        ("Content-Disposition", content_disposition(kind, &row.name)),
        ("Accept-Ranges", "bytes".to_owned()),
    ];
    let status = match range {
        Some((start, end)) => {
            headers.push(("Content-Range", format!("bytes {start}-{end}/{size}")));
            headers.push(("Content-Length", (end - start + 1).to_string()));
            206
        }
        None => {
            headers.push(("Content-Length", size.to_string()));
            200
        }
    };
    let response = Response::from_body(body).internal("a chat file's response")?.with_status(status);
    with_headers(response, &[&headers[..], &safe_headers()].concat())
}

/// A picture's or video's thumbnail (404 when it has none).
#[utoipa::path(get, path = "/api/chat/media/{id}/thumbnail", tag = "chat", params(("id" = String, Path)),
    security(("session" = []), ("api_key" = [])),
    responses((status = 200, description = "A small JPEG, PNG or WebP"), (status = 401, body = ErrorEnvelope),
              (status = 404, body = ErrorEnvelope)))]
pub async fn thumbnail(req: &mut Request, cx: &Cx, id: &str) -> ApiResult {
    let row = find(req, cx, id).await?;
    let thumbnail_type =
        row.thumbnail_type.clone().ok_or_else(|| ApiError::not_found("This file has no thumbnail."))?;
    let bucket = cx.env.bucket("MEDIA").internal("MEDIA binding")?;
    let object =
        bucket.get(row.thumbnail_key()).execute().await.internal("reading a thumbnail")?.ok_or_else(gone)?;
    let body = object.body().ok_or_else(gone)?.response_body().internal("a thumbnail's body")?;
    let response = Response::from_body(body).internal("a thumbnail's response")?;
    with_headers(response, &[&[("Content-Type", thumbnail_type)][..], &safe_headers()].concat())
}

/// A file's row, for a member of its conversation (404 for anyone else: not theirs to know of).
async fn find(req: &Request, cx: &Cx, id: &str) -> Result<MediaRow, ApiError> {
    let me = identity::require(req, cx).await?.user;
    store::for_member(&cx.db()?, id, &me.id).await?.ok_or_else(|| ApiError::not_found("No such file."))
}

fn gone() -> ApiError {
    ApiError::not_found("This file is no longer stored.")
}

/// What every download carries: never sniffed into something else, never run as a page, kept
/// by the browser (a file never changes under its id) but by no shared cache.
fn safe_headers() -> [(&'static str, String); 3] {
    [
        ("X-Content-Type-Options", "nosniff".to_owned()),
        (
            "Content-Security-Policy",
            "default-src 'none'; media-src 'self'; img-src 'self'; sandbox".to_owned(),
        ),
        ("Cache-Control", "private, max-age=31536000, immutable".to_owned()),
    ]
}

/// The one byte range a `Range` header asks for, as (first, last) inclusive; `None` to send the
/// whole file (a form this does not serve, such as several ranges, is answered whole as RFC 9110
/// allows); 416 when it lies beyond the end.
fn requested_range(value: &str, size: u64) -> Result<Option<(u64, u64)>, ApiError> {
    let Some(spec) = value.trim().strip_prefix("bytes=") else { return Ok(None) };
    if spec.contains(',') || size == 0 {
        return Ok(None);
    }
    let Some((first, last)) = spec.split_once('-') else { return Ok(None) };
    let (first, last) = (first.trim(), last.trim());
    let unsatisfiable = || ApiError {
        headers: vec![("Content-Range".to_owned(), format!("bytes */{size}"))],
        ..ApiError::new(ErrorCode::RangeNotSatisfiable, format!("The file is {size} bytes."))
    };
    let range = match (first.parse::<u64>().ok(), last.parse::<u64>().ok()) {
        (Some(first), _) if first >= size => return Err(unsatisfiable()),
        (Some(first), Some(last)) if last >= first => (first, last.min(size - 1)),
        (Some(first), None) if last.is_empty() => (first, size - 1),
        (None, Some(suffix)) if first.is_empty() && suffix > 0 => (size.saturating_sub(suffix), size - 1),
        (None, Some(_)) if first.is_empty() => return Err(unsatisfiable()),
        _ => return Ok(None),
    };
    Ok(Some(range))
}

#[cfg(test)]
mod tests {
    use super::requested_range;

    #[test]
    fn ranges_as_rfc_9110_reads_them() {
        assert_eq!(requested_range("bytes=0-99", 1000).unwrap(), Some((0, 99)));
        assert_eq!(requested_range("bytes=900-", 1000).unwrap(), Some((900, 999)));
        assert_eq!(requested_range("bytes=-100", 1000).unwrap(), Some((900, 999)));
        assert_eq!(requested_range("bytes=-5000", 1000).unwrap(), Some((0, 999)));
        assert_eq!(requested_range("bytes=500-5000", 1000).unwrap(), Some((500, 999)));
        assert_eq!(requested_range("bytes=0-1,5-6", 1000).unwrap(), None, "several ranges: the whole file");
        assert_eq!(requested_range("items=0-1", 1000).unwrap(), None);
        assert_eq!(requested_range("bytes=9-3", 1000).unwrap(), None);
        assert!(requested_range("bytes=1000-", 1000).is_err());
        assert!(requested_range("bytes=-0", 1000).is_err());
    }
}
