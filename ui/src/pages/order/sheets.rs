//! The order's sheets: options for an item, payment, discount, write-off, void, and the
//! table to move to or to merge here. Each is opened by a tap elsewhere on the screen (`Open`) and made
//! once when it opens, so a live update of the order does not wipe what is typed into it.

use super::OrderCtx;
use crate::components::{
    DiscountSheet, OptionsSheet, PaymentSheet, StaffSheet, TableChoice, TableSheet, VoidSheet,
    WriteOffSheet,
};
use crate::session::use_session;
use app::api::OpAction;
use app::domain::floor::Floor;
use app::domain::line_changes::LineChange;
use app::domain::menu::Product;
use app::domain::orders::{LineStatus, NewLine, Order, OrderLine};
use app::domain::payments::NewPayment;
use app::domain::Money;
use app::domain::TableId;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

/// Which sheet is open, if any.
#[derive(Clone, Copy)]
pub(super) struct Open {
    pub options: RwSignal<Option<Product>>,
    pub paying: RwSignal<bool>,
    pub discounting: RwSignal<bool>,
    pub writing_off: RwSignal<bool>,
    pub voiding: RwSignal<Option<OrderLine>>,
    /// A line not sent yet, opened to change.
    pub editing: RwSignal<Option<OrderLine>>,
    /// Choosing a table to move the order to, or whose order joins this one.
    pub transferring: RwSignal<Option<Transfer>>,
    /// Choosing whom to hand the table to.
    pub handing_over: RwSignal<bool>,
}

/// What a table chosen in the table sheet is for.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Transfer {
    /// The order moves there (a free table).
    Move,
    /// That table's order is merged into this one (an open table).
    Merge,
}

impl Default for Open {
    fn default() -> Self {
        Self {
            options: RwSignal::new(None),
            paying: RwSignal::new(false),
            discounting: RwSignal::new(false),
            writing_off: RwSignal::new(false),
            voiding: RwSignal::new(None),
            editing: RwSignal::new(None),
            transferring: RwSignal::new(None),
            handing_over: RwSignal::new(false),
        }
    }
}

impl Open {
    /// A line never sent was a slip: it just goes. A sent one is voided, with a reason.
    pub fn start_void(self, ctx: OrderCtx) -> Callback<OrderLine> {
        Callback::new(move |line: OrderLine| {
            if line.status == LineStatus::New {
                ctx.store.record(OpAction::RemoveLine {
                    order_id: ctx.order_id,
                    line_id: line.id,
                });
            } else {
                self.voiding.set(Some(line));
            }
        })
    }
}

#[component]
pub(super) fn Sheets(
    ctx: OrderCtx,
    open: Open,
    on_add: Callback<NewLine>,
    seats: Signal<i64>,
) -> impl IntoView {
    let session = use_session();
    let store = ctx.store;
    let order_id = ctx.order_id;
    // Paying goes through the outbox like every other change to the order (a tip that
    // needs a manager's PIN goes online; see `PaymentSheet`).
    let take_payment = Callback::new(move |payment: NewPayment| {
        open.paying.set(false);
        ctx.send_unsent();
        store.record(OpAction::TakePayment { order_id, payment });
    });
    // Taken online with a manager's PIN (a tip above the limit): the server's order. The
    // items not sent yet follow through the outbox, as with any payment.
    let paid_with_approval = Callback::new(move |o: Order| {
        open.paying.set(false);
        ctx.send_unsent();
        store.adopt_order(o);
    });
    let navigate = use_navigate();
    let written_off = Callback::new(move |o: Order| {
        open.writing_off.set(false);
        store.adopt_order(o);
        navigate("/floor", Default::default());
    });
    let discounted = Callback::new(move |o: Order| {
        open.discounting.set(false);
        store.adopt_order(o);
    });
    let voided = Callback::new(move |o: Order| {
        open.voiding.set(None);
        store.adopt_order(o);
    });
    // Only what the waiter changed goes in the op.
    let saved = Callback::new(move |asked: NewLine| {
        let Some(line) = open.editing.get_untracked() else {
            return;
        };
        open.editing.set(None);
        let change = LineChange::between(&line, &asked);
        if !change.is_empty() {
            store.record(OpAction::ChangeLine {
                order_id,
                line_id: line.id,
                change,
            });
        }
    });

    view! {
        {move || {
            if !open.paying.get() {
                return None;
            }
            let (current, currency) = untrack(move || (ctx.order.get(), ctx.currency()));
            let rules = untrack(move || store.snapshot.with(|s| {
                s.as_ref().map(|s| (s.venue.tax_mode, s.venue.tax_rounding, s.venue.payment_rules()))
            }));
            let manages = untrack(move || session.role().is_some_and(|r| r.manages()));
            let (current, rules) = (current?, rules?);
            Some(view! {
                <PaymentSheet order=current tax_mode=rules.0 tax_rounding=rules.1 rules=rules.2 manages=manages
                    currency=currency on_pay=take_payment on_approved=paid_with_approval
                    on_close=Callback::new(move |_| open.paying.set(false))/>
            })
        }}
        {move || open.writing_off.get().then(|| {
            let (left, currency) = untrack(move || (ctx.left(), ctx.currency()));
            view! {
                <WriteOffSheet order_id=order_id left_minor=left currency=currency on_done=written_off
                    on_close=Callback::new(move |_| open.writing_off.set(false))/>
            }
        })}
        {move || {
            if !open.discounting.get() {
                return None;
            }
            let (current, currency) = untrack(move || (ctx.order.get(), ctx.currency()));
            let limit = untrack(move || store.snapshot.with(|s| s.as_ref().map_or(0, |s| s.discount_approval_above_minor)));
            let current = current?;
            Some(view! {
                <DiscountSheet order=current approval_above_minor=limit currency=currency
                    on_given=discounted on_close=Callback::new(move |_| open.discounting.set(false))/>
            })
        }}
        {move || {
            let line = open.voiding.get()?;
            let (rules, currency) = untrack(move || {
                let rules = store.snapshot.with(|s| {
                    s.as_ref().map(|s| (s.void_reasons.clone(), s.void_approval_above_minor))
                });
                (rules, ctx.currency())
            });
            let (reasons, limit) = rules?;
            Some(view! {
                <VoidSheet order_id=order_id line=line reasons=reasons approval_above_minor=limit currency=currency
                    on_voided=voided on_close=Callback::new(move |_| open.voiding.set(None))/>
            })
        }}
        {move || {
            let product = open.options.get()?;
            let (menu, currency) = untrack(move || (ctx.menu.get(), ctx.currency()));
            let menu = menu?;
            Some(view! {
                <OptionsSheet product=product menu=menu currency=currency on_add=on_add
                    on_close=Callback::new(move |_| open.options.set(None))/>
            })
        }}
        {move || {
            let transfer = open.transferring.get()?;
            // Made once when it opens, from the floor as this phone sees it.
            let (floor, from, choices) = untrack(move || table_choices(ctx, transfer))?;
            let (title, verb, none) = match transfer {
                Transfer::Move => (format!("Move table {from} to…"), "Move to table", "Every table is taken."),
                Transfer::Merge => (format!("Which table joins table {from}?"), "Merge table", "No other table is open."),
            };
            let picked = Callback::new(move |table_id| {
                open.transferring.set(None);
                match transfer {
                    Transfer::Move => store.record(OpAction::MoveOrder { order_id, table_id }),
                    Transfer::Merge => merge_here(ctx, table_id),
                }
            });
            Some(view! {
                <TableSheet floor=floor choices=choices title=title verb=verb none=none on_pick=picked
                    on_close=Callback::new(move |_| open.transferring.set(None))/>
            })
        }}
        {move || {
            if !open.handing_over.get() {
                return None;
            }
            // Made once when it opens: who takes tables, but whoever has this one now.
            let (staff, title) = untrack(move || {
                let order = ctx.order.get()?;
                let staff: Vec<_> = store.snapshot.with(|s| {
                    let s = s.as_ref()?;
                    Some(s.staff.iter().filter(|m| m.active && m.role.takes_orders() && m.id != order.waiter()).cloned().collect())
                })?;
                let title = match ctx.table_label() {
                    Some(table) => format!("Hand table {table} to…"),
                    None => "Hand this order to…".to_owned(),
                };
                Some((staff, title))
            })?;
            // The table is someone else's now: back to the floor, where its tile says whose.
            let navigate = use_navigate();
            let picked = Callback::new(move |staff_id| {
                open.handing_over.set(false);
                store.record(OpAction::HandOver { order_id, staff_id });
                navigate("/floor", Default::default());
            });
            Some(view! {
                <StaffSheet staff=staff title=title on_pick=picked
                    on_close=Callback::new(move |_| open.handing_over.set(false))/>
            })
        }}
        {move || {
            let line = open.editing.get()?;
            let (menu, currency, seats) = untrack(move || (ctx.menu.get(), ctx.currency(), seats.get()));
            let menu = menu?;
            // A product taken off the menu since: the line keeps what it has.
            let product = menu.product(line.product_id).cloned()?;
            Some(view! {
                <OptionsSheet product=product menu=menu currency=currency editing=line seats=seats
                    on_add=saved on_close=Callback::new(move |_| open.editing.set(None))/>
            })
        }}
    }
}

/// The floor, the label of the order's table, and the tables to offer: the free ones to
/// move to, or the other open ones (with their totals) to merge here.
fn table_choices(ctx: OrderCtx, transfer: Transfer) -> Option<(Floor, String, Vec<TableChoice>)> {
    let floor = ctx
        .store
        .snapshot
        .with(|s| s.as_ref().map(|s| s.floor.clone()))?;
    let (mode, rounding) = ctx.tax_rules();
    let currency = ctx.currency();
    let from = ctx.table_label()?;
    let choices = ctx.local.with(|v| {
        let offer = |id| match (transfer, v.open_order_at(id)) {
            (Transfer::Move, None) => Some(TableChoice { id, detail: None }),
            (Transfer::Merge, Some(o)) if o.id != v.order(ctx.order_id)?.id => {
                let total = o.totals(mode, rounding).total_minor;
                let detail = Some(Money::new(total, currency.clone()).to_string());
                Some(TableChoice { id, detail })
            }
            _ => None,
        };
        floor.tables.iter().filter_map(|t| offer(t.id)).collect()
    });
    Some((floor, from, choices))
}

/// Merges the order open at `table` into this one, or says why the server would refuse.
fn merge_here(ctx: OrderCtx, table: TableId) {
    let labels = |o: &Order| ctx.label_of(o.table_id);
    let checked = ctx.local.with_untracked(|v| {
        let (other, here) = (v.open_order_at(table)?, v.order(ctx.order_id)?);
        let (from, to) = (
            labels(other).unwrap_or_default(),
            labels(here).unwrap_or_default(),
        );
        Some(other.check_merge(here, &from, &to).map(|_| other.id))
    });
    match checked {
        Some(Ok(other)) => ctx.store.record(OpAction::MergeOrders {
            order_id: other,
            into_order_id: ctx.order_id,
        }),
        Some(Err(why)) => ctx.notice.set(Some(why.to_string())),
        None => {}
    }
}
