//! A table's order on the waiter's phone: browse the menu by category, add items with
//! options and a note, watch the running total, send. Sent items are listed by station
//! with their status, live.

use super::report;
use crate::api::{AddLinesRequest, Snapshot};
use crate::domain::menu::Product;
use crate::domain::orders::{LineStatus, NewLine, Order, OrderLine};
use crate::domain::{CategoryId, Money, OrderId};
use crate::ui::client;
use crate::ui::components::{ErrorBanner, OptionsSheet, SignInFirst, TopBar};
use crate::ui::live::use_live_events;
use crate::ui::session::use_session;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_params_map;

#[component]
pub fn OrderPage() -> impl IntoView {
    let session = use_session();
    let params = use_params_map();
    move || {
        let id = params
            .with(|p| p.get("order_id"))
            .and_then(|s| s.parse::<OrderId>().ok());
        match (session.role(), id) {
            (Some(role), Some(id)) if role.takes_orders() => {
                view! { <OrderScreen order_id=id/> }.into_any()
            }
            (Some(_), None) => view! { <SignInFirst message="That is not an order."/> }.into_any(),
            (Some(_), Some(_)) => {
                view! { <SignInFirst message="Only waiters and managers take orders."/> }.into_any()
            }
            (None, _) => view! { <SignInFirst message="Sign in to take orders."/> }.into_any(),
        }
    }
}

#[component]
fn OrderScreen(order_id: OrderId) -> impl IntoView {
    let session = use_session();
    let error = RwSignal::new(None::<String>);
    let snapshot = RwSignal::new(None::<Snapshot>);
    let order = RwSignal::new(None::<Order>);
    let category = RwSignal::new(None::<CategoryId>);
    let sheet = RwSignal::new(None::<Product>);
    let busy = RwSignal::new(false);

    spawn_local(async move {
        match client::get::<Snapshot>("/snapshot").await {
            Ok(s) => {
                category.set(s.menu.categories.first().map(|c| c.id));
                snapshot.set(Some(s));
            }
            Err(e) => report(e, error, session),
        }
    });
    let reload_order = move || {
        spawn_local(async move {
            match client::get::<Order>(&format!("/orders/{order_id}")).await {
                Ok(o) => order.set(Some(o)),
                Err(e) => report(e, error, session),
            }
        })
    };
    reload_order();
    let live = use_live_events(move |event| {
        if event.order_id == Some(order_id) {
            reload_order();
        }
    });

    let add_line = Callback::new(move |line: NewLine| {
        sheet.set(None);
        spawn_local(async move {
            let request = AddLinesRequest { lines: vec![line] };
            match client::post::<_, Order>(&format!("/orders/{order_id}/lines"), &request).await {
                Ok(o) => {
                    error.set(None);
                    order.set(Some(o));
                }
                Err(e) => report(e, error, session),
            }
        });
    });
    let tap_product = move |product: Product| {
        if !product.available {
            error.set(Some(format!(
                "{} is not available right now.",
                product.name
            )));
        } else if product.option_group_ids.is_empty() {
            add_line.run(NewLine {
                id: None,
                product_id: product.id,
                quantity: 1,
                option_ids: vec![],
                note: String::new(),
                course: 1,
            });
        } else {
            sheet.set(Some(product));
        }
    };
    let send = move |_| {
        busy.set(true);
        spawn_local(async move {
            match client::post_empty::<Order>(&format!("/orders/{order_id}/send")).await {
                Ok(o) => order.set(Some(o)),
                Err(e) => report(e, error, session),
            }
            busy.set(false);
        });
    };

    let serve = move |_| {
        spawn_local(async move {
            match client::post_empty::<Order>(&format!("/orders/{order_id}/served")).await {
                Ok(o) => order.set(Some(o)),
                Err(e) => report(e, error, session),
            }
        });
    };
    let ready = move || {
        order.with(|o| {
            o.as_ref().map_or(0, |o| {
                o.lines
                    .iter()
                    .filter(|l| l.status == LineStatus::Ready)
                    .count()
            })
        })
    };

    let currency = move || {
        snapshot.with(|s| {
            s.as_ref()
                .map(|s| s.venue.currency.clone())
                .unwrap_or_default()
        })
    };
    let title = Signal::derive(move || {
        let table = snapshot.with(|s| {
            let table_id = order.with(|o| o.as_ref().map(|o| o.table_id))?;
            s.as_ref()?
                .floor
                .tables
                .iter()
                .find(|t| t.id == table_id)
                .map(|t| t.label.clone())
        });
        let number = order.with(|o| o.as_ref().map(|o| o.number));
        match (table, number) {
            (Some(t), Some(n)) => format!("Table {t} · #{n}"),
            _ => "Order".to_owned(),
        }
    });
    let unsent = move || {
        order.with(|o| {
            o.as_ref().map_or(0, |o| {
                o.lines
                    .iter()
                    .filter(|l| l.status == LineStatus::New)
                    .count()
            })
        })
    };
    let total = move || {
        Money::new(
            order.with(|o| o.as_ref().map_or(0, Order::total_minor)),
            currency(),
        )
        .to_string()
    };

    let categories = move || {
        snapshot.with(|s| {
            s.as_ref().map(|s| {
                s.menu
                    .categories
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
        snapshot.with(|s| {
            s.as_ref().map(|s| {
                s.menu
                    .products
                    .iter()
                    .filter(|p| Some(p.category_id) == selected)
                    .map(|p| {
                        let product = p.clone();
                        let price = Money::new(p.price_minor, s.venue.currency.clone()).to_string();
                        view! {
                            <button class="product" class:unavailable=!p.available on:click=move |_| tap_product(product.clone())>
                                <span class="product-name">{p.name.clone()}</span>
                                <span class="product-price">{price}</span>
                            </button>
                        }
                    })
                    .collect_view()
            })
        })
    };
    let lines = move || {
        let (order, currency) = (order.get()?, currency());
        let stations = snapshot.with(|s| s.as_ref().map(|s| s.menu.stations.clone()))?;
        let mut groups = vec![(
            "To send".to_owned(),
            "new".to_owned(),
            order
                .lines
                .iter()
                .filter(|l| l.status == LineStatus::New)
                .cloned()
                .collect::<Vec<_>>(),
        )];
        for station in stations {
            let sent: Vec<OrderLine> = order
                .lines
                .iter()
                .filter(|l| l.status != LineStatus::New && l.station_id == station.id)
                .cloned()
                .collect();
            groups.push((station.name.clone(), station.id.0.clone(), sent));
        }
        Some(
            groups
                .into_iter()
                .filter(|(_, _, lines)| !lines.is_empty())
                .map(|(name, key, lines)| {
                    let items = lines
                        .into_iter()
                        .map(|l| line_view(l, &currency))
                        .collect_view();
                    view! {
                        <section class="line-group" data-group=key>
                            <h3>{name}</h3>
                            <ul>{items}</ul>
                        </section>
                    }
                })
                .collect_view(),
        )
    };

    view! {
        <TopBar title=title live=live back="/floor"/>
        <ErrorBanner error=error/>
        <main class="page order">
            <nav class="chips">{categories}</nav>
            <div class="products">{products}</div>
            <section class="order-lines">{lines}</section>
        </main>
        <footer class="send-bar">
            <span class="total" aria-label="Total">{total}</span>
            <Show when=move || ready() != 0>
                <button class="ready-button" on:click=serve>{move || format!("Served {}", ready())}</button>
            </Show>
            <button class="primary" disabled=move || busy.get() || unsent() == 0 on:click=send>
                {move || match unsent() { 0 => "Nothing to send".to_owned(), n => format!("Send {n}") }}
            </button>
        </footer>
        {move || {
            let product = sheet.get()?;
            let menu = snapshot.with(|s| s.as_ref().map(|s| s.menu.clone()))?;
            Some(view! {
                <OptionsSheet product=product menu=menu currency=currency() on_add=add_line on_close=Callback::new(move |_| sheet.set(None))/>
            })
        }}
    }
}

fn line_view(line: OrderLine, currency: &str) -> impl IntoView {
    let status = format!("{:?}", line.status).to_lowercase();
    let options = line
        .options
        .iter()
        .map(|o| o.name.clone())
        .collect::<Vec<_>>()
        .join(", ");
    view! {
        <li class="order-line" data-status=status.clone()>
            <span class="qty">{line.quantity} "×"</span>
            <span class="item">
                {line.product_name.clone()}
                {(!options.is_empty()).then(|| view! { <small class="line-options">{options}</small> })}
                {(!line.note.is_empty()).then(|| view! { <small class="line-note">{line.note.clone()}</small> })}
            </span>
            <span class=format!("status status-{status}")>{status.clone()}</span>
            <span class="amount">{Money::new(line.total_minor(), currency).to_string()}</span>
        </li>
    }
}
