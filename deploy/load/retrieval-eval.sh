#!/usr/bin/env bash
# Rake retrieval quality: ingests a real public corpus (a subset of the Python 3.11 library reference
# from Debian's python3.11-doc, listed in deploy/load/retrieval-eval/python-docs.pages) through the
# jobs API of a freshly built ingest-service, asks the labelled question set
# (deploy/load/retrieval-eval/python-docs.questions.jsonl) in each search mode, and prints
# recall@1/5/10, MRR@10, nDCG@10, query p50/p95 and ingestion chunks/s (see eval.py for the metrics).
#
# The service runs from its packaged jar on a free loopback port, against its own database
# (ragline_eval, created here like ragline_bench) and its own Kafka topic and group, so it disturbs
# neither `./ragline up` nor test runs. Every run ingests into a new tenant.
#
# usage: deploy/load/retrieval-eval.sh [modes=hybrid,vector,text]
# env:   EVAL_JAVA_OPTS   extra JVM flags for the service (e.g. -Drake.embedding.in-process.model=...)
#        EVAL_SKIP_BUILD=1  reuse ingest-service/target/quarkus-app
#        EVAL_PAGES / EVAL_QUESTIONS / EVAL_CORPUS_DIR  another corpus and question set
#        EVAL_TENANT + EVAL_SKIP_INGEST=1  ask again over a tenant a previous run filled
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
modes=${1:-hybrid,vector,text}
here="$root/deploy/load/retrieval-eval"
pages=${EVAL_PAGES:-$here/python-docs.pages}
questions=${EVAL_QUESTIONS:-$here/python-docs.questions.jsonl}
corpus=${EVAL_CORPUS_DIR:-/usr/share/doc/python3.11/html/library}
. "$root/deploy/load/jdk.sh" && use_jdk 21

if [ ! -d "$corpus" ]; then
  echo "corpus $corpus is missing: apt-get install python3.11-doc" >&2
  exit 1
fi
keys="$root/.ragline/keys"
if [ ! -f "$keys/jwt-private.pem" ] || [ ! -f "$keys/jwt-public.pem" ]; then
  mkdir -p "$keys" && chmod 700 "$keys"
  openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$keys/jwt-private.pem" 2>/dev/null
  openssl pkey -in "$keys/jwt-private.pem" -pubout -out "$keys/jwt-public.pem"
fi
deploy/local/stack.sh ensure-db ragline_eval >/dev/null
log_dir="$root/ingest-service/target/retrieval-eval"
mkdir -p "$log_dir"
if [ "${EVAL_SKIP_BUILD:-0}" != 1 ]; then
  ./mvnw -B -q -pl contracts,ingest-service package -DskipTests >"$log_dir/build.log" 2>&1 \
    || { tail -n 40 "$log_dir/build.log" >&2; exit 1; }
fi
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
echo "machine: $(nproc) cores, shared; load average $(cut -d' ' -f1-3 /proc/loadavg) at start; $(date -u +%FT%TZ)"
# shellcheck disable=SC2086
RAGLINE_HTTP_HOST=127.0.0.1 RAGLINE_DB_URL=postgresql://127.0.0.1:5432/ragline_eval \
  RAGLINE_JWT_PUBLIC_KEY="file:$keys/jwt-public.pem" RAKE_SECRETS_KEY="$(openssl rand -base64 32)" \
  java -Xmx1g --enable-native-access=ALL-UNNAMED -Dquarkus.http.port="$port" \
  -Dmp.messaging.outgoing.rake-jobs-out.topic=ragline.eval.rake.jobs \
  -Dmp.messaging.incoming.rake-jobs-in.topic=ragline.eval.rake.jobs \
  -Dmp.messaging.incoming.rake-jobs-in.group.id=ingest-service-eval \
  ${EVAL_JAVA_OPTS:-} -jar ingest-service/target/quarkus-app/quarkus-run.jar >"$log_dir/service.log" 2>&1 &
service=$!
trap 'kill "$service" 2>/dev/null; wait "$service" 2>/dev/null || true' EXIT
for _ in $(seq 1 300); do
  if curl -sf -o /dev/null "http://127.0.0.1:$port/q/health/ready"; then break; fi
  kill -0 "$service" 2>/dev/null || { tail -n 40 "$log_dir/service.log" >&2; exit 1; }
  sleep 0.5
done
extra=()
[ -n "${EVAL_TENANT:-}" ] && extra+=(--tenant "$EVAL_TENANT")
[ "${EVAL_SKIP_INGEST:-0}" = 1 ] && extra+=(--skip-ingest)
python3 "$here/eval.py" --base-url "http://127.0.0.1:$port" --private-key "$keys/jwt-private.pem" \
  --corpus-dir "$corpus" --pages "$pages" --questions "$questions" --modes "$modes" \
  --misses "$log_dir/misses.jsonl" --label "${EVAL_LABEL:-}" "${extra[@]}" | sed 's/^RESULT //'
ps -o rss= -p "$service" | awk '{ printf "service RSS at the end: %.0f MiB\n", $1 / 1024 }'
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg); questions missed at 5: $log_dir/misses.jsonl"
