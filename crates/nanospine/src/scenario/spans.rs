//! Byte offsets (from the TOML parser's spans) to 1-based line and column.

/// Start offsets of every line of a text, for offset -> (line, column) look-ups.
#[derive(Debug, Clone)]
pub(crate) struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    /// Indexes `text`.
    pub(crate) fn new(text: &'a str) -> Self {
        let mut starts = vec![0];
        starts.extend(
            text.bytes()
                .enumerate()
                .filter(|&(_, b)| b == b'\n')
                .map(|(i, _)| i + 1),
        );
        Self { text, starts }
    }

    /// 1-based line and 1-based column (in characters) of byte `offset`; offsets past the end
    /// map to the end, offsets inside a multi-byte character to that character.
    pub(crate) fn locate(&self, offset: usize) -> (usize, usize) {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|&s| s <= offset).max(1);
        let start = self.starts[line - 1];
        let column = self.text[start..offset].chars().count() + 1;
        (line, column)
    }

    /// The source text of a byte span, if the span is valid.
    pub(crate) fn slice(&self, span: std::ops::Range<usize>) -> Option<&'a str> {
        self.text.get(span)
    }
}

/// 1-based (line, column) of the key `table.key` (e.g. `("grid", "spacing")`) in a scenario
/// text, if present; used to locate errors found after parsing (e.g. geometry checks).
pub fn locate_setting(text: &str, table: &str, key: &str) -> Option<(usize, usize)> {
    use toml::de::{DeTable, DeValue};
    let doc = DeTable::parse(text).ok()?;
    let sub = doc.get_ref().get(table)?;
    let DeValue::Table(t) = sub.get_ref() else {
        return None;
    };
    let (k, _) = t.get_key_value(key)?;
    Some(LineIndex::new(text).locate(k.span().start))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_and_columns_are_one_based() {
        let t = "ab\ncdé\n\nx";
        let li = LineIndex::new(t);
        assert_eq!(li.locate(0), (1, 1));
        assert_eq!(li.locate(1), (1, 2));
        assert_eq!(li.locate(2), (1, 3)); // the newline itself
        assert_eq!(li.locate(3), (2, 1));
        assert_eq!(li.locate(5), (2, 3)); // 'é' starts at byte 5
        assert_eq!(li.locate(6), (2, 3)); // inside 'é'
        assert_eq!(li.locate(7), (2, 4));
        assert_eq!(li.locate(8), (3, 1));
        assert_eq!(li.locate(9), (4, 1));
        assert_eq!(li.locate(1000), (4, 2));
        assert_eq!(LineIndex::new("").locate(3), (1, 1));
    }
}
