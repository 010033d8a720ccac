//! Speaking HTTP to the worker with the `shared` wire types. Every failure comes back as the
//! same [`ApiError`] the worker sends, so pages show one kind of error.

use gloo_net::http::{Request, RequestBuilder, Response};
use serde::{de::DeserializeOwned, Serialize};
use shared::{error::ErrorEnvelope, ApiError, ErrorCode};

fn unreachable_error() -> ApiError {
    ApiError::new(ErrorCode::Unavailable, "Could not reach Dozen. Check your connection and try again.")
}

async fn into_result(response: Result<Response, gloo_net::Error>) -> Result<Response, ApiError> {
    let response = response.map_err(|_| unreachable_error())?;
    if response.ok() {
        return Ok(response);
    }
    let status = response.status();
    Err(match response.json::<ErrorEnvelope>().await {
        Ok(envelope) => envelope.into(),
        Err(_) => ApiError::new(
            if status >= 500 { ErrorCode::Internal } else { ErrorCode::BadRequest },
            format!("Dozen answered with an unexpected error ({status})."),
        ),
    })
}

async fn send_json<B: Serialize>(builder: RequestBuilder, body: &B) -> Result<Response, ApiError> {
    let request = builder
        .json(body)
        .map_err(|_| ApiError::new(ErrorCode::BadRequest, "Could not encode the request."))?;
    into_result(request.send().await).await
}

async fn decode<T: DeserializeOwned>(response: Response) -> Result<T, ApiError> {
    response.json::<T>().await.map_err(|_| {
        ApiError::new(ErrorCode::Internal, "Dozen sent an answer this page does not understand.")
    })
}

pub async fn get<T: DeserializeOwned>(path: &str) -> Result<T, ApiError> {
    decode(into_result(Request::get(path).send().await).await?).await
}

pub async fn post<B: Serialize, T: DeserializeOwned>(path: &str, body: &B) -> Result<T, ApiError> {
    decode(send_json(Request::post(path), body).await?).await
}

pub async fn patch<B: Serialize, T: DeserializeOwned>(path: &str, body: &B) -> Result<T, ApiError> {
    decode(send_json(Request::patch(path), body).await?).await
}

/// A POST whose answer has no body (204).
pub async fn post_empty(path: &str) -> Result<(), ApiError> {
    into_result(Request::post(path).send().await).await.map(drop)
}

pub async fn delete(path: &str) -> Result<(), ApiError> {
    into_result(Request::delete(path).send().await).await.map(drop)
}
