#!/usr/bin/env bash
# Memory of the server during a long push (README, "Performance"): rigs push 1920x1200 avc1/mp4 frames
# at a fixed rate while heap-after-GC (jvm.gc.live.data.size), heap used and the process RSS are sampled.
#   bench/memory_trend.sh [seconds] [rigs] [fps]
set -euo pipefail
cd "$(dirname "$0")/.."
SECS=${1:-180}; RIGS=${2:-2}; FPS=${3:-15}
PORT=${PORT:-18282}
WORK=${WORK:-/tmp/imgstore-memtrend}
rm -rf "$WORK"; mkdir -p "$WORK"
java -Xmx512m -jar target/imgstore.jar --server.port=$PORT --imgstore.root="$WORK/stores" --imgstore.demo=false \
  > "$WORK/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
for i in $(seq 120); do curl -fs "http://localhost:$PORT/actuator/health" >/dev/null && break; sleep 1; done
metric() { curl -fs "http://localhost:$PORT/actuator/metrics/$1${2:+?tag=$2}" | python3 -c 'import json,sys; print(int(json.load(sys.stdin)["measurements"][0]["value"]))'; }
python3 examples/push_frames.py --url "http://localhost:$PORT" --path mem/run --format avc1/mp4 --shape 1200 1920 \
  --frames $((SECS * FPS)) --fps "$FPS" --rigs "$RIGS" --barcode --json > "$WORK/push.json" &
PUSH=$!
echo "t_s heap_used_mb live_data_mb rss_mb" | tee "$WORK/samples.txt"
T0=$(date +%s)
while kill -0 $PUSH 2>/dev/null; do
  sleep 10
  echo "$(( $(date +%s) - T0 )) $(( $(metric jvm.memory.used area:heap) / 1048576 ))" \
       "$(( $(metric jvm.gc.live.data.size) / 1048576 )) $(( $(ps -o rss= -p $SERVER) / 1024 ))" | tee -a "$WORK/samples.txt"
done
cat "$WORK/push.json"
# trend: per-100-s windows (RSS swings by hundreds of MB as G1 commits and uncommits heap, so compare
# windows, not single samples)
python3 - "$WORK/samples.txt" <<'PY'
import collections, sys
rows = [list(map(float, l.split())) for l in open(sys.argv[1]).read().splitlines()[1:] if l.strip()]
w = collections.defaultdict(list)
for r in rows:
    w[int(r[0] // 100)].append(r)
for k in sorted(w):
    rs = w[k]
    print("%4d-%4d s: live data %2.0f..%2.0f MB, RSS min %3.0f max %3.0f mean %3.0f MB" % (
        k * 100, k * 100 + 99, min(r[2] for r in rs), max(r[2] for r in rs), min(r[3] for r in rs),
        max(r[3] for r in rs), sum(r[3] for r in rs) / len(rs)))
PY
