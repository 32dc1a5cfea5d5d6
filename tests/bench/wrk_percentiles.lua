-- wrk script of the load benchmark: at the end of a run, print one line of JSON that
-- tests/bench/load_support.py reads (latencies in microseconds).
--
-- With WRK_MISS_NONCE set, every request carries its own query string (?bench-miss=...), which
-- the views ignore but the page cache keys on: every request is then a page-cache miss, the
-- cost of a page right after a change.
local nonce = os.getenv("WRK_MISS_NONCE")
local made = 0

setup = function(thread)
  made = made + 1
  thread:set("thread_number", made)
end

if nonce then
  local counter = 0
  request = function()
    counter = counter + 1
    local separator = string.find(wrk.path, "?", 1, true) and "&" or "?"
    return wrk.format(nil, wrk.path .. separator .. "bench-miss=" .. nonce .. "-" ..
      tostring(thread_number) .. "-" .. counter)
  end
end

done = function(summary, latency, requests)
  io.write(string.format(
    'WRK_JSON {"requests": %d, "duration_us": %d, "bytes": %d, ' ..
    '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}, ' ..
    '"latency_us": {"p50": %d, "p90": %d, "p95": %d, "p99": %d, "mean": %.1f, "max": %d}}\n',
    summary.requests, summary.duration, summary.bytes,
    summary.errors.connect, summary.errors.read, summary.errors.write,
    summary.errors.status, summary.errors.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(95),
    latency:percentile(99), latency.mean, latency.max))
end
