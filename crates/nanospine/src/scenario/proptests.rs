//! `parse` never panics: arbitrary text, and valid files with random edits.

use proptest::prelude::*;

use super::tests::FULL;
use super::{apply_set, parse};
use crate::params::Registry;

/// Snippets that are likely to break things in interesting ways when spliced in.
const SNIPPETS: &[&str] = &[
    "[",
    "]",
    "[[arm]]",
    "[arm.parameters]",
    "=",
    "\"",
    "'",
    "\n",
    "#",
    "{",
    "}",
    ",",
    "0",
    "-1",
    "1e400",
    "nan",
    "inf",
    "\"0 mm\"",
    "\"1e308 d\"",
    "\"-0 s\"",
    "\"é µm\"",
    "true",
    "\"\"",
    "grade",
    "species",
    "\"glucose.boundary.cep\"",
    "a.b.c",
    "[grid]",
    "[solver]",
    "kind",
    "\u{0}",
    "\\u0000",
    "\r\n",
    "ẞ",
];

/// One edit of the text: delete, insert a snippet, duplicate or swap a range (char indices).
#[derive(Debug, Clone)]
enum Edit {
    Delete(usize, usize),
    Insert(usize, usize),
    Duplicate(usize, usize),
    Truncate(usize),
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (any::<usize>(), 0usize..40).prop_map(|(a, n)| Edit::Delete(a, n)),
        (any::<usize>(), 0..SNIPPETS.len()).prop_map(|(a, s)| Edit::Insert(a, s)),
        (any::<usize>(), 0usize..80).prop_map(|(a, n)| Edit::Duplicate(a, n)),
        any::<usize>().prop_map(Edit::Truncate),
    ]
}

fn apply(text: &str, e: &Edit) -> String {
    let chars: Vec<char> = text.chars().collect();
    let n = chars.len();
    let at = |a: usize| if n == 0 { 0 } else { a % (n + 1) };
    let s = |r: &[char]| r.iter().collect::<String>();
    match *e {
        Edit::Delete(a, len) => {
            let a = at(a);
            let b = (a + len).min(n);
            s(&chars[..a]) + &s(&chars[b..])
        }
        Edit::Insert(a, k) => {
            let a = at(a);
            s(&chars[..a]) + SNIPPETS[k] + &s(&chars[a..])
        }
        Edit::Duplicate(a, len) => {
            let a = at(a);
            let b = (a + len).min(n);
            s(&chars[..b]) + &s(&chars[a..b]) + &s(&chars[b..])
        }
        Edit::Truncate(a) => s(&chars[..at(a)]),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_text_never_panics(text in any::<String>()) {
        let reg = Registry::builtin();
        let _ = parse(&text, &reg);
    }

    #[test]
    fn toml_like_text_never_panics(text in "[\\[\\]a-z_=\" .0-9\n#{},'-]{0,200}") {
        let reg = Registry::builtin();
        let _ = parse(&text, &reg);
    }

    #[test]
    fn edited_valid_files_never_panic(edits in proptest::collection::vec(edit(), 1..6)) {
        let reg = Registry::builtin();
        let mut text = FULL.to_string();
        for e in &edits {
            text = apply(&text, e);
        }
        match parse(&text, &reg) {
            Ok(s) => prop_assert!(!s.arms.is_empty()),
            Err(errs) => {
                prop_assert!(!errs.0.is_empty());
                for e in &errs.0 {
                    prop_assert!(e.line >= 1 && e.column >= 1, "{:?}", e);
                }
                let _ = errs.render("x.toml");
            }
        }
    }

    #[test]
    fn arbitrary_set_assignments_never_panic(a in any::<String>()) {
        let reg = Registry::builtin();
        if let Ok(mut s) = parse(FULL, &reg) {
            let _ = apply_set(&mut s, &reg, &a);
        }
    }
}

#[test]
fn deeply_nested_input_is_an_error_not_a_crash() {
    let reg = Registry::builtin();
    for open in ["[", "{a=", "[{a="] {
        let text = format!("a = {}", open.repeat(20_000));
        assert!(parse(&text, &reg).is_err());
    }
    for table in ["scenario", "parameters"] {
        let text = format!("[{table}]\n{}a = 1\n", "a.".repeat(20_000));
        assert!(parse(&text, &reg).is_err());
    }
}
