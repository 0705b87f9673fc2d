#!/usr/bin/env bash
# Prometheus for the local RAGline: Debian's `prometheus` package (installed when missing), scraping every
# instance of every service, with the recording and alerting rules of rules/.
#
#   prometheus.sh up          start (or refresh the targets of a running one) on 127.0.0.1:9090
#   prometheus.sh down        stop the one `up` started
#   prometheus.sh status      one line
#   prometheus.sh test-rules  promtool check + unit tests of the rules (part of ./ragline test)
#
# RAGLINE_PROMETHEUS_PORT (9090) and RAGLINE_PROMETHEUS_DIR (.ragline/prometheus) let a test run its own.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
port="${RAGLINE_PROMETHEUS_PORT:-9090}"
dir="${RAGLINE_PROMETHEUS_DIR:-$root/.ragline/prometheus}"
instances="${RAGLINE_INSTANCES_FILE:-$root/.ragline/run/instances}"
pid_file="$dir/prometheus.pid"
log_file="$dir/prometheus.log"

die() {
  echo "error: $*" >&2
  exit 1
}

ensure_installed() {
  command -v prometheus >/dev/null 2>&1 && command -v promtool >/dev/null 2>&1 && return
  echo "  prometheus installing Debian's prometheus package"
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  # policy-rc.d keeps the package's own service from starting: this script runs the one RAGline uses.
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends prometheus >"$dir/apt.log" 2>&1 ||
    { tail -n 20 "$dir/apt.log" >&2; die "could not install prometheus (log: $dir/apt.log)"; }
}

# The file_sd list: `.ragline/run/instances` (one `service host:port` a line, written for replicas),
# else the four base ports.
write_targets() {
  local lines
  if [ -s "$instances" ]; then
    lines=$(grep -E '^[a-z-]+ +[^ ]+:[0-9]+$' "$instances" || true)
  else
    lines=$'api-service 127.0.0.1:8000\nllm-service 127.0.0.1:8001\nworker-service 127.0.0.1:8002\ningest-service 127.0.0.1:8003'
  fi
  local first=1 service target
  {
    echo "["
    while read -r service target; do
      [ -n "$service" ] || continue
      [ $first -eq 1 ] || echo ","
      first=0
      printf '  {"targets": ["%s"], "labels": {"job": "%s", "service": "%s"}}' "$target" "$service" "$service"
    done <<<"$lines"
    echo
    echo "]"
  } >"$dir/targets.json.tmp"
  # Renamed into place: Prometheus never reads half a file.
  mv "$dir/targets.json.tmp" "$dir/targets.json"
}

render_config() {
  sed -e "s|@RULES@|$here/rules|" -e "s|@TARGETS@|$dir/targets.json|" -e "s|@SELF@|127.0.0.1:$port|" \
    "$here/prometheus.yml" >"$dir/prometheus.yml"
}

running() { [ -f "$pid_file" ] && kill -0 "$(cat "$pid_file")" 2>/dev/null; }

cmd_up() {
  mkdir -p "$dir/data"
  ensure_installed
  write_targets
  render_config
  promtool check config "$dir/prometheus.yml" >"$dir/check.log" 2>&1 || { cat "$dir/check.log" >&2; die "invalid Prometheus config"; }
  if running; then
    # Targets are re-read by file_sd; rules and config on a reload.
    kill -HUP "$(cat "$pid_file")"
    echo "  prometheus running on 127.0.0.1:$port (pid $(cat "$pid_file")), targets refreshed"
    return
  fi
  if curl -s -o /dev/null "http://127.0.0.1:$port/-/ready"; then
    die "port $port is taken by a process ragline did not start (set RAGLINE_PROMETHEUS_PORT)"
  fi
  nohup prometheus --config.file="$dir/prometheus.yml" --storage.tsdb.path="$dir/data" \
    --storage.tsdb.retention.time=2d --web.listen-address="127.0.0.1:$port" --web.enable-lifecycle \
    >"$log_file" 2>&1 &
  echo $! >"$pid_file"
  for _ in $(seq 1 100); do
    if curl -fs "http://127.0.0.1:$port/-/ready" >/dev/null 2>&1; then
      echo "  prometheus ready on http://127.0.0.1:$port (pid $(cat "$pid_file"))"
      return
    fi
    running || { tail -n 20 "$log_file" >&2; die "prometheus exited during start-up (log: $log_file)"; }
    sleep 0.2
  done
  die "prometheus was not ready after 20s (log: $log_file)"
}

cmd_down() {
  if running; then
    local pid
    pid=$(cat "$pid_file")
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -9 "$pid" 2>/dev/null || true
    echo "  prometheus stopped"
  fi
  rm -f "$pid_file"
}

cmd_status() {
  if running && curl -fs "http://127.0.0.1:$port/-/ready" >/dev/null 2>&1; then
    printf '  %-14s %s\n' prometheus "ready on :$port"
  else
    printf '  %-14s %s\n' prometheus down
  fi
}

cmd_test_rules() {
  mkdir -p "$dir"
  ensure_installed
  promtool check rules "$here"/rules/*.rules.yml
  promtool test rules "$here"/rules/tests/*.test.yml
}

case "${1:-}" in
  up) cmd_up ;;
  down) cmd_down ;;
  status) cmd_status ;;
  test-rules) cmd_test_rules ;;
  *)
    echo "usage: $0 up|down|status|test-rules" >&2
    exit 2
    ;;
esac
