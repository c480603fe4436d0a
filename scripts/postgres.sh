#!/usr/bin/env bash
# A throw-away PostgreSQL 15 cluster for the tests:
#   scripts/postgres.sh start DIR PORT   initialise a cluster in DIR, start it on 127.0.0.1:PORT
#                                        and print its URL (postgresql://needsmap@127.0.0.1:PORT/postgres)
#   scripts/postgres.sh stop DIR         stop it and remove DIR
#   scripts/postgres.sh free-port        print a TCP port on 127.0.0.1 that nothing answers on
#                                        (for the cluster, or an nginx in front of test servers)
# DIR holds the data directory (DIR/data), the server's log (DIR/log) and its unix socket, so
# nothing of it lives outside DIR. Put DIR under /tmp when running as root: the server then runs
# as the `postgres` system user, which must be able to reach DIR.
set -euo pipefail

bin=${NEEDSMAP_POSTGRES_BIN:-/usr/lib/postgresql/15/bin}
# Written at start and required by stop, so that `stop` never removes a directory it did not make.
marker=.needsmap-postgres

usage() {
  echo "usage: $0 start DIR PORT | stop DIR | free-port" >&2
  exit 2
}

# A random port in 20000-60000 (never 5432) that nothing answers a connection on: free for the
# moment it takes to start what is to listen on it.
free_port() {
  local port
  for _ in $(seq 100); do
    port=$(shuf -i 20000-60000 -n 1)
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return 0
    fi
  done
  echo "no free port found" >&2
  return 1
}

# initdb refuses to run as root, so as root the cluster belongs to Debian's `postgres` user.
if [ "$(id -u)" -eq 0 ]; then
  as_owner=(runuser -u postgres --)
else
  as_owner=()
fi

start() {
  local dir=$1 port=$2
  if ! [[ $port =~ ^[0-9]+$ ]] || ((port <= 1024 || port >= 65536)); then
    echo "bad port: $port" >&2
    exit 2
  fi
  # 5432 belongs to the cluster Debian's package may have created and started; never touch it.
  ((port != 5432)) || { echo "port 5432 is left to the system's cluster; pick another" >&2; exit 2; }
  [ -x "$bin/initdb" ] || { echo "no $bin/initdb: install postgresql-15" >&2; exit 1; }

  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd -P)
  if [ -n "$(ls -A "$dir")" ]; then
    echo "$dir is not empty" >&2
    exit 1
  fi
  touch "$dir/$marker"
  if ((${#as_owner[@]})); then
    chown postgres: "$dir"
    chmod 700 "$dir"
    # The server runs as postgres: every parent of DIR must let it through.
    if ! "${as_owner[@]}" test -w "$dir" -a -x "$dir"; then
      echo "the postgres user cannot reach $dir (put it under /tmp)" >&2
      exit 1
    fi
  fi
  # The postgres user may not be allowed into the caller's working directory.
  cd "$dir"

  "${as_owner[@]}" "$bin/initdb" --pgdata="$dir/data" --auth=trust --username=needsmap -E UTF8 \
    --locale=C.UTF-8 --no-instructions >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; exit 1; }
  # Settings go into the configuration file rather than onto pg_ctl's command line, which goes
  # through a shell and would split a DIR with spaces. fsync stays on: tests of durability (the
  # crash test) must see what a real deployment sees.
  "${as_owner[@]}" tee -a "$dir/data/postgresql.conf" >/dev/null <<EOF

# scripts/postgres.sh: a throw-away cluster for tests, reachable from this machine only.
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$dir'
fsync = on
# The log goes to DIR/log (pg_ctl --log), where a failed start can be read.
logging_collector = off
# Room for several servers' connection pools at once, and the tests' own psql sessions.
max_connections = 200
EOF

  if ! "${as_owner[@]}" "$bin/pg_ctl" start --pgdata="$dir/data" --log="$dir/log" --wait --timeout=60 \
       >/dev/null; then
    echo "PostgreSQL did not start; its log:" >&2
    cat "$dir/log" >&2 || true
    exit 1
  fi
  # pg_ctl --wait already waits; pg_isready confirms that the TCP address answers, not just the socket.
  for ((i = 0; i < 120; ++i)); do
    if "$bin/pg_isready" --quiet --host=127.0.0.1 --port="$port" --dbname=postgres --username=needsmap; then
      echo "postgresql://needsmap@127.0.0.1:$port/postgres"
      return 0
    fi
    sleep 0.5
  done
  echo "PostgreSQL does not accept connections on 127.0.0.1:$port; its log:" >&2
  cat "$dir/log" >&2 || true
  exit 1
}

stop() {
  local dir=$1
  [ -d "$dir" ] || return 0
  dir=$(cd "$dir" && pwd -P)
  # A start that failed before it wrote anything leaves the caller's empty directory.
  if [ -z "$(ls -A "$dir")" ]; then
    rmdir "$dir"
    return 0
  fi
  if [ ! -e "$dir/$marker" ]; then
    echo "$dir was not made by $0 start; leaving it alone" >&2
    exit 1
  fi
  cd "$dir"
  if [ -e "$dir/data/postmaster.pid" ]; then
    # fast: roll back open sessions and shut down cleanly; immediate if that does not finish.
    "${as_owner[@]}" "$bin/pg_ctl" stop --pgdata="$dir/data" --mode=fast --wait --timeout=30 >/dev/null \
      || "${as_owner[@]}" "$bin/pg_ctl" stop --pgdata="$dir/data" --mode=immediate --wait --timeout=30 >/dev/null \
      || true
  fi
  cd /
  rm -rf -- "$dir"
}

case "${1:-}" in
  start) (($# == 3)) || usage; start "$2" "$3" ;;
  stop) (($# == 2)) || usage; stop "$2" ;;
  free-port) (($# == 1)) || usage; free_port ;;
  *) usage ;;
esac
