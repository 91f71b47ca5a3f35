//! The shareable report (issue 17), through the binary: report.html parses as HTML5 without
//! errors, refers to nothing outside itself, and its numbers are summary.json's (compare.json's,
//! sweep.json's); report.md and `--report none`; the output folder's rules hold for it.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: failing loudly is the point

use assert_cmd::Command;
use eta::format::percent_with_ci;
use eta::time::{Zone, local_short};
use scraper::{Html, Selector};
use serde_json::Value;
use std::fs;
use std::path::{Path, PathBuf};

const FLAGSHIP: &str = "scenarios/kim-eef-2023.toml";

fn eta() -> Command {
    Command::cargo_bin("eta").expect("binary")
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs the flagship (20,000 trials) into a fresh folder with `extra` flags.
fn flagship(extra: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    eta()
        .current_dir(root())
        .args(["run", FLAGSHIP, "--trials", "20000", "--quiet", "--out"])
        .arg(dir.path())
        .args(extra)
        .assert()
        .success();
    dir
}

fn json(path: &Path) -> Value {
    serde_json::from_str(&fs::read_to_string(path).unwrap()).unwrap()
}

fn select<'a>(html: &'a Html, css: &str) -> Vec<scraper::ElementRef<'a>> {
    html.select(&Selector::parse(css).unwrap()).collect()
}

fn text(e: &scraper::ElementRef) -> String {
    e.text().collect::<String>()
}

/// Parses `text` as an HTML5 document and checks it has no parse errors and refers to nothing
/// outside itself: no URL anywhere, no `src`, no `href` but in-page anchors, no CSS `url()` or
/// `@import`.
fn parse_self_contained(text: &str) -> Html {
    let html = Html::parse_document(text);
    assert!(
        html.errors.is_empty(),
        "HTML5 parse errors: {:?}",
        html.errors
    );
    let lower = text.to_lowercase();
    for remote in ["http:", "https:", "ftp:", "url(", "@import", "//"] {
        assert!(!lower.contains(remote), "the report contains `{remote}`");
    }
    for element in select(&html, "*") {
        for (name, value) in element.value().attrs() {
            let name = name.to_lowercase();
            assert!(
                !["src", "srcset", "action", "xlink:href"].contains(&name.as_str()),
                "<{} {name}={value}>",
                element.value().name()
            );
            if name == "href" {
                assert!(value.starts_with('#'), "href={value}");
            }
        }
    }
    assert!(select(&html, "link, iframe, object, embed, img").is_empty());
    html
}

#[test]
fn the_run_report_is_one_self_contained_page_with_summary_jsons_numbers() {
    let dir = flagship(&[]);
    let summary = json(&dir.path().join("summary.json"));
    let page = fs::read_to_string(dir.path().join("report.html")).unwrap();
    let html = parse_self_contained(&page);

    // The question: the scenario's name and description.
    let h1 = select(&html, "h1");
    assert_eq!(text(&h1[0]), summary["scenario"].as_str().unwrap());
    assert!(text(&select(&html, ".question")[0]).contains("Armored train Pyongyang"));

    // The headline: each deadline's probability (exactly summary.json's) and interval.
    let answers = select(&html, ".answer");
    let deadlines = summary["deadlines"].as_array().unwrap();
    assert_eq!(answers.len(), deadlines.len());
    for (answer, d) in answers.iter().zip(deadlines) {
        let p = d["probability"].as_f64().unwrap();
        let ci = [
            d["ci95"][0].as_f64().unwrap(),
            d["ci95"][1].as_f64().unwrap(),
        ];
        let big = answer
            .select(&Selector::parse(".big").unwrap())
            .next()
            .unwrap();
        let stated: f64 = big
            .value()
            .attr("data-probability")
            .unwrap()
            .parse()
            .unwrap();
        assert_eq!(stated, p);
        let shown = format!(
            "{} {}",
            text(&big),
            text(
                &answer
                    .select(&Selector::parse(".interval").unwrap())
                    .next()
                    .unwrap()
            )
            .trim_start_matches("95% interval ")
        );
        assert_eq!(shown, percent_with_ci(p, ci));
        assert!(text(answer).contains(d["name"].as_str().unwrap()));
    }

    // The milestone table: P10/P50/P90 are summary.json's instants in the display zone, and
    // each time holds the same instant in its milestone's own zone for the switch.
    let display = Zone::get(summary["display_zone"].as_str().unwrap()).unwrap();
    let rows = select(&html, "#milestones tbody tr");
    let milestones = summary["milestones"].as_array().unwrap();
    assert_eq!(rows.len(), milestones.len());
    let span = Selector::parse("span[data-own]").unwrap();
    let mut switched = 0;
    for (row, m) in rows.iter().zip(milestones) {
        let own = Zone::get(m["zone"].as_str().unwrap()).unwrap();
        let times: Vec<_> = row.select(&span).skip(1).collect();
        assert_eq!(times.len(), 3, "{}", text(row));
        for (cell, key) in times.iter().zip(["p10", "p50", "p90"]) {
            let at: jiff::Timestamp = m["quantiles"][key].as_str().unwrap().parse().unwrap();
            let t = at.as_second() as f64;
            assert_eq!(text(cell), local_short(t, &display));
            assert_eq!(cell.value().attr("data-own").unwrap(), local_short(t, &own));
            switched += usize::from(own.name != display.name);
        }
        let reached = percent_with_ci(
            m["reached"].as_f64().unwrap(),
            [
                m["reached_ci95"][0].as_f64().unwrap(),
                m["reached_ci95"][1].as_f64().unwrap(),
            ],
        );
        // The value, then its interval on the line below.
        let reached = reached.replacen(' ', "", 1);
        assert!(text(row).contains(&reached), "{reached} in {}", text(row));
    }
    // Pyongyang's milestones (UTC+9) read an hour earlier in their own zone.
    assert!(switched >= 15, "{switched}");
    assert_eq!(select(&html, "button[data-zone]").len(), 2);

    // Routes and correlations, as summary.json states them.
    let routes = text(&select(&html, "#routes")[0]);
    for r in summary["routes"].as_array().unwrap() {
        let share = percent_with_ci(
            r["share"].as_f64().unwrap(),
            [
                r["ci95"][0].as_f64().unwrap(),
                r["ci95"][1].as_f64().unwrap(),
            ],
        );
        assert!(routes.contains(&share), "{share} in {routes}");
    }
    let correlations = text(&select(&html, "#correlations")[0]);
    for c in summary["correlations"].as_array().unwrap() {
        let achieved = format!("{:+.3}", c["achieved"].as_f64().unwrap());
        assert!(correlations.contains(&achieved), "{achieved}");
    }

    // The drivers, in summary.json's order and values.
    let driver_rows = select(&html, "#drivers tbody tr");
    let drivers = summary["drivers"]["ranked"].as_array().unwrap();
    assert!(!drivers.is_empty());
    assert_eq!(driver_rows.len(), drivers.len());
    for (row, d) in driver_rows.iter().zip(drivers) {
        let cells: Vec<String> = row.child_elements().map(|c| text(&c)).collect();
        assert_eq!(
            cells[0],
            format!(
                "{} ({})",
                d["label"].as_str().unwrap(),
                d["kind"].as_str().unwrap()
            )
        );
        match d["variance_share"].as_f64() {
            Some(v) => assert!(cells[1].starts_with(&format!("{v:.3} [")), "{}", cells[1]),
            None => assert_eq!(cells[1], "n/a"),
        }
        match d["rank_correlation"].as_f64() {
            Some(r) => assert_eq!(cells[2], format!("{r:+.3}")),
            None => assert_eq!(cells[2], "n/a"),
        }
        let difference = d["on_time"]["difference"].as_f64().unwrap();
        assert!(
            cells[4].starts_with(&format!("{:+.1} points", difference * 100.0)),
            "{}",
            cells[4]
        );
    }

    // The assumptions: every named input with the comment written above it in the file.
    let assumptions = text(&select(&html, "#assumptions")[0]);
    assert!(assumptions.contains("dprk_speed"));
    assert!(assumptions.contains("Seoul's 2023 estimate ~50 km/h"));
    assert!(assumptions.contains("pert 35 km/h"), "{assumptions}");

    // The run's facts: trials, seed, sampling, version and the file's SHA-256.
    let facts = text(&select(&html, "#facts")[0]);
    let scenario = fs::read(root().join(FLAGSHIP)).unwrap();
    let digest: String = {
        use sha2::Digest;
        sha2::Sha256::digest(&scenario)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    };
    for fact in [
        digest.as_str(),
        "20,000",
        &summary["seed"].to_string(),
        "mc",
        summary["eta_version"].as_str().unwrap(),
    ] {
        assert!(facts.contains(fact), "{fact} in {facts}");
    }

    // Five inline SVG charts; the time charts carry hover titles with the P50 and the deadline.
    assert_eq!(select(&html, "figure svg").len(), 5);
    let hover: Vec<String> = select(&html, "#chart-arrival-cdf g.hover title")
        .iter()
        .map(text)
        .collect();
    assert!(hover.iter().any(|t| t.starts_with("P50 of")), "{hover:?}");
    assert!(
        hover.iter().any(|t| t.contains("P(on time)")
            && t.contains(&percent_with_ci(
                deadlines[0]["probability"].as_f64().unwrap(),
                [
                    deadlines[0]["ci95"][0].as_f64().unwrap(),
                    deadlines[0]["ci95"][1].as_f64().unwrap()
                ]
            ))),
        "{hover:?}"
    );
    // The script is inline and small; the CSS prints on A4.
    let scripts = select(&html, "script");
    assert_eq!(scripts.len(), 1);
    assert!(text(&scripts[0]).len() < 1000);
    assert!(page.contains("@page { size: A4"));
}

#[test]
fn report_md_is_markdown_linking_the_chart_files_and_report_none_writes_none() {
    let dir = flagship(&["--report", "md"]);
    assert!(!dir.path().join("report.html").exists());
    let md = fs::read_to_string(dir.path().join("report.md")).unwrap();
    let summary = json(&dir.path().join("summary.json"));
    let p = summary["deadlines"][0]["probability"].as_f64().unwrap();
    let headline = percent_with_ci(p, [0.0, 1.0]);
    let probability = headline.split(' ').next().unwrap();
    assert!(md.contains(&format!("**{probability}**")), "{md}");
    for stem in [
        "arrival-histogram",
        "arrival-cdf",
        "milestones",
        "drivers",
        "convergence",
    ] {
        let link = format!("]({stem}.png)");
        assert!(md.contains("[![") && md.contains(&link), "{link}");
        assert!(dir.path().join(format!("{stem}.png")).exists());
    }
    // A GitHub table: header, delimiter row, one row per milestone.
    let milestones = summary["milestones"].as_array().unwrap().len();
    let at = md.find("| milestone | zone |").unwrap();
    let table: Vec<&str> = md[at..]
        .lines()
        .take_while(|l| l.starts_with('|'))
        .collect();
    assert_eq!(table.len(), milestones + 2);
    assert!(!md.contains("http"));

    let none = flagship(&["--report", "none"]);
    assert!(!none.path().join("report.html").exists());
    assert!(!none.path().join("report.md").exists());
}

#[test]
fn a_report_html_eta_did_not_write_is_never_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let foreign = dir.path().join("report.html");
    fs::write(&foreign, "<!DOCTYPE html><p>my own notes</p>").unwrap();
    eta()
        .current_dir(root())
        .args(["run", FLAGSHIP, "--trials", "2000", "--quiet", "--out"])
        .arg(dir.path())
        .assert()
        .code(1);
    assert_eq!(
        fs::read_to_string(&foreign).unwrap(),
        "<!DOCTYPE html><p>my own notes</p>"
    );
    // Its own report it replaces on the next run.
    let own = flagship(&[]);
    for _ in 0..2 {
        eta()
            .current_dir(root())
            .args(["run", FLAGSHIP, "--trials", "2000", "--quiet", "--out"])
            .arg(own.path())
            .assert()
            .success();
    }
}

#[test]
fn compare_and_sweep_write_their_own_self_contained_reports() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("compare");
    eta()
        .current_dir(root())
        .args(["compare", FLAGSHIP, "--trials", "5000", "--quiet", "--out"])
        .arg(&out)
        .assert()
        .success();
    let html = parse_self_contained(&fs::read_to_string(out.join("report.html")).unwrap());
    let contract = json(&out.join("compare.json"));
    let stated: Vec<f64> = select(&html, ".big")
        .iter()
        .map(|e| e.value().attr("data-probability").unwrap().parse().unwrap())
        .collect();
    let expected: Vec<f64> = contract["variants"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|v| v["deadlines"].as_array().unwrap().clone())
        .map(|d| d["probability"].as_f64().unwrap())
        .collect();
    assert_eq!(stated, expected);
    assert_eq!(select(&html, "figure svg").len(), 2);

    let out = dir.path().join("sweep");
    eta()
        .current_dir(root())
        .args([
            "sweep",
            FLAGSHIP,
            "--param",
            "dprk_speed.mode",
            "--values",
            "45,50,55",
            "--trials",
            "5000",
            "--quiet",
            "--out",
        ])
        .arg(&out)
        .assert()
        .success();
    let html = parse_self_contained(&fs::read_to_string(out.join("report.html")).unwrap());
    let contract = json(&out.join("sweep.json"));
    let rows = select(&html, "#sweep tbody tr");
    let points = contract["points"].as_array().unwrap();
    assert_eq!(rows.len(), points.len());
    for (row, point) in rows.iter().zip(points) {
        let d = &point["deadlines"][0];
        let p = percent_with_ci(
            d["probability"].as_f64().unwrap(),
            [
                d["ci95"][0].as_f64().unwrap(),
                d["ci95"][1].as_f64().unwrap(),
            ],
        );
        assert!(text(row).contains(&p), "{p} in {}", text(row));
    }
    assert_eq!(select(&html, "figure svg").len(), 1);
}

/// A conditioned run's report says so first: "Given: ..." with the effective trials, in both
/// formats, and the words are summary.json's.
#[test]
fn a_conditioned_report_leads_with_what_it_is_given() {
    let at = ["--at", "pyongyang=2023-09-10T15:00 ±3h"];
    let dir = flagship(&at);
    let summary = json(&dir.path().join("summary.json"));
    let given = summary["conditioning"]["given"][0].as_str().unwrap();
    let effective = summary["conditioning"]["effective_trials"]
        .as_u64()
        .unwrap();
    let html = Html::parse_document(&fs::read_to_string(dir.path().join("report.html")).unwrap());
    let block = html
        .select(&Selector::parse("header p.given").unwrap())
        .next()
        .expect("a Given block in the header");
    let text: String = block.text().collect();
    assert!(text.starts_with(&format!("Given: {given}.")), "{text}");
    assert!(
        text.contains(&format!(
            "worth {} unweighted trials",
            eta::format::thousands(effective)
        )),
        "{text}"
    );
    let md_dir = flagship(&[&at[..], &["--report", "md"]].concat());
    let md = fs::read_to_string(md_dir.path().join("report.md")).unwrap();
    assert!(md.contains(&format!("> **Given: {given}.")), "{md}");
}
