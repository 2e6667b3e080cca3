//! The browser app (Leptos, client-side rendered): routes and the pieces every page shares.
//!
//! Pages talk to the server only through `client` (the versioned JSON API) and `live`
//! (the event stream); the signed-in member of staff lives in `session`.

mod client;
mod components;
mod files;
mod live;
mod local_db;
mod pages;
pub mod pwa;
mod scanner;
mod session;
mod sound;
pub mod store;

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{lazy_route, path, Lazy, LazyRoute};

/// The staff shell: every screen, one route each.
#[component]
pub fn App() -> impl IntoView {
    view! {
        <Shell>
            <Router>
                <pwa::StorageWarning/>
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=pages::login::LoginPage/>
                    <Route path=path!("/floor") view=pages::floor::FloorPage/>
                    <Route path=path!("/order/:order_id") view=pages::order::OrderPage/>
                    <Route path=path!("/kitchen/:station") view=pages::kitchen::KitchenPage/>
                    <Route path=path!("/manager") view=pages::manager::ManagerPage/>
                    <Route path=path!("/manager/:area") view=pages::manager::ManagerPage/>
                    <Route path=path!("/pickup") view=pages::pickup::PickupPage/>
                    <Route path=path!("/counter") view=pages::counter::CounterPage/>
                    <Route path=path!("/setup") view=pages::setup::SetupPage/>
                </Routes>
            </Router>
        </Shell>
    }
}

/// The waiter's shell (`app::shells`): sign-in, the floor and the order screen, the last
/// two loaded on first use. A staff page opened from here (a manager signing in) loads the
/// staff shell.
#[component]
pub fn WaiterApp() -> impl IntoView {
    view! {
        <Shell>
            <Router>
                <pwa::StorageWarning/>
                <Routes fallback=StaffPageOrNotFound>
                    <Route path=path!("/") view=pages::login::LoginPage/>
                    <Route path=path!("/floor") view={Lazy::<FloorRoute>::new()}/>
                    <Route path=path!("/order/:order_id") view={Lazy::<OrderRoute>::new()}/>
                </Routes>
            </Router>
        </Shell>
    }
}

/// The floor, in its own piece of the waiter's wasm (`scripts/split-waiter.sh`), so sign-in
/// needs only the main module.
#[derive(Debug)]
struct FloorRoute;

#[lazy_route]
impl LazyRoute for FloorRoute {
    fn data() -> Self {
        // The next tap is a table: have its screen ready by then. Not in `view`, which
        // every shell links (it is exported for the split), while only this shell may
        // load a piece.
        leptos::task::spawn_local(OrderRoute::preload());
        Self
    }

    fn view(_this: Self) -> AnyView {
        view! { <pages::floor::FloorPage/> }.into_any()
    }
}

/// The order screen, in its own piece of the waiter's wasm.
#[derive(Debug)]
struct OrderRoute;

#[lazy_route]
impl LazyRoute for OrderRoute {
    fn data() -> Self {
        Self
    }

    fn view(_this: Self) -> AnyView {
        view! { <pages::order::OrderPage/> }.into_any()
    }
}

/// What both shells hold around their routes: the session, the phone's store, and the
/// banner about updates (the one about storage is inside the router: it goes by the page).
#[component]
fn Shell(children: Children) -> impl IntoView {
    session::provide_session();
    store::Store::provide(session::use_session());
    view! {
        <pwa::UpdateBanner/>
        {children()}
    }
}

/// Scrolls `element` just enough to be seen, up, down or sideways (a tab in a sideways
/// bar, a form below the fold), without moving anything already in view.
pub(crate) fn bring_into_view(element: &web_sys::Element) {
    let options = web_sys::ScrollIntoViewOptions::new();
    options.set_block(web_sys::ScrollLogicalPosition::Nearest);
    options.set_inline(web_sys::ScrollLogicalPosition::Nearest);
    element.scroll_into_view_with_scroll_into_view_options(&options);
}

#[component]
fn NotFound() -> impl IntoView {
    view! { <main class="page"><p class="empty">"This page does not exist."</p><a href="/">"Start"</a></main> }
}

/// In the waiter's shell, a staff page is loaded afresh from the box, which sends the
/// staff shell; any other unknown page does not exist.
#[component]
fn StaffPageOrNotFound() -> impl IntoView {
    let location = window().location();
    let path = location.pathname().unwrap_or_default();
    if app::shells::is_staff_page(&path) {
        let search = location.search().unwrap_or_default();
        let _ = location.assign(&format!("{path}{search}"));
        view! { <main class="page"><p class="empty">"Opening…"</p></main> }.into_any()
    } else {
        view! { <NotFound/> }.into_any()
    }
}
