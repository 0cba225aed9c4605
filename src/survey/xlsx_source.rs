//! Reading a worksheet (.xlsx, .xlsm, and whatever else calamine opens) as rows of text: the first
//! sheet or a named one, the first non-empty row as the header, each cell rendered as a person
//! would type it (integers without ".0", dates as ISO 8601, TRUE/FALSE). calamine loads the whole
//! sheet; rows are then yielded one by one, numbered as the sheet numbers them.
use std::path::Path;

use calamine::{open_workbook_auto, open_workbook_auto_from_rs, Data, Range, Reader};

use super::{IngestError, Record, RowEvent};

/// A worksheet whose header has been found.
pub(crate) struct OpenedSheet {
    pub sheet: String,
    pub header: Vec<String>,
    pub source: XlsxSource,
}

/// Yields the rows of a loaded sheet after its header.
pub(crate) struct XlsxSource {
    range: Range<Data>,
    /// Index (within the range) of the next row to yield.
    next: usize,
    /// Sheet row number of the range's first row, minus one.
    first_row: u64,
}

pub(crate) fn open(path: &Path, sheet: Option<&str>) -> Result<OpenedSheet, IngestError> {
    let workbook_error = |message: String| IngestError::Workbook {
        path: path.to_path_buf(),
        message,
    };
    if !path.exists() {
        return Err(IngestError::NotFound {
            path: path.to_path_buf(),
        });
    }
    let known = matches!(
        path.extension()
            .and_then(|e| e.to_str())
            .map(|e| e.to_ascii_lowercase())
            .as_deref(),
        Some("xlsx" | "xlsm" | "xls" | "xlsb" | "ods")
    );
    if known {
        let sheets = open_workbook_auto(path).map_err(|e| workbook_error(e.to_string()))?;
        finish(path, sheet, sheets)
    } else {
        let bytes = std::fs::read(path).map_err(|e| IngestError::from_io(path, e))?;
        let sheets = open_workbook_auto_from_rs(std::io::Cursor::new(bytes))
            .map_err(|e| workbook_error(e.to_string()))?;
        finish(path, sheet, sheets)
    }
}

fn finish<RS: std::io::Read + std::io::Seek>(
    path: &Path,
    sheet: Option<&str>,
    mut workbook: calamine::Sheets<RS>,
) -> Result<OpenedSheet, IngestError> {
    let names = workbook.sheet_names();
    let name = pick_sheet(path, sheet, &names)?;
    let range = workbook
        .worksheet_range(&name)
        .map_err(|e| IngestError::Workbook {
            path: path.to_path_buf(),
            message: format!("sheet \"{name}\": {e}"),
        })?;
    from_range(path, name, range)
}

/// The named sheet (exactly, else ignoring case), or the first.
fn pick_sheet(path: &Path, wanted: Option<&str>, names: &[String]) -> Result<String, IngestError> {
    match wanted {
        None => names.first().cloned().ok_or_else(|| IngestError::Empty {
            what: format!("{} (a workbook with no sheets)", path.display()),
        }),
        Some(w) => names
            .iter()
            .find(|n| *n == w)
            .or_else(|| {
                names
                    .iter()
                    .find(|n| n.trim().eq_ignore_ascii_case(w.trim()))
            })
            .cloned()
            .ok_or_else(|| IngestError::SheetNotFound {
                path: path.to_path_buf(),
                sheet: w.to_string(),
                available: names.to_vec(),
            }),
    }
}

fn from_range(path: &Path, sheet: String, range: Range<Data>) -> Result<OpenedSheet, IngestError> {
    let empty = || IngestError::Empty {
        what: format!("sheet \"{sheet}\" of {}", path.display()),
    };
    let (start_row, _) = range.start().ok_or_else(empty)?;
    let header_index = range
        .rows()
        .position(|row| row.iter().any(|c| !cell_text(c).trim().is_empty()))
        .ok_or_else(empty)?;
    let header = range
        .rows()
        .nth(header_index)
        .map(|row| row.iter().map(cell_text).collect())
        .unwrap_or_default();
    Ok(OpenedSheet {
        sheet,
        header,
        source: XlsxSource {
            range,
            next: header_index + 1,
            first_row: u64::from(start_row),
        },
    })
}

impl Iterator for XlsxSource {
    type Item = RowEvent;

    fn next(&mut self) -> Option<RowEvent> {
        loop {
            let index = self.next;
            let (height, width) = self.range.get_size();
            if index >= height {
                return None;
            }
            self.next += 1;
            let fields: Vec<String> = (0..width)
                .map(|c| {
                    self.range
                        .get((index, c))
                        .map(cell_text)
                        .unwrap_or_default()
                })
                .collect();
            if fields.iter().all(|f| f.trim().is_empty()) {
                continue;
            }
            return Some(RowEvent::Row(Record {
                line: self.first_row + index as u64 + 1,
                fields,
            }));
        }
    }
}

/// A cell as text: what a person reading the sheet would type.
pub(crate) fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => float_text(*f),
        Data::Bool(true) => "TRUE".to_string(),
        Data::Bool(false) => "FALSE".to_string(),
        Data::DateTime(dt) if dt.is_duration() => duration_text(dt.as_f64()),
        Data::DateTime(dt) => {
            let serial = dt.as_f64();
            let (y, mo, d, h, mi, s, ms) = dt.to_ymd_hms_milli();
            let time = if ms > 0 {
                format!("{h:02}:{mi:02}:{s:02}.{ms:03}")
            } else {
                format!("{h:02}:{mi:02}:{s:02}")
            };
            if (0.0..1.0).contains(&serial) {
                time
            } else if h == 0 && mi == 0 && s == 0 && ms == 0 {
                format!("{y:04}-{mo:02}-{d:02}")
            } else {
                format!("{y:04}-{mo:02}-{d:02}T{time}")
            }
        }
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(e) => e.to_string(),
    }
}

/// 5.0 → "5", 0.1 → "0.1" (shortest text that reads back as the same number).
fn float_text(f: f64) -> String {
    if f.is_finite() && f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        format!("{f}")
    }
}

/// A duration in days as ISO 8601 (`PT36H30M`).
fn duration_text(days: f64) -> String {
    let total_ms = (days * 86_400_000.0).round() as i64;
    let sign = if total_ms < 0 { "-" } else { "" };
    let ms = total_ms.unsigned_abs();
    let (h, rest) = (ms / 3_600_000, ms % 3_600_000);
    let (m, rest) = (rest / 60_000, rest % 60_000);
    let (s, milli) = (rest / 1000, rest % 1000);
    let mut out = format!("{sign}PT");
    if h > 0 {
        out.push_str(&format!("{h}H"));
    }
    if m > 0 {
        out.push_str(&format!("{m}M"));
    }
    if s > 0 || milli > 0 || (h == 0 && m == 0) {
        if milli > 0 {
            out.push_str(&format!("{s}.{milli:03}S"));
        } else {
            out.push_str(&format!("{s}S"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::{CellErrorType, ExcelDateTime, ExcelDateTimeType};

    #[test]
    fn cells_render_as_typed() {
        assert_eq!(cell_text(&Data::Float(5.0)), "5");
        assert_eq!(cell_text(&Data::Float(-3.0)), "-3");
        assert_eq!(cell_text(&Data::Float(0.1)), "0.1");
        assert_eq!(cell_text(&Data::Int(42)), "42");
        assert_eq!(cell_text(&Data::Bool(true)), "TRUE");
        assert_eq!(cell_text(&Data::Empty), "");
        assert_eq!(cell_text(&Data::Error(CellErrorType::NA)), "#N/A");
    }

    #[test]
    fn dates_render_as_iso_8601() {
        let date = |v| Data::DateTime(ExcelDateTime::new(v, ExcelDateTimeType::DateTime, false));
        assert_eq!(cell_text(&date(45943.0)), "2025-10-13");
        assert_eq!(cell_text(&date(45943.5)), "2025-10-13T12:00:00");
        assert_eq!(cell_text(&date(0.75)), "18:00:00");
        let span = Data::DateTime(ExcelDateTime::new(
            1.5208333333,
            ExcelDateTimeType::TimeDelta,
            false,
        ));
        assert_eq!(cell_text(&span), "PT36H30M");
    }
}
