//! One module per screen.

pub mod counter;
pub mod floor;
pub mod kitchen;
pub mod login;
pub mod manager;
pub mod order;
pub mod pickup;
pub mod setup;

use super::client::ClientError;
use super::session::SessionState;
use leptos::prelude::*;

/// Shows a failed call in the page's banner; a lost session signs the device out, which
/// puts the sign-in prompt on screen.
pub(crate) fn report(error: ClientError, banner: RwSignal<Option<String>>, session: SessionState) {
    if error.is_unauthorized() {
        session.sign_out();
    }
    banner.set(Some(error.message()));
}
