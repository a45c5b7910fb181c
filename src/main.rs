//! The `stagger` command line: parses flags and calls the library (`stagger::app`).

use std::path::{Path, PathBuf};
use std::process::ExitCode as ProcessExit;

use chrono::{DateTime, NaiveDate, Utc};
use clap::{Args, CommandFactory, Parser, Subcommand};
use stagger::app;
use stagger::calendar::Region;
use stagger::io::import::{icalendar::DateRange, Source};
use stagger::io::OutputGuard;
use stagger::model::{NoticeRules, SeriesRules, SeriesSource, WindowRules};
use stagger::optimise::{Backend, ObjectiveKind};
use stagger::ExitCode;
use std::time::Duration;

/// Plan an official-statistics release calendar so that one infrastructure
/// failure delays the fewest releases at once.
#[derive(Parser)]
#[command(name = "stagger", version, about, long_about = None)]
struct Cli {
    /// Print nothing on standard error but errors: no summaries, notes, hints or spinner.
    #[arg(long, short, global = true)]
    quiet: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Audit shared-failure exposure and rule findings of a calendar as it stands.
    Check(CheckArgs),
    /// Move provisional releases to the minimum shared-failure exposure with the fewest changes.
    Plan(PlanArgs),
    /// Draw the management charts (SVG and/or PNG) into a directory.
    Chart(ChartArgs),
    /// Write the one-page, self-contained HTML report.
    Report(ReportArgs),
    /// Failure risk in numbers: how likely one failure delays several releases, before and after.
    Risk(RiskArgs),
    /// Write a schedule (or any releases file) as an iCalendar file.
    Export(ExportArgs),
    /// Turn a published calendar (ONS API, GOV.UK search API, iCalendar) into releases.csv.
    Import(ImportArgs),
    /// Print a nation's bank holidays as CSV (date,name,source).
    Holidays(HolidayArgs),
    /// Write a synthetic but realistic calendar (for benchmarks) into a directory.
    Generate(GenerateArgs),
    /// Print a shell completion script (bash, zsh, fish, powershell or elvish).
    Completions(CompletionArgs),
    /// Write the engine's planning problem as JSON (for checking against an exact solver).
    #[command(hide = true)]
    Model(ModelArgs),
}

#[derive(Args)]
struct ModelArgs {
    #[command(flatten)]
    inputs: InputArgs,
    #[command(flatten)]
    flags: PlanFlags,
    /// Write the JSON here (default: standard output).
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
}

#[derive(Args)]
struct CompletionArgs {
    /// The shell to complete for.
    #[arg(value_enum)]
    shell: clap_complete::Shell,
    /// Write the script here (default: standard output).
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum SourceArg {
    /// ONS release-calendar API JSON ({"releases": [...]}, or a list of such pages).
    Ons,
    /// GOV.UK search API statistics announcements ({"results": [...]}, or a list of pages).
    Govuk,
    /// iCalendar (.ics) from Outlook, Google Calendar, Apple Calendar, ...
    Ics,
}

#[derive(Args)]
struct ImportArgs {
    /// The format of the files.
    #[arg(long, value_enum)]
    from: SourceArg,
    /// Files to read; a directory reads every .json (or .ics) file in it, by name; `-` reads
    /// standard input.
    #[arg(value_name = "FILE", required = true)]
    files: Vec<PathBuf>,
    /// Where to write releases.csv (default, or `-`: standard output, with the summary on
    /// standard error).
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    /// Keep releases dated on or after DATE (YYYY-MM-DD).
    #[arg(long, value_name = "DATE", value_parser = parse_day)]
    since: Option<NaiveDate>,
    /// Keep releases dated on or before DATE; recurring events without an end are expanded
    /// up to it.
    #[arg(long, value_name = "DATE", value_parser = parse_day)]
    until: Option<NaiveDate>,
    #[command(flatten)]
    depends: DependsArgs,
    /// Infrastructure CSV: check the failure-point ids of the rules and defaults against it.
    #[arg(long, value_name = "FILE")]
    infrastructure: Option<PathBuf>,
    /// Start the CSV with a UTF-8 byte-order mark for spreadsheet programs.
    #[arg(long)]
    excel: bool,
}

/// How releases without a `depends_on` get failure points (shared by every command that
/// reads releases).
#[derive(Args)]
struct DependsArgs {
    /// Failure points (`;`-separated ids) of releases with an empty depends_on that no
    /// --depends-on-rule matched, e.g. the one website a producer publishes everything on.
    #[arg(long, value_name = "IDS")]
    default_depends_on: Option<String>,
    /// CSV of pattern,depends_on[,column]: releases with an empty depends_on whose title,
    /// id or organisation matches a pattern (substring, or /regex/) get its failure points.
    #[arg(long, value_name = "FILE")]
    depends_on_rule: Option<PathBuf>,
}

impl DependsArgs {
    fn default_ids(&self) -> Vec<String> {
        self.default_depends_on
            .as_deref()
            .map(stagger::io::fields::split_ids)
            .unwrap_or_default()
    }
}

#[derive(Args)]
struct ExportArgs {
    /// Releases CSV, or a schedule written by `stagger plan` (its planned dates and change
    /// notices are exported); `-` reads standard input.
    #[arg(long, visible_alias = "schedule", value_name = "FILE")]
    releases: PathBuf,
    /// Infrastructure CSV, for failure-point names in event descriptions (ids otherwise).
    #[arg(long, value_name = "FILE")]
    infrastructure: Option<PathBuf>,
    /// Nation for releases without a region column value.
    #[arg(long, default_value = "england-and-wales", value_parser = parse_region)]
    region: Region,
    #[command(flatten)]
    depends: DependsArgs,
    /// Where to write the iCalendar (.ics) file; `-` writes to standard output.
    #[arg(long, visible_alias = "ics", value_name = "FILE")]
    out: PathBuf,
    /// DTSTAMP of every event, RFC 3339 (e.g. 2026-11-21T09:00:00Z); default 00:00 UTC
    /// today. Never later than today.
    #[arg(long, value_parser = parse_stamp)]
    stamp: Option<DateTime<Utc>>,
    /// The run's date (YYYY-MM-DD; default: the system date in the UK): no DTSTAMP is later.
    #[arg(long, value_name = "DATE", value_parser = parse_day)]
    today: Option<chrono::NaiveDate>,
    /// Notice wording: `public` calendars never name infrastructure; `internal` ones list
    /// each release's failure points.
    #[arg(long, value_enum, default_value_t = NoticeArg::Public)]
    notice: NoticeArg,
    /// Calendar name shown by calendar programs.
    #[arg(long, default_value = "Release calendar")]
    name: String,
}

fn parse_stamp(s: &str) -> Result<DateTime<Utc>, String> {
    DateTime::parse_from_rfc3339(s)
        .map(|d| d.with_timezone(&Utc))
        .map_err(|e| format!("expected an RFC 3339 date-time such as 2026-11-21T09:00:00Z ({e})"))
}

#[derive(Args)]
struct GenerateArgs {
    /// Number of releases (at most 1,000,000).
    #[arg(long, value_name = "N",
          value_parser = clap::value_parser!(u64).range(1..=stagger::limits::MAX_RELEASES as u64))]
    releases: u64,
    /// Random seed: the same seed writes the same files.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Calendar year (1978–2199).
    #[arg(long, default_value_t = 2027, value_parser = clap::value_parser!(i32).range(1978..=2199))]
    year: i32,
    /// Largest window, in working days either side of a provisional release's date.
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u32).range(0..=250))]
    max_window: u32,
    /// Size the infrastructure as for a calendar of N releases (default: --releases):
    /// fewer, busier failure points, e.g. 75 gives 12 (2 websites, 3 teams, one CMS,
    /// database, cache and hosting provider, DNS, and the GOV.UK route and its hosting).
    #[arg(long, value_name = "N",
          value_parser = clap::value_parser!(u64).range(1..=stagger::limits::MAX_RELEASES as u64))]
    infrastructure_for: Option<u64>,
    /// Directory to write releases.csv and infrastructure.csv into.
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
}

#[derive(Args)]
struct PlanFlags {
    /// Working days a provisional release may move either side of its proposed date
    /// (where it has no earliest/latest).
    #[arg(long, default_value_t = 10, value_name = "N",
          value_parser = clap::value_parser!(u32).range(0..=stagger::limits::MAX_SHIFT_WORKING_DAYS as i64))]
    max_shift: u32,
    /// Also keep each release in the month of its proposed date.
    #[arg(long)]
    keep_month: bool,
    /// The planning date (YYYY-MM-DD; default: the system date). Releases dated within
    /// the notice period after it stay, and nothing moves into that period.
    #[arg(long, value_name = "DATE", value_parser = parse_day)]
    today: Option<chrono::NaiveDate>,
    /// Working days of notice a changed date needs (4 weeks: Code of Practice T3.1).
    #[arg(long, default_value_t = 20, value_name = "N")]
    min_notice: u32,
    /// Working days of notice for releases with market_sensitive = true (6 months).
    #[arg(long, default_value_t = 130, value_name = "N")]
    min_notice_sensitive: u32,
    /// Replaced by --today (with --min-notice 0 for the old behaviour).
    #[arg(long, hide = true, value_name = "DATE", value_parser = removed_not_before)]
    not_before: Option<chrono::NaiveDate>,
    #[command(flatten)]
    series: SeriesFlags,
    /// Move at most N releases (the same objective order applies under that budget).
    #[arg(long, value_name = "N")]
    max_moves: Option<u32>,
    /// Safety stop for the optimiser, in seconds; the best plan found is kept.
    #[arg(long, default_value_t = 60.0, value_name = "SECONDS", value_parser = parse_time_limit)]
    time_limit: f64,
    /// What to minimise first: `default` (peak exposure, then clash pairs, moves, shift)
    /// or `risk` (the probability that one failure hits two or more releases, then the default order).
    #[arg(long, value_enum, default_value_t = ObjectiveArg::Default)]
    objective: ObjectiveArg,
    /// The solver of the exact stages and bounds: `auto` (HiGHS when this build has it,
    /// else microlp), `microlp` (embedded, always there) or `highs` (only in builds with
    /// the `highs` feature; proves more).
    #[arg(long, default_value = "auto", value_name = "SOLVER", value_parser = parse_solver)]
    solver: Backend,
    /// Threads for the anytime search rounds (default: every core). The plan is the same
    /// with any number: threads only run a round's fixed searches at once.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=1024))]
    threads: Option<u16>,
}

/// `--solver`: `auto`, `microlp`, or `highs` in builds with the `highs` feature.
fn parse_solver(s: &str) -> Result<Backend, String> {
    match s.trim().to_ascii_lowercase().as_str() {
        #[cfg(feature = "highs")]
        "auto" => Ok(Backend::Highs),
        #[cfg(not(feature = "highs"))]
        "auto" => Ok(Backend::Microlp),
        "microlp" => Ok(Backend::Microlp),
        #[cfg(feature = "highs")]
        "highs" => Ok(Backend::Highs),
        #[cfg(not(feature = "highs"))]
        "highs" => Err(
            "this build has no HiGHS: build with `cargo build --release --features highs` (needs cmake, g++ and libclang-dev), or use --solver microlp".to_string(),
        ),
        _ => Err(format!("expected auto, microlp or highs (got '{s}')")),
    }
}

/// How release series are found and kept (shared by `check` and the planning commands).
#[derive(Args)]
struct SeriesFlags {
    /// Where release series come from: `title` (the `series` column when the file has
    /// one, else inferred from titles) or `none` (no series rules).
    #[arg(long, value_enum, default_value_t = SeriesArg::Title)]
    series: SeriesArg,
    /// Smallest share of its proposed gap two consecutive releases of a series keep
    /// (0 to 1; 0 keeps their order only).
    #[arg(long, default_value_t = 0.5, value_name = "RATIO", value_parser = parse_ratio)]
    min_gap_ratio: f64,
    /// Let weekday-regular series change weekday.
    #[arg(long)]
    any_weekday: bool,
    /// Share of a series' releases (three or more) on one weekday that makes it
    /// weekday-regular: those releases then move by whole weeks only (0.5 to 1; 1
    /// requires every release on that weekday).
    #[arg(long, default_value_t = 0.8, value_name = "SHARE", value_parser = parse_share)]
    weekday_share: f64,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum SeriesArg {
    Title,
    None,
}

impl SeriesFlags {
    fn source(&self) -> SeriesSource {
        match self.series {
            SeriesArg::Title => SeriesSource::Titles,
            SeriesArg::None => SeriesSource::Off,
        }
    }

    fn rules(&self) -> SeriesRules {
        SeriesRules {
            min_gap_ratio: self.min_gap_ratio,
            any_weekday: self.any_weekday,
            weekday_share: self.weekday_share,
        }
    }
}

fn parse_ratio(s: &str) -> Result<f64, String> {
    match s.trim().parse::<f64>() {
        Ok(r) if (0.0..=1.0).contains(&r) => Ok(r),
        _ => Err(format!(
            "expected a number from 0 to 1, e.g. 0.5 (got '{s}')"
        )),
    }
}

fn parse_share(s: &str) -> Result<f64, String> {
    match s.trim().parse::<f64>() {
        Ok(r) if (0.5..=1.0).contains(&r) => Ok(r),
        _ => Err(format!(
            "expected a share from 0.5 to 1, e.g. 0.8 (got '{s}')"
        )),
    }
}

fn removed_not_before(_: &str) -> Result<chrono::NaiveDate, String> {
    Err(
        "--not-before was replaced by --today DATE: releases dated before DATE plus the \
         notice period (--min-notice, default 20 working days) stay, and nothing moves \
         before it; use --today DATE --min-notice 0 for the old behaviour"
            .into(),
    )
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum NoticeArg {
    Public,
    Internal,
}

impl NoticeArg {
    fn audience(self) -> stagger::notice::Audience {
        match self {
            NoticeArg::Public => stagger::notice::Audience::Public,
            NoticeArg::Internal => stagger::notice::Audience::Internal,
        }
    }
}

/// Today's date in the UK (Europe/London): the run's date.
fn today() -> chrono::NaiveDate {
    Utc::now()
        .with_timezone(&chrono_tz::Europe::London)
        .date_naive()
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum ObjectiveArg {
    Default,
    Risk,
}

impl PlanFlags {
    /// `--today`, else the system date in the UK.
    fn today(&self) -> chrono::NaiveDate {
        self.today.unwrap_or_else(today)
    }

    fn settings(&self, progress: bool) -> app::PlanSettings {
        app::PlanSettings {
            rules: WindowRules {
                max_shift: self.max_shift,
                keep_month: self.keep_month,
                notice: Some(NoticeRules {
                    today: self.today(),
                    min_notice: self.min_notice,
                    min_notice_sensitive: self.min_notice_sensitive,
                }),
            },
            series_source: self.series.source(),
            series_rules: self.series.rules(),
            max_moves: self.max_moves,
            time_limit: Duration::try_from_secs_f64(self.time_limit).unwrap_or(Duration::MAX),
            progress,
            objective: match self.objective {
                ObjectiveArg::Default => ObjectiveKind::Default,
                ObjectiveArg::Risk => ObjectiveKind::Risk,
            },
            backend: self.solver,
            threads: self
                .threads
                .and_then(|n| std::num::NonZeroUsize::new(usize::from(n)))
                .unwrap_or_else(|| {
                    std::thread::available_parallelism().unwrap_or(std::num::NonZeroUsize::MIN)
                }),
            ..app::PlanSettings::default()
        }
    }
}

#[derive(Args)]
struct PlanArgs {
    #[command(flatten)]
    inputs: InputArgs,
    #[command(flatten)]
    flags: PlanFlags,
    /// Write the schedule CSV here (default, or `-`: standard output, with the summary on
    /// standard error).
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    /// Also write the plan as an iCalendar file (`-`: standard output).
    #[arg(long, value_name = "FILE")]
    ics: Option<PathBuf>,
    /// Print the summary as one JSON object.
    #[arg(long)]
    json: bool,
    /// Start the CSV with a UTF-8 byte-order mark for spreadsheet programs.
    #[arg(long)]
    excel: bool,
    /// Notice wording in the schedule and the iCalendar file: `public` (no infrastructure
    /// names) or `internal` (names the failure points).
    #[arg(long, value_enum, default_value_t = NoticeArg::Public)]
    notice: NoticeArg,
}

#[derive(Args)]
struct VisualArgs {
    #[command(flatten)]
    inputs: InputArgs,
    #[command(flatten)]
    flags: PlanFlags,
    /// A schedule written by `stagger plan` to show as "after" (default: plan now).
    #[arg(long, value_name = "FILE")]
    schedule: Option<PathBuf>,
    /// Month for the releases-per-day chart, YYYY-MM (default: the month of the worst clash).
    #[arg(long, value_parser = parse_month)]
    month: Option<(i32, u32)>,
}

impl VisualArgs {
    fn options(&self, progress: bool) -> app::VisualOptions {
        app::VisualOptions {
            inputs: self.inputs.paths(),
            schedule: self.schedule.clone(),
            settings: self.flags.settings(progress),
            month: self.month,
        }
    }
}

#[derive(Args)]
struct ChartArgs {
    #[command(flatten)]
    visual: VisualArgs,
    /// Directory to write the charts into.
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    /// Image format.
    #[arg(long, value_enum, default_value_t = FormatArg::Svg)]
    format: FormatArg,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum FormatArg {
    Svg,
    Png,
    Both,
}

#[derive(Args)]
struct RiskArgs {
    #[command(flatten)]
    inputs: InputArgs,
    /// A schedule written by `stagger plan`: show its figures as "after".
    #[arg(long, value_name = "FILE")]
    schedule: Option<PathBuf>,
    /// Minutes a release is delayed when its fallback route (e.g. GOV.UK) is used.
    #[arg(long, default_value_t = 15.0, value_name = "MINUTES", value_parser = parse_fallback_minutes)]
    fallback_minutes: f64,
    /// How many top contributing failure points the text lists.
    #[arg(long, default_value_t = 5)]
    top: usize,
    /// Print one JSON object.
    #[arg(long)]
    json: bool,
    /// Write the figures here (default, or `-`: standard output).
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
}

#[derive(Args)]
struct ReportArgs {
    #[command(flatten)]
    visual: VisualArgs,
    /// Where to write the HTML report; `-` writes to standard output.
    #[arg(long, value_name = "FILE")]
    out: PathBuf,
    /// Notice wording in the report: `internal` (default, names the failure points) or
    /// `public` (as published).
    #[arg(long, value_enum, default_value_t = NoticeArg::Internal)]
    notice: NoticeArg,
}

/// A finite number within `range`, for the option values that are seconds, minutes or
/// exposures (`NaN`, infinities and out-of-range values are usage errors, exit 2).
fn parse_number(s: &str, range: std::ops::RangeInclusive<f64>, what: &str) -> Result<f64, String> {
    let x: f64 = s
        .trim()
        .parse()
        .map_err(|_| format!("expected {what}, e.g. {}", range.end().min(60.0)))?;
    if !x.is_finite() || !range.contains(&x) {
        return Err(format!(
            "expected {what} from {} to {}",
            range.start(),
            range.end()
        ));
    }
    Ok(x)
}

fn parse_time_limit(s: &str) -> Result<f64, String> {
    let max = stagger::limits::MAX_TIME_LIMIT_SECONDS;
    match parse_number(s, 0.0..=max, "a number of seconds") {
        Ok(x) if x > 0.0 => Ok(x),
        _ => Err(format!(
            "expected a positive number of seconds up to {max}, e.g. 10"
        )),
    }
}

fn parse_fallback_minutes(s: &str) -> Result<f64, String> {
    parse_number(
        s,
        0.0..=stagger::limits::MAX_FALLBACK_MINUTES,
        "a number of minutes",
    )
}

fn parse_max_peak(s: &str) -> Result<f64, String> {
    parse_number(s, 0.0..=stagger::limits::MAX_WEIGHT_SUM, "an exposure")
}

fn parse_day(s: &str) -> Result<chrono::NaiveDate, String> {
    stagger::io::fields::parse_supported_date(s)
}

fn parse_month(s: &str) -> Result<(i32, u32), String> {
    let err = || format!("expected a month as YYYY-MM, e.g. 2027-08 (got '{s}')");
    let (y, m) = s.trim().split_once('-').ok_or_else(err)?;
    let y: i32 = y.parse().map_err(|_| err())?;
    let m: u32 = m.parse().map_err(|_| err())?;
    if y.to_string().len() != 4 || !(1..=12).contains(&m) {
        return Err(err());
    }
    if !(stagger::calendar::FIRST_SUPPORTED_YEAR..=stagger::calendar::LAST_SUPPORTED_YEAR)
        .contains(&y)
    {
        return Err(format!(
            "{s} is outside the supported years {} to {}",
            stagger::calendar::FIRST_SUPPORTED_YEAR,
            stagger::calendar::LAST_SUPPORTED_YEAR
        ));
    }
    Ok((y, m))
}

#[derive(Args)]
struct InputArgs {
    /// Releases CSV (id, date, depends_on, ...; see docs/formats.md); `-` reads standard input.
    #[arg(long, value_name = "FILE")]
    releases: PathBuf,
    /// Infrastructure CSV (id, name, kind, depends_on).
    #[arg(long, value_name = "FILE")]
    infrastructure: PathBuf,
    /// Nation for releases without a region column value: england-and-wales, scotland or
    /// northern-ireland (or ni, wales, england, scot).
    #[arg(long, default_value = "england-and-wales", value_parser = parse_region)]
    region: Region,
    /// Extra non-release days: CSV date,name[,region].
    #[arg(long, value_name = "FILE")]
    closures: Option<PathBuf>,
    /// Extra bank holidays (e.g. newly proclaimed), merged into the built-in table:
    /// CSV date,name,region (empty region: every nation).
    #[arg(long, value_name = "FILE")]
    holidays: Option<PathBuf>,
    #[command(flatten)]
    depends: DependsArgs,
}

impl InputArgs {
    fn paths(&self) -> app::InputPaths {
        app::InputPaths {
            releases: self.releases.clone(),
            infrastructure: self.infrastructure.clone(),
            closures: self.closures.clone(),
            holidays: self.holidays.clone(),
            region: self.region,
            default_depends_on: self.depends.default_ids(),
            depends_on_rule: self.depends.depends_on_rule.clone(),
        }
    }

    /// The files read, which no output may overwrite.
    fn files(&self) -> Vec<PathBuf> {
        let mut v = vec![self.releases.clone(), self.infrastructure.clone()];
        v.extend(self.closures.clone());
        v.extend(self.holidays.clone());
        v.extend(self.depends.depends_on_rule.clone());
        v
    }
}

#[derive(Args)]
struct CheckArgs {
    #[command(flatten)]
    inputs: InputArgs,
    /// Print one JSON object instead of text.
    #[arg(long)]
    json: bool,
    /// How many of the worst clashes to list in the text output.
    #[arg(long, default_value_t = 10)]
    top: usize,
    /// Exit with code 1 if there is any rule finding.
    #[arg(long)]
    deny_findings: bool,
    /// Exit with code 1 if the peak exposure is above this value.
    #[arg(long, value_name = "N", value_parser = parse_max_peak)]
    max_peak: Option<f64>,
    #[command(flatten)]
    series: SeriesFlags,
    /// Write the audit here (default, or `-`: standard output).
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
}

#[derive(Args)]
struct HolidayArgs {
    /// england-and-wales, scotland or northern-ireland (or ni, wales, england, scot).
    #[arg(long, value_parser = parse_region)]
    region: Region,
    /// First year (1978–2199).
    #[arg(long, value_parser = clap::value_parser!(i32).range(1978..=2199))]
    from: i32,
    /// Last year (default: the first; 1978–2199).
    #[arg(long, value_parser = clap::value_parser!(i32).range(1978..=2199))]
    to: Option<i32>,
    /// Extra bank holidays to merge in: CSV date,name,region (empty region: every nation).
    #[arg(long, value_name = "FILE")]
    holidays: Option<PathBuf>,
    /// Write the CSV here (default, or `-`: standard output).
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
}

fn parse_region(s: &str) -> Result<Region, String> {
    s.parse::<Region>().map_err(|e| e.to_string())
}

/// Writes a command's output to `--out` (atomically, never over an input; `-` is
/// standard output), or to standard output without `--out`.
fn emit(out: Option<&Path>, bytes: &[u8], inputs: &[PathBuf]) -> Result<(), stagger::Error> {
    match out {
        Some(path) => OutputGuard::new(inputs).write(path, bytes)?,
        None => stagger::io::stdio::write_stdout(bytes)?,
    }
    Ok(())
}

fn run(cli: Cli) -> Result<ExitCode, stagger::Error> {
    let quiet = cli.quiet;
    let note = |s: &str| {
        if !quiet {
            stagger::io::write_stderr(s);
        }
    };
    match cli.command {
        Command::Check(a) => {
            let r = app::check(&app::CheckOptions {
                inputs: a.inputs.paths(),
                json: a.json,
                top: a.top,
                deny_findings: a.deny_findings,
                max_peak: a.max_peak,
                series_source: a.series.source(),
                series_rules: a.series.rules(),
            })?;
            note(&r.stderr);
            emit(a.out.as_deref(), r.stdout.as_bytes(), &a.inputs.files())?;
            Ok(r.exit)
        }
        Command::Plan(a) => {
            let r = app::plan(&app::PlanOptions {
                inputs: a.inputs.paths(),
                settings: app::PlanSettings {
                    notice: a.notice.audience(),
                    ..a.flags.settings(!quiet)
                },
                out: a.out,
                ics: a.ics,
                json: a.json,
                excel: a.excel,
                today: a.flags.today(),
            })?;
            note(&r.stderr);
            stagger::io::stdio::write_stdout(&r.stdout)?;
            Ok(r.exit)
        }
        Command::Chart(a) => {
            let formats = match a.format {
                FormatArg::Svg => app::ImageFormats::Svg,
                FormatArg::Png => app::ImageFormats::Png,
                FormatArg::Both => app::ImageFormats::Both,
            };
            let msg = app::chart(&a.visual.options(!quiet), &a.out, formats)?;
            note(&msg);
            Ok(ExitCode::Success)
        }
        Command::Report(a) => {
            let mut options = a.visual.options(!quiet);
            options.settings.notice = a.notice.audience();
            let msg = app::report(&options, &a.out)?;
            note(&msg);
            Ok(ExitCode::Success)
        }
        Command::Generate(a) => {
            let msg = app::generate(
                &stagger::generate::GenerateOptions {
                    releases: a.releases as usize,
                    seed: a.seed,
                    year: a.year,
                    max_window: a.max_window,
                    infrastructure_for: a.infrastructure_for.map(|n| n as usize),
                },
                &a.out,
            )?;
            note(&msg);
            Ok(ExitCode::Success)
        }
        Command::Risk(a) => {
            let r = app::risk(&app::RiskCommandOptions {
                inputs: a.inputs.paths(),
                schedule: a.schedule.clone(),
                json: a.json,
                fallback_minutes: a.fallback_minutes,
                top: a.top,
            })?;
            note(&r.stderr);
            let mut inputs = a.inputs.files();
            inputs.extend(a.schedule);
            emit(a.out.as_deref(), r.stdout.as_bytes(), &inputs)?;
            Ok(ExitCode::Success)
        }
        Command::Export(a) => {
            let msg = app::export(&app::ExportOptions {
                schedule: a.releases,
                infrastructure: a.infrastructure,
                region: a.region,
                ics: a.out,
                stamp: a.stamp,
                calendar_name: a.name,
                default_depends_on: a.depends.default_ids(),
                depends_on_rule: a.depends.depends_on_rule.clone(),
                today: a.today.unwrap_or_else(today),
                notice: a.notice.audience(),
            })?;
            note(&msg);
            Ok(ExitCode::Success)
        }
        Command::Import(a) => {
            let r = app::import(&app::ImportOptions {
                source: match a.from {
                    SourceArg::Ons => Source::Ons,
                    SourceArg::Govuk => Source::Govuk,
                    SourceArg::Ics => Source::Ics,
                },
                files: a.files,
                out: a.out,
                range: DateRange {
                    since: a.since,
                    until: a.until,
                },
                depends_on_rule: a.depends.depends_on_rule.clone(),
                default_depends_on: a.depends.default_ids(),
                infrastructure: a.infrastructure,
                excel: a.excel,
            })?;
            note(&r.stderr);
            stagger::io::stdio::write_stdout(&r.stdout)?;
            Ok(ExitCode::Success)
        }
        Command::Model(a) => {
            let loaded = app::load(&a.inputs.paths())?;
            let json = app::model_json(&loaded, &a.flags.settings(false))?;
            emit(a.out.as_deref(), json.as_bytes(), &a.inputs.files())?;
            Ok(ExitCode::Success)
        }
        Command::Holidays(a) => {
            let r = app::holidays(
                a.region,
                a.from,
                a.to.unwrap_or(a.from),
                a.holidays.as_deref(),
            )?;
            note(&r.stderr);
            emit(
                a.out.as_deref(),
                r.stdout.as_bytes(),
                &a.holidays.iter().cloned().collect::<Vec<_>>(),
            )?;
            Ok(ExitCode::Success)
        }
        Command::Completions(a) => {
            let mut script = Vec::new();
            clap_complete::generate(a.shell, &mut Cli::command(), "stagger", &mut script);
            emit(a.out.as_deref(), &script, &[])?;
            Ok(ExitCode::Success)
        }
    }
}

fn main() -> ProcessExit {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return ProcessExit::from(if e.use_stderr() {
                ExitCode::Usage.code() as u8
            } else {
                0
            });
        }
    };
    if let Command::Holidays(a) = &cli.command {
        if a.to.is_some_and(|to| to < a.from) {
            let mut cli = Cli::command().bin_name("stagger");
            cli.build();
            let e = match cli.find_subcommand_mut("holidays") {
                Some(sub) => sub,
                None => &mut cli,
            }
            .error(
                clap::error::ErrorKind::ValueValidation,
                "--to must not be before --from",
            );
            let _ = e.print();
            return ProcessExit::from(ExitCode::Usage.code() as u8);
        }
    }
    match run(cli) {
        Ok(code) => ProcessExit::from(code.code() as u8),
        Err(e) => {
            stagger::io::write_stderr(&format!("error: {e}\n"));
            ProcessExit::from(e.exit_code().code() as u8)
        }
    }
}
