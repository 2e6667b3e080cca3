//! The staff in the back office: who works here and in what role, adding someone with
//! their PIN, and changing a name, role or PIN or stopping someone from signing in.

use crate::client;
use crate::pages::report;
use crate::session::use_session;
use app::api::StaffChange;
use app::domain::staff::{check_new_pin, Role, StaffMember};
use leptos::prelude::*;
use leptos::task::spawn_local;

const ROLES: [Role; 4] = [Role::Waiter, Role::Kitchen, Role::Cashier, Role::Manager];

/// A role picker for a form.
fn role_select(role: RwSignal<Role>) -> impl IntoView {
    view! {
        <select on:change=move |ev| {
            let picked = event_target_value(&ev);
            if let Some(r) = ROLES.into_iter().find(|r| r.label() == picked) {
                role.set(r);
            }
        }>
            {ROLES.into_iter().map(|r| view! {
                <option value=r.label() selected=move || role.get() == r>{r.label()}</option>
            }).collect_view()}
        </select>
    }
}

/// `now` if it differs from `before`: a change sends only what changed.
fn changed<T: PartialEq>(now: T, before: T) -> Option<T> {
    (now != before).then_some(now)
}

/// A field for choosing a PIN: digits only, at most 8, hidden, not filled in by the
/// browser's saved passwords.
pub fn new_pin_input(pin: RwSignal<String>) -> impl IntoView {
    view! {
        <input type="password" inputmode="numeric" autocomplete="new-password" maxlength="8"
            prop:value=move || pin.get()
            on:input=move |ev| pin.set(event_target_value(&ev).chars().filter(char::is_ascii_digit).take(8).collect())/>
    }
}

#[component]
pub fn StaffEditor(error: RwSignal<Option<String>>) -> impl IntoView {
    let session = use_session();
    let staff = RwSignal::new(Vec::<StaffMember>::new());
    let problem = RwSignal::new(None::<String>);
    let editing = RwSignal::new(None::<StaffMember>);
    let load = move || {
        spawn_local(async move {
            match client::get::<Vec<StaffMember>>("/staff").await {
                Ok(s) => staff.set(s),
                Err(e) => report(e, error, session),
            }
        })
    };
    load();

    let (name, role, pin) = (
        RwSignal::new(String::new()),
        RwSignal::new(Role::Waiter),
        RwSignal::new(String::new()),
    );
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if let Err(why) = check_new_pin(&pin.get_untracked()) {
            return problem.set(Some(format!("PIN: {why}.")));
        }
        let change = StaffChange {
            name: Some(name.get_untracked()),
            role: Some(role.get_untracked()),
            pin: Some(pin.get_untracked()),
            active: None,
        };
        spawn_local(async move {
            match client::post::<_, StaffMember>("/staff", &change).await {
                Ok(m) => {
                    problem.set(Some(format!("{} can sign in now.", m.name)));
                    name.set(String::new());
                    pin.set(String::new());
                    load();
                }
                Err(e) => problem.set(Some(e.message())),
            }
        })
    };

    let row = move |m: StaffMember| {
        let edit = m.clone();
        view! {
            <li class="staff-member" class:stopped=!m.active data-name=m.name.clone()>
                <span class="staff-name">{m.name.clone()}</span>
                <small>{m.role.label()}{(!m.active).then_some(" · cannot sign in")}</small>
                <button type="button" class="secondary" on:click=move |_| editing.set(Some(edit.clone()))>"Change"</button>
            </li>
        }
    };

    view! {
        <ul class="staff-list">{move || staff.get().into_iter().map(row).collect_view()}</ul>
        {move || editing.get().map(|m| view! { <MemberSheet member=m editing=editing problem=problem on_saved=Callback::new(move |_| load())/> })}
        <form class="back-office-form" on:submit=add aria-label="Add someone">
            <h3>"Add someone"</h3>
            <div class="field-row">
                <label class="field">"Name"
                    <input type="text" maxlength="40" required=true prop:value=move || name.get()
                        on:input=move |ev| name.set(event_target_value(&ev))/>
                </label>
                <label class="field">"Role" {role_select(role)}</label>
                <label class="field">"PIN" {new_pin_input(pin)}</label>
            </div>
            <button type="submit" class="primary">"Add"</button>
        </form>
        <p class="form-status" role="status">{move || problem.get().map(|m| view! { <span class="toast">{m}</span> })}</p>
    }
}

/// Changing one member of staff: name, role, a new PIN, whether they may sign in.
#[component]
fn MemberSheet(
    member: StaffMember,
    editing: RwSignal<Option<StaffMember>>,
    problem: RwSignal<Option<String>>,
    on_saved: Callback<()>,
) -> impl IntoView {
    let (name, role, pin, active) = (
        RwSignal::new(member.name.clone()),
        RwSignal::new(member.role),
        RwSignal::new(String::new()),
        RwSignal::new(member.active),
    );
    let (id, member_name) = (member.id, member.name.clone());
    let before = member.clone();
    let save = move |ev: leptos::ev::SubmitEvent| {
        let member = &before;
        ev.prevent_default();
        let new_pin = Some(pin.get_untracked()).filter(|p| !p.is_empty());
        if let Some(Err(why)) = new_pin.as_deref().map(check_new_pin) {
            return problem.set(Some(format!("PIN: {why}.")));
        }
        // Only what changed: a new role or PIN signs the person out, a new name does not.
        let change = StaffChange {
            name: changed(name.get_untracked(), member_name.clone()),
            role: changed(role.get_untracked(), member.role),
            pin: new_pin,
            active: changed(active.get_untracked(), member.active),
        };
        spawn_local(async move {
            match client::patch::<_, StaffMember>(&format!("/staff/{id}"), &change).await {
                Ok(m) => {
                    problem.set(Some(format!("Saved {}.", m.name)));
                    editing.set(None);
                    on_saved.run(());
                }
                Err(e) => problem.set(Some(e.message())),
            }
        })
    };
    view! {
        <form class="back-office-form sheet-inline" on:submit=save aria-label="Change someone">
            <h3>{format!("Change {}", member.name)}</h3>
            <div class="field-row">
                <label class="field">"Name"
                    <input type="text" maxlength="40" prop:value=move || name.get()
                        on:input=move |ev| name.set(event_target_value(&ev))/>
                </label>
                <label class="field">"Role" {role_select(role)}</label>
                <label class="field">"New PIN (leave empty to keep)" {new_pin_input(pin)}</label>
            </div>
            <label class="check">
                <input type="checkbox" prop:checked=move || active.get()
                    on:change=move |ev| active.set(event_target_checked(&ev))/>
                "May sign in"
            </label>
            <div class="actions">
                <button type="button" class="secondary" on:click=move |_| editing.set(None)>"Cancel"</button>
                <button type="submit" class="primary">"Save"</button>
            </div>
        </form>
    }
}
