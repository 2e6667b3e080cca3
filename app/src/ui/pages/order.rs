//! A table's order on the waiter's phone: browse the menu by category, add items with
//! options and a note, watch the running total, send. Sent items are listed by station
//! with their status, live. Everything works from this phone's store, offline too; lines
//! the server has not confirmed yet are marked. A takeaway order also shows its customer,
//! whether their text went out, and a "Ready for pickup" button.

use crate::api::{OpAction, PrintJob};
use crate::domain::menu::Product;
use crate::domain::orders::{LineStatus, NewLine, OrderLine};
use crate::domain::payments::NewPayment;
use crate::domain::takeaway::{SmsStatus, Takeaway};
use crate::domain::{CategoryId, LineId, Money, OrderId};
use crate::ui::client;
use crate::ui::components::{
    DiscountSheet, ErrorBanner, OptionsSheet, PaymentSheet, PrinterBanner, RefusedList,
    SignInFirst, TopBar, VoidSheet, WriteOffSheet,
};
use crate::ui::live::use_live_events;
use crate::ui::scanner::use_scanner;
use crate::ui::session::use_session;
use crate::ui::store::use_store;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_navigate, use_params_map};

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

/// One order on screen. At the counter (`on_next_sale` given) it also takes barcode scans
/// and offers "Park sale" (unpaid) or "Next customer".
#[component]
pub(crate) fn OrderScreen(
    order_id: OrderId,
    #[prop(optional)] on_next_sale: Option<Callback<()>>,
) -> impl IntoView {
    let session = use_session();
    let store = use_store();
    let category = RwSignal::new(None::<CategoryId>);
    let sheet = RwSignal::new(None::<Product>);
    let notice = RwSignal::new(None::<String>);
    let connected = use_live_events(move |event| store.on_live(event));
    let local = Memo::new(move |_| store.view(session));
    let order = Memo::new(move |_| local.with(|v| v.order(order_id).cloned()));
    let menu = Memo::new(move |_| store.snapshot.with(|s| s.as_ref().map(|s| s.menu.clone())));
    Effect::new(move |_| {
        if category.get_untracked().is_none() {
            category
                .set(menu.with(|m| m.as_ref().and_then(|m| m.categories.first().map(|c| c.id))));
        }
    });

    // The seat new items are for; None for the whole table.
    let seat = RwSignal::new(None::<i64>);
    let add_line = Callback::new(move |mut line: NewLine| {
        sheet.set(None);
        line.id = Some(LineId::new_v7());
        line.seat = seat.get_untracked();
        store.record(OpAction::AddLines {
            order_id,
            lines: vec![line],
        });
    });
    let tap_product = move |product: Product| {
        if !product.available {
            notice.set(Some(format!(
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
                seat: None,
            });
        } else {
            sheet.set(Some(product));
        }
    };
    let scanned = RwSignal::new(None::<String>);
    if on_next_sale.is_some() {
        use_scanner(move |code| {
            let found = menu.with_untracked(|m| {
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
                    tap_product(product);
                }
                None => {
                    scanned.set(None);
                    notice.set(Some(format!("No product has the code {code}.")));
                }
            }
        });
    }
    let send = move |_| store.record(OpAction::SendOrder { order_id });
    let serve = move |_| store.record(OpAction::ServeReady { order_id });
    let count = move |status: LineStatus| {
        order.with(|o| {
            o.as_ref()
                .map_or(0, |o| o.lines.iter().filter(|l| l.status == status).count())
        })
    };

    let currency = move || {
        store.snapshot.with(|s| {
            s.as_ref()
                .map(|s| s.venue.currency.clone())
                .unwrap_or_default()
        })
    };
    let title = Signal::derive(move || {
        let Some((table_id, takeaway, number)) = order.with(|o| {
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
        let table = store.snapshot.with(|s| {
            s.as_ref()?
                .floor
                .tables
                .iter()
                .find(|t| Some(t.id) == table_id)
                .map(|t| t.label.clone())
        });
        format!("Table {} · {number}", table.unwrap_or_default())
    });
    // Under the venue's tax rules: where prices exclude tax, it is added here.
    let total = move || {
        let rules = store.snapshot.with(|s| {
            s.as_ref()
                .map(|s| (s.venue.tax_mode, s.venue.tax_rounding))
                .unwrap_or_default()
        });
        let owed = order.with(|o| {
            o.as_ref()
                .map_or(0, |o| o.totals(rules.0, rules.1).total_minor)
        });
        Money::new(owed, currency()).to_string()
    };
    let live = Signal::derive(move || connected.get() && store.online.get());
    let takeaway = Memo::new(move |_| order.with(|o| o.as_ref().and_then(|o| o.takeaway.clone())));
    let sms_enabled = move || {
        store
            .snapshot
            .with(|s| s.as_ref().is_some_and(|s| s.venue.sms_enabled))
    };
    let at_station = move || count(LineStatus::Sent) + count(LineStatus::Preparing);
    // Online only: the bill is printed from the server's copy of the order.
    // Paying and closing, through the outbox like every other change to the order (a tip
    // that needs a manager's PIN goes online; see `PaymentSheet`).
    let paying = RwSignal::new(false);
    let left = move || {
        let rules = store.snapshot.with(|s| {
            s.as_ref()
                .map(|s| (s.venue.tax_mode, s.venue.tax_rounding))
                .unwrap_or_default()
        });
        order.with(|o| o.as_ref().map_or(0, |o| o.left_to_pay(rules.0, rules.1)))
    };
    let has_items = move || order.with(|o| o.as_ref().is_some_and(|o| o.total_minor() > 0));
    let can_pay = move || has_items() && left() > 0;
    let can_close = move || has_items() && left() <= 0;
    let part_paid =
        move || can_pay() && order.with(|o| o.as_ref().is_some_and(|o| !o.payments.is_empty()));
    // What is paid for gets made: items not sent yet go to their stations first (a
    // counter sale is often paid before anyone taps Send).
    let send_unsent = move || {
        let unsent = order.with_untracked(|o| {
            o.as_ref()
                .is_some_and(|o| o.lines.iter().any(|l| l.status == LineStatus::New))
        });
        if unsent {
            store.record(OpAction::SendOrder { order_id });
        }
    };
    let take_payment = Callback::new(move |payment: NewPayment| {
        paying.set(false);
        send_unsent();
        store.record(OpAction::TakePayment { order_id, payment });
    });
    // Taken online with a manager's PIN (a tip above the limit): the server's order. The
    // items not sent yet follow through the outbox, as with any payment.
    let paid_with_approval = Callback::new(move |o: crate::domain::orders::Order| {
        paying.set(false);
        send_unsent();
        store.adopt_order(o);
    });
    let navigate = use_navigate();
    let close_order = {
        let navigate = navigate.clone();
        move |_| {
            store.record(OpAction::CloseOrder { order_id });
            navigate("/floor", Default::default());
        }
    };
    // Nothing sent, nothing paid: a table opened by mistake can simply be cancelled.
    let can_cancel = move || order.with(|o| o.as_ref().is_some_and(|o| o.check_cancel().is_ok()));
    let cancel_order = move |_| {
        store.record(OpAction::CancelOrder { order_id });
        // At the counter the next customer comes; elsewhere, back to the floor.
        match on_next_sale {
            Some(next) => next.run(()),
            None => navigate("/floor", Default::default()),
        }
    };
    let payments = move || {
        let currency = currency();
        order.with(|o| {
            o.as_ref().map(|o| {
                o.payments
                    .iter()
                    .map(|p| {
                        let mut text = format!(
                            "{} {}",
                            p.method.label(),
                            Money::new(p.amount_minor, &currency)
                        );
                        if p.tip_minor > 0 {
                            text.push_str(&format!(", tip {}", Money::new(p.tip_minor, &currency)));
                        }
                        if p.change_minor > 0 {
                            text.push_str(&format!(
                                ", change {}",
                                Money::new(p.change_minor, &currency)
                            ));
                        }
                        view! { <li>{text}</li> }
                    })
                    .collect_view()
            })
        })
    };
    let discounts = move || {
        let currency = currency();
        order.with(|o| {
            o.as_ref().map(|o| {
                o.discounts
                    .iter()
                    .zip(crate::domain::discounts::taken(o))
                    .filter(|(_, off)| *off > 0)
                    .map(|(d, off)| {
                        let text = format!("Discount {} {}", d.reason, Money::new(-off, &currency));
                        view! { <li class="discount">{text}</li> }
                    })
                    .collect_view()
            })
        })
    };
    let discounting = RwSignal::new(false);
    let writing_off = RwSignal::new(false);
    let navigate_home = use_navigate();
    let written_off = Callback::new(move |o: crate::domain::orders::Order| {
        writing_off.set(false);
        store.adopt_order(o);
        navigate_home("/floor", Default::default());
    });
    let discounted = Callback::new(move |o: crate::domain::orders::Order| {
        discounting.set(false);
        store.adopt_order(o);
    });
    // Seats to choose from: the table's, none for a takeaway.
    let seat_count = move || {
        let table_id = order.with(|o| o.as_ref().and_then(|o| o.table_id))?;
        store.snapshot.with(|s| {
            s.as_ref()?
                .floor
                .tables
                .iter()
                .find(|t| t.id == table_id)
                .map(|t| t.seats)
        })
    };
    let seat_chips = move || {
        let n = seat_count()?;
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
    };
    let voiding = RwSignal::new(None::<OrderLine>);
    // A line never sent was a slip: it just goes. A sent one is voided, with a reason.
    let start_void = Callback::new(move |line: OrderLine| {
        if line.status == LineStatus::New {
            store.record(OpAction::RemoveLine {
                order_id,
                line_id: line.id,
            });
        } else {
            voiding.set(Some(line));
        }
    });
    let voided = Callback::new(move |o: crate::domain::orders::Order| {
        voiding.set(None);
        store.adopt_order(o);
    });
    let bill_state = RwSignal::new(None::<String>);
    let print_bill = move |_| {
        spawn_local(async move {
            let path = format!("/orders/{order_id}/bill");
            match client::post_empty::<Vec<PrintJob>>(&path).await {
                Ok(jobs) => {
                    let printers: Vec<_> = jobs.iter().map(|j| j.printer_name.clone()).collect();
                    let printers = printers.join(", ");
                    bill_state.set(Some(format!("The bill is printing on {printers}.")));
                }
                Err(e) => notice.set(Some(e.message())),
            }
        })
    };
    // Through the outbox, so it reaches the server after the send before it.
    let call_ready = move |_| store.record(OpAction::ReadyForPickup { order_id });
    let customer = move || {
        let t = takeaway.get()?;
        let text = sms_text(&t, sms_enabled());
        Some(view! {
            <section class="customer" aria-label="Customer">
                <strong>{t.customer_name.clone()}</strong>
                " " <span class="phone">{t.phone.clone().unwrap_or_default()}</span>
                <p class="sms-state" data-sms=t.sms.as_ref().map(|m| format!("{:?}", m.status).to_lowercase())>{text}</p>
                {on_next_sale.map(|next| view! {
                    <p class="scan-state" role="status">{move || scanned.get().unwrap_or_else(|| "Scan an item or tap it below.".into())}</p>
                    // Unpaid, the sale is parked: it stays open and is resumed from the list.
                    <button class="next-sale" on:click=move |_| next.run(())>
                        {move || if can_pay() { "Park sale" } else { "Next customer" }}
                    </button>
                })}
            </section>
        })
    };

    let categories = move || {
        menu.with(|m| {
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
        let currency = currency();
        menu.with(|m| {
            m.as_ref().map(|m| {
                m.products
                    .iter()
                    .filter(|p| Some(p.category_id) == selected)
                    .map(|p| {
                        let product = p.clone();
                        let price = Money::new(p.price_minor, currency.clone()).to_string();
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
        let stations = menu.with(|m| m.as_ref().map(|m| m.stations.clone()))?;
        let pending = local.with(|v| v.pending_lines.clone());
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
                        .map(|l| {
                            let waiting = pending.contains(&l.id);
                            line_view(l, &currency, waiting, start_void)
                        })
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
        <ErrorBanner error=notice/>
        <RefusedList/>
        <PrinterBanner/>
        <main class="page order">
            <Show when=move || {
                order.with(Option::is_none) && store.snapshot.with(Option::is_some) && store.recording.get() == 0
            }>
                <p class="empty">"This order is not on this phone. Go back to the floor and open the table."</p>
            </Show>
            {customer}
            {seat_chips}
            <nav class="chips">{categories}</nav>
            <div class="products">{products}</div>
            <section class="order-lines">{lines}</section>
            <section class="payments" aria-label="Payments">
                <ul>{discounts}{payments}</ul>
                <Show when=part_paid>
                    <p class="left-to-pay">"Left to pay " {move || Money::new(left(), currency()).to_string()}</p>
                </Show>
            </section>
            <div class="order-actions">
                <Show when=has_items>
                    <button class="secondary print-bill" on:click=print_bill>"Print bill"</button>
                </Show>
                <Show when=can_pay>
                    <button class="secondary give-discount" on:click=move |_| discounting.set(true)>"Discount"</button>
                    <button class="primary pay" on:click=move |_| paying.set(true)>"Pay"</button>
                    <button class="secondary write-off" on:click=move |_| writing_off.set(true)>"Write off"</button>
                </Show>
                <Show when=can_close>
                    <button class="primary close-order" on:click=close_order.clone()>"Close table"</button>
                </Show>
                <Show when=can_cancel>
                    <button class="secondary cancel-order" on:click=cancel_order.clone()>"Cancel order"</button>
                </Show>
            </div>
            <p class="hint" role="status">{move || bill_state.get()}</p>
        </main>
        <footer class="send-bar">
            <span class="total" aria-label="Total">{total}</span>
            <Show when=move || takeaway.with(Option::is_some) && at_station() != 0>
                <button class="ready-button" on:click=call_ready>"Ready for pickup"</button>
            </Show>
            <Show when=move || count(LineStatus::Ready) != 0>
                <button class="ready-button" on:click=serve>{move || format!("Served {}", count(LineStatus::Ready))}</button>
            </Show>
            <button class="primary" disabled=move || count(LineStatus::New) == 0 on:click=send>
                {move || match count(LineStatus::New) { 0 => "Nothing to send".to_owned(), n => format!("Send {n}") }}
            </button>
        </footer>
        // The sheets are made once when opened: a live update must not wipe what is typed.
        {move || {
            if !paying.get() {
                return None;
            }
            let (current, currency) = untrack(move || (order.get(), currency()));
            let rules = untrack(move || store.snapshot.with(|s| {
                s.as_ref().map(|s| (s.venue.tax_mode, s.venue.tax_rounding, s.venue.payment_rules()))
            }));
            let manages = untrack(move || session.role().is_some_and(|r| r.manages()));
            let (current, rules) = (current?, rules?);
            Some(view! {
                <PaymentSheet order=current tax_mode=rules.0 tax_rounding=rules.1 rules=rules.2 manages=manages
                    currency=currency on_pay=take_payment on_approved=paid_with_approval
                    on_close=Callback::new(move |_| paying.set(false))/>
            })
        }}
        {move || writing_off.get().then(|| {
            let (left, currency) = untrack(move || (left(), currency()));
            view! {
                <WriteOffSheet order_id=order_id left_minor=left currency=currency on_done=written_off
                    on_close=Callback::new(move |_| writing_off.set(false))/>
            }
        })}
        {move || {
            if !discounting.get() {
                return None;
            }
            let (current, currency) = untrack(move || (order.get(), currency()));
            let limit = untrack(move || store.snapshot.with(|s| s.as_ref().map_or(0, |s| s.discount_approval_above_minor)));
            let current = current?;
            Some(view! {
                <DiscountSheet order=current approval_above_minor=limit currency=currency
                    on_given=discounted on_close=Callback::new(move |_| discounting.set(false))/>
            })
        }}
        {move || {
            let line = voiding.get()?;
            let (rules, currency) = untrack(move || {
                let rules = store.snapshot.with(|s| {
                    s.as_ref().map(|s| (s.void_reasons.clone(), s.void_approval_above_minor))
                });
                (rules, currency())
            });
            let (reasons, limit) = rules?;
            Some(view! {
                <VoidSheet order_id=order_id line=line reasons=reasons approval_above_minor=limit currency=currency
                    on_voided=voided on_close=Callback::new(move |_| voiding.set(None))/>
            })
        }}
        {move || {
            let product = sheet.get()?;
            let (menu, currency) = untrack(move || (menu.get(), currency()));
            let menu = menu?;
            Some(view! {
                <OptionsSheet product=product menu=menu currency=currency on_add=add_line on_close=Callback::new(move |_| sheet.set(None))/>
            })
        }}
    }
}

/// What happened to a takeaway customer's "ready" text, in words.
fn sms_text(t: &Takeaway, sms_enabled: bool) -> String {
    if !t.sms_consent {
        return "No text: the customer did not ask for one.".into();
    }
    let off = "SMS is off: the text waits until a manager sets up the SMS provider.";
    match &t.sms {
        None if sms_enabled => "A text goes out when the order is ready.".into(),
        None => off.into(),
        Some(m) => match (m.status, &m.last_error) {
            (SmsStatus::Queued, _) if !sms_enabled => off.into(),
            (SmsStatus::Queued, Some(e)) => format!("Text not sent yet, retrying: {e}"),
            (SmsStatus::Queued | SmsStatus::Sending, None) => "Sending the text…".into(),
            (SmsStatus::Sending, Some(_)) => "Sending the text again…".into(),
            (SmsStatus::Sent, _) => "Text sent: the customer knows it is ready.".into(),
            (SmsStatus::Failed, e) => format!(
                "Text failed: {}",
                e.as_deref().unwrap_or("the provider refused it")
            ),
        },
    }
}

/// One line; `waiting` while this phone has not yet heard back from the server about it.
fn line_view(
    line: OrderLine,
    currency: &str,
    waiting: bool,
    on_void: Callback<OrderLine>,
) -> impl IntoView {
    let status = format!("{:?}", line.status).to_lowercase();
    let options = line
        .options
        .iter()
        .map(|o| o.name.clone())
        .collect::<Vec<_>>()
        .join(", ");
    view! {
        <li class="order-line" class:waiting=waiting data-status=status.clone() title=if waiting { "Not confirmed by the server yet" } else { "" }>
            <span class="qty">{line.quantity} "×"</span>
            {line.seat.map(|s| view! { <span class="seat-badge" title=format!("Seat {s}")>{format!("S{s}")}</span> })}
            <span class="item">
                {line.product_name.clone()}
                {(!options.is_empty()).then(|| view! { <small class="line-options">{options}</small> })}
                {(!line.note.is_empty()).then(|| view! { <small class="line-note">{line.note.clone()}</small> })}
            </span>
            <span class=format!("status status-{status}")>{status.clone()}</span>
            <span class="amount">{Money::new(line.total_minor(), currency).to_string()}</span>
            {(line.status != LineStatus::Void && !waiting).then(|| {
                let verb = if line.status == LineStatus::New { "Remove" } else { "Void" };
                let label = format!("{verb} {}", line.product_name);
                view! { <button class="void-line" aria-label=label on:click=move |_| on_void.run(line.clone())>"×"</button> }
            })}
        </li>
    }
}
