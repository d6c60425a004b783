//! The README's OpenAI example, compiled as a doctest and run over HTTP against a local server
//! that checks both of its requests, on a crate generated from the OpenAI spec.
//!
//! The README is the one source: the block after [`MARKER`] goes, as it stands, into a scratch
//! workspace (`target/robustness/openai-readme/`) that is what the README tells users to set up:
//! `openai/`, the crate `sdkgen` generates from the spec and a crate name alone, and `app/`, a
//! crate depending on it with only the features of the groups the example calls (and `tokio`).
//! In `app`, the block is the program (`src/main.rs`), run against the server with
//! `OPENAI_BASE_URL`, and the doctest of its library (`src/lib.rs` includes `README.md`). The
//! README fences the block `rust,ignore`, because every Rust block there is also a doctest of
//! `clerk-backend`; `app` fences it `rust,no_run`, since rustdoc keeps a passing doctest's
//! output to itself and the program's output is checked.
//!
//! The doctest belongs to `app`, not to the generated crate (`readme_doctests`): rustdoc then
//! collects doctests from a one-line crate instead of expanding the 110,000-line OpenAI crate
//! (3 s instead of 15 s, warm), and the generated crate is exactly what users get.

#[path = "support/scratch.rs"]
mod scratch;

use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::Instant;

use serde_json::{Value, json};
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// The HTML comment in README.md right above the example's code block.
const MARKER: &str = "<!-- sdkgen-test: openai-readme-example";

/// What the test assumes of the generated crate's names, all in one place: the crate name the
/// example `use`s, the variable `Client::builder().token_from_env()` reads (derived from the
/// crate name), and the operations (by operationId, the spec's own names) whose groups'
/// features `app` turns on. Method, group and type names are only in the README.
const CRATE_NAME: &str = "openai";
const TOKEN_VAR: &str = "OPENAI_TOKEN";
const OPERATIONS: [&str; 2] = ["listModels", "createChatCompletion"];

/// The bearer token the example reads from [`TOKEN_VAR`]; the server wants exactly this one.
const TOKEN: &str = "sk-readme-test-4f1c";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_readme_openai_example_compiles_and_calls_both_operations_over_http() {
    let Some(spec) = openai_spec() else {
        return;
    };
    let example = readme_example(&std::fs::read_to_string(workspace().join("README.md")).unwrap());

    let started = Instant::now();
    let dir = write_scratch_workspace(&spec, &example);
    println!("generated the OpenAI crate in {:?}", started.elapsed());

    let started = Instant::now();
    let doctest = cargo(&dir, &["test", "--doc", "-p", "app"], &[]);
    println!(
        "built both crates and compiled the README doctest in {:?}",
        started.elapsed()
    );
    let stdout = String::from_utf8_lossy(&doctest.stdout);
    assert!(
        doctest.status.success(),
        "the README example does not compile as a doctest ({}):\n{}",
        doctest.status,
        tail(&String::from_utf8_lossy(&doctest.stderr), 60),
    );
    assert!(
        stdout.contains("test result: ok. 1 passed"),
        "expected the README block as the one doctest:\n{stdout}"
    );

    let server = MockServer::start().await;
    mount_openai(&server).await;
    let base_url = format!("{}/v1", server.uri());
    let started = Instant::now();
    let run = tokio::task::spawn_blocking(move || {
        let env = [(TOKEN_VAR, TOKEN), ("OPENAI_BASE_URL", &base_url)];
        cargo(&dir, &["run", "--quiet", "-p", "app"], &env)
    })
    .await
    .unwrap();
    println!(
        "built and ran the README example in {:?}",
        started.elapsed()
    );

    let stdout = String::from_utf8_lossy(&run.stdout);
    let received = server.received_requests().await.unwrap_or_default();
    assert!(
        run.status.success(),
        "the README example failed ({}).\nrequests the server saw:\n{}\nstdout:\n{stdout}\nstderr (last 60 lines):\n{}",
        run.status,
        describe(&received),
        tail(&String::from_utf8_lossy(&run.stderr), 60),
    );
    // Both replies were decoded and read: the model list, then the completion's text and usage.
    let expected = "\
text-embedding-3-large (owned by system)
gpt-5.4-mini (owned by system)
gpt-5.4 (owned by system)
Ownership holds the line,
borrowed light, no data race,
the compiler smiles.
34 tokens
";
    assert_eq!(stdout, expected, "the example printed something else");
    // Each mock expects one call; this fails on a missing or repeated request.
    server.verify().await;
}

/// The OpenAI spec, or `None` after printing why the test is skipped.
fn openai_spec() -> Option<Vec<u8>> {
    let dir = std::env::var_os("SDKGEN_SHARED_SPECS")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace().join("../shared/specs"));
    let file = dir.join("openai/openapi.yaml");
    match std::fs::read(&file) {
        Ok(bytes) => Some(bytes),
        Err(e) => {
            println!(
                "skipping: cannot read {} ({e}); set SDKGEN_SHARED_SPECS",
                file.display()
            );
            None
        }
    }
}

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The code of the `rust,ignore` block right after [`MARKER`].
fn readme_example(readme: &str) -> String {
    let start = readme
        .find(MARKER)
        .unwrap_or_else(|| panic!("README.md has no {MARKER:?} comment"));
    let mut lines = readme[start..].lines().skip(1);
    let fence = lines.next().unwrap_or_default();
    assert_eq!(
        fence, "```rust,ignore",
        "the line after {MARKER:?} must open the example's block (`rust,ignore`, so that \
         clerk-backend's README doctests skip it)"
    );
    let code: Vec<&str> = lines.take_while(|line| *line != "```").collect();
    assert!(
        code.iter()
            .any(|line| line.contains(&format!("use {CRATE_NAME}::"))),
        "the example does not use the `{CRATE_NAME}` crate"
    );
    code.join("\n")
}

/// Writes the scratch workspace: `openai/` (generated from the spec and [`CRATE_NAME`] alone)
/// and `app/` (the example as its program and its doctest, `openai` with only the features of
/// the groups holding [`OPERATIONS`]). Files whose contents did not change are not rewritten,
/// so a second run rebuilds nothing but the doctest.
fn write_scratch_workspace(spec: &[u8], example: &str) -> PathBuf {
    let output = sdkgen::generate(spec, "openapi.yaml", &sdkgen::Config::named(CRATE_NAME))
        .unwrap_or_else(|e| panic!("the OpenAI spec does not generate:\n{e}"));
    let feature_of_group = sdkgen::emit::feature_names(&output.api);
    let mut features = Vec::new();
    for id in OPERATIONS {
        let group = output
            .api
            .groups
            .iter()
            .position(|g| g.operations.iter().any(|op| op.id == id))
            .unwrap_or_else(|| panic!("the OpenAI spec has no operation {id}"));
        let feature = format!("{:?}", feature_of_group[group]);
        if !features.contains(&feature) {
            features.push(feature);
        }
    }

    let source = "The OpenAI example of the repository's README.md, written here by \
                  generator/tests/openai_readme.rs.";
    let file = |path: &str, contents: String| sdkgen::GeneratedFile {
        path: path.to_owned(),
        contents,
    };
    let mut files: Vec<sdkgen::GeneratedFile> = output
        .files
        .into_iter()
        .map(|f| file(&format!("{CRATE_NAME}/{}", f.path), f.contents))
        .collect();
    files.extend([
        // Not a member of the repository's workspace.
        file(
            "Cargo.toml",
            format!("[workspace]\nresolver = \"3\"\nmembers = [\"{CRATE_NAME}\", \"app\"]\n"),
        ),
        file(
            "app/Cargo.toml",
            format!(
                "[package]\nname = \"app\"\nversion = \"0.1.0\"\nedition = \"2024\"\npublish = false\n\n\
                 [dependencies]\n\
                 {CRATE_NAME} = {{ path = \"../{CRATE_NAME}\", default-features = false, features = [{}] }}\n\
                 tokio = {{ version = \"1\", features = [\"macros\", \"rt-multi-thread\"] }}\n",
                features.join(", ")
            ),
        ),
        file("app/src/main.rs", format!("//! {source}\n\n{example}\n")),
        file(
            "app/src/lib.rs",
            "//! The README's example as a doctest.\n#![doc = include_str!(\"../README.md\")]\n".to_owned(),
        ),
        file(
            "app/README.md",
            format!("{source}\n\n```rust,no_run\n{example}\n```\n"),
        ),
    ]);
    let dir = scratch::dir("openai-readme");
    sdkgen::output::write(&dir, &files).unwrap();
    // The repository's versions, and no resolution to do; cargo adds `openai` and `app`.
    let lock = dir.join("Cargo.lock");
    if !lock.exists() {
        std::fs::copy(workspace().join("Cargo.lock"), lock).unwrap();
    }
    dir
}

/// `cargo <args>` in the scratch workspace, with `env` set.
fn cargo(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    scratch::cargo(dir)
        .args(args)
        .envs(env.iter().copied())
        .output()
        .expect("cargo runs")
}

/// The two operations as OpenAI serves them (shapes from the spec's examples), each answering
/// only a request with the right method, path, bearer token and body.
async fn mount_openai(server: &MockServer) {
    let bearer = format!("Bearer {TOKEN}");
    Mock::given(method("GET"))
        .and(path("/v1/models"))
        .and(header("authorization", bearer.as_str()))
        .and(|request: &Request| request.body.is_empty())
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "object": "list",
            "data": [
                {"id": "text-embedding-3-large", "object": "model", "created": 1705953180, "owned_by": "system"},
                {"id": "gpt-5.4-mini", "object": "model", "created": 1772582400, "owned_by": "system"},
                {"id": "gpt-5.4", "object": "model", "created": 1772582400, "owned_by": "system", "shutdown_date": null}
            ]
        })))
        .expect(1)
        .mount(server)
        .await;
    // The model is the first `gpt-` one listed, not the example's fallback: the list was decoded.
    // Exactly these fields: the role filled in, unset optional fields left out.
    Mock::given(method("POST"))
        .and(path("/v1/chat/completions"))
        .and(header("authorization", bearer.as_str()))
        .and(header("content-type", "application/json"))
        .and(body_json(json!({
            "model": "gpt-5.4-mini",
            "messages": [{"role": "user", "content": "Write a haiku about Rust."}],
            "max_completion_tokens": 60
        })))
        .respond_with(ResponseTemplate::new(200).set_body_json(chat_completion()))
        .expect(1)
        .mount(server)
        .await;
}

fn chat_completion() -> Value {
    json!({
        "id": "chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG",
        "object": "chat.completion",
        "created": 1741570283,
        "model": "gpt-5.4-mini-2026-03-04",
        "choices": [{
            "index": 0,
            "message": {
                "role": "assistant",
                "content": "Ownership holds the line,\nborrowed light, no data race,\nthe compiler smiles.",
                "refusal": null,
                "annotations": []
            },
            "logprobs": null,
            "finish_reason": "stop"
        }],
        "usage": {
            "prompt_tokens": 14,
            "completion_tokens": 20,
            "total_tokens": 34,
            "prompt_tokens_details": {"cached_tokens": 0, "audio_tokens": 0},
            "completion_tokens_details": {
                "reasoning_tokens": 0,
                "audio_tokens": 0,
                "accepted_prediction_tokens": 0,
                "rejected_prediction_tokens": 0
            }
        },
        "service_tier": "default",
        "system_fingerprint": "fp_06737a9306"
    })
}

/// The requests a server saw, one line each, for a failure message.
fn describe(requests: &[Request]) -> String {
    if requests.is_empty() {
        return "  (none)".to_owned();
    }
    requests
        .iter()
        .map(|r| {
            format!(
                "  {} {} {}",
                r.method,
                r.url.path(),
                String::from_utf8_lossy(&r.body)
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn tail(text: &str, lines: usize) -> String {
    let all: Vec<&str> = text.lines().collect();
    all[all.len().saturating_sub(lines)..].join("\n")
}
