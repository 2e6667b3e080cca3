//! The manager's SMS panel: the Twilio-compatible provider (address, account, token,
//! sender, on/off), the "ready for pickup" text per language, and the outbox with each
//! message's state and a retry for failed ones. Refreshed live as texts move.

use crate::client;
use crate::live::use_live_events;
use crate::pages::report;
use crate::session::use_session;
use app::api::{EventKind, SmsMessage, SmsProviderChange, SmsSettings, SmsTemplate};
use app::domain::takeaway::SmsStatus;
use leptos::prelude::*;
use leptos::task::spawn_local;

#[component]
pub fn SmsPanel(error: RwSignal<Option<String>>) -> impl IntoView {
    let session = use_session();
    let settings = RwSignal::new(None::<SmsSettings>);
    let messages = RwSignal::new(Vec::<SmsMessage>::new());
    let saved = RwSignal::new(None::<String>);
    let load = move || {
        spawn_local(async move {
            match client::get::<SmsSettings>("/sms/settings").await {
                Ok(s) => settings.set(Some(s)),
                Err(e) => report(e, error, session),
            }
            match client::get::<Vec<SmsMessage>>("/sms/messages").await {
                Ok(m) => messages.set(m),
                Err(e) => report(e, error, session),
            }
        })
    };
    load();
    use_live_events(move |event| {
        if matches!(event.kind, EventKind::SmsChanged | EventKind::OrderReady) {
            load();
        }
    });

    let base_url = RwSignal::new(String::new());
    let account_sid = RwSignal::new(String::new());
    let auth_token = RwSignal::new(String::new());
    let sender = RwSignal::new(String::new());
    let enabled = RwSignal::new(true);
    // Fill the form once the settings arrive.
    Effect::new(move |filled: Option<bool>| {
        if filled == Some(true) {
            return true;
        }
        settings.with(|s| match s {
            Some(s) => {
                base_url.set(if s.configured {
                    s.base_url.clone()
                } else {
                    "https://api.twilio.com".into()
                });
                account_sid.set(s.account_sid.clone());
                sender.set(s.sender.clone());
                enabled.set(!s.configured || s.enabled);
                true
            }
            None => false,
        })
    });
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let change = SmsProviderChange {
            base_url: base_url.get_untracked(),
            account_sid: account_sid.get_untracked(),
            auth_token: Some(auth_token.get_untracked()).filter(|t| !t.is_empty()),
            sender: sender.get_untracked(),
            enabled: enabled.get_untracked(),
        };
        spawn_local(async move {
            match client::put::<_, SmsSettings>("/sms/provider", &change).await {
                Ok(s) => {
                    settings.set(Some(s));
                    auth_token.set(String::new());
                    error.set(None);
                    saved.set(Some("SMS provider saved.".into()));
                }
                Err(e) => report(e, error, session),
            }
        });
    };
    let state = move || {
        settings.with(|s| match s {
            Some(s) if s.configured && s.enabled => "SMS is on.",
            Some(s) if s.configured => "SMS is switched off: texts wait in the outbox.",
            Some(_) => "SMS is off: no provider is set up, so texts wait in the outbox.",
            None => "",
        })
    };
    let token_hint = move || {
        if settings.with(|s| s.as_ref().is_some_and(|s| s.has_auth_token)) {
            "stored; leave empty to keep it"
        } else {
            ""
        }
    };
    let templates = move || {
        settings.with(|s| {
            s.as_ref()
                .map(|s| {
                    s.templates
                        .iter()
                        .cloned()
                        .map(|t| view! { <TemplateEditor template=t settings=settings error=error saved=saved/> })
                        .collect_view()
                })
                .unwrap_or_default()
        })
    };
    let outbox = move || {
        messages
            .get()
            .into_iter()
            .map(|m| {
                let id = m.id.clone();
                let retry = move |_| {
                    let id = id.clone();
                    spawn_local(async move {
                        match client::post_empty::<SmsMessage>(&format!("/sms/messages/{id}/retry")).await {
                            Ok(_) => load(),
                            Err(e) => report(e, error, session),
                        }
                    })
                };
                let status = format!("{:?}", m.status).to_lowercase();
                view! {
                    <li class=status.clone()>
                        <strong>"#" {m.order_number}</strong>
                        <span>{m.to_phone.clone()}</span>
                        <span class="sms-status">{status.clone()}</span>
                        <small>{m.last_error.clone().unwrap_or_default()}</small>
                        {(m.status == SmsStatus::Failed).then(|| view! { <button on:click=retry>"Retry"</button> })}
                    </li>
                }
            })
            .collect_view()
    };
    view! {
        <section class="sms-panel">
            <h2>"Text messages"</h2>
            <p class="sms-onoff">{state}</p>
            <p class="hint" role="status">{move || saved.get()}</p>
            <form on:submit=save>
                <label class="field">"Provider address"
                    <input type="url" prop:value=move || base_url.get() on:input=move |ev| base_url.set(event_target_value(&ev))/>
                </label>
                <label class="field">"Account SID"
                    <input type="text" autocomplete="off" prop:value=move || account_sid.get() on:input=move |ev| account_sid.set(event_target_value(&ev))/>
                </label>
                <label class="field">"Auth token"
                    <input type="password" autocomplete="new-password" placeholder=token_hint prop:value=move || auth_token.get() on:input=move |ev| auth_token.set(event_target_value(&ev))/>
                </label>
                <label class="field">"Sender (number or name)"
                    <input type="text" prop:value=move || sender.get() on:input=move |ev| sender.set(event_target_value(&ev))/>
                </label>
                <label class="check">
                    <input type="checkbox" prop:checked=move || enabled.get() on:change=move |ev| enabled.set(event_target_checked(&ev))/>
                    "Send texts"
                </label>
                <button class="primary" type="submit">"Save provider"</button>
            </form>
            <h3>"Ready-for-pickup text"</h3>
            <p class="hint">"{name}, {number} and {venue} are filled in."</p>
            {templates}
            <h3>"Outbox"</h3>
            <ul class="sms-outbox">{outbox}</ul>
        </section>
    }
}

#[component]
fn TemplateEditor(
    template: SmsTemplate,
    settings: RwSignal<Option<SmsSettings>>,
    error: RwSignal<Option<String>>,
    saved: RwSignal<Option<String>>,
) -> impl IntoView {
    let session = use_session();
    let body = RwSignal::new(template.body.clone());
    let language = template.language.clone();
    let save = move |_| {
        let t = SmsTemplate {
            language: language.clone(),
            body: body.get_untracked(),
        };
        spawn_local(async move {
            match client::put::<_, SmsSettings>(&format!("/sms/templates/{}", t.language), &t).await
            {
                Ok(s) => {
                    settings.set(Some(s));
                    saved.set(Some(format!("The {} text is saved.", t.language)));
                }
                Err(e) => report(e, error, session),
            }
        });
    };
    view! {
        <label class="field template">
            {template.language.clone()}
            <textarea prop:value=move || body.get() on:input=move |ev| body.set(event_target_value(&ev))></textarea>
            <button on:click=save>"Save " {template.language.clone()}</button>
        </label>
    }
}
