#!/usr/bin/env bash
# bench: ingest-service: ingestion throughput next to the raw model, and search latency over 100k chunks
# Rake benchmark: end-to-end ingestion throughput next to the raw in-process model's on the same
# chunks (same run), and search latency (vector and hybrid) over 100k chunks of one tenant.
# Ingestion runs against the local stack's ragline_test database and test topics, never the running
# services; search runs deploy/load/search-benchmark.sh (its corpus in ragline_bench, kept between runs).
#
# usage: deploy/load/ingest-benchmark.sh [documents=40] [search_chunks=100000] [searches=300] [rounds=3]
# (extra Maven flags through MAVEN_ARGS, e.g. MAVEN_ARGS=-o)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
documents=${1:-40}
search_chunks=${2:-100000}
searches=${3:-300}
rounds=${4:-3}
. "$root/deploy/load/jdk.sh" && use_jdk 21
echo "load before: $(uptime)"
log="$root/ingest-service/target/ingest-benchmark.log"
mkdir -p "$(dirname "$log")"
# contracts in the same reactor: ingest-service resolves it (and the parent POM) without an install.
if ! ./mvnw -pl contracts,ingest-service test -Dtest=IngestBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
  -Dingest.excluded.groups=none -Dbench.documents="$documents" -Dbench.rounds="$rounds" >"$log" 2>&1; then
  grep '^BENCHMARK' "$log" | sed 's/^BENCHMARK //' || true
  echo "ingest benchmark failed; see $log" >&2
  tail -n 40 "$log" >&2
  exit 1
fi
grep '^BENCHMARK' "$log" | sed 's/^BENCHMARK //'
echo "load after: $(uptime)"

# Search latency: its own script, database and corpus (reused between runs).
deploy/load/search-benchmark.sh "$search_chunks" "$searches"
