//! The `baton` binary on the hostile corpus (tests/fixtures/hostile): a file
//! that fails gives one clear line naming it and exit code 2, never a panic,
//! and leaves no output file behind; a file that loads with skipped records
//! gives a report.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::path::PathBuf;

use assert_cmd::Command;

fn hostile() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/hostile")
}

/// (file, expected error words) of the manifest's failing cases.
fn cases() -> Vec<(String, Option<Vec<String>>)> {
    let v: serde_json::Value =
        serde_json::from_slice(&std::fs::read(hostile().join("cases.json")).unwrap()).unwrap();
    let mut out = Vec::new();
    for case in v["cases"].as_array().unwrap() {
        for f in case["files"].as_array().unwrap() {
            let words = f["error"]
                .as_array()
                .map(|a| a.iter().map(|w| w.as_str().unwrap().to_string()).collect());
            out.push((f["file"].as_str().unwrap().to_string(), words));
        }
    }
    out
}

#[test]
fn every_corpus_file_gives_a_clear_outcome_and_no_panic() {
    let dir = tempfile::tempdir().unwrap();
    let cases = cases();
    assert!(cases.len() >= 30);
    for (file, error) in cases {
        let out_path = dir.path().join(format!("{file}.md"));
        let output = Command::cargo_bin("baton")
            .unwrap()
            .args(["report", "--detailed", "--output"])
            .arg(&out_path)
            .arg(hostile().join(&file))
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(!stderr.contains("panicked"), "{file}: {stderr}");
        match error {
            Some(words) => {
                assert_eq!(output.status.code(), Some(2), "{file}: {stderr}");
                let line = stderr
                    .lines()
                    .find(|l| l.contains(&file))
                    .unwrap_or_else(|| panic!("{file}: not named in {stderr:?}"));
                assert!(line.starts_with("baton: "), "{file}: {line}");
                for w in &words {
                    assert!(line.contains(w.as_str()), "{file}: {line:?} lacks {w:?}");
                }
                // No report, complete or partial, and no temporary file.
                assert!(!out_path.exists(), "{file}: an output file was left");
            }
            None => {
                assert_eq!(output.status.code(), Some(0), "{file}: {stderr}");
                let md = std::fs::read_to_string(&out_path).unwrap();
                assert!(md.starts_with('#'), "{file}: {md}");
                assert!(!md.contains("NaN") && !md.contains("<img"), "{file}");
            }
        }
        // Each stderr line is one line of text: no raw control characters.
        for l in stderr.lines() {
            assert!(
                !l.chars().any(|c| c.is_control() && c != '\t'),
                "{file}: {l:?}"
            );
        }
    }
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .filter(|n| n.to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn failing_input_on_stdin_is_named_and_exits_2() {
    for bytes in [
        Vec::new(),
        vec![0xFF, 0xFE, b'{', 0],
        b"{\"format\":\"baton\",\"version\":1,\"operations\":[{\"id\"".to_vec(),
    ] {
        let output = Command::cargo_bin("baton")
            .unwrap()
            .args(["report", "--format", "json", "-"])
            .write_stdin(bytes)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{stderr}");
        assert!(stderr.starts_with("baton: stdin: "), "{stderr}");
        assert!(!stderr.contains("panicked"));
        assert!(output.stdout.is_empty(), "a report was written for nothing");
    }
}

#[test]
fn hostile_names_never_reach_the_terminal_raw() {
    for cmd in ["agents", "failures", "sessions"] {
        let output = Command::cargo_bin("baton")
            .unwrap()
            .args([cmd, "--quiet"])
            .arg(hostile().join("hostile_names.ndjson"))
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(0), "{cmd}");
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(
            !stdout.contains('\u{1b}'),
            "{cmd}: escape sequence from the data"
        );
        assert!(
            !stdout.contains('\u{202e}'),
            "{cmd}: right-to-left override"
        );
        assert!(!stdout.contains('\0'), "{cmd}: NUL");
    }
}

#[test]
fn a_good_file_beside_a_failing_one_still_reports_and_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let out_path = dir.path().join("r.json");
    let output = Command::cargo_bin("baton")
        .unwrap()
        .args(["report", "--format", "json", "--quiet", "--output"])
        .arg(&out_path)
        .arg(hostile().join("binary.bin"))
        .arg(hostile().join("crlf.ndjson"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(&out_path).unwrap()).unwrap();
    assert!(v.is_object());
}
