//! A takeaway's customer: their name and phone, and what happened to their "ready" text.
//! At the counter, also what was last scanned and the way on to the next customer.

use super::OrderCtx;
use app::domain::takeaway::{SmsStatus, Takeaway};
use leptos::prelude::*;

#[component]
pub(super) fn Customer(
    ctx: OrderCtx,
    on_next_sale: Option<Callback<()>>,
    scanned: RwSignal<Option<String>>,
) -> impl IntoView {
    let takeaway = Memo::new(move |_| {
        ctx.order
            .with(|o| o.as_ref().and_then(|o| o.takeaway.clone()))
    });
    let sms_enabled = move || {
        ctx.store
            .snapshot
            .with(|s| s.as_ref().is_some_and(|s| s.venue.sms_enabled))
    };
    move || {
        let t = takeaway.get()?;
        let text = sms_text(&t, sms_enabled());
        Some(view! {
            <section class="customer" aria-label="Customer">
                <strong>{t.customer_name.clone()}</strong>
                " " <span class="phone">{t.phone.clone().unwrap_or_default()}</span>
                <p class="sms-state" data-sms=t.sms.as_ref().map(|m| format!("{:?}", m.status).to_lowercase())>{text}</p>
                {on_next_sale.map(|next| view! {
                    <p class="scan-state" role="status">{move || scanned.get().unwrap_or_else(|| "Scan an item or tap it below.".into())}</p>
                    // Unpaid, the sale is parked: it stays open and is resumed from the list.
                    <button class="next-sale" on:click=move |_| next.run(())>
                        {move || if ctx.can_pay() { "Park sale" } else { "Next customer" }}
                    </button>
                })}
            </section>
        })
    }
}

/// What happened to a takeaway customer's "ready" text, in words.
fn sms_text(t: &Takeaway, sms_enabled: bool) -> String {
    if !t.sms_consent {
        return "No text: the customer did not ask for one.".into();
    }
    let off = "SMS is off: the text waits until a manager sets up the SMS provider.";
    match &t.sms {
        None if sms_enabled => "A text goes out when the order is ready.".into(),
        None => off.into(),
        Some(m) => match (m.status, &m.last_error) {
            (SmsStatus::Queued, _) if !sms_enabled => off.into(),
            (SmsStatus::Queued, Some(e)) => format!("Text not sent yet, retrying: {e}"),
            (SmsStatus::Queued | SmsStatus::Sending, None) => "Sending the text…".into(),
            (SmsStatus::Sending, Some(_)) => "Sending the text again…".into(),
            (SmsStatus::Sent, _) => "Text sent: the customer knows it is ready.".into(),
            (SmsStatus::Failed, e) => format!(
                "Text failed: {}",
                e.as_deref().unwrap_or("the provider refused it")
            ),
        },
    }
}
