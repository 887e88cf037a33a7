//! Where a browser may be sent after sign-in: only a path on this site, never another host.

use url::Url;

const ORIGIN: &str = "http://samarbejdsrum.invalid";

/// The `next` parameter when it is a plain same-site path ("/moeder/1?aar=2026"), otherwise "/".
/// A path must start with exactly one `/`, hold only visible ASCII without backslashes (browsers drop tab,
/// CR and LF and read `\` as `/`, which turns `/\t/evil.example` into `//evil.example`; a raw CR or LF
/// cannot even be put in a header), and resolve against our origin to our origin.
pub fn safe_next(next: Option<&str>) -> &str {
    match next {
        Some(path) if is_local_path(path) => path,
        _ => "/",
    }
}

fn is_local_path(path: &str) -> bool {
    let mut chars = path.chars();
    if chars.next() != Some('/') || matches!(chars.next(), Some('/' | '\\')) {
        return false;
    }
    if !path.chars().all(|c| c.is_ascii_graphic() && c != '\\') {
        return false;
    }
    let Ok(origin) = Url::parse(ORIGIN) else {
        return false;
    };
    origin.join(path).is_ok_and(|url| url.origin() == origin.origin() && url.username().is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_site_paths_are_kept_as_they_are() {
        for path in
            ["/", "/grupper", "/moeder/1?aar=2026", "/moeder/1#dagsorden", "/%09/x", "/%2F%2Fevil.example", "/a/b/../c"]
        {
            assert_eq!(safe_next(Some(path)), path);
        }
    }

    #[test]
    fn anything_that_could_leave_the_site_or_break_the_header_goes_to_the_start_page() {
        for evil in [
            "//evil.example",
            "//evil.example/",
            "///evil.example",
            "/\\evil.example",
            "\\\\evil.example",
            "/\t/evil.example",
            "/\n/evil.example",
            "/\r\n/evil.example",
            "/x\r\nSet-Cookie: a=b",
            "/x\u{0}",
            "/x\u{7f}",
            "/x y",
            "/ø",
            "https://evil.example",
            "http:/evil.example",
            "javascript:alert(1)",
            "evil.example",
            "",
            " /x",
            "/x\\y",
            "/\u{3000}/evil.example",
        ] {
            assert_eq!(safe_next(Some(evil)), "/", "{evil:?}");
        }
        assert_eq!(safe_next(None), "/");
    }
}
