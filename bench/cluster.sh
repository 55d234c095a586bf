#!/usr/bin/env bash
# Cluster benchmark (figures in docs/performance.md, "Cluster"): one replica vs three behind nginx
# (hash on the store id vs round robin), random-frame throughput and each replica's decoded-frame cache
# hit rate, in one run on this machine. nginx and the template are those of the compose profile
# `cluster` (deploy/nginx). Needs Debian's nginx (apt-get install -y nginx).
#
#   bench/cluster.sh [THREADS] [SECONDS] [STORES] [FRAMES]     defaults 8 20 6 120
#
# BENCH_WORK (default /tmp/imgstore-cluster-bench) keeps the stores (root-gop60/) between runs.
set -euo pipefail
cd "$(dirname "$0")/.."

WORK=${BENCH_WORK:-/tmp/imgstore-cluster-bench}
OUT=${BENCH_OUT:-target/bench}
mkdir -p "$OUT" "$WORK"
[ -x /usr/sbin/nginx ] || { echo "nginx not found (apt-get install -y nginx)"; exit 1; }
[ -f target/imgstore.jar ] || ./mvnw -o -q package -DskipTests
./mvnw -o -q test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.cp >/dev/null
CP="target/test-classes:target/classes:$(cat target/bench.cp)"
rm -rf "$WORK"/*replica* # logs and nginx state of earlier runs; the stores (WORK/root) stay

{
  echo "# $(date -u +%FT%TZ) $(uname -srm), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
  echo "# command: bench/cluster.sh $*"
  java -Xmx1g -cp "$CP" io.imgstore.bench.ClusterBench "$WORK" "$@"
} 2>&1 | tee "$OUT/cluster.txt"
