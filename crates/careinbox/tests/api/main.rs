//! Black-box tests of the HTTP API: every test starts its own server on a fresh
//! database and talks to it over real HTTP, as a client would. The suite is
//! the conformance suite of both backends: SQLite by default, PostgreSQL with
//! `CAREINBOX_TEST_BACKEND=postgres` (see `common/database.rs`).

mod access;
mod attachments;
#[path = "../common/database.rs"]
mod database;
mod events;
mod limits;
mod ops;
mod rules;
mod scenario;
mod support;
mod views;
