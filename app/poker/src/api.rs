//! `/api/poker` from the browser.

use app_ui::{
    api,
    nav::{encode, query},
};
use shared::{
    poker::{
        lobby::{TableList, TableView},
        money::{DepositView, NewDeposit, NewWithdrawal, WithdrawalView},
        profile::PlayerProfile,
        seat::{SeatChange, TakeSeat},
        signals::CollusionSignals,
        table::NewTable,
        wallet::WalletView,
        wire::HandView,
    },
    ApiError,
};

pub async fn tables(game: &str, format: &str, free: bool) -> Result<TableList, ApiError> {
    let mut pairs = vec![("limit", "50")];
    if !game.is_empty() {
        pairs.push(("game", game));
    }
    if !format.is_empty() {
        pairs.push(("format", format));
    }
    if free {
        pairs.push(("free", "true"));
    }
    api::get(&format!("/api/poker/tables?{}", query(&pairs))).await
}

pub async fn create(table: &NewTable) -> Result<TableView, ApiError> {
    api::post("/api/poker/tables", table).await
}

pub async fn table(id: &str) -> Result<TableView, ApiError> {
    api::get(&format!("/api/poker/tables/{}", encode(id))).await
}

pub async fn sit(id: &str, seat: &TakeSeat) -> Result<SeatChange, ApiError> {
    api::post(&format!("/api/poker/tables/{}/seats", encode(id)), seat).await
}

pub async fn leave(id: &str) -> Result<(), ApiError> {
    api::delete(&format!("/api/poker/tables/{}/seats/me", encode(id))).await
}

pub async fn wallet() -> Result<WalletView, ApiError> {
    api::get("/api/poker/wallet").await
}

pub async fn deposit(asked: &NewDeposit) -> Result<DepositView, ApiError> {
    api::post("/api/poker/wallet/deposits", asked).await
}

pub async fn withdraw(asked: &NewWithdrawal) -> Result<WithdrawalView, ApiError> {
    api::post("/api/poker/wallet/withdrawals", asked).await
}

pub async fn signals(player: &str) -> Result<CollusionSignals, ApiError> {
    if player.is_empty() {
        api::get("/api/poker/admin/signals").await
    } else {
        api::get(&format!("/api/poker/admin/signals?{}", query(&[("player", player)]))).await
    }
}

pub async fn player(username: &str) -> Result<PlayerProfile, ApiError> {
    api::get(&format!("/api/poker/players/{}/stats", encode(username))).await
}

pub async fn hand(id: &str) -> Result<HandView, ApiError> {
    api::get(&format!("/api/poker/hands/{}", encode(id))).await
}
