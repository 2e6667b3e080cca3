//! The plain-HTTP setup port (`--setup-listen`, 8080 by default): what a phone needs
//! before it can trust the box's HTTPS.
//!
//! - `/` (and `/setup`): "Set up this phone": a QR code of the HTTPS address, the steps
//!   for Android and for iOS, and a button to open Comanda;
//! - `/ca.crt`: the box's CA certificate, for Android (and any browser);
//! - `/ca.mobileconfig`: the same as an iOS configuration profile;
//! - everything else: a redirect to the same path over HTTPS.
//!
//! Nothing here reads the database or needs a session: it is the one thing served without
//! encryption, and it hands out nothing secret (a CA certificate is public).

use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode, Uri};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;
use qrcode::render::svg;
use qrcode::QrCode;
use sha2::{Digest, Sha256};
use std::sync::Arc;

/// What the setup port knows: its own port and the HTTPS one, the CA (None with the
/// venue's own certificate) and the names phones may reach the box by.
pub struct SetupSite {
    pub https_port: u16,
    pub setup_port: u16,
    pub ca_pem: Option<String>,
    /// The box's LAN addresses, then its host names (`comanda`, `comanda.local`): the
    /// only hosts the page puts in links and QR codes.
    pub names: Vec<String>,
}

pub fn router(site: SetupSite) -> Router {
    Router::new()
        .route("/", get(setup_page))
        .route("/setup", get(setup_page))
        .route("/ca.crt", get(ca_certificate))
        .route("/ca.mobileconfig", get(ios_profile))
        .fallback(to_https)
        .layer(axum::middleware::from_fn(super::headers::security_headers))
        .with_state(Arc::new(site))
}

/// The host part of the `Host` header (without the port), lower-cased.
fn requested_host(headers: &HeaderMap) -> Option<String> {
    let host = headers.get(header::HOST)?.to_str().ok()?;
    let host = match host.strip_prefix('[') {
        Some(v6) => format!("[{}]", v6.split(']').next()?),
        None => host.rsplit_once(':').map_or(host, |(h, _)| h).to_owned(),
    };
    Some(host.to_ascii_lowercase())
}

impl SetupSite {
    /// The host to send a phone to: the one it used if it is one of the box's own names
    /// (or, for a redirect only, loopback on the box itself), else the box's first LAN
    /// address. Never a name from the request that the box does not have.
    fn host_for(&self, headers: &HeaderMap, loopback_too: bool) -> String {
        let loopback = |h: &String| h == "localhost" || h == "127.0.0.1";
        requested_host(headers)
            .filter(|h| self.names.contains(h) || (loopback_too && loopback(h)))
            .or_else(|| self.names.first().cloned())
            .unwrap_or_else(|| "localhost".to_owned())
    }

    /// The HTTPS address for the page's links and QR code: one a phone can open, so never
    /// loopback, even when the page is opened on the box itself.
    fn https_base(&self, headers: &HeaderMap) -> String {
        self.https_at(&self.host_for(headers, false))
    }

    fn https_at(&self, host: &str) -> String {
        match self.https_port {
            443 => format!("https://{host}"),
            port => format!("https://{host}:{port}"),
        }
    }

    /// This page's own address, for a QR code that brings other new phones here.
    fn setup_address(&self, headers: &HeaderMap) -> String {
        let host = self.host_for(headers, false);
        match self.setup_port {
            80 => format!("http://{host}/"),
            port => format!("http://{host}:{port}/"),
        }
    }
}

async fn to_https(State(site): State<Arc<SetupSite>>, headers: HeaderMap, uri: Uri) -> Response {
    let base = site.https_at(&site.host_for(&headers, true));
    let path = uri.path_and_query().map_or("/", |p| p.as_str());
    let target = format!("{base}{path}");
    // A path that cannot go in a Location header lands on the app's start instead.
    match axum::http::HeaderValue::from_str(&target) {
        Ok(_) => Redirect::permanent(&target).into_response(),
        Err(_) => Redirect::permanent(&format!("{base}/")).into_response(),
    }
}

async fn ca_certificate(State(site): State<Arc<SetupSite>>) -> Response {
    match &site.ca_pem {
        Some(pem) => (
            [
                (header::CONTENT_TYPE, "application/x-x509-ca-cert"),
                (
                    header::CONTENT_DISPOSITION,
                    "attachment; filename=\"comanda-ca.crt\"",
                ),
            ],
            pem.clone(),
        )
            .into_response(),
        None => no_local_ca(),
    }
}

fn no_local_ca() -> Response {
    (
        StatusCode::NOT_FOUND,
        "This box uses the venue's own certificate: there is nothing to install.",
    )
        .into_response()
}

/// The base64 DER inside a PEM certificate: its lines between the markers.
fn pem_body(pem: &str) -> String {
    pem.lines()
        .filter(|l| !l.starts_with("-----"))
        .collect::<String>()
}

/// A stable UUID per CA and purpose, so installing the profile twice replaces it.
fn profile_uuid(pem: &str, purpose: &str) -> uuid::Uuid {
    let digest = Sha256::new()
        .chain_update(purpose.as_bytes())
        .chain_update(pem.as_bytes())
        .finalize();
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    uuid::Builder::from_random_bytes(bytes).into_uuid()
}

async fn ios_profile(State(site): State<Arc<SetupSite>>) -> Response {
    let Some(pem) = &site.ca_pem else {
        return no_local_ca();
    };
    let (inner, outer) = (profile_uuid(pem, "ca"), profile_uuid(pem, "profile"));
    let profile = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
  <key>PayloadContent</key>
  <array>
    <dict>
      <key>PayloadCertificateFileName</key><string>comanda-ca.crt</string>
      <key>PayloadContent</key><data>{der}</data>
      <key>PayloadDescription</key><string>Lets this device open Comanda securely on the venue's network.</string>
      <key>PayloadDisplayName</key><string>Comanda local CA</string>
      <key>PayloadIdentifier</key><string>local.comanda.ca.{inner}</string>
      <key>PayloadType</key><string>com.apple.security.root</string>
      <key>PayloadUUID</key><string>{inner}</string>
      <key>PayloadVersion</key><integer>1</integer>
    </dict>
  </array>
  <key>PayloadDescription</key><string>Trust the Comanda box in this venue.</string>
  <key>PayloadDisplayName</key><string>Comanda</string>
  <key>PayloadIdentifier</key><string>local.comanda.profile.{outer}</string>
  <key>PayloadRemovalDisallowed</key><false/>
  <key>PayloadType</key><string>Configuration</string>
  <key>PayloadUUID</key><string>{outer}</string>
  <key>PayloadVersion</key><integer>1</integer>
</dict>
</plist>
"#,
        der = pem_body(pem),
    );
    (
        [
            (header::CONTENT_TYPE, "application/x-apple-aspen-config"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"comanda.mobileconfig\"",
            ),
        ],
        profile,
    )
        .into_response()
}

fn qr_svg(text: &str) -> String {
    QrCode::new(text.as_bytes())
        .map(|code| {
            code.render::<svg::Color<'_>>()
                .min_dimensions(220, 220)
                .quiet_zone(true)
                .build()
        })
        .unwrap_or_default()
}

/// Escapes text for HTML (the host comes from the request, though checked already).
fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

async fn setup_page(State(site): State<Arc<SetupSite>>, headers: HeaderMap) -> Html<String> {
    let https = site.https_base(&headers);
    let app = format!("{https}/");
    let setup = site.setup_address(&headers);
    let steps = if site.ca_pem.is_some() {
        r#"<section>
  <h2>Android</h2>
  <ol>
    <li><a class="button" href="/ca.crt">Download the certificate</a> (if the phone says it cannot install it from here, that is fine: go on).</li>
    <li>In <b>Settings</b>, search for <b>CA certificate</b> (or open <b>Security → More security settings → Encryption &amp; credentials → Install a certificate → CA certificate</b>), tap <b>Install anyway</b> and choose <b>comanda-ca.crt</b> from Downloads. The phone needs a screen lock for this, and afterwards may say "network may be monitored": that is expected.</li>
    <li>Come back here and tap <b>Open Comanda</b>, then <b>Install app</b> from Chrome's menu.</li>
  </ol>
</section>
<section>
  <h2>iPhone and iPad</h2>
  <ol>
    <li>Open this page in <b>Safari</b>, <a class="button" href="/ca.mobileconfig">download the profile</a>, tap <b>Allow</b>, then <b>Close</b>.</li>
    <li>In <b>Settings</b>, tap <b>Profile Downloaded</b> (or <b>General → VPN &amp; Device Management</b>), then <b>Install</b> and type the phone's passcode. Then in <b>General → About → Certificate Trust Settings</b>, switch on <b>Comanda local CA</b>.</li>
    <li>Come back here, tap <b>Open Comanda</b>, then <b>Share → Add to Home Screen</b>.</li>
  </ol>
</section>"#
    } else {
        "<p>This box uses the venue's own certificate: there is nothing to install. Open Comanda.</p>"
    };
    Html(format!(
        r#"<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Set up a phone · Comanda</title>
<style>
  body {{ font: 17px/1.45 system-ui, sans-serif; margin: 0 auto; max-width: 40rem; padding: 1rem; color: #1d1d1f; }}
  h1 {{ font-size: 1.5rem; margin: .5rem 0; }}
  h2 {{ font-size: 1.15rem; margin: 1.25rem 0 .25rem; }}
  main {{ display: grid; gap: 0 2.5rem; }}
  @media (min-width: 800px) {{ body {{ max-width: 64rem; }} main {{ grid-template-columns: minmax(0, 1fr) auto; }} .codes {{ flex-direction: column; margin-top: 0; }} }}
  .codes {{ display: flex; flex-wrap: wrap; gap: 1rem; justify-content: center; margin-top: 1.5rem; }}
  figure {{ margin: 0; text-align: center; max-width: 240px; }}
  figcaption {{ font-size: .95rem; }}
  .qr svg {{ width: 200px; height: 200px; }}
  .address {{ font-family: ui-monospace, monospace; text-align: center; word-break: break-all; }}
  .button {{ display: inline-block; min-height: 44px; line-height: 44px; padding: 0 1rem; border-radius: 8px;
            background: #b3261e; color: #fff; text-decoration: none; font-weight: 600; }}
  .open {{ display: block; text-align: center; font-size: 1.1rem; margin: 1rem 0; }}
  ol {{ padding-left: 1.25rem; }} li {{ margin: .5rem 0; }}
</style>
</head>
<body>
<h1>Set up a phone for Comanda</h1>
<main>
<div>
<p>Once per phone or tablet: trust this box with the steps below, then open Comanda. It then works offline and installs like an app.</p>
{steps}
<a class="button open" href="{app_attr}">Open Comanda</a>
</div>
<div class="codes">
  <figure>
    <div class="qr" aria-label="QR code of {app_text}">{qr}</div>
    <figcaption>Set up already: scan to open Comanda<br><span class="address">{app_text}</span></figcaption>
  </figure>
  <figure>
    <div class="qr" aria-label="QR code of {setup_text}">{setup_qr}</div>
    <figcaption>Another new phone: scan to come to this page<br><span class="address">{setup_text}</span></figcaption>
  </figure>
</div>
</main>
</body>
</html>
"#,
        qr = qr_svg(&app),
        app_text = escape(&app),
        app_attr = escape(&app),
        setup_qr = qr_svg(&setup),
        setup_text = escape(&setup),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_host(host: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(header::HOST, host.parse().unwrap());
        h
    }

    #[test]
    fn links_use_the_boxs_own_names_only() {
        let site = SetupSite {
            https_port: 8443,
            setup_port: 8080,
            ca_pem: None,
            names: vec![
                "192.168.1.20".into(),
                "10.0.0.2".into(),
                "comanda.local".into(),
            ],
        };
        assert_eq!(
            site.https_base(&with_host("10.0.0.2:8080")),
            "https://10.0.0.2:8443"
        );
        assert_eq!(
            site.https_base(&with_host("Comanda.local:8080")),
            "https://comanda.local:8443"
        );
        assert_eq!(
            site.setup_address(&with_host("10.0.0.2:8080")),
            "http://10.0.0.2:8080/"
        );
        // Opened on the box itself, or with a name the box does not have: its LAN address.
        for odd in [
            "127.0.0.1:8080",
            "localhost",
            "evil.example",
            "a\"><script>",
        ] {
            assert_eq!(
                site.https_base(&with_host(odd)),
                "https://192.168.1.20:8443"
            );
        }
        assert_eq!(
            site.https_base(&HeaderMap::new()),
            "https://192.168.1.20:8443"
        );
    }

    #[test]
    fn the_ios_profile_carries_the_certificate_body() {
        let pem = "-----BEGIN CERTIFICATE-----\nQUJD\nREVG\n-----END CERTIFICATE-----\n";
        assert_eq!(pem_body(pem), "QUJDREVG");
        assert_eq!(profile_uuid(pem, "ca"), profile_uuid(pem, "ca"));
        assert_ne!(profile_uuid(pem, "ca"), profile_uuid(pem, "profile"));
    }
}
