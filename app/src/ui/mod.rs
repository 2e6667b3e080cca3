//! The browser app (Leptos, client-side rendered): routes and the pieces every page shares.
//!
//! Pages talk to the server only through `client` (the versioned JSON API) and `live`
//! (the event stream); the signed-in member of staff lives in `session`.

mod client;
mod components;
mod live;
mod local_db;
mod pages;
pub mod pwa;
mod scanner;
mod session;
pub mod store;

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

/// The whole app: one route per screen.
#[component]
pub fn App() -> impl IntoView {
    session::provide_session();
    store::Store::provide(session::use_session());
    view! {
        <pwa::UpdateBanner/>
        <pwa::StorageWarning/>
        <Router>
            <Routes fallback=|| view! { <main class="page"><p class="empty">"This page does not exist."</p><a href="/">"Start"</a></main> }>
                <Route path=path!("/") view=pages::login::LoginPage/>
                <Route path=path!("/floor") view=pages::floor::FloorPage/>
                <Route path=path!("/order/:order_id") view=pages::order::OrderPage/>
                <Route path=path!("/kitchen/:station") view=pages::kitchen::KitchenPage/>
                <Route path=path!("/manager") view=pages::manager::ManagerPage/>
                <Route path=path!("/pickup") view=pages::pickup::PickupPage/>
                <Route path=path!("/counter") view=pages::counter::CounterPage/>
            </Routes>
        </Router>
    }
}
