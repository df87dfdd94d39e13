#!/usr/bin/env bash
# How long `ledger dev` takes from process start until /readyz answers 200 and until it prints
# "Trust Ledger is running", over restarts after a graceful stop (SIGTERM) and after SIGKILL.
#
#   tools/restart-to-ready.sh [runs]      # default 3 of each; ports 28080/29092, data in a temp dir
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
port=28080
data=$(mktemp -d)
log=$(mktemp)
trap 'pkill -f "dev --port $port" || true; rm -rf "$data" "$log"' EXIT

start() {
  : > "$log"
  ./ledger dev --port $port --kafka-port 29092 --data-dir "$data" > "$log" 2>&1 &
  pid=$!
  local t0
  t0=$(date +%s%N)
  ready=""
  running=""
  while [ -z "$running" ] || [ -z "$ready" ]; do
    if [ -z "$ready" ] && curl -sf "http://127.0.0.1:$port/readyz" > /dev/null 2>&1; then
      ready=$(( ($(date +%s%N) - t0) / 1000000 ))
    fi
    if [ -z "$running" ] && grep -q "Trust Ledger is running" "$log"; then
      running=$(( ($(date +%s%N) - t0) / 1000000 ))
    fi
    if ! kill -0 $pid 2> /dev/null; then
      echo "ledger dev exited:"; cat "$log"; exit 1
    fi
    sleep 0.05
  done
}

./ledger --help > /dev/null   # builds the jar if needed, outside the measurement
start
echo "first start (new data): /readyz after ${ready} ms, banner after ${running} ms"
for kind in TERM KILL; do
  for i in $(seq 1 "$runs"); do
    kill -$kind $pid
    wait $pid 2> /dev/null || true
    start
    echo "restart after SIG$kind: /readyz 200 after ${ready} ms, \"running\" after ${running} ms"
  done
done
kill -TERM $pid
wait $pid 2> /dev/null || true
