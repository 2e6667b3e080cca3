//! On a station's screen, for staff whose role may sell out: the station's products, each
//! marked sold out (86) or back on sale in one tap, and the portions left set where the
//! kitchen counts them. Phones show it at once.

use crate::client;
use app::api::ProductChange;
use app::domain::menu::Product;
use app::domain::ProductId;
use leptos::prelude::*;
use leptos::task::spawn_local;

#[component]
pub fn SoldOutPanel(products: RwSignal<Vec<Product>>) -> impl IntoView {
    let message = RwSignal::new(None::<String>);
    let change = move |id: ProductId, change: ProductChange| {
        spawn_local(async move {
            match client::patch::<_, Product>(&format!("/menu/products/{id}"), &change).await {
                Ok(p) => {
                    message.set(Some(match (p.available, p.stock_left) {
                        (false, _) => format!("{} is sold out.", p.name),
                        (true, Some(n)) => format!("{}: {n} left.", p.name),
                        (true, None) => format!("{} is on sale.", p.name),
                    }));
                    products.update(|all| {
                        if let Some(slot) = all.iter_mut().find(|s| s.id == p.id) {
                            *slot = p;
                        }
                    });
                }
                Err(e) => message.set(Some(e.message())),
            }
        })
    };
    let row = move |p: Product| {
        let (id, available) = (p.id, p.available);
        let left = RwSignal::new(p.stock_left.map(|n| n.to_string()).unwrap_or_default());
        let count = move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let stock_left = match left.get_untracked().trim() {
                "" => None,
                n => match n.parse::<i64>() {
                    Ok(n) if (0..=100_000).contains(&n) => Some(n),
                    _ => {
                        return message.set(Some(
                            "Type the portions left, e.g. 12, or leave it empty".into(),
                        ))
                    }
                },
            };
            change(
                id,
                ProductChange {
                    stock_left: Some(stock_left),
                    ..Default::default()
                },
            );
        };
        view! {
            <li class="sold-out-row" class:sold-out=!available data-product=p.name.clone()>
                <span class="product-name">{p.name.clone()}</span>
                <button type="button" class=if available { "secondary" } else { "danger" }
                    aria-pressed=(!available).to_string()
                    on:click=move |_| change(id, ProductChange { available: Some(!available), ..Default::default() })>
                    {if available { "Mark sold out" } else { "Back on sale" }}
                </button>
                <form class="inline-form" on:submit=count aria-label=format!("Portions left of {}", p.name)>
                    <label class="left">"Left"
                        <input type="number" inputmode="numeric" min="0" max="100000" placeholder="–"
                            aria-label=format!("Portions left of {} (empty: not counted)", p.name)
                            prop:value=move || left.get() on:input=move |ev| left.set(event_target_value(&ev))/>
                    </label>
                    <button type="submit" class="secondary">"Set"</button>
                </form>
            </li>
        }
    };
    view! {
        <details class="sold-out-panel">
            <summary>{move || {
                let out = products.with(|all| all.iter().filter(|p| !p.available).count());
                format!("Sold out & portions ({out} sold out)")
            }}</summary>
            <ul class="sold-out-list">{move || products.get().into_iter().map(row).collect_view()}</ul>
            <p class="form-status" role="status">{move || message.get().map(|m| view! { <span class="toast">{m}</span> })}</p>
        </details>
    }
}
