#!/usr/bin/env bash
# The physical floor under the random-read rows of the performance issue (docs/performance.md,
# "Issue #13, fourth round"): what FFmpeg's own decoder needs to reach a uniformly random frame from
# its keyframe, and what sending a 1920x1200 npy frame over loopback costs with nothing else to do.
#   per store: ffmpeg -skip_frame nokey (keyframes only), noref (reference frames only) and all frames,
#   1 and 2 threads, REPS times each (median), less the same run with -skip_frame all (start-up and
#   demuxing, no decoding); then
#     floor of a random read from the keyframe = keyframe + mean number of frames that must be decoded
#     after it (every frame in a group without B-frames, reference frames only with them) x their cost
#   transport: wrk -c1 against a Python http.server that answers 2,304,128 bytes from memory.
# Uses the stores bench/issue13-http.sh writes (BENCH_ROOT, default /tmp/imgstore-issue13).
#   bench/decode-floor.sh [REPS]      # default 3
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=${BENCH_ROOT:-/tmp/imgstore-issue13}
REPS=${1:-3}
./mvnw -o -q test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.cp -Dspotless.check.skip=true >/dev/null
CP="target/test-classes:target/classes:$(cat target/bench.cp)"
FFMPEG=$(java -cp "$CP" io.imgstore.bench.LongGopBench ffmpeg 2>/dev/null | tail -1)
echo "# $(date -u +%FT%TZ) $(uname -srm), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# command: bench/decode-floor.sh $REPS"
# median rtime in seconds and frame count of: ffmpeg -threads T -skip_frame S -i CHUNK -f null -
run() {
  local chunk=$1 threads=$2 skip=$3 out times=() frames=0
  for _ in $(seq "$REPS"); do
    out=$("$FFMPEG" -hide_banner -benchmark -threads "$threads" -skip_frame "$skip" -i "$chunk" -f null - 2>&1)
    times+=("$(grep -o 'rtime=[0-9.]*' <<< "$out" | cut -d= -f2)")
    frames=$(grep -oE 'frame= *[0-9]+' <<< "$out" | tail -1 | grep -oE '[0-9]+')
  done
  echo "$(printf '%s\n' "${times[@]}" | sort -n | sed -n "$(( (REPS + 1) / 2 ))p") $frames"
}
echo
echo "| store | threads | keyframes: count, ms each | reference frames: count, ms each | all frames: count, ms each | frames per group | mean frames decoded after the keyframe | floor of a random read, ms |"
echo "|---|---|---|---|---|---|---|---|"
for store in ingest_gray_1920x1200 py_gray_1920x1200 py_color_512; do
  chunk=$ROOT/$store/000000.mp4
  [ -f "$chunk" ] || { echo "missing $chunk (run bench/issue13-http.sh first)"; exit 1; }
  for threads in 1 2; do
    read -r t0 _ <<< "$(run "$chunk" "$threads" all)"
    read -r tk nk <<< "$(run "$chunk" "$threads" nokey)"
    read -r tr nr <<< "$(run "$chunk" "$threads" noref)"
    read -r ta na <<< "$(run "$chunk" "$threads" default)"
    awk -v s="$store" -v t="$threads" -v t0="$t0" -v tk="$tk" -v nk="$nk" -v tr="$tr" -v nr="$nr" -v ta="$ta" -v na="$na" 'BEGIN {
      # t0: the same run decoding nothing (-skip_frame all: start-up, demuxing), taken off each run
      tk -= t0; tr -= t0; ta -= t0
      key = tk / nk * 1000; g = na / nk
      # frames needed after the keyframe: all of them when every frame is a reference (no B-frames), else
      # the reference frames up to the target (the target itself costs like one of them)
      refs = nr - nk; per = (refs > 0 ? (tr - tk) / refs * 1000 : 0)
      meanAfter = (g - 1) / 2 * (nr / na)
      printf "| %s | %d | %d, %.1f | %d, %.2f | %d, %.2f | %.0f | %.1f | **%.1f** |\n", s, t, nk, key, nr, per, na, ta / na * 1000, g, meanAfter, key + meanAfter * per
    }'
  done
done
echo
command -v wrk >/dev/null || { echo "wrk not found: no transport floor"; exit 0; }
PORT=${BENCH_BLOB_PORT:-18399}
python3 - "$PORT" <<'PY' &
import http.server, os, sys
body = os.urandom(2304128)  # a 1920x1200 uint8 npy frame's size
class Blob(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def do_GET(self):
        self.send_response(200); self.send_header("Content-Length", str(len(body))); self.end_headers(); self.wfile.write(body)
    def log_message(self, *args): pass
http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])), Blob).serve_forever()
PY
BLOB=$!
trap 'kill $BLOB 2>/dev/null || true' EXIT
sleep 1
wrk -t1 -c1 -d3s "http://127.0.0.1:$PORT/" >/dev/null
echo "transport floor, 2,304,128 bytes from memory over loopback (Python http.server, wrk -c1 10 s): $(wrk -t1 -c1 -d10s --latency "http://127.0.0.1:$PORT/" | grep -E ' 50%|Requests/sec' | tr -s ' ' | tr '\n' ' ')"
echo "# done, load $(cut -d' ' -f1-3 /proc/loadavg)"
