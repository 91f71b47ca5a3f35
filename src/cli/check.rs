//! `eta check FILE`: validates a scenario (its variants included) and prints an outline of its
//! model and the variants it declares, without running it.

use super::failure::Failure;
use super::stdout;
use eta::load;
use eta::report::outline;
use eta::scenario::overrides;
use std::path::Path;

pub fn check(file: &Path) -> Result<(), Failure> {
    // Loading checked the variants already; this only lists them.
    let (source, model) = load::checked(load::read(file)?)?;
    let mut text = outline::render(&model, &source.path);
    let variants = overrides::variants(&source)?;
    if !variants.is_empty() {
        text.push_str("\nVariants\n");
    }
    for (name, description, _) in &variants {
        text.push_str(&format!(
            "  {name}: {}\n",
            description.as_deref().unwrap_or("")
        ));
    }
    stdout::print(&text)
}
