#!/usr/bin/env bash
# bench: worker-service outbox: commit -> Kafka publish lag and backlog at a steady rate
# Outbox commit -> Kafka publish lag of worker-service at a steady rate, and the outbox backlog over time.
#
#   deploy/load/worker-outbox-lag.sh [RATE=200] [SECONDS=30]
#
# Starts the packaged worker (building it if needed) on port 18092 against the test database, with
# topics and a tenant of this run only, so it disturbs neither `./ragline up` nor other tests; then
# OutboxLagBench writes RATE outbox rows per second for SECONDS and prints the percentiles.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
rate="${1:-200}"
seconds="${2:-30}"
port="${RAGLINE_BENCH_PORT:-18092}"
cd "$root"

# The services need Java 21+; the java on PATH may be older.
. "$here/jdk.sh" && use_jdk 21
java_bin="$JAVA_HOME/bin/java"

jar=worker-service/target/quarkus-app/quarkus-run.jar
if [ ! -f "$jar" ]; then
  ./mvnw -B -q -pl worker-service -am package -DskipTests
fi

run="bench-$(date +%s)"
tenant=$(cat /proc/sys/kernel/random/uuid)
topic="ragline.bench.worker.$run.orders"
mkdir -p .ragline/logs
log=".ragline/logs/worker-bench.log"

(cd worker-service && exec "$java_bin" -Xmx512m -Dquarkus.profile=test -Dquarkus.http.port="$port" \
  -Dragline.topics.orders="$topic" -Dragline.topics.notifications="ragline.bench.worker.$run.notifications" \
  -Dragline.relay.tenants="$tenant" \
  -Dmp.messaging.incoming.order-notifications.group.id="$run-notifications" \
  -Dmp.messaging.incoming.order-webhooks.group.id="$run-webhooks" \
  -jar target/quarkus-app/quarkus-run.jar) >"$log" 2>&1 &
worker=$!
trap 'kill $worker 2>/dev/null || true; wait $worker 2>/dev/null || true' EXIT

for _ in $(seq 1 300); do
  curl -fs "http://127.0.0.1:$port/q/health/live" >/dev/null 2>&1 && break
  kill -0 $worker 2>/dev/null || { tail -n 30 "$log" >&2; exit 1; }
  sleep 0.2
done

echo "worker-service pid $worker on :$port, topic $topic, $rate events/s for ${seconds}s"
"$java_bin" -cp "worker-service/target/quarkus-app/lib/main/*" "$here/OutboxLagBench.java" \
  "jdbc:postgresql://127.0.0.1:5432/ragline_test" "$tenant" "$topic" "$rate" "$seconds"
echo "worker metrics:"
curl -fs "http://127.0.0.1:$port/q/metrics" | grep -E '^ragline_outbox_(lag_seconds_(count|sum|max)|published_total|publish_failures_total)' || true
