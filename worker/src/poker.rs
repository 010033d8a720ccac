//! Poker tables at the edge. So far: the lobby (tables in D1, filtered by game, stakes and free
//! seats), making a table with its rules checked by `shared::poker::table`, play chips, and
//! seats (buying in and cashing out, each one D1 transaction). The tables' Durable Objects (the
//! hand loop on `shared::poker::game`, the clock, the socket) come next.

pub mod seats;
pub mod store;
pub mod tables;
pub mod wallet;

use crate::{
    product::Product,
    router::{delete, get, post},
};
use shared::poker::{
    lobby::{TableList, TableView},
    seat::{SeatChange, SeatView, TakeSeat},
    table::NewTable,
    wallet::WalletView,
};
use utoipa::OpenApi;

pub const PRODUCT: Product = Product {
    name: "poker",
    routes: &[
        get("/api/poker/tables", |req, cx, _| Box::pin(tables::list(req, cx))),
        post("/api/poker/tables", |req, cx, _| Box::pin(tables::create(req, cx))),
        get("/api/poker/tables/{id}", |req, cx, p| Box::pin(tables::get(req, cx, p.get("id")))),
        post("/api/poker/tables/{id}/seats", |req, cx, p| Box::pin(seats::sit(req, cx, p.get("id")))),
        delete("/api/poker/tables/{id}/seats/me", |req, cx, p| Box::pin(seats::leave(req, cx, p.get("id")))),
        get("/api/poker/wallet", |req, cx, _| Box::pin(wallet::get(req, cx))),
    ],
    mounts: &[],
    openapi: PokerApi::openapi,
    jobs: &[],
    consumers: &[],
    demo: None,
};

#[derive(OpenApi)]
#[openapi(
    paths(tables::list, tables::create, tables::get, seats::sit, seats::leave, wallet::get),
    components(schemas(NewTable, TableView, TableList, TakeSeat, SeatView, SeatChange, WalletView)),
    tags((name = "poker", description = "Poker: the lobby, tables and chips"))
)]
struct PokerApi;
