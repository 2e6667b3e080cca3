//! Under systemd (`Type=notify`, `WatchdogSec`): the server says it is ready once it
//! listens, pings the watchdog while its database answers, and says it is stopping on
//! SIGTERM. systemd's notify socket is a Unix datagram socket of the test's own.

mod fixture;

use fixture::*;
use std::os::unix::net::UnixDatagram;
use std::time::{Duration, Instant};

/// The messages on `socket` until `done` says enough (at most 20 s).
fn messages_until(socket: &UnixDatagram, done: impl Fn(&[String]) -> bool) -> Vec<String> {
    socket
        .set_read_timeout(Some(Duration::from_millis(100)))
        .unwrap();
    let (deadline, mut seen) = (Instant::now() + Duration::from_secs(20), Vec::new());
    let mut buf = [0u8; 512];
    while !done(&seen) {
        assert!(Instant::now() < deadline, "systemd was told only {seen:?}");
        if let Ok(n) = socket.recv(&mut buf) {
            seen.extend(
                String::from_utf8_lossy(&buf[..n])
                    .lines()
                    .map(str::to_owned),
            );
        }
    }
    seen
}

#[tokio::test]
async fn systemd_hears_ready_then_watchdog_pings_then_stopping() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("notify.sock");
    let socket = UnixDatagram::bind(&path).unwrap();
    let path = path.to_str().unwrap().to_owned();
    // WatchdogSec=0.4 s: a ping every 0.2 s.
    let mut s = Server::start_env(&[("NOTIFY_SOCKET", &path), ("WATCHDOG_USEC", "400000")]).await;
    let count = |seen: &[String], what: &str| seen.iter().filter(|m| *m == what).count();
    let seen = messages_until(&socket, |seen| count(seen, "WATCHDOG=1") >= 3);
    assert_eq!(count(&seen, "READY=1"), 1, "{seen:?}");
    assert!(s.terminate(Duration::from_secs(2)).await.is_some());
    messages_until(&socket, |seen| count(seen, "STOPPING=1") == 1);
}
