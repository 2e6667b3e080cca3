//! Tickets that open live streams: `EventSource` cannot send an Authorization header, so
//! a stream's credentials go in its URL, where proxies and logs may keep them. A ticket
//! opens one stream, once, within a minute, instead of the session token. Kept in memory:
//! a restart ends them, and the browser asks again.

use rand::RngCore;
use std::time::Duration;

/// How long a stream ticket waits to be used.
const TICKET_TTL: Duration = Duration::from_secs(60);
/// Tickets held at once; more are refused until old ones expire.
const MAX_TICKETS: usize = 10_000;
/// Unused tickets one session may hold; asking for more drops its oldest.
const MAX_TICKETS_PER_SESSION: usize = 8;

/// The tickets out, by ticket: the session token digest each stands for, and until when.
#[derive(Default)]
pub struct StreamTickets {
    tickets: std::sync::Mutex<std::collections::HashMap<String, (String, std::time::Instant)>>,
}

impl StreamTickets {
    /// A new ticket for the session with this token digest; None when too many are out.
    pub fn issue(&self, digest: &str) -> Option<String> {
        let now = std::time::Instant::now();
        let mut tickets = self.tickets.lock().unwrap_or_else(|e| e.into_inner());
        let mut own: Vec<(String, std::time::Instant)> = tickets
            .iter()
            .filter(|(_, (d, _))| d == digest)
            .map(|(t, (_, until))| (t.clone(), *until))
            .collect();
        if own.len() >= MAX_TICKETS_PER_SESSION {
            own.sort_by_key(|(_, until)| *until);
            for (oldest, _) in &own[..=own.len() - MAX_TICKETS_PER_SESSION] {
                tickets.remove(oldest);
            }
        }
        if tickets.len() >= MAX_TICKETS {
            tickets.retain(|_, (_, until)| *until > now);
            if tickets.len() >= MAX_TICKETS {
                return None;
            }
        }
        let mut raw = [0u8; 24];
        rand::rngs::OsRng.fill_bytes(&mut raw);
        let ticket = hex::encode(raw);
        tickets.insert(ticket.clone(), (digest.to_owned(), now + TICKET_TTL));
        Some(ticket)
    }

    /// The session token digest a ticket stands for, if it is valid; it is used up.
    pub fn redeem(&self, ticket: &str) -> Option<String> {
        let mut tickets = self.tickets.lock().unwrap_or_else(|e| e.into_inner());
        tickets
            .remove(ticket)
            .filter(|(_, until)| *until > std::time::Instant::now())
            .map(|(digest, _)| digest)
    }

    /// Forgets the tickets of a session that ended.
    pub fn forget_session(&self, digest: &str) {
        let mut tickets = self.tickets.lock().unwrap_or_else(|e| e.into_inner());
        tickets.retain(|_, (d, _)| d != digest);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_ticket_opens_one_stream_and_a_session_holds_few() {
        let tickets = StreamTickets::default();
        let t = tickets.issue("session-a").unwrap();
        assert_eq!(tickets.redeem(&t).as_deref(), Some("session-a"));
        assert_eq!(tickets.redeem(&t), None, "used up");
        let many: Vec<String> = (0..20)
            .map(|_| tickets.issue("session-b").unwrap())
            .collect();
        let valid = many.iter().filter(|t| tickets.redeem(t).is_some()).count();
        assert_eq!(valid, MAX_TICKETS_PER_SESSION);
        let c = tickets.issue("session-c").unwrap();
        tickets.forget_session("session-c");
        assert_eq!(tickets.redeem(&c), None);
    }
}
