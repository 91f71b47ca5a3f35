//! The page's CSS (screen and A4 print) and its one small script (the zone switch), inlined so
//! the file needs nothing else.

/// Readable on screen, one column; on paper A4 with charts and tables kept whole.
pub const STYLE: &str = r#"
:root { --ink: #282828; --muted: #6e6e6e; --rule: #d8d8d8; --accent: #0072b2; --deadline: #d55e00; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--ink); background: #fff;
  font: 16px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 1100px; margin: 0 auto; padding: 24px 28px 8px; }
h1 { font-size: 1.9rem; line-height: 1.2; margin: 0 0 0.4rem; }
h2 { font-size: 1.3rem; margin: 2rem 0 0.5rem; border-bottom: 1px solid var(--rule); padding-bottom: 0.2rem; }
.question { font-size: 1.1rem; color: var(--ink); margin: 0 0 1rem; white-space: pre-line; }
.given { font-weight: 600; color: var(--ink); border-left: 4px solid #d55e00; padding: 0.3rem 0.8rem; margin: 0 0 1rem; }
.note { color: var(--muted); font-size: 0.9rem; margin: 0.3rem 0 0.6rem; }
.headline { display: flex; flex-wrap: wrap; gap: 16px; margin: 1rem 0; }
.answer { flex: 1 1 300px; border: 2px solid var(--deadline); border-radius: 8px; padding: 12px 18px; }
.answer h2 { border: 0; margin: 0; font-size: 1.1rem; padding: 0; }
.answer .big { font-size: 3.4rem; font-weight: 700; line-height: 1.1; margin: 0.2rem 0 0; color: var(--deadline); }
.answer .interval { font-size: 1.05rem; margin: 0.1rem 0 0.3rem; }
.answer .detail { color: var(--muted); font-size: 0.9rem; margin: 0; }
figure { margin: 0 0 1.5rem; }
figure svg { width: 100%; height: auto; display: block; border: 1px solid var(--rule); }
figure .hover rect { fill: transparent; }
figure .hover rect:hover { fill: rgba(0, 114, 178, 0.18); }
figcaption { color: var(--muted); font-size: 0.9rem; margin-top: 0.3rem; }
.table { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; font-size: 0.92rem; font-variant-numeric: tabular-nums; }
th, td { text-align: left; vertical-align: top; padding: 5px 8px; border-bottom: 1px solid var(--rule); }
thead th { border-bottom: 2px solid var(--ink); white-space: nowrap; }
tbody th { font-weight: 600; }
span.t { white-space: nowrap; }
td small, th small { display: block; color: var(--muted); font-weight: 400; font-size: 0.8rem; }
td.prose { min-width: 16rem; font-size: 0.85rem; }
.switch button { font: inherit; font-size: 0.85rem; padding: 2px 10px; border: 1px solid var(--accent);
  background: #fff; color: var(--accent); border-radius: 4px; cursor: pointer; }
.switch button[aria-pressed="true"] { background: var(--accent); color: #fff; }
footer { max-width: 1100px; margin: 0 auto; padding: 12px 28px 32px; color: var(--muted); font-size: 0.85rem; }
@page { size: A4; margin: 14mm 12mm; }
@media print {
  body { font-size: 10pt; }
  main { max-width: none; padding: 0; }
  .switch { display: none; }
  h2 { break-after: avoid; }
  figure, .answer, tr { break-inside: avoid; }
  figure svg { border: 0; }
  .answer .big { font-size: 30pt; }
  table { font-size: 8.5pt; }
  .table { overflow: visible; }
}
"#;

/// The zone switch: each time cell holds its text in the display zone and in its row's own zone;
/// the buttons swap which one shows.
pub const SCRIPT: &str = r#"
document.querySelectorAll("button[data-zone]").forEach(function (button) {
  button.addEventListener("click", function () {
    var key = button.dataset.zone;
    document.querySelectorAll("span[data-own]").forEach(function (cell) {
      cell.textContent = cell.dataset[key];
    });
    document.querySelectorAll("button[data-zone]").forEach(function (other) {
      other.setAttribute("aria-pressed", String(other === button));
    });
  });
});
"#;
