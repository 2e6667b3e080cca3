//! The menu in the back office: its spreadsheet, categories, option groups (a choice of
//! one, add-ons, things to leave out) and the products (`product_editor`).

use crate::client;
use crate::components::product_editor::{ProductForm, Products};
use crate::components::reorder::{moved, save_places};
use crate::components::MenuFile;
use crate::pages::report;
use crate::session::use_session;
use app::api::{CategoryChange, OptionChange, OptionGroupChange};
use app::domain::courses;
use app::domain::menu::{
    option_text, parse_option_text, Category, Menu, OptionGroup, OptionKind, Product,
};
use app::domain::money::Money;
use app::domain::CategoryId;
use leptos::prelude::*;
use leptos::task::spawn_local;

const KINDS: [(OptionKind, &str); 3] = [
    (OptionKind::Choice, "Choice (guests pick)"),
    (OptionKind::Addon, "Add-ons (extra cost)"),
    (OptionKind::Removable, "Leave out"),
];

/// A box of the "guests pick" row: empty is the kind's usual (`None`).
fn picks_field(text: &str, field: &str) -> Result<Option<i64>, String> {
    match text.trim() {
        "" => Ok(None),
        t => t
            .parse()
            .ok()
            .filter(|n| (0..=30).contains(n))
            .map(Some)
            .ok_or_else(|| {
                format!("Type how many guests pick {field}, 0 to 30, or leave it empty")
            }),
    }
}

/// A line of the options box as an option, or why it is not one.
fn parse_option(line: &str) -> Result<OptionChange, String> {
    let (name, price_delta_minor) = parse_option_text(line)
        .ok_or_else(|| format!("{:?} is not an option like \"Large +3.00\"", line.trim()))?;
    Ok(OptionChange {
        id: None,
        name,
        price_delta_minor,
    })
}

#[component]
pub fn MenuEditor(
    error: RwSignal<Option<String>>,
    /// Counts the venue's changes (another manager's too): read the menu again.
    changed: Signal<u64>,
    currency: Signal<String>,
    tax_rates: Signal<Vec<i64>>,
) -> impl IntoView {
    let session = use_session();
    let menu = RwSignal::new(Menu::default());
    let problem = RwSignal::new(None::<String>);
    let load = move || {
        spawn_local(async move {
            let (categories, products, groups, stations) = (
                client::get::<Vec<Category>>("/menu/categories").await,
                client::get::<Vec<Product>>("/menu/products").await,
                client::get::<Vec<OptionGroup>>("/menu/option-groups").await,
                client::get("/stations").await,
            );
            match (categories, products, groups, stations) {
                (Ok(categories), Ok(products), Ok(option_groups), Ok(stations)) => menu.set(Menu {
                    stations,
                    categories,
                    products,
                    option_groups,
                }),
                (Err(e), ..) | (_, Err(e), ..) | (_, _, Err(e), _) | (.., Err(e)) => {
                    report(e, error, session)
                }
            }
        })
    };
    Effect::new(move |_| {
        changed.track();
        load();
    });
    let done = move |what: String| {
        problem.set(Some(what));
        load();
    };
    let failed = move |why: String| problem.set(Some(why));
    let editing = RwSignal::new(None::<Product>);

    view! {
        <section class="menu-editor" aria-label="Menu">
            <h2>"Menu"</h2>
            <p class="form-status" role="status">{move || problem.get().map(|m| view! { <span class="toast">{m}</span> })}</p>
            <MenuFile imported=Callback::new(done)/>
            <Categories menu=menu done=Callback::new(done) failed=Callback::new(failed)/>
            <OptionGroups menu=menu currency=currency done=Callback::new(done) failed=Callback::new(failed)/>
            {move || {
                let product = editing.get();
                view! {
                    <ProductForm menu=menu tax_rates=tax_rates product=product editing=editing
                        done=Callback::new(done) failed=Callback::new(failed)/>
                }
            }}
            <Products menu=menu currency=currency editing=editing done=Callback::new(done) failed=Callback::new(failed)/>
        </section>
    }
}

#[component]
fn Categories(
    menu: RwSignal<Menu>,
    done: Callback<String>,
    failed: Callback<String>,
) -> impl IntoView {
    // The category being renamed or recoloured; None adds a new one.
    let editing = RwSignal::new(None::<CategoryId>);
    let (name, colour) = (
        RwSignal::new(String::new()),
        RwSignal::new("#e07a5f".to_owned()),
    );
    // The course its products go in: starters until the manager says otherwise.
    let course = RwSignal::new(1i64);
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let change = CategoryChange {
            name: Some(name.get_untracked()),
            colour: Some(colour.get_untracked()),
            sort_order: None,
            course: Some(course.get_untracked()),
        };
        let id = editing.get_untracked();
        spawn_local(async move {
            let saved = match id {
                Some(id) => {
                    client::patch::<_, Category>(&format!("/menu/categories/{id}"), &change).await
                }
                None => client::post::<_, Category>("/menu/categories", &change).await,
            };
            match saved {
                Ok(c) => {
                    name.set(String::new());
                    course.set(1);
                    editing.set(None);
                    done.run(format!("Saved the category {}.", c.name));
                }
                Err(e) => failed.run(e.message()),
            }
        })
    };
    let pick = move |c: Category| {
        name.set(c.name);
        colour.set(c.colour);
        course.set(c.course);
        editing.set(Some(c.id));
    };
    // Moves the category at `from` to `to`: dragged there, or moved a place by a button.
    let dragged = RwSignal::new(None::<usize>);
    let move_to = move |from: usize, to: usize| {
        let (places, what) = menu.with_untracked(|m| {
            let places: Vec<(CategoryId, i64)> =
                m.categories.iter().map(|c| (c.id, c.sort_order)).collect();
            (
                places,
                m.categories
                    .get(from)
                    .map(|c| c.name.clone())
                    .unwrap_or_default(),
            )
        });
        save_places(
            moved(&places, from, to),
            |id| format!("/menu/categories/{id}"),
            |place| CategoryChange {
                sort_order: Some(place),
                ..Default::default()
            },
            format!("Moved {what}: waiters see the categories in this order."),
            done,
        );
    };
    let step = move |by: isize| {
        let Some(id) = editing.get_untracked() else {
            return;
        };
        let (at, count) = menu.with_untracked(|m| {
            (
                m.categories.iter().position(|c| c.id == id),
                m.categories.len(),
            )
        });
        if let Some(at) = at {
            let to = at as isize + by;
            if (0..count as isize).contains(&to) {
                move_to(at, to as usize);
            }
        }
    };
    view! {
        <div class="menu-part" role="group" aria-label="Categories">
            <h3>"Categories"</h3>
            <p class="hint">"Drag a category to its place, or tap it and move it earlier or later."</p>
            <ul class="category-chips">
                {move || menu.get().categories.into_iter().enumerate().map(|(i, c)| {
                    let (id, style) = (c.id, format!("border-left-color: {}", c.colour));
                    let label = format!("Change the category {}", c.name);
                    view! {
                        <li draggable="true" on:dragstart=move |_| dragged.set(Some(i))
                            on:dragover=|ev| ev.prevent_default()
                            on:drop=move |ev| { ev.prevent_default(); if let Some(from) = dragged.get_untracked() { move_to(from, i); } }>
                            <button type="button" class="category-chip" style=style aria-label=label
                                aria-pressed=move || (editing.get() == Some(id)).to_string()
                                on:click=move |_| pick(c.clone())>{c.name.clone()}</button>
                        </li>
                    }
                }).collect_view()}
            </ul>
            <form class="inline-form" on:submit=save aria-label="Add a category">
                <label class="field">{move || if editing.get().is_some() { "Category name" } else { "New category" }}
                    <input type="text" maxlength="40" required=true placeholder="Pasta" prop:value=move || name.get()
                        on:input=move |ev| name.set(event_target_value(&ev))/>
                </label>
                <label class="field">"Colour"
                    <input type="color" prop:value=move || colour.get()
                        on:input=move |ev| colour.set(event_target_value(&ev))/>
                </label>
                <label class="field">"Course"
                    <select prop:value=move || course.get().to_string()
                        on:change=move |ev| course.set(event_target_value(&ev).parse().unwrap_or(1))>
                        {(0..=4).map(|c| view! { <option value=c.to_string()>{courses::name(c)}</option> }).collect_view()}
                    </select>
                </label>
                <button type="submit" class="primary">{move || if editing.get().is_some() { "Save category" } else { "Add category" }}</button>
                {move || editing.get().map(|_| view! {
                    <button type="button" class="secondary" on:click=move |_| step(-1)>"Move earlier"</button>
                    <button type="button" class="secondary" on:click=move |_| step(1)>"Move later"</button>
                    <button type="button" class="secondary" on:click=move |_| { editing.set(None); name.set(String::new()); course.set(1); }>"Cancel"</button>
                })}
            </form>
        </div>
    }
}

/// A group's options as the form shows them, one per line.
fn options_text(group: &OptionGroup) -> String {
    let lines: Vec<String> = group
        .options
        .iter()
        .map(|o| option_text(&o.name, o.price_delta_minor))
        .collect();
    lines.join("\n")
}

#[component]
fn OptionGroups(
    menu: RwSignal<Menu>,
    currency: Signal<String>,
    done: Callback<String>,
    failed: Callback<String>,
) -> impl IntoView {
    // The group being changed; None adds a new one.
    let editing = RwSignal::new(None::<OptionGroup>);
    let (name, kind, options) = (
        RwSignal::new(String::new()),
        RwSignal::new(OptionKind::Choice),
        RwSignal::new(String::new()),
    );
    let (fewest, most) = (RwSignal::new(String::new()), RwSignal::new(String::new()));
    let clear = move || {
        editing.set(None);
        name.set(String::new());
        options.set(String::new());
        fewest.set(String::new());
        most.set(String::new());
    };
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let parsed: Result<Vec<_>, _> = options
            .get_untracked()
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(parse_option)
            .collect();
        let mut options_list = match parsed {
            Ok(list) => list,
            Err(e) => return failed.run(e),
        };
        let limits = picks_field(&fewest.get_untracked(), "at least")
            .and_then(|min| Ok((min, picks_field(&most.get_untracked(), "at most")?)));
        let (min_picks, max_picks) = match limits {
            // Leave-outs are never limited.
            Ok(_) if kind.get_untracked() == OptionKind::Removable => (None, None),
            Ok(limits) => limits,
            Err(e) => return failed.run(e),
        };
        let group = editing.get_untracked();
        // An option kept by name keeps its id (and lines taken with it stay as they are).
        if let Some(g) = &group {
            for option in &mut options_list {
                option.id = g
                    .options
                    .iter()
                    .find(|o| o.name == option.name)
                    .map(|o| o.id);
            }
        }
        let change = OptionGroupChange {
            name: Some(name.get_untracked()),
            kind: Some(kind.get_untracked()),
            options: Some(options_list),
            min_picks: Some(min_picks),
            max_picks: Some(max_picks),
        };
        spawn_local(async move {
            let saved = match group {
                Some(g) => {
                    client::patch::<_, OptionGroup>(
                        &format!("/menu/option-groups/{}", g.id),
                        &change,
                    )
                    .await
                }
                None => client::post::<_, OptionGroup>("/menu/option-groups", &change).await,
            };
            match saved {
                Ok(g) => {
                    clear();
                    done.run(format!("Saved the options {}.", g.name));
                }
                Err(e) => failed.run(e.message()),
            }
        })
    };
    let pick = move |g: OptionGroup| {
        name.set(g.name.clone());
        kind.set(g.kind);
        options.set(options_text(&g));
        fewest.set(g.min_picks.map(|n| n.to_string()).unwrap_or_default());
        most.set(g.max_picks.map(|n| n.to_string()).unwrap_or_default());
        editing.set(Some(g));
        // The form is below the list: bring it to the manager's eyes.
        if let Some(form) = document().get_element_by_id("option-group-form") {
            crate::bring_into_view(&form);
        }
    };
    let describe = move |g: &OptionGroup| {
        let currency = currency.get();
        let options: Vec<String> = g
            .options
            .iter()
            .map(|o| match o.price_delta_minor {
                0 => o.name.clone(),
                d if d > 0 => format!("{} +{}", o.name, Money::new(d, currency.clone())),
                d => format!("{} {}", o.name, Money::new(d, currency.clone())),
            })
            .collect();
        let kind = match g.kind {
            OptionKind::Choice => match g.picks_hint() {
                hint if hint.starts_with("choose") => format!("Guests {hint}"),
                hint => format!("Guests choose {hint}"),
            },
            OptionKind::Addon if g.picks_hint() == "any" => "Add-ons".into(),
            OptionKind::Addon => format!("Add-ons, {}", g.picks_hint()),
            OptionKind::Removable => "Leave out".into(),
        };
        format!("{kind}: {}", options.join(", "))
    };
    let changing = move || editing.with(Option::is_some);
    view! {
        <div class="menu-part" role="group" aria-label="Option groups">
            <h3>"Options"</h3>
            <ul class="option-groups">
                {move || menu.get().option_groups.into_iter().map(|g| {
                    let (title, summary) = (g.name.clone(), describe(&g));
                    let label = format!("Change the options {}", g.name);
                    view! {
                        <li>
                            <strong>{title}</strong><span class="hint">{summary}</span>
                            <button type="button" class="link" aria-label=label on:click=move |_| pick(g.clone())>"Change"</button>
                        </li>
                    }
                }).collect_view()}
            </ul>
            <form id="option-group-form" class="back-office-form" on:submit=save aria-label="Add options">
                <h3>{move || editing.with(|g| g.as_ref().map_or("Add options".to_owned(), |g| format!("Change {}", g.name)))}</h3>
                <div class="field-row">
                    <label class="field">"Options name"
                        <input type="text" maxlength="40" required=true placeholder="Size" prop:value=move || name.get()
                            on:input=move |ev| name.set(event_target_value(&ev))/>
                    </label>
                    <label class="field">"Kind"
                        <select on:change=move |ev| {
                            let picked = event_target_value(&ev);
                            if let Some((k, _)) = KINDS.iter().find(|(_, l)| *l == picked) { kind.set(*k); }
                        }>
                            {KINDS.iter().map(|(k, l)| view! { <option value=*l selected=move || kind.get() == *k>{*l}</option> }).collect_view()}
                        </select>
                    </label>
                </div>
                {move || (kind.get() != OptionKind::Removable).then(|| {
                    let usual = if kind.get() == OptionKind::Choice { ("1", "1") } else { ("0", "any") };
                    view! {
                        <div class="field-row picks-row">
                            <label class="field">"Guests pick at least"
                                <input type="number" inputmode="numeric" min="0" max="30" placeholder=usual.0
                                    prop:value=move || fewest.get() on:input=move |ev| fewest.set(event_target_value(&ev))/>
                            </label>
                            <label class="field">"at most"
                                <input type="number" inputmode="numeric" min="0" max="30" placeholder=usual.1
                                    prop:value=move || most.get() on:input=move |ev| most.set(event_target_value(&ev))/>
                            </label>
                        </div>
                    }
                })}
                <label class="field">"One option per line, with + and its extra price if any"
                    <textarea rows="3" placeholder="Regular\nLarge +3.00" prop:value=move || options.get()
                        on:input=move |ev| options.set(event_target_value(&ev))></textarea>
                </label>
                <div class="actions">
                    {move || changing().then(|| view! {
                        <button type="button" class="secondary" on:click=move |_| clear()>"Cancel"</button>
                    })}
                    <button type="submit" class="primary">{move || if changing() { "Save options" } else { "Add options" }}</button>
                </div>
            </form>
        </div>
    }
}
