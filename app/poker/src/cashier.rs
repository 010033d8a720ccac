//! `/poker/wallet`, the cashier (its own bundle, `poker-wallet`): the rupees in the wallet, a
//! deposit (paid at Pay's hosted checkout, which brings the player back here; the wallet is
//! credited when Pay captures the payment), a withdrawal to a UPI ID (a Pay payout), and the
//! latest of each.

use crate::api;
use crate::rupees::{inr, paise};
use app_ui::session::use_session;
use app_ui::{
    components::{on_answer, FormError, FormErrors, Load, PageHead},
    nav::load_page,
};
use leptos::prelude::*;
use shared::{
    poker::{
        money::{DepositStatus, DepositView, NewDeposit, NewWithdrawal, WithdrawalView},
        wallet::WalletView,
    },
    ApiError,
};

#[component]
pub fn CashierPage() -> impl IntoView {
    let session = use_session();
    let wallet = LocalResource::new(api::wallet);
    // Kept here: the wallet is read again after a withdrawal, which builds the cashier anew.
    let sent = RwSignal::new(None::<WithdrawalView>);
    view! {
        <div class="stack wide poker">
            <p><a href="/poker" rel="external">"← Poker tables"</a></p>
            <PageHead path="/poker/wallet" />
            <Show when=move || session.user.get().is_some()
                fallback=move || session.checked.get().then(|| view! {
                    <p class="panel muted"><a href="/signin?next=/poker/wallet" rel="external">"Sign in"</a>" to deposit or withdraw."</p>
                })>
                <Load loading="Loading your wallet…" retry=Callback::new(move |_| wallet.refetch())>
                    {move || wallet.get().map(|w| w.map(|now| view! {
                        <Cashier wallet=now sent on_change=Callback::new(move |_| wallet.refetch()) />
                    }))}
                </Load>
            </Show>
        </div>
    }
}

#[component]
fn Cashier(
    wallet: WalletView,
    /// The last withdrawal's confirmation, which outlives this cashier.
    sent: RwSignal<Option<WithdrawalView>>,
    on_change: Callback<()>,
) -> impl IntoView {
    let amount = RwSignal::new(String::new());
    let out_amount = RwSignal::new(String::new());
    let vpa = RwSignal::new(String::new());
    let deposit_errors = FormErrors::new(&["amount"]);
    let withdraw_errors = FormErrors::new(&["amount", "vpa"]);
    let deposit = Action::new_unsync(|asked: &NewDeposit| {
        let asked = asked.clone();
        async move { api::deposit(&asked).await }
    });
    // Paid at Pay's checkout (another bundle), which returns to the lobby.
    on_answer(
        deposit,
        |d: DepositView| load_page(&d.checkout_url),
        move |err: ApiError| deposit_errors.show(err),
    );
    let withdraw = Action::new_unsync(|asked: &NewWithdrawal| {
        let asked = asked.clone();
        async move { api::withdraw(&asked).await }
    });
    on_answer(
        withdraw,
        move |w: WithdrawalView| {
            sent.set(Some(w));
            out_amount.set(String::new());
            on_change.run(());
        },
        move |err: ApiError| withdraw_errors.show(err),
    );
    let unreadable = |errors: FormErrors| {
        errors.show(ApiError::invalid("amount", "Give an amount in rupees, such as 500 or 1,250.50."))
    };
    let start_deposit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        deposit_errors.clear();
        match paise(&amount.get_untracked()) {
            Some(amount) => {
                deposit.dispatch(NewDeposit { amount });
            }
            None => unreadable(deposit_errors),
        }
    };
    let start_withdrawal = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        withdraw_errors.clear();
        sent.set(None);
        match paise(&out_amount.get_untracked()) {
            Some(amount) => {
                withdraw.dispatch(NewWithdrawal { amount, vpa: vpa.get_untracked() });
            }
            None => unreadable(withdraw_errors),
        }
    };
    let field_error = |errors: FormErrors, name: &'static str| {
        move || errors.field(name).get().map(|m| view! { <p class="field-error">{m}</p> })
    };
    view! {
        <section class="panel cashier" aria-labelledby="cashier-title">
            <div class="row spread">
                <h2 id="cashier-title">"Rupees"</h2>
                <p class="chips" data-testid="rupees">{inr(wallet.inr_paise)}
                    {(wallet.inr_at_tables > 0).then(|| format!(" · {} at tables", inr(wallet.inr_at_tables)))}</p>
            </div>
            <div class="cashier-forms">
                <form on:submit=start_deposit novalidate aria-label="Deposit rupees">
                    <FormError errors=deposit_errors />
                    <label for="deposit-amount">"Deposit (₹100 to ₹50,000)"</label>
                    <div class="row">
                        <input id="deposit-amount" inputmode="decimal" placeholder="500" autocomplete="off"
                            prop:value=move || amount.get() on:input=move |ev| amount.set(event_target_value(&ev)) />
                        <button type="submit" class="button primary" disabled=move || deposit.pending().get()>"Deposit"</button>
                    </div>
                    {field_error(deposit_errors, "amount")}
                    <p class="muted small">"Paid at Dozen Pay's checkout (UPI, card, net banking) and in your wallet once Pay captures it, less Pay's fee (2% and GST on it): ₹1,000 puts ₹976.40 in."</p>
                </form>
                <form on:submit=start_withdrawal novalidate aria-label="Withdraw rupees">
                    <FormError errors=withdraw_errors />
                    <label for="withdraw-amount">"Withdraw (₹, to a UPI ID)"</label>
                    <div class="row">
                        <input id="withdraw-amount" inputmode="decimal" placeholder="500" autocomplete="off"
                            prop:value=move || out_amount.get() on:input=move |ev| out_amount.set(event_target_value(&ev)) />
                        <input id="withdraw-vpa" aria-label="UPI ID" placeholder="name@bank" autocomplete="off" spellcheck="false"
                            prop:value=move || vpa.get() on:input=move |ev| vpa.set(event_target_value(&ev)) />
                        <button type="submit" class="button" disabled=move || withdraw.pending().get()>"Withdraw"</button>
                    </div>
                    {field_error(withdraw_errors, "amount")}
                    {field_error(withdraw_errors, "vpa")}
                    {move || sent.get().map(|w| view! {
                        <p class="verified" role="status" data-testid="withdrawn">{format!("Sent {} to {} (payout {})", inr(w.amount), w.vpa, w.payout_id)}</p>
                    })}
                </form>
            </div>
            {(!wallet.deposits.is_empty() || !wallet.withdrawals.is_empty()).then(|| view! {
                <ul class="movements" data-testid="movements">
                    {wallet.deposits.iter().take(5).map(|d| {
                        let pending = d.status == DepositStatus::Pending;
                        view! {
                            <li>{if pending {
                                    format!("Deposit {} · waiting for payment", inr(d.amount))
                                } else {
                                    format!("Deposit {} · {} credited", inr(d.amount), inr(d.credit))
                                }}
                                {pending.then(|| view! { " " <a href=d.checkout_url.clone() rel="external">"Pay"</a> })}</li>
                        }
                    }).collect_view()}
                    {wallet.withdrawals.iter().take(5).map(|w| view! {
                        <li>{format!("Withdrawal {} to {}", inr(w.amount), w.vpa)}</li>
                    }).collect_view()}
                </ul>
            })}
        </section>
    }
}
