#!/bin/bash
# Docker HEALTHCHECK of the nginx image: GET /nginx-health on its own port (bash /dev/tcp, as
# docker/healthcheck.sh). The replicas' health is their own /actuator/health (compose healthcheck).
set -u
port="${NGINX_LISTEN##*:}"
exec 3<>"/dev/tcp/127.0.0.1/${port}" || { echo "health: nothing listens on port ${port}"; exit 1; }
printf 'GET /nginx-health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n' >&3
IFS= read -r -t 2 status <&3 || { echo "health: no answer on port ${port}"; exit 1; }
case "$status" in
  "HTTP/1."?" 200"*) exit 0 ;;
  *) echo "health: ${status%$'\r'}"; exit 1 ;;
esac
