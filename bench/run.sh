#!/usr/bin/env bash
# bench/run.sh: start a fresh `hubauth serve` on SQLite in a temporary data
# directory, measure start-to-ready time and idle RSS, then run every load
# scenario against it. Usage: bench/run.sh [duration]   (default 10s)
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-10s}
work=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT
export HUBAUTH_DATA_DIR=$work/data
addr=127.0.0.1:${BENCH_PORT:-18080}
issuer=http://$addr

go build -o "$work/hubauth" ./cmd/hubauth
go build -o "$work/load" ./bench/load

start=$(date +%s%N)
"$work/hubauth" serve --dev --addr "$addr" >"$work/serve.out" 2>"$work/serve.log" &
pid=$!
until curl -fs "$issuer/readyz" >/dev/null 2>&1; do sleep 0.005; done
ready=$(( ($(date +%s%N) - start) / 1000000 ))
echo "first start to ready: ${ready} ms (creates the database, the signing key and the demo user)"
sed -n 's/.*with password \([^ ]*\).*/\1/p' "$work/serve.out" >"$work/demo.pw"
kill "$pid"; wait "$pid" 2>/dev/null || true

start=$(date +%s%N)
# The load generator stands for many devices behind a proxy (device_poll
# names each in X-Forwarded-For), so that per-address limits see them apart.
"$work/hubauth" serve --dev --addr "$addr" --trusted-proxy 127.0.0.1 >>"$work/serve.out" 2>>"$work/serve.log" &
pid=$!
until curl -fs "$issuer/readyz" >/dev/null 2>&1; do sleep 0.005; done
ready=$(( ($(date +%s%N) - start) / 1000000 ))
echo "start to ready: ${ready} ms"
sleep 2
echo "idle RSS: $(( $(ps -o rss= -p "$pid") / 1024 )) MiB"

secret=$("$work/hubauth" admin client add bench-svc --name "load test" 2>/dev/null)
L() { "$work/load" --issuer "$issuer" "$@"; echo; }
L --scenario refresh --username demo --password-file "$work/demo.pw" --duration "$duration"
L --scenario client_credentials --client-id bench-svc --client-secret "$secret" --duration "$duration"
L --scenario password --username demo --password-file "$work/demo.pw" --duration "$duration"
L --scenario pat_userinfo --username demo --password-file "$work/demo.pw" --duration "$duration"
L --scenario introspect --client-id bench-svc --client-secret "$secret" --username demo --password-file "$work/demo.pw" --duration "$duration"
L --scenario device_poll --device-codes 5000 --warmup 10s --duration 20s
echo "RSS after the runs: $(( $(ps -o rss= -p "$pid") / 1024 )) MiB"
