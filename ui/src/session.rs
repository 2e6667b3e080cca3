//! Who is signed in on this device. Kept in `localStorage` so a reload stays signed in.

use app::api::LoginResponse;
use app::domain::staff::Role;
use leptos::prelude::*;

const STORAGE_KEY: &str = "comanda.session";

#[derive(Clone, Copy)]
pub struct SessionState(pub RwSignal<Option<LoginResponse>>);

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

/// The stored session token, for API calls.
pub fn stored_token() -> Option<String> {
    let raw = storage()?.get_item(STORAGE_KEY).ok()??;
    serde_json::from_str::<LoginResponse>(&raw)
        .ok()
        .map(|s| s.token)
}

pub fn provide_session() {
    let stored = storage()
        .and_then(|s| s.get_item(STORAGE_KEY).ok().flatten())
        .and_then(|raw| serde_json::from_str::<LoginResponse>(&raw).ok());
    provide_context(SessionState(RwSignal::new(stored)));
}

pub fn use_session() -> SessionState {
    expect_context::<SessionState>()
}

impl SessionState {
    pub fn sign_in(&self, login: LoginResponse) {
        if let (Some(s), Ok(raw)) = (storage(), serde_json::to_string(&login)) {
            let _ = s.set_item(STORAGE_KEY, &raw);
        }
        self.0.set(Some(login));
    }

    pub fn sign_out(&self) {
        if let Some(s) = storage() {
            let _ = s.remove_item(STORAGE_KEY);
        }
        self.0.set(None);
    }

    pub fn role(&self) -> Option<Role> {
        self.0.with(|s| s.as_ref().map(|s| s.staff.role))
    }

    pub fn name(&self) -> String {
        self.0
            .with(|s| s.as_ref().map(|s| s.staff.name.clone()).unwrap_or_default())
    }
}

/// Where a member of staff starts after signing in.
pub fn home_of(role: Role) -> &'static str {
    match role {
        Role::Kitchen => "/kitchen/kitchen",
        Role::Manager => "/manager",
        Role::Waiter => "/floor",
        Role::Cashier => "/counter",
    }
}
