//! Black-box tests of the HTTP API: every test starts its own server on a fresh
//! SQLite folder and talks to it over real HTTP, as a client would.

mod access;
mod limits;
mod ops;
mod rules;
mod scenario;
mod support;
