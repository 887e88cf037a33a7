//! Long lists in pages of a fixed size (what a request returns must not grow with the data).
//! One rule for the pages and the API: pages are numbered from 1, `PER_PAGE` rows each.

/// Rows per page, on the overview pages and in the API's lists.
pub const PER_PAGE: usize = 100;

/// The highest page number taken; far beyond any real list, low enough that the offset cannot overflow.
const LAST_PAGE: u32 = 1_000_000;

/// A page of a list, numbered from 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageNumber(u32);

impl PageNumber {
    pub const FIRST: PageNumber = PageNumber(1);

    /// A page number as a query gives it; empty is the first page.
    pub fn parse(text: &str) -> Result<PageNumber, &'static str> {
        let text = text.trim();
        if text.is_empty() {
            return Ok(PageNumber::FIRST);
        }
        match text.parse::<u32>() {
            Ok(n) if (1..=LAST_PAGE).contains(&n) => Ok(PageNumber(n)),
            _ => Err("Sidetallet skal være et helt tal fra 1."),
        }
    }

    pub fn get(self) -> u32 {
        self.0
    }

    /// How many rows come before this page.
    pub fn offset(self) -> usize {
        (self.0 as usize - 1) * PER_PAGE
    }

    /// How many rows a query reads from `offset()`: one more than a page, to tell whether more follow.
    pub fn fetch_limit(self) -> usize {
        PER_PAGE + 1
    }

    /// This page's rows of the whole list, and whether more follow.
    pub fn of<T>(self, mut rows: Vec<T>) -> (Vec<T>, bool) {
        let start = self.offset().min(rows.len());
        cut(rows.drain(start..).collect())
    }
}

/// Rows read with `fetch_limit()`: at most a page of them, and whether more follow.
pub fn cut<T>(mut rows: Vec<T>) -> (Vec<T>, bool) {
    let more = rows.len() > PER_PAGE;
    rows.truncate(PER_PAGE);
    (rows, more)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_numbers_are_whole_numbers_from_one() {
        assert_eq!(PageNumber::parse("").unwrap(), PageNumber::FIRST);
        assert_eq!(PageNumber::parse(" 3 ").unwrap().get(), 3);
        for bad in ["0", "-1", "abc", "1.5", "99999999999", "1000001"] {
            assert!(PageNumber::parse(bad).is_err(), "{bad} was taken");
        }
    }

    #[test]
    fn a_page_holds_at_most_per_page_rows_and_says_when_more_follow() {
        let rows: Vec<usize> = (0..250).collect();
        let (first, more) = PageNumber::FIRST.of(rows.clone());
        assert_eq!((first.len(), first[0], more), (PER_PAGE, 0, true));
        let (third, more) = PageNumber::parse("3").unwrap().of(rows.clone());
        assert_eq!((third.len(), third[0], more), (50, 200, false));
        let (beyond, more) = PageNumber::parse("9").unwrap().of(rows);
        assert!(beyond.is_empty() && !more);
    }
}
