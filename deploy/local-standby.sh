#!/usr/bin/env bash
# A local streaming standby of the development PostgreSQL, so that Lindung's read-replica routing
# (DATABASE_REPLICA_URL, docs/scale.md) can be tried for real on one machine.
#
#   deploy/local-standby.sh start    pg_basebackup of the primary (127.0.0.1:5432) into a second
#                                    cluster that streams from it on port 5433, read-only
#   deploy/local-standby.sh status   is it in recovery, how far behind (bytes and seconds)
#   deploy/local-standby.sh stop     stop it (its data stays; `start` resumes streaming)
#   deploy/local-standby.sh remove   stop it and delete its data
#
# Then, for example:
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/lindung \
#   DATABASE_REPLICA_URL=postgres://postgres@127.0.0.1:5433/lindung .venv/bin/lindung runserver
#
# For a development machine only: it lets replication connections from 127.0.0.1 in without a
# password (a line added to the primary's pg_hba.conf, then a reload). Settings by environment:
# PRIMARY_PORT (5432), STANDBY_PORT (5433), STANDBY_DATA (/var/lib/postgresql/lindung-standby).
set -euo pipefail

PRIMARY_PORT=${PRIMARY_PORT:-5432}
STANDBY_PORT=${STANDBY_PORT:-5433}
STANDBY_DATA=${STANDBY_DATA:-/var/lib/postgresql/lindung-standby}
PG_BIN=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}

if [ -z "$PG_BIN" ] || [ ! -x "$PG_BIN/pg_ctl" ]; then
  echo "PostgreSQL's programs were not found (set PG_BIN, e.g. /usr/lib/postgresql/15/bin)." >&2
  exit 2
fi

as_postgres() {
  if [ "$(id -un)" = "postgres" ]; then "$@";
  elif [ "$(id -u)" = "0" ]; then runuser -u postgres -- "$@";
  else sudo -u postgres -- "$@"; fi
}

primary_sql() { as_postgres psql -h 127.0.0.1 -p "$PRIMARY_PORT" -U postgres -d postgres -Atc "$1"; }
standby_sql() { as_postgres psql -h 127.0.0.1 -p "$STANDBY_PORT" -U postgres -d postgres -Atc "$1"; }

allow_replication() {
  local hba
  hba=$(primary_sql "SHOW hba_file")
  if ! grep -Eq '^\s*host\s+replication\s+all\s+127\.0\.0\.1/32' "$hba"; then
    echo "Allowing replication connections from 127.0.0.1 in $hba (development only)."
    echo "host replication all 127.0.0.1/32 trust  # added by lindung deploy/local-standby.sh" >>"$hba"
    primary_sql "SELECT pg_reload_conf()" >/dev/null
  fi
  local level senders
  level=$(primary_sql "SHOW wal_level")
  senders=$(primary_sql "SHOW max_wal_senders")
  if [ "$level" = "minimal" ] || [ "$senders" = "0" ]; then
    echo "The primary cannot stream: wal_level=$level, max_wal_senders=$senders (set replica and 10, restart)." >&2
    exit 1
  fi
}

write_config() {
  # Debian keeps the primary's configuration outside its data directory: the copy needs its own.
  as_postgres tee "$STANDBY_DATA/postgresql.conf" >/dev/null <<CONF
port = $STANDBY_PORT
listen_addresses = '127.0.0.1'
unix_socket_directories = '/var/run/postgresql'
hot_standby = on
hot_standby_feedback = on
max_connections = 100
shared_buffers = 256MB
CONF
  as_postgres tee "$STANDBY_DATA/pg_hba.conf" >/dev/null <<HBA
local all all trust
host all all 127.0.0.1/32 trust
HBA
}

start() {
  if [ ! -f "$STANDBY_DATA/standby.signal" ]; then
    allow_replication
    echo "Copying the primary (127.0.0.1:$PRIMARY_PORT) into $STANDBY_DATA ..."
    as_postgres mkdir -p "$STANDBY_DATA"
    as_postgres chmod 700 "$STANDBY_DATA"
    # -R writes standby.signal and primary_conninfo; -X stream copies the WAL written meanwhile.
    as_postgres "$PG_BIN/pg_basebackup" -h 127.0.0.1 -p "$PRIMARY_PORT" -U postgres -D "$STANDBY_DATA" \
      -X stream -R -c fast --progress
    write_config
  fi
  if as_postgres "$PG_BIN/pg_ctl" -D "$STANDBY_DATA" status >/dev/null 2>&1; then
    echo "The standby is already running on port $STANDBY_PORT."
  else
    as_postgres "$PG_BIN/pg_ctl" -D "$STANDBY_DATA" -l "$STANDBY_DATA/standby.log" -w start >/dev/null
    echo "Standby streaming on 127.0.0.1:$STANDBY_PORT."
  fi
  status
}

status() {
  if ! as_postgres "$PG_BIN/pg_ctl" -D "$STANDBY_DATA" status >/dev/null 2>&1; then
    echo "No standby running (data: $STANDBY_DATA)."
    return 1
  fi
  echo "In recovery (read-only): $(standby_sql 'SELECT pg_is_in_recovery()')"
  echo "Replay delay: $(standby_sql "SELECT COALESCE(now() - pg_last_xact_replay_timestamp(), '0'::interval)")"
  echo "Bytes behind: $(primary_sql "SELECT COALESCE(MAX(pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn)), 0) FROM pg_stat_replication")"
}

stop() {
  if as_postgres "$PG_BIN/pg_ctl" -D "$STANDBY_DATA" status >/dev/null 2>&1; then
    as_postgres "$PG_BIN/pg_ctl" -D "$STANDBY_DATA" -m fast -w stop >/dev/null
    echo "Standby stopped."
  fi
}

case "${1:-}" in
  start) start ;;
  status) status ;;
  stop) stop ;;
  remove) stop; as_postgres rm -rf "$STANDBY_DATA"; echo "Standby data removed." ;;
  *) echo "usage: $0 start|status|stop|remove" >&2; exit 2 ;;
esac
