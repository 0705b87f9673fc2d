#!/usr/bin/env bash
# Evaluates every query of the Grafana dashboard against a real Prometheus after real traffic, and fails on a
# query Prometheus rejects or one that returns nothing. Runs against a `./ragline up` (the four services on
# their base ports, demo data loaded), with a Prometheus of its own on a free port (not the one on 9090):
#
#   flock /tmp/ragline-up.lock bash -c './ragline up && deploy/observability/check-dashboard.sh; ./ragline down'
#
# What it drives: sign-ins, catalogue reads (cache hits), an order stream open while orders are placed, a
# chat turn with tool calls, a Rake job, a 404, so every panel has something to show.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
API="${RAGLINE_API_URL:-http://127.0.0.1:8000}"
LLM="${RAGLINE_LLM_URL:-http://127.0.0.1:8001}"
INGEST="${RAGLINE_INGEST_URL:-http://127.0.0.1:8003}"
PASSWORD="${RAGLINE_DEMO_PASSWORD:-ragline-demo}"
dashboard="$here/grafana/dashboards/ragline.json"

die() {
  echo "error: $*" >&2
  exit 1
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

port=$(free_port)
work=$(mktemp -d)
export RAGLINE_PROMETHEUS_PORT=$port RAGLINE_PROMETHEUS_DIR="$work/prometheus"
stream_pid=""
cleanup() {
  [ -z "$stream_pid" ] || kill "$stream_pid" 2>/dev/null || true
  "$here/prometheus.sh" down >/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
"$here/prometheus.sh" up
PROM="http://127.0.0.1:$port"

echo "  check      waiting for every target to be up"
for _ in $(seq 1 60); do
  down=$(curl -fs "$PROM/api/v1/targets?state=active" | jq '[.data.activeTargets[] | select(.health != "up")] | length')
  total=$(curl -fs "$PROM/api/v1/targets?state=active" | jq '.data.activeTargets | length')
  [ "$total" -ge 5 ] && [ "$down" -eq 0 ] && break
  sleep 1
done
[ "$down" -eq 0 ] || die "targets not up: $(curl -fs "$PROM/api/v1/targets" | jq -c '[.data.activeTargets[] | select(.health != "up") | .scrapeUrl]')"
rules=$(curl -fs "$PROM/api/v1/rules" | jq '[.data.groups[].rules[]] | length')
[ "$rules" -gt 0 ] || die "Prometheus loaded no rules"
echo "  check      $total targets up, $rules rules loaded"

login() {
  curl -fsS -X POST "$API/v1/auth/login" -H 'Content-Type: application/json' \
    --data "$(jq -nc --arg e "$1" --arg p "$PASSWORD" '{tenant: "demo", email: $e, password: $p}')" | jq -er .access_token
}

echo "  check      traffic"
customer=$(login customer@demo.test)
staff=$(login staff@demo.test)
product=$(curl -fsS "$API/v1/products?size=5" -H "Authorization: Bearer $customer" | jq -er '.items[0].id')
for _ in $(seq 1 20); do
  curl -fsS -o /dev/null "$API/v1/products/$product" -H "Authorization: Bearer $customer"
done
curl -s -o /dev/null "$API/v1/products/00000000-0000-0000-0000-000000000000" -H "Authorization: Bearer $customer"
# A live order stream while orders are placed: stream clients and publish-to-client lag.
curl -sN -o /dev/null --max-time 60 "$API/v1/events/orders" -H "Authorization: Bearer $customer" \
  -H 'Accept: text/event-stream' &
stream_pid=$!
sleep 1
for i in $(seq 1 5); do
  curl -fsS -o /dev/null -X POST "$API/v1/orders" -H "Authorization: Bearer $customer" \
    -H 'Content-Type: application/json' -H "Idempotency-Key: dashboard-check-$$-$i-$(date +%s%N)" \
    --data "{\"items\":[{\"product_id\":\"$product\",\"quantity\":1}]}"
done
curl -fsS -o /dev/null --max-time 60 -X POST "$LLM/v1/chat" -H "Authorization: Bearer $customer" \
  -H 'Accept: text/event-stream' -H 'Content-Type: application/json' \
  --data '{"message": "Which vegetarian pizzas do you have? Add a Margherita to my cart."}'
job=$(curl -fsS -X POST "$INGEST/api/v1/jobs" -H "Authorization: Bearer $staff" -H 'Content-Type: application/json' \
  --data "{\"source\":\"file_upload\",\"files\":[{\"filename\":\"dashboard-check-$$.txt\",\"content\":\"Opening hours: noon to midnight, $(date +%s%N).\"}]}" |
  jq -er .job_id)
for _ in $(seq 1 120); do
  status=$(curl -fsS "$INGEST/api/v1/jobs/$job" -H "Authorization: Bearer $staff" | jq -r .status)
  case "$status" in COMPLETED | FAILED | CANCELLED) break ;; esac
  sleep 0.5
done
[ "$status" = COMPLETED ] || die "the Rake job ended $status"
# Three scrapes (and rule evaluations) after the last request.
sleep 16

echo "  check      evaluating every panel query"
failed=0
count=0
while IFS=$'\t' read -r title expr; do
  count=$((count + 1))
  answer=$(curl -sS -G "$PROM/api/v1/query" --data-urlencode "query=$expr")
  if [ "$(jq -r .status <<<"$answer")" != success ]; then
    echo "  FAIL  [$title] $expr: $(jq -r .error <<<"$answer")" >&2
    failed=$((failed + 1))
  elif [ "$(jq '.data.result | length' <<<"$answer")" -eq 0 ]; then
    echo "  FAIL  [$title] $expr: empty result" >&2
    failed=$((failed + 1))
  fi
done < <(jq -r '.panels[] | select(.type != "row") | .title as $t | .targets[] | [$t, .expr] | @tsv' "$dashboard")
[ "$count" -gt 0 ] || die "no query found in $dashboard"
[ "$failed" -eq 0 ] || die "$failed of $count dashboard queries failed"
echo "  check      all $count dashboard queries return data"
