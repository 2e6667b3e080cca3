//! The menu as a spreadsheet, in the back office: download it as CSV, or bring one in.
//! A file brought in is first checked (a dry run) and what it would change is shown;
//! only "Import" changes the menu, all of it or nothing.

use crate::client;
use app::api::MenuImport;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen_futures::JsFuture;

/// What an import did or would do, in a sentence or a few.
fn summary(report: &MenuImport) -> Vec<String> {
    if !report.problems.is_empty() {
        return report
            .problems
            .iter()
            .map(|p| format!("Line {}, {}: {}", p.line, p.field, p.message))
            .collect();
    }
    let list = |what: &str, names: &[String]| {
        (!names.is_empty()).then(|| format!("{what} ({}): {}", names.len(), names.join(", ")))
    };
    let verb = if report.dry_run { "would be" } else { "were" };
    let mut lines: Vec<String> = [
        list("New categories", &report.categories_added),
        list("New options", &report.option_groups_added),
        list("New products", &report.products_added),
        list("Changed products", &report.products_changed),
    ]
    .into_iter()
    .flatten()
    .collect();
    lines.push(format!(
        "{} products {verb} left as they are.",
        report.products_unchanged
    ));
    lines
}

#[component]
pub fn MenuFile(
    /// Runs after an import changed the menu.
    imported: Callback<String>,
) -> impl IntoView {
    let (file, report, problem) = (
        RwSignal::new(None::<String>),
        RwSignal::new(None::<MenuImport>),
        RwSignal::new(None::<String>),
    );
    let export = move |_| {
        spawn_local(async move {
            match client::get_text("/menu/export.csv").await {
                Ok(text) => {
                    if crate::files::save("menu.csv", "text/csv;charset=utf-8", text.as_bytes())
                        .is_none()
                    {
                        problem.set(Some("This browser would not save the file.".into()));
                    }
                }
                Err(e) => problem.set(Some(e.message())),
            }
        })
    };
    let send = move |dry_run: bool| {
        let Some(text) = file.get_untracked() else {
            return;
        };
        spawn_local(async move {
            let path = format!("/menu/import?dry_run={dry_run}");
            match client::post_csv::<MenuImport>(&path, text).await {
                Ok(r) => {
                    if !dry_run && r.problems.is_empty() {
                        file.set(None);
                        imported.run("The menu file was imported.".into());
                    }
                    report.set(Some(r));
                    problem.set(None);
                }
                Err(e) => problem.set(Some(e.message())),
            }
        })
    };
    let pick = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        let Some(picked) = input.files().and_then(|f| f.get(0)) else {
            return;
        };
        // Emptied, so choosing the same file again (mended after a check) reads it again.
        input.set_value("");
        spawn_local(async move {
            match JsFuture::from(picked.text())
                .await
                .ok()
                .and_then(|t| t.as_string())
            {
                Some(text) => {
                    file.set(Some(text));
                    send(true);
                }
                None => problem.set(Some("This file could not be read.".into())),
            }
        })
    };
    let can_import = move || {
        report.with(|r| {
            r.as_ref()
                .is_some_and(|r| r.dry_run && r.problems.is_empty())
        }) && file.with(Option::is_some)
    };
    view! {
        <div class="menu-part menu-file" role="group" aria-label="Menu file">
            <h3>"Spreadsheet"</h3>
            <p class="hint">"Download the menu as a CSV file to edit it in a spreadsheet, then bring it back in. Nothing changes until you press Import."</p>
            <div class="inline-form">
                <button type="button" class="secondary" on:click=export>"Download CSV"</button>
                <label class="button-like">"Choose a CSV file…"
                    <input type="file" accept=".csv,text/csv" on:change=pick/>
                </label>
                <button type="button" class="primary" disabled=move || !can_import() on:click=move |_| send(false)>"Import"</button>
            </div>
            <ul class="import-report" role="status">
                {move || report.get().map(|r| summary(&r).into_iter().map(|line| view! { <li>{line}</li> }).collect_view())}
            </ul>
            <p class="form-status" role="alert">{move || problem.get().map(|m| view! { <span class="toast">{m}</span> })}</p>
        </div>
    }
}
