//! A small Markdown renderer for the report preview: headings, paragraphs,
//! bullet and numbered lists, pipe tables, fenced code, `**bold**`, `*em*`
//! and `` `code` ``. It builds Yew nodes, so every piece of text stays text
//! (names from files are never interpreted as HTML).

use yew::prelude::*;

use super::common::{el, el_attrs, text};

/// A piece of inline text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Inline {
    /// Plain text.
    Text(String),
    /// Bold text.
    Bold(String),
    /// Emphasised text.
    Em(String),
    /// Inline code.
    Code(String),
}

/// A block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    /// Heading level 1-6.
    Heading(u8, Vec<Inline>),
    /// Paragraph.
    Para(Vec<Inline>),
    /// List items; true when numbered.
    List(bool, Vec<Vec<Inline>>),
    /// Table: header cells and rows.
    Table(Vec<Vec<Inline>>, Vec<Vec<Vec<Inline>>>),
    /// Fenced code.
    Code(String),
    /// Horizontal rule.
    Rule,
}

/// Parses inline markup. Backslash escapes (`\|`, `\*`, `\_`) give the character.
pub fn inline(text: &str) -> Vec<Inline> {
    let mut out = Vec::new();
    let mut buf = String::new();
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    let flush = |buf: &mut String, out: &mut Vec<Inline>| {
        if !buf.is_empty() {
            out.push(Inline::Text(std::mem::take(buf)));
        }
    };
    let find = |from: usize, pat: &[char]| -> Option<usize> {
        (from..chars.len()).find(|&j| chars.get(j..j + pat.len()) == Some(pat))
    };
    while let Some(&c) = chars.get(i) {
        match c {
            '\\' if chars.get(i + 1).is_some_and(|n| n.is_ascii_punctuation()) => {
                buf.extend(chars.get(i + 1));
                i += 2;
            }
            '*' if chars.get(i + 1) == Some(&'*') => match find(i + 2, &['*', '*']) {
                Some(end) if end > i + 2 => {
                    flush(&mut buf, &mut out);
                    out.push(Inline::Bold(unescape(&chars[i + 2..end])));
                    i = end + 2;
                }
                _ => {
                    buf.push_str("**");
                    i += 2;
                }
            },
            // Only `*` marks emphasis: `_` is common inside names (process_issue).
            '*' => match find(i + 1, &[c]) {
                Some(end)
                    if end > i + 1 && chars.get(i + 1).is_some_and(|n| !n.is_whitespace()) =>
                {
                    flush(&mut buf, &mut out);
                    out.push(Inline::Em(unescape(&chars[i + 1..end])));
                    i = end + 1;
                }
                _ => {
                    buf.push(c);
                    i += 1;
                }
            },
            '`' => match find(i + 1, &['`']) {
                Some(end) => {
                    flush(&mut buf, &mut out);
                    out.push(Inline::Code(chars[i + 1..end].iter().collect()));
                    i = end + 1;
                }
                None => {
                    buf.push(c);
                    i += 1;
                }
            },
            _ => {
                buf.push(c);
                i += 1;
            }
        }
    }
    flush(&mut buf, &mut out);
    out.into_iter()
        .map(|p| match p {
            Inline::Text(t) => Inline::Text(entities(&t)),
            Inline::Bold(t) => Inline::Bold(entities(&t)),
            Inline::Em(t) => Inline::Em(entities(&t)),
            code => code,
        })
        .collect()
}

/// Decodes the entities the report writer uses to neutralise HTML (the
/// preview shows the characters, as text nodes).
fn entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

fn unescape(chars: &[char]) -> String {
    let mut s = String::with_capacity(chars.len());
    let mut it = chars.iter().peekable();
    while let Some(&c) = it.next() {
        if c == '\\' && it.peek().is_some_and(|n| n.is_ascii_punctuation()) {
            s.extend(it.next());
        } else {
            s.push(c);
        }
    }
    s
}

/// Splits a table row on unescaped pipes.
fn cells(line: &str) -> Vec<String> {
    let t = line.trim();
    let t = t.strip_prefix('|').unwrap_or(t);
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut chars = t.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            // An escape keeps its character (inline() resolves it), so `\\|` ends a cell.
            '\\' => {
                cur.push('\\');
                cur.extend(chars.next());
            }
            '|' => out.push(std::mem::take(&mut cur).trim().to_string()),
            _ => cur.push(c),
        }
    }
    if !cur.trim().is_empty() {
        out.push(cur.trim().to_string());
    }
    out
}

fn is_separator(line: &str) -> bool {
    let t = line.trim();
    t.starts_with('|') && t.contains('-') && t.chars().all(|c| matches!(c, '|' | '-' | ':' | ' '))
}

fn list_item(line: &str) -> Option<(bool, &str)> {
    let t = line.trim_start();
    if let Some(rest) = t.strip_prefix("- ").or_else(|| t.strip_prefix("* ")) {
        return Some((false, rest));
    }
    let digits = t.chars().take_while(char::is_ascii_digit).count();
    if digits > 0 {
        if let Some(rest) = t.get(digits..).and_then(|r| r.strip_prefix(". ")) {
            return Some((true, rest));
        }
    }
    None
}

/// Parses the Markdown subset into blocks.
pub fn parse(text: &str) -> Vec<Block> {
    let lines: Vec<&str> = text.lines().collect();
    let mut blocks = Vec::new();
    let mut i = 0;
    while let Some(&line) = lines.get(i) {
        let t = line.trim();
        if t.is_empty() {
            i += 1;
        } else if t.starts_with("```") {
            let mut code = Vec::new();
            i += 1;
            while let Some(&l) = lines.get(i) {
                i += 1;
                if l.trim_start().starts_with("```") {
                    break;
                }
                code.push(l);
            }
            blocks.push(Block::Code(code.join("\n")));
        } else if t.starts_with('#') {
            let level = t.chars().take_while(|c| *c == '#').count();
            let rest = t.get(level..).unwrap_or("").trim();
            blocks.push(Block::Heading(level.clamp(1, 6) as u8, inline(rest)));
            i += 1;
        } else if t == "---" || t == "***" {
            blocks.push(Block::Rule);
            i += 1;
        } else if t.starts_with('|') && lines.get(i + 1).is_some_and(|l| is_separator(l)) {
            let header = cells(t).iter().map(|c| inline(c)).collect();
            i += 2;
            let mut rows = Vec::new();
            while let Some(l) = lines.get(i).filter(|l| l.trim().starts_with('|')) {
                rows.push(cells(l).iter().map(|c| inline(c)).collect());
                i += 1;
            }
            blocks.push(Block::Table(header, rows));
        } else if let Some((numbered, _)) = list_item(t) {
            let mut items = Vec::new();
            while let Some((n, rest)) = lines.get(i).and_then(|l| list_item(l)) {
                if n != numbered {
                    break;
                }
                items.push(inline(rest));
                i += 1;
            }
            blocks.push(Block::List(numbered, items));
        } else {
            let mut para = Vec::new();
            while let Some(&l) = lines.get(i) {
                let lt = l.trim();
                if lt.is_empty()
                    || lt.starts_with('#')
                    || lt.starts_with('|')
                    || lt.starts_with("```")
                    || list_item(lt).is_some()
                {
                    break;
                }
                para.push(lt);
                i += 1;
            }
            blocks.push(Block::Para(inline(&para.join(" "))));
        }
    }
    blocks
}

fn inlines(parts: &[Inline]) -> Html {
    parts
        .iter()
        .map(|p| match p {
            Inline::Text(t) => text(t.clone()),
            Inline::Bold(t) => el("strong", "", vec![text(t.clone())]),
            Inline::Em(t) => el("em", "", vec![text(t.clone())]),
            Inline::Code(t) => el("code", "", vec![text(t.clone())]),
        })
        .collect()
}

/// A block element holding inline Markdown.
fn block(tag: &'static str, parts: &[Inline]) -> Html {
    el(tag, "", vec![inlines(parts)])
}

/// Renders Markdown as Yew nodes.
pub fn render(md: &str) -> Html {
    parse(md)
        .iter()
        .map(|b| match b {
            Block::Heading(1, t) => block("h1", t),
            Block::Heading(2, t) => block("h2", t),
            Block::Heading(3, t) => block("h3", t),
            Block::Heading(_, t) => block("h4", t),
            Block::Para(t) => block("p", t),
            Block::List(ordered, items) => el(
                if *ordered { "ol" } else { "ul" },
                "",
                items.iter().map(|t| block("li", t)).collect(),
            ),
            Block::Table(head, rows) => el(
                "div",
                "table-wrap",
                vec![el(
                    "table",
                    "data",
                    vec![
                        el(
                            "thead",
                            "",
                            vec![el(
                                "tr",
                                "",
                                head.iter()
                                    .map(|c| {
                                        el_attrs(
                                            "th",
                                            &["scope"],
                                            vec!["col".into()],
                                            vec![inlines(c)],
                                        )
                                    })
                                    .collect(),
                            )],
                        ),
                        el(
                            "tbody",
                            "",
                            rows.iter()
                                .map(|r| el("tr", "", r.iter().map(|c| block("td", c)).collect()))
                                .collect(),
                        ),
                    ],
                )],
            ),
            Block::Code(c) => el("pre", "", vec![el("code", "", vec![text(c.clone())])]),
            Block::Rule => el("hr", "", Vec::new()),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> Inline {
        Inline::Text(s.into())
    }

    #[test]
    fn inline_markup() {
        assert_eq!(
            inline("- Success Rate: **82.5%** of `ops`"),
            vec![
                text("- Success Rate: "),
                Inline::Bold("82.5%".into()),
                text(" of "),
                Inline::Code("ops".into())
            ]
        );
        // Unclosed markers and escapes stay text.
        assert_eq!(inline("a ** b"), vec![text("a ** b")]);
        assert_eq!(inline(r"a \| b \* c"), vec![text("a | b * c")]);
        assert_eq!(inline("3 * 4"), vec![text("3 * 4")]);
        assert_eq!(
            inline("process_issue and create_pr"),
            vec![text("process_issue and create_pr")]
        );
        assert_eq!(inline("&lt;b&gt; &amp;lt;"), vec![text("<b> &lt;")]);
        // Markup-looking names are text, never HTML.
        assert_eq!(
            inline("<script>x</script>"),
            vec![text("<script>x</script>")]
        );
    }

    #[test]
    fn blocks_of_a_report() {
        let md = "# Orchestrator Report - 7 Days\n\nGenerated: 2025-11-10T14:30:00Z\n\n## Overall Metrics\n\n- Success Rate: 82.5%\n- Total Operations: 124\n\n| Operation | Count |\n|-----------|-------|\n| process\\|issue | 45 |\n| create_pr | 38 |\n\n1. first\n2. second\n";
        let b = parse(md);
        assert_eq!(b.len(), 6, "{b:?}");
        assert_eq!(
            b[0],
            Block::Heading(1, vec![text("Orchestrator Report - 7 Days")])
        );
        assert_eq!(
            b[1],
            Block::Para(vec![text("Generated: 2025-11-10T14:30:00Z")])
        );
        assert_eq!(b[2], Block::Heading(2, vec![text("Overall Metrics")]));
        assert_eq!(
            b[3],
            Block::List(
                false,
                vec![
                    vec![text("Success Rate: 82.5%")],
                    vec![text("Total Operations: 124")]
                ]
            )
        );
        assert_eq!(
            b[4],
            Block::Table(
                vec![vec![text("Operation")], vec![text("Count")]],
                vec![
                    vec![vec![text("process|issue")], vec![text("45")]],
                    vec![vec![text("create_pr")], vec![text("38")]],
                ]
            )
        );
        assert_eq!(
            b[5],
            Block::List(true, vec![vec![text("first")], vec![text("second")]])
        );
    }

    #[test]
    fn escaped_backslash_before_a_pipe_ends_the_cell() {
        // The writer doubles a trailing backslash of a name; the pipe after it separates cells.
        assert_eq!(
            parse("| x | y |\n|---|---|\n| a\\\\ | b\\|c |"),
            vec![Block::Table(
                vec![vec![text("x")], vec![text("y")]],
                vec![vec![vec![text("a\\")], vec![text("b|c")]]]
            )]
        );
    }

    #[test]
    fn fenced_code_is_kept_verbatim() {
        assert_eq!(
            parse("```\n| not | a table |\n**x**\n```"),
            vec![Block::Code("| not | a table |\n**x**".into())]
        );
    }
}
