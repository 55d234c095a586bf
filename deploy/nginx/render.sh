#!/usr/bin/env bash
# Renders deploy/nginx/imgstore.conf.template to stdout. One generator for the compose profile
# `cluster` (the nginx image runs it at start) and for ClusterIT / the cluster benchmark.
#
# Environment:
#   IMGSTORE_UPSTREAMS    replicas, "host:port host:port ..." (required)
#   NGINX_LISTEN          listen address (default 8080)
#   NGINX_BALANCE         hash (default: hash $store_key consistent) or round-robin (for comparisons)
#   NGINX_STATE_DIR       pid file and temp folders (default /tmp/nginx; created)
#   NGINX_ERROR_LOG       default /dev/stderr;  NGINX_ACCESS_LOG  default /dev/stdout
#   NGINX_USER            user of the worker processes when nginx starts as root (default: no directive)
#   NGINX_MAX_FAILS       failed attempts before a replica is skipped (default 1)
#   NGINX_FAIL_TIMEOUT    how long it is skipped (default 5s)
#   NGINX_TEMPLATE        template (default: imgstore.conf.template beside this script)
set -euo pipefail
shopt -u patsub_replacement 2>/dev/null || true  # bash 5.2: & in a replacement is literal

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
template="${NGINX_TEMPLATE:-$here/imgstore.conf.template}"
upstreams="${IMGSTORE_UPSTREAMS:?IMGSTORE_UPSTREAMS: the replicas, host:port separated by spaces}"
state="${NGINX_STATE_DIR:-/tmp/nginx}"
max_fails="${NGINX_MAX_FAILS:-1}"
fail_timeout="${NGINX_FAIL_TIMEOUT:-5s}"

case "${NGINX_BALANCE:-hash}" in
  hash) balance='hash $store_key consistent;' ;;
  round-robin) balance='# round robin (NGINX_BALANCE=round-robin): for comparisons only' ;;
  *) echo "render.sh: NGINX_BALANCE must be hash or round-robin" >&2; exit 2 ;;
esac
servers=""
for u in $upstreams; do
  [[ "$u" =~ ^[A-Za-z0-9._-]+:[0-9]{1,5}$ ]] || { echo "render.sh: bad upstream '$u' (host:port)" >&2; exit 2; }
  servers+="        server $u max_fails=$max_fails fail_timeout=$fail_timeout;"$'\n'
done
user_directive=""
[ -n "${NGINX_USER:-}" ] && user_directive="user ${NGINX_USER};"

mkdir -p "$state"
conf=$(<"$template")
conf=${conf//@USER_DIRECTIVE@/$user_directive}
conf=${conf//@STATE_DIR@/$state}
conf=${conf//@ERROR_LOG@/${NGINX_ERROR_LOG:-/dev/stderr}}
conf=${conf//@ACCESS_LOG@/${NGINX_ACCESS_LOG:-/dev/stdout}}
conf=${conf//@BALANCE@/$balance}
conf=${conf//@SERVERS@/${servers%$'\n'}}
conf=${conf//@LISTEN@/${NGINX_LISTEN:-8080}}
conf=${conf//@FAIL_TIMEOUT@/$fail_timeout}
printf '%s\n' "$conf"
