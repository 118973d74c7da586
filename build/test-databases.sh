#!/usr/bin/env bash
# Throwaway PostgreSQL 15 and MariaDB servers for Premix.Tests.
#
#   build/test-databases.sh start   start both servers on 127.0.0.1, free ports, data under .test-databases/,
#                                   PgBouncer (transaction pooling) in front of the PostgreSQL server, and a hot
#                                   standby of it (streaming replication, PREMIX_TEST_POSTGRES_REPLICA), and a
#                                   replica of the MariaDB server (GTID replication, PREMIX_TEST_MYSQL_REPLICA), and a
#                                   MariaDB server of its own that tests kill and start again (PREMIX_TEST_MYSQL_RESTART);
#                                   prints KEY=VALUE lines (the test environment) on stdout, logs on stderr
#   build/test-databases.sh env     prints `export KEY='VALUE'` lines for the running servers (for `eval`)
#   build/test-databases.sh stop [postgres] [mariadb] [galera] [failover] [failover-mariadb]
#                                   fast-shuts down what `start` started (all unless named; postgres includes its
#                                   PgBouncer and its standby, mariadb its replica and the restartable server) and deletes
#                                   the data folders
#   build/test-databases.sh galera-node start|stop|kill N
#                                   starts (waits until Synced), stops or kills node N of the Galera cluster
#   build/test-databases.sh mariadb-restart kill|start|status
#                                   kills (SIGKILL), starts again (same port and data) or reports the restartable MariaDB
#                                   server (PREMIX_TEST_MYSQL_RESTART_CONTROL runs this)
#   build/test-databases.sh failover reset|kill-primary|promote|status|repoint-pooler
#                                   drives the failover pair and its PgBouncer (build/test-databases-failover.sh)
#   build/test-databases.sh mariadb-failover reset|kill-primary|promote|status
#                                   drives the MariaDB failover pair (build/test-databases-mariadb-failover.sh)
#
# `start` also starts a three-node MariaDB Galera cluster on 127.0.0.1-3 (PREMIX_TEST_GALERA: three connection
# strings separated by '|'; PREMIX_TEST_GALERA_CONTROL: the node control script), unless PREMIX_TEST_GALERA is set,
# and a PostgreSQL primary with a synchronous standby for the failover tests (PREMIX_TEST_FAILOVER: a multi-host
# connection string; PREMIX_TEST_FAILOVER_CONTROL: the control script; PREMIX_TEST_FAILOVER_POOLED: a PgBouncer of its
# own in front of the primary, left out with a note when PgBouncer is neither installed nor installable), unless
# PREMIX_TEST_FAILOVER is set, and a MariaDB primary with a semi-synchronous replica (engine failover-mariadb:
# PREMIX_TEST_FAILOVER_MYSQL, PREMIX_TEST_FAILOVER_MYSQL_CONTROL), unless PREMIX_TEST_FAILOVER_MYSQL is set, left out
# with a note when MariaDB is neither installed nor installable: their tests then fail saying which variable is missing.
#
# An engine whose variable (PREMIX_TEST_POSTGRES / PREMIX_TEST_MYSQL) is already set is left alone by
# `start`: its server is the caller's, nothing is started or cleaned up for it (nor a PgBouncer in front of it:
# set PREMIX_TEST_POSTGRES_POOLED to a pooler of your own for the pooled leg).
#
# Knobs: PREMIX_PG_BIN (default /usr/lib/postgresql/15/bin), PREMIX_TEST_DATABASES_DIR (default
# <repo>/.test-databases), PREMIX_DB_START_TIMEOUT (seconds, default 60).
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BASE_DIR="${PREMIX_TEST_DATABASES_DIR:-$REPO_ROOT/.test-databases}"
LOG_DIR="$BASE_DIR/logs"
PG_BIN="${PREMIX_PG_BIN:-/usr/lib/postgresql/15/bin}"
START_TIMEOUT="${PREMIX_DB_START_TIMEOUT:-60}"
MYSQL_USER_NAME=premix
MYSQL_USER_PASSWORD=premix

log() { echo "[test-databases] $*" >&2; }
die() { echo "[test-databases] ERROR: $*" >&2; exit 1; }
is_root() { [ "$(id -u)" -eq 0 ]; }

# ---------------------------------------------------------------------------------------------------------
# Ports: pick a random port that nothing listens on or is connected from (/proc/net, no ss/netstat needed), below
# Linux's ephemeral range (32768-60999), so an outgoing connection cannot take it between `start` and a node restart.
port_in_use() {
    local hex
    hex=$(printf ':%04X' "$1")
    awk -v suffix="$hex" 'NR > 1 && substr($2, length($2) - 4) == suffix { found = 1 } END { exit !found }' \
        /proc/net/tcp /proc/net/tcp6 2>/dev/null
}

free_port() {
    local port attempt
    for attempt in $(seq 1 100); do
        port=$((10000 + (RANDOM * 32768 + RANDOM) % 22000))
        if ! port_in_use "$port"; then echo "$port"; return 0; fi
    done
    die "no free TCP port found between 10000 and 32000 after 100 attempts"
}

# A unix socket path must fit in 107 bytes; a deep checkout gets its sockets in a short /tmp folder instead.
socket_dir_for() {
    local wanted="$1"
    if [ "${#wanted}" -le 80 ]; then echo "$wanted"; else mktemp -d /tmp/premix-sock.XXXXXX; fi
}

# True when $1 is a live process whose command line contains $2 (guards against a recycled pid).
process_matches() {
    local pid="$1" name="$2"
    [ -n "$pid" ] && [ -r "/proc/$pid/cmdline" ] && tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q -- "$name"
}

wait_for_exit() {
    local pid="$1" seconds="$2" i
    for i in $(seq 1 $((seconds * 10))); do
        [ -d "/proc/$pid" ] || return 0
        sleep 0.1
    done
    return 1
}

# Each engine keeps its own state (PG_* keys in postgres.state, MY_* in mariadb.state) and its own
# environment file, so one engine can be started, used or stopped without touching the other.
state_file() {
    case "$1" in
        PG_* | PGB_* | PREMIX_TEST_POSTGRES*) echo "$BASE_DIR/postgres.$2" ;;
        GL_* | PREMIX_TEST_GALERA*) echo "$BASE_DIR/galera.$2" ;;
        FO_MY_* | PREMIX_TEST_FAILOVER_MYSQL*) echo "$BASE_DIR/failover-mariadb.$2" ;;
        FO_* | PREMIX_TEST_FAILOVER*) echo "$BASE_DIR/failover.$2" ;;
        *) echo "$BASE_DIR/mariadb.$2" ;;
    esac
}
state_get() { local file; file=$(state_file "$1" state); [ -f "$file" ] && sed -n "s/^$1=//p" "$file" | tail -n 1 || true; }
state_set() { mkdir -p "$BASE_DIR"; echo "$1=$2" >>"$(state_file "$1" state)"; }
emit() { echo "$1=$2" >>"$(state_file "$1" env)"; echo "$1=$2"; }

show_log_tail() {
    local file="$1"
    if [ -f "$file" ]; then
        echo "----- last 40 lines of $file -----" >&2
        tail -n 40 "$file" >&2 || true
        echo "-----" >&2
    fi
}

# ---------------------------------------------------------------------------------------------------------
# PostgreSQL
pg_os_user() {
    if ! is_root; then id -un; return; fi
    if id postgres >/dev/null 2>&1; then echo postgres; return; fi
    if ! id premix-pg >/dev/null 2>&1; then
        useradd --system --no-create-home --shell /usr/sbin/nologin premix-pg >/dev/null 2>&1 \
            || die "PostgreSQL refuses to run as root and no 'postgres' user exists; creating user 'premix-pg' failed"
    fi
    echo premix-pg
}

as_pg() {
    local user="$1"; shift
    if is_root; then runuser -u "$user" -- "$@"; else "$@"; fi
}

pg_version() { "$PG_BIN/postgres" --version | sed -n 's/^[^0-9]*\([0-9][0-9.]*\).*/\1/p'; }

# Prints folder $1 (created, and given to user $2 when run as root) if user $2 can write into it, else a new folder
# /tmp/$3.XXXXXX of user $2, saying that $4 goes there: the PostgreSQL server's user must reach its folders, and a
# checkout under /root is not reachable by 'postgres'.
pg_writable_dir() {
    local wanted="$1" user="$2" prefix="$3" what="$4" dir
    mkdir -p "$wanted"
    if is_root; then chown "$user" "$wanted"; fi
    if as_pg "$user" test -w "$wanted"; then
        echo "$wanted"
        return 0
    fi
    rmdir "$wanted"
    dir=$(mktemp -d "/tmp/$prefix.XXXXXX")
    chown "$user" "$dir"
    log "user '$user' cannot write under $BASE_DIR; $what goes to $dir"
    echo "$dir"
}

start_postgres() {
    [ -x "$PG_BIN/initdb" ] && [ -x "$PG_BIN/pg_ctl" ] \
        || die "PostgreSQL binaries not found in $PG_BIN (install postgresql-15, or set PREMIX_PG_BIN, or set PREMIX_TEST_POSTGRES to use your own server)"
    local user data socket_dir port attempt version
    user=$(pg_os_user)
    data=$(pg_writable_dir "$BASE_DIR/postgres" "$user" premix-postgres "PostgreSQL data")
    chmod 700 "$data"
    state_set PG_DATA "$data"
    state_set PG_USER "$user"
    socket_dir=$(socket_dir_for "$data")
    if [ "$socket_dir" != "$data" ]; then chown "$user" "$socket_dir"; state_set PG_SOCKET_DIR "$socket_dir"; fi

    log "initdb PostgreSQL into $data"
    as_pg "$user" "$PG_BIN/initdb" -D "$data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 --no-sync \
        >"$LOG_DIR/postgres-initdb.log" 2>&1 \
        || { show_log_tail "$LOG_DIR/postgres-initdb.log"; die "initdb failed"; }

    for attempt in 1 2 3; do
        port=$(free_port)
        log "starting PostgreSQL on 127.0.0.1:$port"
        if as_pg "$user" "$PG_BIN/pg_ctl" -D "$data" -l "$data/server.log" -w -t "$START_TIMEOUT" \
            -o "-p $port -k $socket_dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
            start >/dev/null 2>&1 </dev/null; then
            break
        fi
        if [ "$attempt" -lt 3 ] && grep -qi 'could not bind\|already in use' "$data/server.log" 2>/dev/null; then
            log "port $port was taken meanwhile; trying another"
            continue
        fi
        show_log_tail "$data/server.log"
        die "PostgreSQL did not start within ${START_TIMEOUT}s"
    done
    state_set PG_PORT "$port"
    wait_until "PostgreSQL" - \
        as_pg "$user" "$PG_BIN/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -Atqc 'select 1'
    version=$(pg_version)
    log "PostgreSQL $version ready on 127.0.0.1:$port"
    emit PREMIX_TEST_POSTGRES "Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres"
    emit PREMIX_TEST_POSTGRES_VERSION "$version"
}

# Fast-shuts down the PostgreSQL server of data folder $1 run by OS user $2 ($3 names it in the log), killing it after
# 30 s, and keeps its server log as $LOG_DIR/$4.
stop_pg_server() {
    local data="$1" user="$2" name="$3" log_name="$4" pid
    if [ -f "$data/postmaster.pid" ]; then
        pid=$(head -n 1 "$data/postmaster.pid")
        if process_matches "$pid" postgres; then
            log "stopping $name (pid $pid)"
            if [ -n "$user" ] && [ -x "$PG_BIN/pg_ctl" ]; then
                as_pg "$user" "$PG_BIN/pg_ctl" -D "$data" -m fast -w -t 30 stop >/dev/null 2>&1 || true
            else
                kill -INT "$pid" 2>/dev/null || true
            fi
            wait_for_exit "$pid" 30 || { log "$name did not stop in 30s; killing it"; kill -KILL "$pid" 2>/dev/null || true; wait_for_exit "$pid" 10 || true; }
        fi
    fi
    [ -f "$data/server.log" ] && cp "$data/server.log" "$LOG_DIR/$log_name" 2>/dev/null || true
}

stop_postgres() {
    local data user
    stop_pgbouncer
    stop_postgres_replica
    data=$(state_get PG_DATA); data="${data:-$BASE_DIR/postgres}"
    user=$(state_get PG_USER)
    stop_pg_server "$data" "$user" "PostgreSQL" postgres.log
    rm -rf "$data"
    local socket_dir; socket_dir=$(state_get PG_SOCKET_DIR)
    [ -n "$socket_dir" ] && rm -rf "$socket_dir"
    rm -f "$BASE_DIR/postgres.state" "$BASE_DIR/postgres.env"
    return 0
}

# A hot standby of the PostgreSQL server above, for the read-replica tests: pg_basebackup -R writes standby.signal and
# primary_conninfo, so it streams the primary's WAL and answers read-only queries (hot_standby is on by default). Its
# replication slot keeps the primary from recycling WAL the standby has not received: without it, a standby that
# drops its stream under a heavy test load never catches up again ("requested WAL segment ... has already been removed").
# initdb's pg_hba.conf already trusts replication connections from 127.0.0.1. max_connections must be at least the
# primary's, or the standby refuses to start. Takes a few seconds (an empty cluster).
start_postgres_replica() {
    local user primary_port data socket_dir port attempt
    user=$(state_get PG_USER)
    primary_port=$(state_get PG_PORT)
    data="$(state_get PG_DATA)-replica"
    state_set PG_REPLICA_DATA "$data"
    rm -rf "$data"
    mkdir -p "$data"
    if is_root; then chown "$user" "$data"; fi
    chmod 700 "$data"
    # A slot left by an earlier run against the same primary would make --create-slot fail: drop it (if no standby uses it).
    as_pg "$user" "$PG_BIN/psql" -h 127.0.0.1 -p "$primary_port" -U postgres -d postgres -qAt -c \
        "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = 'premix_replica' AND NOT active" \
        >/dev/null 2>&1 || true
    log "pg_basebackup of 127.0.0.1:$primary_port into $data"
    as_pg "$user" "$PG_BIN/pg_basebackup" -h 127.0.0.1 -p "$primary_port" -U postgres -D "$data" -R -X stream -c fast --no-sync \
        --create-slot --slot=premix_replica \
        >"$LOG_DIR/postgres-basebackup.log" 2>&1 \
        || { show_log_tail "$LOG_DIR/postgres-basebackup.log"; die "pg_basebackup failed"; }
    socket_dir=$(socket_dir_for "$data")
    if [ "$socket_dir" != "$data" ]; then chown "$user" "$socket_dir"; state_set PG_REPLICA_SOCKET_DIR "$socket_dir"; fi
    for attempt in 1 2 3; do
        port=$(free_port)
        log "starting the PostgreSQL standby on 127.0.0.1:$port"
        if as_pg "$user" "$PG_BIN/pg_ctl" -D "$data" -l "$data/server.log" -w -t "$START_TIMEOUT" \
            -o "-p $port -k $socket_dir -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c max_connections=200 -c hot_standby=on" \
            start >/dev/null 2>&1 </dev/null; then
            break
        fi
        if [ "$attempt" -lt 3 ] && grep -qi 'could not bind\|already in use' "$data/server.log" 2>/dev/null; then
            log "port $port was taken meanwhile; trying another"
            continue
        fi
        show_log_tail "$data/server.log"
        die "the PostgreSQL standby did not start within ${START_TIMEOUT}s"
    done
    state_set PG_REPLICA_PORT "$port"
    wait_until "PostgreSQL standby" - \
        as_pg "$user" "$PG_BIN/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -Atqc 'select pg_is_in_recovery()'
    [ "$(as_pg "$user" "$PG_BIN/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -Atqc 'select pg_is_in_recovery()')" = t ] \
        || { show_log_tail "$data/server.log"; die "the server on port $port is not a standby"; }
    log "PostgreSQL standby ready on 127.0.0.1:$port (streaming from port $primary_port)"
    emit PREMIX_TEST_POSTGRES_REPLICA "Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres"
}

stop_postgres_replica() {
    local data user
    data=$(state_get PG_REPLICA_DATA)
    [ -n "$data" ] || return 0
    user=$(state_get PG_USER)
    stop_pg_server "$data" "$user" "the PostgreSQL standby" postgres-replica.log
    rm -rf "$data"
    local socket_dir; socket_dir=$(state_get PG_REPLICA_SOCKET_DIR)
    [ -n "$socket_dir" ] && rm -rf "$socket_dir"
    return 0
}

# Whether the finder function $1 finds the program, or it can be installed (root with apt-get).
installable() { "$1" >/dev/null || { is_root && command -v apt-get >/dev/null; }; }

# Installs Debian package $2 with apt-get when the finder function $1 finds nothing (as root only); otherwise dies
# with message $3, which says how to install it or point the tests at a server of one's own.
apt_install_if_missing() {
    local finder="$1" package="$2" missing="$3"
    "$finder" >/dev/null && return 0
    is_root && command -v apt-get >/dev/null || die "$missing"
    log "$package not found: installing it with apt-get"
    export DEBIAN_FRONTEND=noninteractive
    { apt-get update -q && apt-get install -y -q --no-install-recommends "$package"; } >"$LOG_DIR/apt-get-$package.log" 2>&1 \
        || { show_log_tail "$LOG_DIR/apt-get-$package.log"; die "apt-get install $package failed"; }
    "$finder" >/dev/null || die "$package was installed but is still not found"
}

# ---------------------------------------------------------------------------------------------------------
# PgBouncer in front of the PostgreSQL server, in transaction pooling mode: every transaction (and every statement
# outside one) may run on another server connection, as behind a managed platform's pooler. The pooled test leg
# (docs/testing.md) runs through it.
find_pgbouncer() {
    command -v pgbouncer 2>/dev/null && return 0
    [ -x /usr/sbin/pgbouncer ] && { echo /usr/sbin/pgbouncer; return 0; }
    return 1
}

ensure_pgbouncer_installed() {
    apt_install_if_missing find_pgbouncer pgbouncer \
        "PgBouncer is not installed and this script is not running as root with apt-get. Install it with 'sudo apt-get install pgbouncer', or set PREMIX_TEST_POSTGRES_POOLED to a pooler of your own."
    # The package enables a system-wide pgbouncer service on port 6432; ours is started on its own port.
}

# Writes $1/pgbouncer.ini: PgBouncer on 127.0.0.1:$3 in transaction pooling, every database name routed to the
# PostgreSQL server on port $2, at most $4 clients; the remaining arguments are extra [pgbouncer] lines.
# The caller writes $1/userlist.txt (trust still needs the user listed).
# extra_float_digits is a startup parameter PgBouncer does not track; Npgsql may send it.
write_pgbouncer_ini() {
    local dir=$1 server_port=$2 listen_port=$3 max_clients=$4
    shift 4
    {
        cat <<INI
[databases]
* = host=127.0.0.1 port=$server_port

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $listen_port
unix_socket_dir =
auth_type = trust
auth_file = $dir/userlist.txt
admin_users = postgres
pool_mode = transaction
default_pool_size = 20
max_client_conn = $max_clients
ignore_startup_parameters = extra_float_digits
logfile = $dir/pgbouncer.log
pidfile = $dir/pgbouncer.pid
INI
        if [ $# -gt 0 ]; then printf '%s\n' "$@"; fi
    } >"$dir/pgbouncer.ini"
}

start_pgbouncer() {
    ensure_pgbouncer_installed
    local binary user pg_port dir port attempt pid user_option=()
    binary=$(find_pgbouncer)
    user=$(state_get PG_USER)
    pg_port=$(state_get PG_PORT)
    # PgBouncer refuses to run as root: it runs as the PostgreSQL server's user.
    if is_root; then user_option=(-u "$user"); fi
    dir=$(pg_writable_dir "$BASE_DIR/pgbouncer" "$user" premix-pgbouncer "PgBouncer's files")
    state_set PGB_DIR "$dir"
    # trust needs the user listed; the server behind is loopback-only and throwaway (trust too).
    echo '"postgres" ""' >"$dir/userlist.txt"

    for attempt in 1 2 3; do
        port=$(free_port)
        # * routes every database name (the fixtures' premix_<hex> too) to the server. default_pool_size bounds
        # each database's server connections; server_round_robin hands out the least recently used idle one, so
        # two transactions of one client land on different server connections whenever the pool has several.
        write_pgbouncer_ini "$dir" "$pg_port" "$port" 2000 "server_round_robin = 1"
        if is_root; then chown "$user" "$dir/pgbouncer.ini" "$dir/userlist.txt"; fi
        rm -f "$dir/pgbouncer.log"
        log "starting PgBouncer on 127.0.0.1:$port (transaction pooling) in front of PostgreSQL on port $pg_port"
        # In the foreground of its own session (like mariadbd) so $! is its pid; as root, -u drops to the user.
        setsid "$binary" "${user_option[@]}" "$dir/pgbouncer.ini" </dev/null >"$LOG_DIR/pgbouncer-start.log" 2>&1 &
        pid=$!
        state_set PGB_PID "$pid"
        if wait_until "PgBouncer" "$pid" \
            as_pg "$user" "$PG_BIN/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -Atqc 'select 1'; then
            break
        fi
        if [ "$attempt" -lt 3 ] && grep -qi 'in use' "$dir/pgbouncer.log" 2>/dev/null; then
            log "port $port was taken meanwhile; trying another"
            continue
        fi
        show_log_tail "$dir/pgbouncer.log"
        show_log_tail "$LOG_DIR/pgbouncer-start.log"
        die "PgBouncer did not accept connections within ${START_TIMEOUT}s"
    done
    state_set PGB_PORT "$port"
    log "$("$binary" --version | head -n 1) ready on 127.0.0.1:$port"
    emit PREMIX_TEST_POSTGRES_POOLED "Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres"
}

stop_pgbouncer() {
    local dir pid
    dir=$(state_get PGB_DIR)
    [ -n "$dir" ] || return 0
    pid=$(state_get PGB_PID)
    [ -z "$pid" ] && [ -f "$dir/pgbouncer.pid" ] && pid=$(head -n 1 "$dir/pgbouncer.pid")
    if process_matches "$pid" "$dir/pgbouncer.ini"; then
        log "stopping PgBouncer (pid $pid)"
        # SIGTERM: immediate shutdown, without waiting for clients to leave.
        kill -TERM "$pid" 2>/dev/null || true
        wait_for_exit "$pid" 10 || { kill -KILL "$pid" 2>/dev/null || true; wait_for_exit "$pid" 10 || true; }
    fi
    [ -f "$dir/pgbouncer.log" ] && cp "$dir/pgbouncer.log" "$LOG_DIR/pgbouncer.log" 2>/dev/null || true
    rm -rf "$dir"
    return 0
}

# ---------------------------------------------------------------------------------------------------------
# MariaDB
find_mariadbd() {
    local candidate
    for candidate in mariadbd mysqld; do
        command -v "$candidate" 2>/dev/null && return 0
        for dir in /usr/sbin /usr/local/sbin /usr/bin /usr/local/bin; do
            [ -x "$dir/$candidate" ] && { echo "$dir/$candidate"; return 0; }
        done
    done
    return 1
}

ensure_mariadb_installed() {
    apt_install_if_missing find_mariadbd mariadb-server \
        "MariaDB server (mariadbd) is not installed and this script is not running as root with apt-get. Install it with 'sudo apt-get install mariadb-server', or set PREMIX_TEST_MYSQL to a server of your own."
}

mariadb_client() {
    command -v mariadb 2>/dev/null || command -v mysql 2>/dev/null || die "the mariadb client is not installed (apt-get install mariadb-client)"
}

mariadb_version() { "$1" --version | sed -n 's/.*Ver \([0-9][0-9.]*\).*/\1/p'; }

# Initialises a MariaDB data folder and starts mariadbd on a free port (another port if one was taken meanwhile), as the
# primary, the replica and the restartable server do. Usage: launch_mariadb NAME DATA STATE_PREFIX EXTRA_OPTION...; sets
# LAUNCHED_PORT, LAUNCHED_PID and LAUNCHED_SOCKET and records STATE_PREFIX{PID,PORT} (and STATE_PREFIX SOCKET_DIR when the
# socket lives elsewhere).
launch_mariadb() {
    local name="$1" data="$2" prefix="$3" install_db socket_dir port attempt user_option=()
    shift 3
    install_db=$(command -v mariadb-install-db 2>/dev/null || command -v mysql_install_db 2>/dev/null) \
        || die "mariadb-install-db not found (it ships with mariadb-server)"
    mkdir -p "$data"
    state_set "${prefix}DATA" "$data"
    socket_dir=$(socket_dir_for "$data")
    [ "$socket_dir" != "$data" ] && state_set "${prefix}SOCKET_DIR" "$socket_dir"
    # mariadbd refuses root unless told; as root we run it as root, owning its throwaway folder.
    if is_root; then user_option=(--user=root); fi

    log "mariadb-install-db into $data"
    "$install_db" --no-defaults --datadir="$data" "${user_option[@]}" --auth-root-authentication-method=normal \
        --skip-test-db --skip-name-resolve >"$LOG_DIR/$(basename "$data")-install-db.log" 2>&1 \
        || { show_log_tail "$LOG_DIR/$(basename "$data")-install-db.log"; die "mariadb-install-db failed for the $name"; }

    for attempt in 1 2 3; do
        port=$(free_port)
        log "starting the $name on 127.0.0.1:$port"
        rm -f "$data/server.log"
        if run_mariadbd "$name" "$data" "$socket_dir" "$port" "$prefix" "$@"; then
            break
        fi
        if [ "$attempt" -lt 3 ] && grep -qi 'Do you already have another\|already in use' "$data/server.log" 2>/dev/null; then
            log "port $port was taken meanwhile; trying another"
            continue
        fi
        show_log_tail "$data/server.log"
        die "the $name did not accept connections within ${START_TIMEOUT}s"
    done
    state_set "${prefix}PORT" "$port"
    LAUNCHED_PORT=$port
    LAUNCHED_SOCKET="$socket_dir/mysqld.sock"
}

# A temporary folder of the server's own beside its data folder $1 (owned by user $2 when given, as root): mariadbd
# deletes every #sql* file in its tmpdir when it starts, so servers sharing /tmp (the default) would delete each other's
# temporary tables whenever one of them restarts, as the restart and Galera tests make them. Prints the folder.
mariadb_tmpdir() {
    mkdir -p "$1.tmp"
    if [ -n "${2:-}" ] && is_root; then chown "$2" "$1.tmp"; fi
    echo "$1.tmp"
}

# Starts mariadbd on data folder $2 (initialised), socket folder $3 and port $4 in a session of its own and waits until it
# accepts connections; $1 names it in the log, $5 is the state prefix its pid is recorded under (STATE_PREFIX PID, and
# LAUNCHED_PID), the rest are extra server options. Fails when the server exits or does not answer in time.
run_mariadbd() {
    local name="$1" data="$2" socket_dir="$3" port="$4" prefix="$5" client pid user_option=()
    shift 5
    client=$(mariadb_client)
    if is_root; then user_option=(--user=root); fi
    setsid "$(find_mariadbd)" --no-defaults --datadir="$data" --tmpdir="$(mariadb_tmpdir "$data")" "${user_option[@]}" --port="$port" --bind-address=127.0.0.1 \
        --socket="$socket_dir/mysqld.sock" --pid-file="$data/mysqld.pid" --log-error="$data/server.log" \
        --character-set-server=utf8mb4 --collation-server=utf8mb4_unicode_ci --skip-name-resolve --max-connections=300 \
        --innodb-buffer-pool-size=64M --innodb-log-file-size=16M --innodb-flush-log-at-trx-commit=0 --innodb-doublewrite=0 \
        "$@" </dev/null >/dev/null 2>&1 &
    pid=$!
    state_set "${prefix}PID" "$pid"
    LAUNCHED_PID=$pid
    wait_until "$name" "$pid" "$client" --no-defaults --socket="$socket_dir/mysqld.sock" -uroot -e 'select 1' --silent
}

# The test user, with every privilege, on the server listening on socket $1.
create_mariadb_test_user() {
    "$(mariadb_client)" --no-defaults --socket="$1" -uroot -e "
        CREATE USER '$MYSQL_USER_NAME'@'%' IDENTIFIED BY '$MYSQL_USER_PASSWORD';
        GRANT ALL PRIVILEGES ON *.* TO '$MYSQL_USER_NAME'@'%' WITH GRANT OPTION;"
}

start_mariadb() {
    ensure_mariadb_installed
    local port version
    launch_mariadb "MariaDB server" "$BASE_DIR/mariadb" MY_ \
        --log-bin=mariadb-bin --server-id=1 --binlog-format=ROW --log-bin-trust-function-creators=1 --sync-binlog=0
    port=$LAUNCHED_PORT
    create_mariadb_test_user "$LAUNCHED_SOCKET" || die "creating the MariaDB test user failed"
    version=$(mariadb_version "$(find_mariadbd)")
    log "MariaDB $version ready on 127.0.0.1:$port"
    emit PREMIX_TEST_MYSQL "Server=127.0.0.1;Port=$port;User ID=$MYSQL_USER_NAME;Password=$MYSQL_USER_PASSWORD"
    emit PREMIX_TEST_MYSQL_VERSION "$version"
}

# A GTID replica of the MariaDB server above, for the read-replica tests. The primary writes a binlog (server id 1);
# the replica (server id 2, read_only) starts empty and replays the primary's binlog from its start, which holds
# everything since the primary was initialised (the test user included), so no dump is needed. read_only does not stop
# the test user (it has SUPER): Premix's replica sessions are read-only themselves. Takes a few seconds.
start_mariadb_replica() {
    local client port pid primary_port started_at data="$BASE_DIR/mariadb-replica"
    started_at=$SECONDS
    client=$(mariadb_client)
    primary_port=$(state_get MY_PORT)
    rm -rf "$data"
    launch_mariadb "MariaDB replica" "$data" MY_REPLICA_ --skip-log-bin --server-id=2 --read-only=ON --skip-slave-start
    port=$LAUNCHED_PORT
    pid=$LAUNCHED_PID
    # An empty gtid_slave_pos replays the primary's binlog from its first event.
    "$client" --no-defaults --socket="$LAUNCHED_SOCKET" -uroot -e "
        CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=$primary_port, MASTER_USER='$MYSQL_USER_NAME',
            MASTER_PASSWORD='$MYSQL_USER_PASSWORD', MASTER_USE_GTID=slave_pos, MASTER_CONNECT_RETRY=1;
        START SLAVE;" \
        || die "starting replication on the MariaDB replica failed"
    # Ready once the test user, created on the primary, has arrived through replication.
    wait_until "MariaDB replica" "$pid" \
        "$client" --no-defaults --host=127.0.0.1 --port="$port" -u"$MYSQL_USER_NAME" -p"$MYSQL_USER_PASSWORD" -e 'select 1' --silent \
        || { show_log_tail "$data/server.log"; die "the MariaDB replica did not replicate the test user from port $primary_port"; }
    log "MariaDB replica ready on 127.0.0.1:$port in $((SECONDS - started_at)) s (replicating from port $primary_port by GTID)"
    emit PREMIX_TEST_MYSQL_REPLICA "Server=127.0.0.1;Port=$port;User ID=$MYSQL_USER_NAME;Password=$MYSQL_USER_PASSWORD"
}

# A MariaDB server of its own for the restart tests (Premix.Tests/Failover), which kill it (SIGKILL, as a crash) and start
# it again on the same port and data folder through its control script (PREMIX_TEST_MYSQL_RESTART_CONTROL), so the shared
# servers above never go away under other tests. InnoDB hands its log to the OS at every commit
# (innodb_flush_log_at_trx_commit=2, still without fsync): a killed server keeps every commit it acknowledged, where the
# others' setting (0) loses up to a second of them and would make "no commit lost" a test of the setting.
MARIADB_RESTART_OPTIONS=(--skip-log-bin --server-id=3 --innodb-flush-log-at-trx-commit=2)

start_mariadb_restartable() {
    local started_at control data="$BASE_DIR/mariadb-restart"
    started_at=$SECONDS
    rm -rf "$data"
    launch_mariadb "restartable MariaDB server" "$data" MY_RESTART_ "${MARIADB_RESTART_OPTIONS[@]}"
    create_mariadb_test_user "$LAUNCHED_SOCKET" || die "creating the test user on the restartable MariaDB server failed"
    control="$BASE_DIR/mariadb-restart-control.sh"
    printf '#!/usr/bin/env bash\nPREMIX_TEST_DATABASES_DIR=%q exec bash %q mariadb-restart "$@"\n' "$BASE_DIR" "$REPO_ROOT/build/test-databases.sh" >"$control"
    chmod +x "$control"
    log "restartable MariaDB server ready on 127.0.0.1:$LAUNCHED_PORT in $((SECONDS - started_at)) s"
    emit PREMIX_TEST_MYSQL_RESTART "Server=127.0.0.1;Port=$LAUNCHED_PORT;User ID=$MYSQL_USER_NAME;Password=$MYSQL_USER_PASSWORD"
    emit PREMIX_TEST_MYSQL_RESTART_CONTROL "$control"
}

# build/test-databases.sh mariadb-restart kill|start|status: kill (SIGKILL, waits until it is gone), start again on the same
# port and data (waits until it accepts connections), or tell whether it runs ("running <pid>" or "stopped").
mariadb_restart_command() {
    local action="${1:-}" data pid socket_dir
    data=$(state_get MY_RESTART_DATA)
    [ -n "$data" ] || die "no restartable MariaDB server was started (run '$0 start' first)"
    pid=$(mariadb_server_pid MY_RESTART_ "$data")
    case "$action" in
        kill)
            [ -n "$pid" ] || die "the restartable MariaDB server is not running"
            kill -KILL "$pid" 2>/dev/null || true
            wait_for_exit "$pid" 10 || die "the restartable MariaDB server (pid $pid) did not exit within 10 s of SIGKILL"
            ;;
        start)
            [ -z "$pid" ] || die "the restartable MariaDB server is running already (pid $pid)"
            socket_dir=$(state_get MY_RESTART_SOCKET_DIR)
            mkdir -p "$LOG_DIR"
            run_mariadbd "restartable MariaDB server" "$data" "${socket_dir:-$data}" "$(state_get MY_RESTART_PORT)" MY_RESTART_ "${MARIADB_RESTART_OPTIONS[@]}" \
                || { show_log_tail "$data/server.log"; die "the restartable MariaDB server did not start again within ${START_TIMEOUT}s"; }
            ;;
        status)
            if [ -n "$pid" ]; then echo "running $pid"; else echo stopped; fi
            ;;
        *) die "usage: $0 mariadb-restart kill|start|status" ;;
    esac
}

# The pid of the MariaDB server recorded under state prefix $1 with data folder $2, if it runs: its pid file (written once
# it started), else the pid `start` recorded (a run killed before the server wrote its pid file).
mariadb_server_pid() {
    local prefix="$1" data="$2" pid=""
    [ -f "$data/mysqld.pid" ] && pid=$(head -n 1 "$data/mysqld.pid")
    process_matches "$pid" "$data" || pid=$(state_get "${prefix}PID")
    process_matches "$pid" "$data" && echo "$pid"
    return 0
}

# Stops the MariaDB server recorded under state prefix $1 ($2 names it in the log; $3 is its data folder when the state
# records none), keeps its log as $LOG_DIR/$4, and deletes its data and socket folders.
stop_mariadb_server() {
    local prefix="$1" name="$2" data log_name="$4" pid socket_dir
    data=$(state_get "${prefix}DATA"); data="${data:-$3}"
    [ -n "$data" ] || return 0
    pid=$(mariadb_server_pid "$prefix" "$data")
    if [ -n "$pid" ]; then
        log "stopping the $name (pid $pid)"
        kill -TERM "$pid" 2>/dev/null || true
        wait_for_exit "$pid" 30 || { log "the $name did not stop in 30s; killing it"; kill -KILL "$pid" 2>/dev/null || true; wait_for_exit "$pid" 10 || true; }
    fi
    [ -f "$data/server.log" ] && cp "$data/server.log" "$LOG_DIR/$log_name" 2>/dev/null || true
    rm -rf "$data" "$data.tmp"
    socket_dir=$(state_get "${prefix}SOCKET_DIR")
    [ -n "$socket_dir" ] && rm -rf "$socket_dir"
    return 0
}

stop_mariadb() {
    stop_mariadb_server MY_RESTART_ "restartable MariaDB server" "" mariadb-restart.log
    rm -f "$BASE_DIR/mariadb-restart-control.sh"
    stop_mariadb_server MY_REPLICA_ "MariaDB replica" "" mariadb-replica.log
    stop_mariadb_server MY_ "MariaDB server" "$BASE_DIR/mariadb" mariadb.log
    rm -f "$BASE_DIR/mariadb.state" "$BASE_DIR/mariadb.env"
    return 0
}

# ---------------------------------------------------------------------------------------------------------
# A three-node MariaDB Galera cluster (multi-primary, virtually synchronous) on loopback. Node N listens on
# 127.0.0.N, so the three share one MySQL port and one connection string can name them all
# (Server=127.0.0.1,127.0.0.2,127.0.0.3, MySqlConnector's multi-host form); gcomm, IST and SST ports are shared
# the same way. Node 1 bootstraps the cluster (--wsrep-new-cluster); nodes 2 and 3 join it with an empty data
# folder and get their state from a donor by rsync SST. A node stopped (or killed) and started again catches up by
# IST from the gcache when it can. Its own state (GL_* in galera.state) and environment (galera.env).
GALERA_NODES=3
GALERA_CLUSTER_NAME=premix-test

find_galera_provider() {
    local candidate
    for candidate in /usr/lib/galera/libgalera_smm.so /usr/lib/libgalera_smm.so /usr/lib64/galera-4/libgalera_smm.so /usr/lib64/galera/libgalera_smm.so; do
        [ -f "$candidate" ] && { echo "$candidate"; return 0; }
    done
    return 1
}

galera_dir() { echo "$BASE_DIR/galera"; }
galera_node_dir() { echo "$(galera_dir)/node$1"; }
galera_address() { echo "127.0.0.$1"; }
galera_socket() { echo "$(state_get GL_SOCKET_DIR_$1)/mysqld.sock"; }
galera_sql() { local node="$1"; shift; "$(mariadb_client)" --no-defaults --socket="$(galera_socket "$node")" -uroot --batch --skip-column-names "$@"; }
galera_status() { galera_sql "$1" -e "SHOW GLOBAL STATUS LIKE '$2'" 2>/dev/null | awk '{ print $2 }'; }

# The node is a full member of a primary component of all three nodes and takes queries.
galera_node_synced() {
    [ "$(galera_status "$1" wsrep_ready)" = ON ] && [ "$(galera_status "$1" wsrep_local_state_comment)" = Synced ] \
        && [ "$(galera_status "$1" wsrep_cluster_size)" = "$GALERA_NODES" ]
}
galera_node_ready() { [ "$(galera_status "$1" wsrep_ready)" = ON ]; }

# After a crash (grastate.dat says seqno -1) the node's position is read back from InnoDB, as the packaged
# galera_recovery does, so that it can rejoin by IST instead of a full SST.
galera_recovered_position() {
    local node="$1" dir log position
    dir=$(galera_node_dir "$node")
    [ -f "$dir/grastate.dat" ] && grep -q '^seqno: *-1' "$dir/grastate.dat" || return 0
    log="$dir/recover.log"
    # Bounded: a recovery that hangs (a loaded machine, a damaged data folder) must not hang the test run.
    timeout 60 "$(find_mariadbd)" --no-defaults --datadir="$dir" --tmpdir="$(mariadb_tmpdir "$dir" "$(state_get GL_USER)")" --user="$(state_get GL_USER)" --wsrep-on=ON --wsrep-provider="$(state_get GL_PROVIDER)" \
        --wsrep-cluster-address="gcomm://127.0.0.1:$(state_get GL_GCOMM_PORT)" --binlog-format=ROW \
        --innodb-buffer-pool-size=32M --innodb-log-file-size=16M --skip-networking \
        --socket="$dir/recover.sock" --pid-file="$dir/recover.pid" --log-error="$log" --wsrep-recover >/dev/null 2>&1 || true
    # The server may write its next log line right after the position, without a line break.
    position=$(sed -n 's/.*WSREP: Recovered position: *//p' "$log" 2>/dev/null | tail -n 1 \
        | sed 's/[0-9]\{4\}-[0-9][0-9]-[0-9][0-9] .*//; s/^\([0-9a-f-]*:-\{0,1\}[0-9]*\).*/\1/')
    rm -f "$log"
    if [ -n "$position" ]; then echo "--wsrep-start-position=$position"; fi
}

# Starts node $1 in the background ("bootstrap" as $2 makes it start a new cluster) and waits until it is Synced.
galera_start_node() {
    local node="$1" bootstrap="${2:-}" dir address port gcomm ist sst peers pid start_position options=() user_option=()
    dir=$(galera_node_dir "$node")
    address=$(galera_address "$node")
    port=$(state_get GL_PORT); gcomm=$(state_get GL_GCOMM_PORT); ist=$(state_get GL_IST_PORT); sst=$(state_get GL_SST_PORT)
    peers="127.0.0.1:$gcomm,127.0.0.2:$gcomm,127.0.0.3:$gcomm"
    if is_root; then user_option=(--user="$(state_get GL_USER)"); fi
    [ "$bootstrap" = bootstrap ] && options+=(--wsrep-new-cluster)
    start_position=$(galera_recovered_position "$node")
    [ -n "$start_position" ] && options+=("$start_position")
    # Failure detection shorter than the defaults (a killed node is declared gone within ~10 s, so the survivors resume
    # writes soon) but long enough that a node stalled for seconds on a loaded 2-core machine is not evicted;
    # a small gcache (its file is preallocated) that still holds far more than a test writes while a node is away.
    setsid "$(find_mariadbd)" --no-defaults --datadir="$dir" --tmpdir="$(mariadb_tmpdir "$dir" "$(state_get GL_USER)")" "${user_option[@]}" --port="$port" --bind-address="$address" \
        --socket="$(galera_socket "$node")" --pid-file="$dir/mysqld.pid" --log-error="$dir/server.log" \
        --character-set-server=utf8mb4 --collation-server=utf8mb4_unicode_ci --skip-name-resolve \
        --skip-log-bin --max-connections=300 --innodb-buffer-pool-size=32M --innodb-log-file-size=16M \
        --innodb-flush-log-at-trx-commit=0 --innodb-doublewrite=0 --innodb-autoinc-lock-mode=2 --binlog-format=ROW \
        --wsrep-on=ON --wsrep-provider="$(state_get GL_PROVIDER)" --wsrep-cluster-name="$GALERA_CLUSTER_NAME" \
        --wsrep-cluster-address="gcomm://$peers" --wsrep-node-name="node$node" --wsrep-node-address="$address" \
        --wsrep-provider-options="gmcast.listen_addr=tcp://$address:$gcomm;ist.recv_addr=$address:$ist;gcache.size=32M;evs.keepalive_period=PT0.5S;evs.inactive_check_period=PT0.5S;evs.suspect_timeout=PT5S;evs.inactive_timeout=PT10S;evs.install_timeout=PT7S;gmcast.peer_timeout=PT3S" \
        --wsrep-sst-method=rsync --wsrep-sst-receive-address="$address:$sst" \
        "${options[@]}" </dev/null >/dev/null 2>&1 &
    pid=$!
    state_set "GL_PID_$node" "$pid"
}

galera_wait_node() {
    local node="$1" pid
    pid=$(state_get "GL_PID_$node")
    wait_until "Galera node $node" "$pid" galera_node_synced "$node" \
        || { show_log_tail "$(galera_node_dir "$node")/server.log"; return 1; }
}

# The node's mariadbd, if it runs: its pid file, else the pid `start` recorded.
galera_node_pid() {
    local node="$1" dir pid=""
    dir=$(galera_node_dir "$node")
    [ -f "$dir/mysqld.pid" ] && pid=$(head -n 1 "$dir/mysqld.pid")
    process_matches "$pid" "$dir" || pid=$(state_get "GL_PID_$node")
    process_matches "$pid" "$dir" && echo "$pid"
    return 0
}

# Stops node $1: TERM (a clean leave; it keeps its position and rejoins by IST), or KILL when $2 is "kill".
# Then ends what is left of the node's process group (started with setsid, so its first pid leads it): the
# state-transfer helpers a node starts (wsrep_sst_rsync, its rsync daemon) outlive a stopped or killed mariadbd.
galera_stop_node() {
    local node="$1" signal="${2:-TERM}" pid group
    pid=$(galera_node_pid "$node")
    group=$(state_get "GL_PID_$node")
    if [ -n "$pid" ]; then
        kill "-$signal" "$pid" 2>/dev/null || true
        wait_for_exit "$pid" 30 || { log "Galera node $node did not stop in 30s; killing it"; kill -KILL "$pid" 2>/dev/null || true; wait_for_exit "$pid" 10 || true; }
    fi
    # Only a group one of whose processes names this node's folder: a recycled pid is someone else's.
    if [ -n "$group" ] && pgrep -g "$group" -f -- "$(galera_node_dir "$node")" >/dev/null 2>&1; then
        kill -KILL -- "-$group" 2>/dev/null || true
    fi
    return 0
}

start_galera() {
    ensure_mariadb_installed
    local provider install_db dir node socket_dir version started_at control port user
    provider=$(find_galera_provider) \
        || die "the Galera provider libgalera_smm.so was not found (Debian package galera-4, which mariadb-server pulls in), or set PREMIX_TEST_GALERA to a cluster of your own"
    command -v rsync >/dev/null || die "rsync is not installed; the Galera nodes use it to copy their state (apt-get install rsync)"
    install_db=$(command -v mariadb-install-db 2>/dev/null || command -v mysql_install_db 2>/dev/null) \
        || die "mariadb-install-db not found (it ships with mariadb-server)"
    started_at=$SECONDS
    dir=$(galera_dir)
    mkdir -p "$dir"
    state_set GL_PROVIDER "$provider"
    # As root the nodes run as the package's 'mysql' user: the rsync daemon a joiner starts for its state transfer
    # would otherwise write as 'nobody', which cannot write into a data folder root owns.
    user=$(id -un)
    if is_root; then
        id mysql >/dev/null 2>&1 || die "the 'mysql' OS user (created by the mariadb-server package) is missing; the Galera nodes run as it"
        user=mysql
        as_pg mysql test -x "$dir" || die "user 'mysql' cannot reach $dir; move the checkout or set PREMIX_TEST_DATABASES_DIR"
    fi
    state_set GL_USER "$user"
    for node in $(seq 1 "$GALERA_NODES"); do
        mkdir -p "$(galera_node_dir "$node")"
        socket_dir=$(socket_dir_for "$(galera_node_dir "$node")")
        if is_root; then chown "$user" "$(galera_node_dir "$node")" "$socket_dir"; fi
        state_set "GL_SOCKET_DIR_$node" "$socket_dir"
    done
    # Four distinct ports, each free on every address: MySQL, gcomm, IST, SST.
    state_set GL_PORT "$(free_port)"
    for port in GL_GCOMM_PORT GL_IST_PORT GL_SST_PORT; do
        local candidate
        while :; do
            candidate=$(free_port)
            [ "$candidate" != "$(state_get GL_PORT)" ] && [ "$candidate" != "$(state_get GL_GCOMM_PORT)" ] && [ "$candidate" != "$(state_get GL_IST_PORT)" ] && break
        done
        state_set "$port" "$candidate"
    done

    log "mariadb-install-db into $(galera_node_dir 1)"
    "$install_db" --no-defaults --datadir="$(galera_node_dir 1)" --user="$user" --auth-root-authentication-method=normal \
        --skip-test-db --skip-name-resolve >"$LOG_DIR/galera-install-db.log" 2>&1 \
        || { show_log_tail "$LOG_DIR/galera-install-db.log"; die "mariadb-install-db failed for Galera node 1"; }
    log "starting Galera node 1 (bootstrap) on 127.0.0.1:$(state_get GL_PORT), gcomm port $(state_get GL_GCOMM_PORT)"
    galera_start_node 1 bootstrap
    wait_until "Galera node 1" "$(state_get GL_PID_1)" galera_node_ready 1 \
        || { show_log_tail "$(galera_node_dir 1)/server.log"; die "Galera node 1 did not bootstrap within ${START_TIMEOUT}s"; }
    # Created before the others join: they receive it with the rest of the state.
    galera_sql 1 -e "
        CREATE USER '$MYSQL_USER_NAME'@'%' IDENTIFIED BY '$MYSQL_USER_PASSWORD';
        GRANT ALL PRIVILEGES ON *.* TO '$MYSQL_USER_NAME'@'%' WITH GRANT OPTION;" \
        || die "creating the Galera test user failed"
    for node in $(seq 2 "$GALERA_NODES"); do
        log "starting Galera node $node on $(galera_address "$node"):$(state_get GL_PORT) (joins by SST)"
        galera_start_node "$node"
    done
    for node in $(seq 1 "$GALERA_NODES"); do
        galera_wait_node "$node" || die "Galera node $node did not join the cluster within ${START_TIMEOUT}s"
    done

    # The tests stop, kill and restart nodes through this (build/test-databases.sh galera-node start|stop|kill N).
    control="$dir/control.sh"
    printf '#!/usr/bin/env bash\nPREMIX_TEST_DATABASES_DIR=%q exec bash %q galera-node "$@"\n' "$BASE_DIR" "$REPO_ROOT/build/test-databases.sh" >"$control"
    chmod +x "$control"
    version=$(mariadb_version "$(find_mariadbd)")
    log "Galera cluster of $GALERA_NODES MariaDB $version nodes ready in $((SECONDS - started_at)) s on 127.0.0.1-$GALERA_NODES:$(state_get GL_PORT)"
    local strings=() user="User ID=$MYSQL_USER_NAME;Password=$MYSQL_USER_PASSWORD"
    for node in $(seq 1 "$GALERA_NODES"); do strings+=("Server=$(galera_address "$node");Port=$(state_get GL_PORT);$user"); done
    emit PREMIX_TEST_GALERA "$(IFS='|'; echo "${strings[*]}")"
    emit PREMIX_TEST_GALERA_CONTROL "$control"
}

stop_galera() {
    local dir node socket_dir
    dir=$(galera_dir)
    for node in $(seq 1 "$GALERA_NODES"); do
        if [ -n "$(galera_node_pid "$node")" ]; then log "stopping Galera node $node"; fi
        galera_stop_node "$node"
        [ -f "$(galera_node_dir "$node")/server.log" ] && cp "$(galera_node_dir "$node")/server.log" "$LOG_DIR/galera-node$node.log" 2>/dev/null || true
        socket_dir=$(state_get "GL_SOCKET_DIR_$node")
        [ -n "$socket_dir" ] && [ "$socket_dir" != "$(galera_node_dir "$node")" ] && rm -rf "$socket_dir"
    done
    rm -rf "$dir"
    rm -f "$BASE_DIR/galera.state" "$BASE_DIR/galera.env"
    return 0
}

# build/test-databases.sh galera-node start|stop|kill N: for tests that take a node away and bring it back.
galera_node_command() {
    local action="${1:-}" node="${2:-}"
    [[ "$node" =~ ^[1-9]$ ]] && [ "$node" -le "$GALERA_NODES" ] || die "usage: $0 galera-node start|stop|kill <1-$GALERA_NODES>"
    [ -f "$BASE_DIR/galera.state" ] || die "no Galera cluster is running (run '$0 start' first)"
    mkdir -p "$LOG_DIR"
    case "$action" in
        stop) galera_stop_node "$node" TERM ;;
        kill) galera_stop_node "$node" KILL ;;
        start)
            [ -z "$(galera_node_pid "$node")" ] || die "Galera node $node is running already"
            galera_start_node "$node"
            galera_wait_node "$node" || die "Galera node $node did not rejoin within ${START_TIMEOUT}s"
            ;;
        *) die "usage: $0 galera-node start|stop|kill <1-$GALERA_NODES>" ;;
    esac
}

# ---------------------------------------------------------------------------------------------------------
# Runs "$@" until it succeeds, at most START_TIMEOUT seconds; $1 names the server, $2 is its pid or "-"
# (a server that died stops the wait at once).
wait_until() {
    local name="$1" pid="$2" deadline
    shift 2
    deadline=$((SECONDS + START_TIMEOUT))
    while [ "$SECONDS" -lt "$deadline" ]; do
        if "$@" >/dev/null 2>&1; then return 0; fi
        if [ "$pid" != "-" ] && [ ! -d "/proc/$pid" ]; then
            log "$name exited during startup"
            return 1
        fi
        sleep 0.2
    done
    log "$name did not accept connections within ${START_TIMEOUT}s"
    return 1
}

stop_engines() {
    mkdir -p "$LOG_DIR"
    local engine engines=("$@")
    [ ${#engines[@]} -gt 0 ] || engines=(postgres mariadb galera failover failover-mariadb)
    for engine in "${engines[@]}"; do
        case "$engine" in
            postgres) stop_postgres ;;
            mariadb) stop_mariadb ;;
            galera) stop_galera ;;
            failover) stop_failover ;;
            failover-mariadb) stop_mariadb_failover ;;
            *) die "unknown engine '$engine' (postgres, mariadb, galera, failover or failover-mariadb)" ;;
        esac
    done
    return 0
}

start_all() {
    mkdir -p "$LOG_DIR"
    local started=()
    # If anything below fails, do not leave a half-started set of servers behind.
    trap 'status=$?; if [ $status -ne 0 ] && [ ${#started[@]} -gt 0 ]; then log "start failed; stopping what was started"; stop_engines "${started[@]}"; fi' EXIT
    if [ -n "${PREMIX_TEST_POSTGRES:-}" ]; then
        log "PREMIX_TEST_POSTGRES is set: using that PostgreSQL server, starting none"
    else
        # A previous run that was killed may have left a server or data behind: clean up first.
        stop_postgres
        started+=(postgres)
        start_postgres
        start_pgbouncer
        start_postgres_replica
    fi
    if [ -n "${PREMIX_TEST_MYSQL:-}" ]; then
        log "PREMIX_TEST_MYSQL is set: using that MariaDB/MySQL server, starting none"
    else
        stop_mariadb
        started+=(mariadb)
        start_mariadb
        start_mariadb_replica
        start_mariadb_restartable
    fi
    if [ -n "${PREMIX_TEST_GALERA:-}" ]; then
        log "PREMIX_TEST_GALERA is set: using that Galera cluster, starting none"
    else
        stop_galera
        started+=(galera)
        start_galera
    fi
    if [ -n "${PREMIX_TEST_FAILOVER:-}" ]; then
        log "PREMIX_TEST_FAILOVER is set: using that failover pair, starting none"
    else
        stop_failover
        started+=(failover)
        start_failover
    fi
    if [ -n "${PREMIX_TEST_FAILOVER_MYSQL:-}" ]; then
        log "PREMIX_TEST_FAILOVER_MYSQL is set: using that MariaDB failover pair, starting none"
    elif ! installable find_mariadbd; then
        log "MariaDB is not installed (and cannot be, not root with apt-get): no MariaDB failover pair; its tests fail until PREMIX_TEST_FAILOVER_MYSQL is set"
    else
        stop_mariadb_failover
        started+=(failover-mariadb)
        start_mariadb_failover
    fi
    trap - EXIT
}

print_env() {
    local file key value found=0
    for file in "$BASE_DIR/postgres.env" "$BASE_DIR/mariadb.env" "$BASE_DIR/galera.env" "$BASE_DIR/failover.env" "$BASE_DIR/failover-mariadb.env"; do
        [ -f "$file" ] || continue
        found=1
        while IFS='=' read -r key value; do
            [ -n "$key" ] && printf "export %s='%s'\n" "$key" "$value"
        done <"$file"
    done
    [ "$found" -eq 1 ] || die "no test databases are running (run '$0 start' first)"
}

# The failover pairs (their functions use the helpers above).
# shellcheck source=build/test-databases-failover.sh
. "$REPO_ROOT/build/test-databases-failover.sh"
# shellcheck source=build/test-databases-mariadb-failover.sh
. "$REPO_ROOT/build/test-databases-mariadb-failover.sh"

command="${1:-}"
[ $# -gt 0 ] && shift
case "$command" in
    start) start_all ;;
    stop) stop_engines "$@" ;;
    env) print_env ;;
    galera-node) galera_node_command "$@" ;;
    mariadb-restart) mariadb_restart_command "$@" ;;
    failover) failover_command "$@" ;;
    mariadb-failover) mariadb_failover_command "$@" ;;
    *) echo "usage: $0 start | env | stop [postgres] [mariadb] [galera] [failover] [failover-mariadb] | galera-node start|stop|kill N | mariadb-restart kill|start|status | failover reset|kill-primary|promote|status|repoint-pooler | mariadb-failover reset|kill-primary|promote|status" >&2; exit 2 ;;
esac
