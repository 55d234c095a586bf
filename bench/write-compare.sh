#!/usr/bin/env bash
# Writing 1920x1200 gray camera-like frames: JavaCV's ffmpeg binary (the encoder's limit) vs our
# writers, interleaved in one JVM, plus the keyframe-interval table (docs/performance.md, "Writing").
#
#   bench/write-compare.sh [ROUNDS] [FRAMES] [PARALLEL,...]     default 3 100 0,1,2
#   WRITE_SKIP_TABLE=1 ...                                      # without the keyframe-interval table
#   WRITE_ONLY_TABLE=1 bench/write-compare.sh                   # only the keyframe-interval table
#   BENCH_GPL=1 bench/write-compare.sh 3 100 0 ultrafast,superfast   # libx264 (-Pgpl classpath)
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:-3}
FRAMES=${2:-100}
PARALLEL=${3:-0,1,2}
PRESETS=${4:-ultrafast,superfast,veryfast,fast}
DIR=${WRITE_DIR:-/tmp/imgstore-write-compare}
./mvnw -o -q test-compile -Dspotless.check.skip=true >/dev/null
if [ -n "${BENCH_GPL:-}" ]; then
  ./mvnw -q -Pgpl dependency:build-classpath -Dmdep.outputFile=target/bench-gpl.cp >/dev/null
  CP="target/test-classes:target/classes:$(cat target/bench-gpl.cp)"
else
  ./mvnw -o -q dependency:build-classpath -Dmdep.outputFile=target/bench.cp >/dev/null
  CP="target/test-classes:target/classes:$(cat target/bench.cp)"
fi
echo "# $(date -u +%FT%TZ) $(uname -srm), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "# command: ${BENCH_GPL:+BENCH_GPL=1 }${WRITE_SKIP_TABLE:+WRITE_SKIP_TABLE=1 }${WRITE_ONLY_TABLE:+WRITE_ONLY_TABLE=1 }bench/write-compare.sh $ROUNDS $FRAMES $PARALLEL${BENCH_GPL:+ $PRESETS}"
exec java -Xmx1500m ${WRITE_SKIP_TABLE:+-DskipKeyframeTable=true} ${WRITE_ONLY_TABLE:+-DonlyKeyframeTable=true} -cp "$CP" io.imgstore.bench.WriteCompare "$DIR" "$ROUNDS" "$FRAMES" "$PARALLEL" "$PRESETS"
