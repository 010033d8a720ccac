//! Demo data for `make dev`: every product's seeder (`Product::demo`), in the order of the list,
//! each once per state folder (`demo_seeds`). Only a local worker (DOZEN_LOCAL) answers
//! `POST /api/demo`; `scripts/dev.sh` calls it once the server is up. Production never seeds.

use crate::{
    d1::{num, run, text},
    http::{error_response, json, method_not_allowed, Cx},
    products::PRODUCTS,
};
use serde::Serialize;
use std::collections::BTreeMap;
use worker::{console_error, console_log, Method, Request, Response};

pub const LOCAL_PATH: &str = "/api/demo";

#[derive(Serialize, Default)]
pub struct Seeded {
    /// Rows written, per product seeded by this call.
    pub seeded: BTreeMap<&'static str, usize>,
    /// Products whose demo data was already there.
    pub already: Vec<&'static str>,
}

/// Runs every product's seeder that has not run yet. A product is claimed before its seeder runs
/// (so two calls never seed it twice) and released again if the seeder fails, stopping there:
/// later products seed into what earlier ones made (the account first).
pub async fn seed_all(cx: &Cx) -> Result<Seeded, shared::ApiError> {
    let (db, now_ms) = (cx.db()?, cx.now_ms);
    let mut report = Seeded::default();
    for product in PRODUCTS {
        let Some(seed) = product.demo else { continue };
        let claimed = run(
            &db,
            "INSERT OR IGNORE INTO demo_seeds (product, seeded_at) VALUES (?1, ?2)",
            &[text(product.name), num(now_ms)],
        )
        .await?;
        if claimed == 0 {
            report.already.push(product.name);
            continue;
        }
        let started = crate::platform::now_ms();
        match seed(cx).await {
            Ok(rows) => {
                let took = crate::platform::now_ms() - started;
                console_log!("demo data of {}: {rows} rows in {took} ms", product.name);
                report.seeded.insert(product.name, rows);
            }
            Err(err) => {
                run(&db, "DELETE FROM demo_seeds WHERE product = ?1", &[text(product.name)]).await?;
                return Err(crate::http::internal(&format!("seeding {}'s demo data", product.name), err));
            }
        }
    }
    Ok(report)
}

/// `POST /api/demo` under `wrangler dev`: what was seeded now and what already was.
pub async fn run_locally(req: &Request, cx: &Cx) -> Response {
    if req.method() != Method::Post {
        return error_response(&method_not_allowed(&req.method(), &[Method::Post]));
    }
    let answer = match seed_all(cx).await {
        Ok(report) => json(200, &report),
        Err(err) => {
            console_error!("demo data not loaded: {}", err.message);
            Err(err)
        }
    };
    answer.unwrap_or_else(|err| error_response(&err))
}
