#!/bin/sh
# Container entry point: `java -jar /app/imgstore.jar ARGS` with the options in JAVA_OPTS.
# No argument or `serve`: the HTTP service. info|extract|save|test|timecodes|view|--version|help:
# the CLI, which exits when done. `exec` makes java PID 1, so `docker stop` (SIGTERM) reaches it.
set -eu
set -f  # JAVA_OPTS is split on spaces on purpose, but never globbed
# shellcheck disable=SC2086
exec java ${JAVA_OPTS:-} -jar /app/imgstore.jar "$@"
