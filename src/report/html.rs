//! The self-contained HTML report: inline CSS and inline SVG charts, no scripts and no
//! external requests. Built to read in one minute at any scale: the headline in plain
//! words, tables capped at [`TABLE_ROWS`] rows with the full list downloadable in-page
//! as CSV (a `data:` link), change notices grouped by month in collapsible sections,
//! and tables and charts that scroll inside their own box on a phone.

use chrono::{Datelike, NaiveDate};

/// Rows shown in the remaining-clashes and findings tables; the rest are in the CSV link.
pub const TABLE_ROWS: usize = 25;

/// Everything the report shows, already computed by the caller.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportInput {
    /// Page title and only `h1`, e.g. "Release calendar plan, 2027".
    pub title: String,
    /// One line under the title, e.g. the data set and when the plan was made (may be empty).
    pub subtitle: String,
    /// The headline in plain words (see [`crate::report::headline`]).
    pub headline: Headline,
    /// Charts as inline SVG documents (from [`crate::report::ChartSpec::render_svg`]).
    pub charts: Vec<ReportChart>,
    /// One row per moved release, any order (grouped by the month of `from`).
    pub notices: Vec<NoticeRow>,
    /// Where else the full list of notices is, e.g. "the reason column of schedule.csv".
    pub notices_elsewhere: String,
    /// Clashes that remain in the plan, worst first, with why they stay.
    pub remaining_clashes: Vec<ClashRow>,
    /// Findings of the input rules (warnings and notes about the input files).
    pub findings: Vec<FindingRow>,
    /// Optional risk section.
    pub risk: Option<RiskSection>,
}

/// The headline: big figures, the verdict in sentences, risk changes, change budget.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Headline {
    /// The big figures, e.g. "Clash pairs", "11,992 → 3,089", "no plan with this peak has fewer than 3,062".
    pub figures: Vec<Figure>,
    /// The verdict in plain words, one paragraph each.
    pub verdict: Vec<String>,
    /// Risk measures that get better and worse ("Worse: …, because …").
    pub risk: Vec<String>,
    /// The recommended change budget read from the trade-off curve.
    pub budget: Option<String>,
}

/// One big figure of the headline.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    /// What it is.
    pub label: String,
    /// The value, e.g. "52 → 9".
    pub value: String,
    /// A short qualifier under it (may be empty), e.g. "the lowest possible".
    pub note: String,
}

/// One chart of the report.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportChart {
    /// The caption.
    pub title: String,
    /// A text alternative: what the chart shows and its main message.
    pub alt: String,
    /// The chart as an SVG document.
    pub svg: String,
}

/// A change notice, ready to paste into the release calendar.
#[derive(Debug, Clone, PartialEq)]
pub struct NoticeRow {
    /// Release id.
    pub release_id: String,
    /// Release title.
    pub title: String,
    /// The announced or proposed date.
    pub from: NaiveDate,
    /// The planned date.
    pub to: NaiveDate,
    /// Shift in working days (negative = earlier).
    pub shift_working_days: i64,
    /// The change notice text.
    pub notice: String,
}

/// A clash that stays in the plan.
#[derive(Debug, Clone, PartialEq)]
pub struct ClashRow {
    /// The day (the first day of the outage window).
    pub date: NaiveDate,
    /// The failure point shared, e.g. "ONS website (website)".
    pub failure_point: String,
    /// Weighted number of releases one failure would delay, formatted.
    pub exposure: String,
    /// The releases that would be delayed together.
    pub releases: Vec<String>,
    /// Why the clash stays, e.g. "both releases confirmed".
    pub reason: String,
}

/// A finding of the input rules.
#[derive(Debug, Clone, PartialEq)]
pub struct FindingRow {
    /// "error", "warning" or "note".
    pub severity: String,
    /// Where: file and line, or release id.
    pub location: String,
    /// What was found.
    pub message: String,
}

/// Risk figures before and after.
#[derive(Debug, Clone, PartialEq)]
pub struct RiskSection {
    /// How the figures were obtained (failure rates, period, simulations).
    pub note: String,
    /// One row per measure.
    pub rows: Vec<RiskRow>,
}

/// One risk measure.
#[derive(Debug, Clone, PartialEq)]
pub struct RiskRow {
    /// What is measured, e.g. "P(one failure delays ≥ 3 releases)".
    pub measure: String,
    /// The figure before, formatted.
    pub before: String,
    /// The figure after, formatted.
    pub after: String,
}

/// The page's style sheet: readable, high contrast, printable, usable on a phone.
const STYLE: &str = "\
:root{color-scheme:light}
*{box-sizing:border-box}
body{margin:0;background:#fff;color:#1a1a1a;font:16px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,'DejaVu Sans',Arial,sans-serif;overflow-wrap:break-word}
main{max-width:1080px;margin:0 auto;padding:24px}
h1{font-size:1.9rem;margin:0 0 .25rem}
h2{font-size:1.4rem;margin:2.2rem 0 .6rem;padding-bottom:.2rem;border-bottom:2px solid #0072b2}
.subtitle{color:#444;margin:0 0 1rem}
.figures{display:grid;grid-template-columns:repeat(auto-fit,minmax(220px,1fr));gap:12px;margin:0;padding:0}
.figures div{border:1px solid #bbb;border-radius:6px;padding:10px 14px;margin:0}
.figures dt{font-size:.9rem;color:#444}
.figures dd{margin:0;font-size:1.6rem;font-weight:700}
.figures dd.note{font-size:.9rem;font-weight:400;color:#333}
.verdict{margin:.8rem 0}
.budget{font-weight:600}
.worse{border-left:4px solid #b3470b;padding-left:.6rem}
.better{border-left:4px solid #0072b2;padding-left:.6rem}
ul.risk{list-style:none;padding:0}
ul.risk li{margin:.4rem 0}
figure{margin:1.4rem 0;break-inside:avoid}
.chart{overflow-x:auto;border:1px solid #ddd}
.chart svg{display:block;width:100%;max-width:100%;height:auto}
figcaption{font-weight:600;margin-bottom:.4rem}
.alt{color:#444;font-size:.92rem;margin:.3rem 0 0}
.scroll{overflow-x:auto;max-width:100%}
table{border-collapse:collapse;width:100%;margin:.6rem 0 1rem;font-size:.95rem}
caption{text-align:left;font-weight:600;padding:.3rem 0}
th,td{border:1px solid #bbb;padding:6px 8px;text-align:left;vertical-align:top}
thead th{background:#eef3f8}
tbody tr:nth-child(even){background:#f7f7f7}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
td.nowrap{white-space:nowrap}
tbody th{font-weight:600}
details{margin:.3rem 0;border:1px solid #ddd;border-radius:4px;padding:.2rem .6rem}
summary{cursor:pointer;font-weight:600;padding:.2rem 0}
a.download{font-weight:600;color:#005a8c}
.none{color:#444;font-style:italic}
footer{margin-top:2.5rem;color:#444;font-size:.85rem}
@media (max-width:700px){main{padding:12px}h1{font-size:1.5rem}.figures dd{font-size:1.3rem}.chart svg{width:760px;max-width:none}th,td{padding:4px 6px}}
@media print{body{font-size:11pt}main{max-width:none;padding:0}h2{break-after:avoid}tr,figure{break-inside:avoid}thead{display:table-header-group}.chart{border:none;overflow:visible}details{border:none}}
";

/// Renders the whole report as one HTML document.
pub fn render_html(input: &ReportInput) -> String {
    let mut out = String::with_capacity(64 * 1024);
    out.push_str("<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    out.push_str(
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n",
    );
    out.push_str(&format!("<title>{}</title>\n", escape(&input.title)));
    out.push_str(&format!(
        "<style>\n{STYLE}</style>\n</head>\n<body>\n<main>\n"
    ));
    out.push_str(&format!("<h1>{}</h1>\n", escape(&input.title)));
    if !input.subtitle.trim().is_empty() {
        out.push_str(&format!(
            "<p class=\"subtitle\">{}</p>\n",
            escape(&input.subtitle)
        ));
    }
    headline_section(&mut out, &input.headline);
    charts_section(&mut out, &input.charts);
    notices_section(&mut out, &input.notices, &input.notices_elsewhere);
    clashes_section(&mut out, &input.remaining_clashes);
    findings_section(&mut out, &input.findings);
    if let Some(risk) = &input.risk {
        risk_section(&mut out, risk);
    }
    out.push_str("<footer><p>Made by stagger. This file is self-contained: it loads nothing from the network.</p></footer>\n");
    out.push_str("</main>\n</body>\n</html>\n");
    out
}

/// Escapes text for HTML content and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() && c != '\n' && c != '\t' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Opens a section with its `h2`.
fn open_section(out: &mut String, id: &str, heading: &str) {
    out.push_str(&format!(
        "<section aria-labelledby=\"{id}\">\n<h2 id=\"{id}\">{}</h2>\n",
        escape(heading)
    ));
}

/// The big figures, the verdict, the risk changes and the change budget.
fn headline_section(out: &mut String, h: &Headline) {
    open_section(out, "headline", "Headline");
    out.push_str("<dl class=\"figures\">\n");
    for f in &h.figures {
        out.push_str(&format!(
            "<div><dt>{}</dt><dd>{}</dd>",
            escape(&f.label),
            escape(&f.value)
        ));
        if !f.note.is_empty() {
            out.push_str(&format!("<dd class=\"note\">{}</dd>", escape(&f.note)));
        }
        out.push_str("</div>\n");
    }
    out.push_str("</dl>\n");
    for v in &h.verdict {
        out.push_str(&format!("<p class=\"verdict\">{}</p>\n", escape(v)));
    }
    if let Some(b) = &h.budget {
        out.push_str(&format!("<p class=\"budget\">{}</p>\n", escape(b)));
    }
    if !h.risk.is_empty() {
        out.push_str("<ul class=\"risk\">\n");
        for r in &h.risk {
            let class = if r.starts_with("Worse") {
                "worse"
            } else {
                "better"
            };
            out.push_str(&format!("<li class=\"{class}\">{}</li>\n", escape(r)));
        }
        out.push_str("</ul>\n");
    }
    out.push_str("<p>The most releases one failure can delay on a day (the <em>peak exposure</em>) counts the releases, weighted by importance, that a single infrastructure failure would delay together. A <em>clash pair</em> is two releases on the same day that share a failure point.</p>\n");
    out.push_str("</section>\n");
}

/// The charts as figures.
fn charts_section(out: &mut String, charts: &[ReportChart]) {
    if charts.is_empty() {
        return;
    }
    open_section(out, "charts", "Charts");
    for (i, chart) in charts.iter().enumerate() {
        let id = format!("chart-{}", i + 1);
        out.push_str(&format!(
            "<figure aria-labelledby=\"{id}-caption\">\n<figcaption id=\"{id}-caption\">{}</figcaption>\n<div class=\"chart\" role=\"region\" tabindex=\"0\" aria-labelledby=\"{id}-caption\">\n",
            escape(&chart.title)
        ));
        out.push_str(&inline_svg(&chart.svg, &id, &chart.title, &chart.alt));
        out.push_str(&format!(
            "</div>\n<p class=\"alt\" id=\"{id}-desc\">{}</p>\n</figure>\n",
            escape(&chart.alt)
        ));
    }
    out.push_str("</section>\n");
}

/// Prepares a chart's SVG document for inline use: drops any XML prolog and the
/// namespace attribute (implicit in HTML), adds `role="img"`, an accessible name
/// and a `<title>`/`<desc>`. Anything that is not an `<svg>` element is dropped.
fn inline_svg(svg: &str, id: &str, title: &str, alt: &str) -> String {
    let Some(start) = svg.find("<svg") else {
        return String::new();
    };
    let Some(end) = svg.rfind("</svg>") else {
        return String::new();
    };
    if end < start {
        return String::new();
    }
    let body = &svg[start + 4..end];
    let body = body.replacen(" xmlns=\"http://www.w3.org/2000/svg\"", "", 1);
    let Some(tag_end) = body.find('>') else {
        return String::new();
    };
    let (attrs, rest) = body.split_at(tag_end);
    let rest = &rest[1..];
    format!(
        "<svg role=\"img\" aria-labelledby=\"{id}-title\" aria-describedby=\"{id}-desc\"{attrs}>\n<title id=\"{id}-title\">{}</title>\n<desc>{}</desc>{rest}</svg>\n",
        escape(title),
        escape(alt)
    )
}

/// Writes a table inside a box that scrolls on narrow screens: caption, header cells
/// (`scope="col"`), rows of already-escaped cells.
fn table(out: &mut String, caption: &str, headers: &[(&str, bool)], rows: &[Vec<String>]) {
    out.push_str(&format!(
        "<div class=\"scroll\" role=\"region\" tabindex=\"0\" aria-label=\"{}\">\n<table>\n<caption>{}</caption>\n<thead><tr>",
        escape(caption),
        escape(caption)
    ));
    for (h, numeric) in headers {
        let class = if *numeric { " class=\"num\"" } else { "" };
        out.push_str(&format!("<th scope=\"col\"{class}>{}</th>", escape(h)));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for row in rows {
        out.push_str("<tr>");
        for (i, cell) in row.iter().enumerate() {
            let numeric = headers.get(i).is_some_and(|(_, n)| *n);
            let short = headers
                .get(i)
                .is_some_and(|(h, _)| matches!(*h, "From" | "To" | "Date" | "Shift"));
            let class = match (numeric, short) {
                (true, _) => " class=\"num\"",
                (false, true) => " class=\"nowrap\"",
                _ => "",
            };
            out.push_str(&format!("<td{class}>{cell}</td>"));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n</div>\n");
}

/// `1 clash`, `3 clashes`, with thousands separators.
fn count(n: usize, one: &str, many: &str) -> String {
    format!(
        "{} {}",
        super::headline::thousands(n as u64),
        if n == 1 { one } else { many }
    )
}

/// A date as `Thu 25 Mar 2027`.
fn day(d: NaiveDate) -> String {
    d.format("%a %-d %b %Y").to_string()
}

/// A shift as `+2 working days` / `−1 working day`.
fn shift_text(n: i64) -> String {
    let unit = if n.abs() == 1 {
        "working day"
    } else {
        "working days"
    };
    match n.signum() {
        1 => format!("+{n} {unit}"),
        -1 => format!("−{} {unit}", n.unsigned_abs()),
        _ => "same day".to_string(),
    }
}

/// CSV text of `rows` under `header` (fields quoted when needed).
fn csv_text(header: &[&str], rows: &[Vec<String>]) -> String {
    let field = |s: &str| {
        if s.contains([',', '"', '\n', '\r']) {
            format!("\"{}\"", s.replace('"', "\"\""))
        } else {
            s.to_string()
        }
    };
    let mut out = header.join(",");
    out.push('\n');
    for r in rows {
        let cells: Vec<String> = r.iter().map(|c| field(c)).collect();
        out.push_str(&cells.join(","));
        out.push('\n');
    }
    out
}

/// A link that downloads `csv` as `file` from a `data:` URI (no request is made).
fn download_link(file: &str, csv: &str, label: &str) -> String {
    let mut uri = String::with_capacity(csv.len() + csv.len() / 8 + 32);
    uri.push_str("data:text/csv;charset=utf-8,");
    for b in csv.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~!*()':;@/,+=".contains(&b) {
            uri.push(b as char);
        } else {
            uri.push_str(&format!("%{b:02X}"));
        }
    }
    format!(
        "<p><a class=\"download\" download=\"{}\" href=\"{uri}\">{}</a></p>\n",
        escape(file),
        escape(label)
    )
}

/// The change notices: counts per month, then each month's notices in a
/// collapsible section.
fn notices_section(out: &mut String, notices: &[NoticeRow], elsewhere: &str) {
    open_section(out, "notices", "Change notices");
    if notices.is_empty() {
        out.push_str(
            "<p class=\"none\">No release moves: the calendar stays as it is.</p>\n</section>\n",
        );
        return;
    }
    let mut sorted: Vec<&NoticeRow> = notices.iter().collect();
    sorted.sort_by(|a, b| (a.from, &a.release_id).cmp(&(b.from, &b.release_id)));
    let mut months: Vec<((i32, u32), Vec<&NoticeRow>)> = Vec::new();
    for n in sorted {
        let key = (n.from.year(), n.from.month());
        match months.last_mut() {
            Some((k, v)) if *k == key => v.push(n),
            _ => months.push((key, vec![n])),
        }
    }
    let month_name = |(y, m): (i32, u32)| format!("{} {y}", crate::io::fields::month_name(m));
    let summary: Vec<Vec<String>> = months
        .iter()
        .map(|(k, v)| {
            let earlier = v.iter().filter(|n| n.to < n.from).count();
            vec![
                escape(&month_name(*k)),
                v.len().to_string(),
                earlier.to_string(),
                (v.len() - earlier).to_string(),
            ]
        })
        .collect();
    out.push_str(&format!(
        "<p>{} to announce, grouped by the month of the date they move from. Open a month to read its notices, ready to copy into the release calendar. {}</p>\n",
        escape(&count(notices.len(), "change", "changes")),
        escape(elsewhere)
    ));
    table(
        out,
        &format!("{} by month", count(notices.len(), "change", "changes")),
        &[
            ("Month", false),
            ("Changes", true),
            ("Earlier", true),
            ("Later", true),
        ],
        &summary,
    );
    for (k, v) in &months {
        out.push_str(&format!(
            "<details>\n<summary>{}: {}</summary>\n",
            escape(&month_name(*k)),
            escape(&count(v.len(), "change", "changes"))
        ));
        let rows: Vec<Vec<String>> = v
            .iter()
            .map(|n| {
                vec![
                    escape(&n.release_id),
                    escape(&n.title),
                    escape(&day(n.from)),
                    escape(&day(n.to)),
                    escape(&shift_text(n.shift_working_days)),
                    escape(&n.notice),
                ]
            })
            .collect();
        table(
            out,
            &format!(
                "{}, {}, ready to announce",
                count(v.len(), "moved release", "moved releases"),
                month_name(*k)
            ),
            &[
                ("Release", false),
                ("Title", false),
                ("From", false),
                ("To", false),
                ("Shift", false),
                ("Notice", false),
            ],
            &rows,
        );
        out.push_str("</details>\n");
    }
    out.push_str("</section>\n");
}

/// The clashes that stay: the worst [`TABLE_ROWS`], all of them as CSV.
fn clashes_section(out: &mut String, clashes: &[ClashRow]) {
    open_section(out, "clashes", "Remaining clashes");
    if clashes.is_empty() {
        out.push_str("<p class=\"none\">No clashes remain: no failure point serves two releases on the same day.</p>\n</section>\n");
        return;
    }
    let cells = |c: &ClashRow| {
        vec![
            day(c.date),
            c.failure_point.clone(),
            c.exposure.clone(),
            c.releases.join(", "),
            c.reason.clone(),
        ]
    };
    let shown: Vec<Vec<String>> = clashes
        .iter()
        .take(TABLE_ROWS)
        .map(|c| cells(c).iter().map(|x| escape(x)).collect())
        .collect();
    let caption = if clashes.len() > TABLE_ROWS {
        format!(
            "The {TABLE_ROWS} largest of {} left in the plan (most releases first, then by date), with the reason each stays",
            count(clashes.len(), "clash", "clashes")
        )
    } else {
        format!(
            "{} left in the plan (most releases first, then by date), with the reason each stays",
            count(clashes.len(), "clash", "clashes")
        )
    };
    let header = [
        ("Date", false),
        ("Failure point", false),
        ("Exposure (weighted releases)", true),
        ("Releases", false),
        ("Why it stays", false),
    ];
    table(out, &caption, &header, &shown);
    let all: Vec<Vec<String>> = clashes
        .iter()
        .map(|c| {
            let mut r = cells(c);
            r[0] = c.date.to_string();
            r[3] = c.releases.join(";");
            r
        })
        .collect();
    out.push_str(&download_link(
        "remaining-clashes.csv",
        &csv_text(
            &[
                "date",
                "failure_points",
                "exposure",
                "releases",
                "why_it_stays",
            ],
            &all,
        ),
        &format!(
            "Download all {} as CSV",
            count(clashes.len(), "remaining clash", "remaining clashes")
        ),
    ));
    out.push_str("</section>\n");
}

/// The input rules' findings: the first [`TABLE_ROWS`], all of them as CSV.
fn findings_section(out: &mut String, findings: &[FindingRow]) {
    open_section(out, "findings", "Input findings");
    if findings.is_empty() {
        out.push_str("<p class=\"none\">The input files passed every rule.</p>\n</section>\n");
        return;
    }
    let rows: Vec<Vec<String>> = findings
        .iter()
        .take(TABLE_ROWS)
        .map(|f| vec![escape(&f.severity), escape(&f.location), escape(&f.message)])
        .collect();
    let caption = if findings.len() > TABLE_ROWS {
        format!(
            "The first {TABLE_ROWS} of {} about the input files",
            count(findings.len(), "finding", "findings")
        )
    } else {
        format!(
            "{} about the input files",
            count(findings.len(), "finding", "findings")
        )
    };
    table(
        out,
        &caption,
        &[("Severity", false), ("Where", false), ("Finding", false)],
        &rows,
    );
    if findings.len() > TABLE_ROWS {
        let all: Vec<Vec<String>> = findings
            .iter()
            .map(|f| vec![f.severity.clone(), f.location.clone(), f.message.clone()])
            .collect();
        out.push_str(&download_link(
            "input-findings.csv",
            &csv_text(&["severity", "where", "finding"], &all),
            &format!(
                "Download all {} as CSV",
                count(findings.len(), "finding", "findings")
            ),
        ));
    }
    out.push_str("</section>\n");
}

/// The risk figures.
fn risk_section(out: &mut String, risk: &RiskSection) {
    open_section(out, "risk", "Risk");
    if !risk.note.trim().is_empty() {
        out.push_str(&format!("<p>{}</p>\n", escape(&risk.note)));
    }
    out.push_str("<div class=\"scroll\" role=\"region\" tabindex=\"0\" aria-label=\"Risk figures before and after the plan\">\n<table>\n<caption>Risk figures before and after the plan</caption>\n");
    out.push_str("<thead><tr><th scope=\"col\">Measure</th><th scope=\"col\" class=\"num\">Before</th><th scope=\"col\" class=\"num\">After</th></tr></thead>\n<tbody>\n");
    for r in &risk.rows {
        out.push_str(&format!(
            "<tr><th scope=\"row\">{}</th><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>\n",
            escape(&r.measure),
            escape(&r.before),
            escape(&r.after)
        ));
    }
    out.push_str("</tbody>\n</table>\n</div>\n</section>\n");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{ChartSpec, RiskBar, RiskInput};

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    pub(crate) fn sample() -> ReportInput {
        let risk_chart = RiskInput {
            title: "Chance one failure delays at least k releases <2027>".into(),
            bars: vec![
                RiskBar {
                    k: 2,
                    before: 0.4,
                    after: 0.1,
                },
                RiskBar {
                    k: 3,
                    before: 0.2,
                    after: 0.02,
                },
            ],
        };
        ReportInput {
            title: "Release calendar plan, 2027".into(),
            subtitle: "Data set: releases.csv & infrastructure.csv".into(),
            headline: crate::report::headline::headline(&crate::report::headline::HeadlineFacts {
                peak_before: crate::model::Weight(6000),
                peak_after: crate::model::Weight(3500),
                peak_bound: Some(crate::report::headline::Bound { value: 3.0 }),
                pairs_before: 41,
                pairs_after: 12,
                pairs_bound: None,
                changes: 9,
                changes_bound: Some(crate::report::headline::Bound { value: 9.0 }),
                risk_objective: false,
                risk: vec![],
                shared_days: (5, 3),
                budget: Some((2, Some(5))),
            }),
            charts: vec![ReportChart {
                title: "Risk before and after".into(),
                alt: "Bars: the chance of 2 or more delayed releases falls from 40% to 10%.".into(),
                svg: risk_chart.render_svg().unwrap(),
            }],
            notices: vec![NoticeRow {
                release_id: "cpi-mar".into(),
                title: "<script>alert('x')</script> CPI & RPI".into(),
                from: d(2027, 4, 13),
                to: d(2027, 4, 14),
                shift_working_days: 1,
                notice: "Moved by one working day \"to spread risk\".".into(),
            }],
            notices_elsewhere: "Every notice is also in the reason column of schedule.csv.".into(),
            remaining_clashes: vec![ClashRow {
                date: d(2027, 5, 12),
                failure_point: "ONS website (website)".into(),
                exposure: "2".into(),
                releases: vec!["gdp-q1".into(), "lms-may".into()],
                reason: "both releases confirmed".into(),
            }],
            findings: vec![FindingRow {
                severity: "warning".into(),
                location: "releases.csv:14".into(),
                message: "window shorter than 2 working days".into(),
            }],
            risk: Some(RiskSection {
                note: "Each failure point fails on 1 day in 500, independently.".into(),
                rows: vec![RiskRow {
                    measure: "P(one failure delays ≥ 3 releases in 2027)".into(),
                    before: "20%".into(),
                    after: "2%".into(),
                }],
            }),
        }
    }

    #[test]
    fn has_every_section_in_heading_order() {
        let html = render_html(&sample());
        assert_eq!(html.matches("<h1").count(), 1);
        let headings = [
            "Headline",
            "Charts",
            "Change notices",
            "Remaining clashes",
            "Input findings",
            "Risk",
        ];
        let mut last = 0;
        for h in headings {
            let at = html
                .find(&format!("\">{h}</h2>"))
                .unwrap_or_else(|| panic!("no {h}"));
            assert!(at > last, "{h} out of order");
            last = at;
        }
        assert!(html.contains("6 → 3.5") && html.contains("41 → 12"));
        assert!(html.contains("no plan can go below 3"));
        assert!(html.contains("9 releases change date; the fewest that give this safety."));
        assert!(html.contains("<th scope=\"col\">Release</th>"));
        assert!(html.contains("<th scope=\"row\">P(one failure"));
        assert_eq!(html.matches("<caption>").count(), 5);
        assert!(html.contains("<svg role=\"img\" aria-labelledby=\"chart-1-title\""));
        assert!(html.contains("+1 working day"));
        assert!(html.contains("<caption>1 moved release, April 2027, ready to announce"));
        assert!(html.contains("<summary>April 2027: 1 change</summary>"));
        assert!(html.contains("<caption>1 clash left in the plan"));
        assert!(html.contains("<caption>1 finding about"));
        assert!(html.ends_with("</html>\n"));
    }

    #[test]
    fn escapes_all_text() {
        let html = render_html(&sample());
        assert!(!html.contains("<script>"));
        assert!(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; CPI &amp; RPI"));
        assert!(html.contains("&quot;to spread risk&quot;"));
        assert!(html.contains("releases.csv &amp; infrastructure.csv"));
        // chart text is escaped by the SVG writer
        assert!(html.contains("&lt;2027&gt;"));
    }

    #[test]
    fn makes_no_external_requests() {
        let html = render_html(&sample());
        assert!(!html.contains("http://"), "found http://");
        assert!(!html.contains("https://"), "found https://");
        for needle in ["<link", "<script", "<img", "<iframe", "@import", "url("] {
            assert!(!html.contains(needle), "found {needle}");
        }
    }

    #[test]
    fn is_deterministic_and_handles_empty_sections() {
        assert_eq!(render_html(&sample()), render_html(&sample()));
        let mut empty = sample();
        empty.notices.clear();
        empty.remaining_clashes.clear();
        empty.findings.clear();
        empty.charts.clear();
        empty.risk = None;
        empty.headline.figures[0].note = "the lowest possible".into();
        let html = render_html(&empty);
        assert!(html.contains("No release moves"));
        assert!(html.contains("No clashes remain"));
        assert!(html.contains("passed every rule"));
        assert!(html.contains("the lowest possible"));
        assert!(!html.contains("id=\"risk\"") && !html.contains("id=\"charts\""));
        if let Some(dir) = std::env::var_os("STAGGER_CHART_DIR") {
            std::fs::write(
                std::path::Path::new(&dir).join("report.html"),
                render_html(&sample()),
            )
            .unwrap();
        }
    }

    /// The sample with all five charts.
    fn full_sample() -> ReportInput {
        use crate::report::{
            DailyReleasesDay, DailyReleasesInput, DayKind, HeatmapDay, HeatmapInput, HeatmapPanel,
            TradeoffInput, TradeoffPoint, WorstDayInput, WorstDayRow,
        };
        use chrono::{Datelike, Weekday};
        let mut input = sample();
        let panel = |label: &str, spread: u32| {
            let mut days = Vec::new();
            let mut date = d(2027, 1, 1);
            while date.year() == 2027 {
                let kind = match date.weekday() {
                    Weekday::Sat | Weekday::Sun => DayKind::Weekend,
                    _ if date == d(2027, 5, 3) => DayKind::BankHoliday("Early May".into()),
                    _ if date == d(2027, 12, 24) => DayKind::Closure("Christmas Eve".into()),
                    _ => DayKind::Working,
                };
                let value = f64::from((date.ordinal() * 13) % (spread + 1));
                days.push(HeatmapDay { date, value, kind });
                date = date.succ_opt().unwrap();
            }
            HeatmapPanel {
                label: label.into(),
                days,
            }
        };
        let heatmap = HeatmapInput {
            title: "Peak exposure per working day, 2027".into(),
            panels: vec![panel("Before", 6), panel("After", 3)],
        };
        let worst = WorstDayInput {
            title: "Worst day per failure point".into(),
            rows: (0..8)
                .map(|i| WorstDayRow {
                    name: format!("server-{i}"),
                    kind: "database".into(),
                    before: f64::from(8 - i),
                    after: f64::from((8 - i).min(3)),
                })
                .collect(),
        };
        let tradeoff = TradeoffInput {
            title: "How many changes buy how much safety".into(),
            points: (0..=9)
                .map(|m| TradeoffPoint {
                    moves: m,
                    peak: 6.0 - f64::from(m.min(6)) / 2.0,
                    clash_pairs: 41.0 - 3.0 * f64::from(m),
                })
                .collect(),
            plan_moves: Some(9),
            plan_proven: true,
        };
        let daily = DailyReleasesInput {
            title: "Releases per day per website, April 2027".into(),
            websites: vec!["ons.gov.uk".into(), "gov.uk".into()],
            before: (1..=30)
                .map(|day| d(2027, 4, day))
                .filter(|x| !matches!(x.weekday(), Weekday::Sat | Weekday::Sun))
                .map(|date| DailyReleasesDay {
                    date,
                    counts: vec![date.day() % 4, date.day() % 3],
                })
                .collect(),
            after: (1..=30)
                .map(|day| d(2027, 4, day))
                .filter(|x| !matches!(x.weekday(), Weekday::Sat | Weekday::Sun))
                .map(|date| DailyReleasesDay {
                    date,
                    counts: vec![date.day() % 3, date.day() % 2],
                })
                .collect(),
        };
        let charts: Vec<(String, String)> = vec![
            ("Calendar heatmap".into(), heatmap.render_svg().unwrap()),
            ("Worst day".into(), worst.render_svg().unwrap()),
            ("Trade-off".into(), tradeoff.render_svg().unwrap()),
            ("Releases per day".into(), daily.render_svg().unwrap()),
        ];
        let mut all: Vec<ReportChart> = charts
            .into_iter()
            .map(|(title, svg)| ReportChart {
                alt: format!("{title} chart."),
                title,
                svg,
            })
            .collect();
        all.append(&mut input.charts);
        input.charts = all;
        input
    }

    /// The first `chromium` or `chromium-browser` on PATH.
    fn find_chromium() -> Option<std::path::PathBuf> {
        let path = std::env::var_os("PATH")?;
        std::env::split_paths(&path)
            .flat_map(|dir| [dir.join("chromium"), dir.join("chromium-browser")])
            .find(|p| p.is_file())
    }

    /// Runs headless Chromium on `page` with `args` (a fresh profile in `dir`), stdout
    /// to `dir/stdout.txt`; fails the test after 90 s. Returns what it printed.
    fn run_chromium(
        chromium: &std::path::Path,
        dir: &std::path::Path,
        page: &std::path::Path,
        args: &[String],
    ) -> String {
        let out = dir.join("stdout.txt");
        let mut child = std::process::Command::new(chromium)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--hide-scrollbars",
            ])
            .args(args)
            .arg(format!("--user-data-dir={}", dir.join("profile").display()))
            .arg(format!("file://{}", page.display()))
            .stdout(std::fs::File::create(&out).unwrap())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(90);
        loop {
            if child.try_wait().unwrap().is_some() {
                break;
            }
            if std::time::Instant::now() > deadline {
                let _ = child.kill();
                let _ = child.wait();
                panic!("chromium did not finish within 90 s");
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        std::fs::read_to_string(out).unwrap_or_default()
    }

    #[test]
    fn renders_in_headless_chromium() {
        let Some(chromium) = find_chromium() else {
            println!("note: chromium is not on PATH; skipping the headless rendering test");
            return;
        };
        let dir = tempfile::tempdir().unwrap();
        let page = dir.path().join("report.html");
        std::fs::write(&page, render_html(&full_sample())).unwrap();
        let shot = dir.path().join("report.png");
        run_chromium(
            &chromium,
            dir.path(),
            &page,
            &[
                "--window-size=1200,2400".into(),
                format!("--screenshot={}", shot.display()),
            ],
        );
        let bytes = std::fs::read(&shot).expect("chromium wrote no screenshot");
        assert!(bytes.len() > 10_000, "screenshot suspiciously small");
        assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
        if let Some(out) = std::env::var_os("STAGGER_CHART_DIR") {
            let out = std::path::Path::new(&out);
            std::fs::copy(&shot, out.join("report-screenshot.png")).unwrap();
            std::fs::copy(&page, out.join("report-full.html")).unwrap();
        }
    }

    /// On a 420 px wide phone the page does not scroll sideways (wide tables and charts
    /// scroll inside their own box, even with every month's notices open) and chart text
    /// is at least 10.5 CSS px. Measured by a real browser: the test copy of the report
    /// (without its Content-Security-Policy, so that a measuring script may run) writes
    /// its measurements into the title, which `--dump-dom` prints.
    #[test]
    fn fits_a_phone_in_headless_chromium() {
        let Some(chromium) = find_chromium() else {
            println!("note: chromium is not on PATH; skipping the phone-width rendering test");
            return;
        };
        let mut input = full_sample();
        // Long unbreakable ids and long notices: the widest tables a report can have.
        let long_id = "hospital-inpatient-and-day-case-activity-statistics-quarterly-2027-q3";
        for k in 0..30 {
            input.notices.push(NoticeRow {
                release_id: format!("{long_id}-{k}"),
                title: "Inpatient, outpatient and day case activity: quarter ending September 2027".into(),
                from: d(2027, 5 + k % 4, 1 + k % 27),
                to: d(2027, 5 + k % 4, 2 + k % 27),
                shift_working_days: 1,
                notice: "Moved from Thursday 5 August to Monday 2 August 2027 to avoid several releases depending on the same publishing systems on one day. Thursday 5 August now has one release that depends on the same publishing systems as this one (it had four), Monday 2 August one.".into(),
            });
            input.remaining_clashes.push(ClashRow {
                date: d(2027, 6, 1 + k % 28),
                failure_point: "Hospital statistics content delivery network (cdn); BSO website database server (database)".into(),
                exposure: "4".into(),
                releases: vec![format!("{long_id}-{k}"), format!("{long_id}-{}", k + 1)],
                reason: "kept by the plan; not proven unavoidable".into(),
            });
        }
        let html = render_html(&input);
        let csp = html
            .lines()
            .find(|l| l.contains("Content-Security-Policy"))
            .unwrap()
            .to_string();
        let probe = r#"<script>
document.querySelectorAll('details').forEach(function (d) { d.open = true; });
var de = document.documentElement, small = 1e9, texts = 0;
document.querySelectorAll('svg').forEach(function (svg) {
  var vb = svg.viewBox.baseVal, scale = svg.getBoundingClientRect().width / (vb && vb.width ? vb.width : 1);
  svg.querySelectorAll('text').forEach(function (t) {
    texts++;
    small = Math.min(small, parseFloat(getComputedStyle(t).fontSize) * scale);
  });
});
document.title = 'MEASURED ' + de.scrollWidth + ' ' + window.innerWidth + ' ' + small.toFixed(2) + ' ' + texts;
</script>
</body>"#;
        let test_copy = html.replace(&csp, "").replace("</body>", probe);
        // Headless windows are at least 500 px wide: the phone is a 420 px iframe.
        let wrapper = format!(
            "<!DOCTYPE html><html><head><title>wrapper</title></head><body style=\"margin:0\">\
             <iframe id=\"phone\" style=\"width:420px;height:900px;border:0\" srcdoc=\"{}\"></iframe>\
             <script>var f = document.getElementById('phone');\
             f.onload = function () {{ document.title = f.contentDocument.title; }};</script>\
             </body></html>",
            escape(&test_copy)
        );
        let dir = tempfile::tempdir().unwrap();
        let page = dir.path().join("phone.html");
        std::fs::write(&page, wrapper).unwrap();
        let dom = run_chromium(
            &chromium,
            dir.path(),
            &page,
            &[
                "--window-size=800,1000".into(),
                "--dump-dom".into(),
                "--virtual-time-budget=5000".into(),
            ],
        );
        let title = dom
            .split("<title>")
            .nth(1)
            .and_then(|t| t.split("</title>").next())
            .unwrap_or("");
        let fields: Vec<f64> = title
            .strip_prefix("MEASURED ")
            .unwrap_or_else(|| panic!("the probe did not run: {title:?}"))
            .split(' ')
            .map(|x| x.parse().unwrap())
            .collect();
        let (scroll_width, viewport, smallest, texts) =
            (fields[0], fields[1], fields[2], fields[3]);
        assert_eq!(viewport, 420.0, "the window is phone-wide");
        assert!(texts > 50.0, "charts are measured ({texts} texts)");
        assert!(
            scroll_width <= viewport,
            "the page is {scroll_width} px wide on a {viewport} px phone"
        );
        assert!(smallest >= 10.5, "chart text as small as {smallest} px");
    }

    #[test]
    fn inline_svg_rejects_non_svg() {
        assert_eq!(inline_svg("<p>hi</p>", "c", "t", "a"), "");
        let s = inline_svg("<?xml version=\"1.0\"?><svg width=\"1\" xmlns=\"http://www.w3.org/2000/svg\"><rect/></svg>", "c", "T<", "A");
        assert_eq!(s, "<svg role=\"img\" aria-labelledby=\"c-title\" aria-describedby=\"c-desc\" width=\"1\">\n<title id=\"c-title\">T&lt;</title>\n<desc>A</desc><rect/></svg>\n");
    }
}
