//! What each role may do beyond its fixed work, in the Staff area: mark products sold out,
//! open the cash drawer, and give discounts or void sent items up to its own limit without
//! a manager's PIN. Managers may do everything, so their row only says so.

use crate::client;
use crate::pages::report;
use crate::session::use_session;
use app::api::RoleChange;
use app::domain::money::{parse_amount, plain};
use app::domain::staff::{Role, RolePermissions};
use leptos::prelude::*;
use leptos::task::spawn_local;

/// A limit box: empty is the venue's limit.
fn limit_text(limit: Option<i64>) -> String {
    limit.map(plain).unwrap_or_default()
}

#[component]
pub fn RolesEditor(error: RwSignal<Option<String>>, currency: Signal<String>) -> impl IntoView {
    let session = use_session();
    let roles = RwSignal::new(Vec::<RolePermissions>::new());
    let message = RwSignal::new(None::<String>);
    let load = move || {
        spawn_local(async move {
            match client::get::<Vec<RolePermissions>>("/roles").await {
                Ok(r) => roles.set(r),
                Err(e) => report(e, error, session),
            }
        })
    };
    load();
    let row = move |p: RolePermissions| {
        let role = p.role;
        let name = role.label();
        let (sells_out, drawer) = (RwSignal::new(p.sells_out), RwSignal::new(p.opens_drawer));
        let discount = RwSignal::new(limit_text(p.discount_limit_minor));
        let void = RwSignal::new(limit_text(p.void_limit_minor));
        let save = move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let limit = |text: String, what: &str| match text.trim() {
                "" => Ok(None),
                t => parse_amount(t).map(Some).ok_or_else(|| {
                    format!("Type the {what} limit, e.g. 20.00, or leave it empty for the venue's")
                }),
            };
            let (discount_limit, void_limit) = match (
                limit(discount.get_untracked(), "discount"),
                limit(void.get_untracked(), "void"),
            ) {
                (Ok(d), Ok(v)) => (d, v),
                (Err(e), _) | (_, Err(e)) => return message.set(Some(e)),
            };
            let change = RoleChange {
                sells_out: Some(sells_out.get_untracked()),
                opens_drawer: Some(drawer.get_untracked()),
                discount_limit_minor: Some(discount_limit),
                void_limit_minor: Some(void_limit),
            };
            spawn_local(async move {
                let saved =
                    client::patch::<_, RolePermissions>(&format!("/roles/{name}"), &change).await;
                match saved {
                    Ok(p) => {
                        message.set(Some(format!(
                            "Saved what {} may do. Their phones and screens have it at once.",
                            people(p.role).to_lowercase()
                        )));
                        load();
                    }
                    Err(e) => message.set(Some(e.message())),
                }
            })
        };
        if role == Role::Manager {
            return view! {
                <li class="role-row"><strong>"Managers"</strong><span class="hint">"may do everything"</span></li>
            }
            .into_any();
        }
        view! {
            <li class="role-row">
                <form class="back-office-form" on:submit=save aria-label=format!("What a {name} may do")>
                    <h4>{people(role)}</h4>
                    <label class="check">
                        <input type="checkbox" prop:checked=move || sells_out.get()
                            on:change=move |ev| sells_out.set(event_target_checked(&ev))/>
                        "Mark items sold out and count portions left"
                    </label>
                    <label class="check">
                        <input type="checkbox" prop:checked=move || drawer.get()
                            on:change=move |ev| drawer.set(event_target_checked(&ev))/>
                        "Open the cash drawer"
                    </label>
                    <div class="field-row">
                        <label class="field">{move || format!("Discounts without a manager up to ({})", currency.get())}
                            <input type="text" inputmode="decimal" placeholder="The venue's limit" prop:value=move || discount.get()
                                on:input=move |ev| discount.set(event_target_value(&ev))/>
                        </label>
                        <label class="field">{move || format!("Voids of sent items without a manager up to ({})", currency.get())}
                            <input type="text" inputmode="decimal" placeholder="The venue's limit" prop:value=move || void.get()
                                on:input=move |ev| void.set(event_target_value(&ev))/>
                        </label>
                    </div>
                    <div class="actions">
                        <button type="submit" class="primary">{format!("Save for {}", people(role).to_lowercase())}</button>
                    </div>
                </form>
            </li>
        }
        .into_any()
    };
    view! {
        <section class="roles" aria-label="What each role may do">
            <h3>"What each role may do"</h3>
            <p class="hint">"Beyond their own work: waiters take orders, the kitchen makes them, cashiers take payments."</p>
            <ul class="role-list">{move || roles.get().into_iter().map(row).collect_view()}</ul>
            <p class="form-status" role="status">{move || message.get().map(|m| view! { <span class="toast">{m}</span> })}</p>
        </section>
    }
}

/// Who a role is, as a heading says them.
fn people(role: Role) -> &'static str {
    match role {
        Role::Waiter => "Waiters",
        Role::Cashier => "Cashiers",
        Role::Kitchen => "Kitchen staff",
        Role::Manager => "Managers",
    }
}
