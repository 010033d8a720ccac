//! Answers of the `/v1` routes: Razorpay's entities as JSON, and Razorpay's error shape.

use crate::http::OrInternal;
use serde::Serialize;
use shared::pay::RazorpayError;
use worker::{Headers, Response};

pub type V1Result = Result<Response, RazorpayError>;

pub fn ok<T: Serialize>(body: &T) -> V1Result {
    Ok(Response::from_json(body).internal("serialising a /v1 answer")?)
}

pub fn error_response(err: &RazorpayError) -> Response {
    let headers = Headers::new();
    let _ = headers.set("Content-Type", "application/json; charset=utf-8");
    for (name, value) in &err.headers {
        let _ = headers.set(name, value);
    }
    Response::ok(err.to_json())
        .map(|r| r.with_status(err.status).with_headers(headers))
        .unwrap_or_else(|_| Response::error("internal error", 500).expect("a plain response"))
}
