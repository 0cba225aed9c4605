//! Tallies the comments a query matches into theme-by-column cells, reading only fast fields:
//! the theme bit sets, the column's value ordinal, the weight and the theme sentiments. No
//! stored text is touched, so a million comments take a fraction of a second.
use std::collections::HashMap;
use std::sync::Arc;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Column, ColumnValues, StrColumn};
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

use crate::index::dense_u64;
use crate::stats::MeanAccumulator;

/// Where each comment's column value comes from.
#[derive(Debug, Clone)]
pub enum ColumnSource {
    /// A string fast field; `labels` are the values in display order (the missing-value column
    /// comes after them).
    Values { field: String, labels: Vec<String> },
    /// The themes themselves: co-occurrence.
    Themes,
}

/// Which comments count once: each comment, or each respondent (themes of all their comments).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    Comment,
    Respondent,
}

#[derive(Debug, Clone)]
pub struct TallySpec {
    pub theme_bit_fields: Vec<String>,
    pub themes: usize,
    pub column: ColumnSource,
    /// A string fast field holding a number per comment, or none.
    pub weight: Option<String>,
    /// Per theme, the fast field of its sentiment, when a mean sentiment is asked for.
    pub sentiment: Option<Vec<String>>,
    pub unit: Unit,
    pub respondent_field: String,
}

/// The cells: `columns` value columns then one for a missing value (not for co-occurrence).
#[derive(Debug, Clone, Default)]
pub struct Tally {
    pub columns: usize,
    /// Per column: weighted and unweighted numbers of units.
    pub base: Vec<f64>,
    pub base_count: Vec<u64>,
    /// Per theme and column: units coded with the theme.
    pub cells: Vec<Vec<f64>>,
    pub cell_counts: Vec<Vec<u64>>,
    /// Per theme and column, the theme's sentiment (comments, weighted).
    pub sentiment: Vec<Vec<MeanAccumulator>>,
    /// Units with no theme, per column.
    pub uncoded: Vec<f64>,
    /// Comments whose weight was missing or not a number (counted with weight 0).
    pub unweighted: u64,
    pub units: u64,
}

impl Tally {
    fn new(themes: usize, columns: usize) -> Tally {
        Tally {
            columns,
            base: vec![0.0; columns],
            base_count: vec![0; columns],
            cells: vec![vec![0.0; columns]; themes],
            cell_counts: vec![vec![0; columns]; themes],
            sentiment: vec![vec![MeanAccumulator::default(); columns]; themes],
            uncoded: vec![0.0; columns],
            unweighted: 0,
            units: 0,
        }
    }

    fn add(&mut self, bits: &[u64], column: usize, weight: f64) {
        self.units += 1;
        self.base[column] += weight;
        self.base_count[column] += 1;
        let mut any = false;
        for (c, &word) in bits.iter().enumerate() {
            let mut word = word;
            any |= word != 0;
            while word != 0 {
                let t = c * 64 + word.trailing_zeros() as usize;
                if t < self.cells.len() {
                    self.cells[t][column] += weight;
                    self.cell_counts[t][column] += 1;
                }
                word &= word - 1;
            }
        }
        if !any {
            self.uncoded[column] += weight;
        }
    }

    fn merge(&mut self, other: &Tally) {
        self.units += other.units;
        self.unweighted += other.unweighted;
        for c in 0..self.columns {
            self.base[c] += other.base[c];
            self.base_count[c] += other.base_count[c];
            self.uncoded[c] += other.uncoded[c];
        }
        for t in 0..self.cells.len() {
            for c in 0..self.columns {
                self.cells[t][c] += other.cells[t][c];
                self.cell_counts[t][c] += other.cell_counts[t][c];
                self.sentiment[t][c].merge(&other.sentiment[t][c]);
            }
        }
    }
}

pub struct TallyCollector {
    pub spec: TallySpec,
}

impl TallyCollector {
    /// Columns of the table: one per theme for co-occurrence, else the labels plus missing.
    pub fn columns(&self) -> usize {
        match &self.spec.column {
            ColumnSource::Values { labels, .. } => labels.len() + 1,
            ColumnSource::Themes => self.spec.themes,
        }
    }
}

/// One respondent's comments, folded together.
#[derive(Debug, Clone)]
struct Respondent {
    bits: Vec<u64>,
    column: usize,
    weight: f64,
}

pub struct TallyFruit {
    tally: Tally,
    respondents: HashMap<String, Respondent>,
}

pub struct SegmentTally {
    spec: TallySpec,
    tally: Tally,
    bits: Vec<Arc<dyn ColumnValues<u64>>>,
    /// The column's value ordinals, and each ordinal's table column.
    values: Option<(Column<u64>, Vec<usize>)>,
    missing_column: usize,
    weights: Option<(Column<u64>, Vec<Option<f64>>)>,
    sentiment: Vec<Column<f64>>,
    respondent: Option<StrColumn>,
    /// Per respondent ordinal of this segment: whether seen, theme bits (OR of their
    /// comments), column and weight. Dense arrays: ordinals run from 0.
    seen: Vec<bool>,
    respondent_bits: Vec<u64>,
    respondent_column: Vec<u32>,
    respondent_weight: Vec<f64>,
    scratch: Vec<u64>,
}

fn ord_labels(column: &StrColumn) -> Vec<String> {
    let mut labels = Vec::with_capacity(column.num_terms());
    let mut text = String::new();
    for ord in 0..column.num_terms() as u64 {
        text.clear();
        let _ = column.ord_to_str(ord, &mut text);
        labels.push(text.clone());
    }
    labels
}

impl Collector for TallyCollector {
    type Fruit = Tally;
    type Child = SegmentTally;

    fn for_segment(
        &self,
        _: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<SegmentTally> {
        let spec = self.spec.clone();
        let columns = self.columns();
        let fast = segment.fast_fields();
        let bits = spec
            .theme_bit_fields
            .iter()
            .map(|f| dense_u64(segment, f))
            .collect();
        let values = match &spec.column {
            ColumnSource::Values { field, labels } => {
                let index: HashMap<&str, usize> = labels
                    .iter()
                    .enumerate()
                    .map(|(i, l)| (l.as_str(), i))
                    .collect();
                fast.str(field)?.map(|column| {
                    let map = ord_labels(&column)
                        .iter()
                        .map(|l| index.get(l.as_str()).copied().unwrap_or(labels.len()))
                        .collect();
                    (column.ords().clone(), map)
                })
            }
            ColumnSource::Themes => None,
        };
        let weights = match &spec.weight {
            Some(field) => fast.str(field)?.map(|column| {
                let parsed = ord_labels(&column)
                    .iter()
                    .map(|l| {
                        l.trim()
                            .parse::<f64>()
                            .ok()
                            .filter(|w| w.is_finite() && *w >= 0.0)
                    })
                    .collect();
                (column.ords().clone(), parsed)
            }),
            None => None,
        };
        let sentiment = match &spec.sentiment {
            Some(fields) => fields
                .iter()
                .map(|f| {
                    fast.f64(f)
                        .unwrap_or_else(|_| Column::build_empty_column(segment.max_doc()))
                })
                .collect(),
            None => Vec::new(),
        };
        let respondent = match spec.unit {
            Unit::Respondent => fast.str(&spec.respondent_field)?,
            Unit::Comment => None,
        };
        let missing_column = match &spec.column {
            ColumnSource::Values { labels, .. } => labels.len(),
            ColumnSource::Themes => 0,
        };
        Ok(SegmentTally {
            tally: Tally::new(spec.themes, columns),
            spec,
            bits,
            values,
            missing_column,
            weights,
            sentiment,
            seen: vec![false; respondent.as_ref().map_or(0, |r| r.num_terms() + 1)],
            respondent_bits: vec![
                0;
                respondent.as_ref().map_or(0, |r| r.num_terms() + 1)
                    * self.spec.theme_bit_fields.len()
            ],
            respondent_column: vec![0; respondent.as_ref().map_or(0, |r| r.num_terms() + 1)],
            respondent_weight: vec![0.0; respondent.as_ref().map_or(0, |r| r.num_terms() + 1)],
            respondent,
            scratch: Vec::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<TallyFruit>) -> tantivy::Result<Tally> {
        let mut tally = Tally::new(self.spec.themes, self.columns());
        let mut respondents: HashMap<String, Respondent> = HashMap::new();
        for fruit in &fruits {
            tally.merge(&fruit.tally);
        }
        for fruit in fruits {
            for (id, r) in fruit.respondents {
                match respondents.get_mut(&id) {
                    Some(known) => {
                        for (a, b) in known.bits.iter_mut().zip(&r.bits) {
                            *a |= b;
                        }
                    }
                    None => {
                        respondents.insert(id, r);
                    }
                }
            }
        }
        // Respondents in id order, so that sums come out the same however segments split.
        let mut ids: Vec<&String> = respondents.keys().collect();
        ids.sort();
        for id in ids {
            let r = &respondents[id];
            add_unit(
                &self.spec.column,
                self.spec.themes,
                &mut tally,
                &r.bits,
                r.column,
                r.weight,
            );
        }
        Ok(tally)
    }
}

/// Adds one unit (comment or respondent) with these theme bits to its column.
fn add_unit(
    source: &ColumnSource,
    themes: usize,
    tally: &mut Tally,
    bits: &[u64],
    column: usize,
    weight: f64,
) {
    match source {
        ColumnSource::Values { .. } => tally.add(bits, column, weight),
        ColumnSource::Themes => {
            // Co-occurrence: every theme of the unit is a column it falls in.
            tally.units += 1;
            // Set bits of the unit's themes, without allocating: this runs per comment.
            let set = |word: usize, mut w: u64| {
                std::iter::from_fn(move || {
                    (w != 0).then(|| {
                        let t = word * 64 + w.trailing_zeros() as usize;
                        w &= w - 1;
                        t
                    })
                })
            };
            let all = || {
                bits.iter()
                    .enumerate()
                    .flat_map(move |(i, &w)| set(i, w))
                    .filter(move |&t| t < themes)
            };
            for a in all() {
                tally.base[a] += weight;
                tally.base_count[a] += 1;
                for b in all() {
                    tally.cells[a][b] += weight;
                    tally.cell_counts[a][b] += 1;
                }
            }
            if bits.iter().all(|&w| w == 0) {
                tally.uncoded[0] += weight;
            }
        }
    }
}

impl SegmentCollector for SegmentTally {
    type Fruit = TallyFruit;

    fn collect(&mut self, doc: DocId, _: Score) {
        self.scratch.clear();
        for column in &self.bits {
            self.scratch.push(column.get_val(doc));
        }
        let column = match &self.values {
            Some((ords, map)) => ords
                .first(doc)
                .map_or(self.missing_column, |ord| map[ord as usize]),
            None => self.missing_column,
        };
        let weight = if self.spec.weight.is_none() {
            1.0
        } else {
            let given = self
                .weights
                .as_ref()
                .and_then(|(ords, parsed)| ords.first(doc).and_then(|o| parsed[o as usize]));
            given.unwrap_or_else(|| {
                self.tally.unweighted += 1;
                0.0
            })
        };
        if !self.sentiment.is_empty() {
            for (c, &word) in self.scratch.iter().enumerate() {
                let mut word = word;
                while word != 0 {
                    let t = c * 64 + word.trailing_zeros() as usize;
                    if let Some(value) = self.sentiment.get(t).and_then(|s| s.first(doc)) {
                        let cell = match self.spec.column {
                            ColumnSource::Themes => t,
                            ColumnSource::Values { .. } => column,
                        };
                        self.tally.sentiment[t][cell].add(value, weight);
                    }
                    word &= word - 1;
                }
            }
        }
        match &self.respondent {
            Some(ids) => {
                // Comments with no id share the last slot.
                let r = ids
                    .ords()
                    .first(doc)
                    .map_or(self.seen.len() - 1, |o| o as usize);
                if !self.seen[r] {
                    self.seen[r] = true;
                    self.respondent_column[r] = column as u32;
                    self.respondent_weight[r] = weight;
                }
                let words = self.scratch.len();
                for (a, b) in self.respondent_bits[r * words..(r + 1) * words]
                    .iter_mut()
                    .zip(&self.scratch)
                {
                    *a |= b;
                }
            }
            None => {
                add_unit(
                    &self.spec.column,
                    self.spec.themes,
                    &mut self.tally,
                    &self.scratch,
                    column,
                    weight,
                );
            }
        }
    }

    fn harvest(self) -> TallyFruit {
        let mut respondents = HashMap::new();
        if let Some(ids) = &self.respondent {
            let words = self.spec.theme_bit_fields.len();
            let last = self.seen.len() - 1;
            let seen: Vec<u64> = (0..last as u64)
                .filter(|&r| self.seen[r as usize])
                .collect();
            // One pass over the dictionary: looking ordinals up one by one decodes a block each.
            let mut names = Vec::with_capacity(seen.len());
            let _ = ids.dictionary().sorted_ords_to_term_cb(&seen, |bytes| {
                names.push(String::from_utf8_lossy(bytes).into_owned());
            });
            let mut slots: Vec<(usize, String)> =
                seen.iter().map(|&r| r as usize).zip(names).collect();
            if self.seen[last] {
                slots.push((last, String::new()));
            }
            for (r, id) in slots {
                respondents.insert(
                    id,
                    Respondent {
                        bits: self.respondent_bits[r * words..(r + 1) * words].to_vec(),
                        column: self.respondent_column[r] as usize,
                        weight: self.respondent_weight[r],
                    },
                );
            }
        }
        TallyFruit {
            tally: self.tally,
            respondents,
        }
    }
}
