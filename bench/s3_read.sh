#!/usr/bin/env bash
# Random frames from a video store on S3Proxy vs the same store on local disk (io.imgstore.bench.S3ReadBench):
# median/p90 per frame and bytes fetched per random frame against the GOP size, then sequential reads (whole
# chunks, all frames in order): GETs, bytes, time. One S3 reader per configs= entry (BLOCK:AHEAD:CACHE like
# 512K:4:64M, or defaults, or defaults:cache=0). Figures: docs/performance.md.
# Usage: bench/s3_read.sh [size=1280x720] [frames=500] [chunk=250] [reads=200] [configs=512K:4:64M,defaults,...]
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -o -q test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
exec java -cp "target/classes:target/test-classes:$(cat target/cp.txt)" io.imgstore.bench.S3ReadBench "$@"
