//! Password hashing for accounts and protected links: PBKDF2-SHA256 via WebCrypto, stored as
//! `shared::auth::password::PasswordRecord`.

use crate::{http::internal, platform};
use shared::{
    auth::password::{PasswordRecord, ITERATIONS, SALT_LEN},
    ApiError,
};

/// `N` random bytes, or the opaque 500.
pub fn random<const N: usize>() -> Result<[u8; N], ApiError> {
    platform::random_bytes::<N>().map_err(|e| internal("random bytes", format!("{e:?}")))
}

async fn derive(password: &str, salt: &[u8], iterations: u32) -> Result<Vec<u8>, ApiError> {
    platform::pbkdf2_sha256(password, salt, iterations)
        .await
        .map_err(|e| internal("PBKDF2", format!("{e:?}")))
}

/// A new record with a fresh salt at today's cost.
pub async fn hash(password: &str) -> Result<String, ApiError> {
    let salt = random::<SALT_LEN>()?;
    let hash = derive(password, &salt, ITERATIONS).await?;
    Ok(PasswordRecord { iterations: ITERATIONS, salt: salt.to_vec(), hash }.encode())
}

/// Whether `password` matches the stored record (compared in constant time).
pub async fn verify(password: &str, stored: &str) -> Result<bool, ApiError> {
    let record = PasswordRecord::decode(stored).ok_or_else(|| internal("password record", "undecodable"))?;
    let derived = derive(password, &record.salt, record.iterations).await?;
    Ok(record.matches(&derived))
}

/// Spends the time of one check, so that "no such account" takes as long as "wrong password".
pub async fn spend_one_check(password: &str) -> Result<(), ApiError> {
    derive(password, &[0; SALT_LEN], ITERATIONS).await.map(drop)
}

pub fn needs_rehash(stored: &str) -> bool {
    PasswordRecord::decode(stored).is_some_and(|r| r.needs_rehash())
}
