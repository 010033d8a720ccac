//! What a product registers with the platform, once, in `products::PRODUCTS`: its endpoints,
//! its part of the OpenAPI document and its scheduled jobs. The router, `/api/openapi.json` and
//! the Cron Trigger read nothing else, so a new product is a folder and one line in that list.

use crate::{
    http::Cx,
    router::{BoxFuture, Route},
};
use worker::{Env, MessageBatch, Method, Request, Response};

pub struct Product {
    /// Its name in logs.
    pub name: &'static str,
    /// Its JSON endpoints (under `/api`, and any it keeps at the root, such as Links' `/shorten`).
    /// They share the platform's conventions: the project's error shape, HEAD as GET, 405 with
    /// `Allow`, the cross-site refusal and `Idempotency-Key`.
    pub routes: &'static [Route],
    /// Path prefixes it answers with a dispatcher of its own (Pay's Razorpay-compatible `/v1`).
    pub mounts: &'static [Mount],
    /// Its operations, schemas and tags in the OpenAPI document (a `#[derive(OpenApi)]`).
    pub openapi: fn() -> utoipa::openapi::OpenApi,
    /// Time-driven work, run by the Cron Trigger (every minute) in this order.
    pub jobs: &'static [Job],
    /// The queues it consumes (wrangler.toml `[[queues.consumers]]`), each with its handler.
    pub consumers: &'static [Consumer],
    /// Fills the demo account with real-looking data for `make dev` (never in production), once.
    pub demo: Option<Seeder>,
}

/// A path prefix whose requests a product answers itself, because they follow another API's
/// conventions (its own authentication and error shape).
pub struct Mount {
    /// `/v1` takes `/v1` and everything under `/v1/`.
    pub prefix: &'static str,
    pub dispatch: for<'a> fn(&'a mut Request, &'a Cx, &'a str) -> BoxFuture<'a, Response>,
    /// The schema (in the OpenAPI components) of its error bodies, which the shared error
    /// responses of its operations refer to.
    pub error_schema: &'static str,
    /// (method, path pattern) of each operation it documents, so a test can hold the document
    /// to what it routes.
    #[cfg_attr(not(test), allow(dead_code))]
    pub documented_routes: fn() -> Vec<(Method, &'static str)>,
}

impl Mount {
    pub fn owns(&self, path: &str) -> bool {
        path.strip_prefix(self.prefix).is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
    }
}

/// One piece of scheduled work: given the trigger's time, how many things it did.
pub struct Job {
    /// What it did, for the log ("released uncaptured payments: 3").
    pub name: &'static str,
    pub run: for<'a> fn(&'a Env, i64) -> BoxFuture<'a, JobResult>,
}

/// A queue's consumer. It acks or retries each message itself and never fails as a whole:
/// an error returned from the Worker's queue handler panics inside workers-rs, which resets
/// the isolate (and every cache in it) and redelivers the whole batch.
pub struct Consumer {
    /// The queue's name, as `[[queues.consumers]] queue` in wrangler.toml.
    pub queue: &'static str,
    pub run: for<'a> fn(&'a MessageBatch<String>, &'a Env) -> BoxFuture<'a, ()>,
}

pub type JobResult = Result<usize, Box<dyn std::error::Error>>;

/// A product's demo data: given the seeding request (its time, and its origin for the short
/// links some products make), it writes what the demo account sees, drawing from
/// `shared::demo::DemoRng::for_product`, and says how many rows it wrote.
pub type Seeder = for<'a> fn(&'a Cx) -> BoxFuture<'a, JobResult>;
