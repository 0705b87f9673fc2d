#!/usr/bin/env bash
# bench: llm-service: catalogue retrieval at 10k products and first-token latency of 20 concurrent chats
# llm-service benchmark: retrieval at 10k products and first-token latency under 20 concurrent chats,
# for the offline responder and the OpenAI-compatible provider path. Needs the local stack
# (./ragline stack up), the dev keys (.ragline/keys) and the packaged service:
#   ./mvnw -pl llm-service -am package -DskipTests && deploy/load/llm-chat.sh [--products N] [--concurrency C]
# Also: --paths offline|provider (one run only), --warm-up N (chats before measuring each path; by default
# rounds of 400 until the JIT compilers use under 5 % of the service CPU, see --steady-jit-share), --jar PATH
# (another packaged build, to compare two builds back to back), --jvm-options=... (e.g. a JFR recording),
# --stream-first-chunk-ms/--stream-chunks/--stream-interval-ms/--stream-connection (the model-like scenario).
# See llm_bench.py for what each figure means.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
. deploy/load/jdk.sh && use_jdk 21
exec python3 deploy/load/llm_bench.py "$@"
