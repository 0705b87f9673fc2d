#!/usr/bin/env bash
# bench: rate limiter cost: cached GET /v1/products/{id} (limiter on) beside a bare Quarkus + one Redis GET, saturated ratio and p99 at 1,000/s
# Issue 15: what api-service's cached product read costs beside the least a Quarkus service reading Redis
# can do (bare-redis/, one GET per request, its own pom, not in the root reactor). Both run in the same
# run, alternately, on free loopback ports; api-service as shipped (rate limiter on), started by
# api-load.sh --start against the test database. Targets: saturated throughput ratio >= 0.6, and p99 at
# a fixed 1,000 req/s <= 1.5x the bare endpoint's p99.
#
#   deploy/load/ratelimit-cost.sh
# The one tenant's limit is raised (RATE_LIMIT, default 1,000,000 per second) so that saturation measures
# what the limiter costs on every admitted request (its lease size is as shipped) rather than cheap 429s;
# the throughput compared counts 2xx answers only.
# Settings: RATE_LIMIT, WARMUP (15s per endpoint), DURATION (15s per saturated round), ROUNDS (2), CONNECTIONS (32,
# saturated, wrk), FIXED_SECONDS (20s at 1,000/s with hey: 10 connections x 100/s each).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
WARMUP="${WARMUP:-15s}" DURATION="${DURATION:-15s}" ROUNDS="${ROUNDS:-2}" CONNECTIONS="${CONNECTIONS:-32}"
FIXED_SECONDS="${FIXED_SECONDS:-20s}"

if [ "${1:-}" != "--measure" ]; then
  cd "$root"
  . "$here/jdk.sh" && use_jdk 21
  command -v redis-cli >/dev/null 2>&1 || { echo "error: redis-cli is needed (apt-get install redis-tools)" >&2; exit 1; }
  bare_app="$here/bare-redis/target/quarkus-app"
  if [ ! -f "$bare_app/quarkus-run.jar" ] || [ -n "$(find "$here/bare-redis/src" "$here/bare-redis/pom.xml" -newer "$bare_app/quarkus-run.jar" -type f | head -1)" ]; then
    ./mvnw -B -q -f "$here/bare-redis/pom.xml" package -DskipTests
  fi
  free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
  bare_port=$(free_port)
  mkdir -p .ragline/logs
  "$JAVA_HOME/bin/java" -Xmx512m -Dquarkus.http.port="$bare_port" -jar "$bare_app/quarkus-run.jar" >.ragline/logs/load-bare-redis.log 2>&1 &
  bare_pid=$!
  trap 'kill "$bare_pid" 2>/dev/null; wait "$bare_pid" 2>/dev/null; true' EXIT
  for _ in $(seq 1 150); do
    curl -s -o /dev/null "http://127.0.0.1:$bare_port/q/health" 2>/dev/null && break
    sleep 0.2
  done
  echo "bare-redis started on 127.0.0.1:$bare_port (pid $bare_pid, log .ragline/logs/load-bare-redis.log)"
  export BARE_URL="http://127.0.0.1:$bare_port/bare/product" WARMUP DURATION ROUNDS CONNECTIONS FIXED_SECONDS
  RAGLINE_LOAD_API_OPTS="${RAGLINE_LOAD_API_OPTS:-} -Dragline.rate-limit.requests-per-window=${RATE_LIMIT:-1000000}" \
    RAGLINE_LOAD_API_PORT=$(free_port) RAGLINE_LOAD_THEN="$here/ratelimit-cost.sh --measure" "$here/api-load.sh" --start
  exit
fi

# --measure: run by api-load.sh with API, TOKEN and PRODUCT_ID once api-service is up and the product cached.
api_url="$API/v1/products/$PRODUCT_ID"
auth="Authorization: Bearer $TOKEN"
# The bare endpoint returns the same bytes as the cached read, so both move the same payload.
curl -fsS -H "$auth" "$api_url" | redis-cli -x SET ragline:bench:bare:product >/dev/null
curl -fsS -o /dev/null "$BARE_URL" || { echo "error: the bare endpoint does not answer at $BARE_URL" >&2; exit 1; }

saturate() { # LABEL URL [HEADER] -> "LABEL throughput=... non2xx_or_errors=... p99=..."
  local label=$1 url=$2
  shift 2
  wrk -t2 -c"$CONNECTIONS" -d"$DURATION" ${1:+-H "$1"} -s "$here/api-report.lua" "$url" |
    awk -v l="$label" '/^requests=/ { r = $0 } /^latency_ms/ { p = $0 } END { print l " " r " " p }'
}
fixed() { # LABEL URL [HEADER]
  local label=$1 url=$2
  shift 2
  hey -z "$FIXED_SECONDS" -c 10 -q 100 ${1:+-H "$1"} "$url" | awk -v l="$label" '
    /Requests\/sec/ { rps = $2 } /^  50% in/ { p50 = $3 * 1000 } /^  99% in/ { p99 = $3 * 1000 }
    /^  \[[0-9]+\]/ { codes = codes " " $1 $2 }
    END { printf "%s: throughput=%.0f/s status:%s latency_ms p50=%.2f p99=%.2f\n", l, rps, codes, p50, p99 }'
}

echo "== $(date -u +%FT%TZ) load average $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores"
echo "== warm-up: $WARMUP of each endpoint, not measured"
wrk -t2 -c"$CONNECTIONS" -d"$WARMUP" "$BARE_URL" >/dev/null
wrk -t2 -c"$CONNECTIONS" -d"$WARMUP" -H "$auth" "$api_url" >/dev/null
echo "== saturated: wrk -t2 -c$CONNECTIONS -d$DURATION, $ROUNDS rounds, alternating"
for round in $(seq 1 "$ROUNDS"); do
  saturate "round $round bare" "$BARE_URL"
  saturate "round $round api" "$api_url" "$auth"
done | tee /tmp/ratelimit-cost.$$.saturated
awk '{ for (i = 1; i <= NF; i++) { split($i, kv, "="); f[kv[1]] = kv[2] + 0 }
    ok[$3] += f["requests"] - f["non2xx_or_errors"]; secs[$3] += f["duration"] }
  END { printf "2xx throughput: bare %.0f/s, api %.0f/s; ratio api/bare = %.2f (target >= 0.6)\n",
    ok["bare"] / secs["bare"], ok["api"] / secs["api"], (ok["api"] / secs["api"]) / (ok["bare"] / secs["bare"]) }' /tmp/ratelimit-cost.$$.saturated
echo "== fixed 1,000 req/s: hey -z $FIXED_SECONDS -c 10 -q 100"
{
  fixed "bare" "$BARE_URL"
  fixed "api " "$api_url" "$auth"
} | tee /tmp/ratelimit-cost.$$.fixed
awk '{ for (i = 1; i <= NF; i++) if ($i ~ /^p99=/) { split($i, p, "="); v[NR] = p[2] } }
  END { printf "p99 api/bare = %.2f (target <= 1.5)\n", v[2] / v[1] }' /tmp/ratelimit-cost.$$.fixed
echo "== $(date -u +%FT%TZ) load average $(cut -d' ' -f1-3 /proc/loadavg)"
rm -f /tmp/ratelimit-cost.$$.*
