//! One stable sort for the small lists of the analysis, the reports and the
//! web app. Every `slice::sort_by` call site with its own closure compiles its
//! own copy of the standard library's sort (several KB each in the
//! WebAssembly build); here the sort itself runs once, on indices, behind a
//! `dyn` comparator, and each call site only adds the few bytes that put the
//! elements in order. Hot paths over every operation (percentiles) keep the
//! standard library's sorts.

use std::cmp::Ordering;

/// Sorts `v` by `cmp`, stably (equal elements keep their order), like
/// `slice::sort_by`.
pub fn sort_by<T>(v: &mut Vec<T>, cmp: impl Fn(&T, &T) -> Ordering) {
    let order = sorted_indices(v.len(), &|i, j| match (v.get(i), v.get(j)) {
        (Some(a), Some(b)) => cmp(a, b),
        _ => Ordering::Equal,
    });
    let mut slots: Vec<Option<T>> = v.drain(..).map(Some).collect();
    v.extend(
        order
            .into_iter()
            .filter_map(|i| slots.get_mut(i).and_then(Option::take)),
    );
}

/// Sorts `v` in ascending order, stably, like `slice::sort`.
pub fn sort<T: Ord>(v: &mut Vec<T>) {
    sort_by(v, T::cmp);
}

/// Sorts `v` by the key `f` gives, stably, like `slice::sort_by_key`.
pub fn sort_by_key<T, K: Ord>(v: &mut Vec<T>, f: impl Fn(&T) -> K) {
    sort_by(v, |a, b| f(a).cmp(&f(b)));
}

/// `0..n` ordered by `cmp` (the only instance of the standard sort).
fn sorted_indices(n: usize, cmp: &dyn Fn(usize, usize) -> Ordering) -> Vec<usize> {
    let mut idx: Vec<usize> = (0..n).collect();
    idx.sort_by(|&i, &j| cmp(i, j));
    idx
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_stably() {
        // Sorted by the number only: the letters of equal numbers keep their order.
        let mut v = vec![(2, 'a'), (1, 'b'), (2, 'c'), (0, 'd'), (1, 'e')];
        sort_by(&mut v, |x, y| x.0.cmp(&y.0));
        assert_eq!(v, [(0, 'd'), (1, 'b'), (1, 'e'), (2, 'a'), (2, 'c')]);
        sort_by(&mut v, |x, y| y.0.cmp(&x.0));
        assert_eq!(v, [(2, 'a'), (2, 'c'), (1, 'b'), (1, 'e'), (0, 'd')]);
        let mut w = vec!["pear", "fig", "apple"];
        sort_by_key(&mut w, |s| s.len());
        assert_eq!(w, ["fig", "pear", "apple"]);
        let mut empty: Vec<u8> = Vec::new();
        sort_by(&mut empty, |a, b| a.cmp(b));
        assert!(empty.is_empty());
    }
}
