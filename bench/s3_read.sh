#!/usr/bin/env bash
# Random frames from a video store on S3Proxy vs the same store on local disk (io.imgstore.bench.S3ReadBench):
# median/p90 per frame and bytes fetched per random frame against the GOP size. Figures: docs/performance.md.
# Usage: bench/s3_read.sh [size=1280x720] [frames=500] [chunk=250] [reads=200]
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -o -q test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
exec java -cp "target/classes:target/test-classes:$(cat target/cp.txt)" io.imgstore.bench.S3ReadBench "$@"
