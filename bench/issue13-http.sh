#!/usr/bin/env bash
# The HTTP rows of issue #13, side by side in one run, with their Python imgstore baselines
# (figures in docs/performance.md, "HTTP rows of issue #13 re-measured").
#
#   bench/issue13-http.sh
#
# Stores (written once into BENCH_ROOT, default /tmp/imgstore-issue13; camera-like frames: bars of
# the frame number in the top eighth, fixed noise texture, fresh noise +-4 per frame):
#   ingest_gray_1920x1200  500 frames, io.imgstore.bench.Issue13Stores with ingest's spec (avc1/mp4,
#                          fragmented, keyframe every 10)
#   ingest_color_512       2000 frames 512x512x3, same
#   py_color_512           2000 frames 512x512x3 written by Python imgstore 0.4.0 (OpenCV/x264:
#                          keyframe every 250, B-frames)
#   py_gray_1920x1200      500 frames 1920x1200 gray, same writer
# Then the packaged jar (default settings, JAVA_OPTS default -Xmx1g), bench/issue13_py.py serve (a threaded
# Python HTTP server over imgstore, one reader per connection, PNG by cv2.imencode) and serve-plain (http.server's
# HTTPServer: one request at a time, one reader) on the same root, and per row: 10 s warm-up,
# then wrk for BENCH_DURATION (default 20s) with bench/random-frames.lua; the Python in-process row
# times get_image on random frames. Needs wrk (apt-get install wrk) and Debian's python3-opencv,
# python3-pandas, python3-tzlocal, python3-dateutil, python3-yaml (/work/shared/reference/README.md).
set -euo pipefail
cd "$(dirname "$0")/.."

ROOT=${BENCH_ROOT:-/tmp/imgstore-issue13}
PORT=${BENCH_PORT:-18393}
PYPORT=${BENCH_PYPORT:-18394}
PLAINPORT=${BENCH_PLAINPORT:-18395}
DURATION=${BENCH_DURATION:-20s}
WARMUP=${BENCH_WARMUP:-10s}
PY=${BENCH_PYTHON:-/usr/bin/python3}
REF=${IMGSTORE_REFERENCE:-/work/shared/reference/imgstore-0.4.0}
INPROC_READS=${BENCH_INPROC_READS:-40}
JAVA_OPTS=${JAVA_OPTS:--Xmx1g}
OUT=${BENCH_OUT:-target/bench}
mkdir -p "$OUT" "$ROOT"

command -v wrk >/dev/null || { echo "wrk not found (apt-get install wrk)"; exit 1; }
[ -f target/imgstore.jar ] || ./mvnw -o -q package -DskipTests
./mvnw -o -q test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.cp -Dspotless.check.skip=true >/dev/null
CP="target/test-classes:target/classes:$(cat target/bench.cp)"

java -Xmx1g -cp "$CP" io.imgstore.bench.Issue13Stores "$ROOT" 500 2000
[ -f "$ROOT/py_color_512/metadata.yaml" ] || PYTHONPATH=$REF $PY bench/issue13_py.py write "$ROOT/py_color_512" 512 512 3 2000
[ -f "$ROOT/py_gray_1920x1200/metadata.yaml" ] || PYTHONPATH=$REF $PY bench/issue13_py.py write "$ROOT/py_gray_1920x1200" 1200 1920 1 500

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done; }
trap cleanup EXIT
# shellcheck disable=SC2086
java $JAVA_OPTS -jar target/imgstore.jar --server.port="$PORT" --imgstore.root="$ROOT" --imgstore.demo=false \
    --logging.level.root=WARN > "$OUT/issue13-server.log" 2>&1 &
pids+=($!)
PYTHONPATH=$REF $PY bench/issue13_py.py serve "$ROOT" "$PYPORT" > "$OUT/issue13-pyserver.log" 2>&1 &
pids+=($!)
PYTHONPATH=$REF $PY bench/issue13_py.py serve-plain "$ROOT" "$PLAINPORT" > "$OUT/issue13-pyplain.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 120); do
  curl -sf "http://localhost:$PORT/actuator/health" >/dev/null 2>&1 && curl -sf -o /dev/null "http://localhost:$PYPORT/stores/py_color_512/frames/0" && curl -sf -o /dev/null "http://localhost:$PLAINPORT/stores/py_color_512/frames/0" && break
  sleep 1
done
for s in ingest_gray_1920x1200 ingest_color_512 py_color_512 py_gray_1920x1200; do
  curl -sf -o /dev/null "http://localhost:$PORT/stores/$s/frames/1?format=npy" || { echo "server cannot read $s"; exit 1; }
done

load() { cut -d' ' -f1-3 /proc/loadavg; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }  # user + system CPU of the server process
# run PORT STORE FRAMES QUERY CONNECTIONS NAME: warm-up, then the measured wrk run into $OUT/issue13-NAME.txt
run() {
  STORE=$2 FRAMES=$3 QUERY=$4 wrk -t1 -c"$5" -d"$WARMUP" --timeout 30s -s bench/random-frames.lua "http://localhost:$1" >/dev/null
  local l0 c0 c1 pid; l0=$(load)
  case "$1" in "$PORT") pid=${pids[0]} ;; "$PYPORT") pid=${pids[1]} ;; *) pid=${pids[2]} ;; esac
  c0=$(cpu_ticks "$pid")
  STORE=$2 FRAMES=$3 QUERY=$4 wrk -t1 -c"$5" -d"$DURATION" --timeout 30s --latency -s bench/random-frames.lua \
      "http://localhost:$1" > "$OUT/issue13-$6.txt"
  c1=$(cpu_ticks "$pid")
  local f=$OUT/issue13-$6.txt
  local rps p50 errs cpu
  rps=$(awk '/^Requests\/sec/ {print $2}' "$f")
  p50=$(awk '/Latency Distribution/ {d=1} d && $1=="50%" {v=$2; u=v; gsub(/[0-9.]/,"",u); sub(/[a-z]+$/,"",v);
        print (u=="s" ? v*1000 : (u=="us" ? v/1000 : v)); exit}' "$f")
  errs=$(awk '/Non-2xx|Socket errors/ {sub(/^ */,""); printf "%s; ", $0}' "$f")
  cpu=$(awk -v t=$((c1 - c0)) -v hz="$(getconf CLK_TCK)" -v n="$(sed -n 's/^ *\([0-9]*\) requests in.*/\1/p' "$f")" \
      'BEGIN { printf "%.1f", t * 1000 / hz / n }')
  echo "| $6 | $rps | $p50 | $cpu | ${errs:-none} | $l0 / $(load) |"
  eval "rps_$6=$rps p50_$6=$p50"
}

echo "# $(date -u +%FT%TZ) $(uname -srm), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "# command: bench/issue13-http.sh (BENCH_DURATION=$DURATION, wrk -t1, warm-up $WARMUP per row; server JAVA_OPTS=$JAVA_OPTS, default settings)"
echo
echo "| run | frames/s | p50 ms | server CPU ms per frame | errors | load before / after |"
echo "|---|---|---|---|---|---|"
run "$PORT" ingest_gray_1920x1200 500 "?format=npy" 1 r1_gray1920_npy_c1
run "$PORT" ingest_color_512 2000 "" 4 r2_color512_png_c4
run "$PORT" ingest_color_512 2000 "?format=jpeg" 4 r2_color512_jpeg_c4
run "$PORT" ingest_color_512 2000 "?format=npy" 4 r2_color512_npy_c4
run "$PORT" py_color_512 2000 "" 4 r3_pystore_png_c4_java
run "$PYPORT" py_color_512 2000 "" 4 r3_pystore_png_c4_python
run "$PLAINPORT" py_color_512 2000 "" 4 r3_pystore_png_c4_python_plain
run "$PORT" py_gray_1920x1200 500 "?format=npy" 1 r4_pygray1920_npy_c1_java
run "$PYPORT" py_gray_1920x1200 500 "?format=npy" 1 r4_pygray1920_npy_c1_python
l0=$(load)
inproc=$(PYTHONPATH=$REF $PY bench/issue13_py.py inproc "$ROOT/py_gray_1920x1200" "$INPROC_READS" 2>/dev/null)
echo "# Python imgstore $inproc (load $l0 / $(load))"
py_ms=$(echo "$inproc" | sed -n 's/.*median \([0-9.]*\) ms.*/\1/p')
echo
# shellcheck disable=SC2154
awk -v a="$rps_r3_pystore_png_c4_java" -v b="$rps_r3_pystore_png_c4_python" \
    -v c="$p50_r4_pygray1920_npy_c1_java" -v d="$py_ms" -v e="$p50_r4_pygray1920_npy_c1_python" \
    -v f="$rps_r3_pystore_png_c4_python_plain" 'BEGIN {
  printf "# row 3: %.1fx (PNG frames/s, ours / Python threaded HTTP server, a reader per connection)\n", a / b
  printf "# row 3: %.1fx (PNG frames/s, ours / plain Python HTTPServer, one request at a time)\n", a / f
  printf "# row 4: %.1fx (median, Python imgstore in-process / ours over HTTP npy); vs the Python HTTP server npy: %.1fx\n", d / c, e / c }'
echo "# done, load $(load)"
