#!/usr/bin/env bash
# The local stack on loopback, without Docker: PostgreSQL + pgvector on 5432, Redis on 6379 and a
# single-node KRaft Kafka broker on 9092. A PostgreSQL or Redis already running is reused and left
# alone; what this script starts it records under .ragline/run so that `stop` stops only that.
#
#   stack.sh up | down | status | reset-test-db | ensure-db NAME | ensure-nginx
#
# Idempotent: `up` on a running stack checks each part and changes nothing.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
state="${RAGLINE_STATE_DIR:-$root/.ragline}"
run_dir="$state/run"
log_dir="$state/logs"
kafka_dir="$state/kafka"
mkdir -p "$run_dir" "$log_dir"

PG_HOST=127.0.0.1
PG_PORT="${RAGLINE_PG_PORT:-5432}"
REDIS_PORT="${RAGLINE_REDIS_PORT:-6379}"
KAFKA_PORT=9092
KAFKA_VERSION=4.4.0
DB_PASSWORD="${RAGLINE_DB_PASSWORD:-ragline}"
DB_OWNER_PASSWORD="${RAGLINE_DB_OWNER_PASSWORD:-ragline}"
TEST_DB="${RAGLINE_TEST_DB:-ragline_test}"
DATABASES=(ragline "$TEST_DB")

say() { printf '  %-10s %s\n' "$1" "$2"; }
die() {
  echo "error: $*" >&2
  exit 1
}
[[ "$TEST_DB" =~ ^[a-z_][a-z0-9_]*$ ]] || die "RAGLINE_TEST_DB is not a database name: $TEST_DB"

as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    die "need root to run: $*"
  fi
}

apt_install() {
  if [ ! -f "$run_dir/apt-updated" ]; then
    as_root apt-get update -qq
    touch "$run_dir/apt-updated"
  fi
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_for() {
  local what="$1" seconds="$2"
  shift 2
  for _ in $(seq 1 $((seconds * 5))); do
    if "$@"; then return 0; fi
    sleep 0.2
  done
  die "$what did not become ready within ${seconds}s (logs: $log_dir)"
}

pid_alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

# ---------------------------------------------------------------- PostgreSQL
pg_ready() { pg_isready -q -h "$PG_HOST" -p "$PG_PORT" 2>/dev/null; }

# Superuser access for setup: over TCP where trust or a password allows it, else through the socket
# as the postgres OS user (Debian's default peer authentication).
pg_super() {
  export PGOPTIONS="-c client_min_messages=warning"
  if psql -X -q -h "$PG_HOST" -p "$PG_PORT" -U postgres -d postgres -tAc 'select 1' >/dev/null 2>&1; then
    psql -X -q -v ON_ERROR_STOP=1 -h "$PG_HOST" -p "$PG_PORT" -U postgres "$@"
  else
    as_root runuser -u postgres -- psql -X -q -v ON_ERROR_STOP=1 -p "$PG_PORT" "$@"
  fi
}

pg_major() {
  local cluster
  cluster=$(pg_lsclusters -h 2>/dev/null | awk -v p="$PG_PORT" '$3 == p { print $1; exit }')
  [ -n "$cluster" ] || cluster=$(ls /usr/lib/postgresql 2>/dev/null | sort -n | tail -n 1)
  echo "$cluster"
}

postgres_up() {
  if ! command -v pg_lsclusters >/dev/null 2>&1 || [ -z "$(pg_major)" ]; then
    say postgres "installing from Debian"
    apt_install postgresql postgresql-client
  fi
  if pg_ready; then
    say postgres "reusing the server on $PG_HOST:$PG_PORT"
  else
    local major
    major=$(pg_major)
    [ -n "$(pg_lsclusters -h | awk -v v="$major" '$1 == v && $2 == "main"')" ] || as_root pg_createcluster "$major" main >/dev/null
    as_root pg_ctlcluster --skip-systemctl-redirect "$major" main start
    echo "$major" >"$run_dir/postgres.started"
    wait_for postgres 30 pg_ready
    say postgres "started cluster $major/main"
  fi

  local major
  major=$(pg_major)
  if [ ! -f "/usr/share/postgresql/$major/extension/vector.control" ]; then
    say pgvector "building for PostgreSQL $major"
    as_root "$here/install-pgvector.sh" "$major"
  fi

  for db in "${DATABASES[@]}"; do
    if [ -z "$(pg_super -d postgres -tAc "select 1 from pg_database where datname = '$db'")" ]; then
      pg_super -d postgres -c "create database $db"
    fi
    pg_super -d "$db" -v owner_password="$DB_OWNER_PASSWORD" -v runtime_password="$DB_PASSWORD" \
      -f "$here/bootstrap.sql" >/dev/null
  done
  say postgres "databases ${DATABASES[*]} ready, pgvector $(pg_super -d ragline -tAc "select extversion from pg_extension where extname = 'vector'")"
}

# Tests start from an empty test database (ragline_test, or RAGLINE_TEST_DB so that two checkouts can
# run their suites side by side): no rows or migrations left by an earlier run or another branch.
reset_test_database() {
  pg_super -d postgres -c "DROP DATABASE IF EXISTS $TEST_DB WITH (FORCE)"
  pg_super -d postgres -c "CREATE DATABASE $TEST_DB"
  pg_super -d "$TEST_DB" -v owner_password="$DB_OWNER_PASSWORD" -v runtime_password="$DB_PASSWORD" \
    -f "$here/bootstrap.sql" >/dev/null
  say postgres "fresh test database $TEST_DB"
}

# A database of its own for a tool (the benchmark's ragline_bench), bootstrapped like ragline and
# ragline_test but never dropped here: its data is meant to outlive test runs.
ensure_database() {
  local db="$1"
  [[ "$db" =~ ^[a-z_][a-z0-9_]*$ ]] || die "not a database name: $db"
  pg_ready || die "PostgreSQL is not running on $PG_HOST:$PG_PORT (stack.sh up)"
  if [ -z "$(pg_super -d postgres -tAc "select 1 from pg_database where datname = '$db'")" ]; then
    pg_super -d postgres -c "create database $db"
  fi
  pg_super -d "$db" -v owner_password="$DB_OWNER_PASSWORD" -v runtime_password="$DB_PASSWORD" \
    -f "$here/bootstrap.sql" >/dev/null
  say postgres "database $db ready"
}

postgres_down() {
  if [ -f "$run_dir/postgres.started" ]; then
    as_root pg_ctlcluster --skip-systemctl-redirect "$(cat "$run_dir/postgres.started")" main stop || true
    rm -f "$run_dir/postgres.started"
    say postgres stopped
  fi
}

# ---------------------------------------------------------------- Redis
redis_ready() { [ "$(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null)" = PONG ]; }

redis_up() {
  command -v redis-server >/dev/null 2>&1 || {
    say redis "installing from Debian"
    apt_install redis-server redis-tools
  }
  if redis_ready; then
    say redis "reusing the server on 127.0.0.1:$REDIS_PORT"
    return
  fi
  mkdir -p "$state/redis"
  redis-server --daemonize yes --bind 127.0.0.1 --port "$REDIS_PORT" --dir "$state/redis" \
    --logfile "$log_dir/redis.log" --pidfile "$run_dir/redis.pid" --save "" --appendonly no
  wait_for redis 15 redis_ready
  say redis "started on 127.0.0.1:$REDIS_PORT"
}

redis_down() {
  if pid_alive "$run_dir/redis.pid"; then
    redis-cli -h 127.0.0.1 -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || kill "$(cat "$run_dir/redis.pid")"
    say redis stopped
  fi
  rm -f "$run_dir/redis.pid"
}

# ---------------------------------------------------------------- Kafka
kafka_libs() {
  if [ "$(cat "$kafka_dir/libs/.version" 2>/dev/null)" != "$KAFKA_VERSION" ]; then
    say kafka "fetching broker $KAFKA_VERSION jars from Maven Central"
    rm -rf "$kafka_dir/libs"
    "$root/mvnw" -B -q -f "$here/kafka/pom.xml" dependency:copy-dependencies \
      -Dkafka.version="$KAFKA_VERSION" -DincludeScope=runtime -DoutputDirectory="$kafka_dir/libs" >/dev/null
    echo "$KAFKA_VERSION" >"$kafka_dir/libs/.version"
  fi
}

kafka_ready() { port_open "$KAFKA_PORT" && grep -q 'Kafka Server started' "$log_dir/kafka/server.log" 2>/dev/null; }

kafka_up() {
  # The jars are needed even when a broker already runs: tests start brokers of their own from them.
  kafka_libs
  if pid_alive "$run_dir/kafka.pid"; then
    say kafka "running (pid $(cat "$run_dir/kafka.pid")) on 127.0.0.1:$KAFKA_PORT"
    return
  fi
  if port_open "$KAFKA_PORT"; then
    say kafka "reusing the broker on 127.0.0.1:$KAFKA_PORT"
    return
  fi
  mkdir -p "$kafka_dir/data" "$log_dir/kafka"
  local config="$kafka_dir/server.properties"
  { cat "$here/kafka/server.properties"; echo "log.dirs=$kafka_dir/data"; } >"$config"
  local java_cmd=(java -Xms256m -Xmx768m -XX:+UseG1GC -Dkafka.logs.dir="$log_dir/kafka"
    -Dlog4j2.configurationFile="$here/kafka/log4j2.properties" -cp "$kafka_dir/libs/*")
  if [ ! -f "$kafka_dir/data/meta.properties" ]; then
    local cluster_id
    cluster_id=$("${java_cmd[@]}" kafka.tools.StorageTool random-uuid)
    "${java_cmd[@]}" kafka.tools.StorageTool format -t "$cluster_id" -c "$config" >/dev/null
  fi
  : >"$log_dir/kafka/server.log"
  nohup "${java_cmd[@]}" kafka.Kafka "$config" >"$log_dir/kafka/stdout.log" 2>&1 &
  echo $! >"$run_dir/kafka.pid"
  wait_for kafka 60 kafka_ready
  say kafka "started broker $KAFKA_VERSION on 127.0.0.1:$KAFKA_PORT"
}

stop_pid() {
  local name="$1" pid_file="$2"
  if pid_alive "$pid_file"; then
    local pid
    pid=$(cat "$pid_file")
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 150); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.2
    done
    kill -9 "$pid" 2>/dev/null || true
    say "$name" stopped
  fi
  rm -f "$pid_file"
}

kafka_down() { stop_pid kafka "$run_dir/kafka.pid"; }

# ---------------------------------------------------------------- nginx
# The front door (deploy/local/nginx.conf.template). Only installed here: `./ragline up` and the
# deploy/e2e tests run their own nginx as a plain process, never Debian's system service.
nginx_installed() {
  if [ ! -x /usr/sbin/nginx ] && ! command -v nginx >/dev/null 2>&1; then
    say nginx "installing from Debian"
    apt_install nginx
  fi
}

# The browser ITs (deploy/e2e .../browser) drive Debian's Chromium through chromium-driver.
browser_installed() {
  if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1; then
    say chromium "installing chromium and chromium-driver from Debian"
    apt_install chromium chromium-driver
  fi
}

# deploy/checks renders deploy/kubernetes with `kubectl kustomize`; any kubectl 1.20+ will do.
kubectl_installed() {
  if ! command -v kubectl >/dev/null 2>&1; then
    say kubectl "installing kubernetes-client from Debian"
    apt_install kubernetes-client
  fi
}

status() {
  if pg_ready; then say postgres "up on $PG_HOST:$PG_PORT$([ -f "$run_dir/postgres.started" ] && echo ' (started by ragline)')"; else say postgres down; fi
  if redis_ready; then say redis "up on 127.0.0.1:$REDIS_PORT$(pid_alive "$run_dir/redis.pid" && echo ' (started by ragline)')"; else say redis down; fi
  if port_open "$KAFKA_PORT"; then say kafka "up on 127.0.0.1:$KAFKA_PORT$(pid_alive "$run_dir/kafka.pid" && echo ' (started by ragline)')"; else say kafka down; fi
}

case "${1:-}" in
  up)
    command -v java >/dev/null 2>&1 || die "java not on PATH"
    # The scripts' own tools: curl for health checks, jq for the demo data.
    command -v curl >/dev/null 2>&1 && command -v jq >/dev/null 2>&1 || apt_install curl jq
    postgres_up
    redis_up
    kafka_up
    nginx_installed
    ;;
  down)
    kafka_down
    redis_down
    postgres_down
    ;;
  status) status ;;
  reset-test-db) reset_test_database ;;
  ensure-db) ensure_database "${2:?usage: stack.sh ensure-db NAME}" ;;
  ensure-nginx) nginx_installed ;;
  ensure-browser) browser_installed ;;
  ensure-kubectl) kubectl_installed ;;
  *) die "usage: stack.sh up|down|status|reset-test-db|ensure-db NAME|ensure-nginx|ensure-browser|ensure-kubectl" ;;
esac
