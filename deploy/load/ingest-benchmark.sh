#!/usr/bin/env bash
# Rake benchmark: end-to-end ingestion throughput next to the raw in-process model's on the same
# chunks (same run), and search latency (vector and hybrid) over 100k chunks of one tenant.
# Ingestion runs against the local stack's ragline_test database and test topics, never the running
# services; search runs deploy/load/search-benchmark.sh (its corpus in ragline_bench, kept between runs).
#
# usage: deploy/load/ingest-benchmark.sh [documents=40] [search_chunks=100000] [searches=300]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
documents=${1:-40}
search_chunks=${2:-100000}
searches=${3:-300}
if [ -z "${JAVA_HOME:-}" ]; then
  for d in /usr/lib/jvm/*25* /usr/lib/jvm/*21*; do [ -x "$d/bin/javac" ] && export JAVA_HOME=$d && break; done
fi
./mvnw -q -pl contracts install -DskipTests >/dev/null
./mvnw -pl ingest-service test -Dtest=IngestBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
  -Dingest.excluded.groups=none -Dbench.documents="$documents" -Dbench.search.chunks="$search_chunks" \
  -Dbench.searches="$searches" | grep '^BENCHMARK' | sed 's/^BENCHMARK //'

# Search latency: its own script, database and corpus (reused between runs).
deploy/load/search-benchmark.sh "$search_chunks" "$searches"
