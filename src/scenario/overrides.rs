//! What-if overrides: `PATH=VALUE` edits (from the command line or a scenario's variants),
//! applied to the scenario *text* with a format-preserving TOML editor, so the edited scenario is
//! parsed, checked and reported exactly like a file, and any error still points at a line a person
//! can read. Each override carries its origin (how the user wrote it), which its errors quote.

use super::Source;
use super::raw::RawScenario;
use crate::diag::{Diagnostic, closest};
use toml_edit::{DocumentMut, Item, Value};

/// Top-level tables a path may start with; any other first segment names an input, route,
/// milestone or deadline and is looked up.
const TABLES: [&str; 8] = [
    "scenario",
    "inputs",
    "routes",
    "milestones",
    "steps",
    "deadlines",
    "variants",
    "calendars",
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

/// Why an override cannot be applied (or variants cannot be read): the override itself is wrong,
/// as opposed to the scenario it makes.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum OverrideError {
    /// The text is not `PATH=VALUE`.
    #[error("{origin}: expected PATH=VALUE")]
    Syntax { origin: String },
    #[error("{origin}: the path before `=` is empty")]
    EmptyPath { origin: String },
    /// The scenario text is not TOML the editor can read.
    #[error("{file}: {message}")]
    Toml { file: String, message: String },
    #[error("variant `{name}` must be a table")]
    VariantNotTable { name: String },
    #[error("variant `{name}` needs a `set` table of overrides")]
    VariantWithoutSet { name: String },
    /// The path names nothing, or something that cannot take the value.
    #[error("{origin}: {problem}")]
    Path { origin: String, problem: String },
}

impl Override {
    /// Parses `PATH=VALUE`; `origin` is how it reads in messages (e.g. the flag that gave it).
    pub fn parse(text: &str, origin: impl Into<String>) -> Result<Override, OverrideError> {
        let origin = origin.into();
        let Some((path, value)) = text.split_once('=') else {
            return Err(OverrideError::Syntax { origin });
        };
        let path = path.trim();
        if path.is_empty() {
            return Err(OverrideError::EmptyPath { origin });
        }
        Ok(Override {
            path: path.to_owned(),
            value: value.trim().to_owned(),
            origin,
        })
    }

    /// An error about this override's path.
    fn error(&self, problem: impl Into<String>) -> OverrideError {
        OverrideError::Path {
            origin: self.origin.clone(),
            problem: problem.into(),
        }
    }
}

/// The scenario text as an editable TOML document.
fn document(source: &Source) -> Result<DocumentMut, OverrideError> {
    source.text.parse().map_err(|e| OverrideError::Toml {
        file: source.path.clone(),
        message: format!("{e}"),
    })
}

/// A declared variant: its name, description and overrides.
pub type DeclaredVariant = (String, Option<String>, Vec<Override>);

/// The variants a scenario declares, as (name, description, overrides), read without checking
/// the rest of the scenario.
pub fn variants(source: &Source) -> Result<Vec<DeclaredVariant>, OverrideError> {
    variants_in(&document(source)?)
}

fn variants_in(doc: &DocumentMut) -> Result<Vec<DeclaredVariant>, OverrideError> {
    let Some(table) = doc.get("variants").and_then(Item::as_table_like) else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for (name, item) in table.iter() {
        let variant = item
            .as_table_like()
            .ok_or_else(|| OverrideError::VariantNotTable {
                name: name.to_owned(),
            })?;
        let description = variant
            .get("description")
            .and_then(Item::as_str)
            .map(str::to_owned);
        let set = variant
            .get("set")
            .and_then(Item::as_table_like)
            .ok_or_else(|| OverrideError::VariantWithoutSet {
                name: name.to_owned(),
            })?;
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
    let declared = variants_in(&doc).map_err(|e| Diagnostic::new(e.to_string()))?;
    for (name, _, overrides) in &declared {
        let Some((_, written)) = raw.variants.iter().find(|(n, _)| n.get_ref() == name) else {
            continue;
        };
        for o in overrides {
            let mut edited = doc.clone();
            if let Err(e) = set(&mut edited, o) {
                let message = e.to_string();
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
pub fn apply(source: &Source, overrides: &[Override]) -> Result<Source, OverrideError> {
    if overrides.is_empty() {
        return Ok(source.clone());
    }
    let mut doc = document(source)?;
    for o in overrides {
        set(&mut doc, o)?;
    }
    if let Some((_, x, others)) = one_route_probability(&doc, overrides) {
        rescale_routes(&mut doc, x, &others);
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

/// The value at `o.path` (resolved as [`apply`] resolves it; the value is ignored) as text;
/// strings without their quotes. Errors quote `o.origin`.
pub fn get(source: &Source, o: &Override) -> Result<String, OverrideError> {
    let doc = document(source)?;
    let path = &o.path;
    let segments = resolve(&doc, o)?;
    let missing = || o.error(format!("`{path}` does not exist in the scenario"));
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
        None => Err(o.error(format!("`{path}` is a table, not a value"))),
    }
}

fn set(doc: &mut DocumentMut, o: &Override) -> Result<(), OverrideError> {
    let segments = resolve(doc, o)?;
    let Some((last, parents)) = segments.split_last() else {
        return Err(o.error("empty path"));
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
                        o.error(format!(
                            "`{here}`: expected a step number from 1 to {}",
                            array.len()
                        ))
                    })?;
                let table = array
                    .get_mut(index - 1)
                    .ok_or_else(|| o.error(format!("no step {index}")))?;
                return set_in_table(table, &walked, &segments[walked.len()..], o);
            }
            other => {
                let table = other
                    .as_table_like_mut()
                    .ok_or_else(|| o.error(format!("`{here}` is a value, not a table")))?;
                let known: Vec<String> = table.iter().map(|(k, _)| k.to_owned()).collect();
                table
                    .get_mut(segment)
                    .ok_or_else(|| missing(o, &here, segment, &known))?
            }
        };
    }
    let table = item
        .as_table_like_mut()
        .ok_or_else(|| o.error(format!("`{}` is a value, not a table", walked.join("."))))?;
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

/// When the overrides give exactly one route's probability, as a number: that route, the
/// number, and the other routes whose probabilities are numbers (which [`apply`] rescales in
/// proportion so that all still sum to 1). `None` when no route or several are given.
fn one_route_probability(
    doc: &DocumentMut,
    overrides: &[Override],
) -> Option<(String, f64, Vec<String>)> {
    let mut named: Vec<(String, f64)> = Vec::new();
    for o in overrides {
        let segments = resolve(doc, o).ok()?;
        if let [table, route, key] = segments.as_slice()
            && table == "routes"
            && key == "probability"
        {
            let x = as_number(&parse_value(&o.value));
            named.retain(|(r, _)| r != route);
            named.push((route.clone(), x.unwrap_or(f64::NAN)));
        }
    }
    let [(route, x)] = named.as_slice() else {
        return None;
    };
    if !(0.0..=1.0).contains(x) {
        return None;
    }
    let routes = doc.get("routes").and_then(Item::as_table_like)?;
    let others = routes
        .iter()
        .filter(|(name, item)| *name != route && route_number(item).is_some())
        .map(|(name, _)| name.to_owned())
        .collect();
    Some((route.clone(), *x, others))
}

/// A route's probability, when it is written as a number.
fn route_number(item: &Item) -> Option<f64> {
    as_number(item.as_table_like()?.get("probability")?.as_value()?)
}

/// A TOML number (float or integer) as f64.
fn as_number(v: &Value) -> Option<f64> {
    v.as_float().or_else(|| v.as_integer().map(|i| i as f64))
}

/// Scales the probabilities of `others` so that they sum to `1 - x`, keeping their proportions.
fn rescale_routes(doc: &mut DocumentMut, x: f64, others: &[String]) {
    let Some(routes) = doc.get_mut("routes").and_then(Item::as_table_like_mut) else {
        return;
    };
    let sum: f64 = others
        .iter()
        .filter_map(|r| routes.get(r).and_then(route_number))
        .sum();
    if sum <= 0.0 {
        return;
    }
    for r in others {
        if let Some(table) = routes.get_mut(r).and_then(Item::as_table_like_mut)
            && let Some(p) = table
                .get("probability")
                .and_then(Item::as_value)
                .and_then(as_number)
        {
            table.insert("probability", Item::Value(Value::from(p * (1.0 - x) / sum)));
        }
    }
}

/// How the overrides rescale the routes, for the output of `eta sweep` and `eta solve`: when
/// they give one route's probability, "the other routes (a, b) are rescaled in proportion".
pub fn route_rescaling_note(source: &Source, overrides: &[Override]) -> Option<String> {
    let doc = document(source).ok()?;
    let (route, _, others) = one_route_probability(&doc, overrides)?;
    if others.is_empty() {
        return None;
    }
    let quoted: Vec<String> = others.iter().map(|o| format!("`{o}`")).collect();
    Some(format!(
        "{route}.probability is set alone: the other routes ({}) are rescaled in proportion to their probabilities so that all still sum to 1",
        quoted.join(", ")
    ))
}

/// Sets the rest of a path inside one `[[steps]]` table.
fn set_in_table(
    table: &mut toml_edit::Table,
    walked: &[&str],
    rest: &[String],
    o: &Override,
) -> Result<(), OverrideError> {
    let mut item = table as &mut dyn toml_edit::TableLike;
    let mut path: Vec<&str> = walked.to_vec();
    let Some((last, middle)) = rest.split_last() else {
        return Err(o.error(format!(
            "`{}` names a whole step; name one of its keys",
            path.join(".")
        )));
    };
    for segment in middle {
        path.push(segment);
        let known: Vec<String> = item.iter().map(|(k, _)| k.to_owned()).collect();
        let here = path.join(".");
        item = item
            .get_mut(segment)
            .ok_or_else(|| missing(o, &here, segment, &known))?
            .as_table_like_mut()
            .ok_or_else(|| o.error(format!("`{here}` is a value, not a table")))?;
    }
    item.insert(last, Item::Value(parse_value(&o.value)));
    Ok(())
}

fn missing(o: &Override, here: &str, segment: &str, known: &[String]) -> OverrideError {
    let near = closest(segment, known.iter().map(String::as_str))
        .map_or(String::new(), |n| format!("; did you mean `{n}`?"));
    o.error(format!("`{here}` does not exist in the scenario{near}"))
}

/// Turns `dprk_speed.min` into `inputs.dprk_speed.min` by finding which table has the name.
fn resolve(doc: &DocumentMut, o: &Override) -> Result<Vec<String>, OverrideError> {
    let segments: Vec<String> = o.path.split('.').map(|s| s.trim().to_owned()).collect();
    let first = segments.first().map(String::as_str).unwrap_or("");
    if segments.iter().any(String::is_empty) {
        return Err(o.error(format!("`{}` has an empty part", o.path)));
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
            Err(o.error(format!(
                "no input, route, milestone or deadline is called `{first}`{near}"
            )))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An override as `--set` gives it.
    fn parse(text: &str) -> Result<Override, OverrideError> {
        Override::parse(text, format!("--set {text}"))
    }

    fn source(text: &str) -> Source {
        Source {
            path: "s.toml".into(),
            text: text.into(),
        }
    }

    const TEXT: &str = "[scenario]\nname = \"x\" # kept\nzone = \"UTC\"\n\n[inputs]\nspeed = { dist = \"uniform\", min = 40, max = 60, unit = \"km/h\" }\n\n[routes]\na = { probability = 0.5 }\nb = { probability = 0.5 }\n\n[[steps]]\nfrom = \"x\"\nto = \"y\"\nkind = \"travel\"\nduration = \"1 h\"\n";

    #[test]
    fn names_resolve_to_their_tables_and_formatting_survives() {
        let o = parse("speed.min=45").unwrap();
        let edited = apply(&source(TEXT), &[o]).unwrap();
        assert!(edited.text.contains("min = 45"), "{}", edited.text);
        assert!(edited.text.contains("name = \"x\" # kept"));
        let o = parse("a.probability=0.2").unwrap();
        assert!(
            apply(&source(TEXT), &[o])
                .unwrap()
                .text
                .contains("a = { probability = 0.2 }")
        );
    }

    #[test]
    fn whole_inputs_and_step_fields_can_be_replaced() {
        let o = parse(r#"speed={ dist = "fixed", value = "50 km/h" }"#).unwrap();
        let t = apply(&source(TEXT), &[o]).unwrap().text;
        assert!(
            t.contains(r#"speed = { dist = "fixed", value = "50 km/h" }"#),
            "{t}"
        );
        let o = parse("steps.1.duration=2h").unwrap();
        assert!(
            apply(&source(TEXT), &[o])
                .unwrap()
                .text
                .contains("duration = \"2h\"")
        );
    }

    #[test]
    fn a_plain_value_for_a_whole_input_fixes_it() {
        let t = apply(&source(TEXT), &[parse("speed=50 km/h").unwrap()])
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
        let e = apply(&source(TEXT), &[parse("sped.min=4").unwrap()])
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("--set sped.min=4") && e.contains("did you mean `speed`"),
            "{e}"
        );
        let e = apply(&source(TEXT), &[parse("steps.7.duration=1h").unwrap()])
            .unwrap_err()
            .to_string();
        assert!(e.contains("step number from 1 to 1"), "{e}");
        assert!(parse("nothing").is_err());
    }
}
