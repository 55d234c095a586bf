#!/usr/bin/env bash
# Run from .ci/run's EXIT trap. Stops the dockerd that a CI run started (.ci/docker-setup.sh wrote
# its pid to $IMGSTORE_CI_STATE/dockerd.pid), but only when no other CI run on this machine still
# uses it (none holds a shared lock on engine.lock); the last run out stops it. An engine that
# was running before, started by anyone else, is left alone. Never fails the run.
state="${IMGSTORE_CI_STATE:-/run/imgstore-ci}"
[ -d "$state" ] || exit 0
# Drop this run's shared lock (inherited from .ci/run), then see whether anyone else holds one.
if [ -n "${IMGSTORE_ENGINE_LOCK_FD:-}" ]; then
  flock -u "$IMGSTORE_ENGINE_LOCK_FD" 2>/dev/null || true
fi
exec {lock}>>"$state/engine.lock"
if ! flock -x -n "$lock"; then
  echo "docker-teardown: another CI run still uses the Docker engine, leaving it running"
  exit 0
fi
pidfile="$state/dockerd.pid"
[ -s "$pidfile" ] || exit 0
pid=$(cat "$pidfile")
rm -f "$pidfile"
# The pid must still be that dockerd, not a process that got its number since.
[ "$(cat "/proc/$pid/comm" 2>/dev/null)" = dockerd ] || exit 0
echo "docker-teardown: stopping dockerd (pid $pid)"
kill -TERM "$pid" 2>/dev/null || exit 0
for _ in $(seq 1 30); do
  kill -0 "$pid" 2>/dev/null || exit 0
  sleep 1
done
echo "docker-teardown: dockerd still running after 30 s, killing it" >&2
kill -KILL "$pid" 2>/dev/null || true
exit 0
