#!/usr/bin/env bash
# Library-level figures of the third round of the performance issue (docs/performance.md, "Issue #13,
# third round"), side by side in one run, on the stores bench/issue13-http.sh writes (run that first,
# or set BENCH_ROOT to where they are; the chunks of row 3 are bench/perf-compare.sh's, BENCH_PERF_DIR):
#   1. uniform random reads, one client, before vs each change (io.imgstore.bench.LongGopBench)
#   2. sequential decode of whole chunks: VideoChunkReader.readNext (a new array per frame) and
#      read(i, visitor) (pixels lent in place) vs the ffmpeg binary of JavaCV, same threads
#      (ffmpeg -threads N -i chunk -f null -)
#   3. opening chunks of 1,000 and 10,000 frames (plain and fragmented mp4, bench/perf-compare.sh's files)
#
#   bench/long-gop.sh [ROUNDS READS]      # default 3 40
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=${BENCH_ROOT:-/tmp/imgstore-issue13}
PERF=${BENCH_PERF_DIR:-/tmp/imgstore-perf-compare}
ROUNDS=${1:-3}
READS=${2:-40}
./mvnw -o -q test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.cp -Dspotless.check.skip=true >/dev/null
CP="target/test-classes:target/classes:$(cat target/bench.cp)"
FFMPEG=$(java -cp "$CP" io.imgstore.bench.LongGopBench ffmpeg 2>/dev/null | tail -1)
load() { cut -d' ' -f1-3 /proc/loadavg; }
echo "# $(date -u +%FT%TZ) $(uname -srm), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "# command: bench/long-gop.sh $ROUNDS $READS"
java -Xmx2g -cp "$CP" io.imgstore.bench.LongGopBench "$ROUNDS" "$READS" "$ROOT/py_color_512" "$ROOT/py_gray_1920x1200" \
    "$ROOT/ingest_gray_1920x1200" "$ROOT/ingest_color_512" 2>/dev/null
echo
echo "# sequential decode, whole chunk (load $(load))"
for spec in ingest_gray_1920x1200:false:1 ingest_gray_1920x1200:false:2 py_gray_1920x1200:false:1 py_gray_1920x1200:false:2; do
  IFS=: read -r store color threads <<< "$spec"
  chunk=$ROOT/$store/000000.mp4
  for _ in 1 2 3; do
    echo "ffmpeg -threads $threads $store: $("$FFMPEG" -hide_banner -benchmark -threads "$threads" -i "$chunk" -f null - 2>&1 | grep -o 'rtime=[0-9.]*s')"
  done
  java -cp "$CP" io.imgstore.bench.LongGopBench sequential "$chunk" "$color" "$threads" 4 2>/dev/null \
      | sed "s/^/VideoChunkReader threads $threads $store: /"
  java -cp "$CP" io.imgstore.bench.LongGopBench sequential "$chunk" "$color" "$threads" 4 view 2>/dev/null \
      | sed "s/^/VideoChunkReader lent threads $threads $store: /"
done
echo
if [ -d "$PERF" ]; then
  echo "# open + read the last frame (load $(load))"
  java -Dimgstore.frameCache.bytes=0 -cp "$CP" io.imgstore.bench.LongGopBench open 30 \
      "$PERF"/cam_320x240_gray_1000_gop10.mp4 "$PERF"/cam_320x240_gray_10000_gop10.mp4 \
      "$PERF"/cam_320x240_gray_1000_gop10_frag.mp4 "$PERF"/cam_320x240_gray_10000_gop10_frag.mp4 2>/dev/null
fi
echo "# done, load $(load)"
