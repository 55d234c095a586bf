#!/bin/sh
# Container entry point: `java -jar /app/imgstore.jar ARGS` with the options in JAVA_OPTS.
# No argument, `serve` or only Spring properties (--server.port=...): the HTTP service.
# info|extract|save|test|timecodes|formats|view|--version|help: the CLI, which exits when done;
# any other word is a usage error (exit 2). `exec` makes java PID 1, so `docker stop` (SIGTERM) reaches it.
set -eu
set -f  # JAVA_OPTS is split on spaces on purpose, but never globbed
# shellcheck disable=SC2086
exec java ${JAVA_OPTS:-} -jar /app/imgstore.jar "$@"
