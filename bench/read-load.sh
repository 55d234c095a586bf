#!/usr/bin/env bash
# Load benchmark of the read API against the packaged jar (figures in README "Performance").
#
#   bench/read-load.sh throughput   random 512x512 PNG frames from default-settings stores, per format
#   bench/read-load.sh soak         10 minutes of mixed reads across more stores than the registry
#                                   holds, sampling the server's RSS and heap every 10 s
#
# Needs wrk (apt-get install wrk). Settings by environment: BENCH_ROOT (stores, kept between runs),
# BENCH_PORT, BENCH_FRAMES, BENCH_DURATION, BENCH_CONNECTIONS, BENCH_THREADS, BENCH_STORES (throughput:
# which stores), SOAK_DURATION, SOAK_STORES, SOAK_REGISTRY, JAVA_OPTS (server JVM).
set -euo pipefail
cd "$(dirname "$0")/.."

mode=${1:-throughput}
ROOT=${BENCH_ROOT:-/tmp/imgstore-read-bench}
PORT=${BENCH_PORT:-18391}
FRAMES=${BENCH_FRAMES:-2000}
DURATION=${BENCH_DURATION:-60s}
CONNECTIONS=${BENCH_CONNECTIONS:-8}
THREADS=${BENCH_THREADS:-1}
JAVA_OPTS=${JAVA_OPTS:--Xmx1g}
OUT=${BENCH_OUT:-target/bench}
mkdir -p "$OUT"

command -v wrk >/dev/null || { echo "wrk not found (apt-get install wrk)"; exit 1; }
[ -f target/imgstore.jar ] || ./mvnw -o -q package -DskipTests
./mvnw -o -q test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.cp >/dev/null
CP="target/test-classes:target/classes:$(cat target/bench.cp)"

server_pid=
stop_server() { [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null; server_pid=; }
trap stop_server EXIT

start_server() { # extra Spring arguments...
  # shellcheck disable=SC2086
  java $JAVA_OPTS -jar target/imgstore.jar --server.port="$PORT" --imgstore.root="$ROOT" --imgstore.demo=false \
      --logging.level.root=WARN "$@" > "$OUT/server.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 120); do
    curl -sf "http://localhost:$PORT/actuator/health" >/dev/null 2>&1 && return 0
    sleep 1
  done
  echo "server did not start; see $OUT/server.log"; exit 1
}

cpu_ticks() { awk '{print $14 + $15}' "/proc/$server_pid/stat"; }
rss_mb() { echo $(( $(awk '/VmRSS/ {print $2}' "/proc/$server_pid/status") / 1024 )); }
heap_mb() {
  curl -s "http://localhost:$PORT/actuator/metrics/jvm.memory.used?tag=area:heap" \
    | sed -n 's/.*"value":\([0-9.E]*\).*/\1/p' | awk '{printf "%d", $1 / 1048576}'
}

case "$mode" in
throughput)
  STORES=${BENCH_STORES:-"avc1/mp4:gray avc1/mp4:color mjpeg/avi:gray png:gray png:color npy:gray"}
  # shellcheck disable=SC2086
  java -cp "$CP" io.imgstore.bench.ReadBenchStores "$ROOT" "$FRAMES" $STORES
  start_server
  echo "server: $(nproc) cores, JAVA_OPTS=$JAVA_OPTS, wrk -t$THREADS -c$CONNECTIONS -d$DURATION" | tee "$OUT/throughput.txt"
  for s in $STORES; do
    id=$(echo "$s" | sed 's#/#-#; s#:#_#')
    # warm up (JIT, decoders, page cache), then measure
    STORE=$id FRAMES=$FRAMES wrk -t"$THREADS" -c"$CONNECTIONS" -d15s -s bench/random-frames.lua "http://localhost:$PORT" >/dev/null
    echo "== $id: random PNG frames (load average before: $(cut -d' ' -f1-3 /proc/loadavg))" | tee -a "$OUT/throughput.txt"
    c0=$(cpu_ticks)
    STORE=$id FRAMES=$FRAMES wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -s bench/random-frames.lua \
        "http://localhost:$PORT" | tee "$OUT/wrk-$id.txt" | tee -a "$OUT/throughput.txt"
    c1=$(cpu_ticks)
    requests=$(sed -n 's/^ *\([0-9]*\) requests in.*/\1/p' "$OUT/wrk-$id.txt")
    # server CPU per frame (all its threads), and what two uncontended cores would serve at that cost
    awk -v t=$((c1 - c0)) -v hz="$(getconf CLK_TCK)" -v n="$requests" 'BEGIN {
        ms = t * 1000 / hz / n; printf "server CPU per frame: %.2f ms -> %.0f frames/s on 2 dedicated cores\n", ms, 2000 / ms }' \
        | tee -a "$OUT/throughput.txt"
  done
  echo "server RSS after the runs: $(rss_mb) MB, heap used: $(heap_mb) MB" | tee -a "$OUT/throughput.txt"
  ;;
soak)
  SOAK_DURATION=${SOAK_DURATION:-600}
  SOAK_STORES=${SOAK_STORES:-24}
  SOAK_REGISTRY=${SOAK_REGISTRY:-8}
  SOAK_FRAMES=${SOAK_FRAMES:-300}
  n=$((SOAK_STORES / 3))
  java -cp "$CP" io.imgstore.bench.ReadBenchStores "$ROOT/soak" "$SOAK_FRAMES" \
      "avc1/mp4:grayx$n" "png:colorx$n" "npy:grayx$((SOAK_STORES - 2 * n))"
  start_server --imgstore.registry-size="$SOAK_REGISTRY"
  ids=$(curl -s "http://localhost:$PORT/stores?q=soak/" | grep -o '"id":"[^"]*"' | cut -d'"' -f4 | paste -sd, -)
  echo "soak: $(echo "$ids" | tr ',' '\n' | wc -l) stores, registry size $SOAK_REGISTRY, ${SOAK_DURATION}s," \
       "wrk -t$THREADS -c$CONNECTIONS, JAVA_OPTS=$JAVA_OPTS" | tee "$OUT/soak.txt"
  echo "seconds,rss_mb,heap_used_mb,open_stores" > "$OUT/soak-memory.csv"
  STORES=$ids FRAMES=$SOAK_FRAMES wrk -t"$THREADS" -c"$CONNECTIONS" -d"${SOAK_DURATION}s" --latency -s bench/mixed.lua \
      "http://localhost:$PORT" > "$OUT/soak-wrk.txt" &
  wrk_pid=$!
  t=0
  while kill -0 "$wrk_pid" 2>/dev/null; do
    open=$(curl -s "http://localhost:$PORT/actuator/metrics/imgstore.registry.open" \
      | sed -n 's/.*"value":\([0-9.E]*\).*/\1/p' | awk '{printf "%d", $1}')
    echo "$t,$(rss_mb),$(heap_mb),$open" | tee -a "$OUT/soak-memory.csv"
    sleep 10
    t=$((t + 10))
  done
  wait "$wrk_pid" || true
  cat "$OUT/soak-wrk.txt" | tee -a "$OUT/soak.txt"
  for m in "cache.gets?tag=cache:stores&tag=result:hit" "cache.gets?tag=cache:stores&tag=result:miss" \
           "cache.evictions?tag=cache:stores" imgstore.frames.rejected; do
    echo "$m: $(curl -s "http://localhost:$PORT/actuator/metrics/$m" | sed -n 's/.*"value":\([0-9.E]*\).*/\1/p')" \
      | tee -a "$OUT/soak.txt"
  done
  ;;
*)
  echo "usage: $0 throughput|soak"; exit 2 ;;
esac
