//! Password hashing with argon2 (default parameters) and session tokens.
//! Hashing is slow on purpose, so it runs on the blocking thread pool.

use argon2::{Argon2, PasswordHasher, PasswordVerifier};
use careinbox_domain::Error;
use rand::RngCore;
use sha2::{Digest, Sha256};

/// The hash of a random password nobody knows, checked when an email is
/// unknown so that a failed login takes as long whether or not the account
/// exists.
fn dummy_hash() -> &'static str {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY.get_or_init(|| {
        Argon2::default()
            .hash_password(generate_password().as_bytes())
            .map(|h| h.to_string())
            .unwrap_or_default()
    })
}

pub async fn hash(password: String) -> Result<String, Error> {
    tokio::task::spawn_blocking(move || {
        Argon2::default()
            .hash_password(password.as_bytes())
            .map(|h| h.to_string())
            .map_err(|e| Error::Internal(e.to_string().into()))
    })
    .await
    .map_err(Error::internal)?
}

/// Whether `password` matches `hash`; with no hash, checks a dummy one and
/// answers false.
pub async fn verify(password: String, hash: Option<String>) -> Result<bool, Error> {
    tokio::task::spawn_blocking(move || {
        let known = hash.is_some();
        let hash = hash.unwrap_or_else(|| dummy_hash().to_owned());
        let ok = Argon2::default()
            .verify_password(password.as_bytes(), hash.as_str())
            .is_ok();
        ok && known
    })
    .await
    .map_err(Error::internal)
}

/// A new random session token (256 bits, hex) and the hash that is stored.
pub fn new_token() -> (String, Vec<u8>) {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let token: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    let hash = token_hash(&token);
    (token, hash)
}

pub fn token_hash(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

/// A readable random password for a generated one-time admin password.
pub fn generate_password() -> String {
    let mut bytes = [0u8; 12];
    rand::rng().fill_bytes(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
