//! `cargo xtask sources`: reads the official SDKs from snapshots of their repositories and writes
//! `api/sources/{py,php,java,cs,go,js}.json`, the source matrix that `api/sources/SCHEMA.md`
//! describes.
//!
//! The snapshots are work trees of these commits (`cargo xtask sources --fetch-hint` prints the
//! same list as commands):
//!
//! | flag     | repository                       | commit                                     |
//! |----------|----------------------------------|--------------------------------------------|
//! | `--py`   | `yuansfer/yuansfer-python-sdk`   | `d7815398bf5206954385bd7f310d5e36c65a0b22` |
//! | `--php`  | `yuansfer/yuansfer-php-sdk`      | `ac6aafe7ee9f887537a1689132d615161fa5314b` |
//! | `--java` | `yuansfer/yuansfer-java-sdk`     | `7f30e4aef7fcdf0e014f96f977324469567be768` |
//! | `--cs`   | `yuansfer/yuansfer-csharp-sdk`   | `153f41f51928852aaf85d947e3001586957dea16` |
//! | `--go`   | `yuansfer/golang_sdk`            | `f46a6774d32b9bf93310a004da44d2dc3cfc8a72` |
//! | `--js`   | `yuansfer/yuansfer-jssdk`        | `9b39df4e7dcbe710b38fc4c2610baf86d6611b08` |
//!
//! The Python commit is the head of the `shawn_dev` branch, not of `master`: `master` (194b474,
//! `setup.py` 3.0.1) predates the code PyPI ships as `yuansfer` 3.0.4, and `shawn_dev` is that
//! code file for file (only its `setup.py` still says 3.0.2.0).
//!
//! Get one with `git clone https://github.com/<repository> DIR && git -C DIR checkout <commit>`,
//! or from a bare mirror with
//! `mkdir -p DIR && git --git-dir=MIRROR archive <commit> | tar -x -C DIR && echo <commit> > DIR/.commit`
//! (a directory that is not a git work tree names its commit in `.commit`).

mod csharp;
mod go;
mod java;
mod js;
mod php;
mod python;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use serde::Serialize;

/// One request field a source can send.
#[derive(Serialize, Clone, Debug, PartialEq)]
pub(crate) struct Field {
    /// The name on the wire.
    pub wire: String,
    /// `file:line` where the source names it.
    pub at: String,
    /// The source refuses to send the request without it.
    pub requires: bool,
    /// The condition under which the source requires it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub when: Option<String>,
    /// Why this entry is no evidence.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bug: Option<String>,
}

impl Field {
    /// A field the source can send and does not require.
    pub fn optional(wire: &str, at: String) -> Self {
        Field {
            wire: wire.to_string(),
            at,
            requires: false,
            when: None,
            bug: None,
        }
    }
}

/// One response field a source reads.
#[derive(Serialize, Clone, Debug, PartialEq)]
pub(crate) struct Read {
    /// The name on the wire.
    pub wire: String,
    /// `file:line` where the source reads it.
    pub at: String,
}

/// One endpoint as a source calls it.
#[derive(Serialize, Clone, Debug, Default)]
pub(crate) struct Endpoint {
    /// The documented path (after [`finish`]); the extractors put the path the source posts to.
    pub path: String,
    /// `file:line` of the class, function or type that calls the endpoint.
    pub at: String,
    /// Why this source is no evidence for the endpoint.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub broken: Option<String>,
    /// `json` or `form`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub encoding: Option<&'static str>,
    /// What the source can send.
    pub request: Vec<Field>,
    /// Where the source reads the payload.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub response_key: Option<String>,
    /// What the source reads.
    pub response: Vec<Read>,
    /// The class, method or type name, to tell copies and misroutes apart.
    #[serde(skip)]
    pub name: String,
    /// The path the name means when the source posts elsewhere, and how it goes wrong.
    #[serde(skip)]
    pub means: Option<(String, String)>,
}

/// How a language writes comments and strings, for [`Text::new`].
#[derive(Clone, Copy, Debug)]
pub(crate) struct Syntax {
    /// `//` and `/* */` comments.
    pub slash: bool,
    /// `#` comments.
    pub hash: bool,
    /// `"""` and `'''` strings, blanked like comments (Python docstrings).
    pub triple: bool,
    /// `` ` `` strings (Go tags, JS templates).
    pub backtick: bool,
}

/// A source file: its text, and its code with comments blanked at the same byte offsets, so that
/// an offset into `code` gives the line of the original.
pub(crate) struct Text {
    /// Path from the snapshot root, with `/`.
    pub rel: String,
    /// The file as read.
    pub raw: String,
    /// `raw` with every comment byte but newlines replaced by a space.
    pub code: String,
    starts: Vec<usize>,
}

impl Text {
    /// Wraps `raw`, read from `rel`.
    pub fn new(rel: &str, raw: &str, syntax: Syntax) -> Self {
        let code = blank_comments(raw, syntax);
        let mut starts = vec![0];
        starts.extend(raw.match_indices('\n').map(|(i, _)| i + 1));
        Text {
            rel: rel.to_string(),
            raw: raw.to_string(),
            code,
            starts,
        }
    }

    /// The 1-based line of a byte offset.
    pub fn line(&self, offset: usize) -> usize {
        self.starts.partition_point(|&s| s <= offset)
    }

    /// `rel:line` of a byte offset.
    pub fn at(&self, offset: usize) -> String {
        format!("{}:{}", self.rel, self.line(offset))
    }

    /// An error message that points at a byte offset.
    pub fn error(&self, offset: usize, message: &str) -> String {
        format!("{}: {message}", self.at(offset))
    }

    /// The code lines with their starting byte offsets.
    pub fn code_lines(&self) -> impl Iterator<Item = (usize, &str)> {
        self.starts.iter().filter_map(|&start| {
            let rest = self.code.get(start..)?;
            Some((start, rest.split('\n').next().unwrap_or("")))
        })
    }
}

/// Replaces comments by spaces (newlines stay), leaving strings alone.
fn blank_comments(src: &str, syntax: Syntax) -> String {
    #[derive(PartialEq)]
    enum State {
        Code,
        Str(u8),
        Triple(u8),
        Line,
        Block,
    }
    let bytes = src.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut state = State::Code;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let next = bytes.get(i + 1).copied();
        match state {
            State::Code => {
                if syntax.slash && b == b'/' && next == Some(b'/') {
                    state = State::Line;
                    out.push(b' ');
                } else if syntax.slash && b == b'/' && next == Some(b'*') {
                    state = State::Block;
                    out.extend_from_slice(b"  ");
                    i += 2;
                    continue;
                } else if syntax.hash && b == b'#' {
                    state = State::Line;
                    out.push(b' ');
                } else if syntax.triple
                    && (b == b'"' || b == b'\'')
                    && next == Some(b)
                    && bytes.get(i + 2) == Some(&b)
                {
                    state = State::Triple(b);
                    out.extend_from_slice(b"   ");
                    i += 3;
                    continue;
                } else if b == b'"' || b == b'\'' || (syntax.backtick && b == b'`') {
                    state = State::Str(b);
                    out.push(b);
                } else {
                    out.push(b);
                }
            }
            State::Str(q) => {
                out.push(b);
                if b == b'\\' {
                    if let Some(n) = next
                        && n != b'\n'
                    {
                        out.push(n);
                        i += 2;
                        continue;
                    }
                } else if b == q || (b == b'\n' && q != b'`') {
                    // An unclosed quote ends at the line's end, so one stray apostrophe cannot
                    // swallow the rest of the file.
                    state = State::Code;
                }
            }
            State::Triple(q) => {
                if b == q && next == Some(q) && bytes.get(i + 2) == Some(&q) {
                    out.extend_from_slice(b"   ");
                    state = State::Code;
                    i += 3;
                    continue;
                }
                out.push(if b == b'\n' { b'\n' } else { b' ' });
            }
            State::Line => {
                if b == b'\n' {
                    out.push(b'\n');
                    state = State::Code;
                } else {
                    out.push(b' ');
                }
            }
            State::Block => {
                if b == b'*' && next == Some(b'/') {
                    out.extend_from_slice(b"  ");
                    state = State::Code;
                    i += 2;
                    continue;
                }
                out.push(if b == b'\n' { b'\n' } else { b' ' });
            }
        }
        i += 1;
    }
    // Comments are replaced whole and strings are copied whole, so `out` stays UTF-8; the lossy
    // path only guards against a bug here turning into a panic.
    String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// The offset of the bracket that closes the one at `open` (`(`, `[` or `{`), skipping strings.
pub(crate) fn matching(code: &str, open: usize) -> Option<usize> {
    let bytes = code.as_bytes();
    let (o, c) = match bytes.get(open)? {
        b'(' => (b'(', b')'),
        b'[' => (b'[', b']'),
        b'{' => (b'{', b'}'),
        _ => return None,
    };
    let mut depth = 0usize;
    let mut quote: Option<u8> = None;
    let mut i = open;
    while i < bytes.len() {
        let b = bytes[i];
        if let Some(q) = quote {
            if b == b'\\' {
                i += 2;
                continue;
            }
            if b == q || (b == b'\n' && q != b'`') {
                quote = None;
            }
        } else if b == b'"' || b == b'\'' || b == b'`' {
            quote = Some(b);
        } else if b == o {
            depth += 1;
        } else if b == c {
            depth = depth.checked_sub(1)?;
            if depth == 0 {
                return Some(i);
            }
        }
        i += 1;
    }
    None
}

/// The body between the brace at or after `from` and its match: `(open, close)` offsets.
pub(crate) fn block_after(code: &str, from: usize) -> Option<(usize, usize)> {
    let open = from + code.get(from..)?.find('{')?;
    Some((open, matching(code, open)?))
}

/// How deep in braces `offset` is, counting from just after the brace at `open`: 0 means at the
/// top level of that block.
pub(crate) fn depth_at(code: &str, open: usize, offset: usize) -> usize {
    let bytes = code.as_bytes();
    let mut depth = 0usize;
    let mut quote: Option<u8> = None;
    let mut i = open + 1;
    while i < offset.min(bytes.len()) {
        let b = bytes[i];
        if let Some(q) = quote {
            if b == b'\\' {
                i += 2;
                continue;
            }
            if b == q || b == b'\n' {
                quote = None;
            }
        } else if b == b'"' || b == b'\'' {
            quote = Some(b);
        } else if b == b'{' {
            depth += 1;
        } else if b == b'}' {
            depth = depth.saturating_sub(1);
        }
        i += 1;
    }
    depth
}

/// The `if (…)` conditions whose blocks hold `offset`, outermost first, within `code[from..to]`.
pub(crate) fn enclosing_ifs(code: &str, from: usize, to: usize, offset: usize) -> Vec<String> {
    let mut found = Vec::new();
    let Some(region) = code.get(from..to) else {
        return found;
    };
    for rel in find_all(region, "if") {
        let at = from + rel;
        let before = code
            .as_bytes()
            .get(at.wrapping_sub(1))
            .copied()
            .unwrap_or(b' ');
        if before.is_ascii_alphanumeric() || before == b'_' {
            continue;
        }
        let Some(paren) = code.get(at + 2..).and_then(|r| {
            let skip = r.len() - r.trim_start().len();
            r.trim_start().starts_with('(').then_some(at + 2 + skip)
        }) else {
            continue;
        };
        let Some(close) = matching(code, paren) else {
            continue;
        };
        let Some((open, end)) = block_after(code, close) else {
            continue;
        };
        let only_space = code
            .get(close + 1..open)
            .is_some_and(|s| s.trim().is_empty());
        if only_space && open < offset && offset < end {
            let cond = code.get(paren + 1..close).unwrap_or("");
            found.push(cond.split_whitespace().collect::<Vec<_>>().join(" "));
        }
    }
    found
}

/// The string literals (`'…'` or `"…"`) in `s`: offset of the opening quote and the contents.
pub(crate) fn quoted(s: &str) -> Vec<(usize, String)> {
    let bytes = s.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let q = bytes[i];
        if q == b'"' || q == b'\'' {
            let start = i;
            let mut j = i + 1;
            while j < bytes.len() && bytes[j] != q && bytes[j] != b'\n' {
                j += if bytes[j] == b'\\' { 2 } else { 1 };
            }
            if let Some(content) = s.get(start + 1..j.min(bytes.len())) {
                found.push((start, content.to_string()));
            }
            i = j + 1;
        } else {
            i += 1;
        }
    }
    found
}

/// The identifier that starts at `i` (letters, digits, `_`, `$`).
pub(crate) fn ident_at(s: &str, i: usize) -> &str {
    let rest = s.get(i..).unwrap_or("");
    let end = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '$'))
        .unwrap_or(rest.len());
    &rest[..end]
}

/// The offsets of every occurrence of `needle` in `hay`.
pub(crate) fn find_all(hay: &str, needle: &str) -> Vec<usize> {
    hay.match_indices(needle).map(|(i, _)| i).collect()
}

/// Whether a wire name is identity or signature, which the matrix leaves out.
pub(crate) fn is_identity(wire: &str) -> bool {
    matches!(wire, "merchantNo" | "storeNo" | "merGroupNo" | "verifySign")
}

/// Adds `field`, or merges it into the entry of the same wire name: a requirement or condition
/// found later is kept, the first `at` stays.
pub(crate) fn add_field(fields: &mut Vec<Field>, field: Field) {
    if let Some(old) = fields.iter_mut().find(|f| f.wire == field.wire) {
        old.requires |= field.requires;
        if old.when.is_none() && !old.requires {
            old.when = field.when;
        }
        if old.requires {
            old.when = None;
        }
        if old.bug.is_none() {
            old.bug = field.bug;
        }
    } else {
        fields.push(field);
    }
}

/// Levenshtein distance, for misspellings and near-miss constant names.
pub(crate) fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = if ca == *cb {
                prev
            } else {
                1 + prev.min(cur).min(row[j])
            };
            prev = cur;
        }
    }
    row[b.len()]
}

/// A name reduced for comparison: lower-case letters and digits, without a `URI` prefix or a
/// `Request` suffix.
fn norm(name: &str) -> String {
    let n: String = name
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect();
    let n = n.strip_prefix("uri").map(str::to_string).unwrap_or(n);
    n.strip_suffix("request").map(str::to_string).unwrap_or(n)
}

/// When a function or class posts to the path of constant `used` but its name means another of
/// `consts` (name, path), that other constant. Names match exactly, then within one edit, then
/// as the constant's tail; the first rule with one answer wins.
pub(crate) fn intended<'a>(
    name: &str,
    used: &str,
    consts: &'a [(String, String)],
) -> Option<&'a (String, String)> {
    let n = norm(name);
    let matches = |c: &str, rule: usize| {
        let c = norm(c);
        match rule {
            0 => c == n,
            1 => n.len() >= 6 && edit_distance(&c, &n) <= 1,
            _ => n.len() >= 4 && c.ends_with(&n),
        }
    };
    if (0..3).any(|rule| matches(used, rule)) {
        return None;
    }
    let used_path = consts.iter().find(|(c, _)| c == used).map(|(_, p)| p);
    let group = |p: &str| {
        p.trim_start_matches('/')
            .split('/')
            .next()
            .map(str::to_string)
    };
    for rule in 0..3 {
        let hits: Vec<&(String, String)> = consts
            .iter()
            .filter(|(c, p)| c != used && p.starts_with('/') && matches(c, rule))
            .collect();
        if hits.len() == 1 {
            return hits.first().copied();
        }
        if hits.len() > 1 {
            let same: Vec<_> = hits
                .iter()
                .filter(|(_, p)| used_path.is_some_and(|u| group(u) == group(p)))
                .collect();
            return if same.len() == 1 {
                same.first().map(|h| **h)
            } else {
                None
            };
        }
    }
    None
}

/// The endpoints of `api/pockyt-api.json`: path and request wire names, in order.
pub(crate) struct Doc {
    endpoints: Vec<(String, Vec<String>)>,
}

impl Doc {
    /// Reads the description.
    pub fn load(path: &Path) -> Result<Self, String> {
        let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
        let value: serde_json::Value =
            serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
        let list = value
            .get("endpoints")
            .and_then(|e| e.as_array())
            .ok_or_else(|| format!("{}: no endpoints array", path.display()))?;
        let mut endpoints = Vec::new();
        for e in list {
            let Some(p) = e.get("path").and_then(|p| p.as_str()) else {
                return Err(format!("{}: an endpoint without a path", path.display()));
            };
            let wires = e
                .get("request")
                .and_then(|r| r.as_array())
                .map(|r| {
                    r.iter()
                        .filter_map(|f| f.get("wire").and_then(|w| w.as_str()))
                        .map(str::to_string)
                        .collect()
                })
                .unwrap_or_default();
            endpoints.push((p.to_string(), wires));
        }
        Ok(Doc { endpoints })
    }

    /// A description with these endpoints, for tests.
    #[cfg(test)]
    pub fn of(endpoints: &[(&str, &[&str])]) -> Self {
        Doc {
            endpoints: endpoints
                .iter()
                .map(|(p, w)| (p.to_string(), w.iter().map(|s| s.to_string()).collect()))
                .collect(),
        }
    }

    fn index(&self, path: &str) -> Option<usize> {
        self.endpoints.iter().position(|(p, _)| p == path)
    }

    fn wires(&self, path: &str) -> &[String] {
        self.endpoints
            .iter()
            .find(|(p, _)| p == path)
            .map(|(_, w)| w.as_slice())
            .unwrap_or(&[])
    }

    /// The documented path a posted path stands for, and what is wrong with it when they differ:
    /// a missing leading `/` is how PHP joins URLs and is fine; a missing `v` or another version
    /// is not.
    fn document(&self, posted: &str) -> (String, Option<String>) {
        let p = if posted.starts_with('/') {
            posted.to_string()
        } else {
            format!("/{posted}")
        };
        if self.index(&p).is_some() {
            return (p, None);
        }
        if p.as_bytes().get(1).is_some_and(u8::is_ascii_digit) {
            let fixed = format!("/v{}", &p[1..]);
            if self.index(&fixed).is_some() {
                return (fixed, Some(format!("posts to {p}, without the v")));
            }
        }
        let segments: Vec<&str> = p.split('/').collect();
        let mut found = Vec::new();
        for (i, s) in segments.iter().enumerate() {
            let is_version =
                s.len() >= 2 && s.starts_with('v') && s[1..].bytes().all(|b| b.is_ascii_digit());
            if !is_version {
                continue;
            }
            for (doc_path, _) in &self.endpoints {
                let d: Vec<&str> = doc_path.split('/').collect();
                let same_but_version = d.len() == segments.len()
                    && d.iter()
                        .zip(&segments)
                        .enumerate()
                        .all(|(j, (a, b))| j == i || a == b)
                    && d.get(i).is_some_and(|v| v.starts_with('v'));
                if same_but_version {
                    found.push(doc_path.clone());
                }
            }
        }
        if found.len() == 1 {
            let doc_path = found.remove(0);
            let why = format!("posts to {p}, another version of the documented path");
            return (doc_path, Some(why));
        }
        (p, None)
    }
}

fn join_broken(a: Option<String>, b: Option<String>) -> Option<String> {
    match (a, b) {
        (Some(a), Some(b)) => Some(format!("{a}; {b}")),
        (a, b) => a.or(b),
    }
}

/// Turns what an extractor found into the matrix's entries: documented paths (with `broken` where
/// the source posts elsewhere), copies of another class marked, misspelt fields marked, identity
/// left out, endpoints in the description's order.
pub(crate) fn finish(mut endpoints: Vec<Endpoint>, doc: &Doc) -> Vec<Endpoint> {
    let posted: Vec<String> = endpoints.iter().map(|e| e.path.clone()).collect();
    for e in &mut endpoints {
        e.request.retain(|f| !is_identity(&f.wire));
        e.response.retain(|r| !is_identity(&r.wire));
        let (documented, why) = doc.document(&e.path);
        if let Some((means, how)) = e.means.take() {
            let (means, _) = doc.document(&means);
            let shown = if e.path.starts_with('/') {
                e.path.clone()
            } else {
                format!("/{}", e.path)
            };
            let text = format!("posts to {shown}: {how}");
            e.broken = join_broken(Some(text), e.broken.take());
            e.path = means;
        } else {
            e.path = documented;
            e.broken = join_broken(why, e.broken.take());
        }
    }
    // Two functions that post to each other's path are swapped, which says more than "wrong path".
    let finals: Vec<String> = endpoints.iter().map(|e| e.path.clone()).collect();
    let names: Vec<String> = endpoints.iter().map(|e| e.name.clone()).collect();
    for (i, e) in endpoints.iter_mut().enumerate() {
        let i_posted = doc.document(&posted[i]).0;
        if i_posted == finals[i] {
            continue;
        }
        let partner = (0..finals.len())
            .find(|&j| j != i && finals[j] == i_posted && doc.document(&posted[j]).0 == finals[i]);
        if let Some(j) = partner {
            let note = format!("swapped with {}", names[j]);
            e.broken = join_broken(e.broken.take(), Some(note));
        }
    }
    mark_copies(&mut endpoints);
    mark_misspellings(&mut endpoints, doc);
    endpoints.sort_by(|a, b| {
        let key = |e: &Endpoint| (doc.index(&e.path).unwrap_or(usize::MAX), e.path.clone());
        key(a)
            .cmp(&key(b))
            .then_with(|| a.broken.is_some().cmp(&b.broken.is_some()))
            .then_with(|| a.at.cmp(&b.at))
    });
    endpoints
}

/// Among endpoints at one path with the same fields, all but one are copies; the original is the
/// one whose name holds the path's last segment, else the first file.
fn mark_copies(endpoints: &mut [Endpoint]) {
    let mut by_path: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, e) in endpoints.iter().enumerate() {
        if e.broken.is_none() {
            by_path.entry(e.path.clone()).or_default().push(i);
        }
    }
    let shape = |e: &Endpoint| {
        e.request
            .iter()
            .map(|f| (f.wire.clone(), f.requires, f.when.clone()))
            .collect::<BTreeSet<_>>()
    };
    for (path, mut group) in by_path {
        if group.len() < 2 {
            continue;
        }
        let segment = norm(path.rsplit('/').next().unwrap_or(""));
        group.sort_by_key(|&i| {
            let named = !segment.is_empty() && norm(&endpoints[i].name).contains(&segment);
            (!named, endpoints[i].at.clone())
        });
        let Some((&first, rest)) = group.split_first() else {
            continue;
        };
        let original = shape(&endpoints[first]);
        let file = endpoints[first]
            .at
            .rsplit_once(':')
            .map(|(f, _)| f.to_string())
            .unwrap_or_default();
        let name = endpoints[first].name.clone();
        for &i in rest {
            if shape(&endpoints[i]) == original {
                endpoints[i].broken = Some(format!(
                    "a copy of {name} ({file}): same path and fields, so no second evidence"
                ));
            }
        }
    }
}

/// A field the description does not list for the endpoint but that is one or two letters from
/// one it does is a misspelling: the gateway never sees the name meant.
fn mark_misspellings(endpoints: &mut [Endpoint], doc: &Doc) {
    for e in endpoints.iter_mut() {
        let wires = doc.wires(&e.path);
        if wires.is_empty() {
            continue;
        }
        let sent: BTreeSet<String> = e.request.iter().map(|f| f.wire.clone()).collect();
        for f in &mut e.request {
            if f.bug.is_some() || f.wire.len() < 6 || wires.contains(&f.wire) {
                continue;
            }
            let near = wires
                .iter()
                .find(|w| w.len() >= 6 && edit_distance(w, &f.wire) <= 2);
            if let Some(w) = near {
                f.bug = Some(if sent.contains(w) {
                    format!(
                        "misspelt {w} (which the source also sends properly); the gateway ignores {}",
                        f.wire
                    )
                } else {
                    format!(
                        "misspelt {w}: the gateway ignores {}, and the source has no way to send {w}",
                        f.wire
                    )
                });
            }
        }
    }
}

/// Lists the files under `dir/sub` (recursively) whose names end with `.ext`, as paths from
/// `dir` with `/`, sorted.
pub(crate) fn list_files(dir: &Path, sub: &str, ext: &str) -> Result<Vec<String>, String> {
    let mut found = Vec::new();
    let mut stack = vec![dir.join(sub)];
    while let Some(d) = stack.pop() {
        let entries = std::fs::read_dir(&d).map_err(|e| format!("{}: {e}", d.display()))?;
        for entry in entries {
            let entry = entry.map_err(|e| format!("{}: {e}", d.display()))?;
            let path = entry.path();
            let kind = entry
                .file_type()
                .map_err(|e| format!("{}: {e}", path.display()))?;
            if kind.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|x| x == ext)
                && let Ok(rel) = path.strip_prefix(dir)
            {
                let rel: Vec<String> = rel
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect();
                found.push(rel.join("/"));
            }
        }
    }
    found.sort();
    Ok(found)
}

/// Reads `dir/rel` into a [`Text`]; bytes that are not UTF-8 become U+FFFD.
pub(crate) fn read_text(dir: &Path, rel: &str, syntax: Syntax) -> Result<Text, String> {
    let path = dir.join(rel);
    let bytes = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let raw = String::from_utf8_lossy(&bytes);
    // A byte-order mark would shift nothing but makes the first line's text odd to match.
    let raw = raw.strip_prefix('\u{feff}').unwrap_or(&raw);
    Ok(Text::new(rel, raw, syntax))
}

/// One language the task reads.
struct Lang {
    flag: &'static str,
    file: &'static str,
    id: &'static str,
    title: &'static str,
    repository: &'static str,
    commit: &'static str,
    sends_any: bool,
    /// Whether the SDK checks any request before sending it: Go and JS check none, so their
    /// entries say what they can send, never what they require.
    checks: bool,
    extract: fn(&Path) -> Result<Vec<Endpoint>, String>,
}

const LANGS: &[Lang] = &[
    Lang {
        flag: "--py",
        file: "py",
        id: "PY",
        title: "Official Python SDK",
        repository: "yuansfer/yuansfer-python-sdk",
        commit: "d7815398bf5206954385bd7f310d5e36c65a0b22",
        sends_any: true,
        checks: true,
        extract: python::extract,
    },
    Lang {
        flag: "--php",
        file: "php",
        id: "PHP",
        title: "Official PHP SDK",
        repository: "yuansfer/yuansfer-php-sdk",
        commit: "ac6aafe7ee9f887537a1689132d615161fa5314b",
        sends_any: false,
        checks: true,
        extract: php::extract,
    },
    Lang {
        flag: "--java",
        file: "java",
        id: "JAVA",
        title: "Official Java SDK",
        repository: "yuansfer/yuansfer-java-sdk",
        commit: "7f30e4aef7fcdf0e014f96f977324469567be768",
        sends_any: false,
        checks: true,
        extract: java::extract,
    },
    Lang {
        flag: "--cs",
        file: "cs",
        id: "CS",
        title: "Official C# SDK",
        repository: "yuansfer/yuansfer-csharp-sdk",
        commit: "153f41f51928852aaf85d947e3001586957dea16",
        sends_any: false,
        checks: true,
        extract: csharp::extract,
    },
    Lang {
        flag: "--go",
        file: "go",
        id: "GO",
        title: "Official Go SDK",
        repository: "yuansfer/golang_sdk",
        commit: "f46a6774d32b9bf93310a004da44d2dc3cfc8a72",
        sends_any: false,
        checks: false,
        extract: go::extract,
    },
    Lang {
        flag: "--js",
        file: "js",
        id: "JS",
        title: "Official JavaScript SDK",
        repository: "yuansfer/yuansfer-jssdk",
        commit: "9b39df4e7dcbe710b38fc4c2610baf86d6611b08",
        sends_any: false,
        checks: false,
        extract: js::extract,
    },
];

const USAGE: &str = "usage: cargo xtask sources [--py DIR] [--php DIR] [--java DIR] [--cs DIR] \
                     [--go DIR] [--js DIR] [--out DIR] | --fetch-hint";

fn fetch_hint() -> String {
    let mut out = String::from(
        "# The snapshots `cargo xtask sources` reads (see xtask/src/sources/mod.rs):\n",
    );
    for l in LANGS {
        let dir = format!("/tmp/snap/{}", l.file);
        out.push_str(&format!(
            "git clone https://github.com/{repo} {dir} && git -C {dir} checkout {commit}\n",
            repo = l.repository,
            commit = l.commit,
        ));
    }
    out.push_str(&format!(
        "cargo xtask sources {}\n",
        LANGS
            .iter()
            .map(|l| format!("{} /tmp/snap/{}", l.flag, l.file))
            .collect::<Vec<_>>()
            .join(" ")
    ));
    out
}

/// The commit of a snapshot: `HEAD` when `dir` is the top of a git work tree, else its `.commit`.
fn commit_of(dir: &Path) -> Result<String, String> {
    let git = |args: &[&str]| {
        Command::new("git")
            .arg("-C")
            .arg(dir)
            .args(args)
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
    };
    let top = git(&["rev-parse", "--show-toplevel"]).map(PathBuf::from);
    let here = dir.canonicalize().ok();
    let commit = if top.is_some() && top.and_then(|t| t.canonicalize().ok()) == here {
        git(&["rev-parse", "HEAD"])
    } else {
        None
    };
    let commit = match commit {
        Some(c) => c,
        None => {
            let file = dir.join(".commit");
            std::fs::read_to_string(&file)
                .map_err(|e| {
                    format!(
                        "{}: not a git work tree and no .commit ({e})",
                        dir.display()
                    )
                })?
                .trim()
                .to_string()
        }
    };
    if commit.len() == 40 && commit.bytes().all(|b| b.is_ascii_hexdigit()) {
        Ok(commit)
    } else {
        Err(format!(
            "{}: {commit:?} is not a 40-digit commit",
            dir.display()
        ))
    }
}

#[derive(Serialize)]
struct SourceFile<'a> {
    id: &'a str,
    title: &'a str,
    kind: &'a str,
    repository: &'a str,
    commit: &'a str,
    extracted_by: String,
    sends_any: bool,
    checks: bool,
    endpoints: &'a [Endpoint],
}

/// `cargo xtask sources …`: see the module documentation.
pub fn run(root: &Path, args: &[&str]) -> Result<(), String> {
    if args == ["--fetch-hint"] {
        print!("{}", fetch_hint());
        return Ok(());
    }
    let mut out = root.join("api/sources");
    let mut chosen: Vec<(&Lang, PathBuf)> = Vec::new();
    let mut rest = args.iter();
    while let Some(&flag) = rest.next() {
        let value = rest
            .next()
            .ok_or_else(|| format!("{flag} needs a directory\n{USAGE}"))?;
        if flag == "--out" {
            out = PathBuf::from(value);
            continue;
        }
        let lang = LANGS
            .iter()
            .find(|l| l.flag == flag)
            .ok_or_else(|| format!("unknown flag {flag}\n{USAGE}"))?;
        chosen.push((lang, PathBuf::from(value)));
    }
    if chosen.is_empty() {
        return Err(USAGE.to_string());
    }
    let doc = Doc::load(&root.join("api/pockyt-api.json"))?;
    std::fs::create_dir_all(&out).map_err(|e| format!("{}: {e}", out.display()))?;
    for (lang, dir) in chosen {
        let commit = commit_of(&dir)?;
        if commit != lang.commit {
            eprintln!(
                "xtask sources: {} is at {commit}, not the {} the module documentation names",
                dir.display(),
                lang.commit
            );
        }
        let endpoints = finish((lang.extract)(&dir)?, &doc);
        let file = SourceFile {
            id: lang.id,
            title: lang.title,
            kind: "sdk",
            repository: lang.repository,
            commit: &commit,
            extracted_by: format!("cargo xtask sources {} DIR", lang.flag),
            sends_any: lang.sends_any,
            checks: lang.checks,
            endpoints: &endpoints,
        };
        let json = serde_json::to_string_pretty(&file).map_err(|e| e.to_string())?;
        let path = out.join(format!("{}.json", lang.file));
        std::fs::write(&path, json + "\n").map_err(|e| format!("{}: {e}", path.display()))?;
        let fields: usize = endpoints.iter().map(|e| e.request.len()).sum();
        let reads: usize = endpoints.iter().map(|e| e.response.len()).sum();
        let broken = endpoints.iter().filter(|e| e.broken.is_some()).count();
        println!(
            "{}: {} endpoints ({broken} broken), {fields} request fields, {reads} response fields",
            path.display(),
            endpoints.len()
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const C: Syntax = Syntax {
        slash: true,
        hash: false,
        triple: false,
        backtick: false,
    };

    #[test]
    fn comments_are_blanked_but_strings_and_lines_stay() {
        let t = Text::new("a.java", "x = \"http://a\"; // gone\n/* also\ngone */ y", C);
        assert!(t.code.contains("\"http://a\""));
        assert!(!t.code.contains("gone"));
        assert_eq!(t.code.len(), t.raw.len());
        assert_eq!(t.line(t.code.find('y').unwrap_or(0)), 3);
    }

    #[test]
    fn matching_skips_brackets_in_strings() {
        let code = "f(a, \")\", g(b)) + 1";
        assert_eq!(matching(code, 1), Some(14));
        assert_eq!(matching("f(", 1), None);
    }

    #[test]
    fn intended_finds_swaps_and_misroutes() {
        let consts: Vec<(String, String)> = [
            ("AUTH_FREEAE", "/app-auth/v3/auth-freeze"),
            ("AUTH_UNFREEZE", "/app-auth/v3/auth-unfreeze"),
            ("INSTORE_AUTH_UNFREEZE", "/app-instore/v3/auth-unfreeze"),
            ("URIYipApp", "/micropay/v3/prepay"),
            ("URIYipProcess", "/creditpay/v3/process"),
        ]
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
        let hit = |name: &str, used: &str| intended(name, used, &consts).map(|c| c.0.as_str());
        assert_eq!(hit("auth_unfreeze", "AUTH_FREEAE"), Some("AUTH_UNFREEZE"));
        assert_eq!(hit("auth_freeze", "AUTH_UNFREEZE"), Some("AUTH_FREEAE"));
        assert_eq!(hit("AuthFreezeRequest", "AUTH_FREEAE"), None);
        assert_eq!(hit("Process", "URIYipApp"), Some("URIYipProcess"));
        assert_eq!(hit("Prepay", "URIYipApp"), None);
    }

    #[test]
    fn finish_documents_paths_marks_swaps_copies_and_misspellings() {
        let doc = Doc::of(&[
            ("/app-auth/v3/auth-freeze", &["amount"]),
            ("/app-auth/v3/auth-unfreeze", &["unfreezeAmount"]),
            ("/v3/payee/update", &["customerNo"]),
            ("/online/v4/secure-pay", &["goodsInfo"]),
        ]);
        let ep = |name: &str, path: &str, means: Option<&str>, fields: &[&str]| Endpoint {
            name: name.into(),
            path: path.into(),
            at: format!("{name}.x:1"),
            means: means.map(|m| (m.to_string(), "named so".to_string())),
            request: fields
                .iter()
                .map(|f| Field::optional(f, "x:1".into()))
                .collect(),
            ..Endpoint::default()
        };
        let out = finish(
            vec![
                ep(
                    "auth_freeze",
                    "/app-auth/v3/auth-unfreeze",
                    Some("/app-auth/v3/auth-freeze"),
                    &["amount"],
                ),
                ep(
                    "auth_unfreeze",
                    "/app-auth/v3/auth-freeze",
                    Some("/app-auth/v3/auth-unfreeze"),
                    &["unfreezeAmount"],
                ),
                ep(
                    "PayeeUpdate",
                    "3/payee/update",
                    None,
                    &["customerNo", "storeNo"],
                ),
                ep(
                    "YipSecurePay",
                    "online/v4/secure-pay",
                    None,
                    &["goodesInfo"],
                ),
                ep("Copy", "online/v4/secure-pay", None, &["goodesInfo"]),
            ],
            &doc,
        );
        let freeze = &out[0];
        assert_eq!(freeze.path, "/app-auth/v3/auth-freeze");
        let broken = freeze.broken.as_deref().unwrap_or("");
        assert!(
            broken.contains("posts to /app-auth/v3/auth-unfreeze"),
            "{broken}"
        );
        assert!(broken.contains("swapped with auth_unfreeze"), "{broken}");
        let update = &out[2];
        assert_eq!(update.path, "/v3/payee/update");
        assert!(
            update
                .broken
                .as_deref()
                .unwrap_or("")
                .contains("without the v")
        );
        assert_eq!(update.request.len(), 1, "identity is left out");
        let pay = &out[3];
        assert_eq!(pay.name, "YipSecurePay");
        assert!(
            pay.request[0]
                .bug
                .as_deref()
                .unwrap_or("")
                .contains("misspelt goodsInfo")
        );
        assert!(
            out[4]
                .broken
                .as_deref()
                .unwrap_or("")
                .contains("a copy of YipSecurePay")
        );
    }

    #[test]
    fn versions_are_matched_but_not_invented() {
        let doc = Doc::of(&[("/v2/customers/account/create", &[])]);
        let (p, why) = doc.document("/v1/customers/account/create");
        assert_eq!(p, "/v2/customers/account/create");
        assert!(why.is_some());
        let (p, why) = doc.document("/paypal/unknown");
        assert_eq!(p, "/paypal/unknown");
        assert!(why.is_none());
    }
}
