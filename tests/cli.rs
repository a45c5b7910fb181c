//! Integration tests: drive the real `stagger` binary.
//!
//! One test binary (as in ripgrep); a fluent builder (as in just) writes input
//! files into a temporary directory, runs a command and checks exit code and output.

use std::path::{Path, PathBuf};

use assert_cmd::Command;

/// Infrastructure used by most tests.
const INFRA: &str = "id,name,kind,depends_on\n\
bso-web,BSO website,website,bso-cms\n\
bso-cms,BSO content management system,cms,bso-db\n\
bso-db,BSO website database server,database,\n\
govuk,GOV.UK,website,\n\
team-a,Hospital statistics team,team,\n";

struct Test {
    dir: tempfile::TempDir,
    args: Vec<String>,
    status: i32,
    stdout_has: Vec<String>,
    stderr_has: Vec<String>,
    stdin: Option<Vec<u8>>,
}

/// The date every planning test runs on (`--today`).
const TODAY: &str = "2026-11-30";
const TODAY_FLAG: &str = "--today";

impl Test {
    fn new() -> Self {
        Test {
            dir: tempfile::tempdir().expect("temp dir"),
            args: Vec::new(),
            status: 0,
            stdout_has: Vec::new(),
            stderr_has: Vec::new(),
            stdin: None,
        }
    }

    /// Bytes fed to the command's standard input.
    fn stdin(mut self, content: impl AsRef<[u8]>) -> Self {
        self.stdin = Some(content.as_ref().to_vec());
        self
    }

    fn file(self, name: &str, content: impl AsRef<[u8]>) -> Self {
        let p = self.dir.path().join(name);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).expect("mkdir");
        }
        std::fs::write(p, content).expect("write input");
        self
    }

    fn releases(self, content: &str) -> Self {
        self.file("releases.csv", content)
    }

    fn infra(self, content: &str) -> Self {
        self.file("infrastructure.csv", content)
    }

    fn args(mut self, args: &[&str]) -> Self {
        self.args.extend(args.iter().map(|s| s.to_string()));
        self
    }

    /// `plan` of releases.csv and infrastructure.csv in the test directory, writing the
    /// schedule to `out`.
    fn plan_to(self, out: &str) -> Self {
        self.args(&[
            "plan",
            "--releases",
            "releases.csv",
            "--infrastructure",
            "infrastructure.csv",
            "--out",
            out,
        ])
    }

    /// `check` on releases.csv and infrastructure.csv in the test directory.
    fn check(self) -> Self {
        self.args(&[
            "check",
            "--releases",
            "releases.csv",
            "--infrastructure",
            "infrastructure.csv",
        ])
    }

    fn status(mut self, code: i32) -> Self {
        self.status = code;
        self
    }

    fn stdout_has(mut self, s: &str) -> Self {
        self.stdout_has.push(s.to_string());
        self
    }

    fn stderr_has(mut self, s: &str) -> Self {
        self.stderr_has.push(s.to_string());
        self
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Runs the command. Planning commands and `export` get `--today 2026-11-30`
    /// unless the test sets its own: tests pin the date, never the clock.
    fn run(self) -> Output {
        let mut cmd = Command::cargo_bin("stagger").expect("binary");
        cmd.current_dir(self.dir.path()).args(&self.args);
        let plans = matches!(
            self.args.first().map(String::as_str),
            Some("plan" | "chart" | "report" | "model" | "export")
        );
        if plans && !self.args.iter().any(|a| a == "--today" || a == "--help") {
            cmd.args([TODAY_FLAG, TODAY]);
        }
        if let Some(input) = &self.stdin {
            cmd.write_stdin(input.clone());
        }
        let out = cmd.output().expect("run stagger");
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        let code = out.status.code().unwrap_or(-1);
        assert_eq!(
            code, self.status,
            "exit code of {:?}\n--- stdout\n{stdout}\n--- stderr\n{stderr}",
            self.args
        );
        assert!(!stderr.contains("panicked"), "panic: {stderr}");
        for s in &self.stdout_has {
            assert!(
                stdout.contains(s.as_str()),
                "stdout lacks {s:?}:\n{stdout}\n--- stderr\n{stderr}"
            );
        }
        for s in &self.stderr_has {
            assert!(stderr.contains(s.as_str()), "stderr lacks {s:?}:\n{stderr}");
        }
        Output {
            stdout,
            stderr,
            dir: self.dir,
        }
    }
}

struct Output {
    stdout: String,
    #[allow(dead_code)]
    stderr: String,
    dir: tempfile::TempDir,
}

impl Output {
    fn read(&self, name: &str) -> String {
        std::fs::read_to_string(self.dir.path().join(name)).expect("output file")
    }
}

fn repo(p: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(p)
        .display()
        .to_string()
}

// ---------------------------------------------------------------- check

#[test]
fn check_reports_the_clash_and_rule_findings() {
    Test::new()
        .infra(INFRA)
        .releases(
            "id,title,date,time,status,depends_on\n\
             a,Hospital waiting times,2027-08-05,,,bso-web;team-a\n\
             b,Emergency care,2027-08-05,07:00,confirmed,bso-web\n\
             c,Mental health,05/08/2027,,,bso-web\n\
             d,Social care,2027-08-07,,,bso-cms\n",
        )
        .check()
        .stdout_has("Peak exposure: 3")
        .stdout_has("Clash pairs:   9")
        .stdout_has("Thursday 5 August 2027")
        .stdout_has(
            "a failure of BSO website (bso-web, website) or of what it relies on (cms, database)",
        )
        .stdout_has("[non-standard-time] b is released at 07:00")
        .stdout_has("[weekend] d is on Saturday 7 August 2027")
        .run();
}

#[test]
fn check_json_has_the_documented_fields() {
    let out = Test::new()
        .infra(INFRA)
        .releases("id,date,depends_on,weight\na,2027-08-05,bso-web,3\nb,2027-08-05,bso-cms,1\nc,2027-08-06,govuk,\n")
        .check()
        .args(&["--json"])
        .run();
    let v: serde_json::Value = serde_json::from_str(&out.stdout).expect("json");
    assert_eq!(v["peak_exposure"], 4);
    assert_eq!(v["clash_pairs"], 2);
    let clashes = v["clashes"].as_array().unwrap();
    assert_eq!(clashes.len(), 2);
    assert_eq!(clashes[0]["exposure"], 4);
    assert_eq!(clashes[0]["date"], "2027-08-05");
    assert_eq!(clashes[0]["releases"], serde_json::json!(["a", "b"]));
    let comps = v["components"].as_array().unwrap();
    let govuk = comps.iter().find(|c| c["id"] == "govuk").unwrap();
    assert_eq!(govuk["worst_exposure"], 1);
    assert_eq!(govuk["worst_date"], "2027-08-06");
    assert!(v["violations"].as_array().unwrap().is_empty());
}

#[test]
fn check_finds_bank_holidays_closures_windows() {
    Test::new()
        .infra(INFRA)
        .file(
            "closures.csv",
            "date,name,region\n2027-08-10,Office move,northern-ireland\n",
        )
        .releases(
            "id,date,status,earliest,latest,depends_on,region\n\
             boyne,2027-07-12,,,,govuk,northern-ireland\n\
             moving,2027-08-10,,,,govuk,northern-ireland\n\
             conf,2027-08-11,confirmed,2027-08-09,2027-08-13,govuk,northern-ireland\n\
             outside,2027-08-20,,2027-08-09,2027-08-13,govuk,northern-ireland\n",
        )
        .check()
        .args(&["--closures", "closures.csv", "--deny-findings"])
        .status(1)
        .stdout_has(
            "[bank-holiday] boyne is on Monday 12 July 2027, a bank holiday in Northern Ireland",
        )
        .stdout_has("[closure] moving is on Tuesday 10 August 2027, a closure day (Office move)")
        .stdout_has("[confirmed-with-window] conf")
        .stdout_has("[outside-window] outside")
        .run();
}

fn example_args(command: &str) -> Vec<String> {
    vec![
        command.to_string(),
        "--releases".into(),
        repo("data/example/releases.csv"),
        "--infrastructure".into(),
        repo("data/example/infrastructure.csv"),
        "--closures".into(),
        repo("data/example/closures.csv"),
        "--region".into(),
        "northern-ireland".into(),
    ]
}

#[test]
fn check_on_the_bundled_example_finds_the_five_august_clash() {
    let args = example_args("check");
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = Test::new().args(&args).args(&["--json"]).run();
    let v: serde_json::Value = serde_json::from_str(&out.stdout).expect("json");
    let clash = v["clashes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["component"] == "bso-website" && c["date"] == "2027-08-05")
        .expect("the 5 August clash on the BSO website");
    assert_eq!(clash["releases"].as_array().unwrap().len(), 4);
    let rules: Vec<&str> = v["violations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["rule"].as_str().unwrap())
        .collect();
    assert!(rules.contains(&"bank-holiday"), "{rules:?}");
    assert!(rules.contains(&"closure"), "{rules:?}");
    Test::new()
        .args(&args)
        .stdout_has("Peak exposure: 5")
        .stdout_has("BSO website (family practitioner services statistics) (bso-website, website)")
        .run();
}

#[test]
fn holidays_prints_csv() {
    Test::new()
        .args(&["holidays", "--region", "northern-ireland", "--from", "2027"])
        .stdout_has("date,name,source\n2027-01-01,New Year's Day,rule\n")
        .stdout_has("2027-07-12,Battle of the Boyne (Orangemen's Day),rule")
        .run();
    // Region aliases are accepted; a misspelt region gets a suggestion.
    Test::new()
        .args(&["holidays", "--region", "wales", "--from", "2027"])
        .stdout_has("2027-08-30,Summer bank holiday")
        .run();
    Test::new()
        .args(&["holidays", "--region", "nothern-ireland", "--from", "2027"])
        .status(2)
        .stderr_has("unknown region 'nothern-ireland'")
        .stderr_has("did you mean 'northern-ireland'?")
        .run();
    Test::new()
        .args(&[
            "holidays", "--region", "scotland", "--from", "2030", "--to", "2020",
        ])
        .status(2)
        .run();
}

// ---------------------------------------------------------------- holidays file

/// `a` (confirmed) and `b` (provisional) on Wednesday 15 September 2027 in Scotland,
/// on one failure point; `b` may only move to Thursday 16.
const TWO_ON_WEDNESDAY: &str = "id,date,status,earliest,latest,depends_on,region\n\
a,2027-09-15,confirmed,,,govuk,scotland\n\
b,2027-09-15,,2027-09-15,2027-09-16,govuk,scotland\n";

/// Plans TWO_ON_WEDNESDAY (with `holidays.csv` when given) and returns the
/// planned date of `b` and the run's output.
fn plan_b(holidays: Option<&str>) -> (String, Output) {
    let mut t = Test::new().infra(INFRA).releases(TWO_ON_WEDNESDAY).args(&[
        "plan",
        "--releases",
        "releases.csv",
        "--infrastructure",
        "infrastructure.csv",
        "--out",
        "schedule.csv",
    ]);
    if let Some(h) = holidays {
        t = t
            .file("holidays.csv", h)
            .args(&["--holidays", "holidays.csv"]);
    }
    let out = t.run();
    let schedule = out.read("schedule.csv");
    let mut lines = schedule.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    // A schedule's `date` column holds the planned date.
    let col = header.iter().position(|h| *h == "date").unwrap();
    let b = lines
        .find(|l| l.starts_with("b,"))
        .expect("b in the schedule");
    (b.split(',').nth(col).unwrap().to_string(), out)
}

#[test]
fn a_day_added_by_holidays_file_stops_a_release_being_planned_onto_it() {
    // Without the file, b moves off the clash to Thursday 16.
    assert_eq!(plan_b(None).0, "2027-09-16");
    // The file makes Thursday 16 a bank holiday in Scotland: b cannot go there.
    // Its weekend row is a warning on stderr, not an error.
    let (b, out) = plan_b(Some(
        "date,name,region\n2027-09-16,Extra day,scotland\n2027-09-18,Saturday row,\n",
    ));
    assert_eq!(b, "2027-09-15");
    assert!(
        out.stderr.contains(
            "warning: holidays.csv:3: column 'date': '2027-09-18': 18 September 2027 is a \
             Saturday: releases never go out at weekends, so this row changes nothing"
        ),
        "{}",
        out.stderr
    );
    // A day for another nation does not bind Scottish releases.
    let (b, out) = plan_b(Some(
        "date,name,region\n2027-09-16,Extra day,northern-ireland\n",
    ));
    assert_eq!(b, "2027-09-16");
    assert!(!out.stderr.contains("warning"), "{}", out.stderr);
    // Every nation (empty region) binds them too.
    assert_eq!(
        plan_b(Some("date,name,region\n2027-09-16,Extra day,\n")).0,
        "2027-09-15"
    );
}

#[test]
fn a_cancelled_row_turns_a_built_in_bank_holiday_back_into_a_working_day() {
    // As if the World Cup day had been moved by a new proclamation to Tuesday 16.
    let file = "date,name,region,status\n\
                2026-06-15,World Cup bank holiday,scotland,cancelled\n\
                2026-06-16,World Cup bank holiday (moved),scotland,\n";
    let out = Test::new()
        .infra(INFRA)
        .releases(
            "id,date,depends_on,region\n\
             cup,2026-06-15,govuk,scotland\n\
             moved,2026-06-16,govuk,scotland\n",
        )
        .file("holidays.csv", file)
        .check()
        .args(&["--holidays", "holidays.csv"])
        .stdout_has(
            "[bank-holiday] moved is on Tuesday 16 June 2026, a bank holiday in Scotland \
             (World Cup bank holiday (moved))",
        )
        .run();
    assert!(!out.stdout.contains("[bank-holiday] cup"), "{}", out.stdout);
    assert!(!out.stderr.contains("warning"), "{}", out.stderr);
    let out = Test::new()
        .file("holidays.csv", file)
        .args(&[
            "holidays",
            "--region",
            "scotland",
            "--from",
            "2026",
            "--holidays",
            "holidays.csv",
        ])
        .stdout_has("2026-06-16,World Cup bank holiday (moved),file\n")
        .run();
    assert!(!out.stdout.contains("2026-06-15"), "{}", out.stdout);
    // Cancelling a day that is no bank holiday is a warning naming the row.
    Test::new()
        .file(
            "holidays.csv",
            "date,region,status\n2026-06-17,scotland,cancelled\n",
        )
        .args(&[
            "holidays",
            "--region",
            "scotland",
            "--from",
            "2026",
            "--holidays",
            "holidays.csv",
        ])
        .stderr_has(
            "warning: holidays.csv:2: column 'date': '2026-06-17': 17 June 2026 is not a \
             built-in bank holiday of Scotland, so cancelling it changes nothing",
        )
        .run();
}

#[test]
fn check_reports_releases_on_file_and_world_cup_holidays_and_warns_on_weekends() {
    let out = Test::new()
        .infra(INFRA)
        .releases(
            "id,date,depends_on,region\n\
             extra,2027-09-16,govuk,scotland\n\
             cup,2026-06-15,govuk,scotland\n\
             england,2026-06-15,govuk,england-and-wales\n",
        )
        .file(
            "holidays.csv",
            "date,name,region\n2027-09-16,Extra day,scotland\n2027-09-19,Sunday row,\n",
        )
        .check()
        .args(&["--holidays", "holidays.csv"])
        .stdout_has(
            "[bank-holiday] extra is on Thursday 16 September 2027, a bank holiday in Scotland (Extra day)",
        )
        .stdout_has(
            "[bank-holiday] cup is on Monday 15 June 2026, a bank holiday in Scotland (World Cup bank holiday)",
        )
        .stderr_has("warning: holidays.csv:3: column 'date': '2027-09-19': 19 September 2027 is a Sunday")
        .run();
    assert!(
        !out.stdout.contains("[bank-holiday] england"),
        "{}",
        out.stdout
    );
}

#[test]
fn holidays_file_errors_are_located_and_the_file_is_never_overwritten() {
    Test::new()
        .infra(INFRA)
        .releases("id,date,depends_on\na,2027-01-05,govuk\n")
        .file(
            "holidays.csv",
            "date,name,region\n2027-02-30,Bad,\n2027-03-01,Bad region,kent\n2250-01-01,Late,\n",
        )
        .check()
        .args(&["--holidays", "holidays.csv"])
        .status(3)
        .stderr_has("holidays.csv: 3 problems")
        .stderr_has("holidays.csv:2: column 'date': '2027-02-30': no such date")
        .stderr_has("holidays.csv:3: column 'region': 'kent': unknown region")
        .stderr_has("holidays.csv:4: column 'date': '2250-01-01': outside the supported dates 1978-01-01 to 2199-12-31")
        .run();
    let content = "date,name,region\n2027-09-16,Extra day,\n";
    let out = Test::new()
        .infra(INFRA)
        .releases("id,date,depends_on\na,2027-01-05,govuk\n")
        .file("holidays.csv", content)
        .args(&[
            "plan",
            "--releases",
            "releases.csv",
            "--infrastructure",
            "infrastructure.csv",
            "--holidays",
            "holidays.csv",
            "--out",
            "holidays.csv",
        ])
        .status(5)
        .stderr_has("refusing to write holidays.csv: it is an input file")
        .run();
    assert_eq!(out.read("holidays.csv"), content);
    Test::new()
        .args(&[
            "holidays",
            "--region",
            "scotland",
            "--from",
            "2027",
            "--holidays",
            "missing.csv",
        ])
        .status(5)
        .stderr_has("missing.csv")
        .run();
}

#[test]
fn holidays_shows_where_each_day_came_from() {
    let out = Test::new()
        .file(
            "holidays.csv",
            "date,name,region\n\
             2026-09-14,Extra day,scotland\n\
             2026-06-15,Duplicate of the built-in day,\n\
             2026-10-12,Ulster day,northern-ireland\n\
             2026-10-10,Saturday row,\n",
        )
        .args(&[
            "holidays", "--region", "scotland", "--from", "2026", "--holidays", "holidays.csv",
        ])
        .stdout_has("date,name,source\n2026-01-01,New Year's Day,rule\n2026-01-02,2nd January,rule\n")
        .stdout_has("\n2026-05-25,Spring bank holiday,rule\n2026-06-15,World Cup bank holiday,one-off\n2026-08-03,Summer bank holiday,rule\n2026-09-14,Extra day,file\n2026-11-30,St Andrew's Day,rule\n")
        .stderr_has("warning: holidays.csv:5: column 'date': '2026-10-10': 10 October 2026 is a Saturday")
        .run();
    assert!(!out.stdout.contains("Ulster"), "{}", out.stdout);
    assert!(!out.stdout.contains("Duplicate"), "{}", out.stdout);
    assert!(!out.stdout.contains("Saturday row"), "{}", out.stdout);
    // Scotland's 2026 World Cup day is built in, and Scottish only.
    Test::new()
        .args(&["holidays", "--region", "scotland", "--from", "2026"])
        .stdout_has("2026-06-15,World Cup bank holiday,one-off\n")
        .run();
    let ew = Test::new()
        .args(&[
            "holidays",
            "--region",
            "england-and-wales",
            "--from",
            "2026",
        ])
        .run();
    assert!(!ew.stdout.contains("2026-06-15"), "{}", ew.stdout);
}

// ---------------------------------------------------------------- bad input

fn bad_releases(content: &[u8], expect: &[&str]) {
    let mut t = Test::new()
        .infra(INFRA)
        .file("releases.csv", content)
        .check()
        .status(3);
    for e in expect {
        t = t.stderr_has(e);
    }
    t.run();
}

#[test]
fn missing_required_column() {
    bad_releases(
        b"id,title\na,x\n",
        &["releases.csv:1", "missing required column 'date'", "help:"],
    );
}

#[test]
fn impossible_date() {
    bad_releases(
        b"id,date,depends_on\na,2027-02-30,govuk\n",
        &["releases.csv:2: column 'date': '2027-02-30': no such date: February 2027 has 28 days"],
    );
}

#[test]
fn malformed_date() {
    bad_releases(
        b"id,date\na,30th June\n",
        &["releases.csv:2: column 'date': '30th June'", "YYYY-MM-DD"],
    );
}

#[test]
fn duplicate_id() {
    bad_releases(
        b"id,date\na,2027-01-05\nb,2027-01-06\na,2027-01-07\n",
        &["releases.csv:4: column 'id': 'a': duplicate id: already used on line 2"],
    );
}

#[test]
fn unknown_dependency_suggests_nearest() {
    bad_releases(
        b"id,date,depends_on\na,2027-01-05,bso-wbe\n",
        &[
            "releases.csv:2: column 'depends_on': 'bso-wbe': unknown infrastructure id",
            "did you mean 'bso-web'?",
        ],
    );
}

#[test]
fn dependency_cycle_is_printed() {
    Test::new()
        .infra("id,depends_on\nweb,cms\ncms,db\ndb,web\n")
        .releases("id,date\na,2027-01-05\n")
        .check()
        .status(3)
        .stderr_has("infrastructure.csv:2: column 'depends_on': the dependencies form a cycle: web → cms → db → web")
        .stderr_has("web (line 2), cms (line 3), db (line 4)")
        .run();
}

#[test]
fn bad_weights() {
    bad_releases(
        b"id,date,weight\na,2027-01-05,0\nb,2027-01-05,-2\nc,2027-01-05,heavy\n",
        &[
            "3 problems",
            "releases.csv:2: column 'weight': '0'",
            "releases.csv:3: column 'weight': '-2'",
            "releases.csv:4: column 'weight': 'heavy'",
        ],
    );
}

#[test]
fn unknown_status_and_region() {
    bad_releases(
        b"id,date,status,region\na,2027-01-05,tentative,\nb,2027-01-05,,ulster\n",
        &[
            "column 'status': 'tentative': unknown status",
            "column 'region': 'ulster': unknown region",
        ],
    );
}

#[test]
fn earliest_after_latest() {
    bad_releases(
        b"id,date,earliest,latest\na,2027-01-05,2027-01-10,2027-01-01\n",
        &[
            "releases.csv:2: column 'earliest'",
            "earliest (2027-01-10) is after latest (2027-01-01)",
        ],
    );
}

#[test]
fn unterminated_quote() {
    bad_releases(
        b"id,title,date\na,\"Fine\",2027-01-05\nb,\"Broken,2027-01-06\nc,x,2027-01-07\n",
        &["releases.csv:3: a quoted field is never closed"],
    );
}

#[test]
fn empty_file() {
    bad_releases(b"", &["releases.csv: the file is empty"]);
}

#[test]
fn invalid_utf8() {
    bad_releases(
        b"id,title,date\na,Caf\xe9 statistics,2027-01-05\n",
        &["releases.csv:2: the file is not valid UTF-8", "CSV UTF-8"],
    );
}

#[test]
fn missing_file_is_an_io_error() {
    Test::new()
        .infra(INFRA)
        .check()
        .status(5)
        .stderr_has("releases.csv: cannot read the file: no such file")
        .run();
}

#[test]
fn all_errors_in_a_file_are_reported_together() {
    bad_releases(
        b"id,date,depends_on\na,2027-02-30,govuk\na,2027-01-01,nope\n,2027-01-01,\n",
        &[
            "4 problems",
            "line 2",
            "releases.csv:3: column 'id'",
            "releases.csv:3: column 'depends_on': 'nope'",
            "releases.csv:4: column 'id'",
        ],
    );
}

#[test]
fn bom_and_blank_lines_and_case_insensitive_headers_are_fine() {
    Test::new()
        .infra(INFRA)
        .releases("\u{feff}ID, Date ,Depends_On\n\na,2027-01-05,govuk\n\n")
        .check()
        .stdout_has("1 releases")
        .run();
}

#[test]
fn usage_errors_exit_2() {
    Test::new().args(&["check", "--releases"]).status(2).run();
    Test::new().args(&["frobnicate"]).status(2).run();
}

// ---------------------------------------------------------------- plan

#[test]
fn plan_refuses_to_overwrite_an_input() {
    let t = Test::new()
        .infra(INFRA)
        .releases("id,date,depends_on\na,2027-01-05,govuk\n");
    let before = std::fs::read_to_string(t.path("releases.csv")).unwrap();
    let out = t
        .args(&[
            "plan",
            "--releases",
            "releases.csv",
            "--infrastructure",
            "infrastructure.csv",
            "--out",
            "./releases.csv",
        ])
        .status(5)
        .stderr_has("refusing to write ./releases.csv: it is an input file")
        .run();
    assert_eq!(out.read("releases.csv"), before);
}

// ---------------------------------------------------------------- highs feature

/// Builds and tests the `highs` feature (exact HiGHS MILP backend) with a nested
/// cargo in its own target directory. Needs cmake, libclang and a C++ compiler; on a
/// machine without them it says so and passes, except under CI (`CI=true`), where
/// `.ci/run` installs them and a missing tool is a failure.
#[test]
fn highs_feature_builds_and_passes_its_tests() {
    let have = |cmd: &str| {
        std::process::Command::new(cmd)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    };
    let libclang = std::fs::read_dir("/usr/lib")
        .map(|d| {
            d.flatten().any(|e| {
                let p = e.path().join("lib");
                e.file_name().to_string_lossy().starts_with("llvm-")
                    && std::fs::read_dir(p)
                        .map(|l| l.flatten().any(|f| f.file_name() == "libclang.so"))
                        .unwrap_or(false)
            })
        })
        .unwrap_or(false);
    let ci = std::env::var("CI").is_ok_and(|v| v == "true" || v == "1");
    if !(have("cmake") && have("g++") && libclang) {
        assert!(
            !ci,
            "CI must test the highs feature, but cmake, g++ or libclang is missing"
        );
        eprintln!("skipped: the highs feature needs cmake, g++ and libclang-dev (see README)");
        return;
    }
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = std::process::Command::new(cargo)
        .current_dir(manifest)
        .env("CARGO_TARGET_DIR", manifest.join("target").join("highs"))
        .args(["test", "--features", "highs", "--lib", "--", "optimise"])
        .output()
        .expect("run cargo");
    let text = format!(
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.status.success(),
        "cargo test --features highs failed:\n{text}"
    );
    assert!(text.contains("highs"), "no highs test ran:\n{text}");
}

// ---------------------------------------------------------------- plan on the example

fn example(command: &str) -> Test {
    let args = example_args(command);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    Test::new().args(&args)
}

#[test]
fn plan_on_the_example_removes_the_five_august_clash_and_explains_each_move() {
    let out = example("plan")
        .args(&["--out", "schedule.csv", "--json"])
        .run();
    let summary: serde_json::Value = serde_json::from_str(&out.stdout).expect("json summary");
    for key in [
        "peak_before",
        "peak_after",
        "peak_lower_bound",
        "clash_pairs_before",
        "clash_pairs_after",
        "moved",
        "total_shift",
        "status",
        "seconds",
    ] {
        assert!(!summary[key].is_null(), "summary lacks {key}: {summary}");
    }
    assert!(summary["peak_after"].as_f64() <= summary["peak_before"].as_f64());
    let schedule = out.read("schedule.csv");
    let mut rows = csv::Reader::from_reader(schedule.as_bytes());
    let headers = rows.headers().unwrap().clone();
    let col = |name: &str| {
        headers
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("no column {name}"))
    };
    // Every input column is kept, in order, then the plan's columns.
    assert_eq!(
        &headers.iter().take(3).collect::<Vec<_>>(),
        &["id", "title", "date"]
    );
    assert!(
        headers.iter().any(|h| h == "contact"),
        "unknown input columns are carried through"
    );
    let (sched, moved, reason, depends) =
        (col("date"), col("moved"), col("reason"), col("depends_on"));
    let mut on_bso_5_aug = 0;
    let mut moves = 0;
    for rec in rows.records() {
        let rec = rec.unwrap();
        if &rec[moved] == "true" {
            moves += 1;
            assert!(rec[reason].starts_with("Moved from "), "{:?}", &rec[reason]);
            assert!(rec[reason].ends_with('.'), "{:?}", &rec[reason]);
        } else {
            assert_eq!(&rec[reason], "");
        }
        if &rec[sched] == "2027-08-05" && rec[depends].contains("bso-website") {
            on_bso_5_aug += 1;
        }
    }
    assert!(
        on_bso_5_aug <= 1,
        "{on_bso_5_aug} releases still on the BSO website on 5 August"
    );
    assert_eq!(summary["moved"].as_u64(), Some(moves));
    let notices: Vec<&str> = summary["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["reason"].as_str().unwrap())
        .collect();
    assert!(
        notices
            .iter()
            .any(|n| n.starts_with("Moved from Thursday 5 August to ")
                && n.contains("Thursday 5 August now has one release")),
        "{notices:?}"
    );
    // Public wording by default: no infrastructure names in text meant to be published.
    for n in &notices {
        for name in ["BSO", "database", "server", "DNS", "cache"] {
            assert!(!n.contains(name), "public notice names {name}: {n}");
        }
    }
    let internal = example("plan")
        .args(&["--out", "internal.csv", "--json", "--notice", "internal"])
        .run();
    let v: serde_json::Value = serde_json::from_str(&internal.stdout).unwrap();
    assert!(
        v["changes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["reason"].as_str().unwrap().contains("the BSO website")),
        "{v}"
    );
}

#[test]
fn plan_is_byte_identical_on_a_repeated_run_and_writes_csv_to_stdout() {
    let a = example("plan").run();
    let b = example("plan").run();
    assert!(a.stdout.starts_with("id,title,date,"));
    assert_eq!(a.stdout, b.stdout);
    assert!(
        a.stderr.contains("Peak exposure"),
        "summary goes to stderr: {}",
        a.stderr
    );
}

#[test]
fn a_schedule_is_a_valid_releases_file_and_replanning_it_moves_nothing() {
    let out = example("plan")
        .args(&["--out", "schedule.csv", "--excel"])
        .run();
    let bytes = std::fs::read(out.dir.path().join("schedule.csv")).unwrap();
    assert!(
        bytes.starts_with(b"\xEF\xBB\xBF"),
        "--excel writes a byte-order mark"
    );
    let schedule = out.dir.path().join("schedule.csv").display().to_string();
    let mut args = example_args("plan");
    args[2] = schedule;
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let again = Test::new()
        .args(&args)
        .args(&["--json"])
        .args(&["--out", "again.csv"])
        .run();
    let v: serde_json::Value = serde_json::from_str(&again.stdout).unwrap();
    assert_eq!(v["moved"], 0, "{v}");
    let text = again.read("again.csv");
    let header = text.lines().next().unwrap();
    assert_eq!(
        header.matches("proposed_date").count(),
        1,
        "plan columns are replaced, not duplicated: {header}"
    );
    // Re-planning an optimal schedule changes nothing: same dates, sequences and notices.
    let first = String::from_utf8(bytes[3..].to_vec()).unwrap();
    assert_eq!(text, first);
    // A spreadsheet re-saves times as "09:30:00 AM": still read, still nothing moves.
    let resaved = first.replace(",09:30,", ",09:30:00 AM,");
    assert_ne!(resaved, first);
    let mut args = example_args("plan");
    args[2] = "resaved.csv".into();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let third = Test::new()
        .file("resaved.csv", &resaved)
        .args(&args)
        .args(&["--json", "--out", "third.csv"])
        .run();
    let v: serde_json::Value = serde_json::from_str(&third.stdout).unwrap();
    assert_eq!(v["moved"], 0, "{v}");
    let reread = third.read("third.csv");
    let sequences = |t: &str| -> Vec<String> {
        let mut r = csv::Reader::from_reader(t.as_bytes());
        let c = r
            .headers()
            .unwrap()
            .iter()
            .position(|h| h == "sequence")
            .unwrap();
        r.records().map(|x| x.unwrap()[c].to_string()).collect()
    };
    assert_eq!(sequences(&reread), sequences(&first));
}

#[test]
fn plan_reports_infeasible_releases_by_name() {
    Test::new()
        .infra(INFRA)
        .releases(
            "id,date,status,depends_on\nsat,2027-08-07,confirmed,govuk\nok,2027-08-09,,govuk\n",
        )
        .args(&[
            "plan",
            "--releases",
            "releases.csv",
            "--infrastructure",
            "infrastructure.csv",
        ])
        .status(4)
        .stderr_has("sat (line 2) is confirmed on Saturday 7 August 2027, a weekend day")
        .run();
    Test::new()
        .infra(INFRA)
        .releases("id,date,depends_on\nsun,2027-08-08,govuk\nsat,2027-08-07,govuk\n")
        .args(&[
            "plan",
            "--releases",
            "releases.csv",
            "--infrastructure",
            "infrastructure.csv",
            "--max-moves",
            "1",
        ])
        .status(4)
        .stderr_has("--max-moves 1 is too small: 2 releases must move")
        .run();
}

#[test]
fn plan_honours_the_move_budget() {
    let out = example("plan")
        .args(&["--max-moves", "5", "--json", "--out", "s.csv"])
        .run();
    let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert!(v["moved"].as_u64().unwrap() <= 5, "{v}");
}

#[test]
fn two_day_outages_keep_releases_off_adjacent_working_days() {
    // The web cache's outages last two working days: its three releases must not sit
    // on adjacent working days when their windows leave room.
    let out = Test::new()
        .infra("id,kind,outage_days\ncache,cache,2\nweb,website,1\n")
        .releases(
            "id,date,depends_on\n\
             a,2027-08-04,cache\n\
             b,2027-08-05,cache\n\
             c,2027-08-06,cache\n\
             d,2027-08-05,web\n",
        )
        .args(&[
            "plan",
            "--releases",
            "releases.csv",
            "--infrastructure",
            "infrastructure.csv",
            "--max-shift",
            "4",
        ])
        .run();
    let mut days: Vec<chrono::NaiveDate> = csv::Reader::from_reader(out.stdout.as_bytes())
        .records()
        .map(|r| r.unwrap())
        .filter(|r| r[3].contains("cache"))
        .map(|r| r[1].parse().unwrap())
        .collect();
    days.sort();
    for w in days.windows(2) {
        let gap = (w[1] - w[0]).num_days();
        // Adjacent working days are 1 apart, or 3 apart across a weekend (Fri → Mon).
        let adjacent = gap == 1 || (gap == 3 && w[0].format("%a").to_string() == "Fri");
        assert!(
            !adjacent,
            "cache releases on adjacent working days: {days:?}"
        );
    }
}

// ---------------------------------------------------------------- outputs

#[test]
fn export_writes_an_icalendar_that_round_trips_and_is_deterministic() {
    let out = example("plan")
        .args(&["--out", "schedule.csv", "--ics", "plan.ics"])
        .run();
    let ics = out.read("plan.ics");
    assert!(ics.starts_with("BEGIN:VCALENDAR\r\n"));
    assert!(
        ics.lines().all(|l| l.len() <= 76),
        "folded at 75 octets plus CR"
    );
    assert_eq!(ics.matches("BEGIN:VEVENT").count(), 83);
    assert!(ics.contains("SEQUENCE:1"), "moved releases bump SEQUENCE");
    assert!(ics.contains("STATUS:CANCELLED"));
    // 09:30 local is 08:30Z in British Summer Time and 09:30Z in winter.
    let starts: Vec<&str> = ics
        .lines()
        .filter_map(|l| l.strip_prefix("DTSTART:"))
        .map(str::trim_end)
        .collect();
    let summer: Vec<&str> = starts
        .iter()
        .copied()
        .filter(|s| ("20270401".."20271030").contains(&&s[..8]))
        .collect();
    assert!(summer.iter().any(|s| s.ends_with("T083000Z")));
    assert!(
        !summer.iter().any(|s| s.ends_with("T093000Z")),
        "{summer:?}"
    );
    let january: Vec<&str> = starts
        .iter()
        .copied()
        .filter(|s| s.starts_with("202701"))
        .collect();
    assert!(january.iter().any(|s| s.ends_with("T093000Z")));
    assert!(
        !january.iter().any(|s| s.ends_with("T083000Z")),
        "{january:?}"
    );
    let schedule = out.dir.path().join("schedule.csv").display().to_string();
    let infra = repo("data/example/infrastructure.csv");
    let export = || {
        Test::new()
            .args(&[
                "export",
                "--schedule",
                &schedule,
                "--infrastructure",
                &infra,
                "--region",
                "northern-ireland",
                "--ics",
                "a.ics",
            ])
            .run()
    };
    let (ex, again) = (export(), export());
    assert_eq!(ex.read("a.ics"), again.read("a.ics"));
    assert_eq!(
        ex.read("a.ics"),
        ics,
        "plan --ics and export give the same calendar"
    );
}

#[test]
fn charts_are_written_and_deterministic() {
    let a = example("chart")
        .args(&["--out", "charts", "--format", "both", "--month", "2027-08"])
        .run();
    let b = example("chart")
        .args(&["--out", "charts", "--format", "both", "--month", "2027-08"])
        .run();
    for name in [
        "heatmap.svg",
        "heatmap.png",
        "worst-day.svg",
        "tradeoff.svg",
        "releases-per-day-2027-08.svg",
        "risk.png",
    ] {
        let x = std::fs::read(a.dir.path().join("charts").join(name))
            .unwrap_or_else(|_| panic!("{name}"));
        let y = std::fs::read(b.dir.path().join("charts").join(name)).unwrap();
        assert!(x.len() > 1000, "{name} is suspiciously small");
        assert_eq!(x, y, "{name} differs between runs");
    }
}

#[test]
fn report_has_every_section_and_no_external_requests() {
    // Without the series rules the example's plan is proven optimal in every stage,
    // which the headline then says in plain words.
    let out = example("report")
        .args(&["--out", "report.html", "--series", "none"])
        .run();
    let html = out.read("report.html");
    for section in [
        "Headline",
        "Charts",
        "Change notices",
        "Remaining clashes",
        "Input findings",
        "Risk",
    ] {
        assert!(html.contains(section), "report lacks {section}");
    }
    assert!(html.contains("<svg"), "charts are inline SVG");
    assert!(
        !html.contains("src=\"http") && !html.contains("href=\"http"),
        "no external requests"
    );
    assert!(
        html.contains("BSO website"),
        "notices name the failure point"
    );
    // The headline in plain words, with the bounds and the change budget.
    assert!(html.contains("31 releases change date; the fewest that give this safety."));
    assert!(html.contains("Change budget: 4 changes give the whole drop of the peak (5 → 4)"));
    assert!(!html.contains("gap 0") && !html.contains("unconstrained optimum"));
    // Public wording on request.
    let public = example("report")
        .args(&["--out", "public.html", "--notice", "public"])
        .run();
    let html = public.read("public.html");
    assert!(html.contains("the same publishing systems as this one"));
}

/// Generated calendars carry linked releases; the plan keeps every link.
#[test]
fn a_generated_calendar_plans_under_the_default_series_and_link_rules() {
    let data = Test::new()
        .args(&["generate", "--releases", "300", "--seed", "3", "--out", "g"])
        .run();
    let dir = data.dir.path().join("g");
    let releases = dir.join("releases.csv").display().to_string();
    let infra = dir.join("infrastructure.csv").display().to_string();
    let out = Test::new()
        .args(&[
            "plan",
            "--releases",
            &releases,
            "--infrastructure",
            &infra,
            "--today",
            "2026-06-01",
            "--out",
            "schedule.csv",
        ])
        .run();
    let schedule = out.read("schedule.csv");
    let mut reader = csv::Reader::from_reader(schedule.as_bytes());
    let header = reader.headers().unwrap().clone();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let (id, date, proposed) = (col("id"), col("date"), col("proposed_date"));
    let (together, after) = (col("together"), col("after"));
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    let date_of: std::collections::BTreeMap<&str, &str> =
        rows.iter().map(|r| (&r[id], &r[date])).collect();
    let (mut pairs, mut moved_pairs, mut links) = (0, 0, 0);
    for r in &rows {
        if !r[together].is_empty() && r[together] != r[id] {
            pairs += 1;
            assert_eq!(
                r[date], *date_of[&r[together]],
                "{} apart from its bulletin",
                &r[id]
            );
            moved_pairs += usize::from(r[date] != r[proposed]);
        }
        for first in r[after].split(';').filter(|s| !s.is_empty()) {
            links += 1;
            assert!(*date_of[first] < r[date], "{} not after {first}", &r[id]);
        }
    }
    assert!(
        pairs > 0 && moved_pairs > 0 && links > 0,
        "{pairs} {moved_pairs} {links}"
    );
    // The weekly series (one from 300 releases up) keep their order and at least
    // half their proposed spacing.
    let (series, frequency) = (col("series"), col("frequency"));
    let day = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    let mut weekly: Vec<&csv::StringRecord> =
        rows.iter().filter(|r| &r[frequency] == "weekly").collect();
    weekly.sort_by_key(|r| (day(&r[proposed]), r[id].to_string()));
    assert_eq!(
        weekly.len(),
        51,
        "one weekly series, every week but Christmas"
    );
    assert!(weekly.iter().all(|r| &r[series] == "w001"));
    for pair in weekly.windows(2) {
        let was = (day(&pair[1][proposed]) - day(&pair[0][proposed])).num_days();
        let now = (day(&pair[1][date]) - day(&pair[0][date])).num_days();
        assert!(
            now * 2 >= was && now >= 1,
            "{} {was} -> {now}",
            &pair[1][id]
        );
    }
}

/// The report at national scale: 5,000 generated releases.
#[test]
fn report_at_5000_releases_reads_in_a_minute() {
    let data = Test::new()
        .args(&[
            "generate",
            "--releases",
            "5000",
            "--seed",
            "1",
            "--out",
            "g",
        ])
        .run();
    let dir = data.dir.path().join("g");
    let releases = dir.join("releases.csv").display().to_string();
    let infra = dir.join("infrastructure.csv").display().to_string();
    let out = Test::new()
        .args(&[
            "report",
            "--releases",
            &releases,
            "--infrastructure",
            &infra,
            "--out",
            "report.html",
        ])
        .run();
    let html = out.read("report.html");
    // Size: a few megabytes, most of it the collapsed notices and the CSV download.
    assert!(html.len() < 5_000_000, "{} bytes", html.len());
    for id in [
        "headline", "charts", "notices", "clashes", "findings", "risk",
    ] {
        assert!(
            html.contains(&format!("<h2 id=\"{id}\">")),
            "no {id} section"
        );
    }
    assert_eq!(html.matches("<figure").count(), 5, "five charts");
    // Notices grouped by month, each month collapsed.
    assert!(html.matches("<details>").count() >= 12);
    assert!(!html.contains("<details open"));
    // The remaining clashes are capped, with every one in the CSV download.
    assert!(html.contains("The 25 largest of "), "capped clash table");
    assert!(html.contains("download=\"remaining-clashes.csv\" href=\"data:text/csv;charset=utf-8,"));
    let clash_table = html.split("id=\"clashes\"").nth(1).unwrap();
    let clash_table = clash_table.split("</table>").next().unwrap();
    assert_eq!(
        clash_table.matches("<tr>").count(),
        26,
        "header and 25 rows"
    );
    // The headline: plain words, bounds, no contradiction.
    for bad in [
        "gap 0",
        "not proven optimal",
        "Not proven optimal",
        "unconstrained optimum",
        "at least 0 ",
        "NaN",
    ] {
        assert!(!html.contains(bad), "the report says {bad:?}");
    }
    assert!(html.contains("releases change date"));
    assert!(html.contains("Change budget: "));
    let headline = html.split("id=\"headline\"").nth(1).unwrap();
    let headline = headline.split("<h2").next().unwrap();
    assert!(
        headline.contains("the lowest possible") || headline.contains("no plan can go below"),
        "{headline}"
    );
}

#[test]
fn risk_json_has_the_documented_fields_and_the_plan_lowers_it() {
    let out = example("plan").args(&["--out", "schedule.csv"]).run();
    let schedule = out.dir.path().join("schedule.csv").display().to_string();
    let r = example("risk")
        .args(&["--schedule", &schedule, "--json"])
        .run();
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    for key in [
        "expected_multi_hit_failures_per_year",
        "p_at_least_k",
        "expected_release_delays_per_year",
        "expected_delay_minutes_per_year",
        "top_contributors",
    ] {
        assert!(!v[key].is_null(), "risk lacks {key}: {v}");
        assert!(!v["before"][key].is_null(), "risk.before lacks {key}");
    }
    let after = v["p_at_least_k"]["2"].as_f64().unwrap();
    let before = v["before"]["p_at_least_k"]["2"].as_f64().unwrap();
    assert!(after < before, "P(>=2) {before} -> {after}");
}

// ---------------------------------------------------------------- real data

/// The ONS 2026 release calendar (802 releases) from `../shared/data`, when present
/// (it is in CI); all three files concatenated into one releases file.
fn ons_calendar() -> Option<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data");
    let mut out = String::new();
    for (i, name) in ["published", "upcoming", "cancelled"].iter().enumerate() {
        let text =
            std::fs::read_to_string(dir.join(format!("ons-release-calendar-2026-{name}.csv")))
                .ok()?;
        let mut lines = text.lines();
        let header = lines.next()?;
        if i == 0 {
            out.push_str(header);
            out.push('\n');
        }
        for l in lines {
            out.push_str(l);
            out.push('\n');
        }
    }
    Some(out)
}

#[test]
fn the_real_ons_2026_calendar_is_audited_and_planned() {
    let Some(calendar) = ons_calendar() else {
        eprintln!("skipped: ../shared/data (ONS 2026 calendar) is not beside the repository");
        return;
    };
    let infra = std::fs::read_to_string(repo("tests/data/ons-infrastructure.csv")).unwrap();
    let base = [
        "--releases",
        "releases.csv",
        "--infrastructure",
        "infrastructure.csv",
        "--default-depends-on",
        "ons-website",
    ];
    let out = Test::new()
        .infra(&infra)
        .releases(&calendar)
        .args(&["check"])
        .args(&base)
        .args(&["--json"])
        .run();
    let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(v["releases"], 802);
    assert_eq!(v["active_releases"], 795);
    // GDP day: 14 releases at 9:30 on Thursday 13 August 2026, all on one website.
    assert_eq!(v["peak_exposure"], 14);
    assert_eq!(v["clashes"][0]["date"], "2026-08-13");
    let plan = Test::new()
        .infra(&infra)
        .releases(&calendar)
        .args(&["plan"])
        .args(&base)
        .args(&[
            "--json",
            "--out",
            "schedule.csv",
            "--today",
            "2026-10-02",
            "--min-notice",
            "0",
        ])
        .run();
    let p: serde_json::Value = serde_json::from_str(&plan.stdout).unwrap();
    for change in p["changes"].as_array().unwrap() {
        assert!(
            change["to"].as_str().unwrap() >= "2026-10-02",
            "moved into the past: {change}"
        );
    }
    // Published and confirmed dates are fixed, so GDP day stays: the peak cannot fall.
    assert_eq!(p["peak_after"], 14);
    assert!(
        p["clash_pairs_after"].as_u64() < p["clash_pairs_before"].as_u64(),
        "{p}"
    );
}

#[test]
fn errors_after_blank_lines_point_at_the_right_line() {
    bad_releases(
        b"\nid,date\n\n\na,2027-02-30\n",
        &["releases.csv:5: column 'date': '2027-02-30'"],
    );
}

// ---------------------------------------------------------------- robustness (issue 9)

/// The bundled example's releases with `edit` applied to each row (by index, as a
/// column-name → value map), written back as CSV.
fn example_releases_with(edit: impl Fn(usize, &mut Vec<(String, String)>)) -> String {
    let mut reader = csv::Reader::from_path(repo("data/example/releases.csv")).expect("example");
    let headers: Vec<String> = reader
        .headers()
        .expect("header")
        .iter()
        .map(str::to_string)
        .collect();
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(&headers).expect("csv");
    for (i, record) in reader.records().enumerate() {
        let record = record.expect("row");
        let mut row: Vec<(String, String)> = headers
            .iter()
            .cloned()
            .zip(record.iter().map(str::to_string))
            .collect();
        edit(i, &mut row);
        writer
            .write_record(row.iter().map(|(_, v)| v.as_str()))
            .expect("csv");
    }
    String::from_utf8(writer.into_inner().expect("csv")).expect("utf-8")
}

/// Sets column `key` of `row` to `value`.
fn set(row: &mut [(String, String)], key: &str, value: &str) {
    if let Some(cell) = row.iter_mut().find(|(k, _)| k == key) {
        cell.1 = value.to_string();
    }
}

/// A test on the bundled example's infrastructure and closures, with `releases`
/// as releases.csv; `command` and the input options are already given.
fn example_with_releases(command: &str, releases: &str) -> Test {
    let mut args = example_args(command);
    args[2] = "releases.csv".into();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    Test::new().releases(releases).args(&args)
}

#[test]
fn plan_with_a_move_budget_and_a_release_without_failure_points_does_not_panic() {
    // Once panicked with "cannot sample empty range" in the clash-pair annealing.
    let releases = example_releases_with(|i, row| {
        if i == 1 {
            set(row, "depends_on", "");
        }
    });
    for budget in ["5", "10", "20", "30"] {
        example_with_releases("plan", &releases)
            .args(&["--max-moves", budget, "--out", "s.csv"])
            .run();
    }
}

#[test]
fn report_with_many_releases_without_failure_points_does_not_panic() {
    let releases = example_releases_with(|i, row| {
        if i % 3 == 0 {
            set(row, "depends_on", "");
        }
    });
    let out = example_with_releases("report", &releases)
        .args(&["--out", "report.html"])
        .run();
    assert!(out.read("report.html").contains("<html"));
}

#[test]
fn option_values_that_are_not_finite_or_out_of_range_are_usage_errors() {
    let inputs = ["--releases", "r.csv", "--infrastructure", "i.csv"];
    for bad in [
        &["plan", "--time-limit", "NaN"][..],
        &["plan", "--time-limit=-1"],
        &["plan", "--time-limit", "0"],
        &["plan", "--time-limit", "inf"],
        &["plan", "--max-shift", "100000"],
        &["check", "--max-peak", "NaN"],
        &["check", "--max-peak=-1"],
        &["risk", "--fallback-minutes", "NaN"],
        &["risk", "--fallback-minutes=-5"],
    ] {
        Test::new()
            .args(bad)
            .args(&inputs)
            .status(2)
            .stderr_has("invalid value")
            .run();
    }
}

#[test]
fn holidays_outside_the_supported_years_is_a_usage_error() {
    Test::new()
        .args(&["holidays", "--region", "scotland", "--from", "1900"])
        .status(2)
        .stderr_has("1978..=2199")
        .run();
    Test::new()
        .args(&[
            "holidays", "--region", "scotland", "--from", "2027", "--to", "2300",
        ])
        .status(2)
        .run();
    Test::new()
        .args(&[
            "holidays", "--region", "scotland", "--from", "2027", "--to", "2026",
        ])
        .status(2)
        .stderr_has("--to must not be before --from")
        .run();
}

/// `plan` on a one-release calendar in releases.csv and infrastructure.csv.
fn small_plan() -> Test {
    Test::new()
        .infra(INFRA)
        .releases("id,date,depends_on\na,2027-01-05,govuk\n")
        .args(&[
            "plan",
            "--releases",
            "releases.csv",
            "--infrastructure",
            "infrastructure.csv",
        ])
}

#[test]
fn no_spelling_of_an_input_path_is_overwritten() {
    let original = "id,date,depends_on\na,2027-01-05,govuk\n";
    // Through a directory that does not exist: once created it and replaced the input.
    let out = small_plan()
        .args(&["--out", "nosuchdir/../releases.csv"])
        .status(5)
        .stderr_has("it is an input file")
        .run();
    assert_eq!(out.read("releases.csv"), original);
    assert!(!out.dir.path().join("nosuchdir").exists());
    small_plan()
        .args(&["--ics", "./infrastructure.csv"])
        .status(5)
        .stderr_has("it is an input file")
        .run();
    #[cfg(unix)]
    {
        let t = small_plan();
        std::os::unix::fs::symlink(t.path("releases.csv"), t.path("link.csv")).unwrap();
        std::fs::hard_link(t.path("releases.csv"), t.path("hard.csv")).unwrap();
        let out = t
            .args(&["--out", "link.csv"])
            .status(5)
            .stderr_has("refusing to write link.csv")
            .run();
        assert_eq!(out.read("releases.csv"), original);
        let t = small_plan();
        std::fs::hard_link(t.path("releases.csv"), t.path("hard.csv")).unwrap();
        let out = t
            .args(&["--out", "hard.csv"])
            .status(5)
            .stderr_has("refusing to write hard.csv")
            .run();
        assert_eq!(out.read("releases.csv"), original);
    }
}

#[test]
fn a_report_never_overwrites_its_schedule() {
    let out = small_plan().args(&["--out", "schedule.csv"]).run();
    let schedule = out.read("schedule.csv");
    let dir = out.dir.path().to_path_buf();
    let out2 = Command::cargo_bin("stagger")
        .unwrap()
        .current_dir(&dir)
        .args([
            "report",
            "--releases",
            "releases.csv",
            "--infrastructure",
            "infrastructure.csv",
            "--schedule",
            "schedule.csv",
            "--out",
            "schedule.csv",
        ])
        .output()
        .unwrap();
    assert_eq!(out2.status.code(), Some(5));
    assert_eq!(out.read("schedule.csv"), schedule);
}

#[test]
fn two_outputs_on_one_file_is_an_error_and_writes_nothing() {
    let out = small_plan()
        .args(&["--out", "x.csv", "--ics", "sub/../x.csv"])
        .status(5)
        .stderr_has("x.csv and sub/../x.csv are the same file")
        .run();
    assert!(!out.dir.path().join("x.csv").exists());
}

#[cfg(unix)]
#[test]
fn special_files_are_written_as_streams_not_replaced() {
    use std::os::unix::fs::FileTypeExt;
    let t = small_plan();
    let fifo = t.path("fifo");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    if made.map(|s| s.success()).unwrap_or(false) {
        let reader = {
            let fifo = fifo.clone();
            std::thread::spawn(move || std::fs::read_to_string(fifo).unwrap())
        };
        let out = t.args(&["--out", "fifo"]).run();
        let streamed = reader.join().unwrap();
        assert!(
            streamed.starts_with("id,date,depends_on,proposed_date"),
            "{streamed}"
        );
        let kind = std::fs::symlink_metadata(out.dir.path().join("fifo")).unwrap();
        assert!(kind.file_type().is_fifo(), "the FIFO was replaced");
    }
    small_plan().args(&["--out", "/dev/null"]).run();
    assert!(std::fs::metadata("/dev/null")
        .unwrap()
        .file_type()
        .is_char_device());
    let out = small_plan().args(&["--out", "/dev/stdout"]).run();
    assert!(
        out.stdout.starts_with("id,date,depends_on,proposed_date"),
        "{}",
        out.stdout
    );
}

#[test]
fn temp_files_stranded_by_a_killed_run_are_removed_by_the_next() {
    // Linux caps pids at 2^22, so no process has this one.
    let stranded = ".schedule.csv.4294967294.stagger-tmp";
    let out = small_plan()
        .file(stranded, "half a schedule")
        .args(&["--out", "schedule.csv"])
        .run();
    assert!(out.read("schedule.csv").starts_with("id,date"));
    if Path::new("/proc/self").exists() {
        assert!(!out.dir.path().join(stranded).exists());
    }
}

#[cfg(target_os = "linux")]
#[test]
fn a_failed_write_to_stdout_is_an_error_and_a_closed_pipe_is_quiet() {
    for command in ["plan", "check"] {
        let t = Test::new()
            .infra(INFRA)
            .releases("id,date,depends_on\na,2027-01-05,govuk\n");
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap();
        let out = std::process::Command::new(assert_cmd::cargo::cargo_bin("stagger"))
            .current_dir(t.dir.path())
            .args([
                command,
                "--releases",
                "releases.csv",
                "--infrastructure",
                "infrastructure.csv",
            ])
            .stdout(full)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(5), "{command}: {stderr}");
        assert!(
            stderr.contains("cannot write to standard output"),
            "{stderr}"
        );
    }
    // A reader that goes away at once: no error message, no panic.
    let t = Test::new().infra(INFRA).releases(
        &(0..3000)
            .map(|i| format!("r{i},2027-01-05,govuk\n"))
            .fold("id,date,depends_on\n".to_string(), |a, b| a + &b),
    );
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("stagger"))
        .current_dir(t.dir.path())
        .args([
            "check",
            "--releases",
            "releases.csv",
            "--infrastructure",
            "infrastructure.csv",
            "--top",
            "3000",
        ])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.is_empty(), "{stderr}");
}

// ---------------------------------------------------------------- import

/// A releases CSV as rows of (column → value), in file order.
fn csv_rows(text: &str) -> Vec<std::collections::BTreeMap<String, String>> {
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let headers = r.headers().expect("header").clone();
    r.records()
        .map(|rec| {
            let rec = rec.expect("record");
            headers
                .iter()
                .zip(rec.iter())
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect()
        })
        .collect()
}

/// Checks that an imported releases.csv has the ONS calendar export's rows: same ids,
/// titles, local dates and times, statuses, provisional periods and summaries.
fn assert_same_as_ons_export(
    imported: &str,
    expected: &[std::collections::BTreeMap<String, String>],
) {
    let got = csv_rows(imported);
    let by_id: std::collections::BTreeMap<&str, &std::collections::BTreeMap<String, String>> =
        got.iter().map(|r| (r["id"].as_str(), r)).collect();
    assert_eq!(got.len(), expected.len());
    for want in expected {
        let have = by_id
            .get(want["id"].as_str())
            .unwrap_or_else(|| panic!("{} not imported", want["id"]));
        for (ours, theirs) in [
            ("title", "title"),
            ("date", "date"),
            ("time", "time"),
            ("status", "status"),
            ("period", "provisional_date"),
            ("summary", "summary"),
        ] {
            assert_eq!(have[ours], want[theirs], "{}: {ours}", want["id"]);
        }
    }
}

#[test]
fn import_ons_excerpt_matches_the_calendar_export() {
    let expected =
        csv_rows(&std::fs::read_to_string(repo("tests/data/ons-excerpt-expected.csv")).unwrap());
    let out = Test::new()
        .args(&[
            "import",
            "--from",
            "ons",
            &repo("tests/data/ons-api-excerpt.json"),
            "--out",
            "releases.csv",
        ])
        .stderr_has("Imported 19 releases")
        .stderr_has("Status: 8 provisional, 6 confirmed, 3 published, 2 cancelled.")
        .stderr_has("December 2026 to January 2027    2026-12-01 to 2027-01-31")
        .stderr_has("--default-depends-on")
        .stderr_has("stagger import --depends-on-rule")
        .run();
    assert!(out.stdout.is_empty());
    let csv = out.read("releases.csv");
    assert_same_as_ons_export(&csv, &expected);
    // Sorted by date, time and id, as the export is.
    let ids: Vec<String> = csv_rows(&csv).iter().map(|r| r["id"].clone()).collect();
    let want: Vec<String> = expected.iter().map(|r| r["id"].clone()).collect();
    assert_eq!(ids, want);
    // A valid releases file: check reads it.
    Test::new()
        .infra("id,name\nons-website,ONS website\n")
        .releases(&csv)
        .check()
        .args(&["--default-depends-on", "ons-website"])
        .stdout_has("19 releases (2 cancelled) on 1 failure points")
        .run();
}

#[test]
fn import_ons_reproduces_the_whole_2026_snapshot() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data");
    if !dir.join("ons-api").is_dir() {
        eprintln!(
            "skipped: ../shared/data/ons-api (ONS 2026 snapshot) is not beside the repository"
        );
        return;
    }
    let api = dir.join("ons-api").display().to_string();
    let out = Test::new()
        .args(&["import", "--from", "ons", &api, "--out", "releases.csv"])
        .stderr_has("Imported 802 releases from 3 files (ons)")
        .stderr_has("Status: 43 provisional, 151 confirmed, 601 published, 7 cancelled.")
        .stderr_has("times: 07:00 ×297, 09:30 ×505")
        .run();
    let csv = out.read("releases.csv");
    let mut expected = Vec::new();
    for (name, n) in [("upcoming", 194), ("published", 601), ("cancelled", 7)] {
        let rows = csv_rows(
            &std::fs::read_to_string(dir.join(format!("ons-release-calendar-2026-{name}.csv")))
                .unwrap(),
        );
        assert_eq!(rows.len(), n, "{name}");
        expected.extend(rows);
    }
    assert_same_as_ons_export(&csv, &expected);
}

#[test]
fn import_govuk_keeps_cancellations_date_changes_periods_and_organisations() {
    let out = Test::new()
        .args(&[
            "import",
            "--from",
            "govuk",
            &repo("tests/data/govuk-announcements.json"),
        ])
        .stderr_has("Status: 3 provisional, 2 confirmed, 1 cancelled.")
        .stderr_has("December to January 2027         2026-12-01 to 2027-01-31")
        .stderr_has("1 release(s) had their date changed")
        .run();
    let rows = csv_rows(&out.stdout);
    let get = |id: &str| rows.iter().find(|r| r["id"] == id).unwrap().clone();
    let cancelled = get("rural-broadband-coverage-survey-2026");
    assert_eq!(cancelled["status"], "cancelled");
    assert!(cancelled["cancellation_reason"].starts_with("The survey was stopped"));
    let changed =
        get("children-looked-after-in-england-including-adoptions-year-ending-31-march-2026");
    assert_eq!(changed["date"], "2026-11-19");
    assert_eq!(changed["previous_dates"], "12 November 2026 9:30am");
    assert_eq!(
        changed["change_notes"],
        "Delayed to include late returns from two local authorities."
    );
    assert_eq!(changed["organisations"], "department-for-education");
    assert_eq!(
        changed["period"], "",
        "an exact confirmed date is no period"
    );
    let police = get("police-workforce-england-and-wales-30-september-2026");
    assert_eq!(
        (police["status"].as_str(), police["period"].as_str()),
        ("provisional", "January to February 2027")
    );
    let hmrc =
        get("hmrc-tax-receipts-and-national-insurance-contributions-for-the-uk-december-2026");
    assert_eq!(hmrc["time"], "07:00");
    assert_eq!(hmrc["type"], "Accredited official statistics");
    assert_eq!(
        hmrc["url"],
        "https://www.gov.uk/government/statistics/announcements/hmrc-tax-receipts-and-national-insurance-contributions-for-the-uk-december-2026"
    );
}

#[test]
fn import_ics_reads_every_time_form_and_expands_a_weekly_rule_over_the_stated_range() {
    let ics = repo("tests/data/releases.ics");
    // Without a range, the endless weekly event cannot be expanded: it is named, with why.
    Test::new()
        .args(&["import", "--from", "ics", &ics])
        .stderr_has("Not imported (1):")
        .stderr_has("repeats without end")
        .stderr_has("--until DATE")
        .run();
    let out = Test::new()
        .args(&[
            "import",
            "--from",
            "ics",
            &ics,
            "--since",
            "2026-10-01",
            "--until",
            "2026-12-31",
        ])
        .run();
    let rows = csv_rows(&out.stdout);
    let get = |id: &str| rows.iter().find(|r| r["id"] == id).unwrap().clone();
    let zoned = get("hospital-waits-2026-q3@health.example");
    assert_eq!(
        (
            zoned["date"].as_str(),
            zoned["time"].as_str(),
            zoned["status"].as_str()
        ),
        ("2026-11-05", "09:30", "confirmed")
    );
    assert_eq!(
        zoned["title"],
        "Hospital waiting times, July to September 2026"
    );
    assert_eq!(zoned["categories"], "Hospital;Waiting times");
    let floating = get("mental-health-2026@health.example");
    assert_eq!(
        (floating["time"].as_str(), floating["status"].as_str()),
        ("09:30", "provisional")
    );
    assert_eq!(
        get("workforce-2026@health.example")["time"],
        "07:00",
        "06:00Z in BST"
    );
    let allday = get("dental-2026@health.example");
    assert_eq!(
        (allday["time"].as_str(), allday["status"].as_str()),
        ("", "cancelled")
    );
    let weekly: Vec<&str> = rows
        .iter()
        .filter(|r| r["series"] == "ed-weekly@health.example")
        .map(|r| r["date"].as_str())
        .collect();
    // Every Thursday from 1 October to 31 December, without 24 December (EXDATE),
    // with 5 November moved to Friday 6 November (RECURRENCE-ID).
    assert_eq!(
        weekly,
        vec![
            "2026-10-01",
            "2026-10-08",
            "2026-10-15",
            "2026-10-22",
            "2026-10-29",
            "2026-11-06",
            "2026-11-12",
            "2026-11-19",
            "2026-11-26",
            "2026-12-03",
            "2026-12-10",
            "2026-12-17",
            "2026-12-31"
        ]
    );
    assert!(rows
        .iter()
        .all(|r| r["time"].is_empty() || r["time"] == "09:30" || r["time"] == "07:00"));
}

#[test]
fn import_errors_name_the_file_and_line_and_every_file() {
    Test::new()
        .file("a.json", "{\n \"releases\": [\n}\n")
        .file("b.json", "{\"results\": []}")
        .args(&[
            "import",
            "--from",
            "ons",
            "a.json",
            "b.json",
            "missing.json",
        ])
        .status(5)
        .stderr_has("3 problems in 3 files")
        .stderr_has("a.json:3: not valid JSON")
        .stderr_has("use --from govuk")
        .stderr_has("missing.json: cannot read the file: no such file")
        .run();
    Test::new()
        .file("empty.json", "{\"releases\": [], \"total\": 0}")
        .args(&["import", "--from", "ons", "empty.json"])
        .status(3)
        .stderr_has("no release to import")
        .run();
}

#[test]
fn depends_on_rules_map_releases_to_failure_points_and_check_lists_the_unmatched() {
    let rules = "pattern,depends_on,column\n\
                 /^(GDP|Index of)/,ons-website;team-gdp,\n\
                 deaths,ons-website;team-health,\n";
    let infra = "id,name,kind,depends_on\nons-website,ONS website,website,\nteam-gdp,GDP team,team,\nteam-health,Health team,team,\n";
    let releases = "id,title,date\n\
                    gdp,GDP monthly estimate,2026-11-12\n\
                    iop,Index of Production,2026-11-12\n\
                    deaths,Deaths registered weekly,2026-11-12\n\
                    crime,Crime in England and Wales,2026-11-12\n";
    // In import: rules fill depends_on; the summary names releases no rule matched.
    let out = Test::new()
        .file("rules.csv", rules)
        .file("cal.ics", "BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:gdp\nSUMMARY:GDP monthly estimate\nDTSTART:20261112T070000Z\nEND:VEVENT\nBEGIN:VEVENT\nUID:crime\nSUMMARY:Crime\nDTSTART:20261112T093000Z\nEND:VEVENT\nEND:VCALENDAR\n")
        .infra(infra)
        .args(&[
            "import", "--from", "ics", "cal.ics", "--depends-on-rule", "rules.csv",
            "--infrastructure", "infrastructure.csv",
        ])
        .stderr_has("1 of 2 releases matched a --depends-on-rule rule")
        .stderr_has("1 matched no rule and have no failure points: crime")
        .run();
    let rows = csv_rows(&out.stdout);
    let gdp = rows.iter().find(|r| r["id"] == "gdp").unwrap();
    assert_eq!(gdp["depends_on"], "ons-website;team-gdp");
    // In check: the same rules apply to releases without depends_on; the unmatched are listed.
    let out = Test::new()
        .file("rules.csv", rules)
        .infra(infra)
        .releases(releases)
        .check()
        .args(&[
            "--depends-on-rule",
            "rules.csv",
            "--default-depends-on",
            "ons-website",
        ])
        .stdout_has("Peak exposure: 4")
        .stdout_has("Releases no --depends-on-rule rule matched (1;")
        .stdout_has("  crime — Crime in England and Wales")
        .run();
    assert!(!out.stderr.contains("hint:"), "{}", out.stderr);
    let out = Test::new()
        .file("rules.csv", rules)
        .infra(infra)
        .releases(releases)
        .check()
        .args(&["--depends-on-rule", "rules.csv", "--json"])
        .run();
    let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(v["unmatched_by_rules"], serde_json::json!(["crime"]));
    // A rule naming an unknown failure point is an input error with a suggestion.
    Test::new()
        .file("rules.csv", "pattern,depends_on\ngdp,ons-webiste\n")
        .infra(infra)
        .releases(releases)
        .check()
        .args(&["--depends-on-rule", "rules.csv"])
        .status(3)
        .stderr_has("rules.csv:2: column 'depends_on': 'ons-webiste': unknown infrastructure id")
        .stderr_has("did you mean 'ons-website'?")
        .run();
}

// ---------------------------------------------------------------- the command line

const ONE_DAY: &str = "id,title,date,depends_on\na,A,2027-08-05,bso-web\nb,B,2027-08-05,bso-web\n";

#[test]
fn dash_reads_standard_input_and_writes_standard_output() {
    Test::new()
        .infra(INFRA)
        .stdin(ONE_DAY)
        .args(&[
            "check",
            "--releases",
            "-",
            "--infrastructure",
            "infrastructure.csv",
        ])
        .stdout_has("Peak exposure: 2")
        .run();
    let out = Test::new()
        .infra(INFRA)
        .releases(ONE_DAY)
        .args(&[
            "plan",
            "--releases",
            "releases.csv",
            "--infrastructure",
            "infrastructure.csv",
            "--out",
            "-",
        ])
        .stderr_has("Peak exposure")
        .run();
    assert!(
        out.stdout
            .starts_with("id,title,date,depends_on,proposed_date"),
        "{}",
        out.stdout
    );
    assert!(
        !out.dir.path().join("-").exists(),
        "--out - wrote a file called '-'"
    );
    let out = Test::new()
        .releases(ONE_DAY)
        .args(&["export", "--releases", "releases.csv", "--out", "-"])
        .run();
    assert!(out.stdout.starts_with("BEGIN:VCALENDAR"), "{}", out.stdout);
    let json = std::fs::read(repo("tests/data/govuk-announcements.json")).unwrap();
    Test::new()
        .stdin(json)
        .args(&["import", "--from", "govuk", "-"])
        .stdout_has("police-workforce-england-and-wales-30-september-2026")
        .stderr_has("Imported 6 releases from <stdin>")
        .run();
    Test::new()
        .stdin(ONE_DAY)
        .args(&["check", "--releases", "-", "--infrastructure", "-"])
        .status(2)
        .stderr_has("only one input can be read from standard input")
        .run();
}

#[test]
fn every_command_that_writes_takes_out() {
    let out = Test::new()
        .infra(INFRA)
        .releases(ONE_DAY)
        .check()
        .args(&["--out", "audit.txt"])
        .run();
    assert!(out.stdout.is_empty());
    assert!(out.read("audit.txt").contains("Peak exposure: 2"));
    let out = Test::new()
        .infra(INFRA)
        .releases(ONE_DAY)
        .args(&[
            "risk",
            "--releases",
            "releases.csv",
            "--infrastructure",
            "infrastructure.csv",
            "--json",
            "--out",
            "risk.json",
        ])
        .run();
    let v: serde_json::Value = serde_json::from_str(&out.read("risk.json")).unwrap();
    assert!(v["p_at_least_k"].is_object(), "{v}");
    let out = Test::new()
        .args(&[
            "holidays", "--region", "ni", "--from", "2027", "--out", "h.csv",
        ])
        .run();
    assert!(out.read("h.csv").contains("2027-03-17,St Patrick's Day"));
    // --out never overwrites an input.
    Test::new()
        .infra(INFRA)
        .releases(ONE_DAY)
        .check()
        .args(&["--out", "releases.csv"])
        .status(5)
        .stderr_has("it is an input file")
        .run();
    // export takes the input options every command takes (the old names still work).
    let out = Test::new()
        .infra(INFRA)
        .releases("id,title,date\na,A,2027-08-05\n")
        .args(&[
            "export",
            "--releases",
            "releases.csv",
            "--infrastructure",
            "infrastructure.csv",
            "--default-depends-on",
            "bso-web",
            "--out",
            "cal.ics",
            "--region",
            "ni",
            "--notice",
            "internal",
        ])
        .run();
    assert!(out.read("cal.ics").contains("BSO website"));
    let out = Test::new()
        .releases("id,title,date\na,A,2027-08-05\n")
        .args(&["export", "--schedule", "releases.csv", "--ics", "old.ics"])
        .run();
    assert!(out.read("old.ics").contains("BEGIN:VEVENT"));
}

#[test]
fn quiet_prints_nothing_but_errors_on_stderr() {
    let out = Test::new()
        .infra(INFRA)
        .releases("id,date\na,2027-08-05\n")
        .args(&[
            "--quiet",
            "plan",
            "--releases",
            "releases.csv",
            "--infrastructure",
            "infrastructure.csv",
        ])
        .run();
    assert!(out.stderr.is_empty(), "{}", out.stderr);
    assert!(out.stdout.contains("proposed_date"));
    let out = Test::new()
        .args(&[
            "import",
            "-q",
            "--from",
            "govuk",
            &repo("tests/data/govuk-announcements.json"),
        ])
        .run();
    assert!(out.stderr.is_empty(), "{}", out.stderr);
    Test::new()
        .args(&[
            "-q",
            "check",
            "--releases",
            "nope.csv",
            "--infrastructure",
            "nope.csv",
        ])
        .status(5)
        .stderr_has("nope.csv")
        .run();
}

#[test]
fn completions_for_every_shell() {
    for (shell, marker) in [
        ("bash", "complete -F"),
        ("zsh", "#compdef stagger"),
        ("fish", "complete -c stagger"),
        ("powershell", "Register-ArgumentCompleter"),
    ] {
        let out = Test::new().args(&["completions", shell]).run();
        assert!(out.stdout.contains(marker), "{shell}");
        assert!(out.stdout.contains("depends-on-rule"), "{shell}");
    }
    let out = Test::new()
        .args(&["completions", "bash", "--out", "stagger.bash"])
        .run();
    assert!(out.read("stagger.bash").contains("import"));
    Test::new().args(&["completions", "tcsh"]).status(2).run();
}

#[test]
fn semicolon_and_tab_separated_files_are_read_and_errors_name_the_separator() {
    Test::new()
        .infra(INFRA)
        .releases("id;title;Release date;depends_on\na;\"Births; deaths\";05/08/2027;bso-web\nb;B;05/08/2027;bso-web\n")
        .check()
        .stdout_has("Peak exposure: 2")
        .stderr_has("column 'Release date' is read as 'date'")
        .run();
    Test::new()
        .infra(INFRA)
        .releases("id\tdate\tdepends_on\na\t2027-08-05\tbso-web\n")
        .check()
        .stdout_has("1 releases")
        .run();
    bad_releases(
        b"id;date\na;2027-08-05;x\n",
        &["releases.csv:2: this row has 3 fields but the header has 2 columns (read as semicolon-separated)"],
    );
}

#[test]
fn header_aliases_and_did_you_mean_for_columns_regions_and_default_ids() {
    bad_releases(
        b"id,Dte,title\na,2027-08-05,x\n",
        &[
            "missing required column 'date' (the header has: id, Dte, title; read as comma-separated)",
            "did you mean 'Dte'? rename it to 'date'",
        ],
    );
    Test::new()
        .infra(INFRA)
        .releases("Release ID,Title,Release date,Status,Depend_on\na,A,2027-08-05,confirmed,bso-web\n")
        .check()
        .stderr_has("column 'Release ID' is read as 'id'")
        .stderr_has("column 'Depend_on' is not a stagger column and is carried through unchanged: did you mean 'depends_on'?")
        .run();
    Test::new()
        .infra(INFRA)
        .releases(ONE_DAY)
        .check()
        .args(&["--region", "nothern-ireland"])
        .status(2)
        .stderr_has("did you mean 'northern-ireland'?")
        .run();
    Test::new()
        .infra(INFRA)
        .releases(
            "id,date,depends_on,region\na,2027-07-12,bso-web,NI\nb,2027-07-12,bso-web,wales\n",
        )
        .check()
        .args(&["--region", "ni"])
        .stdout_has("[bank-holiday] a is on Monday 12 July 2027")
        .run();
    Test::new()
        .infra(INFRA)
        .releases("id,date\na,2027-08-05\n")
        .check()
        .args(&["--default-depends-on", "bso-webb;govuk;nothing-like-it"])
        .status(3)
        .stderr_has("--default-depends-on names 'bso-webb'")
        .stderr_has("did you mean 'bso-web'?")
        .stderr_has("--default-depends-on names 'nothing-like-it'")
        .run();
}

#[test]
fn every_problem_of_every_input_file_is_reported_in_one_run() {
    Test::new()
        .args(&[
            "check",
            "--releases",
            "nope.csv",
            "--infrastructure",
            "nada.csv",
        ])
        .status(5)
        .stderr_has("2 problems in 2 files")
        .stderr_has("nope.csv: cannot read the file")
        .stderr_has("nada.csv: cannot read the file")
        .run();
    Test::new()
        .infra("id,name,depends_on\nweb,Web,ghost\n")
        .releases("id,date\na,2027-02-30\n")
        .file("closures.csv", "date,name\nsoon,Move\n")
        .check()
        .args(&["--closures", "closures.csv"])
        .status(3)
        .stderr_has("3 problems in 3 files")
        .stderr_has("infrastructure.csv:2")
        .stderr_has("releases.csv:2: column 'date': '2027-02-30'")
        .stderr_has("closures.csv:2")
        .run();
}

#[test]
fn an_empty_or_header_only_calendar_is_an_error_and_no_depends_on_gets_a_hint() {
    for content in ["", "id,title,date,depends_on\n"] {
        Test::new()
            .infra(INFRA)
            .releases(content)
            .args(&[
                "plan",
                "--releases",
                "releases.csv",
                "--infrastructure",
                "infrastructure.csv",
            ])
            .status(3)
            .stderr_has("releases.csv")
            .run();
    }
    Test::new()
        .infra(INFRA)
        .releases("id,title,date,depends_on\n")
        .check()
        .status(3)
        .stderr_has("the file has a header but no releases")
        .run();
    Test::new()
        .infra(INFRA)
        .releases("id,date\na,2027-08-05\nb,2027-08-05\n")
        .check()
        .stdout_has("Peak exposure: 0")
        .stderr_has("hint: no release has `depends_on`")
        .stderr_has("--default-depends-on")
        .stderr_has("stagger import --depends-on-rule")
        .run();
}

/// The long options of `stagger <command> --help`.
fn help_options(command: &str) -> std::collections::BTreeSet<String> {
    let out = Test::new().args(&[command, "--help"]).run();
    out.stdout
        .split(|c: char| c.is_whitespace() || c == ',' || c == '[' || c == ']')
        .filter(|w| w.starts_with("--") && w.len() > 2)
        .map(|w| {
            w.trim_end_matches(|c: char| !c.is_ascii_alphanumeric())
                .to_string()
        })
        .filter(|w| w != "--help" && w != "--version" && w != "--quiet")
        .collect()
}

#[test]
fn docs_cli_md_documents_exactly_the_options_of_every_command() {
    let doc = std::fs::read_to_string(repo("docs/cli.md")).unwrap();
    let options_in = |text: &str| -> std::collections::BTreeSet<String> {
        text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
            .filter(|w| {
                w.starts_with("--") && w.as_bytes().get(2).is_some_and(u8::is_ascii_alphabetic)
            })
            .map(str::to_string)
            .collect()
    };
    // Option groups: "## Input options" etc.; commands say which groups they take.
    let mut groups = std::collections::BTreeMap::new();
    let mut sections = std::collections::BTreeMap::new();
    for part in doc.split("\n## ").skip(1) {
        let (title, body) = part.split_once('\n').unwrap();
        if let Some(cmd) = title
            .strip_prefix("`stagger ")
            .and_then(|t| t.strip_suffix('`'))
        {
            sections.insert(cmd.to_string(), body.to_string());
        } else if title.ends_with(" options") {
            groups.insert(title.to_string(), options_in(body));
        }
    }
    let help = Test::new().args(&["--help"]).run().stdout;
    let commands: Vec<String> = help
        .split("Commands:")
        .nth(1)
        .unwrap()
        .split("Options:")
        .next()
        .unwrap()
        .lines()
        .filter(|l| l.starts_with("  ") && !l.starts_with("   "))
        .filter_map(|l| l.split_whitespace().next().map(str::to_string))
        .filter(|c| c != "help")
        .collect();
    assert!(commands.len() >= 10, "{commands:?}");
    assert!(help.contains("--quiet") && doc.contains("`--quiet`"));
    for cmd in &commands {
        let body = sections
            .get(cmd)
            .unwrap_or_else(|| panic!("docs/cli.md has no section `stagger {cmd}`"));
        let mut documented = options_in(body);
        for (name, opts) in &groups {
            if body.contains(&format!("[{}]", name.to_lowercase())) {
                documented.extend(opts.iter().cloned());
            }
        }
        documented.remove("--quiet");
        let actual = help_options(cmd);
        let missing: Vec<_> = actual.difference(&documented).collect();
        let stale: Vec<_> = documented.difference(&actual).collect();
        assert!(
            missing.is_empty() && stale.is_empty(),
            "stagger {cmd}: undocumented {missing:?}, documented but not accepted {stale:?}"
        );
    }
}

// ---------------------------------------------------------------- robustness (issue 9), continued

#[test]
fn dates_outside_the_supported_range_are_input_errors_with_their_line() {
    // Each once aborted out of memory (the day axis spanned centuries).
    for (column, value) in [
        ("date", "9999-12-31"),
        ("date", "0001-01-01"),
        ("latest", "2200-01-05"),
        ("earliest", "2200-01-05"),
        ("scheduled_date", "2200-01-05"),
        ("earliest", "1977-12-30"),
    ] {
        let releases = format!(
            "id,date,earliest,latest,scheduled_date,depends_on\n\
             ok,2027-01-05,,,,govuk\n\
             bad,{},{},{},{},govuk\n",
            if column == "date" {
                value
            } else {
                "2027-01-05"
            },
            if column == "earliest" { value } else { "" },
            if column == "latest" { value } else { "" },
            if column == "scheduled_date" {
                value
            } else {
                ""
            },
        );
        Test::new()
            .infra(INFRA)
            .releases(&releases)
            .args(&[
                "plan",
                "--releases",
                "releases.csv",
                "--infrastructure",
                "infrastructure.csv",
            ])
            .status(3)
            .stderr_has(&format!("releases.csv:3: column '{column}': '{value}'"))
            .stderr_has("outside the supported dates 1978-01-01 to 2199-12-31")
            .run();
    }
    Test::new()
        .infra(INFRA)
        .releases("id,date,depends_on\na,2027-01-05,govuk\n")
        .file(
            "closures.csv",
            "date,name\n2027-01-06,Move\n9999-01-01,Far away\n",
        )
        .check()
        .args(&["--closures", "closures.csv"])
        .status(3)
        .stderr_has("closures.csv:3: column 'date': '9999-01-01': outside the supported dates")
        .run();
    small_plan()
        .args(&["--today", "9999-01-01"])
        .status(2)
        .stderr_has("outside the supported dates")
        .run();
}

#[test]
fn the_last_supported_days_plan_at_once() {
    // A window reaching past 2199 uses the extrapolated holiday rules.
    Test::new()
        .infra(INFRA)
        .releases(
            "id,date,depends_on\na,2199-12-30,govuk\nb,2199-12-30,govuk\nc,1978-01-03,bso-web\n",
        )
        .check()
        .stdout_has("Peak exposure: 2")
        .run();
    let out = Test::new()
        .infra(INFRA)
        .releases("id,date,depends_on\na,2199-12-30,govuk\nb,2199-12-30,govuk\n")
        .args(&[
            "plan",
            "--releases",
            "releases.csv",
            "--infrastructure",
            "infrastructure.csv",
            "--json",
            "--out",
            "s.csv",
        ])
        .run();
    let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(v["peak_after"], 1, "{v}");
    // One calendar from the first supported year to the last: once hung `plan`.
    let out = Test::new()
        .infra(INFRA)
        .releases(
            "id,date,depends_on
a,2199-12-30,govuk
b,2199-12-30,govuk
             c,1978-03-01,bso-web
d,1978-03-01,bso-web
",
        )
        .args(&[
            "plan",
            "--releases",
            "releases.csv",
            "--infrastructure",
            "infrastructure.csv",
            // Planned as of the first supported years: nothing is inside its notice period.
            "--today",
            "1978-01-02",
            "--json",
            "--out",
            "s.csv",
        ])
        .run();
    let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(v["peak_after"], 1, "{v}");
    // The bundled example with one release moved to 2199.
    let releases = example_releases_with(|i, row| {
        if i == 1 {
            set(row, "date", "2199-06-10");
        }
    });
    example_with_releases("plan", &releases)
        .args(&["--out", "s.csv"])
        .run();
}

#[test]
fn windows_wider_than_two_years_are_input_errors() {
    Test::new()
        .infra(INFRA)
        .releases("id,date,earliest,latest,depends_on\na,2027-06-01,2026-01-01,2028-12-31,govuk\n")
        .check()
        .status(3)
        .stderr_has("releases.csv:2: column 'latest': '2028-12-31': the window from 2026-01-01 to 2028-12-31 spans 1096 days; at most 731")
        .run();
    Test::new()
        .infra(INFRA)
        .releases("id,date,earliest,depends_on\na,2027-01-19,2199-01-05,govuk\n")
        .check()
        .status(3)
        .stderr_has(
            "column 'earliest': '2199-01-05': 62808 days from the release's date 2027-01-19",
        )
        .run();
}

#[test]
fn a_one_sided_window_that_is_empty_names_both_of_its_ends() {
    // Once said "±10 working days of 2027-01-19", ignoring the earliest date.
    Test::new()
        .infra(INFRA)
        .releases("id,date,earliest,depends_on\na,2027-01-19,2027-06-01,govuk\n")
        .args(&["plan", "--releases", "releases.csv", "--infrastructure", "infrastructure.csv"])
        .status(4)
        .stderr_has("a (line 2) has no working day within its window from its earliest date 2027-06-01 to 2027-02-02 (10 working days after its date 2027-01-19; give it a latest date or raise --max-shift)")
        .run();
}

/// Infrastructure of a chain `p{n-1} → … → p1 → p0` (the top relies on everything below).
fn chain_infrastructure(n: usize) -> String {
    let mut s = String::from("id,name,kind,depends_on\n");
    for i in 0..n {
        let below = if i == 0 {
            String::new()
        } else {
            format!("p{}", i - 1)
        };
        s.push_str(&format!("p{i},Point {i},server,{below}\n"));
    }
    s
}

#[test]
fn check_reads_a_10000_deep_chain_in_linear_time_and_summarises_it() {
    // Once cubic (118 s at 1,000 deep) and printing "server" 999 times per clash.
    let n = 10_000;
    let releases = (0..6).fold("id,date,depends_on\n".to_string(), |s, i| {
        s + &format!("r{i},2027-03-0{},p{}\n", 1 + i % 3, n - 1)
    });
    let out = Test::new()
        .infra(&chain_infrastructure(n))
        .releases(&releases)
        .check()
        .stdout_has(
            "a failure of Point 9999 (p9999, server) or of what it relies on (server ×9999)",
        )
        .run();
    assert!(
        !out.stdout.contains("server, server"),
        "{}",
        &out.stdout[..2000]
    );
    let out = Test::new()
        .infra(&chain_infrastructure(n))
        .releases(&releases)
        .args(&[
            "risk",
            "--releases",
            "releases.csv",
            "--infrastructure",
            "infrastructure.csv",
        ])
        .run();
    assert!(out.stdout.contains("Most releases one failure can delay"));
}

#[test]
fn a_long_dependency_cycle_is_named_briefly() {
    let n = 10_000;
    let mut infra = String::from("id,depends_on\n");
    for i in 0..n {
        infra.push_str(&format!("p{i},p{}\n", (i + 1) % n));
    }
    let out = Test::new()
        .infra(&infra)
        .releases("id,date,depends_on\na,2027-01-05,p0\n")
        .check()
        .status(3)
        .stderr_has("the dependencies form a cycle: p0 → p1 → p2")
        .stderr_has("… (9990 more) … → p0")
        .run();
    assert!(out.stderr.len() < 2_000, "{}", out.stderr.len());
}

#[test]
fn a_header_of_200000_columns_is_checked_in_linear_time() {
    // Once quadratic (197 s).
    let n = 200_000;
    let mut header = String::from("id,date,depends_on");
    for i in 0..n {
        header.push_str(&format!(",c{i}"));
    }
    Test::new()
        .infra(INFRA)
        .releases(&format!("{header}\na,2027-01-05,govuk\n"))
        .check()
        .stdout_has("1 releases (0 cancelled)")
        .run();
    let dup = format!("id,date,depends_on{}\na,2027-01-05,govuk\n", ",x".repeat(n));
    let out = Test::new()
        .infra(INFRA)
        .releases(&dup)
        .check()
        .status(3)
        .stderr_has("releases.csv: 199999 problems")
        .stderr_has("column 'x' appears twice in the header (columns 4 and 5)")
        .stderr_has("… and 199899 more problems (the first 100 are shown")
        .run();
    assert!(out.stderr.len() < 20_000, "{}", out.stderr.len());
    let no_id = (0..1000).fold("name".to_string(), |s, i| s + &format!(",c{i}")) + "\nx\n";
    let out = Test::new()
        .infra(INFRA)
        .releases(&no_id)
        .check()
        .status(3)
        .stderr_has("missing required column 'id' (the header has: name, c0, c1, c2")
        .stderr_has("… 981 more;")
        .run();
    assert!(out.stderr.len() < 2_000, "{}", out.stderr.len());
}

#[test]
fn long_values_are_cut_and_control_characters_escaped_in_messages() {
    let big = "x".repeat(1_000_000);
    let out = Test::new()
        .infra(INFRA)
        .releases(&format!(
            "id,date,depends_on,region\n\
             a,{big},govuk,\n\
             b,2027-01-05\0,govuk,\n\
             c,2027-01-05,govuk,\"\x1b[31mred\"\n\
             d,2027-01-05,{big},\n"
        ))
        .check()
        .status(3)
        .stderr_has("releases.csv:2: column 'date': 'xxxxxxxxxx")
        .stderr_has("… (1000000 characters)': expected a date")
        .stderr_has("releases.csv:3: column 'date': '2027-01-05\\u{0}'")
        .stderr_has("unknown region '\\u{1b}[31mred'")
        .run();
    assert!(out.stderr.len() < 2_000, "{}", out.stderr.len());
    assert!(!out.stderr.contains('\0') && !out.stderr.contains('\x1b'));
}

#[test]
fn weights_too_large_for_the_engine_are_input_errors() {
    // 2147483648 once ended in exit 6 ("the independent checker rejected the plan").
    for weight in ["2147483648", "9223372036854775807", "1000.001"] {
        Test::new()
            .infra(INFRA)
            .releases(&format!(
                "id,date,depends_on,weight\na,2027-01-05,govuk,{weight}\nb,2027-01-05,govuk,1\n"
            ))
            .args(&[
                "plan",
                "--releases",
                "releases.csv",
                "--infrastructure",
                "infrastructure.csv",
            ])
            .status(3)
            .stderr_has(&format!(
                "releases.csv:2: column 'weight': '{weight}': too large: a weight is at most 1000"
            ))
            .run();
    }
    // The largest weight plans normally.
    let out = Test::new()
        .infra(INFRA)
        .releases(
            "id,date,depends_on,weight\na,2027-01-05,govuk,1000\nb,2027-01-05,govuk,999.999\n",
        )
        .args(&[
            "plan",
            "--releases",
            "releases.csv",
            "--infrastructure",
            "infrastructure.csv",
            "--json",
            "--out",
            "s.csv",
        ])
        .run();
    let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(v["peak_after"], 1000, "{v}");
    Test::new()
        .infra("id,failures_per_year,recovery_minutes\ngovuk,1e308,1e308\n")
        .releases("id,date,depends_on\na,2027-01-05,govuk\n")
        .check()
        .status(3)
        .stderr_has("column 'failures_per_year': '1e308': too large")
        .stderr_has("column 'recovery_minutes': '1e308': too large")
        .run();
}

// ---------------------------------------------------------------------------------------
// The time limit and determinism (issue 9): extreme shapes under a short limit, exit 7,
// byte-identical plans under CPU load.

/// Releases CSV: release `i` on working day `day(i)` in England and Wales from Monday
/// 4 January 2027 (day 600 falls in 2029), depending on `deps(i)`.
fn shape_releases(
    n: usize,
    day: impl Fn(usize) -> usize,
    deps: impl Fn(usize) -> String,
) -> String {
    let holidays = Command::cargo_bin("stagger")
        .unwrap()
        .args([
            "holidays",
            "--region",
            "england-and-wales",
            "--from",
            "2027",
            "--to",
            "2030",
        ])
        .output()
        .unwrap();
    let holidays = String::from_utf8(holidays.stdout).unwrap();
    let mut weekdays = Vec::new();
    let mut d = chrono::NaiveDate::from_ymd_opt(2027, 1, 4).unwrap();
    while weekdays.len() < 800 {
        if chrono::Datelike::weekday(&d).number_from_monday() <= 5
            && !holidays.contains(&d.to_string())
        {
            weekdays.push(d);
        }
        d = d.succ_opt().unwrap();
    }
    let mut s = String::from("id,title,date,status,depends_on,weight\n");
    for i in 0..n {
        let date = weekdays[day(i) % weekdays.len()];
        s.push_str(&format!(
            "r{i:05},Release {i},{date},provisional,{},{}\n",
            deps(i),
            1 + i % 3
        ));
    }
    s
}

/// Plans `releases` with `infrastructure` under `--time-limit seconds`; checks that a
/// verified plan was written (exit 0, one row per release, never worse than the input
/// on peak) and returns the JSON summary.
fn plan_shape(releases: &str, infrastructure: &str, seconds: &str) -> serde_json::Value {
    let out = Test::new()
        .releases(releases)
        .infra(infrastructure)
        .args(&[
            "plan",
            "--releases",
            "releases.csv",
            "--infrastructure",
            "infrastructure.csv",
            "--region",
            "england-and-wales",
            "--out",
            "schedule.csv",
            "--json",
            "--time-limit",
            seconds,
        ])
        .run();
    let v: serde_json::Value = serde_json::from_str(&out.stdout).expect("json summary");
    let rows = out.read("schedule.csv").lines().count() - 1;
    assert_eq!(rows, releases.lines().count() - 1);
    assert!(v["peak_after"].as_f64() <= v["peak_before"].as_f64(), "{v}");
    v
}

#[test]
fn a_short_time_limit_cuts_the_search_on_extreme_shapes_and_says_so() {
    // Each shape needs far more search than 1.5 s allows; each still gets a verified plan.
    let webs: String = (0..10)
        .map(|k| format!("web{k},Website {k},website,\n"))
        .collect();
    let webs = format!("id,name,kind,depends_on\n{webs}");
    let shapes: Vec<(&str, String, String)> = vec![
        (
            "one failure point carries everything",
            shape_releases(5000, |i| (i * 7) % 60, |_| "web0".into()),
            webs.clone(),
        ),
        (
            "every release on one day",
            shape_releases(6000, |_| 40, |i| format!("web{}", i % 10)),
            webs.clone(),
        ),
        (
            "a three-year calendar",
            shape_releases(6000, |i| (i * 13) % 780, |i| format!("web{}", i % 10)),
            webs.clone(),
        ),
        (
            "a 300-deep dependency chain",
            { shape_releases(3000, |i| (i * 11) % 100, |i| format!("p{}", i % 20)) },
            {
                let mut s = String::from("id,name,kind,depends_on\n");
                for k in 0..300 {
                    let below = if k + 1 < 300 {
                        format!("p{}", k + 1)
                    } else {
                        String::new()
                    };
                    s.push_str(&format!("p{k},Point {k},server,{below}\n"));
                }
                s
            },
        ),
    ];
    std::thread::scope(|scope| {
        for (name, releases, infrastructure) in &shapes {
            scope.spawn(move || {
                let v = plan_shape(releases, infrastructure, "1.5");
                assert_eq!(v["stopped_by"], "time", "{name}: {v}");
            });
        }
    });
}

#[test]
fn a_1000_deep_dependency_chain_plans() {
    // Every release relies on the thousands of failure points below its own: the engine
    // merges the points carrying the same releases (issue 9: 70 s at 10,000 deep).
    let depth = 1000;
    let mut infrastructure = String::from("id,name,kind,depends_on\n");
    for k in 0..depth {
        let below = if k + 1 < depth {
            format!("p{}", k + 1)
        } else {
            String::new()
        };
        infrastructure.push_str(&format!("p{k},Point {k},server,{below}\n"));
    }
    let releases = shape_releases(120, |i| (i * 7) % 20, |i| format!("p{}", i % 20));
    let v = plan_shape(&releases, &infrastructure, "600");
    assert!(v["peak_after"].as_f64() < v["peak_before"].as_f64(), "{v}");
    assert_ne!(v["stopped_by"], "time", "{v}");
}

#[test]
fn a_release_in_2199_neither_hangs_nor_blows_up_the_plan() {
    let mut releases = std::fs::read_to_string(repo("data/example/releases.csv")).unwrap();
    releases.push_str(
        "far-away,A far release,2199-06-05,09:30,provisional,,,bso-website,,northern-ireland,,,\n",
    );
    let out = Test::new()
        .releases(&releases)
        .file(
            "infrastructure.csv",
            std::fs::read(repo("data/example/infrastructure.csv")).unwrap(),
        )
        .args(&[
            "plan",
            "--releases",
            "releases.csv",
            "--infrastructure",
            "infrastructure.csv",
            "--region",
            "northern-ireland",
            "--out",
            "schedule.csv",
            "--json",
        ])
        .run();
    let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    // Within its deterministic effort: the same answer on any machine.
    assert_ne!(v["stopped_by"], "time", "{v}");
    assert!(out
        .read("schedule.csv")
        .contains("far-away,A far release,2199-06-05"));
}

#[test]
fn no_time_for_a_first_plan_is_exit_7_and_writes_nothing() {
    let out = example("plan")
        .args(&["--out", "schedule.csv", "--time-limit", "0.000001"])
        .status(7)
        .stderr_has("time limit")
        .stderr_has("--time-limit")
        .run();
    assert!(!out.dir.path().join("schedule.csv").exists());
}

/// Plans the generated calendar in `dir` (with `--today 2026-11-30`, `--json` and a
/// generous `--time-limit 600`: these tests are about the work units, not the safety
/// stop) into `out`, plus `extra` options; returns the JSON summary without its
/// wall-clock seconds (the one figure allowed to differ) and the schedule's bytes.
fn plan_generated(dir: &Path, out: &str, extra: &[&str]) -> (serde_json::Value, Vec<u8>) {
    let o = Command::cargo_bin("stagger")
        .unwrap()
        .current_dir(dir)
        .args([
            "plan",
            "--releases",
            "releases.csv",
            "--infrastructure",
            "infrastructure.csv",
            "--today",
            "2026-11-30",
            "--json",
            "--time-limit",
            "600",
            "--out",
            out,
        ])
        .args(extra)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let mut v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    v["seconds"] = serde_json::Value::Null;
    (v, std::fs::read(dir.join(out)).unwrap())
}

#[test]
fn plans_are_byte_identical_under_cpu_load_and_say_stopped_by_effort_or_proven() {
    let gen = Test::new()
        .args(&["generate", "--releases", "150", "--seed", "9", "--out", "g"])
        .run();
    let dir = gen.dir.path().join("g");
    let plan = |out: &str| plan_generated(&dir, out, &[]);
    let quiet = plan("quiet.csv");
    // Keep every core busy while planning again.
    let stop = std::sync::atomic::AtomicBool::new(false);
    let loaded = std::thread::scope(|scope| {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        for _ in 0..cores {
            scope.spawn(|| {
                let mut x = 0u64;
                while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                    x = std::hint::black_box(x.wrapping_mul(6364136223846793005).wrapping_add(1));
                }
            });
        }
        let loaded = plan("loaded.csv");
        stop.store(true, std::sync::atomic::Ordering::Relaxed);
        loaded
    });
    assert_ne!(quiet.0["stopped_by"], "time", "{}", quiet.0);
    assert_eq!(quiet.0, loaded.0);
    assert!(quiet.1 == loaded.1, "the schedules differ");
}

// ---------------------------------------------------------------------------
// Series, linked releases and notice periods (docs/formats.md, docs/objective.md)

const SERIES_INFRA: &str = "id,name,kind,depends_on\n\
web,Statistics website,website,\n\
govuk,GOV.UK,website,\n";

/// `id → (date, reason)` of a schedule.
fn planned(schedule: &str) -> std::collections::BTreeMap<String, (String, String)> {
    csv_rows(schedule)
        .into_iter()
        .map(|r| (r["id"].clone(), (r["date"].clone(), r["reason"].clone())))
        .collect()
}

#[test]
fn a_weekly_series_squeezed_by_a_confirmed_release_keeps_its_order_weekday_and_spacing() {
    // Four weekly Thursday releases; a confirmed release on the same website lands on the
    // second one. Moving only that one (to Wednesday 13 January) would break the weekday;
    // moving it a week on would put it on the third one's day. The fewest moves: the
    // first release a week earlier, the second onto its old day.
    let out = Test::new()
        .infra(SERIES_INFRA)
        .releases(
            "id,title,date,status,depends_on\n\
             d1,Deaths registered weekly: week ending 1 January 2027,2027-01-07,provisional,web\n\
             d2,Deaths registered weekly: week ending 8 January 2027,2027-01-14,provisional,web\n\
             d3,Deaths registered weekly: week ending 15 January 2027,2027-01-21,provisional,web\n\
             d4,Deaths registered weekly: week ending 22 January 2027,2027-01-28,provisional,web\n\
             c,Labour market overview: January 2027,2027-01-14,confirmed,web\n",
        )
        .plan_to("schedule.csv")
        .stdout_has("Series: 1 of two or more releases (from titles")
        .stdout_has("1 keep their weekday")
        .stdout_has("Warning: 1 release moved into 24 December to 1 January")
        .run();
    let schedule = out.read("schedule.csv");
    let plan = planned(&schedule);
    assert_eq!(plan["d1"].0, "2026-12-31", "{schedule}");
    assert_eq!(plan["d2"].0, "2027-01-07", "{schedule}");
    assert_eq!(plan["d3"].0, "2027-01-21");
    assert_eq!(plan["d4"].0, "2027-01-28");
    assert_eq!(plan["c"].0, "2027-01-14");
    // The first release moved only to make way for its series: the notice says so.
    assert!(
        plan["d1"].1.contains(
            "to keep the releases of 'Deaths registered weekly' in order and spaced out: \
             its next release moved from Thursday 14 January to Thursday 7 January 2027"
        ),
        "{}",
        plan["d1"].1
    );
    // The inferred series is written out, so a user can correct it and plan again.
    let rows = csv_rows(&schedule);
    assert!(rows[..4]
        .iter()
        .all(|r| r["series"] == "Deaths registered weekly"));
    assert_eq!(rows[4]["series"], "");
    // Checking the plan finds no series findings, and without the series rules the
    // plan is a one-day move off the weekday.
    Test::new()
        .infra(SERIES_INFRA)
        .releases(&schedule)
        .check()
        .stdout_has("Deaths registered weekly")
        .run();
    let free = Test::new()
        .infra(SERIES_INFRA)
        .releases(&out.read("releases.csv"))
        .args(&[
            "plan",
            "--releases",
            "releases.csv",
            "--infrastructure",
            "infrastructure.csv",
            "--series",
            "none",
            "--out",
            "free.csv",
        ])
        .run();
    let free = planned(&free.read("free.csv"));
    assert_ne!(free["d1"].0, "2026-12-31");
}

#[test]
fn a_together_group_moves_whole_and_an_after_link_follows_it() {
    let out = Test::new()
        .infra(SERIES_INFRA)
        .releases(
            "id,title,date,status,earliest,depends_on,together,after\n\
             gdp,GDP first quarterly estimate,2027-01-14,provisional,2027-01-14,web,gdp,\n\
             gdp-data,GDP first quarterly estimate: data tables,2027-01-14,provisional,2027-01-14,web,gdp,\n\
             gdp-rev,GDP quarterly national accounts,2027-01-15,provisional,,govuk,,gdp\n\
             lms,Labour market overview,2027-01-14,confirmed,,web,,\n",
        )
        .plan_to("schedule.csv")
        .stdout_has("Links: 1 together group, 1 after link.")
        .run();
    let plan = planned(&out.read("schedule.csv"));
    // The bulletin and its tables leave the confirmed release's day together (their own
    // window starts that day), and the revision they must precede moves after them.
    assert_eq!(plan["gdp"].0, "2027-01-15");
    assert_eq!(plan["gdp-data"].0, "2027-01-15");
    assert_eq!(plan["gdp-rev"].0, "2027-01-18");
    assert_eq!(
        plan["gdp-rev"].1,
        "Moved from Friday 15 January to Monday 18 January 2027 because it follows 'GDP first \
         quarterly estimate', which moved from Thursday 14 January to Friday 15 January 2027."
    );
}

#[test]
fn releases_inside_their_notice_period_stay_and_no_move_lands_inside_it() {
    let out = Test::new()
        .infra(SERIES_INFRA)
        .releases(
            "id,title,date,status,depends_on,market_sensitive\n\
             a,Alpha,2026-12-03,provisional,web,false\n\
             b,Beta,2026-12-03,provisional,web,false\n\
             c,Gamma,2027-01-05,provisional,web,false\n\
             e,Delta,2027-01-05,provisional,web,false\n\
             m,Retail sales,2027-03-04,provisional,web,true\n\
             n,Trade,2027-03-04,provisional,web,false\n",
        )
        .plan_to("schedule.csv")
        .args(&["--today", "2026-11-30"])
        .stdout_has("Today Monday 30 November 2026: 20 working days' notice (130 if market-sensitive); 3 provisional releases inside their notice period stay on their dates.")
        .run();
    let plan = planned(&out.read("schedule.csv"));
    // Within four weeks of today: frozen, although they clash.
    assert_eq!(plan["a"].0, "2026-12-03");
    assert_eq!(plan["b"].0, "2026-12-03");
    // Market-sensitive: frozen for six months; its partner moves instead.
    assert_eq!(plan["m"].0, "2027-03-04");
    assert_ne!(plan["n"].0, "2027-03-04");
    // The January pair is split, but not onto a day inside the notice period
    // (the 20th working day after 30 November 2026 is 30 December).
    let (c, e) = (&plan["c"].0, &plan["e"].0);
    assert_ne!(c, e);
    assert!(
        c.as_str() >= "2026-12-30" && e.as_str() >= "2026-12-30",
        "{c} {e}"
    );
    // With an earlier planning date nothing is frozen.
    let early = Test::new()
        .infra(SERIES_INFRA)
        .releases(&out.read("releases.csv"))
        .plan_to("schedule.csv")
        .args(&["--today", "2026-01-05"])
        .stdout_has("no provisional release is inside its notice period")
        .run();
    let plan = planned(&early.read("schedule.csv"));
    assert_ne!(plan["a"].0, plan["b"].0);
}

#[test]
fn contradictory_order_rules_are_infeasible_and_every_step_is_named() {
    // The series says week 1 before week 2; the after column says the opposite.
    Test::new()
        .infra(SERIES_INFRA)
        .releases(
            "id,title,date,status,depends_on,series,after\n\
             w1,Weekly deaths week 1,2027-01-07,provisional,web,deaths,w2\n\
             w2,Weekly deaths week 2,2027-01-14,provisional,web,deaths,\n",
        )
        .plan_to("schedule.csv")
        .status(4)
        .stderr_has("the order rules contradict each other")
        .stderr_has("series 'deaths'")
        .stderr_has("its `after` column")
        .run();
}

#[test]
fn check_lists_the_series_and_reports_a_schedule_that_breaks_their_rules() {
    // A schedule (with proposed dates) whose third weekly release was put on the second
    // one's day and whose fourth left its weekday.
    let schedule = "id,title,date,status,depends_on,proposed_date\n\
        d1,Deaths registered weekly: week ending 1 January 2027,2027-01-07,provisional,web,2027-01-07\n\
        d2,Deaths registered weekly: week ending 8 January 2027,2027-01-14,provisional,web,2027-01-14\n\
        d3,Deaths registered weekly: week ending 15 January 2027,2027-01-14,provisional,web,2027-01-21\n\
        d4,Deaths registered weekly: week ending 22 January 2027,2027-01-29,provisional,web,2027-01-28\n";
    let out = Test::new()
        .infra(SERIES_INFRA)
        .releases(schedule)
        .check()
        .stdout_has("Deaths registered weekly")
        .stdout_has("series-same-day")
        .stdout_has("series-weekday")
        .run();
    assert!(out.stdout.contains("4 releases"), "{}", out.stdout);
    Test::new()
        .infra(SERIES_INFRA)
        .releases(schedule)
        .check()
        .args(&["--deny-findings"])
        .status(1)
        .run();
}

#[test]
fn the_same_inputs_twice_give_the_same_bytes_in_every_output() {
    let run = || {
        let plan = example("plan")
            .args(&[
                "--out",
                "schedule.csv",
                "--ics",
                "calendar.ics",
                "--json",
                "--time-limit",
                "600",
            ])
            .run();
        let mut summary: serde_json::Value = serde_json::from_str(&plan.stdout).unwrap();
        assert_ne!(summary["stopped_by"], "time", "{summary}");
        // Wall-clock seconds are the one figure allowed to differ.
        summary["seconds"] = serde_json::Value::Null;
        let report = example("report")
            .args(&["--out", "report.html", "--time-limit", "600"])
            .run();
        assert!(
            !report.stderr.contains("Stopped by the time limit"),
            "{}",
            report.stderr
        );
        (
            plan.read("schedule.csv"),
            plan.read("calendar.ics"),
            summary,
            report.read("report.html"),
        )
    };
    let (a, b) = (run(), run());
    assert!(a.0 == b.0, "schedule.csv differs between runs");
    assert!(a.1 == b.1, "calendar.ics differs between runs");
    assert_eq!(a.2, b.2, "the summary differs between runs");
    assert!(a.3 == b.3, "report.html differs between runs");
}

/// A calendar that needs far more search than a second or two: 4,000 releases on one
/// website over 60 working days.
fn crowded_calendar() -> (String, String) {
    (
        shape_releases(4000, |i| (i * 7) % 60, |_| "web0".into()),
        "id,name,kind,depends_on\nweb0,Website,website,\n".to_string(),
    )
}

#[test]
fn a_plan_cut_short_says_so_in_its_text_summary() {
    let (releases, infrastructure) = crowded_calendar();
    let out = Test::new()
        .releases(&releases)
        .infra(&infrastructure)
        .args(&[
            "plan",
            "--releases",
            "releases.csv",
            "--infrastructure",
            "infrastructure.csv",
            "--out",
            "schedule.csv",
            "--time-limit",
            "1.5",
        ])
        .stdout_has("Stopped by the time limit")
        .stdout_has("--time-limit")
        .run();
    assert_eq!(out.read("schedule.csv").lines().count(), 4001);
}

#[test]
fn a_report_and_charts_cut_short_by_the_time_limit_say_so() {
    let (releases, infrastructure) = crowded_calendar();
    let visual = |command: &str, out: &str| {
        Test::new()
            .releases(&releases)
            .infra(&infrastructure)
            .args(&[
                command,
                "--releases",
                "releases.csv",
                "--infrastructure",
                "infrastructure.csv",
                "--out",
                out,
                "--time-limit",
                "1.5",
            ])
            .stderr_has("Stopped by the time limit")
            .run()
    };
    let report = visual("report", "report.html");
    assert!(report
        .read("report.html")
        .contains("Stopped by the time limit"));
    let charts = visual("chart", "charts");
    assert!(charts.dir.path().join("charts/heatmap.svg").exists());
}

#[test]
fn no_time_for_a_first_plan_in_a_report_or_charts_is_exit_7_and_writes_nothing() {
    for (command, out) in [("report", "report.html"), ("chart", "charts")] {
        let run = example(command)
            .args(&["--out", out, "--time-limit", "0.000001"])
            .status(7)
            .stderr_has("--time-limit")
            .run();
        assert!(
            !run.dir.path().join(out).exists(),
            "{command} wrote {out} although it had no plan"
        );
    }
}

#[cfg(not(feature = "highs"))]
#[test]
fn solver_highs_without_the_feature_is_a_usage_error_that_says_how_to_get_it() {
    small_plan()
        .args(&["--solver", "highs"])
        .status(2)
        .stderr_has("this build has no HiGHS")
        .stderr_has("--features highs")
        .run();
}

#[test]
fn thousands_of_conflicts_are_listed_up_to_a_hundred() {
    let releases = (0..3000).fold("id,date,status,depends_on\n".to_string(), |s, i| {
        s + &format!("r{i},2027-08-07,confirmed,govuk\n")
    });
    let out = Test::new()
        .infra(INFRA)
        .releases(&releases)
        .args(&[
            "plan",
            "--releases",
            "releases.csv",
            "--infrastructure",
            "infrastructure.csv",
        ])
        .status(4)
        .stderr_has("r0 (line 2) is confirmed on Saturday 7 August 2027")
        .stderr_has("… and 2900 more (the first 100 are shown)")
        .run();
    assert!(
        out.stderr.lines().count() < 110,
        "{}",
        out.stderr.lines().count()
    );
}

#[test]
fn the_plan_does_not_depend_on_the_thread_count() {
    let gen = Test::new()
        .args(&["generate", "--releases", "150", "--seed", "9", "--out", "g"])
        .run();
    let dir = gen.dir.path().join("g");
    let plan = |threads: &str| {
        let (v, bytes) = plan_generated(
            &dir,
            &format!("threads{threads}.csv"),
            &["--threads", threads],
        );
        assert_ne!(
            v["stopped_by"], "time",
            "the safety stop must not decide this test"
        );
        (v, bytes)
    };
    let one = plan("1");
    assert_eq!(plan("3"), one);
    // A thread count of 0 is a usage error.
    Test::new()
        .releases("id,date,depends_on\nr1,2027-03-04,web\n")
        .infra(INFRA)
        .plan_to("s.csv")
        .args(&["--threads", "0"])
        .status(2)
        .stderr_has("--threads")
        .run();
}
