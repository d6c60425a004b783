//! One measured run of a command in a fresh child process: wall time, peak memory (`ru_maxrss`)
//! and CPU time, each run on its own, independent of the runs before it.

use std::fs::File;
use std::os::unix::process::CommandExt as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// What one run cost and how it ended.
pub struct Sample {
    pub wall: Duration,
    /// Peak resident set size (`ru_maxrss`), in KiB.
    pub max_rss_kib: u64,
    /// User + system CPU time.
    pub cpu: Duration,
    pub success: bool,
    pub stdout: String,
    pub stderr: String,
}

/// The first argument of `cargo xtask bench` that makes it the measuring helper.
pub const HELPER: &str = "__measure-child";

static HELPER_EXE: OnceLock<PathBuf> = OnceLock::new();

/// Copies this executable to `dir` for use as the helper, so that a rebuild of
/// `target/debug/xtask` during a long bench (by anyone) does not pull it from under us.
pub fn install_helper(dir: &Path) -> Result<(), String> {
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let copy = dir.join(format!("xtask-measure-{}", std::process::id()));
    std::fs::copy(&exe, &copy)
        .map_err(|e| format!("copy {} → {}: {e}", exe.display(), copy.display()))?;
    let _ = HELPER_EXE.set(copy);
    Ok(())
}

/// Deletes the copy made by [`install_helper`].
pub fn remove_helper() {
    if let Some(copy) = HELPER_EXE.get() {
        let _ = std::fs::remove_file(copy);
    }
}

/// Runs `cmd` to completion with stdout/stderr sent to `<log_dir>/<tag>.stdout|.stderr`.
///
/// The command is started by a fresh helper process (this executable, re-run with
/// [`HELPER`]) rather than from here: Linux charges a child's `ru_maxrss` with the peak RSS of
/// the memory image it was exec'd from, which would be this long-lived, large process. The
/// helper has a small image, forks the command, reaps it with `wait4` and writes its numbers
/// to a file.
pub fn run(cmd: &Command, log_dir: &Path, tag: &str) -> Result<Sample, String> {
    std::fs::create_dir_all(log_dir).map_err(|e| format!("{}: {e}", log_dir.display()))?;
    let out_path = log_dir.join(format!("{tag}.stdout"));
    let err_path = log_dir.join(format!("{tag}.stderr"));
    let result_path = log_dir.join(format!("{tag}.rusage"));
    let _ = std::fs::remove_file(&result_path);
    let out = File::create(&out_path).map_err(|e| format!("{}: {e}", out_path.display()))?;
    let err = File::create(&err_path).map_err(|e| format!("{}: {e}", err_path.display()))?;
    let exe = match HELPER_EXE.get() {
        Some(copy) => copy.clone(),
        None => std::env::current_exe().map_err(|e| e.to_string())?,
    };
    let mut helper = Command::new(exe);
    helper
        .args(["bench", "--", HELPER])
        .arg(&result_path)
        .arg(cmd.get_program())
        .args(cmd.get_args())
        .stdin(Stdio::null())
        .stdout(Stdio::from(out))
        .stderr(Stdio::from(err));
    for (key, value) in cmd.get_envs() {
        match value {
            Some(value) => helper.env(key, value),
            None => helper.env_remove(key),
        };
    }
    if let Some(dir) = cmd.get_current_dir() {
        helper.current_dir(dir);
    }
    let status = helper
        .status()
        .map_err(|e| format!("cannot start the measuring helper: {e}"))?;
    let result = std::fs::read_to_string(&result_path).unwrap_or_default();
    let numbers: Vec<u64> = result
        .split_whitespace()
        .filter_map(|n| n.parse().ok())
        .collect();
    let [wall_ns, max_rss_kib, cpu_ns, exited_ok] = numbers[..] else {
        return Err(format!(
            "the measuring helper failed ({status}): {}",
            std::fs::read_to_string(&err_path)
                .unwrap_or_default()
                .trim()
        ));
    };
    Ok(Sample {
        wall: Duration::from_nanos(wall_ns),
        max_rss_kib,
        cpu: Duration::from_nanos(cpu_ns),
        success: exited_ok == 1,
        stdout: std::fs::read_to_string(&out_path).unwrap_or_default(),
        stderr: std::fs::read_to_string(&err_path).unwrap_or_default(),
    })
}

/// The helper: `<result file> <program> [args…]`. Runs the program with inherited stdio, reaps
/// it with `wait4` (whose `rusage` covers exactly that child and the descendants it waited
/// for, like the JVM behind a wrapper) and writes `wall_ns max_rss_kib cpu_ns exited_ok`.
pub fn helper(args: &[String]) -> Result<(), String> {
    let [result_path, program, rest @ ..] = args else {
        return Err(format!("usage: {HELPER} RESULT_FILE PROGRAM [ARGS...]"));
    };
    let mut command = Command::new(program);
    command.args(rest);
    // A no-op `pre_exec` makes std fork (instead of vfork/posix_spawn, which shares this
    // process's memory image with the child until exec and so charges all of it to the
    // child's peak): a forked copy only counts the few anonymous pages it shares.
    // SAFETY: the closure does nothing, which is async-signal-safe.
    unsafe {
        command.pre_exec(|| Ok(()));
    }
    let started = Instant::now();
    let child = command
        .spawn()
        .map_err(|e| format!("cannot start {program}: {e}"))?;
    let pid = libc::pid_t::try_from(child.id()).map_err(|e| e.to_string())?;
    let mut status: libc::c_int = 0;
    // SAFETY: `rusage` is plain old data, so all-zero is a valid value.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    loop {
        // SAFETY: `pid` is our own child, not yet reaped; both out-pointers are valid.
        let reaped = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
        if reaped == pid {
            break;
        }
        let error = std::io::Error::last_os_error();
        if error.raw_os_error() != Some(libc::EINTR) {
            return Err(format!("wait4 on {pid}: {error}"));
        }
    }
    let wall = started.elapsed();
    // Already reaped by wait4; dropping a std Child neither waits nor kills.
    drop(child);
    let exited_ok = libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0;
    let cpu = timeval(usage.ru_utime) + timeval(usage.ru_stime);
    let line = format!(
        "{} {} {} {}\n",
        wall.as_nanos(),
        usage.ru_maxrss.max(0),
        cpu.as_nanos(),
        u8::from(exited_ok)
    );
    std::fs::write(result_path, line).map_err(|e| format!("{result_path}: {e}"))
}

fn timeval(tv: libc::timeval) -> Duration {
    Duration::from_secs(u64::try_from(tv.tv_sec).unwrap_or(0))
        + Duration::from_micros(u64::try_from(tv.tv_usec).unwrap_or(0))
}

/// User + system CPU time of the calling thread so far (`RUSAGE_THREAD`, Linux).
pub fn thread_cpu() -> Duration {
    // SAFETY: as above; getrusage only writes into `usage`.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: RUSAGE_THREAD with a valid out-pointer.
    let rc = unsafe { libc::getrusage(libc::RUSAGE_THREAD, &mut usage) };
    if rc != 0 {
        return Duration::ZERO;
    }
    timeval(usage.ru_utime) + timeval(usage.ru_stime)
}

/// The first line of tool output that names the problem: an `error…` line, else a panic's
/// message, else an exception, else the last non-empty line.
pub fn first_diagnostic(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let panic = lines
        .iter()
        .position(|l| l.contains("panicked at"))
        .and_then(|i| lines.get(i + 1))
        .map(|message| format!("panic: {message}"));
    let line = lines
        .iter()
        .find(|l| l.trim_start().starts_with("error"))
        .map(|l| (*l).to_owned())
        .or(panic)
        .or_else(|| {
            lines
                .iter()
                .find(|l| l.contains("Exception"))
                .map(|l| (*l).to_owned())
        })
        .or_else(|| {
            lines
                .iter()
                .rev()
                .find(|l| !l.trim().is_empty())
                .map(|l| (*l).to_owned())
        })
        .unwrap_or_else(|| "no output".to_owned());
    let line: String = line.trim().chars().take(160).collect();
    line.replace('|', "\\|")
}
