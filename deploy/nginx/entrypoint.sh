#!/bin/bash
# nginx image entry point: renders the configuration from the environment, checks it, and runs
# nginx in the foreground (PID 1, so `docker stop` reaches it).
set -euo pipefail
conf="${NGINX_STATE_DIR:-/run/imgstore-nginx}/nginx.conf"
/etc/imgstore-nginx/render.sh >"$conf"
nginx -e stderr -t -q -c "$conf"
exec nginx -e stderr -c "$conf" -g 'daemon off;'
