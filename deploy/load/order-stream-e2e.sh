#!/usr/bin/env bash
# bench: orders end to end: POST /v1/orders at a fixed rate, commit -> SSE lag, POST latency, CPU per order
# End-to-end order stream benchmark (issue 4): orders created through api-service's POST /v1/orders at a
# fixed rate while one staff SSE client listens on GET /v1/events/orders; worker-service's relay carries
# each outbox row to Kafka and api-service streams it back. Prints commit -> SSE delivery lag
# p50/p95/p99/max and by stage, missing and duplicate events, POST latency, the CPU per order of each
# process (services by thread pool, JIT included; PostgreSQL, also by session role, and its commits per
# order; Kafka, the client), and the outbox backlog every second. The services' own histograms
# (ragline_outbox_lag_seconds, ragline_stream_lag_seconds) include the warm-up. The client talks HTTP/1.1 on plain keep-alive sockets, so it costs the box little CPU.
#
#   deploy/load/order-stream-e2e.sh [--rate=200] [--seconds=60] [--warmup=60] [--connections=16]
#
# Both services start fresh, so --warmup seconds at the same rate (default 60) run unmeasured first: a service
# in production runs for days, and in its first minute a JVM spends about as much CPU compiling (the JIT) as
# serving, which is what a measurement of that minute would report. --warmup=5 measures that cold minute.
#
# It packages both services when their sources changed, then starts their jars on their own ports
# (api-service 18100, worker-service 18102; RAGLINE_E2E_API_PORT / RAGLINE_E2E_WORKER_PORT) against the
# test database with Kafka topics and a tenant of this run only, so it never touches a running
# `./ragline up` nor other tests' rows (the relay serves only this run's tenant). JWTs are signed with
# .ragline/keys (or a throw-away key pair when there is none). Logs: .ragline/logs/e2e-{api,worker}.log.
# RAGLINE_E2E_API_OPTS / RAGLINE_E2E_WORKER_OPTS add JVM options, e.g. a flight recording.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
cd "$root"

rate=200
seconds=60
warmup=60
connections=16
for arg in "$@"; do
  case "$arg" in
    --rate=*) rate=${arg#--rate=} ;;
    --seconds=*) seconds=${arg#--seconds=} ;;
    --warmup=*) warmup=${arg#--warmup=} ;;
    --connections=*) connections=${arg#--connections=} ;;
    *) echo "usage: $0 [--rate=200] [--seconds=60] [--warmup=60] [--connections=16]" >&2; exit 2 ;;
  esac
done
api_port="${RAGLINE_E2E_API_PORT:-18100}"
worker_port="${RAGLINE_E2E_WORKER_PORT:-18102}"
db_host="${RAGLINE_E2E_DB:-127.0.0.1:5432/ragline_test}"

. "$here/jdk.sh" && use_jdk 22 # the multi-file source launcher: OrderStreamE2E.java and its parts beside it
java="$JAVA_HOME/bin/java"

stale() { # module: no jar yet, or sources newer than it
  local jar="$1/target/quarkus-app/quarkus-run.jar"
  [ ! -f "$jar" ] || [ -n "$(find "$1/src/main" contracts/src/main -newer "$jar" -type f | head -1)" ]
}
# RAGLINE_E2E_API_APP / RAGLINE_E2E_WORKER_APP: another build's quarkus-app directory (before/after comparisons).
api_app="${RAGLINE_E2E_API_APP:-api-service/target/quarkus-app}"
worker_app="${RAGLINE_E2E_WORKER_APP:-worker-service/target/quarkus-app}"
modules=()
[ -n "${RAGLINE_E2E_API_APP:-}" ] || ! stale api-service || modules+=(api-service)
[ -n "${RAGLINE_E2E_WORKER_APP:-}" ] || ! stale worker-service || modules+=(worker-service)
if [ ${#modules[@]} -gt 0 ]; then
  echo "packaging ${modules[*]}"
  ./mvnw -B -q -pl "$(IFS=,; echo "${modules[*]}")" -am package -DskipTests
fi

keys=.ragline/keys
if [ ! -f "$keys/jwt-private.pem" ]; then
  keys=$(mktemp -d -t ragline-e2e-keys.XXXXXX)
  openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$keys/jwt-private.pem" 2>/dev/null
  openssl pkey -in "$keys/jwt-private.pem" -pubout -out "$keys/jwt-public.pem"
  echo "no .ragline/keys: signing with a throw-away key pair in $keys"
fi
keys=$(cd "$keys" && pwd)

run="e2e-$(date +%s)"
topics="ragline.bench.e2e.$run"
mkdir -p .ragline/logs
api_log=.ragline/logs/e2e-api.log
worker_log=.ragline/logs/e2e-worker.log
api_pid=""
worker_pid=""
cleanup() {
  for pid in $worker_pid $api_pid; do
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
}
trap cleanup EXIT

await_live() { # name port pid log
  for _ in $(seq 1 300); do
    curl -fs "http://127.0.0.1:$2/q/health/live" >/dev/null 2>&1 && return 0
    kill -0 "$3" 2>/dev/null || break
    sleep 0.2
  done
  echo "error: $1 did not start; last lines of $4:" >&2
  tail -n 30 "$4" >&2
  exit 1
}

# shellcheck disable=SC2086 # extra JVM options (e.g. -XX:StartFlightRecording=...) are split on purpose
"$java" -Xmx512m ${RAGLINE_E2E_API_OPTS:-} -Dquarkus.http.port="$api_port" -Dquarkus.http.host=127.0.0.1 \
  -Dquarkus.datasource.reactive.url="postgresql://$db_host" \
  -Dquarkus.datasource.migration.jdbc.url="jdbc:postgresql://$db_host" \
  -Dmp.jwt.verify.publickey.location="file:$keys/jwt-public.pem" \
  -Dsmallrye.jwt.sign.key.location="file:$keys/jwt-private.pem" \
  -Dragline.order-stream.topic="$topics.orders" \
  -Dragline.order-stream.partition-refresh-interval=2s \
  -jar "$api_app/quarkus-run.jar" >"$api_log" 2>&1 &
api_pid=$!
await_live api-service "$api_port" "$api_pid" "$api_log"
api="http://127.0.0.1:$api_port"
cp="$worker_app/lib/main/*"
setup=$("$java" -cp "$cp" "$here/OrderStreamE2E.java" setup --api="$api" --private-key="$keys/jwt-private.pem" --slug="$run")
tenant=$(sed -n 's/^tenant=//p' <<<"$setup")
staff=$(sed -n 's/^staff=//p' <<<"$setup")
customer=$(sed -n 's/^customer=//p' <<<"$setup")
product=$(sed -n 's/^product=//p' <<<"$setup")

# The test profile gives the worker the test database; topics, consumer groups and the relay's tenant are this run's.
# shellcheck disable=SC2086
"$java" -Xmx512m ${RAGLINE_E2E_WORKER_OPTS:-} -Dquarkus.profile=test -Dquarkus.http.port="$worker_port" \
  -Dquarkus.datasource.reactive.url="postgresql://$db_host" \
  -Dquarkus.datasource.migration.jdbc.url="jdbc:postgresql://$db_host" \
  -Dmp.jwt.verify.publickey.location="file:$keys/jwt-public.pem" \
  -Dragline.topics.orders="$topics.orders" -Dragline.topics.products="$topics.products" \
  -Dragline.topics.notifications="$topics.notifications" \
  -Dragline.relay.tenants="$tenant" \
  -Dmp.messaging.incoming.order-notifications.group.id="$run-notifications" \
  -Dmp.messaging.incoming.order-webhooks.group.id="$run-webhooks" \
  -jar "$worker_app/quarkus-run.jar" >"$worker_log" 2>&1 &
worker_pid=$!
await_live worker-service "$worker_port" "$worker_pid" "$worker_log"

echo "api-service :$api_port (pid $api_pid), worker-service :$worker_port (pid $worker_pid), tenant $tenant, topic $topics.orders"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
status=0
"$java" -cp "$cp" "$here/OrderStreamE2E.java" run --api="$api" --worker="http://127.0.0.1:$worker_port" \
  --private-key="$keys/jwt-private.pem" --jdbc="jdbc:postgresql://$db_host" \
  --tenant="$tenant" --staff="$staff" --customer="$customer" --product="$product" \
  --rate="$rate" --seconds="$seconds" --warmup="$warmup" --connections="$connections" --api-pid="$api_pid" --worker-pid="$worker_pid" || status=$?
# Stop both services, then drop the run's outbox rows (published or not), so they never weigh on other
# relays' claims in this database.
cleanup
api_pid=""
worker_pid=""
"$java" -cp "$cp" "$here/OrderStreamE2E.java" cleanup --jdbc="jdbc:postgresql://$db_host" --tenant="$tenant" --private-key="$keys/jwt-private.pem" || true
echo "load average after:  $(cut -d' ' -f1-3 /proc/loadavg)"
exit $status
