//! Choosing what to add: the seat it is for, the menu's categories and their products.

use super::OrderCtx;
use app::domain::menu::Product;
use app::domain::{CategoryId, Money};
use leptos::prelude::*;

/// "Table", "Seat 1", … for a table with seats; nothing for a takeaway.
#[component]
pub(super) fn SeatChips(ctx: OrderCtx, seat: RwSignal<Option<i64>>) -> impl IntoView {
    move || {
        let n = ctx.seats()?;
        let chip = move |value: Option<i64>, label: String| {
            view! {
                <button class="chip seat-chip" class:selected=move || seat.get() == value
                    aria-pressed=move || (seat.get() == value).to_string() on:click=move |_| seat.set(value)>
                    {label}
                </button>
            }
        };
        Some(view! {
            <nav class="chips seat-chips" aria-label="Seat">
                {chip(None, "Table".into())}
                {(1..=n).map(|s| chip(Some(s), format!("Seat {s}"))).collect_view()}
            </nav>
        })
    }
}

/// The category chips and the chosen category's products; a tap on one is `on_tap`.
#[component]
pub(super) fn MenuPicker(
    ctx: OrderCtx,
    category: RwSignal<Option<CategoryId>>,
    on_tap: Callback<Product>,
) -> impl IntoView {
    let categories = move || {
        ctx.menu.with(|m| {
            m.as_ref().map(|m| {
                m.categories
                    .iter()
                    .map(|c| {
                        let id = c.id;
                        view! {
                            <button
                                class="chip"
                                class:selected=move || category.get() == Some(id)
                                style=format!("--chip: {}", c.colour)
                                on:click=move |_| category.set(Some(id))
                            >
                                {c.name.clone()}
                            </button>
                        }
                    })
                    .collect_view()
            })
        })
    };
    let products = move || {
        let selected = category.get();
        let currency = ctx.currency();
        ctx.menu.with(|m| {
            m.as_ref().map(|m| {
                m.products
                    .iter()
                    .filter(|p| Some(p.category_id) == selected)
                    .map(|p| {
                        let product = p.clone();
                        // Sold out (86) says so, not only by looking faded.
                        let price = match p.available {
                            true => Money::new(p.price_minor, currency.clone()).to_string(),
                            false => "Sold out".to_owned(),
                        };
                        // A counted product says how many are left while it is on sale.
                        let left = p
                            .stock_left
                            .filter(|_| p.available)
                            .map(|n| view! { <span class="stock-left">{format!("{n} left")}</span> });
                        view! {
                            <button class="product" class:unavailable=!p.available on:click=move |_| on_tap.run(product.clone())>
                                <span class="product-name">{p.name.clone()}</span>
                                <span class="product-price">{price}</span>
                                {left}
                            </button>
                        }
                    })
                    .collect_view()
            })
        })
    };
    view! {
        <nav class="chips">{categories}</nav>
        <div class="products">{products}</div>
    }
}
