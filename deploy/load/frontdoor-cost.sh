#!/usr/bin/env bash
# The cost of the front door (nginx on :8080) beside direct calls to api-service (:8000), in one run
# against a running `./ragline up` (demo data loaded):
#   1. cached product reads and order creation with api-load.sh, direct and then through :8080;
#   2. commit -> SSE lag: FrontDoorLag.java holds a staff SSE stream on each base URL at once while
#      orders are placed, so both lags are measured on the same events.
#
#   deploy/load/frontdoor-cost.sh [--rate=20] [--seconds=30]
# Settings: DURATION (api-load.sh, default 20s here), READ_RATE (500), ORDER_RATE (50).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
cd "$root"
. "$here/jdk.sh" && use_jdk 22

direct="${RAGLINE_DIRECT_URL:-http://127.0.0.1:8000}"
front="${RAGLINE_FRONT_DOOR_URL:-http://127.0.0.1:8080}"
curl -fs "$front/healthz" >/dev/null || { echo "error: no front door at $front (./ragline up)" >&2; exit 1; }
export DURATION="${DURATION:-20s}" READ_RATE="${READ_RATE:-500}" ORDER_RATE="${ORDER_RATE:-50}"

echo "== $(date -u +%FT%TZ) load average $(cut -d' ' -f1-3 /proc/loadavg)"
for base in "$direct" "$front"; do
  echo "== api-load.sh against $base (DURATION=$DURATION READ_RATE=$READ_RATE ORDER_RATE=$ORDER_RATE)"
  RAGLINE_API_URL="$base" "$here/api-load.sh"
done
echo "== commit -> SSE lag, $direct and $front side by side"
"$JAVA_HOME/bin/java" "$here/FrontDoorLag.java" --direct="$direct" --front-door="$front" "$@"
