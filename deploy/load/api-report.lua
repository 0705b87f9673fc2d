-- Used by the api-service wrk scenario(s): optional pacing and a percentile report.
-- PACE_MS (env) is the pause each connection takes before a request, which turns wrk's closed loop
-- into an approximately fixed request rate: rate ~= connections * 1000 / PACE_MS.
local pace = tonumber(os.getenv("PACE_MS") or "0")

function delay()
  return pace
end

function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local errors = summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  io.write(string.format("requests=%d duration=%.1fs throughput=%.0f/s non2xx_or_errors=%d\n",
    summary.requests, seconds, summary.requests / seconds, errors))
  io.write(string.format("latency_ms p50=%.2f p95=%.2f p99=%.2f max=%.2f\n",
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
