//! `pay_plans`: what a merchant bills and how often.

use super::{merchant_page, notes_json, notes_of};
use crate::d1::{first, num, opt_text, prepare, run_prepared, text};
use serde::Deserialize;
use shared::{
    pay::{
        entity::{unix_seconds, Plan, PlanItem},
        list::ListQuery,
        plan::{NewPlan, Period},
    },
    ApiError,
};
use worker::{D1Database, D1PreparedStatement};

#[derive(Deserialize, Clone)]
pub struct PlanRow {
    pub id: String,
    pub period: Period,
    pub interval: i64,
    pub item_id: String,
    pub item_name: String,
    pub item_description: Option<String>,
    pub amount: i64,
    pub currency: String,
    pub notes: String,
    pub created_at: i64,
}

impl PlanRow {
    pub fn entity(&self) -> Plan {
        let created = unix_seconds(self.created_at);
        Plan {
            id: self.id.clone(),
            entity: "plan".into(),
            interval: self.interval,
            period: self.period,
            item: PlanItem {
                id: self.item_id.clone(),
                active: true,
                name: self.item_name.clone(),
                description: self.item_description.clone(),
                amount: self.amount,
                unit_amount: self.amount,
                currency: self.currency.clone(),
                item_type: "plan".into(),
                created_at: created,
                updated_at: created,
            },
            notes: notes_of(&self.notes),
            created_at: created,
        }
    }
}

pub async fn get(db: &D1Database, merchant_id: &str, id: &str) -> Result<Option<PlanRow>, ApiError> {
    first(db, "SELECT * FROM pay_plans WHERE id = ?1 AND merchant_id = ?2", &[text(id), text(merchant_id)])
        .await
}

pub async fn page(db: &D1Database, merchant_id: &str, query: &ListQuery) -> Result<Vec<PlanRow>, ApiError> {
    merchant_page(db, "pay_plans", merchant_id, query).await
}

pub async fn insert(
    db: &D1Database,
    id: &str,
    item_id: &str,
    merchant_id: &str,
    plan: &NewPlan,
    now_ms: i64,
) -> Result<(), ApiError> {
    run_prepared(insert_statement(db, id, item_id, merchant_id, plan, now_ms)?, "inserting a plan")
        .await
        .map(drop)
}

pub fn insert_statement(
    db: &D1Database,
    id: &str,
    item_id: &str,
    merchant_id: &str,
    plan: &NewPlan,
    now_ms: i64,
) -> Result<D1PreparedStatement, ApiError> {
    prepare(
        db,
        "INSERT INTO pay_plans (id, merchant_id, period, interval, item_id, item_name, item_description, amount, \
         currency, notes, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        &[
            text(id),
            text(merchant_id),
            text(plan.period.as_str()),
            num(plan.interval),
            text(item_id),
            text(&plan.name),
            opt_text(plan.description.as_deref()),
            num(plan.amount),
            text(plan.currency.code),
            text(&notes_json(&plan.notes)),
            num(now_ms),
        ],
    )
}
