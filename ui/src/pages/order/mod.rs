//! A table's order on the waiter's phone: browse the menu by category, add items with
//! options and a note, watch the running total, send. Sent items are listed by station
//! with their status, live. Everything works from this phone's store, offline too; lines
//! the server has not confirmed yet are marked. A takeaway order also shows its customer,
//! whether their text went out, and a "Ready for pickup" button.
//!
//! The screen is put together here from its parts, which share one `OrderCtx`: `menu`
//! (seats, categories, products), `lines` (what is ordered, by station), `takeaway` (the
//! customer), `actions` (payments, the order's actions and the send bar) and `sheets`
//! (payment, discount, write-off, void and options, each opened from one of the others).

mod actions;
mod lines;
mod menu;
mod sheets;
mod takeaway;

use crate::components::{ErrorBanner, PrinterBanner, RefusedList, SignInFirst, TopBar};
use crate::live::use_live_events;
use crate::scanner::use_scanner;
use crate::session::use_session;
use crate::store::{use_store, Store};
use app::api::OpAction;
use app::domain::bill::{TaxMode, TaxRounding};
use app::domain::line_changes::LineChange;
use app::domain::menu::{Menu, Product};
use app::domain::orders::{LineStatus, NewLine, Order};
use app::domain::{CategoryId, LineId, OrderId};
use app::local::{rule_discounts, LocalView};
use leptos::prelude::*;
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

/// What every part of the order screen reads: the order as this phone sees it, the menu,
/// the venue's rules, and where a problem is told.
#[derive(Clone, Copy)]
struct OrderCtx {
    order_id: OrderId,
    store: Store,
    local: Memo<LocalView>,
    order: Memo<Option<Order>>,
    menu: Memo<Option<Menu>>,
    notice: RwSignal<Option<String>>,
}

impl OrderCtx {
    /// The label of the order's table ("4"); None for a takeaway.
    fn table_label(self) -> Option<String> {
        self.label_of(self.order.with(|o| o.as_ref().and_then(|o| o.table_id)))
    }

    /// The label of `table` on the floor, if it is one.
    fn label_of(self, table: Option<app::domain::TableId>) -> Option<String> {
        self.store.snapshot.with(|s| {
            let tables = &s.as_ref()?.floor.tables;
            let table = tables.iter().find(|t| Some(t.id) == table)?;
            Some(table.label.clone())
        })
    }

    fn currency(self) -> String {
        self.store.snapshot.with(|s| {
            s.as_ref()
                .map(|s| s.venue.currency.clone())
                .unwrap_or_default()
        })
    }

    /// Lines of the order in this state.
    fn count(self, status: LineStatus) -> usize {
        self.order.with(|o| {
            o.as_ref()
                .map_or(0, |o| o.lines.iter().filter(|l| l.status == status).count())
        })
    }

    /// Items (quantities summed) that Send sends: not sent yet, and not held. "3× Lager"
    /// is three.
    fn items_to_send(self) -> i64 {
        self.order.with(|o| {
            o.as_ref().map_or(0, |o| {
                o.lines
                    .iter()
                    .filter(|l| l.status == LineStatus::New && !o.is_held(l))
                    .map(|l| l.quantity)
                    .sum()
            })
        })
    }

    /// The venue's tax rules, which the total and what is left to pay follow.
    fn tax_rules(self) -> (TaxMode, TaxRounding) {
        self.store.snapshot.with(|s| {
            s.as_ref()
                .map(|s| (s.venue.tax_mode, s.venue.tax_rounding))
                .unwrap_or_default()
        })
    }

    fn total(self) -> i64 {
        let (mode, rounding) = self.tax_rules();
        self.order.with(|o| {
            o.as_ref()
                .map_or(0, |o| o.totals(mode, rounding).total_minor)
        })
    }

    fn left(self) -> i64 {
        let (mode, rounding) = self.tax_rules();
        self.order
            .with(|o| o.as_ref().map_or(0, |o| o.left_to_pay(mode, rounding)))
    }

    /// The seats to offer: one per guest counted (else the table's seats), and any seat
    /// a line is on already (a merged table's).
    fn seats(self) -> Option<i64> {
        let (table_id, guests, used) = self.order.with(|o| {
            let o = o.as_ref()?;
            Some((o.table_id?, o.guests, o.highest_seat()))
        })?;
        let table_seats = self.store.snapshot.with(|s| {
            s.as_ref()?
                .floor
                .tables
                .iter()
                .find(|t| t.id == table_id)
                .map(|t| t.seats)
        })?;
        Some(guests.unwrap_or(table_seats).max(used))
    }

    fn has_items(self) -> bool {
        self.order
            .with(|o| o.as_ref().is_some_and(|o| o.total_minor() > 0))
    }

    fn can_pay(self) -> bool {
        self.has_items() && self.left() > 0
    }

    /// What is paid for gets made: items not sent yet go to their stations first (a
    /// counter sale is often paid before anyone taps Send), as Send would send them: a
    /// held course stays held until it is fired.
    fn send_unsent(self) {
        let unsent = self.order.with_untracked(|o| {
            let o = o.as_ref()?;
            let waiting = o
                .lines
                .iter()
                .any(|l| l.status == LineStatus::New && !o.is_held(l));
            waiting.then(|| o.send_now())
        });
        if let Some(up_to_course) = unsent {
            self.store.record(OpAction::SendOrder {
                order_id: self.order_id,
                up_to_course,
            });
        }
    }
}

/// One order on screen. At the counter (`on_next_sale` given) it also takes barcode scans
/// and offers "Park sale" (unpaid) or "Next customer".
#[component]
pub(crate) fn OrderScreen(
    order_id: OrderId,
    #[prop(optional)] on_next_sale: Option<Callback<()>>,
) -> impl IntoView {
    let session = use_session();
    let store = use_store();
    let connected = use_live_events(move |event| store.on_live(event));
    let local = Memo::new(move |_| store.view(session));
    let ctx = OrderCtx {
        order_id,
        store,
        local,
        order: Memo::new(move |_| local.with(|v| v.order(order_id).cloned())),
        menu: Memo::new(move |_| store.snapshot.with(|s| s.as_ref().map(|s| s.menu.clone()))),
        notice: RwSignal::new(None),
    };
    let sheets = sheets::Open::default();

    // The seat new items are for; None for the whole table.
    let seat = RwSignal::new(None::<i64>);
    // The same item again (same options, note, seat and course) is counted up on this
    // waiter's line not sent yet, so the ticket reads "3× Lager", not three lines; "more",
    // so two phones counting up one line both count. A happy hour on either side keeps
    // the lines apart (`Order::same_unsent`).
    let add_line = Callback::new(move |mut line: NewLine| {
        sheets.options.set(None);
        line.seat = seat.get_untracked();
        let id = LineId::new_v7();
        let same = untrack(|| {
            let me = session.0.with(|s| s.as_ref().map(|s| s.staff.clone()))?;
            let now = js_sys::Date::now() as i64;
            store.snapshot.with(|snap| {
                let snap = snap.as_ref()?;
                let product = snap.menu.product(line.product_id)?;
                // In its category's course unless the waiter said otherwise.
                line.course = line.course.or(Some(snap.menu.course_of(product)));
                let discounted = !rule_discounts(snap, id, line.product_id, &me, now).is_empty();
                ctx.order.with(|o| {
                    o.as_ref()?
                        .same_unsent(&line, me.id, discounted)
                        .map(|l| l.id)
                })
            })
        });
        match same {
            Some(line_id) => store.record(OpAction::ChangeLine {
                order_id,
                line_id,
                change: LineChange {
                    more: Some(line.quantity),
                    ..LineChange::default()
                },
            }),
            None => {
                line.id = Some(id);
                store.record(OpAction::AddLines {
                    order_id,
                    lines: vec![line],
                })
            }
        }
    });
    let tap_product = Callback::new(move |product: Product| {
        if !product.available {
            ctx.notice.set(Some(format!(
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
                course: None,
                seat: None,
            });
        } else {
            sheets.options.set(Some(product));
        }
    });
    let scanned = RwSignal::new(None::<String>);
    if on_next_sale.is_some() {
        use_scanner(move |code| {
            let found = ctx.menu.with_untracked(|m| {
                m.as_ref().and_then(|m| {
                    m.products
                        .iter()
                        .find(|p| p.barcode.as_deref() == Some(&code))
                        .cloned()
                })
            });
            match found {
                Some(product) => {
                    scanned.set(Some(format!("Scanned {}", product.name)));
                    tap_product.run(product);
                }
                None => {
                    scanned.set(None);
                    ctx.notice
                        .set(Some(format!("No product has the code {code}.")));
                }
            }
        });
    }
    let category = RwSignal::new(None::<CategoryId>);
    Effect::new(move |_| {
        if category.get_untracked().is_none() {
            category.set(
                ctx.menu
                    .with(|m| m.as_ref().and_then(|m| m.categories.first().map(|c| c.id))),
            );
        }
    });
    let title = Signal::derive(move || title(ctx));
    let live = Signal::derive(move || connected.get() && store.online.get());

    view! {
        <TopBar title=title live=live back="/floor"/>
        <ErrorBanner error=ctx.notice/>
        <RefusedList/>
        <PrinterBanner/>
        <main class="page order">
            // At the counter, "Next customer" closes a paid sale instead.
            {on_next_sale.is_none().then(|| view! { <actions::PaidBanner ctx=ctx/> })}
            <Show when=move || {
                ctx.order.with(Option::is_none) && store.snapshot.with(Option::is_some) && store.recording.get() == 0
            }>
                <p class="empty">"This order is not on this phone. Go back to the floor and open the table."</p>
            </Show>
            <takeaway::Customer ctx=ctx on_next_sale=on_next_sale scanned=scanned/>
            <menu::SeatChips ctx=ctx seat=seat/>
            <menu::MenuPicker ctx=ctx category=category on_tap=tap_product/>
            <lines::OrderLines ctx=ctx taps=lines::LineTaps {
                on_void: sheets.start_void(ctx),
                on_edit: Callback::new(move |line| sheets.editing.set(Some(line))),
            }/>
            <actions::Payments ctx=ctx/>
            <actions::OrderActions ctx=ctx sheets=sheets on_next_sale=on_next_sale/>
        </main>
        <actions::SendBar ctx=ctx/>
        <sheets::Sheets ctx=ctx open=sheets on_add=add_line seats=Signal::derive(move || ctx.seats().unwrap_or(0))/>
    }
}

/// "Table 4 · #12", "Takeaway Ana · new".
fn title(ctx: OrderCtx) -> String {
    let Some((table_id, takeaway, number)) = ctx.order.with(|o| {
        o.as_ref().map(|o| {
            let customer = o.takeaway.as_ref().map(|t| t.customer_name.clone());
            (o.table_id, customer, o.number)
        })
    }) else {
        return "Order".to_owned();
    };
    let number = if number == 0 {
        "new".to_owned()
    } else {
        format!("#{number}")
    };
    if let Some(customer) = takeaway {
        return format!("Takeaway {customer} · {number}");
    }
    format!(
        "Table {} · {number}",
        ctx.label_of(table_id).unwrap_or_default()
    )
}
