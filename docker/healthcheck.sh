#!/bin/bash
# Docker HEALTHCHECK: GET /actuator/health on this container's own port; healthy only on HTTP 200
# (Spring answers 503 while the health status is DOWN or OUT_OF_SERVICE).
#
# Plain bash (/dev/tcp) rather than curl/wget or a Java client: a minbase Debian image has neither
# curl nor busybox, and starting a second JVM every interval would cost ~40 MB and a CPU-second
# inside the container's memory limit. bash is part of every Debian/Ubuntu base, temurin's included.
set -u
port="${MANAGEMENT_SERVER_PORT:-${SERVER_PORT:-${PORT:-8080}}}"
exec 3<>"/dev/tcp/127.0.0.1/${port}" || { echo "health: nothing listens on port ${port}"; exit 1; }
printf 'GET /actuator/health HTTP/1.1\r\nHost: localhost\r\nAccept: application/json\r\nConnection: close\r\n\r\n' >&3
IFS= read -r -t 4 status <&3 || { echo "health: no answer on port ${port}"; exit 1; }
exec 3<&-
case "$status" in
  "HTTP/1."?" 200"*) exit 0 ;;
  *) echo "health: ${status%$'\r'}"; exit 1 ;;
esac
