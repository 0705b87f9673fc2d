#!/usr/bin/env bash
# bench: ingest-service sources: documents/s of a database_query and an api_fetch job
# Rake sources benchmark (issue 6): documents per second of a database_query job over 100k rows and of
# an api_fetch job over a local paginated API, next to the raw throughput of the embedding client on the
# same texts in the same run. The service embeds through its OpenAI-compatible client against a local
# /v1/embeddings server, so the figures show the pipeline's own cost. Runs against the local stack's
# ragline_test database and test topics (never the running services) and removes its rows afterwards.
#
# usage: deploy/load/ingest-sources-benchmark.sh [rows=100000] [api_pages=100] [api_page_size=200]
# (extra Maven flags through MAVEN_ARGS, e.g. MAVEN_ARGS=-o)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
rows=${1:-100000}
api_pages=${2:-100}
api_page_size=${3:-200}
. "$root/deploy/load/jdk.sh" && use_jdk 21
echo "load before: $(uptime)"
# contracts in the same reactor: ingest-service resolves it (and the parent POM) without an install.
./mvnw -pl contracts,ingest-service test -Dtest=SourceThroughputBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
  -Dingest.excluded.groups=none -Dbench.rows="$rows" -Dbench.api.pages="$api_pages" \
  -Dbench.api.page.size="$api_page_size" | grep '^BENCHMARK' | sed 's/^BENCHMARK //'
echo "load after: $(uptime)"
