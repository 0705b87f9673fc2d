#!/usr/bin/env bash
# bench: api-service under load: cached GET /v1/products/{id} (hey) and POST /v1/orders (wrk), throughput and p50/p95/p99
# Load test of api-service: a cached GET /v1/products/{id} at a fixed rate with hey (Debian: apt-get
# install hey, which paces exactly: connections x per-connection QPS), and POST /v1/orders with wrk
# (apt-get install wrk; a Lua script gives every request its own Idempotency-Key and paces each
# connection). Both print throughput and p50/p95/p99.
#
#   deploy/load/api-load.sh            # against http://127.0.0.1:8000 after ./ragline up
#   deploy/load/api-load.sh --start    # starts the packaged api-service itself (port 18100, test database)
#
# With --start it packages api-service when its sources changed, runs the jar against ragline_test with a
# JWT key pair of .ragline/keys (or a throw-away one), and signs the platform admin's token itself, so it
# needs no demo data and never touches a running `./ragline up`. RAGLINE_LOAD_API_OPTS adds JVM options.
#
# It works in its own tenant `loadtest` (created through the platform admin of the demo data), so
# the demo tenants stay clean. Settings (environment):
#   RAGLINE_API_URL    http://127.0.0.1:8000
#   RAGLINE_DEMO_PASSWORD  ragline-demo (the platform admin's password)
#   DURATION           30s per scenario
#   READ_RATE          1000 requests/s
#   ORDER_RATE         200 orders/s     (0 = as fast as possible)
#   WARMUP             10s of each scenario before measuring (with --start only)
#   RAGLINE_LOAD_THEN  a command run instead of the two scenarios, once the tenant and the cached product
#                      exist, with API, TOKEN (the customer's) and PRODUCT_ID exported (ratelimit-cost.sh)
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
API="${RAGLINE_API_URL:-http://127.0.0.1:8000}"
PASSWORD="${RAGLINE_DEMO_PASSWORD:-ragline-demo}"
DURATION="${DURATION:-30s}"
READ_RATE="${READ_RATE:-1000}"
ORDER_RATE="${ORDER_RATE:-200}"
READ_CONNECTIONS="${READ_CONNECTIONS:-10}"
ORDER_CONNECTIONS="${ORDER_CONNECTIONS:-8}"

die() {
  echo "error: $*" >&2
  exit 1
}
command -v wrk >/dev/null 2>&1 || die "wrk is needed (apt-get install wrk)"
command -v hey >/dev/null 2>&1 || die "hey is needed (apt-get install hey)"
command -v jq >/dev/null 2>&1 || die "jq is needed (apt-get install jq)"

start=false
[ "${1:-}" = "--start" ] && start=true
api_pid=""
trap '[ -n "$api_pid" ] && kill "$api_pid" 2>/dev/null && wait "$api_pid" 2>/dev/null; true' EXIT
if $start; then
  root=$(cd "$here/../.." && pwd)
  cd "$root"
  . "$here/jdk.sh" && use_jdk 22 # OrderStreamE2E.java signs the token with LoadKit.java beside it
  app=api-service/target/quarkus-app
  if [ ! -f "$app/quarkus-run.jar" ] || [ -n "$(find api-service/src/main contracts/src/main -newer "$app/quarkus-run.jar" -type f | head -1)" ]; then
    ./mvnw -B -q -pl api-service -am package -DskipTests
  fi
  keys=.ragline/keys
  if [ ! -f "$keys/jwt-private.pem" ]; then
    keys=$(mktemp -d -t ragline-load-keys.XXXXXX)
    openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$keys/jwt-private.pem" 2>/dev/null
    openssl pkey -in "$keys/jwt-private.pem" -pubout -out "$keys/jwt-public.pem"
  fi
  keys=$(cd "$keys" && pwd)
  port="${RAGLINE_LOAD_API_PORT:-18100}"
  API="http://127.0.0.1:$port"
  mkdir -p .ragline/logs
  # shellcheck disable=SC2086 # extra JVM options are split on purpose
  "$JAVA_HOME/bin/java" -Xmx512m ${RAGLINE_LOAD_API_OPTS:-} -Dquarkus.http.port="$port" -Dquarkus.http.host=127.0.0.1 \
    -Dquarkus.datasource.reactive.url=postgresql://127.0.0.1:5432/ragline_test \
    -Dquarkus.datasource.migration.jdbc.url=jdbc:postgresql://127.0.0.1:5432/ragline_test \
    -Dmp.jwt.verify.publickey.location="file:$keys/jwt-public.pem" -Dsmallrye.jwt.sign.key.location="file:$keys/jwt-private.pem" \
    -Dragline.order-stream.topic=ragline.bench.load.orders \
    -jar "$app/quarkus-run.jar" >.ragline/logs/load-api.log 2>&1 &
  api_pid=$!
  for _ in $(seq 1 300); do
    curl -fs "$API/q/health/live" >/dev/null 2>&1 && break
    kill -0 "$api_pid" 2>/dev/null || break
    sleep 0.2
  done
  curl -fs "$API/q/health/live" >/dev/null || die "api-service did not start; see .ragline/logs/load-api.log"
  echo "api-service started on $API (pid $api_pid, log .ragline/logs/load-api.log); load average $(cut -d' ' -f1-3 /proc/loadavg)"
fi

call() { curl -sS -H 'Content-Type: application/json' "$@"; }
login() {
  call -X POST "$API/v1/auth/login" --data "$(jq -nc --arg t "$1" --arg e "$2" --arg p "$PASSWORD" \
    '{tenant: $t, email: $e, password: $p}')" | jq -er .access_token
}

if $start; then
  # A platform admin's token signed with the service's own key: no demo data needed.
  platform=$("$JAVA_HOME/bin/java" -cp "$root/worker-service/target/quarkus-app/lib/main/*:$root/api-service/target/quarkus-app/lib/main/*" \
    "$here/OrderStreamE2E.java" token --private-key="$keys/jwt-private.pem" --tenant="$(cat /proc/sys/kernel/random/uuid)" \
    --user="$(cat /proc/sys/kernel/random/uuid)" --role=platform_admin)
else
  platform=$(login platform platform@ragline.test) || die "run deploy/local/demo-data.sh first (no platform admin)"
fi
call -o /dev/null -X POST "$API/v1/tenants" -H "Authorization: Bearer $platform" \
  --data "$(jq -nc --arg p "$PASSWORD" '{slug: "loadtest", name: "Load test", admin_email: "admin@loadtest.test", admin_password: $p}')"
admin=$(login loadtest admin@loadtest.test)
call -o /dev/null -X POST "$API/v1/users" -H "Authorization: Bearer $admin" \
  --data "$(jq -nc --arg p "$PASSWORD" '{email: "customer@loadtest.test", password: $p, roles: ["customer"]}')"
call -o /dev/null -X POST "$API/v1/products" -H "Authorization: Bearer $admin" \
  --data '{"sku":"LOAD-PIZZA","name":"Load test pizza","price":12.50,"currency":"EUR","category":"pizza","tags":["vegetarian"]}'
call -o /dev/null -X POST "$API/v1/promotions" -H "Authorization: Bearer $admin" \
  --data '{"code":"WELCOME10","kind":"percent","amount":10,"min_subtotal":20}'
customer=$(login loadtest customer@loadtest.test)
product=$(call -H "Authorization: Bearer $customer" "$API/v1/products?q=Load%20test%20pizza" | jq -er '.items[0].id')
# Fill the cache, so the read scenario measures hits.
call -o /dev/null -H "Authorization: Bearer $customer" "$API/v1/products/$product"

pace() { [ "$1" -gt 0 ] && echo $(($2 * 1000 / $1)) || echo 0; }

export LOAD_DIR="$here" TOKEN="$customer" PRODUCT_ID="$product"
if [ -n "${RAGLINE_LOAD_THEN:-}" ]; then
  # shellcheck disable=SC2086 # a command with its arguments, split on purpose
  API="$API" $RAGLINE_LOAD_THEN
  exit
fi
if $start; then
  # A fresh JVM runs interpreted at first: both scenarios once, unmeasured, so the figures are of compiled code.
  echo "== warm-up: ${WARMUP:-10s} of each scenario, not measured"
  hey -z "${WARMUP:-10s}" -c "$READ_CONNECTIONS" -q $((READ_RATE / READ_CONNECTIONS)) -H "Authorization: Bearer $customer" \
    "$API/v1/products/$product" >/dev/null
  PACE_MS=$(pace "$ORDER_RATE" "$ORDER_CONNECTIONS") wrk -t2 -c"$ORDER_CONNECTIONS" -d"${WARMUP:-10s}" \
    -s "$here/post-order.lua" "$API" >/dev/null
fi
echo "== cached GET /v1/products/{id}: $READ_CONNECTIONS connections, target ${READ_RATE}/s, $DURATION"
hey -z "$DURATION" -c "$READ_CONNECTIONS" -q $((READ_RATE / READ_CONNECTIONS)) -H "Authorization: Bearer $customer" \
  "$API/v1/products/$product" | awk '
    /Requests\/sec/ { rps = $2 }
    /^  50% in/ { p50 = $3 * 1000 } /^  95% in/ { p95 = $3 * 1000 } /^  99% in/ { p99 = $3 * 1000 }
    /^  \[[0-9]+\]/ { codes = codes " " $1 $2 }
    END { printf "throughput=%.0f/s status:%s\nlatency_ms p50=%.2f p95=%.2f p99=%.2f\n", rps, codes, p50, p95, p99 }'
echo "== POST /v1/orders: $ORDER_CONNECTIONS connections, target ${ORDER_RATE}/s, $DURATION"
PACE_MS=$(pace "$ORDER_RATE" "$ORDER_CONNECTIONS") wrk -t2 -c"$ORDER_CONNECTIONS" -d"$DURATION" -s "$here/post-order.lua" "$API" |
  grep -E '^(requests=|latency_ms )'
