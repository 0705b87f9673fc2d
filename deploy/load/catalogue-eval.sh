#!/usr/bin/env bash
# bench: catalogue search quality (retrieve_menu) on a labelled set over the demo menu, via a running ./ragline up
# Catalogue search quality (retrieve_menu): asks the labelled question set over the demo menu
# (deploy/load/catalogue-eval/demo-menu.questions.jsonl) as a customer of the demo tenant, through the
# running system's front door, and prints recall@1/5, MRR@8, and precision and exact-set rate on the
# questions whose label is every dish meeting the request's price and diet (see catalogue-eval/eval.py).
#
# usage: ./ragline up, then deploy/load/catalogue-eval.sh [--verbose]
# env:   CATALOGUE_EVAL_BASE (default http://127.0.0.1:8080), CATALOGUE_EVAL_QUESTIONS
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
base=${CATALOGUE_EVAL_BASE:-http://127.0.0.1:8080}
curl -fs -o /dev/null "$base/healthz" || { echo "nothing answers on $base: run ./ragline up first" >&2; exit 1; }
echo "machine: $(nproc) cores, shared; load average $(cut -d' ' -f1-3 /proc/loadavg); $(date -u +%FT%TZ); $(git -C "$root" rev-parse --short HEAD)"
exec python3 "$root/deploy/load/catalogue-eval/eval.py" --base "$base" \
  --questions "${CATALOGUE_EVAL_QUESTIONS:-$root/deploy/load/catalogue-eval/demo-menu.questions.jsonl}" "$@"
