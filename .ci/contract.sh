#!/usr/bin/env bash
# Contract tests: the generated SDK (generated/tests/contract.rs) against Stoplight Prism, which
# validates every request against an OpenAPI document and answers from its examples and schemas.
#
# Two Prism instances run on 127.0.0.1, each on a free port:
#   - PRISM_FRAGMENT_URL serves our fragment, spec/clerk-organization-memberships.yaml;
#   - PRISM_CLERK_URL serves Clerk's published Backend API document of the same version, from
#     $SDKGEN_SHARED_SPECS/clerk (default ../shared/specs); skipped, with a reason, when absent.
# Prism is a pinned, project-local install (.ci/prism/package-lock.json); it is stopped on exit,
# whatever happens. The tests are #[ignore]d (a plain `cargo test` reports them as ignored) and
# run here with --ignored. Usage: bash .ci/contract.sh [test name filters]
set -euo pipefail
cd "$(dirname "$0")/.."

started=$SECONDS
ready_timeout="${PRISM_READY_TIMEOUT:-60}"
prism_dir=.ci/prism
fragment=spec/clerk-organization-memberships.yaml

for tool in node npm cargo; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "error: $tool is required for the contract tests (Prism runs on Node >= 18.20)" >&2
    exit 1
  fi
done

echo "== contract: installing Prism (npm ci --prefix $prism_dir)"
# npm ci always reinstalls from scratch; skip it when the installed tree is from this very lock.
stamp="$prism_dir/node_modules/.contract-lock"
if [ -f "$stamp" ] && cmp -s "$stamp" "$prism_dir/package-lock.json" \
  && [ -x "$prism_dir/node_modules/.bin/prism" ]; then
  echo "   already installed from the current package-lock.json"
else
  npm ci --prefix "$prism_dir" --ignore-scripts --no-audit --no-fund --loglevel=error
  cp "$prism_dir/package-lock.json" "$stamp"
fi
prism="$prism_dir/node_modules/.bin/prism"
echo "   prism $("$prism" --version)"

work="$(mktemp -d)"
pids=()
cleanup() {
  local status=$?
  for pid in "${pids[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${pids[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  if [ "$status" -ne 0 ]; then
    for log in "$work"/*.log; do
      [ -f "$log" ] || continue
      echo "== contract: last lines of $(basename "$log")" >&2
      tail -n 40 "$log" >&2
    done
  fi
  rm -rf "$work"
  echo "== contract: done in $((SECONDS - started)) s (exit $status)"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

free_port() {
  node -e 'const s = require("net").createServer();
    s.listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); });'
}

# start_prism NAME DOCUMENT VAR: starts Prism on a free port, waits (bounded) until it listens,
# and exports VAR=http://127.0.0.1:PORT. Retries with another port if the chosen one was taken.
start_prism() {
  local name=$1 document=$2 var=$3 attempt port pid log deadline
  for attempt in 1 2 3; do
    port="$(free_port)"
    log="$work/prism-$name.log"
    # --errors: violations are answered as errors (422 with sl-violations for requests, 500
    # for responses that break the document) instead of being only logged.
    "$prism" mock --host 127.0.0.1 --port "$port" --errors "$document" >"$log" 2>&1 &
    pid=$!
    pids+=("$pid")
    deadline=$((SECONDS + ready_timeout))
    while kill -0 "$pid" 2>/dev/null; do
      if grep -q "Prism is listening on" "$log" \
        && (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
        export "$var=http://127.0.0.1:$port"
        echo "   $name: $document on http://127.0.0.1:$port ($var)"
        return 0
      fi
      if [ "$SECONDS" -ge "$deadline" ]; then
        echo "error: Prism ($name) not ready after ${ready_timeout}s; see its log below" >&2
        return 1
      fi
      sleep 0.2
    done
    if grep -q "EADDRINUSE" "$log" && [ "$attempt" -lt 3 ]; then
      echo "   $name: port $port was taken, retrying"
      continue
    fi
    echo "error: Prism ($name) exited before it was ready" >&2
    return 1
  done
}

echo "== contract: starting Prism"
start_prism fragment "$fragment" PRISM_FRAGMENT_URL

# The real document of the version our fragment follows (info.version).
version="$(sed -n "s/^  version: '\{0,1\}\([0-9-]*\)'\{0,1\}$/\1/p" "$fragment" | head -n 1)"
shared="${SDKGEN_SHARED_SPECS:-../shared/specs}"
clerk_spec="${PRISM_CLERK_SPEC:-$shared/clerk/bapi-$version.yml}"
skip=()
if [ -f "$clerk_spec" ]; then
  start_prism clerk "$clerk_spec" PRISM_CLERK_URL
else
  unset PRISM_CLERK_URL
  skip=(--skip clerk::)
  echo "   clerk: skipping, $clerk_spec not found (set SDKGEN_SHARED_SPECS or PRISM_CLERK_SPEC)"
fi

echo "== contract: cargo test -p clerk-backend --test contract -- --ignored ${skip[*]}"
cargo test -p clerk-backend --locked --test contract -- --ignored "${skip[@]}" "$@"
