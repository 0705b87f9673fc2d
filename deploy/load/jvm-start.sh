#!/usr/bin/env bash
# bench: JVM start of a packaged service: seconds from exec to /q/health/ready, Quarkus' "started in", and RSS 5 s after ready
# What a service costs on the JVM image where no native image exists (deploy/kubernetes/README.md, "Native images").
#
#   ./mvnw -B -q package -DskipTests -pl llm-service,ingest-service -am
#   RAGLINE_TEST_DB=ragline_t_me deploy/local/stack.sh reset-test-db     # a database of its own
#   RAGLINE_TEST_DB=ragline_t_me deploy/load/jvm-start.sh llm-service 18401 [RUNS]
#
# Runs the jar (-Xmx512m, as `./ragline up`) RUNS times (default 3) against the stack on loopback and the test
# database, with a throw-away JWT key pair and Rake key, and its own Kafka consumer group so that it never takes
# partitions from a running service. Idle figures: before any chat, job or embedding.
set -euo pipefail
name=${1:?usage: jvm-start.sh SERVICE PORT [RUNS]} port=${2:?usage: jvm-start.sh SERVICE PORT [RUNS]} runs=${3:-3}
jar="$name/target/quarkus-app/quarkus-run.jar"
[ -f "$jar" ] || { echo "no $jar: ./mvnw -B -q package -DskipTests -pl $name -am" >&2; exit 1; }
db=${RAGLINE_TEST_DB:-ragline_test}
keys=$(mktemp -d)
trap 'rm -rf "$keys"' EXIT
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$keys/jwt-private.pem" 2>/dev/null
openssl pkey -in "$keys/jwt-private.pem" -pubout -out "$keys/jwt-public.pem"
case "$name" in
  llm-service) group=-Dmp.messaging.incoming.products.group.id=jvm-start-bench ;;
  ingest-service) group=-Dmp.messaging.incoming.rake-jobs-in.group.id=jvm-start-bench ;;
  worker-service) group="-Dmp.messaging.incoming.order-notifications.group.id=jvm-start-bench-n -Dmp.messaging.incoming.order-webhooks.group.id=jvm-start-bench-w" ;;
  *) group= ;;
esac
for run in $(seq 1 "$runs"); do
  log="$keys/$name-$run.log"
  start=$(date +%s%N)
  # shellcheck disable=SC2086
  QUARKUS_HTTP_PORT=$port RAGLINE_DB_URL="postgresql://127.0.0.1:5432/$db" \
    RAGLINE_API_BASE_URL=http://127.0.0.1:1 RAGLINE_INGEST_BASE_URL=http://127.0.0.1:1 \
    RAGLINE_JWT_PUBLIC_KEY="file:$keys/jwt-public.pem" RAGLINE_JWT_PRIVATE_KEY="file:$keys/jwt-private.pem" \
    RAKE_SECRETS_KEY="$(openssl rand -base64 32)" RAKE_DATABASE_ALLOWED_HOSTS=127.0.0.1:5432 \
    java -Xmx512m $group --enable-native-access=ALL-UNNAMED -jar "$jar" >"$log" 2>&1 &
  pid=$!
  until curl -sf -o /dev/null "http://127.0.0.1:$port/q/health/ready"; do
    kill -0 "$pid" 2>/dev/null || { echo "$name exited:" >&2; tail -20 "$log" >&2; exit 1; }
    sleep 0.1
  done
  ready=$(( ($(date +%s%N) - start) / 1000000 ))
  sleep 5
  rss=$(( $(awk '/VmRSS/{print $2}' "/proc/$pid/status") / 1024 ))
  kill "$pid"
  wait "$pid" 2>/dev/null || true
  echo "$name run $run: ready after ${ready} ms; Quarkus $(grep -o 'started in [0-9.]*s' "$log"); RSS ${rss} MiB 5 s after ready"
done
