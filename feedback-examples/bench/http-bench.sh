#!/usr/bin/env bash
# HTTP benchmark of POST /feedback, in one run against the same Jetty:
#   /noop single items (the floor), /feedback single items, /feedback batches of 1,000 items,
#   the same three on a second Jetty whose model declares four classes (items with labels),
#   /noop and /feedback single scored items (a binary model's score with each) on a third Jetty,
#   GET /metrics with 100 models registered, and, when its packages are installed, the seed's
#   Flask service as the peer: the directory of its app.py in SEED_FLASK_DIR (skipped when unset).
# Needs wrk (Debian package "wrk") and the example jar (mvn -q -B package -DskipTests).
# Usage: feedback-examples/bench/http-bench.sh [seconds per run, default 10] [rounds, default 3]
# The server JVM gets $JAVA_OPTS (default: -XX:+UseParallelGC, the throughput collector).
# Each endpoint is measured in every round, interleaved (the /noop and /feedback pair in alternating
# order), after a warm-up of all of them; the figures are the medians over the rounds, and the
# ratios are taken from those medians.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
jar="$root/feedback-examples/target/feedback-examples.jar"
duration=${1:-10}
rounds=${2:-3}
java_opts=${JAVA_OPTS:--XX:+UseParallelGC}
threads=${WRK_THREADS:-2}
connections=${WRK_CONNECTIONS:-16}
port=${BENCH_PORT:-18080}
scrape_port=$((port + 1))
flask_port=$((port + 2))
classes_port=$((port + 3))
scored_port=$((port + 4))
seed_flask=${SEED_FLASK_DIR:-}

command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
[ -f "$jar" ] || { echo "$jar is missing: mvn -q -B package -DskipTests" >&2; exit 1; }

pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

wait_for() { # url
  for _ in $(seq 1 100); do curl -sf -o /dev/null "$1" && return 0; sleep 0.1; done
  echo "nothing answers at $1" >&2; return 1
}

# wrk_once URL SCRIPT SECONDS: prints "req/s p50 p99"; fails on any non-2xx answer, any failed
# connection, or a run that completed no request
wrk_once() {
  local url=$1 script=$2 seconds=$3
  local args=(-t"$threads" -c"$connections" --latency -d"${seconds}s")
  [ -n "$script" ] && args+=(-s "$here/$script")
  local out; out=$(wrk "${args[@]}" "$url")
  if grep -q "Non-2xx or 3xx responses" <<<"$out"; then
    echo "$url: $(grep "Non-2xx" <<<"$out")" >&2; return 1
  fi
  if grep -q "Socket errors: connect [1-9]" <<<"$out" || ! grep -q "^Requests/sec:" <<<"$out" \
      || grep -q " 0 requests in" <<<"$out"; then
    echo "$url: the run failed:" >&2; echo "$out" >&2; return 1
  fi
  awk 'function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; return v * 1000 }
       /^Requests\/sec:/ {rps = $2} $1 == "50%" {p50 = ms($2)} $1 == "99%" {p99 = ms($2)}
       END {printf "%s %.3f %.3f\n", rps, p50, p99}' <<<"$out"
}

# measure NAME URL SCRIPT: one measured run, appended to the results as "NAME req/s p50 p99".
# The figures are assigned on a line of their own so that a failed run stops the script (set -e):
# inside "echo ... $(...)" its status would be lost and a blank figure recorded.
results=$(mktemp)
measure() {
  local figures
  figures=$(wrk_once "$2" "$3" "$duration")
  echo "$1 $figures" >>"$results"
}

# median NAME FIELD: the median over the rounds of field 2 (req/s), 3 (p50) or 4 (p99)
median() {
  awk -v n="$1" -v f="$2" '$1 == n {print $f}' "$results" | sort -g | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'
}

report() { # NAME
  printf '%-28s %10s req/s   p50 %7s ms   p99 %7s ms\n' "$1" "$(median "$1" 2)" "$(median "$1" 3)" "$(median "$1" 4)"
}

java $java_opts -jar "$jar" serve --port "$port" --noop >/dev/null 2>&1 &
pids+=($!)
wait_for "http://127.0.0.1:$port/feedback"
base="http://127.0.0.1:$port"

echo "warming up (JIT) ..."
for _ in 1 2; do
  wrk_once "$base/noop" post-single.lua 5 >/dev/null
  wrk_once "$base/feedback" post-single.lua 5 >/dev/null
  wrk_once "$base/feedback" post-batch.lua 5 >/dev/null
done
for round in $(seq 1 "$rounds"); do
  echo "round $round of $rounds ..."
  # Alternate which of the pair runs first, so that a drift of the shared machine's speed during a
  # round does not always favour the same one.
  if [ $((round % 2)) -eq 1 ]; then
    measure noop-single "$base/noop" post-single.lua
    measure feedback-single "$base/feedback" post-single.lua
  else
    measure feedback-single "$base/feedback" post-single.lua
    measure noop-single "$base/noop" post-single.lua
  fi
  measure feedback-batch-1000 "$base/feedback" post-batch.lua
done

# A model with declared classes on a server of its own, so that the binary figures above are those
# of a server without any; its /noop is the floor of the same process.
java $java_opts -jar "$jar" serve --port "$classes_port" --noop --model intent@v2 \
  --classes intent:billing,tech,sales,account >/dev/null 2>&1 &
pids+=($!)
wait_for "http://127.0.0.1:$classes_port/feedback"
classes="http://127.0.0.1:$classes_port"
for _ in 1 2; do
  wrk_once "$classes/noop" post-single-classes.lua 5 >/dev/null
  wrk_once "$classes/feedback" post-single-classes.lua 5 >/dev/null
  wrk_once "$classes/feedback" post-batch-classes.lua 5 >/dev/null
done
for round in $(seq 1 "$rounds"); do
  echo "round $round of $rounds (classes) ..."
  if [ $((round % 2)) -eq 1 ]; then
    measure classes-noop-single "$classes/noop" post-single-classes.lua
    measure classes-feedback-single "$classes/feedback" post-single-classes.lua
  else
    measure classes-feedback-single "$classes/feedback" post-single-classes.lua
    measure classes-noop-single "$classes/noop" post-single-classes.lua
  fi
  measure classes-feedback-batch-1000 "$classes/feedback" post-batch-classes.lua
done

# Scored items on a server of their own too, for the same reason; its /noop, sent the same bodies,
# is the floor of the same process.
java $java_opts -jar "$jar" serve --port "$scored_port" --noop --model risk@v1 >/dev/null 2>&1 &
pids+=($!)
wait_for "http://127.0.0.1:$scored_port/feedback"
scored="http://127.0.0.1:$scored_port"
for _ in 1 2; do
  wrk_once "$scored/noop" post-single-scored.lua 5 >/dev/null
  wrk_once "$scored/feedback" post-single-scored.lua 5 >/dev/null
done
for round in $(seq 1 "$rounds"); do
  echo "round $round of $rounds (scores) ..."
  if [ $((round % 2)) -eq 1 ]; then
    measure scored-noop-single "$scored/noop" post-single-scored.lua
    measure scored-feedback-single "$scored/feedback" post-single-scored.lua
  else
    measure scored-feedback-single "$scored/feedback" post-single-scored.lua
    measure scored-noop-single "$scored/noop" post-single-scored.lua
  fi
done

models=()
for i in $(seq 1 100); do models+=(--model "model-$i@v1"); done
java $java_opts -jar "$jar" serve --port "$scrape_port" "${models[@]}" >/dev/null 2>&1 &
pids+=($!)
wait_for "http://127.0.0.1:$scrape_port/metrics"
scrape="http://127.0.0.1:$scrape_port/metrics"
threads=1 connections=1 wrk_once "$scrape" "" 5 >/dev/null
threads=1 connections=1 measure metrics-scrape-100-models "$scrape" ""
series=$(curl -s "$scrape" | grep -c '^[a-z].*model="model-' || true)

flask_python=$(command -v gunicorn >/dev/null && head -1 "$(command -v gunicorn)" | sed 's/^#!//' || true)
if [ -n "$seed_flask" ] && [ -d "$seed_flask" ] && [ -n "$flask_python" ] && $flask_python -c 'import flask, prometheus_client' 2>/dev/null; then
  (cd "$seed_flask" && exec gunicorn -w 1 --threads 8 -b "127.0.0.1:$flask_port" app:app) >/dev/null 2>&1 &
  pids+=($!)
  wait_for "http://127.0.0.1:$flask_port/metrics"
  wrk_once "http://127.0.0.1:$flask_port/feedback" post-single.lua 3 >/dev/null
  for round in $(seq 1 "$rounds"); do
    measure seed-flask-single "http://127.0.0.1:$flask_port/feedback" post-single.lua
  done
else
  echo "(seed Flask peer skipped: needs SEED_FLASK_DIR, the directory of the seed's app.py, and apt-get install python3-flask python3-prometheus-client gunicorn)"
fi

echo
echo "machine: $(nproc) cores, $(java -version 2>&1 | head -1), server JVM options: $java_opts"
echo "wrk -t$threads -c$connections, ${duration}s per run, medians of $rounds rounds"
for name in noop-single feedback-single feedback-batch-1000 classes-noop-single classes-feedback-single \
    classes-feedback-batch-1000 scored-noop-single scored-feedback-single metrics-scrape-100-models seed-flask-single; do
  grep -q "^$name " "$results" && report "$name"
done
echo
awk -v noop="$(median noop-single 2)" -v single="$(median feedback-single 2)" -v batch="$(median feedback-batch-1000 2)" \
    -v flask="$(median seed-flask-single 2)" -v cnoop="$(median classes-noop-single 2)" \
    -v csingle="$(median classes-feedback-single 2)" -v cbatch="$(median classes-feedback-batch-1000 2)" \
    -v snoop="$(median scored-noop-single 2)" -v ssingle="$(median scored-feedback-single 2)" 'BEGIN {
  printf "feedback single / noop single:     %.2f     (target >= 0.90)\n", single / noop
  printf "feedback batch items/s:            %.0f  (target >= 1,000,000)\n", batch * 1000
  printf "classes: single / noop single:     %.2f     (target >= 0.90)\n", csingle / cnoop
  printf "classes: batch items/s:            %.0f  (target >= 5,000,000)\n", cbatch * 1000
  printf "scores: single / noop single:      %.2f     (target >= 0.90)\n", ssingle / snoop
  if (flask > 0) printf "feedback single / seed Flask:      %.1fx    (target >= 20x)\n", single / flask
}'
echo "metrics scrape with 100 models ($series model series): p50 $(median metrics-scrape-100-models 3) ms, p99 $(median metrics-scrape-100-models 4) ms (target < 20 ms)"
