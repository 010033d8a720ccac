//! Asking a Durable Object from the worker: a JSON request to one object of a binding, its JSON
//! answer, or the error it answered (with its Retry-After) as the worker's own `ApiError`. Chat's
//! rooms, poker's tables and lockers' banks are all asked this way.

use crate::http::OrInternal;
use serde::{de::DeserializeOwned, Serialize};
use shared::{error::ErrorEnvelope, ApiError};
use worker::{Env, Headers, Method, Request, RequestInit, Response};

/// POSTs `body` to `path` of the object named `name` in `binding`.
pub async fn ask<Q: Serialize, A: DeserializeOwned>(
    env: &Env,
    binding: &str,
    name: &str,
    path: &str,
    body: &Q,
) -> Result<A, ApiError> {
    let namespace = env.durable_object(binding).internal(binding)?;
    let stub = namespace.id_from_name(name).and_then(|id| id.get_stub()).internal(binding)?;
    let mut init = RequestInit::new();
    init.with_method(Method::Post)
        .with_body(Some(serde_json::to_string(body).internal("encoding a request to an object")?.into()));
    let request =
        Request::new_with_init(&format!("https://object{path}"), &init).internal("an object's request")?;
    let mut response = stub.fetch_with_request(request).await.internal(binding)?;
    if response.status_code() == 200 {
        return response.json::<A>().await.internal("reading an object's answer");
    }
    // A throttled object says when to come back in its Retry-After, passed on.
    let retry_after_secs =
        response.headers().get("Retry-After").ok().flatten().and_then(|secs| secs.parse::<u32>().ok());
    let envelope = response.json::<ErrorEnvelope>().await.internal("reading an object's refusal")?;
    Err(ApiError { retry_after_secs, ..ApiError::from(envelope) })
}

/// Passes a WebSocket upgrade on to `/connect` of the object named `name` in `binding`: the
/// client's headers (without any of `internal`'s names, which only the worker sets) and then
/// `internal`'s values, which tell the object who is connecting to what.
pub async fn connect(
    env: &Env,
    binding: &str,
    name: &str,
    req: &Request,
    internal: &[(&str, &str)],
) -> Result<Response, ApiError> {
    let headers = Headers::new();
    for (header, value) in req.headers().entries() {
        if !internal.iter().any(|(own, _)| header.eq_ignore_ascii_case(own)) {
            let _ = headers.append(&header, &value);
        }
    }
    for (header, value) in internal {
        headers.set(header, value).internal("socket headers")?;
    }
    let mut init = RequestInit::new();
    init.with_method(Method::Get).with_headers(headers);
    let request = Request::new_with_init("https://object/connect", &init).internal("socket request")?;
    let namespace = env.durable_object(binding).internal(binding)?;
    let stub = namespace.id_from_name(name).and_then(|id| id.get_stub()).internal(binding)?;
    stub.fetch_with_request(request).await.internal("opening an object's socket")
}
