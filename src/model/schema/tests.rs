//! Tests of `eta schema`: no value lost, every new construct traced, untraceable fields left open.

use super::*;
use serde::Deserialize;

/// Every place that must hold a schema holds an object or `true`/`false`: a `null` there is
/// a value the trace lost, and makes the whole schema invalid.
fn nulls(value: &Value, at: &str, found: &mut Vec<String>) {
    match value {
        Value::Null => found.push(at.to_owned()),
        Value::Object(map) => {
            for (key, inner) in map {
                let at = format!("{at}/{key}");
                match key.as_str() {
                    "properties" | "$defs" => {
                        for (name, schema) in inner.as_object().into_iter().flatten() {
                            nulls(schema, &format!("{at}/{name}"), found);
                        }
                    }
                    "items" | "additionalProperties" => nulls(inner, &at, found),
                    "anyOf" | "oneOf" => {
                        for (i, schema) in inner.as_array().into_iter().flatten().enumerate() {
                            nulls(schema, &format!("{at}/{i}"), found);
                        }
                    }
                    _ => {}
                }
            }
        }
        _ => {}
    }
}

#[test]
fn no_schema_is_null() {
    let mut found = Vec::new();
    let lost = json!({ "properties": { "a": { "items": { "anyOf": [{}, null] } } } });
    nulls(&lost, "#", &mut found);
    assert_eq!(
        found,
        ["#/properties/a/items/anyOf/1"],
        "the walk finds a lost value"
    );
    let schema = schema();
    found.clear();
    nulls(&schema, "#", &mut found);
    assert!(found.is_empty(), "null where a schema belongs: {found:?}");
    let defs = schema["$defs"].as_object().unwrap();
    let text = schema.to_string();
    for target in text.split("\"#/$defs/").skip(1) {
        let name = &target[..target.find('"').unwrap()];
        assert!(
            defs.contains_key(name),
            "{name} is referred to, not defined"
        );
    }
    for key in ["inputs", "observed", "calendars", "forks"] {
        assert!(schema["properties"][key].is_object(), "{key}");
    }
}

/// Shapes no scenario key has yet: an untagged enum (which asks for anything and takes
/// every kind) is left open, an enum (not traced) too, and neither stops the trace of the
/// fields after it.
#[test]
fn untraceable_fields_are_open_and_the_rest_is_traced() {
    #[derive(Deserialize)]
    #[serde(untagged)]
    #[allow(dead_code)]
    enum TextOrTable {
        Text(String),
        Table { milestone: String, offset: String },
    }
    #[derive(Deserialize)]
    #[allow(dead_code)]
    enum Colour {
        Red,
    }
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Shapes {
        at: TextOrTable,
        colour: Option<Colour>,
        after: u32,
    }
    let defs = traced_defs::<Shapes>();
    assert_eq!(
        defs["Shapes"],
        json!({
            "type": "object",
            "properties": {
                "at": {},
                "colour": {},
                "after": { "type": "integer", "minimum": 0 },
            },
            "required": ["at", "after"],
            "additionalProperties": false,
        })
    );
}

/// A hand-written `Deserialize` that asks for anything is described by the kinds it takes.
#[test]
fn string_or_table_values_are_any_of_what_they_take() {
    let schema = schema();
    let defs = &schema["$defs"];
    let windows = &defs["RawCalendar"]["properties"]["hours"]["anyOf"];
    assert_eq!(
        windows,
        &json!([{ "type": "string" }, { "type": "array", "items": { "type": "string" } }])
    );
    let operand = &defs["RawStep"]["properties"]["duration"]["anyOf"];
    assert_eq!(
        operand,
        &json!([{ "type": "number" }, { "type": "string" }, { "$ref": "#/$defs/RawDist" }])
    );
    let probability = &defs["RawBranch"]["properties"]["probability"]["anyOf"];
    assert_eq!(probability[0], json!({ "type": "number" }));
    assert_eq!(
        probability[1]["required"],
        json!(["when", "then", "else"]),
        "{probability}"
    );
    // A dynamic TOML value is left to the compiler; a conditional's default refers back.
    assert_eq!(defs["RawRoute"]["properties"]["probability"], json!({}));
    assert_eq!(
        defs["RawDist"]["properties"]["default"],
        json!({ "$ref": "#/$defs/RawDist" })
    );
}
