//! The order's sheets: options for an item, payment, discount, write-off, void and the
//! table to move to. Each is opened by a tap elsewhere on the screen (`Open`) and made
//! once when it opens, so a live update of the order does not wipe what is typed into it.

use super::OrderCtx;
use crate::components::{
    DiscountSheet, MoveSheet, OptionsSheet, PaymentSheet, VoidSheet, WriteOffSheet,
};
use crate::session::use_session;
use app::api::OpAction;
use app::domain::line_changes::LineChange;
use app::domain::menu::Product;
use app::domain::orders::{LineStatus, NewLine, Order, OrderLine};
use app::domain::payments::NewPayment;
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
    /// Choosing a table to move the order to.
    pub moving: RwSignal<bool>,
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
            moving: RwSignal::new(false),
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
            if !open.moving.get() {
                return None;
            }
            // Made once when it opens, from the floor as this phone sees it.
            let (floor, states, from) = untrack(move || {
                let floor = store.snapshot.with(|s| s.as_ref().map(|s| s.floor.clone()))?;
                let states = ctx.local.with(|v| {
                    floor.tables.iter().map(|t| (t.id, v.table_state(t.id))).collect::<Vec<_>>()
                });
                let at = ctx.order.with(|o| o.as_ref().and_then(|o| o.table_id))?;
                let from = floor.tables.iter().find(|t| t.id == at).map(|t| t.label.clone())?;
                Some((floor, states, from))
            })?;
            let moved = Callback::new(move |table_id| {
                open.moving.set(false);
                store.record(OpAction::MoveOrder { order_id, table_id });
            });
            Some(view! {
                <MoveSheet floor=floor states=states from=from on_move=moved
                    on_close=Callback::new(move |_| open.moving.set(false))/>
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
