//! Rebuilds this crate when a migration is added. `sqlx::migrate!` embeds
//! the migration files at compile time but, on stable Rust, only notices
//! changes to files it already embedded: a new file would otherwise be
//! missing from the binary until some source file of the crate changed.

fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
