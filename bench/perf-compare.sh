#!/usr/bin/env bash
# Side-by-side figures for docs/performance-2.md: old and new code path of each row in ONE JVM,
# interleaved, on camera-like chunks the benchmark writes itself (kept in PERF_DIR between runs).
#
#   bench/perf-compare.sh [ROUNDS]
#
# Rows: opening 1,000 / 10,000-frame chunks (mp4 index vs demuxing every packet), reads with and
# without the decoded-frame cache (long GOP and the 1920x1200 ingest layout), sequential decode
# against JavaCV's ffmpeg binary (-f null). Prints a markdown table with load averages.
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:-5}
DIR=${PERF_DIR:-/tmp/imgstore-perf-compare}
./mvnw -o -q test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.cp -Dspotless.check.skip=true >/dev/null
CP="target/test-classes:target/classes:$(cat target/bench.cp)"
echo "# $(date -u +%FT%TZ) $(uname -srm), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "# command: bench/perf-compare.sh $ROUNDS"
exec java -Xmx1g -cp "$CP" io.imgstore.bench.PerfCompare "$DIR" "$ROUNDS"
