//! The flagship's report.html in a real browser: headless Chromium (Debian's `chromium`
//! package; `.ci/run` installs it) renders it to a PNG that is not blank and shows the headline,
//! and its DOM after the script ran holds the headline's probability. Without Chromium the test
//! says plainly that it was skipped, and why.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: failing loudly is the point

use assert_cmd::Command;
use eta::format::percent_with_ci;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;

const CHROMIUM: &str = "/usr/bin/chromium";

/// Runs headless Chromium on `page` with `what` (`--dump-dom` or `--screenshot=FILE`), with
/// networking, updates and first-run chores off and a throwaway profile.
fn chromium(page: &Path, profile: &Path, what: &str) -> Output {
    std::process::Command::new(CHROMIUM)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg("--window-size=1200,2000")
        .arg(what)
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("chromium runs")
}

/// The screenshot's pixels as RGB rows, and its width and height.
fn decode(png_file: &Path) -> (Vec<u8>, usize, usize) {
    let decoder = png::Decoder::new(fs::File::open(png_file).unwrap());
    let mut reader = decoder.read_info().unwrap();
    let mut buffer = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buffer).unwrap();
    let channels = info.color_type.samples();
    let rgb = buffer[..info.buffer_size()]
        .chunks(channels)
        .flat_map(|p| [p[0], p[1], p[2]])
        .collect();
    (rgb, info.width as usize, info.height as usize)
}

#[test]
fn chromium_renders_the_flagships_report_with_its_headline() {
    if !Path::new(CHROMIUM).exists() {
        eprintln!(
            "SKIPPED browser test: {CHROMIUM} is not installed (Debian package `chromium`; \
             .ci/run installs it). The report was not rendered in a browser."
        );
        return;
    }
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("kim");
    Command::cargo_bin("eta")
        .unwrap()
        .current_dir(&root)
        .args([
            "run",
            "scenarios/kim-eef-2023.toml",
            "--trials",
            "20000",
            "--quiet",
        ])
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    let summary: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    let d = &summary["deadlines"][0];
    let headline = percent_with_ci(
        d["probability"].as_f64().unwrap(),
        [
            d["ci95"][0].as_f64().unwrap(),
            d["ci95"][1].as_f64().unwrap(),
        ],
    );
    let probability = headline.split(' ').next().unwrap().to_owned();
    let page = out.join("report.html");

    // The DOM as the browser built it holds the headline and the five charts.
    let dom = chromium(&page, &dir.path().join("profile-dom"), "--dump-dom");
    assert!(
        dom.status.success(),
        "{}",
        String::from_utf8_lossy(&dom.stderr)
    );
    let dom = String::from_utf8(dom.stdout).unwrap();
    assert!(
        dom.contains(&format!(">{probability}</p>")),
        "headline {probability} not in the DOM"
    );
    assert!(dom.contains("At FEFU by the EEF plenary session"));
    assert_eq!(dom.matches("<svg").count(), 5);

    // The screenshot is not blank, and the headline's large vermillion figures are drawn where
    // the headline sits (below the title and question, in the first 500 pixel rows).
    let shot = dir.path().join("report.png");
    let run = chromium(
        &page,
        &dir.path().join("profile-shot"),
        &format!("--screenshot={}", shot.display()),
    );
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let (rgb, width, height) = decode(&shot);
    assert_eq!((width, height), (1200, 2000));
    let pixel = |x: usize, y: usize| {
        let i = 3 * (y * width + x);
        (rgb[i], rgb[i + 1], rgb[i + 2])
    };
    let ink = (0..height)
        .flat_map(|y| (0..width).map(move |x| (x, y)))
        .filter(|&(x, y)| pixel(x, y) != (255, 255, 255))
        .count();
    assert!(ink > width * height / 20, "only {ink} non-white pixels");
    // #d55e00, the deadline colour the headline's figures are set in (anti-aliasing aside).
    let vermillion =
        |(r, g, b): (u8, u8, u8)| r.abs_diff(213) < 30 && g.abs_diff(94) < 30 && b.abs_diff(0) < 30;
    // Rows the box's top or bottom border crosses are mostly vermillion; leave them out, and the
    // few pixels of its side borders in every other row, to count the figures alone.
    let headline_pixels: usize = (0..500)
        .map(|y| (0..width).filter(|&x| vermillion(pixel(x, y))).count())
        .filter(|&n| n < width / 2)
        .map(|n| n.saturating_sub(8))
        .sum();
    eprintln!(
        "screenshot: {ink} non-white pixels, {headline_pixels} vermillion figure pixels in rows 0-499"
    );
    assert!(
        headline_pixels > 1500,
        "only {headline_pixels} vermillion pixels in the headline region"
    );
}
