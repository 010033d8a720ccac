//! Poker tables at the edge: the lobby (tables in D1, filtered by game, stakes and free seats),
//! making a table with its rules checked by `shared::poker::table`, play chips, seats (buying in
//! and cashing out, each one D1 transaction), and one Durable Object per table (`room`) that
//! plays its hands on `shared::poker::play` over a socket and writes each to D1 (`hands`), and
//! rupees in and out of the wallet through Pay (`money`).

pub mod admin;
pub mod hands;
pub mod money;
pub mod players;
pub mod room;
pub mod seats;
pub mod socket;
pub mod store;
pub mod tables;
pub mod wallet;

use crate::{
    product::Product,
    router::{delete, get, post},
};
use shared::poker::{
    lobby::{TableList, TableView},
    money::{Chips, DepositStatus, DepositView, NewDeposit, NewWithdrawal, WithdrawalView},
    profile::{NetPoint, PlayerProfile},
    seat::{SeatChange, SeatView, TakeSeat},
    signals::{ChipFlow, CollusionSignals, FrequentPair, SharedConnection, SoftPlay},
    sit_and_go::{Finish, NewSitAndGo, SitAndGoView},
    table::NewTable,
    wallet::WalletView,
    wire::HandView,
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
        get("/api/poker/tables/{id}/socket", |req, cx, p| Box::pin(socket::open(req, cx, p.get("id")))),
        get("/api/poker/hands/{id}", |req, cx, p| Box::pin(hands::get(req, cx, p.get("id")))),
        get("/api/poker/players/{username}/stats", |req, cx, p| {
            Box::pin(players::stats(req, cx, p.get("username")))
        }),
        get("/api/poker/wallet", |req, cx, _| Box::pin(wallet::get(req, cx))),
        post("/api/poker/wallet/deposits", |req, cx, _| Box::pin(money::deposit(req, cx))),
        post("/api/poker/wallet/withdrawals", |req, cx, _| Box::pin(money::withdraw(req, cx))),
        get("/api/poker/admin/signals", |req, cx, _| Box::pin(admin::signals(req, cx))),
    ],
    mounts: &[],
    openapi: PokerApi::openapi,
    jobs: &[],
    consumers: &[],
    demo: None,
};

#[derive(OpenApi)]
#[openapi(
    paths(tables::list, tables::create, tables::get, seats::sit, seats::leave, socket::open, hands::get, players::stats, wallet::get,
          money::deposit, money::withdraw, admin::signals),
    components(schemas(NewTable, TableView, TableList, TakeSeat, SeatView, SeatChange, WalletView, PlayerProfile, NetPoint, HandView,
                       Chips, NewDeposit, DepositView, DepositStatus, NewWithdrawal, WithdrawalView,
                       CollusionSignals, SharedConnection, FrequentPair, ChipFlow, SoftPlay, NewSitAndGo, SitAndGoView, Finish)),
    tags((name = "poker", description = "Poker: the lobby, tables and chips"))
)]
struct PokerApi;
