//! The table-driven test of `classify::llm`: every realistic provider error response in
//! `tests/fixtures/llm/` (format in its README.md) gets the verdict written beside it.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use retry_runtime::__private::classify_llm_at;
use retry_runtime::classify::llm::Verdict;

/// The fixed "now" of every case: 2024-05-01T12:00:00Z.
fn now() -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(1_714_564_800)
}

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/llm")
}

/// One fixture file, parsed.
#[derive(Debug)]
struct Case {
    provider: String,
    expect: Expect,
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

#[derive(Debug)]
struct Expect {
    action: String,
    reason: String,
    wait: Option<Duration>,
}

/// `none`, or a decimal with the unit `ms` or `s`.
fn parse_wait(text: &str) -> Result<Option<Duration>, String> {
    if text == "none" {
        return Ok(None);
    }
    let (number, scale) = if let Some(n) = text.strip_suffix("ms") {
        (n, 1e-3)
    } else if let Some(n) = text.strip_suffix('s') {
        (n, 1.0)
    } else {
        return Err(format!("wait {text:?}: expected `none`, `<n>ms` or `<n>s`"));
    };
    let value: f64 = number
        .parse()
        .map_err(|_| format!("wait {text:?}: {number:?} is not a number"))?;
    // Round to the microsecond: the fixtures' waits are written in ms or in decimal seconds.
    let micros = (value * scale * 1e6).round();
    Ok(Some(Duration::from_micros(micros as u64)))
}

fn parse_case(text: &str) -> Result<Case, String> {
    let mut meta = BTreeMap::new();
    let mut lines = text.split_inclusive('\n');
    let status_line = loop {
        let line = lines.next().ok_or("no status line")?;
        match line.strip_prefix('#') {
            Some(comment) => {
                let (key, value) = comment
                    .split_once(':')
                    .ok_or_else(|| format!("comment {comment:?} is not `# key: value`"))?;
                meta.insert(key.trim().to_string(), value.trim().to_string());
            }
            None => break line.trim_end(),
        }
    };
    let provider = meta.remove("provider").ok_or("no `# provider:` line")?;
    let expect = meta.remove("expect").ok_or("no `# expect:` line")?;
    let words: Vec<&str> = expect.split_whitespace().collect();
    let [action, reason, wait] = words[..] else {
        return Err(format!(
            "expect {expect:?}: want `<Action> <Reason> <wait>`"
        ));
    };
    let expect = Expect {
        action: action.into(),
        reason: reason.into(),
        wait: parse_wait(wait)?,
    };

    let status = status_line
        .split_whitespace()
        .nth(1)
        .and_then(|code| code.parse().ok())
        .ok_or_else(|| format!("status line {status_line:?} has no status code"))?;
    let mut headers = Vec::new();
    loop {
        let line = lines.next().ok_or("no empty line before the body")?;
        let line = line.trim_end_matches(['\r', '\n']);
        if line.is_empty() {
            break;
        }
        let (name, value) = line
            .split_once(':')
            .ok_or_else(|| format!("header {line:?} is not `name: value`"))?;
        headers.push((name.to_string(), value.trim().to_string()));
    }
    let body: String = lines.collect();
    let body = body.strip_suffix('\n').unwrap_or(&body).to_string();
    Ok(Case {
        provider,
        expect,
        status,
        headers,
        body,
    })
}

fn check(case: &Case) -> Result<(), String> {
    let Verdict {
        action,
        wait,
        reason,
    } = classify_llm_at(case.status, &case.headers, &case.body, now());
    let (want, got) = (
        (&case.expect.action, &case.expect.reason, case.expect.wait),
        (format!("{action:?}"), format!("{reason:?}"), wait),
    );
    if (want.0, want.1, want.2) == (&got.0, &got.1, got.2) {
        Ok(())
    } else {
        Err(format!(
            "expected {} {} {:?}, got {} {} {:?}",
            want.0, want.1, want.2, got.0, got.1, got.2
        ))
    }
}

#[test]
fn every_fixture_gets_its_verdict() {
    let dir = fixtures_dir();
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("reading {}: {e}", dir.display()))
        .map(|entry| entry.expect("a directory entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "http"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no *.http case in {}", dir.display());

    let mut per_provider = BTreeMap::<String, usize>::new();
    let mut failures = String::new();
    for path in &files {
        let name = path.file_name().unwrap().to_string_lossy();
        let text = std::fs::read_to_string(path).expect("a readable fixture");
        let outcome = parse_case(&text).and_then(|case| {
            *per_provider.entry(case.provider.clone()).or_default() += 1;
            check(&case)
        });
        if let Err(why) = outcome {
            writeln!(failures, "  {name}: {why}").unwrap();
        }
    }
    let counts: Vec<String> = per_provider
        .iter()
        .map(|(provider, n)| format!("{provider} {n}"))
        .collect();
    println!("{} cases: {}", files.len(), counts.join(", "));
    assert!(failures.is_empty(), "failing cases:\n{failures}");
    assert!(
        files.len() >= 40,
        "the issue asks for at least 40 cases, found {}",
        files.len()
    );
}

#[test]
fn a_case_without_an_expectation_is_an_error() {
    let without = "# provider: openai\nHTTP/1.1 500 Internal Server Error\n\n{}\n";
    assert!(parse_case(without).unwrap_err().contains("expect"));
    let malformed = "# provider: openai\n# expect: Retry\nHTTP/1.1 500 x\n\n\n";
    assert!(parse_case(malformed).is_err());
    let bad_wait = "# provider: openai\n# expect: Retry ServerError soon\nHTTP/1.1 500 x\n\n\n";
    assert!(parse_case(bad_wait).unwrap_err().contains("wait"));
    let no_provider = "# expect: Retry ServerError none\nHTTP/1.1 500 x\n\n\n";
    assert!(parse_case(no_provider).unwrap_err().contains("provider"));
    // A well-formed case parses to what it says.
    let case = parse_case(
        "# provider: x\n# expect: Retry RateLimited 1.5s\nHTTP/2 429\nRetry-After: 2\n\nbody\nline\n",
    )
    .unwrap();
    assert_eq!(case.status, 429);
    assert_eq!(case.headers, [("Retry-After".into(), "2".into())]);
    assert_eq!(case.body, "body\nline");
    assert_eq!(case.expect.wait, Some(Duration::from_millis(1500)));
}
