//! The web app comes as two shells, so a waiter's phone downloads only what a waiter
//! uses. The waiter's shell (sign-in, floor, order) is served at `/` and every page not
//! named here; the staff shell (every page, the station screens and the back office
//! among them) is served for the pages below and lives under `/staff/`. Both the server
//! (which shell a page gets), the service worker (which shell it keeps a page in) and the
//! waiter's shell (which pages to load afresh) go by this list.

/// The pages in the staff shell, each with everything under it; `/staff` is that shell
/// itself.
pub const STAFF_PAGES: [&str; 6] = [
    "/manager", "/kitchen", "/pickup", "/counter", "/staff", "/setup",
];

/// Whether `path` is a page of the staff shell.
pub fn is_staff_page(path: &str) -> bool {
    STAFF_PAGES.iter().any(|page| {
        path.strip_prefix(page)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
    })
}

#[cfg(test)]
mod tests {
    use super::is_staff_page;

    #[test]
    fn station_screens_and_the_back_office_are_staff_pages_and_the_waiters_are_not() {
        for staff in [
            "/manager",
            "/manager/menu",
            "/kitchen/bar",
            "/pickup",
            "/counter",
            "/staff/",
        ] {
            assert!(is_staff_page(staff), "{staff}");
        }
        for waiter in [
            "/",
            "/floor",
            "/order/0193",
            "/managers",
            "/kitchenette",
            "/nowhere",
        ] {
            assert!(!is_staff_page(waiter), "{waiter}");
        }
    }
}
