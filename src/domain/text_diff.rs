//! A line diff for comparing charter versions (O3: old versions stay readable and diffable).

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum LineChange {
    Same,
    Added,
    Removed,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DiffLine {
    pub change: LineChange,
    pub text: String,
}

/// Longest-common-subsequence diff of two texts, line by line. Charters are a few hundred lines, so
/// the quadratic table is small.
pub fn diff_lines(old: &str, new: &str) -> Vec<DiffLine> {
    let a: Vec<&str> = old.lines().collect();
    let b: Vec<&str> = new.lines().collect();
    let (n, m) = (a.len(), b.len());
    let mut lcs = vec![vec![0u32; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i][j] = if a[i] == b[j] { lcs[i + 1][j + 1] + 1 } else { lcs[i + 1][j].max(lcs[i][j + 1]) };
        }
    }
    let mut out = Vec::with_capacity(n.max(m));
    let (mut i, mut j) = (0, 0);
    while i < n || j < m {
        if i < n && j < m && a[i] == b[j] {
            out.push(DiffLine { change: LineChange::Same, text: a[i].to_owned() });
            i += 1;
            j += 1;
        } else if i < n && (j == m || lcs[i + 1][j] >= lcs[i][j + 1]) {
            // Removed lines come before the lines that replace them, as in a unified diff.
            out.push(DiffLine { change: LineChange::Removed, text: a[i].to_owned() });
            i += 1;
        } else {
            out.push(DiffLine { change: LineChange::Added, text: b[j].to_owned() });
            j += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(d: &[DiffLine]) -> String {
        d.iter()
            .map(|l| match l.change {
                LineChange::Same => format!(" {}", l.text),
                LineChange::Added => format!("+{}", l.text),
                LineChange::Removed => format!("-{}", l.text),
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    #[test]
    fn a_changed_line_shows_as_removed_and_added() {
        let d = diff_lines("Formål\nHøjst 11 medlemmer\nBudget", "Formål\nHøjst 12 medlemmer\nBudget");
        assert_eq!(render(&d), " Formål\n-Højst 11 medlemmer\n+Højst 12 medlemmer\n Budget");
    }

    #[test]
    fn added_and_removed_sections_at_the_ends() {
        assert_eq!(render(&diff_lines("", "a\nb")), "+a\n+b");
        assert_eq!(render(&diff_lines("a\nb", "")), "-a\n-b");
        assert_eq!(render(&diff_lines("a\nb", "a\nb")), " a\n b");
    }
}
