//! `cargo xtask fuzz`: not written yet.

pub fn run(_minutes: u64) -> Result<(), String> {
    Err("`cargo xtask fuzz` is not implemented yet".into())
}
