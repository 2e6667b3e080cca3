//! The menu in the back office: categories, option groups (a choice of one, add-ons,
//! things to leave out) and products, each product with its price, station, tax rate
//! and option groups. A product can be marked sold out (86) and back with one tap, and
//! taken off the menu; it is never deleted.

use crate::client;
use crate::components::MenuFile;
use crate::pages::report;
use crate::session::use_session;
use app::api::{CategoryChange, OptionChange, OptionGroupChange, ProductChange};
use app::domain::bill::rate_label;
use app::domain::menu::{Category, Menu, OptionGroup, OptionKind, Product};
use app::domain::money::{parse_amount, Money};
use app::domain::{CategoryId, OptionGroupId, ProductId, StationId};
use leptos::prelude::*;
use leptos::task::spawn_local;

const KINDS: [(OptionKind, &str); 3] = [
    (OptionKind::Choice, "Choose one (required)"),
    (OptionKind::Addon, "Add-ons (extra cost)"),
    (OptionKind::Removable, "Leave out"),
];

/// "Large +3.00" or "Oat milk 0.40" as an option; the price is optional.
fn parse_option(line: &str) -> Result<OptionChange, String> {
    let line = line.trim();
    let (name, price) = match line.rsplit_once(' ') {
        Some((name, last)) => match parse_amount(last.trim_start_matches('+')) {
            Some(minor) if !name.trim().is_empty() => (name.trim(), minor),
            _ => (line, 0),
        },
        None => (line, 0),
    };
    if name.is_empty() {
        return Err("Each option needs a name".into());
    }
    Ok(OptionChange {
        id: None,
        name: name.to_owned(),
        price_delta_minor: price,
    })
}

fn typed_price(minor: i64) -> String {
    format!("{}.{:02}", minor / 100, minor % 100)
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
            <p class="form-status" role="status">{move || problem.get()}</p>
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
    let (name, colour) = (
        RwSignal::new(String::new()),
        RwSignal::new("#e07a5f".to_owned()),
    );
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let change = CategoryChange {
            name: Some(name.get_untracked()),
            colour: Some(colour.get_untracked()),
            sort_order: None,
        };
        spawn_local(async move {
            match client::post::<_, Category>("/menu/categories", &change).await {
                Ok(c) => {
                    name.set(String::new());
                    done.run(format!("Added the category {}.", c.name));
                }
                Err(e) => failed.run(e.message()),
            }
        })
    };
    view! {
        <div class="menu-part" role="group" aria-label="Categories">
            <h3>"Categories"</h3>
            <ul class="category-chips">
                {move || menu.get().categories.into_iter().map(|c| view! {
                    <li class="category-chip" style=format!("border-left-color: {}", c.colour)>{c.name}</li>
                }).collect_view()}
            </ul>
            <form class="inline-form" on:submit=add aria-label="Add a category">
                <label class="field">"New category"
                    <input type="text" maxlength="40" required=true placeholder="Pasta" prop:value=move || name.get()
                        on:input=move |ev| name.set(event_target_value(&ev))/>
                </label>
                <label class="field">"Colour"
                    <input type="color" prop:value=move || colour.get()
                        on:input=move |ev| colour.set(event_target_value(&ev))/>
                </label>
                <button type="submit" class="primary">"Add category"</button>
            </form>
        </div>
    }
}

#[component]
fn OptionGroups(
    menu: RwSignal<Menu>,
    currency: Signal<String>,
    done: Callback<String>,
    failed: Callback<String>,
) -> impl IntoView {
    let (name, kind, options) = (
        RwSignal::new(String::new()),
        RwSignal::new(OptionKind::Choice),
        RwSignal::new(String::new()),
    );
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let parsed: Result<Vec<_>, _> = options
            .get_untracked()
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(parse_option)
            .collect();
        let options_list = match parsed {
            Ok(list) => list,
            Err(e) => return failed.run(e),
        };
        let change = OptionGroupChange {
            name: Some(name.get_untracked()),
            kind: Some(kind.get_untracked()),
            options: Some(options_list),
        };
        spawn_local(async move {
            match client::post::<_, OptionGroup>("/menu/option-groups", &change).await {
                Ok(g) => {
                    name.set(String::new());
                    options.set(String::new());
                    done.run(format!("Added the options {}.", g.name));
                }
                Err(e) => failed.run(e.message()),
            }
        })
    };
    let describe = move |g: &OptionGroup| {
        let currency = currency.get();
        let options: Vec<String> = g
            .options
            .iter()
            .map(|o| match o.price_delta_minor {
                0 => o.name.clone(),
                d => format!("{} +{}", o.name, Money::new(d, currency.clone())),
            })
            .collect();
        let kind = KINDS
            .iter()
            .find(|(k, _)| *k == g.kind)
            .map_or("", |(_, l)| l);
        format!("{kind}: {}", options.join(", "))
    };
    view! {
        <div class="menu-part" role="group" aria-label="Option groups">
            <h3>"Options"</h3>
            <ul class="option-groups">
                {move || menu.get().option_groups.into_iter().map(|g| view! {
                    <li><strong>{g.name.clone()}</strong><span class="hint">{describe(&g)}</span></li>
                }).collect_view()}
            </ul>
            <form class="back-office-form" on:submit=add aria-label="Add options">
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
                <label class="field">"One option per line, with its extra price if any"
                    <textarea rows="3" placeholder="Regular\nLarge +3.00" prop:value=move || options.get()
                        on:input=move |ev| options.set(event_target_value(&ev))></textarea>
                </label>
                <button type="submit" class="primary">"Add options"</button>
            </form>
        </div>
    }
}

#[component]
fn Products(
    menu: RwSignal<Menu>,
    currency: Signal<String>,
    editing: RwSignal<Option<Product>>,
    done: Callback<String>,
    failed: Callback<String>,
) -> impl IntoView {
    let change = move |id: ProductId, change: ProductChange, what: String| {
        spawn_local(async move {
            match client::patch::<_, Product>(&format!("/menu/products/{id}"), &change).await {
                Ok(_) => done.run(what),
                Err(e) => failed.run(e.message()),
            }
        })
    };
    let row = move |p: Product| {
        let (id, name) = (p.id, p.name.clone());
        let station = menu.with(|m| {
            m.stations
                .iter()
                .find(|s| s.id == p.station_id)
                .map(|s| s.name.clone())
                .unwrap_or_default()
        });
        let price = Money::new(p.price_minor, currency.get()).to_string();
        let available = p.available;
        let (sold_out_name, retire_name, edit) = (name.clone(), name.clone(), p.clone());
        view! {
            <li class="product-row" class:sold-out=!available data-product=name.clone()>
                <span class="product-name">{name.clone()}</span>
                <span class="product-price">{price}</span>
                <small class="hint">{format!("{station} · tax {}", rate_label(p.tax_rate_bp))}</small>
                <button type="button" class=if available { "secondary" } else { "danger" }
                    aria-pressed=(!available).to_string()
                    on:click=move |_| change(id, ProductChange { available: Some(!available), ..Default::default() },
                        format!("{sold_out_name} is {}.", if available { "sold out (86)" } else { "on sale again" }))>
                    {if available { "On sale" } else { "Sold out" }}
                </button>
                <button type="button" class="secondary" on:click=move |_| {
                    editing.set(Some(edit.clone()));
                    // The form is above the list: bring it to the manager's eyes.
                    if let Some(form) = document().get_element_by_id("product-form") {
                        form.scroll_into_view();
                    }
                }>"Edit"</button>
                <button type="button" class="link" on:click=move |_| change(id, ProductChange { retired: Some(true), ..Default::default() },
                    format!("{retire_name} is off the menu. Lines already taken keep it."))>"Take off menu"</button>
            </li>
        }
    };
    let put_back = move |id: ProductId, name: String| {
        change(
            id,
            ProductChange {
                retired: Some(false),
                ..Default::default()
            },
            format!("{name} is back on the menu."),
        )
    };
    view! {
        <div class="menu-part" role="group" aria-label="Products">
            <h3>"Products"</h3>
            {move || {
                let m = menu.get();
                m.categories.iter().map(|c| {
                    let products: Vec<Product> = m.products.iter().filter(|p| p.category_id == c.id && !p.retired).cloned().collect();
                    view! {
                        <h4 class="category-head" style=format!("border-left-color: {}", c.colour)>{c.name.clone()}</h4>
                        <ul class="product-list">{products.into_iter().map(row).collect_view()}</ul>
                    }
                }).collect_view()
            }}
            {move || {
                let retired: Vec<Product> = menu.with(|m| m.products.iter().filter(|p| p.retired).cloned().collect());
                (!retired.is_empty()).then(|| view! {
                    <details class="retired-products">
                        <summary>{format!("Off the menu ({})", retired.len())}</summary>
                        <ul>{retired.into_iter().map(|p| {
                            let (id, name) = (p.id, p.name.clone());
                            view! { <li>{p.name} <button type="button" class="secondary" on:click=move |_| put_back(id, name.clone())>"Put back"</button></li> }
                        }).collect_view()}</ul>
                    </details>
                })
            }}
        </div>
    }
}

/// Adding a product, or changing the one being edited.
#[component]
fn ProductForm(
    menu: RwSignal<Menu>,
    tax_rates: Signal<Vec<i64>>,
    product: Option<Product>,
    editing: RwSignal<Option<Product>>,
    done: Callback<String>,
    failed: Callback<String>,
) -> impl IntoView {
    let m = menu.get_untracked();
    let id = product.as_ref().map(|p| p.id);
    let name = RwSignal::new(product.as_ref().map(|p| p.name.clone()).unwrap_or_default());
    let price = RwSignal::new(
        product
            .as_ref()
            .map(|p| typed_price(p.price_minor))
            .unwrap_or_default(),
    );
    let category = RwSignal::new(
        product
            .as_ref()
            .map(|p| p.category_id)
            .or_else(|| m.categories.first().map(|c| c.id)),
    );
    let station = RwSignal::new(
        product
            .as_ref()
            .map(|p| p.station_id.clone())
            .or_else(|| m.stations.first().map(|s| s.id.clone())),
    );
    let rate = RwSignal::new(product.as_ref().map(|p| p.tax_rate_bp));
    let groups = RwSignal::new(
        product
            .as_ref()
            .map(|p| p.option_group_ids.clone())
            .unwrap_or_default(),
    );
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(price_minor) = parse_amount(&price.get_untracked()) else {
            return failed.run("Type the price, e.g. 11.50".into());
        };
        let change = ProductChange {
            name: Some(name.get_untracked()),
            price_minor: Some(price_minor),
            category_id: category.get_untracked(),
            station_id: station.get_untracked(),
            tax_rate_bp: rate
                .get_untracked()
                .or_else(|| tax_rates.get_untracked().first().copied()),
            option_group_ids: Some(groups.get_untracked()),
            ..Default::default()
        };
        spawn_local(async move {
            let saved = match id {
                Some(id) => {
                    client::patch::<_, Product>(&format!("/menu/products/{id}"), &change).await
                }
                None => client::post::<_, Product>("/menu/products", &change).await,
            };
            match saved {
                Ok(p) => {
                    editing.set(None);
                    name.set(String::new());
                    price.set(String::new());
                    groups.set(Vec::new());
                    done.run(format!(
                        "Saved {} at {}.",
                        p.name,
                        typed_price(p.price_minor)
                    ));
                }
                Err(e) => failed.run(e.message()),
            }
        })
    };
    let toggle_group = move |g: OptionGroupId, on: bool| {
        groups.update(|list| {
            list.retain(|x| *x != g);
            if on {
                list.push(g);
            }
        })
    };
    let title = if id.is_some() {
        "Change product"
    } else {
        "Add a product"
    };
    view! {
        <form id="product-form" class="back-office-form product-form" on:submit=save aria-label=title>
            <h3>{title}</h3>
            <div class="field-row">
                <label class="field">"Product name"
                    <input type="text" maxlength="60" required=true placeholder="Pizza Margherita" prop:value=move || name.get()
                        on:input=move |ev| name.set(event_target_value(&ev))/>
                </label>
                <label class="field">"Price"
                    <input type="text" inputmode="decimal" required=true placeholder="11.00" prop:value=move || price.get()
                        on:input=move |ev| price.set(event_target_value(&ev))/>
                </label>
            </div>
            <div class="field-row">
                <label class="field">"Category"
                    <select on:change=move |ev| {
                        let picked = event_target_value(&ev);
                        category.set(menu.with_untracked(|m| m.categories.iter().find(|c| c.id.to_string() == picked).map(|c| c.id)));
                    }>
                        {move || menu.get().categories.into_iter().map(|c| {
                            let cid: CategoryId = c.id;
                            view! { <option value=c.id.to_string() selected=move || category.get() == Some(cid)>{c.name}</option> }
                        }).collect_view()}
                    </select>
                </label>
                <label class="field">"Made at"
                    <select on:change=move |ev| station.set(Some(StationId(event_target_value(&ev))))>
                        {move || menu.get().stations.into_iter().map(|s| {
                            let sid = s.id.clone();
                            view! { <option value=s.id.0.clone() selected=move || station.get().as_ref() == Some(&sid)>{s.name}</option> }
                        }).collect_view()}
                    </select>
                </label>
                <label class="field">"Tax rate"
                    <select on:change=move |ev| rate.set(event_target_value(&ev).parse().ok())>
                        {move || tax_rates.get().into_iter().map(|r| view! {
                            <option value=r.to_string() selected=move || rate.get().or_else(|| tax_rates.get().first().copied()) == Some(r)>{rate_label(r)}</option>
                        }).collect_view()}
                    </select>
                </label>
            </div>
            <fieldset class="group-picks">
                <legend>"Options offered"</legend>
                {move || menu.get().option_groups.into_iter().map(|g| {
                    let gid = g.id;
                    // Groups often share a name ("Extras"): their options tell them apart.
                    let options: Vec<&str> = g.options.iter().take(3).map(|o| o.name.as_str()).collect();
                    let more = if g.options.len() > 3 { ", …" } else { "" };
                    let label = format!("{}: {}{more}", g.name, options.join(", "));
                    view! {
                        <label class="check">
                            <input type="checkbox" prop:checked=move || groups.get().contains(&gid)
                                on:change=move |ev| toggle_group(gid, event_target_checked(&ev))/>
                            {label}
                        </label>
                    }
                }).collect_view()}
            </fieldset>
            <div class="actions">
                {id.map(|_| view! { <button type="button" class="secondary" on:click=move |_| editing.set(None)>"Cancel"</button> })}
                <button type="submit" class="primary">{if id.is_some() { "Save product" } else { "Add product" }}</button>
            </div>
        </form>
    }
}
