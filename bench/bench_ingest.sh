#!/usr/bin/env bash
# Ingest benchmark (README, "Performance"): the library's own write rate (IngestBench) against the
# HTTP push rate of examples/push_frames.py for the same format and frames, runs interleaved so that
# a busy machine hurts both alike; then 4 rigs at once.
#   bench/bench_ingest.sh [format] [frames] [h] [w] [reps]
# Needs: ./mvnw -o -q package -DskipTests && ./mvnw -o -q test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
set -euo pipefail
cd "$(dirname "$0")/.."
FORMAT=${1:-npy}; FRAMES=${2:-300}; H=${3:-1200}; W=${4:-1920}; REPS=${5:-3}
PORT=${PORT:-18181}
WORK=${WORK:-/tmp/imgstore-bench}
rm -rf "$WORK"; mkdir -p "$WORK/lib" "$WORK/http"
CP="target/test-classes:target/classes:$(cat target/cp.txt)"
java -Xmx1g -jar target/imgstore.jar --server.port=$PORT --imgstore.root="$WORK/http" --imgstore.demo=false \
  > "$WORK/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
for i in $(seq 120); do curl -fs "http://localhost:$PORT/actuator/health" >/dev/null && break; sleep 1; done
for r in $(seq "$REPS"); do
  echo "library $(java -Xmx1g -cp "$CP" io.imgstore.bench.IngestBench "$FORMAT" "$FRAMES" "$H" "$W" "$WORK/lib" | tail -1)"
  rm -rf "$WORK/lib"/*
  echo "http    $(python3 examples/push_frames.py --url "http://localhost:$PORT" --path "bench/run$r" \
      --format "$FORMAT" --shape "$H" "$W" --frames "$FRAMES" --json)"
  rm -rf "$WORK/http/bench"
done
echo "4 rigs  $(python3 examples/push_frames.py --url "http://localhost:$PORT" --path bench/four --format "$FORMAT" \
    --shape "$H" "$W" --frames "$FRAMES" --rigs 4 --json)"
rm -rf "$WORK/http/bench"
