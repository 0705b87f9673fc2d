#!/usr/bin/env bash
# bench: api-service order stream: Kafka publish -> SSE delivery lag at a fixed rate
# Order stream lag benchmark (issue 4): publishes order events to Kafka at RATE/s for SECONDS while an
# SSE client listens on GET /v1/events/orders, and prints publish -> SSE delivery lag p50/p95/p99.
#
#   deploy/load/stream-lag.sh [--rate=200] [--seconds=60] [--idle-clients=0] [--api=URL]
#
# Without --api it builds api-service and starts its packaged jar on port 8090, following its own topic
# (ragline.load.orders), so it never disturbs a running `./ragline up`. Events are produced here, the
# way worker-service's relay publishes them: the lag measured starts at the relay's publish, not at
# the order's commit (add ragline_outbox_lag_seconds for commit -> publish).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"

. "$root/deploy/load/jdk.sh" && use_jdk 22 # the multi-file source launcher: LoadKit.java
java="$JAVA_HOME/bin/java"
topic=ragline.load.orders
port=8090
api=""
for arg in "$@"; do
  case "$arg" in --api=*) api=${arg#--api=} ;; --topic=*) topic=${arg#--topic=} ;; esac
done

app=api-service/target/quarkus-app
if [ ! -f "$app/quarkus-run.jar" ] || [ -n "$(find api-service/src contracts/src -newer "$app/quarkus-run.jar" -type f | head -1)" ]; then
  ./mvnw -q -pl api-service -am package -DskipTests
fi
[ -f .ragline/keys/jwt-private.pem ] || { echo "error: no dev keys; run ./ragline up or ./ragline test once" >&2; exit 1; }

pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true; }
trap cleanup EXIT
if [ -z "$api" ]; then
  api="http://127.0.0.1:$port"
  log=$(mktemp -t stream-lag-api.XXXXXX.log)
  QUARKUS_HTTP_PORT=$port RAGLINE_ORDER_STREAM_TOPIC=$topic \
    QUARKUS_FLYWAY_MIGRATION_MIGRATE_AT_START=false \
    RAGLINE_JWT_PUBLIC_KEY="file:$root/.ragline/keys/jwt-public.pem" \
    "$java" -Xmx512m -jar "$app/quarkus-run.jar" >"$log" 2>&1 &
  pid=$!
  for _ in $(seq 1 60); do
    curl -fs "$api/q/health/live" >/dev/null 2>&1 && break
    sleep 1
  done
  curl -fs "$api/q/health/live" >/dev/null || { echo "api-service did not start; see $log" >&2; exit 1; }
  echo "api-service started on $api (log $log), following $topic"
fi

cp=$(ls "$app"/lib/main/org.apache.kafka.kafka-clients-*.jar "$app"/lib/main/org.slf4j.slf4j-api-*.jar | tr '\n' ':')
"$java" -cp "$cp" deploy/load/StreamLag.java --api="$api" --topic="$topic" "$@"
