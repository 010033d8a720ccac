//! Signing in and signing up, in the shell (the account page is its own bundle, app/account).
//! The worker's and shared's module of the same concern is `auth` too.

pub mod credentials;
pub mod signin;
pub mod signup;
