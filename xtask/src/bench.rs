//! `cargo xtask bench`: not written yet.

pub fn run(_args: &[String]) -> Result<(), String> {
    Err("`cargo xtask bench` is not implemented yet".into())
}
