#!/usr/bin/env bash
# bench/tools.sh: wall time of the built hubauth as other tools run it, with
# a valid stored session (goal: median < 10 ms each): `hubauth token`,
# `hubauth token --exec-credential` (kubectl), `hubauth credential git get`
# (git). Starts `hubauth serve --dev`, logs the demo user in, then runs each
# N times. Usage: bench/tools.sh [N]   (default 100)
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-100}
work=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT
addr=127.0.0.1:${BENCH_PORT:-18082}

go build -o "$work/hubauth" ./cmd/hubauth
HUBAUTH_DATA_DIR=$work/server "$work/hubauth" serve --dev --addr "$addr" >"$work/serve.out" 2>/dev/null &
pid=$!
until curl -fs "http://$addr/readyz" >/dev/null 2>&1; do sleep 0.01; done
# the git host is a registered API: credential git asks for a token for it
# (a refresh at the hub on the first get, the token kept in tokens.json
# until it expires), never the account-wide one
HUBAUTH_DATA_DIR=$work/server "$work/hubauth" admin scope add git:read --description "read repositories" >/dev/null 2>&1
HUBAUTH_DATA_DIR=$work/server "$work/hubauth" admin api add git --uri https://git.example.org --scopes git:read >/dev/null 2>&1
export HUBAUTH_DATA_DIR=$work/client
sed -n 's/.*with password \([^ ]*\).*/\1/p' "$work/serve.out" |
	"$work/hubauth" login --server "http://$addr" --username demo --password-stdin --scopes git:read
printf 'protocol=https\nhost=git.example.org\n\n' >"$work/git-request"

# measure NAME COMMAND...: the median, min, p90 and max of N runs, standard
# input from $work/git-request (read by the git helper, ignored by the rest).
measure() {
	local name=$1
	shift
	"$@" <"$work/git-request" >/dev/null # warm the page cache
	for _ in $(seq "$n"); do # EPOCHREALTIME (bash 5): no process to time the process
		start=$EPOCHREALTIME
		"$@" <"$work/git-request" >/dev/null
		end=$EPOCHREALTIME
		echo "$start $end"
	done | awk '{ print ($2 - $1) * 1000 }' | sort -n | awk -v name="$name" '{ t[NR] = $1 } END {
		printf "%s, %d runs: median %.2f ms, min %.2f ms, p90 %.2f ms, max %.2f ms\n",
			name, NR, t[int((NR + 1) / 2)], t[1], t[int(NR * 0.9)], t[NR] }'
}
measure "hubauth token" "$work/hubauth" token
measure "hubauth token --exec-credential" "$work/hubauth" token --exec-credential
measure "hubauth credential git get" "$work/hubauth" credential git --host https://git.example.org get
