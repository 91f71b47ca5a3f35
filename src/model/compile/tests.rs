//! The compiler's own checks of messages and limits.

use super::*;

fn compile_text(text: &str) -> Result<Model> {
    let source = crate::scenario::Source {
        path: "t.toml".into(),
        text: text.into(),
    };
    compile(&source.parse()?)
}

const TWO_STEPS: &str = r#"
[scenario]
name = "t"
zone = "UTC"
[milestones.a]
start = { date = "2023-09-10", time = "06:00" }
[milestones.b]
wait_for = "first"
[[steps]]
from = "a"
to = "b"
kind = "dwell"
duration = { dist = "uniform", min = 0, max = 2, unit = "h" }
[[steps]]
from = "a"
to = "b"
kind = "dwell"
duration = { dist = "uniform", min = 0, max = 2, unit = "h" }
"#;

#[test]
fn parallel_inline_distributions_draw_independently() {
    let model = compile_text(TWO_STEPS).unwrap();
    assert_eq!(model.inputs.len(), 2);
    assert_ne!(model.inputs[0].stream, model.inputs[1].stream);
    assert_eq!(model.inputs[0].name, "a_to_b.duration");
    assert_eq!(model.inputs[1].name, "a_to_b#2.duration");
    // Many parallel steps: each name is found at once (checking 10,000 of them took 9 s when
    // every name before it was tried), and they go on in order.
    let step = "[[steps]]\nfrom = \"a\"\nto = \"b\"\nkind = \"dwell\"\nduration = { dist = \"uniform\", min = 0, max = 2, unit = \"h\" }\n";
    let many = format!("{TWO_STEPS}{}", step.repeat(3));
    let model = compile_text(&many).unwrap();
    let names: Vec<&str> = model.inputs.iter().map(|i| i.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "a_to_b.duration",
            "a_to_b#2.duration",
            "a_to_b#3.duration",
            "a_to_b#4.duration",
            "a_to_b#5.duration"
        ]
    );
}

#[test]
fn exponential_rate_is_per_unit() {
    // 2 per hour: a mean of 30 minutes, not of half a second.
    let text = TWO_STEPS.replace(
        r#"{ dist = "uniform", min = 0, max = 2, unit = "h" }"#,
        r#"{ dist = "exponential", rate = 2, unit = "h" }"#,
    );
    let model = compile_text(&text).unwrap();
    assert!((model.inputs[0].dist.mean() - 1800.0).abs() < 1e-9);
}

#[test]
fn size_limits_are_located_errors() {
    let mut text = String::from("[scenario]\nname = \"t\"\nzone = \"UTC\"\n[routes]\n");
    for r in 0..=MAX_ROUTES {
        text.push_str(&format!("r{r} = {{ probability = 0.001 }}\n"));
    }
    let e = compile_text(&text).unwrap_err();
    assert!(e.message.contains("at most 100 routes"), "{e:?}");
    assert_eq!(e.line_col(&text).map(|l| l.0), Some(5 + MAX_ROUTES));
}

#[test]
fn parameter_messages_use_the_input_units() {
    assert_eq!(
        in_units(
            "mode must be between min (2400) and max (7200), found 10800",
            "mode",
            Kind::Duration
        ),
        "mode must be between min (40m) and max (2h 00m), found 3h 00m"
    );
    assert_eq!(
        in_units(
            "shape must be greater than 0, found -1",
            "shape",
            Kind::Duration
        ),
        "shape must be greater than 0, found -1"
    );
}

#[test]
fn fit_messages_use_the_input_units() {
    assert_eq!(
        quantities_after(
            "the best fit puts P10 at 2269.8581 instead of 2400; try another family",
            Kind::Duration,
            &[" at ", " instead of "]
        ),
        "the best fit puts P10 at 38m instead of 40m; try another family"
    );
}
