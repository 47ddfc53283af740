//! A table sortable by any column: header buttons (keyboard-usable) toggle
//! the order, `aria-sort` tells assistive technology. Missing values sort
//! last in both directions.

use std::cmp::Ordering;

use yew::prelude::*;

use super::common::{el, el_attrs, lit, text};

/// The value a cell sorts by.
#[derive(Debug, Clone, PartialEq)]
pub enum Key {
    /// A number (None = no data).
    Num(Option<f64>),
    /// Text, compared case-insensitively.
    Text(String),
}

impl Key {
    /// A count.
    pub fn count(v: u64) -> Key {
        Key::Num(Some(v as f64))
    }

    /// Text.
    pub fn text(s: &str) -> Key {
        Key::Text(s.to_lowercase())
    }
}

/// Orders two keys ascending, missing values last.
pub fn compare(a: &Key, b: &Key, ascending: bool) -> Ordering {
    let flip = |o: Ordering| if ascending { o } else { o.reverse() };
    match (a, b) {
        (Key::Num(Some(x)), Key::Num(Some(y))) => flip(x.partial_cmp(y).unwrap_or(Ordering::Equal)),
        (Key::Num(None), Key::Num(None)) => Ordering::Equal,
        (Key::Num(None), _) => Ordering::Greater,
        (_, Key::Num(None)) => Ordering::Less,
        (Key::Text(x), Key::Text(y)) => flip(x.cmp(y)),
        (Key::Text(_), Key::Num(_)) => Ordering::Greater,
        (Key::Num(_), Key::Text(_)) => Ordering::Less,
    }
}

/// A column.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    /// Header text.
    pub label: &'static str,
    /// Stable id (`data-col`).
    pub id: &'static str,
    /// Numbers are right-aligned and sort descending first.
    pub numeric: bool,
}

impl Column {
    /// A text column.
    pub const fn text(id: &'static str, label: &'static str) -> Column {
        Column {
            label,
            id,
            numeric: false,
        }
    }

    /// A numeric column.
    pub const fn num(id: &'static str, label: &'static str) -> Column {
        Column {
            label,
            id,
            numeric: true,
        }
    }
}

/// A row: one sort key and one cell per column.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// Stable row id (`data-row`), usually the name.
    pub id: String,
    /// Sort keys, one per column.
    pub keys: Vec<Key>,
    /// Cells, one per column.
    pub cells: Vec<Html>,
}

/// A plain table (`table.data[data-table]`): column headers (label, numeric)
/// and rows built with [`tr`].
#[inline(never)]
pub fn table(id: AttrValue, head: &[(&'static str, bool)], rows: Vec<Html>) -> Html {
    let ths = head
        .iter()
        .map(|&(label, numeric)| th(lit(label), numeric))
        .collect();
    table_of("data", id, "", ths, rows)
}

/// A table (`table[class][data-table]`) with an optional caption (none when
/// empty), header cells (built with [`th`]) and rows.
#[inline(never)]
pub fn table_of(
    class: &'static str,
    id: AttrValue,
    caption: &'static str,
    head: Vec<Html>,
    rows: Vec<Html>,
) -> Html {
    let mut children = Vec::with_capacity(3);
    if !caption.is_empty() {
        children.push(el("caption", "", vec![lit(caption)]));
    }
    children.push(el("thead", "", vec![el("tr", "", head)]));
    children.push(el("tbody", "", rows));
    el_attrs(
        "table",
        &["class", "data-table"],
        vec![class.into(), id],
        children,
    )
}

/// A column header cell (`th[scope=col]`, right-aligned when numeric).
#[inline(never)]
pub fn th(label: Html, numeric: bool) -> Html {
    if numeric {
        el_attrs(
            "th",
            &["scope", "class"],
            vec!["col".into(), "num".into()],
            vec![label],
        )
    } else {
        el_attrs("th", &["scope"], vec!["col".into()], vec![label])
    }
}

/// A row header cell (`th[scope=row]`).
#[inline(never)]
pub fn th_row(label: String) -> Html {
    el_attrs("th", &["scope"], vec!["row".into()], vec![text(label)])
}

/// A cell with a class and `data-col`.
#[inline(never)]
pub fn td_col(class: AttrValue, col: AttrValue, children: Vec<Html>) -> Html {
    el_attrs("td", &["class", "data-col"], vec![class, col], children)
}

/// A table row with `data-row` (when given) and its cells.
#[inline(never)]
pub fn tr(row: Option<String>, cells: Vec<Html>) -> Html {
    match row {
        Some(id) => el_attrs("tr", &["data-row"], vec![id.into()], cells),
        None => el("tr", "", cells),
    }
}

/// A text cell.
#[inline(never)]
pub fn td(value: String) -> Html {
    el("td", "", vec![text(value)])
}

/// A right-aligned (numeric) text cell.
#[inline(never)]
pub fn num(value: String) -> Html {
    el("td", "num", vec![text(value)])
}

/// A cell holding markup.
#[inline(never)]
pub fn td_html(value: Html) -> Html {
    el("td", "", vec![value])
}

/// A right-aligned (numeric) cell holding markup.
#[inline(never)]
pub fn num_html(value: Html) -> Html {
    el("td", "num", vec![value])
}

/// Properties of [`SortTable`].
#[derive(Debug, Clone, PartialEq, Properties)]
pub struct SortTableProps {
    /// Stable id (`data-table`).
    pub id: AttrValue,
    /// Caption for assistive technology.
    pub caption: AttrValue,
    /// Columns.
    pub columns: Vec<Column>,
    /// Rows.
    pub rows: Vec<Row>,
    /// Initial sort column and direction.
    #[prop_or((0, true))]
    pub initial: (usize, bool),
}

/// The sortable table.
#[function_component(SortTable)]
pub fn sort_table(props: &SortTableProps) -> Html {
    let sort = use_state(|| props.initial);
    let (col, asc) = *sort;
    let mut order: Vec<&Row> = props.rows.iter().collect();
    baton_core::sort::sort_by(&mut order, |a, b| {
        match (a.keys.get(col), b.keys.get(col)) {
            (Some(x), Some(y)) => compare(x, y, asc),
            _ => Ordering::Equal,
        }
    });
    html! {
        <div class="table-wrap">
        <table class="data sortable" data-table={props.id.clone()}>
            <caption class="visually-hidden">{ props.caption.clone() }</caption>
            <thead><tr>
                { for props.columns.iter().enumerate().map(|(i, c)| {
                    // Numbers sort largest first on the first click, text A→Z.
                    let sort = sort.clone();
                    let numeric = c.numeric;
                    let onclick = Callback::from(move |_: MouseEvent| {
                        let (cur, a) = *sort;
                        sort.set(if cur == i { (i, !a) } else { (i, !numeric) });
                    });
                    let aria = if col == i { if asc { "ascending" } else { "descending" } } else { "none" };
                    let arrow = if col == i { if asc { " ▲" } else { " ▼" } } else { "" };
                    html! {
                        <th scope="col" aria-sort={aria} data-col={c.id} class={classes!(c.numeric.then_some("num"))}>
                            <button type="button" class="sort" {onclick}>{ c.label }{ arrow }</button>
                        </th>
                    }
                }) }
            </tr></thead>
            <tbody>
                { for order.into_iter().map(|r| html! {
                    <tr key={r.id.clone()} data-row={r.id.clone()}>
                        { for r.cells.iter().zip(props.columns.iter()).map(|(cell, c)| html! {
                            <td data-col={c.id} class={classes!(c.numeric.then_some("num"))}>{ cell.clone() }</td>
                        }) }
                    </tr>
                }) }
            </tbody>
        </table>
        </div>
    }
}

/// The first cells of an operation's row: its id, kind and agent.
#[inline(never)]
pub fn op_cells(o: &baton_core::analysis::OperationRef) -> Vec<Html> {
    vec![td(o.id.clone()), td(o.kind.clone()), td(o.agent.clone())]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_values_sort_last_both_ways() {
        let mut v = [Key::Num(Some(2.0)), Key::Num(None), Key::Num(Some(1.0))];
        v.sort_by(|a, b| compare(a, b, true));
        assert_eq!(
            v,
            [Key::Num(Some(1.0)), Key::Num(Some(2.0)), Key::Num(None)]
        );
        v.sort_by(|a, b| compare(a, b, false));
        assert_eq!(
            v,
            [Key::Num(Some(2.0)), Key::Num(Some(1.0)), Key::Num(None)]
        );
        let mut t = [Key::text("b"), Key::text("A")];
        t.sort_by(|a, b| compare(a, b, true));
        assert_eq!(t, [Key::text("a"), Key::text("b")]);
    }
}
