#!/usr/bin/env bash
# Run from .ci/run's EXIT trap: stops the dockerd that .ci/docker-setup.sh started (and only that
# one: an engine that was already running is left alone). Never fails the run.
pidfile="${IMGSTORE_DOCKERD_PIDFILE:-/run/imgstore-ci/dockerd.pid}"
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
