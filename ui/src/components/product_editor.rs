//! The products in the back office, by category, each with its price, station, tax rate
//! and option groups: added and changed in one form, marked sold out (86) and back with
//! one tap, taken off the menu (never deleted) and put back.

use crate::client;
use crate::components::reorder::{moved, save_places};
use app::api::ProductChange;
use app::domain::bill::rate_label;
use app::domain::menu::{Menu, Product};
use app::domain::money::{parse_amount, plain, Money};
use app::domain::{CategoryId, OptionGroupId, ProductId, StationId};
use leptos::prelude::*;
use leptos::task::spawn_local;

#[component]
pub(crate) fn Products(
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
    // Moves a product within its category: dragged there, or a place up or down.
    let dragged = RwSignal::new(None::<(CategoryId, usize)>);
    let move_to = move |category: CategoryId, from: usize, to: usize| {
        let (places, what) = menu.with_untracked(|m| {
            let here: Vec<&Product> = m
                .products
                .iter()
                .filter(|p| p.category_id == category && !p.retired)
                .collect();
            let places: Vec<(ProductId, i64)> = here.iter().map(|p| (p.id, p.sort_order)).collect();
            (
                places,
                here.get(from).map(|p| p.name.clone()).unwrap_or_default(),
            )
        });
        save_places(
            moved(&places, from, to),
            |id| format!("/menu/products/{id}"),
            |place| ProductChange {
                sort_order: Some(place),
                ..Default::default()
            },
            format!("Moved {what}: waiters see it in this place."),
            done,
        );
    };
    let row = move |(i, count, p): (usize, usize, Product)| {
        let (id, name) = (p.id, p.name.clone());
        let category = p.category_id;
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
            <li class="product-row" class:sold-out=!available data-product=name.clone() draggable="true"
                on:dragstart=move |_| dragged.set(Some((category, i)))
                on:dragover=|ev| ev.prevent_default()
                on:drop=move |ev| {
                    ev.prevent_default();
                    if let Some((from_category, from)) = dragged.get_untracked() {
                        if from_category == category { move_to(category, from, i); }
                    }
                }>
                <span class="move-buttons">
                    <button type="button" class="secondary move" aria-label=format!("Move {name} up") disabled={i == 0}
                        on:click=move |_| move_to(category, i, i.saturating_sub(1))>"↑"</button>
                    <button type="button" class="secondary move" aria-label=format!("Move {name} down") disabled={i + 1 >= count}
                        on:click=move |_| move_to(category, i, i + 1)>"↓"</button>
                </span>
                <span class="product-name">{name.clone()}</span>
                <span class="product-price">{price}</span>
                {p.stock_left.map(|n| view! { <span class="stock-left">{format!("{n} left")}</span> })}
                <small class="hint">{
                    let ticket = p.kitchen_name.as_ref().map(|k| format!(" as “{k}”")).unwrap_or_default();
                    format!("{station}{ticket} · tax {}", rate_label(p.tax_rate_bp))
                }</small>
                <button type="button" class=if available { "secondary" } else { "danger" }
                    aria-pressed=(!available).to_string()
                    on:click=move |_| change(id, ProductChange { available: Some(!available), ..Default::default() },
                        format!("{sold_out_name} is {}.", if available { "sold out (86)" } else { "on sale again" }))>
                    {if available { "Mark sold out" } else { "Back on sale" }}
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
                    let count = products.len();
                    view! {
                        <h4 class="category-head" style=format!("border-left-color: {}", c.colour)>{c.name.clone()}</h4>
                        <ul class="product-list">{products.into_iter().enumerate().map(|(i, p)| row((i, count, p))).collect_view()}</ul>
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
pub(crate) fn ProductForm(
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
            .map(|p| plain(p.price_minor))
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
    let barcode = RwSignal::new(
        product
            .as_ref()
            .and_then(|p| p.barcode.clone())
            .unwrap_or_default(),
    );
    let counted_at_open = product
        .as_ref()
        .and_then(|p| p.stock_left)
        .map(|n| n.to_string())
        .unwrap_or_default();
    let stock = RwSignal::new(counted_at_open.clone());
    let short = RwSignal::new(
        product
            .as_ref()
            .and_then(|p| p.kitchen_name.clone())
            .unwrap_or_default(),
    );
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
        // Empty: not counted.
        let stock_left = match stock.get_untracked().trim() {
            "" => None,
            n => match n.parse::<i64>() {
                Ok(n) if (0..=100_000).contains(&n) => Some(n),
                _ => {
                    return failed.run(
                        "Type the portions left as a number, e.g. 12, or leave it empty".into(),
                    )
                }
            },
        };
        let change = ProductChange {
            name: Some(name.get_untracked()),
            price_minor: Some(price_minor),
            // What the lists show when nothing was picked: their first entry (the menu
            // may have arrived after the form was made).
            category_id: category
                .get_untracked()
                .or_else(|| menu.with_untracked(|m| m.categories.first().map(|c| c.id))),
            station_id: station
                .get_untracked()
                .or_else(|| menu.with_untracked(|m| m.stations.first().map(|s| s.id.clone()))),
            tax_rate_bp: rate
                .get_untracked()
                .or_else(|| tax_rates.get_untracked().first().copied()),
            option_group_ids: Some(groups.get_untracked()),
            // Sent only when typed: orders count it down meanwhile.
            stock_left: (stock.get_untracked().trim() != counted_at_open).then_some(stock_left),
            // Empty takes it away: tickets show the name.
            kitchen_name: Some(
                Some(short.get_untracked().trim().to_owned()).filter(|k| !k.is_empty()),
            ),
            // Empty takes the barcode away.
            barcode: Some(
                Some(barcode.get_untracked().trim().to_owned()).filter(|b| !b.is_empty()),
            ),
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
                    barcode.set(String::new());
                    short.set(String::new());
                    stock.set(String::new());
                    done.run(format!("Saved {} at {}.", p.name, plain(p.price_minor)));
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
            <div class="field-row">
                <label class="field">"Kitchen name (optional, short, for tickets)"
                    <input type="text" maxlength="24" placeholder="Marg" prop:value=move || short.get()
                        on:input=move |ev| short.set(event_target_value(&ev))/>
                </label>
                <label class="field">"Barcode (optional, for the counter's scanner)"
                    <input type="text" inputmode="numeric" maxlength="32" prop:value=move || barcode.get()
                        on:input=move |ev| barcode.set(event_target_value(&ev))/>
                </label>
            </div>
            <label class="field">"Portions left (optional: counts down with each order, sold out at 0)"
                <input type="number" inputmode="numeric" min="0" max="100000" placeholder="Not counted" prop:value=move || stock.get()
                    on:input=move |ev| stock.set(event_target_value(&ev))/>
            </label>
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
