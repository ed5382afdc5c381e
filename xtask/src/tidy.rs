//! Tidiness checks that run as tests (`cargo test -p xtask`), in rust-analyzer's manner: every
//! source file says what it holds, a module with submodules lives in its own `mod.rs`, generated
//! code carries no lint escapes, and no crate has an import circle between its modules.

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet};
    use std::path::{Path, PathBuf};

    const CRATES: &[&str] = &[
        "crates/pockyt-types",
        "crates/pockyt-sign",
        "crates/pockyt-transport",
        "crates/pockyt",
        "crates/pockyt-mock",
        "crates/pockyt-cli",
    ];

    fn root() -> PathBuf {
        crate::workspace_root()
    }

    fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                rust_files(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }

    #[test]
    fn every_source_file_opens_with_a_module_doc() {
        let mut missing = Vec::new();
        for krate in CRATES {
            let mut files = Vec::new();
            rust_files(&root().join(krate).join("src"), &mut files);
            for file in files {
                let text = std::fs::read_to_string(&file).unwrap_or_default();
                // A generated file's `// @generated` preamble comes first.
                let first = text
                    .lines()
                    .find(|l| !l.trim().is_empty() && !l.starts_with("// "));
                if !first.is_some_and(|l| l.starts_with("//!")) {
                    missing.push(file.display().to_string());
                }
            }
        }
        assert!(missing.is_empty(), "no `//!` module doc: {missing:#?}");
    }

    /// One module-file convention in the workspace: a module with submodules lives in `x/mod.rs`,
    /// never as `x.rs` beside an `x/` folder, so a reader finds every module the same way.
    #[test]
    fn a_module_with_submodules_lives_in_its_own_mod_rs() {
        let mut mixed = Vec::new();
        for krate in CRATES.iter().chain(&["xtask", "tests", "bench"]) {
            let mut files = Vec::new();
            rust_files(&root().join(krate).join("src"), &mut files);
            for file in files {
                if file.with_extension("").is_dir() {
                    mixed.push(file.display().to_string());
                }
            }
        }
        assert!(mixed.is_empty(), "`x.rs` beside an `x/` folder: {mixed:#?}");
    }

    /// Generated code passes the lints as it is: no `#[allow(..)]`, `#[expect(..)]` or
    /// `#![allow(..)]` in any file the generator writes (its models, client methods and tests), so
    /// a generator change that needs an escape fails here and is fixed in the generator instead.
    #[test]
    fn generated_code_carries_no_lint_escapes() {
        let generated = crate::codegen::generate(&root()).unwrap_or_else(|e| panic!("{e}"));
        assert!(
            generated.len() > 10,
            "the generator's files were not all listed"
        );
        let rust: Vec<_> = generated
            .iter()
            .filter(|(path, _)| path.extension().is_some_and(|e| e == "rs"))
            .collect();
        assert!(!rust.is_empty());
        let mut escapes = Vec::new();
        for (path, text) in rust {
            for (number, line) in text.lines().enumerate() {
                let line = line.trim_start();
                if ["#[allow(", "#![allow(", "#[expect(", "#![expect("]
                    .iter()
                    .any(|escape| line.starts_with(escape))
                {
                    escapes.push(format!("{}:{}: {line}", path.display(), number + 1));
                }
            }
        }
        assert!(
            escapes.is_empty(),
            "lint escapes in generated code: {escapes:#?}"
        );
    }

    /// `a::b` for `src/a/b.rs` or `src/a/b/mod.rs`; the crate root is "".
    fn module_of(src: &Path, file: &Path) -> String {
        let rel = file.strip_prefix(src).unwrap_or(file).with_extension("");
        let mut parts: Vec<String> = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        if matches!(
            parts.last().map(String::as_str),
            Some("mod" | "lib" | "main")
        ) {
            parts.pop();
        }
        parts.join("::")
    }

    /// Code without comments and without the unit-test module at the end.
    /// A parent's `pub use child::…` is its public face, not an import, and is left out too.
    fn code(text: &str) -> String {
        let text = text.split("#[cfg(test)]\nmod tests").next().unwrap_or(text);
        text.lines()
            .filter(|l| !l.starts_with("pub use "))
            .map(|l| l.split("//").next().unwrap_or(""))
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// The module paths `text` (in module `from`) refers to: `crate::…`, `super::…`, `self::…`,
    /// `child::…` for the modules it declares, and each item of a `use crate::{a, b}` group.
    fn references(from: &str, text: &str, modules: &BTreeSet<String>) -> BTreeSet<String> {
        let bytes = text.as_bytes();
        let is_path = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b == b':';
        let mut found = BTreeSet::new();
        let mut i = 0;
        while i < bytes.len() {
            let starts = is_path(bytes[i]) && bytes[i] != b':';
            if !starts || (i > 0 && is_path(bytes[i - 1])) {
                i += 1;
                continue;
            }
            let start = i;
            while i < bytes.len() && is_path(bytes[i]) {
                i += 1;
            }
            let path = &text[start..i];
            let mut paths = vec![path.to_owned()];
            if path.ends_with("::") && bytes.get(i) == Some(&b'{') {
                let (items, end) = group_items(text, i + 1);
                paths.extend(items.iter().map(|item| format!("{path}{item}")));
                i = end;
            }
            found.extend(paths.iter().filter_map(|p| resolve(from, p, modules)));
        }
        found
    }

    /// The first path segment of each top-level item of the `{…}` group that starts at `from`,
    /// and where the group ends.
    fn group_items(text: &str, from: usize) -> (Vec<String>, usize) {
        let (mut items, mut item, mut depth) = (Vec::new(), String::new(), 0);
        for (offset, c) in text[from..].char_indices() {
            match c {
                '{' => depth += 1,
                '}' if depth == 0 => {
                    items.push(std::mem::take(&mut item));
                    let items = items
                        .iter()
                        .map(|i| {
                            i.trim()
                                .split([':', ' ', '{'])
                                .next()
                                .unwrap_or("")
                                .to_owned()
                        })
                        .filter(|i| !i.is_empty() && i != "self")
                        .collect();
                    return (items, from + offset + 1);
                }
                '}' => depth -= 1,
                ',' if depth == 0 => {
                    items.push(std::mem::take(&mut item));
                    continue;
                }
                _ => {}
            }
            item.push(c);
        }
        (items, text.len())
    }

    /// The module a path names (the longest one), if it is another module of this crate;
    /// `super::item` names the parent itself.
    fn resolve(from: &str, path: &str, modules: &BTreeSet<String>) -> Option<String> {
        let parent = from.rsplit_once("::").map_or("", |(p, _)| p);
        let (base, rest) = match path.split_once("::")? {
            ("crate", rest) => ("", rest),
            ("super", rest) => (parent, rest),
            ("self", rest) => (from, rest),
            // A child module's path (`payloads::x`), or another crate's, which names no module.
            _ => (from, path),
        };
        let mut target = (!base.is_empty() && base != from).then(|| base.to_owned());
        let mut candidate = base.to_owned();
        for segment in rest.split("::").filter(|s| !s.is_empty()) {
            candidate = if candidate.is_empty() {
                segment.to_owned()
            } else {
                format!("{candidate}::{segment}")
            };
            if !modules.contains(&candidate) {
                break;
            }
            target = Some(candidate.clone());
        }
        target.filter(|t| t != from)
    }

    /// Strongly connected groups of more than one module (Tarjan).
    fn circles(edges: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
        struct State<'a> {
            edges: &'a BTreeMap<String, BTreeSet<String>>,
            index: BTreeMap<&'a str, usize>,
            low: BTreeMap<&'a str, usize>,
            stack: Vec<&'a str>,
            on_stack: BTreeSet<&'a str>,
            next: usize,
            found: Vec<Vec<String>>,
        }
        fn visit<'a>(s: &mut State<'a>, node: &'a str) {
            s.index.insert(node, s.next);
            s.low.insert(node, s.next);
            s.next += 1;
            s.stack.push(node);
            s.on_stack.insert(node);
            if let Some(targets) = s.edges.get(node) {
                for target in targets {
                    let target = target.as_str();
                    if !s.index.contains_key(target) {
                        visit(s, target);
                        let low = s.low[node].min(s.low[target]);
                        s.low.insert(node, low);
                    } else if s.on_stack.contains(target) {
                        let low = s.low[node].min(s.index[target]);
                        s.low.insert(node, low);
                    }
                }
            }
            if s.low[node] == s.index[node] {
                let mut group = Vec::new();
                while let Some(member) = s.stack.pop() {
                    s.on_stack.remove(member);
                    group.push(member.to_owned());
                    if member == node {
                        break;
                    }
                }
                if group.len() > 1 {
                    group.sort();
                    s.found.push(group);
                }
            }
        }
        let mut state = State {
            edges,
            index: BTreeMap::new(),
            low: BTreeMap::new(),
            stack: Vec::new(),
            on_stack: BTreeSet::new(),
            next: 0,
            found: Vec::new(),
        };
        for node in edges.keys() {
            if !state.index.contains_key(node.as_str()) {
                visit(&mut state, node);
            }
        }
        state.found
    }

    #[test]
    fn no_crate_has_an_import_circle() {
        let mut report = Vec::new();
        for krate in CRATES {
            let src = root().join(krate).join("src");
            let mut files = Vec::new();
            rust_files(&src, &mut files);
            let modules: BTreeSet<String> = files.iter().map(|f| module_of(&src, f)).collect();
            let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
            for file in &files {
                let from = module_of(&src, file);
                let text = code(&std::fs::read_to_string(file).unwrap_or_default());
                // A module's own `mod` lines and the crate root's re-exports are structure, not
                // imports; what a module's code names is.
                if from.is_empty() {
                    continue;
                }
                edges
                    .entry(from.clone())
                    .or_default()
                    .extend(references(&from, &text, &modules));
            }
            for circle in circles(&edges) {
                report.push(format!("{krate}: {}", circle.join(" <-> ")));
            }
        }
        assert!(report.is_empty(), "import circles:\n{}", report.join("\n"));
    }

    #[test]
    fn the_circle_finder_finds_a_planted_circle() {
        let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        edges
            .entry("server".into())
            .or_default()
            .insert("cashier".into());
        edges
            .entry("cashier".into())
            .or_default()
            .insert("server".into());
        edges.entry("state".into()).or_default();
        assert_eq!(
            circles(&edges),
            vec![vec!["cashier".to_owned(), "server".to_owned()]]
        );
        let modules: BTreeSet<String> = ["routes", "routes::kit", "sim"].map(String::from).into();
        let found = references(
            "routes::payments",
            "use super::kit::x; crate::sim::Simulator",
            &modules,
        );
        assert_eq!(found, ["routes::kit", "sim"].map(String::from).into());
        let found = references("routes::payments", "super::overflow()", &modules);
        assert_eq!(found, ["routes"].map(String::from).into());
        let found = references(
            "routes",
            "kit::open_payment(); pockyt_types::Amount",
            &modules,
        );
        assert_eq!(found, ["routes::kit"].map(String::from).into());
    }
}
