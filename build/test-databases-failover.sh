# Sourced by build/test-databases.sh (it uses its helpers): a PostgreSQL primary with a synchronous standby for the
# failover tests (Premix.Tests/Failover), apart from the shared servers, since the tests kill its primary.
#
# The standby is synchronous: the primary runs with synchronous_standby_names='*' (on its command line, not in its
# configuration, so the standby's copy does not inherit it and, once promoted, waits for no standby of its own), so a
# COMMIT the primary acknowledged is on the standby too. Both keep their ports across resets; the tests reach them
# through one multi-host connection string (PREMIX_TEST_FAILOVER) and drive them through PREMIX_TEST_FAILOVER_CONTROL:
#
#   failover reset          a fresh primary (on FO_PORT_1) and synchronous standby (on FO_PORT_2), in a few seconds
#   failover kill-primary   kill -9 of the primary's postmaster and all its processes at once, as a crash
#   failover promote        pg_ctl promote of the standby, as an HA manager (Patroni, pg_auto_failover) does
#   failover status         one line per server: its port and role (primary, standby or down)
#   failover repoint-pooler rewrites the pair's PgBouncer's ini to the standby's port and RELOADs it, as an HA hook does
#
# A small PgBouncer of the pair's own (transaction pooling, as the test command's) sits in front of the primary
# (PREMIX_TEST_FAILOVER_POOLED), so the shared one is never repointed; each reset starts it again, pointed at the primary.
# Its server_login_retry is 1 s (PREMIX_FAILOVER_POOLER_LOGIN_RETRY sets another; PgBouncer's default, 15 s, refuses every client for 15 s after one failed connect to the
# server, whatever RELOAD points it to: see docs/resilience.md, "PgBouncer in front").
#
# Its own state (FO_* in failover.state) and environment (failover.env).

failover_dir() { state_get FO_DIR; }
failover_sql() { as_pg "$(state_get FO_USER)" "$PG_BIN/psql" -h 127.0.0.1 -p "$1" -U postgres -d postgres -Atqc "$2"; }

failover_standby_synchronous() { [ "$(failover_sql "$(state_get FO_PORT_1)" "SELECT sync_state FROM pg_stat_replication")" = sync ]; }

# Removes the socket lock file of port $1 when the postmaster it names is gone or a zombie (killed, its parent not told
# yet): PostgreSQL takes a zombie's PID for a live postmaster and refuses to start ("lock file already exists").
failover_clear_stale_socket_lock() {
    local socket pid
    socket="$(state_get FO_SOCKET_DIR)/.s.PGSQL.$1"
    [ -f "$socket.lock" ] || return 0
    pid=$(head -n 1 "$socket.lock" 2>/dev/null | tr -d ' -')
    if [ -z "$pid" ] || [ ! -d "/proc/$pid" ] || grep -q '^State:[[:space:]]*Z' "/proc/$pid/status" 2>/dev/null; then
        rm -f "$socket.lock" "$socket"
    fi
}

# Starts the server of data folder $1 on port $2, with more server options in $3.
failover_start_server() {
    local data="$1" port="$2" extra="$3"
    failover_clear_stale_socket_lock "$port"
    as_pg "$(state_get FO_USER)" "$PG_BIN/pg_ctl" -D "$data" -l "$data/server.log" -w -t "$START_TIMEOUT" \
        -o "-p $port -k $(state_get FO_SOCKET_DIR) -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c max_connections=100 $extra" \
        start >/dev/null 2>&1 </dev/null \
        || { show_log_tail "$data/server.log"; die "the failover pair's server on port $port did not start within ${START_TIMEOUT}s"; }
}

# Stops what runs of both servers at once (immediate shutdown: their data is thrown away; a killed primary leaves nothing
# to stop), keeps their logs and deletes their data folders.
failover_stop_servers() {
    local dir user data pid
    dir=$(failover_dir)
    user=$(state_get FO_USER)
    for data in "$dir/primary" "$dir/standby"; do
        [ -d "$data" ] || continue
        pid=$(head -n 1 "$data/postmaster.pid" 2>/dev/null || true)
        if process_matches "$pid" postgres; then
            as_pg "$user" "$PG_BIN/pg_ctl" -D "$data" -m immediate -w -t 30 stop >/dev/null 2>&1 || kill -KILL "$pid" 2>/dev/null || true
            failover_wait_for_death "$pid"
        fi
        cp "$data/server.log" "$LOG_DIR/failover-$(basename "$data").log" 2>/dev/null || true
        rm -rf "$data"
    done
}

# Waits until process $1 is gone or a zombie (dead, its parent not told yet), at most 10 s.
failover_wait_for_death() {
    local i
    for i in $(seq 1 200); do
        [ -d "/proc/$1" ] && ! grep -q '^State:[[:space:]]*Z' "/proc/$1/status" 2>/dev/null || return 0
        sleep 0.05
    done
    return 1
}

failover_reset() {
    local dir user started_at=$SECONDS
    dir=$(failover_dir)
    user=$(state_get FO_USER)
    [ -n "$dir" ] && [ -d "$dir/template" ] || die "no failover pair was started (run '$0 start' first)"
    failover_stop_servers
    # A copy of the initdb'd template instead of a new initdb: a reset takes seconds.
    cp -a "$dir/template" "$dir/primary"
    failover_start_server "$dir/primary" "$(state_get FO_PORT_1)" "-c synchronous_standby_names='*'"
    as_pg "$user" "$PG_BIN/pg_basebackup" -h 127.0.0.1 -p "$(state_get FO_PORT_1)" -U postgres -D "$dir/standby" -R -X stream -c fast --no-sync \
        >"$LOG_DIR/failover-basebackup.log" 2>&1 \
        || { show_log_tail "$LOG_DIR/failover-basebackup.log"; die "pg_basebackup of the failover primary failed"; }
    failover_start_server "$dir/standby" "$(state_get FO_PORT_2)" "-c hot_standby=on"
    # Until the standby streams synchronously, the primary's commits would wait for it.
    wait_until "the failover standby (synchronous)" - failover_standby_synchronous \
        || { show_log_tail "$dir/standby/server.log"; die "the failover standby did not become synchronous"; }
    if [ -n "$(state_get FO_POOLER_PORT)" ]; then failover_start_pooler; fi
    log "failover pair reset in $((SECONDS - started_at)) s: primary on port $(state_get FO_PORT_1), synchronous standby on port $(state_get FO_PORT_2)"
}

# Writes the pair's PgBouncer's ini, its databases on port $1.
failover_pooler_ini() {
    local dir
    dir="$(failover_dir)/pooler"
    write_pgbouncer_ini "$dir" "$1" "$(state_get FO_POOLER_PORT)" 500 \
        "server_login_retry = ${PREMIX_FAILOVER_POOLER_LOGIN_RETRY:-1}"
    if is_root; then chown "$(state_get FO_USER)" "$dir/pgbouncer.ini"; fi
}

failover_stop_pooler() {
    local dir pid
    dir="$(failover_dir)/pooler"
    pid=$(state_get FO_POOLER_PID)
    if process_matches "$pid" "$dir/pgbouncer.ini"; then
        kill -TERM "$pid" 2>/dev/null || true
        wait_for_exit "$pid" 10 || { kill -KILL "$pid" 2>/dev/null || true; wait_for_exit "$pid" 10 || true; }
    fi
    [ -f "$dir/pgbouncer.log" ] && cp "$dir/pgbouncer.log" "$LOG_DIR/failover-pgbouncer.log" 2>/dev/null || true
    return 0
}

# (Re)starts the pair's PgBouncer on its port, pointed at the primary: a fresh one per reset, with no pool state left
# from a failover before.
failover_start_pooler() {
    local dir user pid user_option=()
    dir="$(failover_dir)/pooler"
    user=$(state_get FO_USER)
    failover_stop_pooler
    mkdir -p "$dir"
    echo '"postgres" ""' >"$dir/userlist.txt"
    if is_root; then chown "$user" "$dir" "$dir/userlist.txt"; user_option=(-u "$user"); fi
    failover_pooler_ini "$(state_get FO_PORT_1)"
    rm -f "$dir/pgbouncer.log"
    setsid "$(find_pgbouncer)" "${user_option[@]}" "$dir/pgbouncer.ini" </dev/null >"$LOG_DIR/failover-pgbouncer-start.log" 2>&1 &
    pid=$!
    state_set FO_POOLER_PID "$pid"
    wait_until "the failover pair's PgBouncer" "$pid" failover_sql "$(state_get FO_POOLER_PORT)" 'select 1' \
        || { show_log_tail "$dir/pgbouncer.log"; die "the failover pair's PgBouncer did not accept connections"; }
}

# Points the pair's PgBouncer at the standby (promoted), as an HA manager's hook does: a new ini, then RELOAD, after
# which PgBouncer closes its server connections to the old address and opens new ones to the new.
failover_repoint_pooler() {
    failover_pooler_ini "$(state_get FO_PORT_2)"
    as_pg "$(state_get FO_USER)" "$PG_BIN/psql" -h 127.0.0.1 -p "$(state_get FO_POOLER_PORT)" -U postgres -d pgbouncer -qc 'RELOAD' >/dev/null \
        || die "RELOAD of the failover pair's PgBouncer failed"
    log "pointed the failover pair's PgBouncer at port $(state_get FO_PORT_2)"
}

failover_kill_primary() {
    local data pid children
    data="$(failover_dir)/primary"
    [ -f "$data/postmaster.pid" ] || die "the failover primary is not running (run '$0 failover reset')"
    pid=$(head -n 1 "$data/postmaster.pid")
    process_matches "$pid" postgres || die "the failover primary (pid $pid) is not running"
    # The postmaster and its backends at once: backends left alive would keep serving their clients for a moment.
    children=$(ps -o pid= --ppid "$pid" || true)
    # shellcheck disable=SC2086 # one pid per word
    kill -KILL "$pid" $children
    failover_wait_for_death "$pid" || die "the failover primary (pid $pid) did not die"
    log "killed the failover primary (pid $pid and its $(echo $children | wc -w) processes)"
}

failover_promote() {
    as_pg "$(state_get FO_USER)" "$PG_BIN/pg_ctl" -D "$(failover_dir)/standby" -w -t 30 promote >/dev/null \
        || die "pg_ctl promote of the failover standby failed"
    log "promoted the failover standby on port $(state_get FO_PORT_2)"
}

failover_status() {
    local port role
    for port in "$(state_get FO_PORT_1)" "$(state_get FO_PORT_2)"; do
        role=$(failover_sql "$port" "SELECT CASE WHEN pg_is_in_recovery() THEN 'standby' ELSE 'primary' END" 2>/dev/null) || role=down
        echo "$port $role"
    done
}

start_failover() {
    [ -x "$PG_BIN/initdb" ] && [ -x "$PG_BIN/pg_basebackup" ] \
        || die "PostgreSQL binaries not found in $PG_BIN (install postgresql-15, or set PREMIX_PG_BIN, or set PREMIX_TEST_FAILOVER to skip the failover pair)"
    local user dir control port
    user=$(pg_os_user)
    dir=$(pg_writable_dir "$BASE_DIR/failover" "$user" premix-failover "the failover pair's data")
    state_set FO_DIR "$dir"
    state_set FO_USER "$user"
    state_set FO_SOCKET_DIR "$(socket_dir_for "$dir")"
    [ "$(state_get FO_SOCKET_DIR)" != "$dir" ] && is_root && chown "$user" "$(state_get FO_SOCKET_DIR)"
    state_set FO_PORT_1 "$(free_port)"
    while :; do port=$(free_port); [ "$port" != "$(state_get FO_PORT_1)" ] && break; done
    state_set FO_PORT_2 "$port"
    as_pg "$user" "$PG_BIN/initdb" -D "$dir/template" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 --no-sync \
        >"$LOG_DIR/failover-initdb.log" 2>&1 \
        || { show_log_tail "$LOG_DIR/failover-initdb.log"; die "initdb of the failover template failed"; }
    failover_reset
    if installable find_pgbouncer; then
        ensure_pgbouncer_installed
        state_set FO_POOLER_PORT "$(free_port)"
        failover_start_pooler
    else
        log "PgBouncer is not installed (and cannot be, not root with apt-get): the failover pair has no PgBouncer; its tests fail until PREMIX_TEST_FAILOVER_POOLED is set"
    fi
    control="$dir/control.sh"
    printf '#!/usr/bin/env bash\nPREMIX_TEST_DATABASES_DIR=%q exec bash %q failover "$@"\n' "$BASE_DIR" "$REPO_ROOT/build/test-databases.sh" >"$control"
    chmod +x "$control"
    emit PREMIX_TEST_FAILOVER "Host=127.0.0.1:$(state_get FO_PORT_1),127.0.0.1:$(state_get FO_PORT_2);Username=postgres;Database=postgres;Target Session Attributes=primary;Timeout=2"
    emit PREMIX_TEST_FAILOVER_CONTROL "$control"
    if [ -n "$(state_get FO_POOLER_PORT)" ]; then
        emit PREMIX_TEST_FAILOVER_POOLED "Host=127.0.0.1;Port=$(state_get FO_POOLER_PORT);Username=postgres;Database=postgres;Timeout=2"
    fi
}

stop_failover() {
    local dir socket_dir
    dir=$(state_get FO_DIR)
    [ -n "$dir" ] || { rm -f "$BASE_DIR/failover.state" "$BASE_DIR/failover.env"; return 0; }
    failover_stop_pooler
    failover_stop_servers
    socket_dir=$(state_get FO_SOCKET_DIR)
    [ -n "$socket_dir" ] && [ "$socket_dir" != "$dir" ] && rm -rf "$socket_dir"
    rm -rf "$dir"
    rm -f "$BASE_DIR/failover.state" "$BASE_DIR/failover.env"
    return 0
}

# build/test-databases.sh failover reset|kill-primary|promote|status
failover_command() {
    [ -f "$BASE_DIR/failover.state" ] || die "no failover pair is running (run '$0 start' first)"
    case "${1:-}" in
        reset) failover_reset ;;
        kill-primary) failover_kill_primary ;;
        promote) failover_promote ;;
        status) failover_status ;;
        repoint-pooler) failover_repoint_pooler ;;
        *) die "usage: $0 failover reset|kill-primary|promote|status|repoint-pooler" ;;
    esac
}
