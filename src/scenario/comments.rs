//! The comments a scenario file writes above its inputs: an input's sources and judgements, read
//! by the position of its key (the TOML parser drops comments, so they are taken from the text).

use super::Source;

/// Each input's comment, by input name, in file order (inputs with no comment above them are
/// left out). A file that does not parse has none.
pub fn inputs(source: &Source) -> Vec<(String, String)> {
    let Ok(raw) = source.parse() else {
        return Vec::new();
    };
    raw.inputs
        .keys()
        .filter_map(|key| {
            above(&source.text, key.span().start).map(|text| (key.get_ref().clone(), text))
        })
        .collect()
}

/// The comment block directly above the line holding byte `offset`: the run of `#` lines that
/// ends on the line before it, without the `#`s, joined by spaces. A ruler such as
/// `# --- Border ---` heads a group of inputs rather than describing one, so it is left out.
pub fn above(text: &str, offset: usize) -> Option<String> {
    let line_start = text.get(..offset)?.rfind('\n').map_or(0, |i| i + 1);
    let mut lines: Vec<&str> = Vec::new();
    for line in text[..line_start].lines().rev() {
        let Some(comment) = line.trim_start().strip_prefix('#') else {
            break;
        };
        let comment = comment.trim();
        if !is_ruler(comment) {
            lines.push(comment);
        }
    }
    lines.reverse();
    let joined = lines.join(" ").trim().to_owned();
    (!joined.is_empty()).then_some(joined)
}

/// A comment that is only a heading between dashes (`--- Border -----`).
fn is_ruler(comment: &str) -> bool {
    comment.starts_with("---") && comment.ends_with("---")
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "[inputs]\n# --- Border ---\n# Facts: 2.2 km.\n#   (medium)\nbridge = 1\n\n# lone\n\nspeed = 2\nx = 3\n";

    #[test]
    fn the_block_right_above_a_key_is_its_comment() {
        let at = |key: &str| TEXT.find(&format!("{key} =")).unwrap();
        assert_eq!(
            above(TEXT, at("bridge")).as_deref(),
            Some("Facts: 2.2 km. (medium)")
        );
        // A blank line parts a comment from the key below it.
        assert_eq!(above(TEXT, at("speed")), None);
        // The line above is a key, not a comment.
        assert_eq!(above(TEXT, at("x")), None);
    }

    #[test]
    fn inputs_are_named_with_their_comments() {
        let source = Source {
            path: "t.toml".into(),
            text: "[scenario]\nname = \"t\"\nzone = \"UTC\"\n[inputs]\n# judgement: one hour\na = { dist = \"fixed\", value = \"1h\" }\nb = { dist = \"fixed\", value = \"1h\" }\n\n# the table's own\n[inputs.c]\ndist = \"fixed\"\nvalue = \"1h\"\n".into(),
        };
        assert_eq!(
            inputs(&source),
            [
                ("a".to_owned(), "judgement: one hour".to_owned()),
                ("c".to_owned(), "the table's own".to_owned())
            ]
        );
    }
}
