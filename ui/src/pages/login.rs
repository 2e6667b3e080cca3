//! Sign in with a PIN: a big keypad for thumbs, and the keyboard works too.

use crate::client::{self, ClientError};
use crate::session::{home_of, use_session};
use crate::store::use_store;
use app::api::{LoginRequest, LoginResponse, SetupStatus};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_navigate, use_query_map};

#[component]
pub fn LoginPage() -> impl IntoView {
    let session = use_session();
    let store = use_store();
    let navigate = use_navigate();
    let query = use_query_map();
    let pin = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);

    // Go where the person was headed (`?next=/kitchen/bar`), else to their role's home.
    let go_home = {
        let navigate = navigate.clone();
        move |role| {
            let next = query
                .with_untracked(|q| q.get("next"))
                .filter(|n| n.starts_with('/'));
            navigate(
                &next.unwrap_or_else(|| home_of(role).to_owned()),
                Default::default(),
            );
        }
    };
    if let Some(role) = session.role() {
        go_home(role);
    }
    // A box nobody has set up yet has no PIN to sign in with: its setup comes first. (The
    // box sends page loads there itself; this covers a shell the phone had cached.)
    spawn_local(async move {
        if client::get::<SetupStatus>("/setup")
            .await
            .is_ok_and(|s| s.needed)
        {
            let _ = window().location().assign("/setup");
        }
    });

    let submit = move || {
        let entered = pin.get_untracked();
        if entered.is_empty() || busy.get_untracked() {
            return;
        }
        busy.set(true);
        let go_home = go_home.clone();
        spawn_local(async move {
            let result =
                client::post::<_, LoginResponse>("/login", &LoginRequest { pin: entered }).await;
            busy.set(false);
            pin.set(String::new());
            match result {
                Ok(login) => {
                    let role = login.staff.role;
                    session.sign_in(login);
                    store.wake(); // fetch this venue's state now, not at the next idle tick
                    go_home(role);
                }
                Err(ClientError::Api { status: 401, .. }) => {
                    error.set(Some("Wrong PIN. Try again.".into()))
                }
                Err(e) => error.set(Some(e.message())),
            }
        });
    };
    let press = move |digit: char| {
        error.set(None);
        pin.update(|p| {
            if p.len() < 8 {
                p.push(digit)
            }
        });
    };
    let keys = ['1', '2', '3', '4', '5', '6', '7', '8', '9']
        .into_iter()
        .map(|d| view! { <button class="key" on:click=move |_| press(d)>{d.to_string()}</button> })
        .collect_view();
    let submit_key = submit.clone();

    view! {
        <main class="page login">
            <h1>"Comanda"</h1>
            <p class="hint">"Enter your PIN"</p>
            <form on:submit=move |ev| { ev.prevent_default(); submit_key(); }>
                <input
                    class="pin-display"
                    type="password"
                    inputmode="numeric"
                    autocomplete="off"
                    aria-label="PIN"
                    maxlength="8"
                    prop:value=move || pin.get()
                    on:input=move |ev| {
                        error.set(None);
                        pin.set(event_target_value(&ev).chars().filter(char::is_ascii_digit).take(8).collect());
                    }
                />
            </form>
            <p class="login-error" role="alert">{move || error.get()}</p>
            <div class="keypad">
                {keys}
                <button class="key secondary" aria-label="Clear" on:click=move |_| pin.set(String::new())>"C"</button>
                <button class="key" on:click=move |_| press('0')>"0"</button>
                <button class="key primary" aria-label="Sign in" disabled=move || busy.get() on:click=move |_| submit()>"OK"</button>
            </div>
        </main>
    }
}
