//! Stoplight Prism, the validating mock server: the pinned install in `.ci/prism`, and one
//! instance per spec on a free port of 127.0.0.1, stopped when dropped.

use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// How long a big spec may take to load before Prism listens.
const READY_TIMEOUT: Duration = Duration::from_secs(300);

/// The `prism` binary, installed with `npm ci` from `.ci/prism/package-lock.json` when the
/// installed tree is missing or from another lock file.
pub fn install(root: &Path) -> Result<PathBuf, String> {
    let dir = root.join(".ci/prism");
    let bin = dir.join("node_modules/.bin/prism");
    let lock = dir.join("package-lock.json");
    // The same stamp as .ci/contract.sh: the lock the installed tree came from.
    let stamp = dir.join("node_modules/.contract-lock");
    let current =
        std::fs::read(&lock).map_err(|e| format!("cannot read {}: {e}", lock.display()))?;
    if bin.exists() && std::fs::read(&stamp).ok().as_ref() == Some(&current) {
        return Ok(bin);
    }
    eprintln!("== installing Prism (npm ci in {})", dir.display());
    let status = Command::new("npm")
        .args([
            "ci",
            "--ignore-scripts",
            "--no-audit",
            "--no-fund",
            "--loglevel=error",
        ])
        .current_dir(&dir)
        .status()
        .map_err(|e| format!("cannot run npm (Node >= 18.20 is needed for Prism): {e}"))?;
    if !status.success() {
        return Err(format!("npm ci in {} failed ({status})", dir.display()));
    }
    std::fs::write(&stamp, &current).map_err(|e| e.to_string())?;
    Ok(bin)
}

/// A running Prism; killed (and reaped) on drop.
pub struct Prism {
    child: Child,
    pub url: String,
    /// The last lines Prism printed, for errors.
    log: mpsc::Receiver<String>,
}

impl Prism {
    /// Starts `prism mock` on `spec` with request validation, on a free port; waits until it
    /// listens. Retries on another port when the chosen one was taken meanwhile.
    pub fn start(bin: &Path, spec: &Path) -> Result<Self, String> {
        let mut last_error = String::new();
        for _ in 0..3 {
            let port = free_port()?;
            let mut child = Command::new(bin)
                .args(["mock", "--host", "127.0.0.1", "--port", &port.to_string()])
                .arg(spec)
                .stdin(Stdio::null())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .map_err(|e| format!("cannot start Prism: {e}"))?;
            let (lines, log) = mpsc::channel();
            for stream in [
                child
                    .stdout
                    .take()
                    .map(|s| Box::new(s) as Box<dyn std::io::Read + Send>),
                child
                    .stderr
                    .take()
                    .map(|s| Box::new(s) as Box<dyn std::io::Read + Send>),
            ]
            .into_iter()
            .flatten()
            {
                let lines = lines.clone();
                std::thread::spawn(move || {
                    for line in BufReader::new(stream).lines().map_while(Result::ok) {
                        if lines.send(line).is_err() {
                            break;
                        }
                    }
                });
            }
            let mut prism = Self {
                child,
                url: format!("http://127.0.0.1:{port}"),
                log,
            };
            match prism.wait_ready() {
                Ok(()) => return Ok(prism),
                Err(e) => last_error = e,
            }
        }
        Err(last_error)
    }

    fn wait_ready(&mut self) -> Result<(), String> {
        let started = Instant::now();
        let mut tail: Vec<String> = Vec::new();
        loop {
            match self.log.recv_timeout(Duration::from_millis(200)) {
                Ok(line) => {
                    if line.contains("Prism is listening on") {
                        return Ok(());
                    }
                    tail.push(line);
                    if tail.len() > 30 {
                        tail.remove(0);
                    }
                }
                Err(mpsc::RecvTimeoutError::Timeout) => {}
                Err(mpsc::RecvTimeoutError::Disconnected) => {
                    return Err(format!(
                        "Prism exited before it was ready:\n{}",
                        tail.join("\n")
                    ));
                }
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                return Err(format!("Prism exited ({status}):\n{}", tail.join("\n")));
            }
            if started.elapsed() > READY_TIMEOUT {
                return Err(format!(
                    "Prism not ready after {} s:\n{}",
                    READY_TIMEOUT.as_secs(),
                    tail.join("\n")
                ));
            }
        }
    }

    /// Discards what Prism logged so far (it logs every request; nobody reads it otherwise).
    pub fn drain(&self) {
        while self.log.try_recv().is_ok() {}
    }
}

impl Drop for Prism {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> Result<u16, String> {
    let listener = TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
    Ok(listener.local_addr().map_err(|e| e.to_string())?.port())
}
