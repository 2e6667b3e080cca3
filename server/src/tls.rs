//! HTTPS on the venue's LAN without the internet: the box is its own certificate authority.
//!
//! Browsers give a service worker, persistent storage and "install" only to secure
//! origins, and a phone reaches the box by its LAN address, so the box needs a certificate
//! that phones trust. On first start it makes a CA (`<data>/tls/ca.key`, `ca.crt`, mode
//! 0600); each phone trusts that CA once (the setup page, `http/setup.rs`). The server
//! certificate it issues names every LAN IPv4 address, the host name, `<host>.local`,
//! `localhost` and 127.0.0.1, and is issued again at start-up when those names change (a
//! new DHCP lease) or it nears its end. A venue with its own certificate passes
//! `--tls-cert`/`--tls-key` instead.
//!
//! Like Caddy's local CA, but without name constraints: iOS and Android handle them
//! unevenly, and the CA key never leaves the box (mode 0600).

use crate::config::Config;
use crate::secret_files;
use axum_server::tls_rustls::RustlsConfig;
use rcgen::{
    BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair,
    KeyUsagePurpose, SanType,
};
use sha2::Digest;
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use time::{Duration, OffsetDateTime};

/// How long the CA lasts: phones trust it once, so a long time.
const CA_YEARS: i64 = 10;
/// A server certificate's life. Apple refuses TLS certificates valid for more than 825
/// days even from a CA the user installed; 397 keeps within every browser's rule.
const SERVER_DAYS: i64 = 397;
/// Re-issue when fewer days than this are left.
const RENEW_DAYS: i64 = 30;

#[derive(Debug, thiserror::Error)]
pub enum TlsError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("certificate: {0}")]
    Certificate(#[from] rcgen::Error),
    #[error(
        "{0} has only half of the local CA (ca.crt and ca.key go together): restore both from \
         a backup, or remove both to make a new CA, which every phone must then trust again"
    )]
    HalfACa(PathBuf),
}

/// What the HTTPS listener serves with, and what the setup page offers phones.
pub struct Tls {
    pub rustls: RustlsConfig,
    /// The local CA's certificate (PEM) for phones to trust; None with the venue's own
    /// certificate, which phones already trust.
    pub ca_pem: Option<String>,
}

/// The TLS set-up the configuration asks for: None with `--no-tls`.
pub async fn prepare(config: &Config) -> Result<Option<Tls>, TlsError> {
    if config.no_tls {
        return Ok(None);
    }
    if let (Some(cert), Some(key)) = (&config.tls_cert, &config.tls_key) {
        let rustls = RustlsConfig::from_pem_file(cert, key)
            .await
            .map_err(|source| TlsError::Io {
                path: cert.clone(),
                source,
            })?;
        return Ok(Some(Tls {
            rustls,
            ca_pem: None,
        }));
    }
    let dir = config.data.join("tls");
    let names = lan_names(&host_name());
    let issued = local_certificate(&dir, &names)?;
    let rustls = RustlsConfig::from_pem(issued.chain.into_bytes(), issued.key.into_bytes())
        .await
        .map_err(|source| TlsError::Io {
            path: dir.clone(),
            source,
        })?;
    Ok(Some(Tls {
        rustls,
        ca_pem: Some(issued.ca_pem),
    }))
}

/// This machine's host name, as phones may know it ("comanda" → "comanda.local").
pub fn host_name() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .map(|h| h.trim().to_ascii_lowercase())
        .filter(|h| !h.is_empty() && h.len() <= 63)
        .unwrap_or_else(|| "comanda".to_owned())
}

/// The box's IPv4 addresses on its networks (not loopback), in a stable order.
pub fn lan_addresses() -> Vec<IpAddr> {
    let mut ips: Vec<IpAddr> = if_addrs::get_if_addrs()
        .unwrap_or_default()
        .into_iter()
        .filter(|i| !i.is_loopback() && i.ip().is_ipv4())
        .map(|i| i.ip())
        .collect();
    ips.sort();
    ips.dedup();
    ips
}

/// Every name a phone may use for the box.
fn lan_names(host: &str) -> Vec<String> {
    let mut names: Vec<String> = lan_addresses().iter().map(IpAddr::to_string).collect();
    names.extend([
        "127.0.0.1".to_owned(),
        "localhost".to_owned(),
        host.to_owned(),
        format!("{host}.local"),
    ]);
    names.sort();
    names.dedup();
    names
}

struct Issued {
    ca_pem: String,
    /// The server certificate followed by the CA's.
    chain: String,
    key: String,
}

/// The local CA (made on first use) and a server certificate for `names`, re-issued when
/// the names differ from the last one's or it is near its end.
fn local_certificate(dir: &Path, names: &[String]) -> Result<Issued, TlsError> {
    std::fs::create_dir_all(dir).map_err(|source| TlsError::Io {
        path: dir.to_owned(),
        source,
    })?;
    restrict(dir, 0o700)?;
    let (ca_pem, ca_key) = match (read(&dir.join("ca.crt")), read(&dir.join("ca.key"))) {
        (Some(cert), Some(key)) => (cert, KeyPair::from_pem(&key)?),
        (None, None) => {
            let key = KeyPair::generate()?;
            let cert = ca_params().self_signed(&key)?;
            write_secret(&dir.join("ca.key"), &key.serialize_pem())?;
            write_secret(&dir.join("ca.crt"), &cert.pem())?;
            tracing::info!(dir = %dir.display(), "made the box's certificate authority");
            (cert.pem(), key)
        }
        // Making a new CA here would silently break every phone that trusts the old one.
        _ => return Err(TlsError::HalfACa(dir.to_owned())),
    };
    // The label names the CA too: a certificate from another CA is never kept.
    let wanted = certificate_label(&ca_pem, names);
    let (cert_path, key_path, label_path) = (
        dir.join("server.crt"),
        dir.join("server.key"),
        dir.join("server.names"),
    );
    if let (Some(cert), Some(key), Some(label)) =
        (read(&cert_path), read(&key_path), read(&label_path))
    {
        if still_good(&label, &wanted) {
            return Ok(Issued {
                chain: format!("{cert}{ca_pem}"),
                ca_pem,
                key,
            });
        }
    }
    // The label goes first: a crash before the new one is written means "issue again",
    // never an old label vouching for a half-written key and certificate.
    match std::fs::remove_file(&label_path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
            return Err(TlsError::Io {
                path: label_path,
                source: e,
            })
        }
        _ => {}
    }
    let issuer = Issuer::from_ca_cert_pem(&ca_pem, ca_key)?;
    let key = KeyPair::generate()?;
    let until = OffsetDateTime::now_utc() + Duration::days(SERVER_DAYS);
    let cert = server_params(names, until)?.signed_by(&key, &issuer)?;
    write_secret(&key_path, &key.serialize_pem())?;
    write_secret(&cert_path, &cert.pem())?;
    write_secret(
        &label_path,
        &format!("{wanted}\n{}\n", until.unix_timestamp()),
    )?;
    tracing::info!(names = %wanted, "issued the HTTPS certificate");
    Ok(Issued {
        chain: format!("{}{ca_pem}", cert.pem()),
        ca_pem,
        key: key.serialize_pem(),
    })
}

/// The CA's fingerprint and the names, on one line.
fn certificate_label(ca_pem: &str, names: &[String]) -> String {
    let ca = hex::encode(&sha2::Sha256::digest(ca_pem.as_bytes())[..8]);
    format!("ca:{ca} {}", names.join(" "))
}

/// A stored certificate is kept while its names are the wanted ones and it has more
/// than `RENEW_DAYS` left. The label file holds the names, then the end as a Unix time.
fn still_good(label: &str, wanted: &str) -> bool {
    let mut lines = label.lines();
    let names_match = lines.next() == Some(wanted);
    let until = lines.next().and_then(|l| l.trim().parse::<i64>().ok());
    let renew_at = OffsetDateTime::now_utc() + Duration::days(RENEW_DAYS);
    names_match && until.is_some_and(|u| u > renew_at.unix_timestamp())
}

fn ca_params() -> CertificateParams {
    let mut params = CertificateParams::default();
    params.distinguished_name.push(
        DnType::CommonName,
        format!("Comanda on {} (local CA)", host_name()),
    );
    params
        .distinguished_name
        .push(DnType::OrganizationName, "Comanda");
    params.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
    params.key_usages = vec![
        KeyUsagePurpose::KeyCertSign,
        KeyUsagePurpose::CrlSign,
        KeyUsagePurpose::DigitalSignature,
    ];
    let now = OffsetDateTime::now_utc();
    params.not_before = now - Duration::days(1);
    params.not_after = now + Duration::days(365 * CA_YEARS);
    params
}

fn server_params(names: &[String], until: OffsetDateTime) -> Result<CertificateParams, TlsError> {
    let mut params = CertificateParams::default();
    params
        .distinguished_name
        .push(DnType::CommonName, host_name());
    for name in names {
        params.subject_alt_names.push(match name.parse::<IpAddr>() {
            Ok(ip) => SanType::IpAddress(ip),
            Err(_) => SanType::DnsName(name.clone().try_into()?),
        });
    }
    params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    params.not_before = OffsetDateTime::now_utc() - Duration::days(1);
    params.not_after = until;
    Ok(params)
}

fn read(path: &Path) -> Option<String> {
    std::fs::read_to_string(path).ok()
}

fn write_secret(path: &Path, content: &str) -> Result<(), TlsError> {
    secret_files::write(path, content).map_err(|source| TlsError::Io {
        path: path.to_owned(),
        source,
    })
}

fn restrict(path: &Path, mode: u32) -> Result<(), TlsError> {
    secret_files::restrict(path, mode).map_err(|source| TlsError::Io {
        path: path.to_owned(),
        source,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_certificate_is_reissued_when_the_names_change_or_it_nears_its_end() {
        let dir = tempfile::tempdir().unwrap();
        let names = vec!["10.0.0.5".to_owned(), "localhost".to_owned()];
        let first = local_certificate(dir.path(), &names).unwrap();
        let again = local_certificate(dir.path(), &names).unwrap();
        assert_eq!(first.chain, again.chain, "same names: the same certificate");
        let moved = vec!["10.0.0.6".to_owned(), "localhost".to_owned()];
        let renewed = local_certificate(dir.path(), &moved).unwrap();
        assert_ne!(
            first.chain, renewed.chain,
            "a new address: a new certificate"
        );
        assert_eq!(first.ca_pem, renewed.ca_pem, "the CA phones trust stays");

        let soon = (OffsetDateTime::now_utc() + Duration::days(3)).unix_timestamp();
        assert!(!still_good(&format!("x\n{soon}\n"), "x"));
    }

    #[test]
    fn half_a_ca_stops_the_start_instead_of_replacing_it() {
        let dir = tempfile::tempdir().unwrap();
        local_certificate(dir.path(), &["localhost".to_owned()]).unwrap();
        std::fs::remove_file(dir.path().join("ca.key")).unwrap();
        let err = local_certificate(dir.path(), &["localhost".to_owned()]).err();
        assert!(matches!(err, Some(TlsError::HalfACa(_))));
    }

    #[test]
    fn a_new_ca_means_a_new_server_certificate() {
        let dir = tempfile::tempdir().unwrap();
        let names = ["localhost".to_owned()];
        let first = local_certificate(dir.path(), &names).unwrap();
        for file in ["ca.key", "ca.crt"] {
            std::fs::remove_file(dir.path().join(file)).unwrap();
        }
        let second = local_certificate(dir.path(), &names).unwrap();
        assert_ne!(first.ca_pem, second.ca_pem);
        assert!(second.chain.ends_with(&second.ca_pem));
        assert_ne!(
            first.chain.replace(&first.ca_pem, ""),
            second.chain.replace(&second.ca_pem, ""),
            "the server certificate was issued again by the new CA"
        );
    }

    #[cfg(unix)]
    #[test]
    fn keys_and_the_ca_are_for_the_owner_only() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        local_certificate(dir.path(), &["localhost".to_owned()]).unwrap();
        for file in ["ca.key", "ca.crt", "server.key", "server.crt"] {
            let mode = std::fs::metadata(dir.path().join(file))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600, "{file}");
        }
    }
}
