# Sourced by build/test-databases.sh (it uses its helpers): a MariaDB primary with a semi-synchronous replica for the
# moved-address failover tests (Premix.Tests/Failover/MariaDbMovedAddressFailoverTests), apart from the shared servers,
# since the tests kill its primary. Started and stopped with the PostgreSQL failover pair (engine "failover").
#
# Semi-synchronous (built into MariaDB 10.3 and later): the primary answers a COMMIT only once the replica has the
# transaction in its relay log (rpl_semi_sync_master_wait_point=AFTER_SYNC), so a commit the primary acknowledged is on
# the replica, and, once the replica has applied its relay log, on the promoted server. Its timeout (30 s) is far longer
# than a test's stalls on a loaded machine: the primary never falls back to asynchronous replication unnoticed (the tests
# read Rpl_semi_sync_master_no_tx, the commits acknowledged without the replica, and expect none).
#
#   mariadb-failover reset          a fresh primary (FO_MY_PORT_1) and replica (FO_MY_PORT_2, replicating by GTID)
#   mariadb-failover kill-primary   SIGKILL of the primary, as a crash
#   mariadb-failover promote        the replica applies every transaction it received, stops replicating and takes writes
#                                   (STOP SLAVE; RESET SLAVE ALL; read_only off), as MaxScale's failover does
#   mariadb-failover status         one line per server: its port and role (primary, replica or down)
#
# Its state (FO_MY_* in failover.state) and environment (PREMIX_TEST_FAILOVER_MYSQL*, in failover.env).

# The primary waits for the replica; the replica acknowledges. The replica does not wait for replicas of its own: promoted,
# it has none, and a primary waiting for an absent replica would hold every COMMIT for the whole timeout.
MARIADB_FAILOVER_OPTIONS=(--log-bin=mariadb-bin --binlog-format=ROW --sync-binlog=0 --innodb-flush-log-at-trx-commit=2)
MARIADB_FAILOVER_PRIMARY=(--rpl-semi-sync-master-enabled=ON --rpl-semi-sync-master-wait-point=AFTER_SYNC --rpl-semi-sync-master-timeout=30000)
MARIADB_FAILOVER_REPLICA=(--rpl-semi-sync-slave-enabled=ON --read-only=ON --skip-slave-start)

mariadb_failover_dir() { state_get FO_MY_DIR; }
mariadb_failover_socket() { echo "$(state_get "FO_MY_SOCKET_DIR_$1")/mysqld.sock"; }
mariadb_failover_sql() { "$(mariadb_client)" --no-defaults --socket="$(mariadb_failover_socket "$1")" -uroot --batch --skip-column-names -e "$2"; }
mariadb_failover_data() { if [ "$1" = 1 ]; then echo "$(mariadb_failover_dir)/primary"; else echo "$(mariadb_failover_dir)/replica"; fi; }

# Starts server $1 (1: the primary, 2: the replica) on its port from its data folder, with the options in the rest.
mariadb_failover_start_server() {
    local server="$1"
    shift
    run_mariadbd "failover MariaDB server $server" "$(mariadb_failover_data "$server")" "$(state_get "FO_MY_SOCKET_DIR_$server")" \
        "$(state_get "FO_MY_PORT_$server")" "FO_MY_${server}_" --server-id="1$server" "${MARIADB_FAILOVER_OPTIONS[@]}" "$@" \
        || { show_log_tail "$(mariadb_failover_data "$server")/server.log"; die "the failover MariaDB server $server did not start"; }
}

# Kills both servers (their data is thrown away), keeps their logs and deletes their data folders.
mariadb_failover_stop_servers() {
    local server data pid
    for server in 1 2; do
        data=$(mariadb_failover_data "$server")
        pid=$(mariadb_server_pid "FO_MY_${server}_" "$data")
        if [ -n "$pid" ]; then
            kill -KILL "$pid" 2>/dev/null || true
            wait_for_exit "$pid" 10 || true
        fi
        cp "$data/server.log" "$LOG_DIR/failover-mariadb-$server.log" 2>/dev/null || true
        rm -rf "$data" "$data.tmp"
    done
}

# The primary counts the replica among its semi-synchronous clients and waits for it.
mariadb_failover_semi_sync() {
    [ "$(mariadb_failover_sql 1 "SHOW GLOBAL STATUS LIKE 'Rpl_semi_sync_master_clients'" | awk '{ print $2 }')" = 1 ] \
        && [ "$(mariadb_failover_sql 1 "SHOW GLOBAL STATUS LIKE 'Rpl_semi_sync_master_status'" | awk '{ print $2 }')" = ON ]
}

mariadb_failover_reset() {
    local dir started_at=$SECONDS
    dir=$(mariadb_failover_dir)
    [ -n "$dir" ] && [ -d "$dir/template" ] || die "no MariaDB failover pair was started (run '$0 start' first)"
    mariadb_failover_stop_servers
    # Copies of a template that has the test user already: nothing is written before the replica is attached, so the
    # primary never waits for an acknowledgement it cannot get.
    cp -a "$dir/template" "$dir/primary"
    cp -a "$dir/template" "$dir/replica"
    mariadb_failover_start_server 1 "${MARIADB_FAILOVER_PRIMARY[@]}"
    mariadb_failover_start_server 2 "${MARIADB_FAILOVER_REPLICA[@]}"
    mariadb_failover_sql 2 "CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=$(state_get FO_MY_PORT_1), MASTER_USER='$MYSQL_USER_NAME',
            MASTER_PASSWORD='$MYSQL_USER_PASSWORD', MASTER_USE_GTID=slave_pos, MASTER_CONNECT_RETRY=1;
        START SLAVE;" || die "starting replication on the failover MariaDB replica failed"
    wait_until "the failover MariaDB replica (semi-synchronous)" - mariadb_failover_semi_sync \
        || { show_log_tail "$dir/replica/server.log"; die "the failover MariaDB replica did not become semi-synchronous"; }
    log "MariaDB failover pair reset in $((SECONDS - started_at)) s: primary on port $(state_get FO_MY_PORT_1), semi-synchronous replica on port $(state_get FO_MY_PORT_2)"
}

mariadb_failover_kill_primary() {
    local pid
    pid=$(mariadb_server_pid FO_MY_1_ "$(mariadb_failover_data 1)")
    [ -n "$pid" ] || die "the failover MariaDB primary is not running (run '$0 mariadb-failover reset')"
    kill -KILL "$pid"
    wait_for_exit "$pid" 10 || die "the failover MariaDB primary (pid $pid) did not exit within 10 s of SIGKILL"
    log "killed the failover MariaDB primary (pid $pid)"
}

# What MaxScale's mariadbmon does on failover: let the replica apply every transaction it received (its relay log; STOP
# SLAVE alone would leave the rest unapplied, and RESET SLAVE ALL would delete it), then make it a primary.
mariadb_failover_promote() {
    local received
    received=$("$(mariadb_client)" --no-defaults --socket="$(mariadb_failover_socket 2)" -uroot -e 'SHOW SLAVE STATUS\G' | sed -n 's/^ *Gtid_IO_Pos: *//p')
    [ "$(mariadb_failover_sql 2 "SELECT MASTER_GTID_WAIT('$received', 30)")" = 0 ] \
        || die "the failover MariaDB replica did not apply what it received ($received) within 30 s"
    mariadb_failover_sql 2 "STOP SLAVE; RESET SLAVE ALL; SET GLOBAL read_only = OFF;" || die "promoting the failover MariaDB replica failed"
    log "promoted the failover MariaDB replica on port $(state_get FO_MY_PORT_2) (applied up to $received)"
}

mariadb_failover_status() {
    local server role
    for server in 1 2; do
        if ! role=$(mariadb_failover_sql "$server" "SELECT IF(@@read_only, 'replica', 'primary')" 2>/dev/null); then role=down; fi
        echo "$(state_get "FO_MY_PORT_$server") $role"
    done
}

start_mariadb_failover() {
    ensure_mariadb_installed
    local dir install_db server port user_option=() control started_at=$SECONDS
    install_db=$(command -v mariadb-install-db 2>/dev/null || command -v mysql_install_db 2>/dev/null) \
        || die "mariadb-install-db not found (it ships with mariadb-server)"
    dir="$BASE_DIR/failover-mariadb"
    rm -rf "$dir"
    mkdir -p "$dir"
    state_set FO_MY_DIR "$dir"
    for server in 1 2; do state_set "FO_MY_SOCKET_DIR_$server" "$(socket_dir_for "$(mariadb_failover_data "$server")")"; done
    state_set FO_MY_PORT_1 "$(free_port)"
    while :; do port=$(free_port); [ "$port" != "$(state_get FO_MY_PORT_1)" ] && break; done
    state_set FO_MY_PORT_2 "$port"
    if is_root; then user_option=(--user=root); fi
    "$install_db" --no-defaults --datadir="$dir/template" "${user_option[@]}" --auth-root-authentication-method=normal \
        --skip-test-db --skip-name-resolve >"$LOG_DIR/failover-mariadb-install-db.log" 2>&1 \
        || { show_log_tail "$LOG_DIR/failover-mariadb-install-db.log"; die "mariadb-install-db failed for the MariaDB failover pair"; }
    # The template gets the test user once (a server started on it, then shut down); each reset copies it.
    mv "$dir/template" "$dir/primary"
    mariadb_failover_start_server 1
    create_mariadb_test_user "$(mariadb_failover_socket 1)" || die "creating the test user on the MariaDB failover template failed"
    mariadb_failover_sql 1 "RESET MASTER" || die "RESET MASTER on the MariaDB failover template failed"
    kill -TERM "$(state_get FO_MY_1_PID)"
    wait_for_exit "$(state_get FO_MY_1_PID)" 30 || die "the MariaDB failover template server did not shut down"
    rm -rf "$dir/primary.tmp"
    mv "$dir/primary" "$dir/template"
    mariadb_failover_reset
    control="$dir/control.sh"
    printf '#!/usr/bin/env bash\nPREMIX_TEST_DATABASES_DIR=%q exec bash %q mariadb-failover "$@"\n' "$BASE_DIR" "$REPO_ROOT/build/test-databases.sh" >"$control"
    chmod +x "$control"
    log "MariaDB failover pair ready in $((SECONDS - started_at)) s"
    local user="User ID=$MYSQL_USER_NAME;Password=$MYSQL_USER_PASSWORD"
    emit PREMIX_TEST_FAILOVER_MYSQL "Server=127.0.0.1;Port=$(state_get FO_MY_PORT_1);$user|Server=127.0.0.1;Port=$(state_get FO_MY_PORT_2);$user"
    emit PREMIX_TEST_FAILOVER_MYSQL_CONTROL "$control"
}

stop_mariadb_failover() {
    local dir server socket_dir
    dir=$(mariadb_failover_dir)
    [ -n "$dir" ] || { rm -f "$BASE_DIR/failover-mariadb.state" "$BASE_DIR/failover-mariadb.env"; return 0; }
    mariadb_failover_stop_servers
    for server in 1 2; do
        socket_dir=$(state_get "FO_MY_SOCKET_DIR_$server")
        [ -n "$socket_dir" ] && rm -rf "$socket_dir"
    done
    rm -rf "$dir"
    rm -f "$BASE_DIR/failover-mariadb.state" "$BASE_DIR/failover-mariadb.env"
    return 0
}

# build/test-databases.sh mariadb-failover reset|kill-primary|promote|status
mariadb_failover_command() {
    [ -n "$(mariadb_failover_dir)" ] || die "no MariaDB failover pair is running (run '$0 start' first)"
    mkdir -p "$LOG_DIR"
    case "${1:-}" in
        reset) mariadb_failover_reset ;;
        kill-primary) mariadb_failover_kill_primary ;;
        promote) mariadb_failover_promote ;;
        status) mariadb_failover_status ;;
        *) die "usage: $0 mariadb-failover reset|kill-primary|promote|status" ;;
    esac
}
