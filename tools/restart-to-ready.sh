#!/usr/bin/env bash
# How long a node takes from process start until /readyz answers 200, over restarts after a
# graceful stop (SIGTERM) and after SIGKILL: first `ledger dev` (its embedded broker included),
# then, beside it, a second full node and a reader node (`ledger node`) against its broker.
#
#   tools/restart-to-ready.sh [runs]      # default 3 of each; ports 28080, 28090, 28091, 29092, temp data
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
port=28080
data=$(mktemp -d)
log=$(mktemp)
trap 'pkill -f "node --config $data" || true; pkill -f "dev --port $port" || true; rm -rf "$data" "$log"' EXIT

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
echo "ledger dev, first start (new data): /readyz after ${ready} ms, banner after ${running} ms"
for kind in TERM KILL; do
  for i in $(seq 1 "$runs"); do
    kill -$kind $pid
    wait $pid 2> /dev/null || true
    start
    echo "ledger dev, restart after SIG$kind: /readyz 200 after ${ready} ms, \"running\" after ${running} ms"
  done
done
dev=$pid

# A node against the running broker: only the node's own start is measured.
node() { # role port
  local conf="$data/node-$1.properties"
  cat > "$conf" <<PROPS
bootstrap.servers=127.0.0.1:29092
application.id=trustledger-dev
ledger.key.file=$data/keys/ledger.key
state.dir=$data/state-$1
http.host=127.0.0.1
http.port=$2
node.role=$1
PROPS
  : > "$log"
  local t0
  t0=$(date +%s%N)
  ./ledger node --config "$conf" > "$log" 2>&1 &
  pid=$!
  until curl -sf "http://127.0.0.1:$2/readyz" > /dev/null 2>&1; do
    if ! kill -0 $pid 2> /dev/null; then echo "ledger node exited:"; cat "$log"; exit 1; fi
    sleep 0.05
  done
  ready=$(( ($(date +%s%N) - t0) / 1000000 ))
}
for role in full reader; do
  p=$([ $role = full ] && echo 28090 || echo 28091)
  node $role $p
  echo "ledger node ($role), first start: /readyz 200 after ${ready} ms"
  for kind in TERM KILL; do
    for i in $(seq 1 "$runs"); do
      kill -$kind $pid
      wait $pid 2> /dev/null || true
      node $role $p
      echo "ledger node ($role), restart after SIG$kind: /readyz 200 after ${ready} ms"
    done
  done
  kill -TERM $pid
  wait $pid 2> /dev/null || true
done
kill -TERM $dev
wait $dev 2> /dev/null || true
