//! The sheet that opens when a waiter taps a product: options, quantity and a note, with
//! the price as it will be charged.

use app::domain::menu::{unit_price_minor, Menu, OptionGroup, OptionKind, Product};
use app::domain::orders::{NewLine, MAX_NOTE_CHARS, MAX_QUANTITY};
use app::domain::{Money, OptionId};
use leptos::prelude::*;

#[component]
pub fn OptionsSheet(
    product: Product,
    menu: Menu,
    currency: String,
    on_add: Callback<NewLine>,
    on_close: Callback<()>,
) -> impl IntoView {
    let chosen = RwSignal::new(Vec::<OptionId>::new());
    let quantity = RwSignal::new(1i64);
    let note = RwSignal::new(String::new());
    let groups: Vec<OptionGroup> = product
        .option_group_ids
        .iter()
        .filter_map(|id| menu.option_group(*id).cloned())
        .collect();

    let priced = {
        let (menu, product) = (menu.clone(), product.clone());
        move || chosen.with(|c| menu.resolve_options(&product, c))
    };
    let price = {
        let (priced, base, currency) = (priced.clone(), product.price_minor, currency.clone());
        move || {
            let unit = priced().map(|o| unit_price_minor(base, &o)).unwrap_or(base);
            Money::new(unit * quantity.get(), currency.clone()).to_string()
        }
    };
    // Said once the waiter has tapped an option: before, the groups' hints say it.
    let touched = RwSignal::new(false);
    let problem = {
        let priced = priced.clone();
        move || {
            priced()
                .err()
                .filter(|_| touched.get())
                .map(|e| e.to_string())
        }
    };

    let toggle = move |group: &OptionGroup, id: OptionId| {
        let siblings: Vec<OptionId> = group.options.iter().map(|o| o.id).collect();
        let exclusive = group.one_of();
        touched.set(true);
        chosen.update(|c| {
            if exclusive {
                c.retain(|x| !siblings.contains(x));
                c.push(id);
            } else if let Some(pos) = c.iter().position(|x| *x == id) {
                c.remove(pos);
            } else {
                c.push(id);
            }
        });
    };

    let group_views = groups
        .into_iter()
        .map(|group| {
            let hint = match group.kind {
                OptionKind::Removable => "tap to leave out".to_owned(),
                OptionKind::Addon if group.picks_hint() == "any" => "extras".to_owned(),
                _ => group.picks_hint(),
            };
            let buttons = group
                .options
                .iter()
                .map(|option| {
                    let (id, g) = (option.id, group.clone());
                    let label = match (group.kind, option.price_delta_minor) {
                        (OptionKind::Removable, _) => format!("no {}", option.name),
                        (_, 0) => option.name.clone(),
                        (_, d) => format!("{} +{}", option.name, Money::new(d, currency.clone())),
                    };
                    view! {
                        <button
                            class="option"
                            class:chosen=move || chosen.with(|c| c.contains(&id))
                            aria-pressed=move || chosen.with(|c| c.contains(&id)).to_string()
                            on:click=move |_| toggle(&g, id)
                        >
                            {label}
                        </button>
                    }
                })
                .collect_view();
            view! {
                <fieldset class="option-group">
                    <legend>{group.name.clone()} <small>{hint}</small></legend>
                    <div class="options">{buttons}</div>
                </fieldset>
            }
        })
        .collect_view();

    let product_id = product.id;
    let add = move |_| {
        on_add.run(NewLine {
            id: None,
            product_id,
            quantity: quantity.get_untracked(),
            option_ids: chosen.get_untracked(),
            note: note.get_untracked(),
            course: 1,
            seat: None,
        })
    };
    let has_problem = move || priced().is_err();

    view! {
        <div class="sheet-backdrop" on:click=move |_| on_close.run(())></div>
        <div class="sheet" role="dialog" aria-label=product.name.clone()>
            <h2>{product.name.clone()}</h2>
            {group_views}
            <label class="note">
                "Note"
                <textarea
                    maxlength=MAX_NOTE_CHARS
                    placeholder="e.g. allergy, no salt"
                    prop:value=move || note.get()
                    on:input=move |ev| note.set(event_target_value(&ev))
                ></textarea>
            </label>
            <div class="quantity">
                <button aria-label="One less" on:click=move |_| quantity.update(|q| *q = (*q - 1).max(1))>"−"</button>
                <span aria-label="Quantity">{move || quantity.get()}</span>
                <button aria-label="One more" on:click=move |_| quantity.update(|q| *q = (*q + 1).min(MAX_QUANTITY))>"+"</button>
            </div>
            <p class="sheet-problem">{problem}</p>
            <div class="sheet-actions">
                <button class="secondary" on:click=move |_| on_close.run(())>"Cancel"</button>
                <button class="primary" disabled=has_problem on:click=add>
                    "Add " {price}
                </button>
            </div>
        </div>
    }
}
