//! Reports as files an accountant opens: CSV (the `csv` crate) and XLSX
//! (`rust_xlsxwriter`), from the same columns and cells the screen shows, and the journal
//! (`services::journal`), written to a temporary file as its rows are read. Cells keep their
//! type: amounts are numbers in the currency's format (12.50, not 1250 or "€12.50"), days
//! are dates, counts are whole numbers.

use crate::db::direct::Conn;
use crate::services::journal::{self, Part};
use crate::services::reports::Range;
use crate::services::{ServiceError, ServiceResult};
use app::domain::reports::{Cell, Column, Kind};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, Worksheet, XlsxError};
use std::io::{Seek, Write};

/// One table of a file: a sheet of the workbook.
pub struct Sheet<'a> {
    /// The sheet's name, at most 31 characters.
    pub name: &'a str,
    pub columns: &'a [Column],
    pub rows: &'a [Vec<Cell>],
}

/// An amount in minor units as a person writes it: `12.50`, `-0.05`.
fn decimal(minor: i64) -> String {
    app::domain::money::plain(minor)
}

/// A column's heading, the currency named where it holds amounts: `Sales (EUR)`.
fn heading(column: &Column, currency: &str) -> String {
    match column.kind {
        Kind::Money => format!("{} ({currency})", column.label),
        _ => column.label.clone(),
    }
}

/// The table as CSV, headings first. Amounts have two decimals and a point.
pub fn csv(columns: &[Column], rows: &[Vec<Cell>], currency: &str) -> ServiceResult<Vec<u8>> {
    write_csv(columns, rows, currency).map_err(|e| ServiceError::Internal(format!("CSV: {e}")))
}

fn write_csv(
    columns: &[Column],
    rows: &[Vec<Cell>],
    currency: &str,
) -> Result<Vec<u8>, csv::Error> {
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record(columns.iter().map(|c| heading(c, currency)))?;
    for row in rows {
        out.write_record(csv_record(columns, row))?;
    }
    out.into_inner()
        .map_err(|e| csv::Error::from(e.into_error()))
}

/// The number format of amounts in `currency`: its symbol where there is one.
fn money_format(currency: &str) -> String {
    let symbol = match currency {
        "EUR" => "€",
        "USD" => "$",
        "GBP" => "£",
        other => return format!("#,##0.00 \"{other}\";-#,##0.00 \"{other}\""),
    };
    format!("\"{symbol}\"#,##0.00;-\"{symbol}\"#,##0.00")
}

struct Formats {
    heading: Format,
    money: Format,
    date: Format,
    count: Format,
}

fn formats(currency: &str) -> Formats {
    Formats {
        heading: Format::new().set_bold(),
        money: Format::new().set_num_format(money_format(currency)),
        date: Format::new().set_num_format("yyyy-mm-dd"),
        count: Format::new().set_num_format("0"),
    }
}

/// Names the sheet, writes the headings and sizes the columns.
fn start_sheet(
    sheet: &mut Worksheet,
    name: &str,
    columns: &[Column],
    formats: &Formats,
) -> Result<(), XlsxError> {
    sheet.set_name(name)?;
    for (c, column) in columns.iter().enumerate() {
        let c = c as u16;
        sheet.write_string_with_format(0, c, &column.label, &formats.heading)?;
        let width = match column.kind {
            Kind::Text => 24,
            Kind::Date => 12,
            Kind::Count => 10,
            Kind::Money => 14,
        };
        sheet.set_column_width(c, width.max(column.label.chars().count() + 2) as f64)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    Ok(())
}

/// Writes `row` at row `r`, each cell typed by its column.
fn write_row(
    sheet: &mut Worksheet,
    r: u32,
    columns: &[Column],
    row: &[Cell],
    formats: &Formats,
) -> Result<(), XlsxError> {
    for (c, (column, cell)) in columns.iter().zip(row).enumerate() {
        let c = c as u16;
        match (column.kind, cell) {
            // Minor units to the currency's unit; every amount is below 2^53.
            (Kind::Money, Cell::Number(n)) => {
                sheet.write_number_with_format(r, c, *n as f64 / 100.0, &formats.money)?
            }
            (_, Cell::Number(n)) => {
                sheet.write_number_with_format(r, c, *n as f64, &formats.count)?
            }
            (Kind::Date, Cell::Text(t)) => match ExcelDateTime::parse_from_str(t) {
                Ok(day) => sheet.write_datetime_with_format(r, c, &day, &formats.date)?,
                Err(_) => sheet.write_string(r, c, t)?,
            },
            (_, Cell::Text(t)) => sheet.write_string(r, c, t)?,
        };
    }
    Ok(())
}

/// The tables as one workbook, a sheet each.
pub fn xlsx(sheets: &[Sheet], currency: &str) -> ServiceResult<Vec<u8>> {
    write_xlsx(sheets, currency).map_err(|e| ServiceError::Internal(format!("XLSX: {e}")))
}

fn write_xlsx(sheets: &[Sheet], currency: &str) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let formats = formats(currency);
    for table in sheets {
        let mut sheet = book.new_worksheet_with_constant_memory()?;
        start_sheet(&mut sheet, table.name, table.columns, &formats)?;
        for (r, row) in table.rows.iter().enumerate() {
            write_row(&mut sheet, (r + 1) as u32, table.columns, row, &formats)?;
        }
        book.push_worksheet(sheet);
    }
    book.save_to_buffer()
}

/// A row as CSV writes it: amounts with two decimals and a point, the rest as it is.
fn csv_record<'a>(columns: &'a [Column], row: &'a [Cell]) -> impl Iterator<Item = String> + 'a {
    columns
        .iter()
        .zip(row)
        .map(|(column, cell)| match (column.kind, cell) {
            (Kind::Money, Cell::Number(n)) => decimal(*n),
            (_, Cell::Number(n)) => n.to_string(),
            (_, Cell::Text(t)) => t.clone(),
        })
}

fn internal(what: &str) -> impl Fn(&dyn std::fmt::Display) -> ServiceError + '_ {
    move |e| ServiceError::Internal(format!("{what}: {e}"))
}

/// One part of the journal of `range` as CSV, into a temporary file (deleted once
/// closed), row by row as the days are read.
pub fn journal_csv(
    conn: &Conn,
    range: Range,
    part: Part,
    day_done: &dyn Fn(),
) -> ServiceResult<std::fs::File> {
    let (clock, currency) = journal::clock(conn)?;
    let columns = part.columns();
    let file = tempfile::tempfile().map_err(|e| internal("a temporary file")(&e))?;
    let mut out = csv::Writer::from_writer(std::io::BufWriter::new(file));
    out.write_record(columns.iter().map(|c| heading(c, &currency)))
        .map_err(|e| internal("CSV")(&e))?;
    journal::each(
        conn,
        &clock,
        range,
        part,
        &mut |row| {
            out.write_record(csv_record(&columns, &row))
                .map_err(|e| internal("CSV")(&e))
        },
        day_done,
    )?;
    let mut file = out
        .into_inner()
        .map_err(|e| internal("CSV")(&e))?
        .into_inner()
        .map_err(|e| internal("CSV")(&e))?;
    file.flush()
        .and_then(|()| file.rewind())
        .map_err(|e| internal("CSV")(&e))?;
    Ok(file)
}

/// The whole journal of `range` as an XLSX workbook, a sheet per part, into a temporary
/// file. The sheets are written in constant memory, row by row as the days are read;
/// `day_done` is called after each day of each sheet (`Part::ALL.len()` times a day).
pub fn journal_xlsx(
    conn: &Conn,
    range: Range,
    day_done: &dyn Fn(),
) -> ServiceResult<std::fs::File> {
    let (clock, currency) = journal::clock(conn)?;
    let xlsx = |e: XlsxError| internal("XLSX")(&e);
    let mut book = Workbook::new();
    let formats = formats(&currency);
    for part in Part::ALL {
        let mut sheet = book.new_worksheet_with_constant_memory().map_err(xlsx)?;
        let columns = part.columns();
        start_sheet(&mut sheet, part.title(), &columns, &formats).map_err(xlsx)?;
        let mut at = 1u32;
        journal::each(
            conn,
            &clock,
            range,
            part,
            &mut |row| {
                write_row(&mut sheet, at, &columns, &row, &formats).map_err(xlsx)?;
                at += 1;
                Ok(())
            },
            day_done,
        )?;
        book.push_worksheet(sheet);
    }
    let mut file = tempfile::tempfile().map_err(|e| internal("a temporary file")(&e))?;
    book.save_to_writer(&mut file).map_err(xlsx)?;
    file.rewind().map_err(|e| internal("XLSX")(&e))?;
    Ok(file)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_read_as_the_currency_and_headings_name_it() {
        let columns = vec![
            Column {
                key: "day".into(),
                label: "Day".into(),
                kind: Kind::Date,
            },
            Column {
                key: "sales_minor".into(),
                label: "Sales".into(),
                kind: Kind::Money,
            },
        ];
        let rows = vec![vec![Cell::Text("2026-11-22".into()), Cell::Number(-1205)]];
        let text = String::from_utf8(csv(&columns, &rows, "EUR").unwrap()).unwrap();
        assert_eq!(text, "Day,Sales (EUR)\n2026-11-22,-12.05\n");
        assert_eq!(money_format("CHF"), "#,##0.00 \"CHF\";-#,##0.00 \"CHF\"");
    }
}
