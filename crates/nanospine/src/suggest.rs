//! "Did you mean" suggestions by edit distance (scenario keys, parameter names).

/// Optimal-string-alignment distance (Levenshtein plus adjacent transpositions), in characters,
/// case-insensitive.
pub fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.to_lowercase().chars().collect();
    let b: Vec<char> = b.to_lowercase().chars().collect();
    let (n, m) = (a.len(), b.len());
    let mut d = vec![vec![0usize; m + 1]; n + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=n {
        for j in 1..=m {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = v;
        }
    }
    d[n][m]
}

/// The candidate closest to `word`, if its distance is at most a third of `word`'s length
/// (at least 1, at most 4): closer than that is a typo, farther is a different word.
pub fn closest<'c>(word: &str, candidates: impl IntoIterator<Item = &'c str>) -> Option<String> {
    let limit = (word.chars().count() / 3).clamp(1, 4);
    candidates
        .into_iter()
        .map(|c| (distance(word, c), c))
        .filter(|&(d, _)| d <= limit)
        .min_by_key(|&(d, _)| d)
        .map(|(_, c)| c.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances() {
        assert_eq!(distance("species", "species"), 0);
        assert_eq!(distance("speceis", "species"), 1);
        assert_eq!(distance("kitten", "sitting"), 3);
        assert_eq!(distance("", "abc"), 3);
        assert_eq!(distance("Grade", "grade"), 0);
    }

    #[test]
    fn closest_picks_typos_only() {
        let keys = ["name", "description", "species", "grade"];
        assert_eq!(closest("speceis", keys).as_deref(), Some("species"));
        assert_eq!(closest("grad", keys).as_deref(), Some("grade"));
        assert_eq!(closest("colour", keys), None);
        assert_eq!(
            closest(
                "glucose.boundary.cpe",
                ["glucose.boundary.cep", "oxygen.boundary.cep"]
            )
            .as_deref(),
            Some("glucose.boundary.cep")
        );
    }
}
