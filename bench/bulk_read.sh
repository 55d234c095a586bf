#!/usr/bin/env bash
# Bulk read benchmark (docs/analysis.md): GET /stores/{id}/frames over loopback vs the library's own
# sequential read of the same frames in the same JVM; then RSS while a long range streams.
#   bench/bulk_read.sh [work dir]
# Needs: ./mvnw -q test-compile && ./mvnw -o -q dependency:build-classpath -Dmdep.outputFile=target/cp.txt
set -euo pipefail
cd "$(dirname "$0")/.."
WORK=${1:-/tmp/imgstore-bulk-bench}
CP="target/test-classes:target/classes:$(cat target/cp.txt)"
java -Xmx1g -cp "$CP" io.imgstore.bench.BulkReadBench "$WORK" speed 512 512 1000 true
java -Xmx1g -cp "$CP" io.imgstore.bench.BulkReadBench "$WORK" speed 1920 1200 300 false
java -Xmx256m -cp "$CP" io.imgstore.bench.BulkReadBench "$WORK" memory 100000
