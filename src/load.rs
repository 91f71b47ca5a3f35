//! Loading a scenario: file → compiled model, with overrides and a variant applied, and every
//! error located in the text it is about. Every command that runs or checks a scenario loads it
//! here, so a scenario means the same thing to all of them.

use crate::diag::closest;
use crate::model::{self, Model};
use crate::scenario::overrides::{self, Override, OverrideError};
use crate::scenario::{Located, ReadError, Source};
use std::path::Path;

/// One scenario variant ready to run: the edited text (for messages) and its model.
pub struct Variant {
    pub name: String,
    pub description: Option<String>,
    pub source: Source,
    pub model: Model,
}

/// Why a scenario could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The file could not be read (or is not text eta reads).
    #[error(transparent)]
    Read(#[from] ReadError),
    /// An override is wrong in itself (bad syntax, a path that names nothing).
    #[error(transparent)]
    Override(#[from] OverrideError),
    /// A variant was asked for that the scenario does not declare.
    #[error(
        "the scenario has no variant `{name}`{}",
        unknown_variant(name, declared)
    )]
    UnknownVariant { name: String, declared: Vec<String> },
    /// The scenario (as written, or as overridden) is invalid.
    #[error(transparent)]
    Invalid(Box<Located>),
}

/// "; did you mean `x`? (it declares a, b)": the tail of an unknown-variant message.
pub fn unknown_variant(name: &str, declared: &[String]) -> String {
    let near = closest(name, declared.iter().map(String::as_str))
        .map_or(String::new(), |n| format!("; did you mean `{n}`?"));
    let list = if declared.is_empty() {
        "it declares none".to_owned()
    } else {
        format!("it declares {}", declared.join(", "))
    };
    format!("{near} ({list})")
}

/// Reads a scenario file's text.
pub fn read(path: &Path) -> Result<Source, LoadError> {
    Ok(Source::read(path)?)
}

/// Parses and compiles a scenario as written, and checks that each variant it declares makes a
/// valid scenario too: a variant that would fail is an error whenever the file is used, not only
/// when it is run.
pub fn checked(source: Source) -> Result<(Source, Model), LoadError> {
    let raw = match source.parse() {
        Ok(raw) => raw,
        Err(diag) => return Err(LoadError::Invalid(Located::new(diag, source))),
    };
    let checked = model::compile(&raw).and_then(|model| {
        overrides::check_variants(&source, &raw).map(|declared| (model, declared))
    });
    match checked {
        Ok((model, declared)) => {
            for (name, description, set) in declared {
                variant(&source, &name, description, &set)?;
            }
            Ok((source, model))
        }
        Err(diag) => Err(LoadError::Invalid(Located::new(diag, source))),
    }
}

/// Reads, parses and compiles a scenario file, then applies the named variant's overrides and
/// then `set`. The scenario as written must be valid (variants included) before anything
/// overrides it.
pub fn load(
    path: &Path,
    variant_name: Option<&str>,
    set: &[Override],
) -> Result<(Source, Model), LoadError> {
    let (source, base) = checked(read(path)?)?;
    let mut all = Vec::new();
    if let Some(name) = variant_name {
        let declared = overrides::variants(&source)?;
        let Some((_, _, overrides)) = declared.iter().find(|(n, _, _)| n == name) else {
            return Err(LoadError::UnknownVariant {
                name: name.to_owned(),
                declared: declared.into_iter().map(|(n, _, _)| n).collect(),
            });
        };
        all.extend(overrides.iter().cloned());
    }
    all.extend(set.iter().cloned());
    if all.is_empty() {
        return Ok((source, base));
    }
    let v = variant(&source, "", None, &all)?;
    Ok((v.source, v.model))
}

/// Builds a variant of `source` with `overrides` applied (in order), parsed and compiled.
pub fn variant(
    source: &Source,
    name: &str,
    description: Option<String>,
    overrides: &[Override],
) -> Result<Variant, LoadError> {
    let edited = overrides::apply(source, overrides)?;
    let raw = edited
        .parse()
        .map_err(|d| LoadError::Invalid(Located::new(d, edited.clone())))?;
    let model =
        model::compile(&raw).map_err(|d| LoadError::Invalid(Located::new(d, edited.clone())))?;
    Ok(Variant {
        name: name.to_owned(),
        description,
        source: edited,
        model,
    })
}

/// Adds the observations in `sources` (each an `[observed]` table: an `--observed` file, or
/// the text eta makes of an `--at` flag) to what `model` is conditioned on, in order; a later
/// observation of the same milestone, route, branch, event or input replaces an earlier one.
pub fn observe(model: &mut Model, sources: &[Source]) -> Result<(), LoadError> {
    for source in sources {
        let located = |d| LoadError::Invalid(Located::new(d, source.clone()));
        let raw = source.parse_observations().map_err(located)?;
        if let Some(c) = &raw.observed.get_ref().condition {
            // Only a scenario's own table may hold outcomes for scoring alone.
            return Err(located(
                crate::diag::Diagnostic::at(
                    "`condition` belongs in a scenario's [observed]: observations given to a run \
                     are always conditioned on",
                    c.span(),
                    "not in an observations file",
                )
                .with_help("remove it, or leave the file out of the command to ignore it"),
            ));
        }
        let observed = model::observations(raw.observed.get_ref(), model).map_err(located)?;
        model.given.extend(observed);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kim() -> std::path::PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/kim-eef-2023.toml")
    }

    #[test]
    fn a_variant_and_overrides_apply_in_order() {
        let set = [Override::parse("dprk_speed.mode=60", "test").unwrap()];
        let (source, model) = load(&kim(), Some("leaves_on_11th"), &set).unwrap();
        assert!(
            source
                .path
                .ends_with("(with variant leaves_on_11th (departure_day), test)")
        );
        let (_, plain) = load(&kim(), None, &[]).unwrap();
        assert_eq!(model.milestones.len(), plain.milestones.len());
    }

    #[test]
    fn errors_are_typed_and_located() {
        match load(&kim(), Some("leaves_on_12th"), &[]) {
            Err(LoadError::UnknownVariant { name, declared }) => {
                assert_eq!(name, "leaves_on_12th");
                assert!(declared.iter().any(|d| d == "leaves_on_11th"));
                let tail = unknown_variant(&name, &declared);
                assert!(tail.starts_with("; did you mean `leaves_on_1"), "{tail}");
            }
            other => panic!("{:?}", other.err()),
        }
        let set = [Override::parse("dprk_speed.mode=1000", "test").unwrap()];
        match load(&kim(), None, &set) {
            Err(LoadError::Invalid(located)) => {
                assert!(located.source.path.contains("(with test)"));
                assert!(located.render(false).contains("mode must be between"));
            }
            other => panic!("{:?}", other.err()),
        }
        let set = [Override::parse("nothing.here=1", "test").unwrap()];
        assert!(matches!(
            load(&kim(), None, &set),
            Err(LoadError::Override(OverrideError::Path { .. }))
        ));
        assert!(matches!(
            read(Path::new("/nonexistent.toml")),
            Err(LoadError::Read(ReadError::Io { .. }))
        ));
    }
}
