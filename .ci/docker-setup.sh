# Sourced by .ci/run (bash, set -euo pipefail): a Docker engine and the local base image for the
# Docker image tests (*ContainerIT, run by failsafe in `./mvnw -B verify`).
#  - installs docker.io (unless an engine is there) and debootstrap from Debian when missing;
#  - starts dockerd (overlay2, bridge network: the defaults) unless an engine already answers;
#  - builds imgstore-base:local with docker/build-base.sh (debootstrap, no registry; the root-fs
#    tarball is cached in /var/cache/imgstore-base, outside the work tree);
#  - exports IMGSTORE_DOCKER_BASE, the base image the tests build on.
#
# Several runs may share a machine (and its engine). Each run holds a shared lock on
# $IMGSTORE_CI_STATE/engine.lock for as long as .ci/run lives; .ci/docker-teardown.sh (run from
# .ci/run's EXIT trap) stops the daemon only when it was started by one of these runs (its pid is
# in $IMGSTORE_CI_STATE/dockerd.pid) and no other run still holds the lock. An engine started by
# anyone else is never stopped.

export IMGSTORE_CI_STATE="${IMGSTORE_CI_STATE:-/run/imgstore-ci}"

imgstore_docker_setup() {
  local t0=$SECONDS t1 t2 need=() start_lock
  # docker.io only where no engine answers and none is installed (docker-ce would conflict).
  if ! docker info >/dev/null 2>&1 && ! command -v dockerd >/dev/null; then
    need+=(docker.io)
  fi
  command -v debootstrap >/dev/null || need+=(debootstrap)
  if [ ${#need[@]} -gt 0 ]; then
    echo "docker-setup: installing ${need[*]}"
    apt-get -o DPkg::Lock::Timeout=900 update -qq
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=900 install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  fi
  t1=$SECONDS

  mkdir -p "$IMGSTORE_CI_STATE"
  # This run uses the engine until .ci/run exits (the fd stays open in .ci/run's shell).
  exec {IMGSTORE_ENGINE_LOCK_FD}>>"$IMGSTORE_CI_STATE/engine.lock"
  export IMGSTORE_ENGINE_LOCK_FD
  flock -s "$IMGSTORE_ENGINE_LOCK_FD"
  # One run at a time checks for an engine and starts one.
  exec {start_lock}>>"$IMGSTORE_CI_STATE/start.lock"
  flock -x "$start_lock"
  if docker info >/dev/null 2>&1; then
    echo "docker-setup: using the Docker engine that is already running"
  else
    local log=/var/log/imgstore-ci-dockerd.log pid i
    # The daemon outlives this run: it must not inherit (and so hold) the locks.
    dockerd >"$log" 2>&1 {IMGSTORE_ENGINE_LOCK_FD}>&- {start_lock}>&- &
    pid=$!
    echo "$pid" >"$IMGSTORE_CI_STATE/dockerd.pid"
    for i in $(seq 1 60); do
      docker info >/dev/null 2>&1 && break
      if ! kill -0 "$pid" 2>/dev/null; then
        tail -n 30 "$log" >&2
        echo "docker-setup: dockerd exited (log: $log)" >&2
        return 1
      fi
      sleep 1
    done
    if ! docker info >/dev/null 2>&1; then
      tail -n 30 "$log" >&2
      echo "docker-setup: dockerd did not answer within 60 s (log: $log)" >&2
      return 1
    fi
    echo "docker-setup: started dockerd (pid $pid, log $log)"
  fi
  exec {start_lock}>&-
  t2=$SECONDS

  export IMGSTORE_DOCKER_BASE="${IMGSTORE_DOCKER_BASE:-imgstore-base:local}"
  if [[ "$IMGSTORE_DOCKER_BASE" == *:local ]]; then
    bash docker/build-base.sh "$IMGSTORE_DOCKER_BASE"
  fi

  # Testcontainers' settings for a machine without a registry (no Ryuk, localhost) are in pom.xml.
  export DOCKER_BUILDKIT=0
  echo "docker-setup: ready in $((SECONDS - t0)) s (packages $((t1 - t0)) s, engine $((t2 - t1)) s, base image $((SECONDS - t2)) s)"
}

imgstore_docker_setup
unset -f imgstore_docker_setup
