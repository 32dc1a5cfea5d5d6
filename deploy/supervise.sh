#!/bin/sh
# Run a command again whenever it exits, until this script itself is stopped (Ctrl-C, SIGTERM).
# `make worker` and `make beat` run under it on a machine without systemd or compose: a Celery
# 5.7 worker can exit when Redis dies (README, "Workers"), and nothing would start it again.
# Usage: deploy/supervise.sh command [arguments...]
child=0
stop() {
    trap - INT TERM
    if [ "$child" -ne 0 ]; then
        kill -TERM "$child" 2>/dev/null
        wait "$child"
    fi
    exit 0
}
trap stop INT TERM
while :; do
    "$@" &
    child=$!
    wait "$child"
    status=$?
    echo "supervise: '$1' exited with status $status; starting it again in ${SUPERVISE_DELAY:-2} s" >&2
    sleep "${SUPERVISE_DELAY:-2}"
done
