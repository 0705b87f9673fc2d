#!/usr/bin/env bash
# llm-service benchmark: retrieval at 10k products and first-token latency under 20 concurrent chats,
# for the offline responder and the OpenAI-compatible provider path. Needs the local stack
# (./ragline stack up), the dev keys (.ragline/keys) and the packaged service:
#   ./mvnw -pl llm-service -am package -DskipTests && deploy/load/llm-chat.sh [--products N] [--concurrency C]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
# The service needs Java 21+; use JAVA_HOME when it qualifies, else the newest JDK under /usr/lib/jvm.
for home in "${JAVA_HOME:-}" $(ls -d /usr/lib/jvm/*/ 2>/dev/null | sort -rV); do
  home="${home%/}"
  [ -n "$home" ] && [ -x "$home/bin/java" ] || continue
  major=$("$home/bin/java" -version 2>&1 | awk -F'"' '/version/ { split($2, v, "."); print v[1]; exit }')
  if [ "${major:-0}" -ge 21 ]; then
    export JAVA_HOME="$home" PATH="$home/bin:$PATH"
    break
  fi
done
exec python3 deploy/load/llm_bench.py "$@"
