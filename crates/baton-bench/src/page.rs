//! `baton-bench page-size [--dist dist]`: the compressed size of everything
//! the page loads (every file of the release build): gzip level 9 here,
//! brotli quality 11 through Node.js's zlib when `node` is available.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

fn files(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            files(&path, out)?;
        } else {
            out.push(path);
        }
    }
    Ok(())
}

fn gzip(bytes: &[u8]) -> usize {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    let _ = e.write_all(bytes);
    e.finish().map_or(0, |v| v.len())
}

fn brotli(path: &Path) -> Option<usize> {
    let script = "const z=require('zlib'),fs=require('fs');\
        const b=z.brotliCompressSync(fs.readFileSync(process.argv[1]),\
        {params:{[z.constants.BROTLI_PARAM_QUALITY]:11}});process.stdout.write(String(b.length));";
    let out = Command::new("node")
        .args(["-e", script])
        .arg(path)
        .stderr(Stdio::null())
        .output()
        .ok()?;
    String::from_utf8(out.stdout).ok()?.trim().parse().ok()
}

/// The `page-size` command: prints a Markdown table and writes it to
/// `--out` (default docs/bench/page-size.md).
pub fn run(args: &[String]) -> Result<(), String> {
    let arg = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let dist = PathBuf::from(arg("--dist").unwrap_or_else(|| "dist".into()));
    let out = PathBuf::from(arg("--out").unwrap_or_else(|| "docs/bench/page-size.md".into()));
    let mut list = Vec::new();
    files(&dist, &mut list)
        .map_err(|e| format!("{}: {e} (run trunk build --release first)", dist.display()))?;
    list.sort();
    let mut s = String::new();
    let _ = writeln!(
        s,
        "| file | bytes | gzip -9 | brotli 11 |\n|---|---:|---:|---:|"
    );
    let (mut raw, mut gz, mut br) = (0usize, 0usize, Some(0usize));
    for p in &list {
        let bytes = std::fs::read(p).map_err(|e| e.to_string())?;
        let g = gzip(&bytes);
        let b = brotli(p);
        raw += bytes.len();
        gz += g;
        br = br.zip(b).map(|(a, b)| a + b);
        let name = p.strip_prefix(&dist).unwrap_or(p).display().to_string();
        let _ = writeln!(
            s,
            "| {name} | {} | {g} | {} |",
            bytes.len(),
            b.map_or_else(|| "n/a".into(), |b| b.to_string())
        );
    }
    let _ = writeln!(
        s,
        "| **total** | **{raw}** ({:.0} KB) | **{gz}** ({:.0} KB) | **{}** |",
        raw as f64 / 1024.0,
        gz as f64 / 1024.0,
        br.map_or_else(
            || "n/a".into(),
            |b| format!("{b} ({:.0} KB)", b as f64 / 1024.0)
        )
    );
    if let Some(parent) = out.parent() {
        let _ = std::fs::create_dir_all(parent);
    }
    std::fs::write(&out, &s).map_err(|e| e.to_string())?;
    println!("{s}");
    Ok(())
}
