#!/usr/bin/env bash
# bench: fault drills: SIGKILL api/worker, PostgreSQL restart, Redis down 10 s, Kafka frozen 10 s, under order load
# Fault drills (issue 15, item 6). Each drill runs orders at --rate for --seconds through api-service while a staff
# SSE client follows the order stream; --fault-at seconds in, one fault is injected:
#
#   baseline          no fault (the run's control row)
#   api-kill          SIGKILL api-service mid-order, restarted at once on the same port
#   worker-kill       SIGKILL worker-service mid-batch (its outbox relay), restarted at once
#   postgres-restart  pg_ctl restart -m fast of the drill's PostgreSQL
#   redis-down        the drill's Redis shut down for 10 s, then started again (empty)
#   kafka-freeze      the drill's Kafka broker SIGSTOPped for 10 s, then SIGCONTed
#
# and FaultDrills.java prints one row: fault | orders accepted | lost | duplicated | stream gaps | client errors | max
# client wait (its header says how each is counted). The clients retry every order with its Idempotency-Key and
# resume the stream with Last-Event-ID, as the web client does.
#
#   deploy/load/fault-drills.sh [--rate=20] [--seconds=30] [--fault-at=8] [--drills=baseline,api-kill,...]
#
# Other sessions test against the shared PostgreSQL 5432, Redis 6379 and Kafka 9092, so the drills never touch them:
# this script starts infrastructure of its own on loopback, in a temporary directory it removes afterwards
# (RAGLINE_DRILL_KEEP=1 keeps it, with every log): a PostgreSQL cluster (initdb as the postgres user, pgvector from
# the installed extension) on RAGLINE_DRILL_PG_PORT (5433), redis-server on RAGLINE_DRILL_REDIS_PORT (6380), a KRaft
# Kafka broker from deploy/local/kafka on RAGLINE_DRILL_KAFKA_PORT (9192, controller +1), and api-service and
# worker-service jars on RAGLINE_DRILL_API_PORT / RAGLINE_DRILL_WORKER_PORT (18200 / 18202), pointed at them through
# RAGLINE_DB_URL, RAGLINE_REDIS_URL and KAFKA_BOOTSTRAP_SERVERS. Needs root (PostgreSQL runs as postgres).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
cd "$root"

rate=20
seconds=30
fault_at=8
drills=baseline,api-kill,worker-kill,postgres-restart,redis-down,kafka-freeze
for arg in "$@"; do
  case "$arg" in
    --rate=*) rate=${arg#--rate=} ;;
    --seconds=*) seconds=${arg#--seconds=} ;;
    --fault-at=*) fault_at=${arg#--fault-at=} ;;
    --drills=*) drills=${arg#--drills=} ;;
    *) echo "usage: $0 [--rate=20] [--seconds=30] [--fault-at=8] [--drills=baseline,api-kill,worker-kill,postgres-restart,redis-down,kafka-freeze]" >&2; exit 2 ;;
  esac
done
pg_port="${RAGLINE_DRILL_PG_PORT:-5433}"
redis_port="${RAGLINE_DRILL_REDIS_PORT:-6380}"
kafka_port="${RAGLINE_DRILL_KAFKA_PORT:-9192}"
api_port="${RAGLINE_DRILL_API_PORT:-18200}"
worker_port="${RAGLINE_DRILL_WORKER_PORT:-18202}"
database=ragline_drill

die() {
  echo "error: $*" >&2
  exit 1
}
[ "$(id -u)" -eq 0 ] || die "run as root: the drill's PostgreSQL cluster runs as the postgres user"
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
for port in "$pg_port" "$redis_port" "$kafka_port" "$((kafka_port + 1))" "$api_port" "$worker_port"; do
  # The shared stack's ports are never ours to use, even when configured by mistake.
  case "$port" in 5432 | 6379 | 9092 | 9093) die "port $port belongs to the shared stack; pick another" ;; esac
  ! port_open "$port" || die "127.0.0.1:$port is in use; set RAGLINE_DRILL_*_PORT"
done

. "$here/jdk.sh" && use_jdk 22
java="$JAVA_HOME/bin/java"
pg_bin=/usr/lib/postgresql/$(ls /usr/lib/postgresql | sort -n | tail -n 1)/bin

stale() {
  local jar="$1/target/quarkus-app/quarkus-run.jar"
  [ ! -f "$jar" ] || [ -n "$(find "$1/src/main" contracts/src/main -newer "$jar" -type f | head -1)" ]
}
modules=()
for module in api-service worker-service; do ! stale "$module" || modules+=("$module"); done
if [ ${#modules[@]} -gt 0 ]; then
  echo "packaging ${modules[*]}"
  ./mvnw -B -q -pl "$(IFS=,; echo "${modules[*]}")" -am package -DskipTests
fi
keys=$root/.ragline/keys
for key in jwt-public.pem jwt-private.pem rake-secrets.key; do
  [ -f "$keys/$key" ] || die "$keys/$key is missing (./ragline test or up generate the dev keys)"
done
kafka_libs="${RAGLINE_KAFKA_LIBS:-$root/.ragline/kafka/libs}"
if [ ! -f "$kafka_libs/.version" ]; then
  echo "fetching the Kafka broker jars into $kafka_libs"
  ./mvnw -B -q -f deploy/local/kafka/pom.xml dependency:copy-dependencies -Dkafka.version=4.4.0 \
    -DincludeScope=runtime -DoutputDirectory="$kafka_libs" >/dev/null
  echo 4.4.0 >"$kafka_libs/.version"
fi

work=$(mktemp -d -t ragline-drills.XXXXXX)
chmod 755 "$work"
mkdir -p "$work/logs" "$work/redis" "$work/kafka/data"
api_pid=""
worker_pid=""
kafka_pid=""
cleanup() {
  set +e
  for pid in $worker_pid $api_pid; do kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; done
  if [ -n "$kafka_pid" ]; then
    kill -CONT "$kafka_pid" 2>/dev/null
    kill "$kafka_pid" 2>/dev/null
    wait "$kafka_pid" 2>/dev/null
  fi
  [ -f "$work/redis.pid" ] && kill "$(cat "$work/redis.pid")" 2>/dev/null
  [ -d "$work/pg" ] && runuser -u postgres -- "$pg_bin/pg_ctl" -D "$work/pg" -m immediate stop >/dev/null 2>&1
  if [ -n "${RAGLINE_DRILL_KEEP:-}" ]; then echo "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

wait_for() { # what seconds command...
  local what="$1" seconds="$2"
  shift 2
  for _ in $(seq 1 $((seconds * 5))); do
    if "$@"; then return 0; fi
    sleep 0.2
  done
  die "$what was not ready within ${seconds}s (logs: $work/logs; RAGLINE_DRILL_KEEP=1 keeps them)"
}

# ---------------------------------------------------------------- the drill's own infrastructure
pg_start() {
  runuser -u postgres -- "$pg_bin/pg_ctl" -D "$work/pg" -l "$work/pg-log/postgres.log" -w \
    -o "-p $pg_port -c listen_addresses=127.0.0.1 -k $work/pg -c max_connections=200" start >/dev/null
}
install -d -o postgres "$work/pg" "$work/pg-log"
runuser -u postgres -- "$pg_bin/initdb" -D "$work/pg" -U postgres -A trust --no-sync >"$work/logs/initdb.log"
pg_start
psql_drill() { psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$pg_port" -U postgres "$@"; }
psql_drill -d postgres -c "create database $database"
psql_drill -d "$database" -v owner_password=ragline -v runtime_password=ragline -f deploy/local/bootstrap.sql >/dev/null

redis_start() {
  redis-server --daemonize yes --bind 127.0.0.1 --port "$redis_port" --dir "$work/redis" \
    --logfile "$work/logs/redis.log" --pidfile "$work/redis.pid" --save "" --appendonly no
  wait_for redis 15 redis_ready
}
redis_ready() { [ "$(redis-cli -h 127.0.0.1 -p "$redis_port" ping 2>/dev/null)" = PONG ]; }
redis_start

sed -e "s/127.0.0.1:9092/127.0.0.1:$kafka_port/g" -e "s/127.0.0.1:9093/127.0.0.1:$((kafka_port + 1))/g" \
  deploy/local/kafka/server.properties >"$work/kafka/server.properties"
echo "log.dirs=$work/kafka/data" >>"$work/kafka/server.properties"
kafka_java=("$java" -Xms256m -Xmx512m -XX:+UseG1GC -Dkafka.logs.dir="$work/logs/kafka"
  -Dlog4j2.configurationFile="$root/deploy/local/kafka/log4j2.properties" -cp "$kafka_libs/*")
"${kafka_java[@]}" kafka.tools.StorageTool format -t "$("${kafka_java[@]}" kafka.tools.StorageTool random-uuid)" \
  -c "$work/kafka/server.properties" >/dev/null
mkdir -p "$work/logs/kafka"
"${kafka_java[@]}" kafka.Kafka "$work/kafka/server.properties" >"$work/logs/kafka-stdout.log" 2>&1 &
kafka_pid=$!
kafka_ready() { port_open "$kafka_port" && grep -q 'Kafka Server started' "$work/logs/kafka/server.log" 2>/dev/null; }
wait_for kafka 90 kafka_ready
echo "drill infrastructure: PostgreSQL 127.0.0.1:$pg_port, Redis 127.0.0.1:$redis_port, Kafka 127.0.0.1:$kafka_port (in $work)"

# ---------------------------------------------------------------- the services, as `ragline up` starts them
start_service() { # module port -> pid in $started
  local module="$1" port="$2"
  QUARKUS_HTTP_PORT="$port" RAGLINE_HTTP_HOST=127.0.0.1 \
    RAGLINE_DB_URL="postgresql://127.0.0.1:$pg_port/$database" \
    RAGLINE_REDIS_URL="redis://127.0.0.1:$redis_port" \
    KAFKA_BOOTSTRAP_SERVERS="127.0.0.1:$kafka_port" \
    RAGLINE_JWT_PUBLIC_KEY="file:$keys/jwt-public.pem" RAGLINE_JWT_PRIVATE_KEY="file:$keys/jwt-private.pem" \
    RAKE_SECRETS_KEY="$(cat "$keys/rake-secrets.key")" \
    "$java" -Xmx384m --enable-native-access=ALL-UNNAMED -Dragline.order-stream.partition-refresh-interval=2s \
    -jar "$module/target/quarkus-app/quarkus-run.jar" >>"$work/logs/$module.log" 2>&1 &
  started=$!
}
await_live() { # name port pid
  for _ in $(seq 1 600); do
    curl -fs "http://127.0.0.1:$2/q/health/ready" >/dev/null 2>&1 && return 0
    kill -0 "$3" 2>/dev/null || break
    sleep 0.2
  done
  tail -n 30 "$work/logs/$1.log" >&2
  die "$1 did not become ready"
}
start_api() {
  start_service api-service "$api_port"
  api_pid=$started
  await_live api-service "$api_port" "$api_pid"
}
start_worker() {
  start_service worker-service "$worker_port"
  worker_pid=$started
  await_live worker-service "$worker_port" "$worker_pid"
}
start_api
start_worker
echo "api-service :$api_port (pid $api_pid), worker-service :$worker_port (pid $worker_pid)"

# ---------------------------------------------------------------- faults
inject() {
  local started_at
  started_at=$(date +%s.%N)
  case "$1" in
    baseline) ;;
    api-kill)
      kill -KILL "$api_pid"
      wait "$api_pid" 2>/dev/null || true
      start_api
      ;;
    worker-kill)
      kill -KILL "$worker_pid"
      wait "$worker_pid" 2>/dev/null || true
      start_worker
      ;;
    postgres-restart) runuser -u postgres -- "$pg_bin/pg_ctl" -D "$work/pg" -m fast -w restart \
      -o "-p $pg_port -c listen_addresses=127.0.0.1 -k $work/pg -c max_connections=200" -l "$work/pg-log/postgres.log" >/dev/null ;;
    redis-down)
      redis-cli -h 127.0.0.1 -p "$redis_port" shutdown nosave >/dev/null 2>&1 || true
      sleep 10
      redis_start
      ;;
    kafka-freeze)
      kill -STOP "$kafka_pid"
      sleep 10
      kill -CONT "$kafka_pid"
      ;;
    *) die "no drill '$1'" ;;
  esac
  printf '  %s: fault over after %.1f s\n' "$1" "$(awk -v a="$started_at" -v b="$(date +%s.%N)" 'BEGIN { print b - a }')"
}

cp_main="worker-service/target/quarkus-app/lib/main/*"
rows=()
status=0
echo "drills: $drills; $rate orders/s for $seconds s each, fault at ${fault_at} s; client timeout 10 s"
for drill in ${drills//,/ }; do
  setup=$("$java" -cp "$cp_main" "$here/OrderStreamE2E.java" setup --api="http://127.0.0.1:$api_port" \
    --private-key="$keys/jwt-private.pem" --slug="drill-$drill-$(date +%s)")
  ready="$work/$drill.ready"
  "$java" -cp "$cp_main" "$here/FaultDrills.java" --fault="$drill" --api="http://127.0.0.1:$api_port" \
    --private-key="$keys/jwt-private.pem" --jdbc="jdbc:postgresql://127.0.0.1:$pg_port/$database" \
    --tenant="$(sed -n 's/^tenant=//p' <<<"$setup")" --staff="$(sed -n 's/^staff=//p' <<<"$setup")" \
    --customer="$(sed -n 's/^customer=//p' <<<"$setup")" --product="$(sed -n 's/^product=//p' <<<"$setup")" \
    --rate="$rate" --seconds="$seconds" --ready-file="$ready" >"$work/$drill.out" 2>&1 &
  client=$!
  wait_for "the $drill client" 60 test -f "$ready"
  sleep "$fault_at"
  inject "$drill"
  drill_status=0
  wait "$client" || drill_status=$?
  cat "$work/$drill.out" | grep -v '^|' || true
  rows+=("$(grep '^|' "$work/$drill.out" || echo "| $drill | client failed (exit $drill_status) | | | | | |")")
  [ "$drill_status" -eq 0 ] || status=1
done

echo
echo "| fault | orders accepted | lost | duplicated | stream gaps | client errors (retried) | max client wait |"
echo "| --- | --- | --- | --- | --- | --- | --- |"
printf '%s\n' "${rows[@]}"
exit $status
