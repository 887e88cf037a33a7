//! No import circles: the arrows between the source files (`use crate::…`, `use super::…` and inline
//! `crate::…` paths) run one way, between files and between the top-level parts (domain, text, store,
//! web …). A circle makes two files one in all but name; this keeps them apart.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Every module of src/ by its path ("store::accounts") and its source, tests left out.
fn modules() -> BTreeMap<String, String> {
    fn walk(dir: &Path, root: &Path, found: &mut BTreeMap<String, String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, root, found);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let rel = path.strip_prefix(root).unwrap().with_extension("");
                let mut parts: Vec<String> = rel.iter().map(|p| p.to_string_lossy().into_owned()).collect();
                if matches!(parts.last().map(String::as_str), Some("mod" | "lib" | "main")) {
                    parts.pop();
                }
                let source = std::fs::read_to_string(&path).unwrap();
                let without_tests = source.split("#[cfg(test)]").next().unwrap_or_default().to_owned();
                found.insert(parts.join("::"), without_tests);
            }
        }
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut found = BTreeMap::new();
    walk(&root, &root, &mut found);
    found
}

/// The paths one `use` names: `a::{b, c::{d}}` is `a::b`, `a::c` (deep enough to find the file).
fn named(tree: &str) -> Vec<String> {
    let Some(open) = tree.find('{') else { return vec![tree.trim_end_matches("::").to_owned()] };
    let prefix = &tree[..open];
    let inner = &tree[open + 1..tree.rfind('}').unwrap_or(tree.len())];
    let (mut items, mut depth, mut current) = (Vec::new(), 0, String::new());
    for c in inner.chars() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                items.push(std::mem::take(&mut current));
                continue;
            }
            _ => {}
        }
        current.push(c);
    }
    items.push(current);
    items
        .into_iter()
        .filter(|i| !i.is_empty())
        .map(|i| match i.split('{').next().unwrap_or_default() {
            "self" => prefix.trim_end_matches("::").to_owned(),
            head => format!("{prefix}{head}").trim_end_matches("::").to_owned(),
        })
        .collect()
}

/// Which files each file imports, by module path.
fn imports(modules: &BTreeMap<String, String>) -> BTreeMap<String, BTreeSet<String>> {
    let resolve = |path: &str| -> Option<String> {
        let segments: Vec<&str> = path.split("::").collect();
        (1..=segments.len()).rev().map(|n| segments[..n].join("::")).find(|m| modules.contains_key(m))
    };
    let mut edges = BTreeMap::new();
    for (module, source) in modules {
        let mut targets = BTreeSet::new();
        let compact: String = source.chars().filter(|c| !c.is_whitespace()).collect();
        let parent: Vec<&str> = module.split("::").collect();
        for statement in compact.split("use").skip(1).filter_map(|s| s.split(';').next()) {
            let absolute = if let Some(rest) = statement.strip_prefix("crate::") {
                rest.to_owned()
            } else if statement.starts_with("super::") {
                let mut base = parent[..parent.len().saturating_sub(1)].to_vec();
                let mut rest = statement;
                while let Some(r) = rest.strip_prefix("super::") {
                    rest = r;
                    if rest.starts_with("super::") {
                        base.pop();
                    }
                }
                if base.is_empty() { rest.to_owned() } else { format!("{}::{rest}", base.join("::")) }
            } else {
                continue;
            };
            targets.extend(named(&absolute));
        }
        for (at, _) in compact.match_indices("crate::") {
            let path: String =
                compact[at + 7..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == ':').collect();
            targets.insert(path);
        }
        let resolved = targets
            .iter()
            .filter_map(|t| resolve(t))
            .filter(|t| t != module && !module.starts_with(&format!("{t}::")) && !t.starts_with(&format!("{module}::")))
            .collect();
        edges.insert(module.clone(), resolved);
    }
    edges
}

/// The groups of nodes that reach each other (Tarjan's strongly connected components of two or more).
fn circles(edges: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    struct Walk<'a> {
        edges: &'a BTreeMap<String, BTreeSet<String>>,
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        found: Vec<Vec<String>>,
    }
    fn visit<'a>(w: &mut Walk<'a>, v: &'a str) {
        let i = w.index.len();
        w.index.insert(v, i);
        w.low.insert(v, i);
        w.stack.push(v);
        for next in w.edges.get(v).into_iter().flatten() {
            let next = next.as_str();
            if !w.index.contains_key(next) {
                visit(w, next);
                let low = w.low[v].min(w.low[next]);
                w.low.insert(v, low);
            } else if w.stack.contains(&next) {
                let low = w.low[v].min(w.index[next]);
                w.low.insert(v, low);
            }
        }
        if w.low[v] == w.index[v] {
            let mut group = Vec::new();
            while let Some(top) = w.stack.pop() {
                group.push(top.to_owned());
                if top == v {
                    break;
                }
            }
            if group.len() > 1 {
                group.sort();
                w.found.push(group);
            }
        }
    }
    let mut w = Walk { edges, index: BTreeMap::new(), low: BTreeMap::new(), stack: Vec::new(), found: Vec::new() };
    for v in edges.keys() {
        if !w.index.contains_key(v.as_str()) {
            visit(&mut w, v);
        }
    }
    w.found
}

#[test]
fn no_file_and_no_part_of_the_code_imports_in_a_circle() {
    let files = imports(&modules());
    assert!(files.len() > 100 && files["web::auth"].contains("store::accounts"), "the walk reads the imports");
    assert_eq!(circles(&files), Vec::<Vec<String>>::new(), "files that import each other");
    let mut parts: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (from, to) in &files {
        let top = |m: &str| m.split("::").next().unwrap_or_default().to_owned();
        parts.entry(top(from)).or_default().extend(to.iter().map(|t| top(t)).filter(|t| *t != top(from)));
    }
    assert_eq!(circles(&parts), Vec::<Vec<String>>::new(), "parts that import each other: {parts:#?}");
}

#[test]
fn the_circle_finder_finds_a_circle_and_only_that() {
    let graph = |pairs: &[(&str, &str)]| {
        let mut g: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for (a, b) in pairs {
            g.entry(a.to_string()).or_default().insert(b.to_string());
            g.entry(b.to_string()).or_default();
        }
        g
    };
    let found = circles(&graph(&[("text", "domain"), ("domain", "text"), ("web", "domain"), ("store", "domain")]));
    assert_eq!(found, vec![vec!["domain".to_owned(), "text".to_owned()]]);
    assert!(circles(&graph(&[("web", "store"), ("store", "domain"), ("web", "domain")])).is_empty());
    assert_eq!(named("store::{self,accounts::{Account},audit}"), ["store", "store::accounts", "store::audit"]);
}
