//! One function per command of the `stagger` binary. Each takes plain options,
//! does the work through the library, and returns what to print; the binary only
//! parses flags and prints.

mod check;
mod cpu;
mod export;
#[cfg(test)]
mod fuzz_props;
mod generate;
mod holidays;
mod import;
mod load;
mod plan;
#[cfg(test)]
mod plan_props;
mod risk;
mod visuals;

pub use check::{check, check_json, CheckOptions, CheckOutput};
pub use export::{calendar_stamp, export, ics_events, ExportOptions};
pub use generate::generate;
pub use holidays::{holidays, HolidaysOutput};
pub use import::{import, no_depends_hint, ImportOptions, ImportOutput};
pub use load::{fill_depends_on, load, unknown_default_ids, warnings_text, InputPaths, Loaded};
pub use plan::{
    build_instance, build_instance_until, plan, plan_loaded, plan_loaded_until, schedule_rows,
    summary_json, summary_text, BuiltInstance, PlanOptions, PlanOutput, PlanResult, PlanSettings,
};
pub use risk::{
    figures_for, figures_json, risk, risk_json, risk_text, scheduled_dates, RiskCommandOptions,
    RiskOutput, RiskReport,
};
pub use visuals::{
    chart, charts, report, story, tradeoff_curve, ChartDyn, ImageFormats, Story, VisualOptions,
};
