//! Sending a file: a picture gets a small JPEG thumbnail and its size in pixels, drawn here
//! in the browser (the server never decodes pictures); then the file goes up as a multipart
//! form (`POST /api/chat/conversations/{id}/media`) and comes back as the `MediaView` a message
//! carries. What the file is, the server decides from its bytes.

use app_ui::nav::encode;
use shared::{
    chat::media::{MediaView, MAX_MEDIA_BYTES},
    error::ErrorEnvelope,
    ApiError, ErrorCode,
};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    Blob, BlobPropertyBag, CanvasRenderingContext2d, File, FormData, HtmlCanvasElement, HtmlImageElement, Url,
};

/// The longest side of a thumbnail, in pixels.
const THUMBNAIL_SIDE: f64 = 320.0;

fn failed(message: impl Into<String>) -> ApiError {
    ApiError::new(ErrorCode::BadRequest, message)
}

/// A picture's thumbnail (JPEG) and its width and height; `None` when the browser cannot
/// decode it (the file is still sent, without one).
async fn thumbnail(file: &File) -> Option<(Blob, u32, u32)> {
    let url = Url::create_object_url_with_blob(file).ok()?;
    let image = HtmlImageElement::new().ok()?;
    image.set_src(&url);
    let decoded = JsFuture::from(image.decode()).await;
    let _ = Url::revoke_object_url(&url);
    decoded.ok()?;
    let (width, height) = (image.natural_width(), image.natural_height());
    if width == 0 || height == 0 {
        return None;
    }
    let scale = (THUMBNAIL_SIDE / f64::from(width.max(height))).min(1.0);
    let (w, h) = ((f64::from(width) * scale).round().max(1.0), (f64::from(height) * scale).round().max(1.0));
    let canvas: HtmlCanvasElement =
        web_sys::window()?.document()?.create_element("canvas").ok()?.dyn_into().ok()?;
    canvas.set_width(w as u32);
    canvas.set_height(h as u32);
    let context: CanvasRenderingContext2d = canvas.get_context("2d").ok()??.dyn_into().ok()?;
    context.draw_image_with_html_image_element_and_dw_and_dh(&image, 0.0, 0.0, w, h).ok()?;
    let data_url =
        canvas.to_data_url_with_type_and_encoder_options("image/jpeg", &JsValue::from_f64(0.75)).ok()?;
    let base64 = data_url.split_once(',')?.1;
    let binary = web_sys::window()?.atob(base64).ok()?;
    let bytes: Vec<u8> = binary.chars().map(|c| c as u8).collect();
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes.as_slice()));
    let options = BlobPropertyBag::new();
    options.set_type("image/jpeg");
    let blob = Blob::new_with_u8_array_sequence_and_options(&parts, &options).ok()?;
    Some((blob, width, height))
}

/// Uploads `file` into conversation `id`.
pub async fn upload(id: &str, file: File) -> Result<MediaView, ApiError> {
    if file.size() > MAX_MEDIA_BYTES as f64 {
        return Err(ApiError::new(ErrorCode::PayloadTooLarge, "Files can be at most 25 MB."));
    }
    let form = FormData::new().map_err(|_| failed("This browser cannot send files."))?;
    form.append_with_blob_and_filename("file", &file, &file.name())
        .map_err(|_| failed("Could not read the file."))?;
    if file.type_().starts_with("image/") {
        if let Some((thumb, width, height)) = thumbnail(&file).await {
            let _ = form.append_with_blob_and_filename("thumbnail", &thumb, "thumbnail.jpg");
            let _ = form.append_with_str("width", &width.to_string());
            let _ = form.append_with_str("height", &height.to_string());
        }
    }
    let unreachable = || {
        ApiError::new(ErrorCode::Unavailable, "Could not reach Chat. Check your connection and try again.")
    };
    let response = gloo_net::http::Request::post(&format!("/api/chat/conversations/{}/media", encode(id)))
        .body(JsValue::from(form))
        .map_err(|_| failed("Could not send the file."))?
        .send()
        .await
        .map_err(|_| unreachable())?;
    let text = response.text().await.map_err(|_| unreachable())?;
    if response.ok() {
        return serde_json::from_str(&text)
            .map_err(|_| failed("Chat sent an answer this page does not understand."));
    }
    Err(serde_json::from_str::<ErrorEnvelope>(&text)
        .map(ApiError::from)
        .unwrap_or_else(|_| failed(format!("The upload failed ({}).", response.status()))))
}

/// `1.2 MB`, `340 KB`, `12 bytes`.
pub fn size_text(bytes: u64) -> String {
    match bytes {
        0..=999 => format!("{bytes} bytes"),
        1_000..=999_999 => format!("{} KB", bytes / 1_000),
        // Whole tenths, rounded, without float formatting (which costs the bundle ~5 KB).
        _ => {
            let tenths = (bytes + 50_000) / 100_000;
            format!("{}.{} MB", tenths / 10, tenths % 10)
        }
    }
}
