# Sourced by .ci/run (bash, set -euo pipefail): a Docker engine and the local base image for the
# Docker image tests (*ContainerIT, run by failsafe in `./mvnw -B verify`).
#  - installs docker.io (unless an engine is there) and debootstrap from Debian when missing;
#  - starts dockerd (overlay2, bridge network: the defaults) unless an engine already answers; the
#    pid of a daemon started here goes to $IMGSTORE_DOCKERD_PIDFILE, and .ci/docker-teardown.sh
#    (run from .ci/run's EXIT trap) stops exactly that daemon;
#  - builds imgstore-base:local with docker/build-base.sh (debootstrap, no registry; the root-fs
#    tarball is cached in /var/cache/imgstore-base, outside the work tree);
#  - exports IMGSTORE_DOCKER_BASE, the base image the tests build on.

export IMGSTORE_DOCKERD_PIDFILE="${IMGSTORE_DOCKERD_PIDFILE:-/run/imgstore-ci/dockerd.pid}"

imgstore_docker_setup() {
  local t0=$SECONDS t1 t2 need=()
  # docker.io only where no engine answers and none is installed (docker-ce would conflict).
  if ! docker info >/dev/null 2>&1 && ! command -v dockerd >/dev/null; then
    need+=(docker.io)
  fi
  command -v debootstrap >/dev/null || need+=(debootstrap)
  if [ ${#need[@]} -gt 0 ]; then
    echo "docker-setup: installing ${need[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  fi
  t1=$SECONDS

  if docker info >/dev/null 2>&1; then
    echo "docker-setup: using the Docker engine that is already running"
  else
    local log=/var/log/imgstore-ci-dockerd.log
    mkdir -p "$(dirname "$IMGSTORE_DOCKERD_PIDFILE")"
    dockerd >"$log" 2>&1 &
    echo $! >"$IMGSTORE_DOCKERD_PIDFILE"
    local i
    for i in $(seq 1 60); do
      docker info >/dev/null 2>&1 && break
      if ! kill -0 "$(cat "$IMGSTORE_DOCKERD_PIDFILE")" 2>/dev/null; then
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
    echo "docker-setup: started dockerd (pid $(cat "$IMGSTORE_DOCKERD_PIDFILE"), log $log)"
  fi
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
