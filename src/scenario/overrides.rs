//! What-if overrides: `--set PATH=VALUE` and scenario variants, applied to the scenario *text*
//! with a format-preserving TOML editor, so the edited scenario is parsed, checked and reported
//! exactly like a file, and any error still points at a line a person can read.

use super::Source;
use super::raw::RawScenario;
use crate::diag::{Diagnostic, closest};
use toml_edit::{DocumentMut, Item, Value};

/// Top-level tables a path may start with; any other first segment names an input, route,
/// milestone or deadline and is looked up.
const TABLES: [&str; 7] = [
    "scenario",
    "inputs",
    "routes",
    "milestones",
    "steps",
    "deadlines",
    "variants",
];
const NAMED: [&str; 4] = ["inputs", "routes", "milestones", "deadlines"];

/// One override: where, what, and how the user wrote it (for messages).
#[derive(Debug, Clone, PartialEq)]
pub struct Override {
    pub path: String,
    pub value: String,
    /// How the override reads in messages, e.g. `--set dprk_speed.min=40` or `variant fast_train`.
    pub origin: String,
}

impl Override {
    /// Parses `PATH=VALUE` as given to `--set`.
    pub fn parse(text: &str) -> Result<Override, String> {
        let (path, value) = text.split_once('=').ok_or_else(|| {
            format!("--set {text}: expected PATH=VALUE, e.g. --set dprk_speed.mode=55")
        })?;
        let path = path.trim();
        if path.is_empty() {
            return Err(format!("--set {text}: the path before `=` is empty"));
        }
        Ok(Override {
            path: path.to_owned(),
            value: value.trim().to_owned(),
            origin: format!("--set {text}"),
        })
    }
}

/// A declared variant: its name, description and overrides.
pub type DeclaredVariant = (String, Option<String>, Vec<Override>);

/// The variants a scenario declares, as (name, description, overrides), read without checking
/// the rest of the scenario.
pub fn variants(source: &Source) -> Result<Vec<DeclaredVariant>, String> {
    let doc: DocumentMut = source
        .text
        .parse()
        .map_err(|e| format!("{}: {e}", source.path))?;
    variants_in(&doc)
}

fn variants_in(doc: &DocumentMut) -> Result<Vec<DeclaredVariant>, String> {
    let Some(table) = doc.get("variants").and_then(Item::as_table_like) else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for (name, item) in table.iter() {
        let variant = item
            .as_table_like()
            .ok_or_else(|| format!("variant `{name}` must be a table"))?;
        let description = variant
            .get("description")
            .and_then(Item::as_str)
            .map(str::to_owned);
        let set = variant
            .get("set")
            .and_then(Item::as_table_like)
            .ok_or_else(|| format!("variant `{name}` needs a `set` table of overrides"))?;
        let overrides = set
            .iter()
            .map(|(path, value)| Override {
                path: path.to_owned(),
                value: value
                    .as_value()
                    .map_or_else(|| value.to_string(), |v| v.to_string())
                    .trim()
                    .to_owned(),
                origin: format!("variant {name} ({path})"),
            })
            .collect();
        out.push((name.to_owned(), description, overrides));
    }
    Ok(out)
}

/// The declared variants, each override checked to name something in the scenario, so a typo
/// in a variant is an error where it is written, whether or not that variant is run.
pub fn check_variants(
    source: &Source,
    raw: &RawScenario,
) -> Result<Vec<DeclaredVariant>, Diagnostic> {
    if raw.variants.is_empty() {
        return Ok(Vec::new());
    }
    let doc: DocumentMut = source
        .text
        .parse()
        .map_err(|e| Diagnostic::new(format!("{e}")))?;
    let declared = variants_in(&doc).map_err(Diagnostic::new)?;
    for (name, _, overrides) in &declared {
        let Some((_, written)) = raw.variants.iter().find(|(n, _)| n.get_ref() == name) else {
            continue;
        };
        for o in overrides {
            let mut edited = doc.clone();
            if let Err(message) = set(&mut edited, o) {
                let key = written
                    .get_ref()
                    .set
                    .keys()
                    .find(|k| k.get_ref() == &o.path);
                return Err(match key {
                    Some(key) => Diagnostic::at(message, key.span(), "not in the scenario"),
                    None => Diagnostic::new(message),
                });
            }
        }
    }
    Ok(declared)
}

/// Applies overrides in order and returns the edited scenario. The path label says what was
/// changed, so a later error names the override that caused it.
pub fn apply(source: &Source, overrides: &[Override]) -> Result<Source, String> {
    if overrides.is_empty() {
        return Ok(source.clone());
    }
    let mut doc: DocumentMut = source
        .text
        .parse()
        .map_err(|e| format!("{}: {e}", source.path))?;
    for o in overrides {
        set(&mut doc, o)?;
    }
    let origins: Vec<&str> = overrides.iter().map(|o| o.origin.as_str()).collect();
    Ok(Source {
        path: format!("{} (with {})", source.path, origins.join(", ")),
        text: doc.to_string(),
    })
}

/// The value an override gives, as TOML: anything TOML reads (numbers, strings, inline tables),
/// and otherwise the bare text as a string, so `--set departure_day=2023-09-11` and
/// `--set venue_transfer=1h30m` need no quoting. TOML dates and times become strings, which is
/// how scenarios write them.
pub fn parse_value(text: &str) -> Value {
    match text.parse::<Value>() {
        Ok(Value::Datetime(d)) => Value::from(d.value().to_string()),
        Ok(v) => v,
        Err(_) => Value::from(text),
    }
}

/// The value at `path` (resolved as for `--set`) as text; strings without their quotes.
pub fn get(source: &Source, path: &str) -> Result<String, String> {
    let doc: DocumentMut = source
        .text
        .parse()
        .map_err(|e| format!("{}: {e}", source.path))?;
    let o = Override {
        path: path.to_owned(),
        value: String::new(),
        origin: format!("--param {path}"),
    };
    let segments = resolve(&doc, &o)?;
    let missing = || format!("{}: `{path}` does not exist in the scenario", o.origin);
    let Some((last, parents)) = segments.split_last() else {
        return Err(missing());
    };
    let mut table: &dyn toml_edit::TableLike = doc.as_table();
    let mut pending_array: Option<&toml_edit::ArrayOfTables> = None;
    for segment in parents {
        if let Some(array) = pending_array.take() {
            let index = segment
                .parse::<usize>()
                .ok()
                .and_then(|i| i.checked_sub(1))
                .ok_or_else(missing)?;
            table = array.get(index).ok_or_else(missing)?;
            continue;
        }
        match table.get(segment).ok_or_else(missing)? {
            Item::ArrayOfTables(array) => pending_array = Some(array),
            other => table = other.as_table_like().ok_or_else(missing)?,
        }
    }
    if pending_array.is_some() {
        return Err(missing());
    }
    let item = table.get(last).ok_or_else(missing)?;
    match item.as_value() {
        Some(Value::String(s)) => Ok(s.value().clone()),
        Some(v) => Ok(v.to_string().trim().to_owned()),
        None => Err(format!("{}: `{path}` is a table, not a value", o.origin)),
    }
}

fn set(doc: &mut DocumentMut, o: &Override) -> Result<(), String> {
    let segments = resolve(doc, o)?;
    let Some((last, parents)) = segments.split_last() else {
        return Err(format!("{}: empty path", o.origin));
    };
    let mut item: &mut Item = doc.as_item_mut();
    let mut walked: Vec<&str> = Vec::new();
    for segment in parents {
        walked.push(segment);
        let here = walked.join(".");
        item = match item {
            Item::ArrayOfTables(array) => {
                let index: usize = segment
                    .parse::<usize>()
                    .ok()
                    .filter(|i| (1..=array.len()).contains(i))
                    .ok_or_else(|| {
                        format!(
                            "{}: `{here}`: expected a step number from 1 to {}",
                            o.origin,
                            array.len()
                        )
                    })?;
                let table = array
                    .get_mut(index - 1)
                    .ok_or_else(|| format!("{}: no step {index}", o.origin))?;
                return set_in_table(table, &walked, &segments[walked.len()..], o);
            }
            other => {
                let table = other
                    .as_table_like_mut()
                    .ok_or_else(|| format!("{}: `{here}` is a value, not a table", o.origin))?;
                let known: Vec<String> = table.iter().map(|(k, _)| k.to_owned()).collect();
                table
                    .get_mut(segment)
                    .ok_or_else(|| missing(o, &here, segment, &known))?
            }
        };
    }
    let table = item.as_table_like_mut().ok_or_else(|| {
        format!(
            "{}: `{}` is a value, not a table",
            o.origin,
            walked.join(".")
        )
    })?;
    let mut value = parse_value(&o.value);
    // A whole input set to a plain value means that value, fixed: `--set departure_day=2023-09-11`.
    if parents == ["inputs"] && !value.is_inline_table() {
        let mut fixed = toml_edit::InlineTable::new();
        fixed.insert("dist", Value::from("fixed"));
        fixed.insert("value", value);
        value = Value::InlineTable(fixed);
    }
    table.insert(last, Item::Value(value));
    Ok(())
}

/// Sets the rest of a path inside one `[[steps]]` table.
fn set_in_table(
    table: &mut toml_edit::Table,
    walked: &[&str],
    rest: &[String],
    o: &Override,
) -> Result<(), String> {
    let mut item = table as &mut dyn toml_edit::TableLike;
    let mut path: Vec<&str> = walked.to_vec();
    let Some((last, middle)) = rest.split_last() else {
        return Err(format!(
            "{}: `{}` names a whole step; name one of its keys",
            o.origin,
            path.join(".")
        ));
    };
    for segment in middle {
        path.push(segment);
        let known: Vec<String> = item.iter().map(|(k, _)| k.to_owned()).collect();
        let here = path.join(".");
        item = item
            .get_mut(segment)
            .ok_or_else(|| missing(o, &here, segment, &known))?
            .as_table_like_mut()
            .ok_or_else(|| format!("{}: `{here}` is a value, not a table", o.origin))?;
    }
    item.insert(last, Item::Value(parse_value(&o.value)));
    Ok(())
}

fn missing(o: &Override, here: &str, segment: &str, known: &[String]) -> String {
    let near = closest(segment, known.iter().map(String::as_str))
        .map_or(String::new(), |n| format!("; did you mean `{n}`?"));
    format!(
        "{}: `{here}` does not exist in the scenario{near}",
        o.origin
    )
}

/// Turns `dprk_speed.min` into `inputs.dprk_speed.min` by finding which table has the name.
fn resolve(doc: &DocumentMut, o: &Override) -> Result<Vec<String>, String> {
    let segments: Vec<String> = o.path.split('.').map(|s| s.trim().to_owned()).collect();
    let first = segments.first().map(String::as_str).unwrap_or("");
    if segments.iter().any(String::is_empty) {
        return Err(format!("{}: `{}` has an empty part", o.origin, o.path));
    }
    if TABLES.contains(&first) {
        return Ok(segments);
    }
    let owners: Vec<&str> = NAMED
        .iter()
        .copied()
        .filter(|t| {
            doc.get(t)
                .and_then(Item::as_table_like)
                .is_some_and(|t| t.contains_key(first))
        })
        .collect();
    match owners.as_slice() {
        [table] => Ok(std::iter::once((*table).to_owned())
            .chain(segments)
            .collect()),
        _ => {
            let names: Vec<String> = NAMED
                .iter()
                .filter_map(|t| doc.get(t).and_then(Item::as_table_like))
                .flat_map(|t| t.iter().map(|(k, _)| k.to_owned()).collect::<Vec<_>>())
                .collect();
            let near = closest(first, names.iter().map(String::as_str))
                .map_or(String::new(), |n| format!("; did you mean `{n}`?"));
            Err(format!(
                "{}: no input, route, milestone or deadline is called `{first}`{near}",
                o.origin
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(text: &str) -> Source {
        Source {
            path: "s.toml".into(),
            text: text.into(),
        }
    }

    const TEXT: &str = "[scenario]\nname = \"x\" # kept\nzone = \"UTC\"\n\n[inputs]\nspeed = { dist = \"uniform\", min = 40, max = 60, unit = \"km/h\" }\n\n[routes]\na = { probability = 0.5 }\nb = { probability = 0.5 }\n\n[[steps]]\nfrom = \"x\"\nto = \"y\"\nkind = \"travel\"\nduration = \"1 h\"\n";

    #[test]
    fn names_resolve_to_their_tables_and_formatting_survives() {
        let o = Override::parse("speed.min=45").unwrap();
        let edited = apply(&source(TEXT), &[o]).unwrap();
        assert!(edited.text.contains("min = 45"), "{}", edited.text);
        assert!(edited.text.contains("name = \"x\" # kept"));
        let o = Override::parse("a.probability=0.2").unwrap();
        assert!(
            apply(&source(TEXT), &[o])
                .unwrap()
                .text
                .contains("a = { probability = 0.2 }")
        );
    }

    #[test]
    fn whole_inputs_and_step_fields_can_be_replaced() {
        let o = Override::parse(r#"speed={ dist = "fixed", value = "50 km/h" }"#).unwrap();
        let t = apply(&source(TEXT), &[o]).unwrap().text;
        assert!(
            t.contains(r#"speed = { dist = "fixed", value = "50 km/h" }"#),
            "{t}"
        );
        let o = Override::parse("steps.1.duration=2h").unwrap();
        assert!(
            apply(&source(TEXT), &[o])
                .unwrap()
                .text
                .contains("duration = \"2h\"")
        );
    }

    #[test]
    fn a_plain_value_for_a_whole_input_fixes_it() {
        let t = apply(&source(TEXT), &[Override::parse("speed=50 km/h").unwrap()])
            .unwrap()
            .text;
        assert!(
            t.contains(r#"speed = { dist = "fixed", value = "50 km/h" }"#),
            "{t}"
        );
    }

    #[test]
    fn bare_dates_and_times_become_strings() {
        assert_eq!(parse_value("2023-09-11").as_str(), Some("2023-09-11"));
        assert_eq!(parse_value("06:00").as_str(), Some("06:00"));
        assert_eq!(parse_value("1h30m").as_str(), Some("1h30m"));
        assert_eq!(parse_value("0.5").as_float(), Some(0.5));
    }

    #[test]
    fn a_path_that_names_nothing_is_an_error_with_a_suggestion() {
        let e = apply(&source(TEXT), &[Override::parse("sped.min=4").unwrap()]).unwrap_err();
        assert!(
            e.contains("--set sped.min=4") && e.contains("did you mean `speed`"),
            "{e}"
        );
        let e = apply(
            &source(TEXT),
            &[Override::parse("steps.7.duration=1h").unwrap()],
        )
        .unwrap_err();
        assert!(e.contains("step number from 1 to 1"), "{e}");
        assert!(Override::parse("nothing").is_err());
    }
}
