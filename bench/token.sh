#!/usr/bin/env bash
# bench/token.sh: wall time of the built `hubauth token` with a valid stored
# session, as a script that calls it once per request pays it (goal: median
# < 15 ms). Starts `hubauth serve --dev`, logs the demo user in, then runs
# `hubauth token` N times. Usage: bench/token.sh [N]   (default 100)
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-100}
work=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT
addr=127.0.0.1:${BENCH_PORT:-18081}

go build -o "$work/hubauth" ./cmd/hubauth
HUBAUTH_DATA_DIR=$work/server "$work/hubauth" serve --dev --addr "$addr" >"$work/serve.out" 2>/dev/null &
pid=$!
until curl -fs "http://$addr/readyz" >/dev/null 2>&1; do sleep 0.01; done
export HUBAUTH_DATA_DIR=$work/client
sed -n 's/.*with password \([^ ]*\).*/\1/p' "$work/serve.out" |
	"$work/hubauth" login --server "http://$addr" --username demo --password-stdin

if command -v hyperfine >/dev/null; then
	hyperfine --warmup 5 --runs "$n" -N "$work/hubauth token"
	exit
fi
"$work/hubauth" token >/dev/null # warm the page cache
for _ in $(seq "$n"); do # EPOCHREALTIME (bash 5): no process to time the process
	start=$EPOCHREALTIME
	"$work/hubauth" token >/dev/null
	end=$EPOCHREALTIME
	echo "$start $end"
done | awk '{ print ($2 - $1) * 1000 }' | sort -n | awk '{ t[NR] = $1 } END {
	printf "hubauth token, %d runs: median %.2f ms, min %.2f ms, p90 %.2f ms, max %.2f ms\n",
		NR, t[int((NR + 1) / 2)], t[1], t[int(NR * 0.9)], t[NR] }'
