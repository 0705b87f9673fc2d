#!/usr/bin/env bash
# bench: ingest-service search latency (vector and hybrid, top_k 10) and its parts
# Rake search latency: POST /api/v1/search (vector and hybrid, top_k 10) over one tenant's collection
# of search_chunks chunks, timed at the client, next to its parts measured in the same run (HTTP
# alone, the in-process query embedding alone, EXPLAIN ANALYZE of the SQL). Prints p50/p95/p99.
#
# The corpus lives in its own database, ragline_bench (created here like ragline and ragline_test;
# test runs never drop it), is bulk-loaded by COPY with its HNSW index built after the load, and is
# reused by later runs. Runs the tagged SearchBenchmark, never the running services.
#
# usage: deploy/load/search-benchmark.sh [search_chunks=100000] [searches=300]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
search_chunks=${1:-100000}
searches=${2:-300}
. "$root/deploy/load/jdk.sh" && use_jdk 21
keys="$root/.ragline/keys"
if [ ! -f "$keys/jwt-private.pem" ] || [ ! -f "$keys/jwt-public.pem" ]; then
  mkdir -p "$keys" && chmod 700 "$keys"
  openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$keys/jwt-private.pem" 2>/dev/null
  openssl pkey -in "$keys/jwt-private.pem" -pubout -out "$keys/jwt-public.pem"
fi
deploy/local/stack.sh ensure-db ragline_bench >/dev/null
log="$root/ingest-service/target/search-benchmark.log"
mkdir -p "$(dirname "$log")"
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at start"
# contracts in the same reactor: ingest-service resolves it without installing it into the shared ~/.m2.
if ! ./mvnw -pl contracts,ingest-service test -Dtest=SearchBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
  -Dingest.excluded.groups=none -Dbench.search.chunks="$search_chunks" -Dbench.searches="$searches" >"$log" 2>&1; then
  grep '^BENCHMARK' "$log" | sed 's/^BENCHMARK //' || true
  echo "search benchmark failed; see $log" >&2
  tail -n 40 "$log" >&2
  exit 1
fi
grep '^BENCHMARK' "$log" | sed 's/^BENCHMARK //'
