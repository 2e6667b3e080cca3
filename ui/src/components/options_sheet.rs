//! The sheet that opens when a waiter taps a product: options, quantity and a note, with
//! the price as it will be charged. Opened on a line not sent yet (`editing`), it starts
//! from the line and also offers its seat and course, and saves instead of adding.

use app::domain::courses;
use app::domain::menu::{Menu, OptionGroup, OptionKind, Product};
use app::domain::orders::{NewLine, OrderLine, MAX_NOTE_CHARS};
use app::domain::{Money, OptionId};
use leptos::prelude::*;

#[component]
pub fn OptionsSheet(
    product: Product,
    menu: Menu,
    currency: String,
    /// The line being changed; absent when a new one is added.
    #[prop(optional)]
    editing: Option<OrderLine>,
    /// The table's seats, offered when a line is changed; 0 for none.
    #[prop(optional)]
    seats: i64,
    /// The line as chosen: a new one, or (`editing`) the line with its id.
    on_add: Callback<NewLine>,
    on_close: Callback<()>,
) -> impl IntoView {
    let start = editing.as_ref();
    let chosen = RwSignal::new(start.map_or_else(Vec::new, |l| {
        l.options
            .iter()
            .map(|o| o.option_id)
            .collect::<Vec<OptionId>>()
    }));
    let quantity = RwSignal::new(start.map_or(1, |l| l.quantity));
    let note = RwSignal::new(start.map_or_else(String::new, |l| l.note.clone()));
    let seat = RwSignal::new(start.and_then(|l| l.seat));
    let course = RwSignal::new(start.map_or(1, |l| l.course));
    let line_id = start.map(|l| l.id);
    let groups: Vec<OptionGroup> = product
        .option_group_ids
        .iter()
        .filter_map(|id| menu.option_group(*id).cloned())
        .collect();

    let priced = {
        let (menu, product) = (menu.clone(), product.clone());
        move || chosen.with(|c| menu.resolve_options(&product, c))
    };
    // The price with what is chosen so far, even before every group's rule is met.
    let price = {
        let (menu, base, currency) = (menu.clone(), product.price_minor, currency.clone());
        move || {
            let extras: i64 = chosen.with(|c| {
                menu.option_groups
                    .iter()
                    .flat_map(|g| &g.options)
                    .filter(|o| c.contains(&o.id))
                    .map(|o| o.price_delta_minor)
                    .sum()
            });
            let unit = (base + extras).max(0);
            Money::new(unit * quantity.get(), currency.clone()).to_string()
        }
    };
    // No more than is left of a counted product (a line changed holds its own).
    let at_most = product.at_most(start.map_or(0, |l| l.quantity)).max(1);
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
        let (fewest, most) = group.picks();
        touched.set(true);
        chosen.update(|c| {
            let picked = c.contains(&id);
            let in_group = c.iter().filter(|x| siblings.contains(x)).count();
            if picked {
                // Tapped again: un-picked, unless the one pick of a required choice.
                if !(most == 1 && fewest == 1) {
                    c.retain(|x| *x != id);
                }
            } else if most == 1 {
                // One at most: a new pick takes the old one's place, like a radio button.
                c.retain(|x| !siblings.contains(x));
                c.push(id);
            } else if in_group < most {
                c.push(id);
            }
        });
    };

    let group_views = groups
        .into_iter()
        .map(|group| {
            let hint = match group.kind {
                OptionKind::Removable => "tap to leave out".to_owned(),
                OptionKind::Addon if group.picks_hint() == "any" => "optional".to_owned(),
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
            id: line_id,
            product_id,
            quantity: quantity.get_untracked(),
            option_ids: chosen.get_untracked(),
            note: note.get_untracked(),
            course: line_id.map(|_| course.get_untracked()),
            seat: seat.get_untracked(),
        })
    };
    let seat_chips = (line_id.is_some() && seats > 0).then(|| {
        let chip = move |value: Option<i64>, label: String| {
            view! {
                <button class="chip seat-chip" class:selected=move || seat.get() == value
                    aria-pressed=move || (seat.get() == value).to_string() on:click=move |_| seat.set(value)>
                    {label}
                </button>
            }
        };
        view! {
            <fieldset class="option-group">
                <legend>"Seat"</legend>
                <div class="chips seat-chips">
                    {chip(None, "Table".into())}
                    {(1..=seats).map(|s| chip(Some(s), format!("Seat {s}"))).collect_view()}
                </div>
            </fieldset>
        }
    });
    // A line changed may move to another course (a new one goes in its category's).
    let course_chips = line_id.is_some().then(|| {
        let chip = move |value: i64| {
            view! {
                <button class="chip course-chip" class:selected=move || course.get() == value
                    aria-pressed=move || (course.get() == value).to_string() on:click=move |_| course.set(value)>
                    {courses::name(value)}
                </button>
            }
        };
        view! {
            <fieldset class="option-group">
                <legend>"Course"</legend>
                <div class="chips course-chips">{(0..=3).map(chip).collect_view()}</div>
            </fieldset>
        }
    });
    let verb = if line_id.is_some() { "Save " } else { "Add " };
    let has_problem = move || priced().is_err();

    view! {
        <div class="sheet-backdrop" on:click=move |_| on_close.run(())></div>
        <div class="sheet" role="dialog" aria-label=product.name.clone()>
            <h2>{product.name.clone()}</h2>
            {group_views}
            {seat_chips}
            {course_chips}
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
                <button aria-label="One more" disabled={move || quantity.get() >= at_most}
                    on:click=move |_| quantity.update(|q| *q = (*q + 1).min(at_most))>"+"</button>
            </div>
            <p class="sheet-problem">{problem}</p>
            <div class="sheet-actions">
                <button class="secondary" on:click=move |_| on_close.run(())>"Cancel"</button>
                <button class="primary" disabled=has_problem on:click=add>
                    {verb} {price}
                </button>
            </div>
        </div>
    }
}
