//! The menu as a spreadsheet (CSV, UTF-8): one row per product on the menu, its option
//! groups in the `options_*` columns, each written as `Size [choose one]: Regular; Large
//! +3.00`. Exporting an imported menu gives the same file back.
//!
//! An import matches products by name and categories by name, adds what is new and
//! changes what differs; an option group is reused when one with the same name, kind and
//! options exists. It is all or nothing: every row is checked first, and each bad one is
//! named by its line and column. A dry run says what would change and changes nothing.

use crate::services::menu::{self, announce};
use crate::services::venue::load_whole_menu;
use crate::services::{Changed, ServiceError, ServiceResult};
use app::api::{
    CategoryChange, ImportProblem, MenuImport, OptionChange, OptionGroupChange, ProductChange,
};
use app::domain::bill::rate_label;
use app::domain::menu::{option_text, parse_option_text, Menu, OptionKind};
use app::domain::money::{parse_amount, plain};
use app::domain::{StaffId, StationId};
use serde_json::json;
use sqlx::SqliteConnection;

/// The columns before the option groups.
const COLUMNS: [&str; 9] = [
    "category",
    "category_colour",
    "product",
    "kitchen_name",
    "price",
    "tax_rate",
    "station",
    "barcode",
    "available",
];
/// Rows an import takes at most: a large menu, and few enough that checking each row
/// against the venue (which reads the menu again) keeps the writer's pause short.
pub const MAX_ROWS: usize = 500;
/// Option group columns a row may fill (as many as a product may offer).
const MAX_GROUP_COLUMNS: usize = 10;

/// An option group as a cell says it.
#[derive(Clone, Debug, PartialEq)]
struct GroupSpec {
    name: String,
    kind: OptionKind,
    /// (name, price delta in minor units)
    options: Vec<(String, i64)>,
    /// How many a guest picks, when not the kind's usual (`OptionGroup::picks`).
    min_picks: Option<i64>,
    max_picks: Option<i64>,
}

/// The kind and limits in a cell's `[ ]`: "choose one", "choose 2", "choose 1 to 3",
/// "choose up to 2"; "add-ons", "add-ons up to 3"; "leave out".
fn kind_words(spec: &GroupSpec) -> String {
    match (spec.kind, spec.min_picks, spec.max_picks) {
        (OptionKind::Removable, ..) => "leave out".into(),
        (OptionKind::Addon, None, None) => "add-ons".into(),
        (OptionKind::Addon, min, Some(max)) if min.unwrap_or(0) == 0 => {
            format!("add-ons up to {max}")
        }
        (OptionKind::Addon, min, max) => format!(
            "add-ons {} to {}",
            min.unwrap_or(0),
            max.map_or("any".into(), |m| m.to_string())
        ),
        (OptionKind::Choice, min, max) => match (min.unwrap_or(1), max.unwrap_or(1)) {
            (1, 1) => "choose one".into(),
            (0, max) => format!("choose up to {max}"),
            (min, max) if min == max => format!("choose {min}"),
            (min, max) => format!("choose {min} to {max}"),
        },
    }
}

/// Reads `kind_words` back: the kind, and the limits it names (None: the kind's usual).
fn parse_kind(words: &str) -> Option<(OptionKind, Option<i64>, Option<i64>)> {
    let words = words.trim().to_ascii_lowercase();
    let number = |n: &str| {
        n.trim()
            .parse::<i64>()
            .ok()
            .filter(|n| (0..=30).contains(n))
    };
    let range = |rest: &str| -> Option<(Option<i64>, Option<i64>)> {
        let rest = rest.trim();
        if let Some(max) = rest.strip_prefix("up to ") {
            return Some((Some(0), Some(number(max)?)));
        }
        match rest.split_once(" to ").or_else(|| rest.split_once('-')) {
            Some((min, "any")) => Some((Some(number(min)?), None)),
            Some((min, max)) => Some((Some(number(min)?), Some(number(max)?))),
            None => number(rest).map(|n| (Some(n), Some(n))),
        }
    };
    match words.as_str() {
        "leave out" => Some((OptionKind::Removable, None, None)),
        "add-ons" => Some((OptionKind::Addon, None, None)),
        "choose one" => Some((OptionKind::Choice, None, None)),
        w => {
            if let Some(rest) = w.strip_prefix("add-ons ") {
                let (min, max) = range(rest)?;
                Some((OptionKind::Addon, min.filter(|m| *m > 0), max))
            } else {
                let (min, max) = range(w.strip_prefix("choose ")?)?;
                Some((OptionKind::Choice, min, max))
            }
        }
    }
}

/// A row of the file, read and checked against the venue's stations.
#[derive(Debug)]
struct Row {
    line: u64,
    category: String,
    colour: Option<String>,
    name: String,
    kitchen_name: Option<String>,
    price_minor: i64,
    tax_rate_bp: i64,
    station: StationId,
    barcode: Option<String>,
    available: bool,
    groups: Vec<GroupSpec>,
}

fn group_cell(group: &GroupSpec) -> String {
    let kind = kind_words(group);
    let options: Vec<String> = group
        .options
        .iter()
        .map(|(name, delta)| option_text(name, *delta))
        .collect();
    format!("{} [{kind}]: {}", group.name, options.join("; "))
}

fn parse_group(cell: &str) -> Result<GroupSpec, String> {
    let shape = "write options as \"Size [choose one]: Regular; Large +3.00\"";
    let (head, options) = cell.split_once(':').ok_or(shape)?;
    let (name, kind) = head
        .trim()
        .strip_suffix(']')
        .and_then(|h| h.split_once('['))
        .ok_or(shape)?;
    let (kind, min_picks, max_picks) = parse_kind(kind).ok_or(
        "the kind in [ ] is \"choose one\" (or \"choose 2\", \"choose 1 to 3\", \"choose up to 2\"), \"add-ons\" (or \"add-ons up to 3\") or \"leave out\"",
    )?;
    let options = options
        .split(';')
        .map(str::trim)
        .filter(|o| !o.is_empty())
        .map(|option| {
            parse_option_text(option)
                .ok_or_else(|| format!("{option:?} is not an option like \"Large +3.00\""))
        })
        .collect::<Result<Vec<_>, String>>()?;
    if name.trim().is_empty() || options.is_empty() {
        return Err(shape.into());
    }
    Ok(GroupSpec {
        name: name.trim().to_owned(),
        kind,
        options,
        min_picks,
        max_picks,
    })
}

/// The venue's menu as a CSV file, products in menu order.
pub fn export(menu: &Menu) -> ServiceResult<String> {
    let width = menu
        .products
        .iter()
        .filter(|p| !p.retired)
        .map(|p| p.option_group_ids.len())
        .max()
        .unwrap_or(0)
        .max(1);
    let mut out = csv::Writer::from_writer(Vec::new());
    let mut header: Vec<String> = COLUMNS.iter().map(|c| c.to_string()).collect();
    header.extend((1..=width).map(|i| format!("options_{i}")));
    out.write_record(&header).map_err(internal)?;
    for category in &menu.categories {
        for p in menu
            .products
            .iter()
            .filter(|p| p.category_id == category.id && !p.retired)
        {
            let station = menu
                .stations
                .iter()
                .find(|s| s.id == p.station_id)
                .map_or(p.station_id.0.clone(), |s| s.name.clone());
            let mut record = vec![
                category.name.clone(),
                category.colour.clone(),
                p.name.clone(),
                p.kitchen_name.clone().unwrap_or_default(),
                plain(p.price_minor),
                rate_label(p.tax_rate_bp).trim_end_matches('%').to_owned(),
                station,
                p.barcode.clone().unwrap_or_default(),
                if p.available { "yes" } else { "no" }.to_owned(),
            ];
            for i in 0..width {
                let cell = p
                    .option_group_ids
                    .get(i)
                    .and_then(|id| menu.option_groups.iter().find(|g| g.id == *id))
                    .map(|g| {
                        group_cell(&GroupSpec {
                            name: g.name.clone(),
                            kind: g.kind,
                            options: g
                                .options
                                .iter()
                                .map(|o| (o.name.clone(), o.price_delta_minor))
                                .collect(),
                            min_picks: g.min_picks,
                            max_picks: g.max_picks,
                        })
                    })
                    .unwrap_or_default();
                record.push(cell);
            }
            out.write_record(&record).map_err(internal)?;
        }
    }
    String::from_utf8(out.into_inner().map_err(|e| internal(e.into_error()))?)
        .map_err(|e| ServiceError::Internal(e.to_string()))
}

fn internal(e: impl std::fmt::Display) -> ServiceError {
    ServiceError::Internal(format!("menu CSV: {e}"))
}

/// Reads and checks every row, collecting every problem.
fn read_rows(text: &str, menu: &Menu) -> Result<Vec<Row>, Vec<ImportProblem>> {
    let mut problems = Vec::new();
    let problem = |line: u64, field: &str, message: String| ImportProblem {
        line,
        field: field.to_owned(),
        message,
    };
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let header: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(str::to_ascii_lowercase).collect(),
        Err(e) => return Err(vec![problem(1, "header", e.to_string())]),
    };
    // A file from before kitchen names has every column but that one.
    let columns: Vec<&str> = match header.get(3).map(String::as_str) {
        Some("price") => COLUMNS
            .iter()
            .copied()
            .filter(|c| *c != "kitchen_name")
            .collect(),
        _ => COLUMNS.to_vec(),
    };
    for (i, column) in columns.iter().enumerate() {
        if header.get(i).map(String::as_str) != Some(column) {
            let message = format!(
                "the columns start {}, then options_1, options_2…",
                COLUMNS.join(", ")
            );
            return Err(vec![problem(1, column, message)]);
        }
    }
    let options_from = columns.len();
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                problems.push(problem(line, "row", e.to_string()));
                continue;
            }
        };
        let line = record.position().map_or(0, |p| p.line());
        if rows.len() + problems.len() >= MAX_ROWS {
            problems.push(problem(
                line,
                "row",
                format!("a file has at most {MAX_ROWS} products"),
            ));
            break;
        }
        // The cell of `COLUMNS[i]`, empty where the file has no such column.
        let cell = |i: usize| {
            columns
                .iter()
                .position(|c| *c == COLUMNS[i])
                .and_then(|at| record.get(at))
                .unwrap_or("")
                .to_owned()
        };
        let before = problems.len();
        let mut check = |field: &str, ok: bool, message: String| {
            if !ok {
                problems.push(problem(line, field, message));
            }
        };
        let price = parse_amount(&cell(4));
        check(
            "price",
            price.is_some(),
            format!("{:?} is not a price like 11.50", cell(4)),
        );
        let rate = parse_amount(cell(5).trim_end_matches('%'));
        check(
            "tax_rate",
            rate.is_some(),
            format!("{:?} is not a tax rate like 10", cell(5)),
        );
        let station_cell = cell(6);
        let station = menu
            .stations
            .iter()
            .find(|s| s.name.eq_ignore_ascii_case(&station_cell) || s.id.0 == station_cell);
        check(
            "station",
            station.is_some(),
            format!("there is no station {station_cell:?}; add it under Stations first"),
        );
        let available = match cell(8).to_ascii_lowercase().as_str() {
            "" | "yes" | "true" | "1" => Some(true),
            "no" | "false" | "0" => Some(false),
            _ => None,
        };
        check(
            "available",
            available.is_some(),
            "available is yes or no".into(),
        );
        check(
            "category",
            !cell(0).is_empty(),
            "category is required".into(),
        );
        check("product", !cell(2).is_empty(), "product is required".into());
        let name_seen = rows
            .iter()
            .any(|r: &Row| r.name.eq_ignore_ascii_case(&cell(2)));
        check(
            "product",
            !name_seen,
            format!("{:?} is on an earlier line already", cell(2)),
        );
        let filled = record
            .iter()
            .skip(options_from)
            .filter(|v| !v.is_empty())
            .count();
        check(
            "options",
            filled <= MAX_GROUP_COLUMNS,
            format!("a product offers at most {MAX_GROUP_COLUMNS} option groups"),
        );
        let mut groups = Vec::new();
        for (i, value) in record
            .iter()
            .enumerate()
            .skip(options_from)
            .take(MAX_GROUP_COLUMNS)
        {
            if value.is_empty() {
                continue;
            }
            match parse_group(value) {
                Ok(g) => groups.push(g),
                Err(why) => problems.push(problem(
                    line,
                    &format!("options_{}", i - options_from + 1),
                    why,
                )),
            }
        }
        if problems.len() > before {
            continue;
        }
        if let (Some(price_minor), Some(tax_rate_bp), Some(station), Some(available)) =
            (price, rate, station, available)
        {
            rows.push(Row {
                line,
                category: cell(0),
                colour: Some(cell(1)).filter(|c| !c.is_empty()),
                name: cell(2),
                kitchen_name: Some(cell(3)).filter(|k| !k.is_empty()),
                price_minor,
                tax_rate_bp,
                station: station.id.clone(),
                barcode: Some(cell(7)).filter(|b| !b.is_empty()),
                available,
                groups,
            });
        }
    }
    if problems.is_empty() {
        Ok(rows)
    } else {
        Err(problems)
    }
}

/// Imports `text`. Problems in the file come back in the report with nothing changed.
/// A row the database refuses, and every dry run, end in `ServiceError::ImportUndone`
/// with the report, so the caller's write keeps nothing; a dry run makes the very same
/// changes and checks first, so it finds whatever the import would.
pub async fn import(
    conn: &mut SqliteConnection,
    by: StaffId,
    text: &str,
    dry_run: bool,
) -> ServiceResult<Changed<MenuImport>> {
    let mut menu = load_whole_menu(conn).await?;
    let mut report = MenuImport {
        dry_run,
        ..Default::default()
    };
    let rows = match read_rows(text, &menu) {
        Ok(rows) => rows,
        Err(problems) => {
            report.problems = problems;
            return Ok((report, Vec::new()));
        }
    };
    let as_problem = |line: u64, e: ServiceError| match e {
        ServiceError::Invalid { field, message } => Ok(ImportProblem {
            line,
            field: field
                .replace("price_minor", "price")
                .replace("tax_rate_bp", "tax_rate"),
            message,
        }),
        other => Err(other),
    };
    for row in &rows {
        let category = match menu
            .categories
            .iter()
            .find(|c| c.name.eq_ignore_ascii_case(&row.category))
        {
            Some(c) => c.id,
            None => {
                report.categories_added.push(row.category.clone());
                let change = CategoryChange {
                    name: Some(row.category.clone()),
                    colour: row.colour.clone(),
                    sort_order: None,
                    course: None,
                };
                let id = match menu::insert_category(conn, &change).await {
                    Ok(id) => id,
                    Err(e) => return refused(report, as_problem(row.line, e)?),
                };
                menu.categories.push(app::domain::menu::Category {
                    id,
                    name: row.category.clone(),
                    colour: row.colour.clone().unwrap_or_default(),
                    sort_order: 0,
                    course: 1,
                });
                id
            }
        };
        let mut group_ids = Vec::with_capacity(row.groups.len());
        for spec in &row.groups {
            let found = menu.option_groups.iter().find(|g| {
                g.name == spec.name
                    && g.kind == spec.kind
                    // The same limits as the cell words them ("choose 1 to 3").
                    && kind_words(&GroupSpec {
                        kind: g.kind,
                        min_picks: g.min_picks,
                        max_picks: g.max_picks,
                        ..spec.clone()
                    }) == kind_words(spec)
                    && g.options.len() == spec.options.len()
                    && g.options
                        .iter()
                        .zip(&spec.options)
                        .all(|(o, (n, d))| &o.name == n && o.price_delta_minor == *d)
            });
            let id = match found {
                Some(g) => g.id,
                None => {
                    report.option_groups_added.push(spec.name.clone());
                    let change = OptionGroupChange {
                        name: Some(spec.name.clone()),
                        kind: Some(spec.kind),
                        options: Some(
                            spec.options
                                .iter()
                                .map(|(name, delta)| OptionChange {
                                    id: None,
                                    name: name.clone(),
                                    price_delta_minor: *delta,
                                })
                                .collect(),
                        ),
                        min_picks: Some(spec.min_picks),
                        max_picks: Some(spec.max_picks),
                    };
                    let id = match menu::insert_option_group(conn, &change).await {
                        Ok(id) => id,
                        Err(e) => return refused(report, as_problem(row.line, e)?),
                    };
                    menu.option_groups.push(app::domain::menu::OptionGroup {
                        id,
                        name: spec.name.clone(),
                        kind: spec.kind,
                        options: spec
                            .options
                            .iter()
                            .map(|(name, delta)| app::domain::menu::MenuOption {
                                id: app::domain::OptionId::new_v7(),
                                name: name.clone(),
                                price_delta_minor: *delta,
                            })
                            .collect(),
                        min_picks: spec.min_picks,
                        max_picks: spec.max_picks,
                    });
                    id
                }
            };
            group_ids.push(id);
        }
        let change = ProductChange {
            name: Some(row.name.clone()),
            kitchen_name: Some(row.kitchen_name.clone()),
            price_minor: Some(row.price_minor),
            category_id: Some(category),
            station_id: Some(row.station.clone()),
            tax_rate_bp: Some(row.tax_rate_bp),
            option_group_ids: Some(group_ids.clone()),
            barcode: Some(row.barcode.clone()),
            available: Some(row.available),
            ..Default::default()
        };
        let existing = menu
            .products
            .iter()
            .find(|p| !p.retired && p.name.eq_ignore_ascii_case(&row.name));
        let done = match existing {
            Some(p) => {
                let same = p.price_minor == row.price_minor
                    && p.kitchen_name == row.kitchen_name
                    && p.category_id == category
                    && p.station_id == row.station
                    && p.tax_rate_bp == row.tax_rate_bp
                    && p.option_group_ids == group_ids
                    && p.barcode == row.barcode
                    && p.available == row.available;
                if same {
                    report.products_unchanged += 1;
                    continue;
                }
                report.products_changed.push(row.name.clone());
                menu::update_product(conn, p.id, &change).await
            }
            None => {
                report.products_added.push(row.name.clone());
                menu::insert_product(conn, &change).await.map(|_| ())
            }
        };
        if let Err(e) = done {
            return refused(report, as_problem(row.line, e)?);
        }
    }
    // A dry run made every change the import would make, with every check, and is now
    // undone by answering with an error that carries its report.
    if dry_run {
        return Err(ServiceError::ImportUndone(Box::new(report)));
    }
    let changed = !(report.categories_added.is_empty()
        && report.option_groups_added.is_empty()
        && report.products_added.is_empty()
        && report.products_changed.is_empty());
    let events = match changed {
        true => {
            let detail = json!({
                "added": report.products_added.len(),
                "changed": report.products_changed.len(),
            });
            announce(conn, by, "menu_imported", detail).await?
        }
        false => Vec::new(),
    };
    Ok((report, events))
}

/// The report of an import the database refused at one row: nothing of it stays (the
/// caller's write rolls back on `Err`, so the refusal travels as one).
fn refused(mut report: MenuImport, problem: ImportProblem) -> ServiceResult<Changed<MenuImport>> {
    report.problems = vec![problem];
    Err(ServiceError::ImportUndone(Box::new(report)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_option_group_cell_reads_back_as_written() {
        let group = GroupSpec {
            name: "Size".into(),
            kind: OptionKind::Choice,
            options: vec![
                ("Regular".into(), 0),
                ("Large".into(), 300),
                ("Kids".into(), -150),
            ],
            min_picks: None,
            max_picks: None,
        };
        let cell = group_cell(&group);
        assert_eq!(cell, "Size [choose one]: Regular; Large +3.00; Kids -1.50");
        assert_eq!(parse_group(&cell), Ok(group.clone()));
        for (kind, min, max, words) in [
            (OptionKind::Choice, Some(2), Some(2), "choose 2"),
            (OptionKind::Choice, Some(1), Some(3), "choose 1 to 3"),
            (OptionKind::Choice, Some(0), Some(1), "choose up to 1"),
            (OptionKind::Addon, None, Some(3), "add-ons up to 3"),
            (OptionKind::Addon, Some(1), None, "add-ons 1 to any"),
            (OptionKind::Removable, None, None, "leave out"),
        ] {
            let limited = GroupSpec {
                kind,
                min_picks: min,
                max_picks: max,
                ..group.clone()
            };
            let cell = group_cell(&limited);
            assert!(cell.starts_with(&format!("Size [{words}]: ")), "{cell}");
            assert_eq!(parse_group(&cell), Ok(limited));
        }
        assert_eq!(
            parse_kind("Choose 1-2"),
            Some((OptionKind::Choice, Some(1), Some(2)))
        );
        assert!(parse_group("Size: Regular").is_err());
        assert!(parse_group("Size [pick]: Regular").is_err());
        assert!(parse_group("Size [add-ons]: Large +x").is_err());
    }
}
