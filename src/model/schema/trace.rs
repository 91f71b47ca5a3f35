//! The trace behind `eta schema`: a deserializer that drives a type's own `Deserialize`,
//! answers every request with a placeholder and records what was asked for, rerun until a pass
//! learns nothing new (see the parent module for why and how).

use serde::Deserialize;
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value, json};
use std::cell::{Cell, RefCell};
use std::collections::HashMap;

/// Passes of the trace at most; each pass that learns something leads to another, and the
/// current format needs a few dozen.
const MAX_PASSES: usize = 1000;

/// Nesting deeper than this is a type that contains itself through "anything" values; it is
/// left unconstrained there.
const MAX_DEPTH: usize = 64;

/// The schema of `T` and every struct in it, by struct name: the trace rerun until a pass
/// learns nothing new.
pub(super) fn traced_defs<T: for<'de> Deserialize<'de>>() -> Map<String, Value> {
    let trace = Trace::default();
    for _ in 0..MAX_PASSES {
        let before = trace.news.get();
        let slot = RefCell::new(Value::Null);
        let _ = T::deserialize(Tracer {
            trace: &trace,
            slot: &slot,
            optional: None,
        });
        trace.open.borrow_mut().clear();
        trace.path.borrow_mut().clear();
        if trace.news.get() == before {
            break;
        }
    }
    trace.defs.into_inner()
}

/// What the trace has found, kept across passes: each struct's schema by name, the structs being
/// traced (a struct met again inside itself, as a mixture's components are, becomes a
/// reference), and, by the path of the value in the file, the fields that cannot be built, the
/// kinds each "anything" value has been offered, and the keys learned for a table.
#[derive(Default)]
struct Trace {
    defs: RefCell<Map<String, Value>>,
    open: RefCell<Vec<&'static str>>,
    /// Struct names by their field lists, to name a struct reached through "anything".
    names: RefCell<Vec<(&'static str, &'static [&'static str])>>,
    path: RefCell<Vec<&'static str>>,
    /// Counts what the trace has learned; a pass that leaves it unchanged is the last.
    news: Cell<usize>,
    failed: RefCell<HashMap<String, FieldTrace>>,
    probes: RefCell<HashMap<String, Probe>>,
    keys: RefCell<HashMap<String, &'static [&'static str]>>,
}

impl Trace {
    fn here(&self) -> String {
        self.path.borrow().join("/")
    }

    fn learned(&self) {
        self.news.set(self.news.get() + 1);
    }

    /// Runs `f` with `segment` appended to the path.
    fn within<T>(&self, segment: &'static str, f: impl FnOnce() -> T) -> T {
        self.path.borrow_mut().push(segment);
        let out = f();
        self.path.borrow_mut().pop();
        out
    }
}

/// The kinds of value offered to a visitor that asks for anything, in order.
#[derive(Clone, Copy, PartialEq, Debug)]
enum Kind {
    Bool,
    Int,
    Unsigned,
    Float,
    Str,
    Seq,
    Map,
}

const KINDS: [Kind; 7] = [
    Kind::Bool,
    Kind::Int,
    Kind::Unsigned,
    Kind::Float,
    Kind::Str,
    Kind::Seq,
    Kind::Map,
];

/// The kinds offered at one place so far (`next` is the next to offer) and those taken, each
/// with its schema.
#[derive(Default)]
struct Probe {
    next: usize,
    accepted: Vec<(Kind, Value)>,
}

impl Probe {
    /// Every scalar kind taken: a dynamic value (such as a TOML value, checked later), which no
    /// schema here narrows.
    fn takes_anything(&self) -> bool {
        [Kind::Bool, Kind::Int, Kind::Float, Kind::Str]
            .iter()
            .all(|k| self.accepted.iter().any(|(a, _)| a == k))
    }

    /// The kinds taken, as one schema: `{}` for a dynamic value or for none (never traced).
    fn schema(&self) -> Value {
        if self.takes_anything() || self.accepted.is_empty() {
            return json!({});
        }
        let took = |k: Kind| self.accepted.iter().any(|(a, _)| *a == k);
        let options: Vec<Value> = self
            .accepted
            .iter()
            .filter(|(kind, _)| match kind {
                Kind::Int | Kind::Unsigned if took(Kind::Float) => false,
                Kind::Unsigned => !took(Kind::Int),
                _ => true,
            })
            .map(|(_, schema)| schema.clone())
            .collect();
        match <[Value; 1]>::try_from(options) {
            Ok([one]) => one,
            Err(options) => json!({ "anyOf": options }),
        }
    }
}

/// The name serde_spanned gives `Spanned`: its value is traced as if it stood alone.
const SPANNED: &str = "$__serde_spanned_private_Spanned";
const SPANNED_VALUE: &str = "$__serde_spanned_private_value";

#[derive(Debug)]
enum Stop {
    Message(String),
    /// A struct's keys, from its unknown-key error.
    Keys(&'static [&'static str]),
}

impl std::fmt::Display for Stop {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Stop::Message(m) => f.write_str(m),
            Stop::Keys(keys) => write!(f, "keys {keys:?}"),
        }
    }
}

impl std::error::Error for Stop {}

impl de::Error for Stop {
    fn custom<T: std::fmt::Display>(msg: T) -> Self {
        Stop::Message(msg.to_string())
    }

    fn unknown_field(_field: &str, expected: &'static [&'static str]) -> Self {
        Stop::Keys(expected)
    }
}

/// Records the schema of what is deserialized from it into `slot`, and, for a struct's field,
/// whether the field is an `Option` into `optional`.
#[derive(Clone, Copy)]
struct Tracer<'t> {
    trace: &'t Trace,
    slot: &'t RefCell<Value>,
    optional: Option<&'t Cell<bool>>,
}

impl<'de> Tracer<'_> {
    fn set(&self, schema: Value) {
        *self.slot.borrow_mut() = schema;
    }

    /// Offers `visitor` one kind of value.
    fn offer<V: Visitor<'de>>(self, kind: Kind, visitor: V) -> Result<V::Value, Stop> {
        match kind {
            Kind::Bool => self.deserialize_bool(visitor),
            Kind::Int => self.deserialize_i64(visitor),
            Kind::Unsigned => self.deserialize_u64(visitor),
            Kind::Float => self.deserialize_f64(visitor),
            Kind::Str => self.deserialize_str(visitor),
            Kind::Seq => self.deserialize_seq(visitor),
            Kind::Map => self.deserialize_map(visitor),
        }
    }

    /// A struct's fields, each traced; named structs go to `$defs` and are referred to, a struct
    /// without a name (reached through "anything") is written in place.
    fn fields<V: Visitor<'de>>(
        self,
        name: Option<&'static str>,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Stop> {
        if let Some(name) = name {
            if self.trace.open.borrow().contains(&name) {
                self.set(json!({ "$ref": format!("#/$defs/{name}") }));
                return Err(Stop::Message(format!("{name} inside itself")));
            }
            self.trace.open.borrow_mut().push(name);
        }
        let (value, seen) = visit_fields(self.trace, fields, false, visitor);
        let mut properties = Map::new();
        let mut required = Vec::new();
        for f in seen {
            let collection =
                matches!(f.schema.get("type"), Some(t) if t == "array" || t == "object");
            if !f.optional && !collection {
                required.push(json!(f.name));
            }
            properties.insert(f.name.to_owned(), f.schema);
        }
        let object = json!({
            "type": "object",
            "properties": properties,
            "required": required,
            "additionalProperties": false,
        });
        match name {
            Some(name) => {
                self.trace.open.borrow_mut().pop();
                self.trace.defs.borrow_mut().insert(name.to_owned(), object);
                self.set(json!({ "$ref": format!("#/$defs/{name}") }));
            }
            None => self.set(object),
        }
        value
    }
}

/// Drives `visitor` through `fields`, each traced: the value and each field's trace.
fn visit_fields<'de, V: Visitor<'de>>(
    trace: &Trace,
    fields: &'static [&'static str],
    spanned: bool,
    visitor: V,
) -> (Result<V::Value, Stop>, Vec<FieldTrace>) {
    let seen = RefCell::new(Vec::new());
    let value = visitor.visit_map(Fields {
        trace,
        fields,
        next: 0,
        seen: &seen,
        spanned,
    });
    (value, seen.into_inner())
}

/// A value traced on its own, at `segment` below the current path: the value and its schema.
fn child<'de, T: DeserializeSeed<'de>>(
    trace: &Trace,
    segment: &'static str,
    seed: T,
) -> (Result<T::Value, Stop>, Value) {
    let slot = RefCell::new(Value::Null);
    let value = trace.within(segment, || {
        seed.deserialize(Tracer {
            trace,
            slot: &slot,
            optional: None,
        })
    });
    (value, unconstrained_if_null(slot.into_inner()))
}

/// A value whose trace stopped before recording anything is left unconstrained.
fn unconstrained_if_null(schema: Value) -> Value {
    if schema.is_null() { json!({}) } else { schema }
}

macro_rules! traced {
    ($($method:ident => $schema:expr, $visit:ident($($value:expr)?);)*) => {
        $(fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Stop> {
            self.set($schema);
            visitor.$visit($($value)?)
        })*
    };
}

impl<'de> Deserializer<'de> for Tracer<'_> {
    type Error = Stop;

    traced! {
        deserialize_bool => json!({ "type": "boolean" }), visit_bool(false);
        deserialize_i8 => json!({ "type": "integer" }), visit_i64(0);
        deserialize_i16 => json!({ "type": "integer" }), visit_i64(0);
        deserialize_i32 => json!({ "type": "integer" }), visit_i64(0);
        deserialize_i64 => json!({ "type": "integer" }), visit_i64(0);
        deserialize_u8 => json!({ "type": "integer", "minimum": 0 }), visit_u64(0);
        deserialize_u16 => json!({ "type": "integer", "minimum": 0 }), visit_u64(0);
        deserialize_u32 => json!({ "type": "integer", "minimum": 0 }), visit_u64(0);
        deserialize_u64 => json!({ "type": "integer", "minimum": 0 }), visit_u64(0);
        deserialize_f32 => json!({ "type": "number" }), visit_f64(0.0);
        deserialize_f64 => json!({ "type": "number" }), visit_f64(0.0);
        deserialize_char => json!({ "type": "string" }), visit_str("");
        deserialize_str => json!({ "type": "string" }), visit_borrowed_str("");
        deserialize_string => json!({ "type": "string" }), visit_str("");
        deserialize_bytes => json!({ "type": "string" }), visit_str("");
        deserialize_byte_buf => json!({ "type": "string" }), visit_str("");
        deserialize_identifier => json!({ "type": "string" }), visit_str("");
        deserialize_unit => json!({ "type": "null" }), visit_unit();
        deserialize_ignored_any => json!({}), visit_unit();
    }

    /// Offers the next kind not yet offered here (a pass that offers one has learned something),
    /// or, once all have been, the first kind taken again so that the trace goes on; the schema
    /// is every kind taken.
    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Stop> {
        let here = self.trace.here();
        if self.trace.path.borrow().len() > MAX_DEPTH {
            self.set(json!({}));
            return Err(Stop::Message("too deep".into()));
        }
        let (kind, offering) = {
            let mut probes = self.trace.probes.borrow_mut();
            let probe = probes.entry(here.clone()).or_default();
            match KINDS.get(probe.next) {
                Some(&kind) => (Some(kind), true),
                // A string first: an untagged enum buffers whatever it is given, and
                // most of them have a string variant.
                None => {
                    let string = probe.accepted.iter().find(|(k, _)| *k == Kind::Str);
                    (string.or(probe.accepted.first()).map(|(k, _)| *k), false)
                }
            }
        };
        let Some(kind) = kind else {
            self.set(json!({}));
            return Err(Stop::Message("takes no kind of value".into()));
        };
        let before = self.trace.news.get();
        let value = self.offer(kind, visitor);
        let schema = self.slot.borrow().clone();
        let mut probes = self.trace.probes.borrow_mut();
        let probe = probes.entry(here).or_default();
        if offering && self.trace.news.get() == before {
            // The answer did not depend on anything still being learned: it is final.
            if value.is_ok() {
                probe.accepted.push((kind, schema));
            }
            probe.next += 1;
            if kind == Kind::Str && probe.takes_anything() {
                probe.next = KINDS.len();
            }
            self.trace.learned();
        } else if let Some(taken) = probe.accepted.iter_mut().find(|(k, _)| *k == kind) {
            taken.1 = schema;
        }
        self.set(probe.schema());
        value
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Stop> {
        if let Some(optional) = self.optional {
            optional.set(true);
        }
        visitor.visit_some(Tracer {
            optional: None,
            ..self
        })
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Stop> {
        self.deserialize_unit(visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Stop> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Stop> {
        let items = RefCell::new(json!({}));
        let value = visitor.visit_seq(OneItem {
            trace: self.trace,
            items: &items,
            done: false,
        });
        self.set(json!({ "type": "array", "items": items.into_inner() }));
        value
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value, Stop> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Stop> {
        self.deserialize_seq(visitor)
    }

    /// A map of one entry; or, where an earlier pass learned that the visitor reads a struct
    /// (its keys), that struct's fields.
    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Stop> {
        let here = self.trace.here();
        let keys = self.trace.keys.borrow().get(&here).copied();
        if let Some(keys) = keys {
            let name = (self.trace.names.borrow().iter())
                .find(|(_, fields)| *fields == keys)
                .map(|(name, _)| *name);
            return self.fields(name, keys, visitor);
        }
        let values = RefCell::new(json!({}));
        let value = visitor.visit_map(OneEntry {
            trace: self.trace,
            values: &values,
            here,
            state: 0,
        });
        self.set(json!({ "type": "object", "additionalProperties": values.into_inner() }));
        value
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Stop> {
        if name != SPANNED {
            let mut names = self.trace.names.borrow_mut();
            if !names.iter().any(|(n, _)| *n == name) {
                names.push((name, fields));
            }
            drop(names);
            return self.fields(Some(name), fields, visitor);
        }
        let (value, seen) = visit_fields(self.trace, fields, true, visitor);
        let inner = (seen.into_iter())
            .find(|f| f.name == SPANNED_VALUE)
            .map_or(json!({}), |f| f.schema);
        self.set(inner);
        value
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        _visitor: V,
    ) -> Result<V::Value, Stop> {
        self.set(json!({}));
        Err(Stop::Message("enums are not traced".into()))
    }
}

/// A list of one traced item, or none if the item could not be built: a struct met inside
/// itself (a mixture's components) ends the trace there, with a reference in its place.
struct OneItem<'t> {
    trace: &'t Trace,
    items: &'t RefCell<Value>,
    done: bool,
}

impl<'de> SeqAccess<'de> for OneItem<'_> {
    type Error = Stop;
    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Stop> {
        if self.done {
            return Ok(None);
        }
        self.done = true;
        let (value, schema) = child(self.trace, "[]", seed);
        *self.items.borrow_mut() = schema;
        Ok(value.ok())
    }
}

/// A map of one traced entry. Its key is traced too: a struct's visitor refuses it, naming its
/// keys, which are kept for the next pass (at `here`, the map's path).
struct OneEntry<'t> {
    trace: &'t Trace,
    values: &'t RefCell<Value>,
    here: String,
    state: u8,
}

impl<'de> MapAccess<'de> for OneEntry<'_> {
    type Error = Stop;
    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Stop> {
        if self.state > 0 {
            return Ok(None);
        }
        self.state = 1;
        match child(self.trace, "key", seed).0 {
            Err(Stop::Keys(keys)) => {
                self.trace.keys.borrow_mut().insert(self.here.clone(), keys);
                self.trace.learned();
                Err(Stop::Keys(keys))
            }
            other => other.map(Some),
        }
    }
    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Stop> {
        let (value, schema) = child(self.trace, "{}", seed);
        *self.values.borrow_mut() = schema;
        value
    }
}

/// One field of a traced struct: its name, schema, and whether it is an `Option`.
#[derive(Clone)]
struct FieldTrace {
    name: &'static str,
    schema: Value,
    optional: bool,
}

/// Every field of a struct, each with a traced value; a field an earlier pass could not build
/// is not offered again (its recorded trace stands in for it).
struct Fields<'t> {
    trace: &'t Trace,
    fields: &'static [&'static str],
    next: usize,
    seen: &'t RefCell<Vec<FieldTrace>>,
    /// A `Spanned` wrapper: its value is its whole, so its failure is its owner's.
    spanned: bool,
}

impl Fields<'_> {
    fn path_of(&self, name: &str) -> String {
        format!("{}/{name}", self.trace.here())
    }
}

impl<'de> MapAccess<'de> for Fields<'_> {
    type Error = Stop;
    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Stop> {
        while let Some(&name) = self.fields.get(self.next) {
            let failed = (!self.spanned)
                .then(|| self.trace.failed.borrow().get(&self.path_of(name)).cloned())
                .flatten();
            let Some(failed) = failed else {
                return seed
                    .deserialize(de::value::BorrowedStrDeserializer::new(name))
                    .map(Some);
            };
            self.seen.borrow_mut().push(failed);
            self.next += 1;
        }
        Ok(None)
    }
    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Stop> {
        let name = self.fields[self.next];
        self.next += 1;
        let optional = Cell::new(false);
        let slot = RefCell::new(Value::Null);
        let before = self.trace.news.get();
        let value = self.trace.within(name, || {
            seed.deserialize(Tracer {
                trace: self.trace,
                slot: &slot,
                optional: Some(&optional),
            })
        });
        let field = FieldTrace {
            name,
            schema: unconstrained_if_null(slot.into_inner()),
            optional: optional.get(),
        };
        if value.is_err() && !self.spanned && self.trace.news.get() == before {
            // Not for want of something a later pass will know: this field cannot be built.
            (self.trace.failed.borrow_mut()).insert(self.path_of(name), field.clone());
            self.trace.learned();
        }
        self.seen.borrow_mut().push(field);
        value
    }
}
