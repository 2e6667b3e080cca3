//! Comanda's shared crate. `domain` and `api` are plain data and pure rules that both the
//! server and the browser compile; with `ssr` they also derive what the server needs
//! (sqlx and rusqlite conversions, OpenAPI schemas). `delta` and `local` are how a phone brings its
//! view up to date; `shells` says which pages come in which of the web app's two shells.
//! The Leptos app that uses them is the `ui` crate.

pub mod api;
pub mod delta;
pub mod domain;
pub mod local;
pub mod outbox;
pub mod shells;
#[cfg(feature = "ssr")]
pub mod sql;
