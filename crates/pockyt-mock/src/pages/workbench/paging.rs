//! Which page of a list a request asks for (`?page=N`), and the links to its neighbours.
//!
//! Every list is paged: a simulator may hold hundreds of thousands of payments, and a list of
//! them all, copied under the ledger's lock, made every other request wait. Only a page's records
//! are copied; they are rendered after the lock is released.

/// Rows a list page shows by default (`MockGatewayBuilder::page_size` changes it).
pub(crate) const PAGE_SIZE: usize = 100;

/// Which page of a list a request asks for.
#[derive(Debug, Clone, Copy)]
pub(super) struct Page {
    /// 1 for the first.
    pub(super) number: usize,
    pub(super) size: usize,
}

impl Page {
    /// `?page=N` (1 if absent) of pages of `size` rows; `Err` for anything but a positive number.
    pub(super) fn of(query: Option<&str>, size: usize) -> Result<Self, String> {
        let pairs = pockyt_sign::form::parse(query.unwrap_or_default().as_bytes())
            .map_err(|e| format!("the query is not a form: {e}"))?;
        let number = match pairs.iter().find(|(name, _)| name == "page") {
            None => 1,
            Some((_, value)) => value
                .parse::<usize>()
                .ok()
                .filter(|n| *n >= 1)
                .ok_or_else(|| format!("page must be a number from 1 up, not `{value}`"))?,
        };
        Ok(Self { number, size })
    }

    /// How many rows the pages before this one hold (saturating: a huge page is just empty).
    pub(super) fn skip(self) -> usize {
        (self.number - 1).saturating_mul(self.size)
    }

    /// Whether rows remain after this page, of `total`.
    pub(super) fn has_next(self, total: usize) -> bool {
        self.skip().saturating_add(self.size) < total
    }

    /// Links to the previous and the next page of `path`, as HTML.
    pub(super) fn links(self, path: &str, total: usize) -> String {
        let pages = total.div_ceil(self.size).max(1);
        let mut out = format!(
            "<p class=\"pages\">Page {} of {pages} ({total} in all, {} a page)",
            self.number, self.size
        );
        if self.number > 1 {
            out.push_str(&format!(
                " · <a id=\"previous\" href=\"{path}?page={}\">previous</a>",
                self.number - 1
            ));
        }
        if self.has_next(total) {
            out.push_str(&format!(
                " · <a id=\"next\" href=\"{path}?page={}\">next</a>",
                self.number + 1
            ));
        }
        out.push_str("</p>");
        out
    }
}
