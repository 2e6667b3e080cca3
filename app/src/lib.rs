//! Comanda's shared crate. `domain` and `api` are plain data and pure rules that both the
//! server and the browser compile; with `ssr` they also derive what the server needs
//! (sqlx row mapping, OpenAPI schemas). `shells` says which pages come in which of the web
//! app's two shells. `ui` is the Leptos app and exists only with `csr`.

pub mod api;
pub mod delta;
pub mod domain;
pub mod local;
pub mod outbox;
pub mod shells;

#[cfg(feature = "csr")]
pub mod ui;
