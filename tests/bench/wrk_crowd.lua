-- wrk script of the crowd benchmark (tests/bench/bench_load.py).
--
-- WRK_CROWD_PLAN names a file written by load_support.write_crowd_file:
--   V <tab> cookie                 a visitor (an empty cookie: signed out)
--   P <tab> kind <tab> path        one of that visitor's pages (kind: a number)
-- For every request a thread picks a visitor at random, then one of their pages, so the
-- connections spread over all sessions and pages. Each request carries X-Bench-Tag
-- "kind:microseconds"; the server's query counter answers it unchanged with its own headers,
-- and the response is recorded as one line in WRK_CROWD_OUT:
--   kind status latency_us queries server_ms slow_statements slowest_ms
-- At the end a line of JSON with wrk's own totals is printed, as wrk_percentiles.lua does.
local ffi = require("ffi")
ffi.cdef [[
  typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
  int clock_gettime(int clock, bench_timespec *now);
]]
local clock = ffi.new("bench_timespec")
local function now_us()
  ffi.C.clock_gettime(1, clock) -- CLOCK_MONOTONIC
  return tonumber(clock.tv_sec) * 1000000 + math.floor(tonumber(clock.tv_nsec) / 1000)
end

local threads = {}
local made = 0

setup = function(thread)
  made = made + 1
  thread:set("thread_number", made)
  table.insert(threads, thread)
end

local visitors = {}
records = {}

init = function(args)
  local plan = assert(io.open(os.getenv("WRK_CROWD_PLAN"), "r"))
  for line in plan:lines() do
    local fields = {}
    for field in string.gmatch(line .. "\t", "([^\t]*)\t") do
      table.insert(fields, field)
    end
    if fields[1] == "V" then
      local headers = {}
      if fields[2] ~= "" then
        headers["Cookie"] = fields[2]
      end
      table.insert(visitors, { headers = headers, pages = {} })
    elseif fields[1] == "P" then
      table.insert(visitors[#visitors].pages, { kind = fields[2], path = fields[3] })
    end
  end
  plan:close()
  math.randomseed(tonumber(os.getenv("WRK_CROWD_SEED") or "1") * 100 + thread_number)
end

request = function()
  local visitor = visitors[math.random(#visitors)]
  local page = visitor.pages[math.random(#visitor.pages)]
  local headers = { ["X-Bench-Tag"] = page.kind .. ":" .. now_us() }
  for name, value in pairs(visitor.headers) do
    headers[name] = value
  end
  return wrk.format("GET", page.path, headers)
end

response = function(status, headers, body)
  local received = now_us()
  local tag = headers["X-Bench-Tag"]
  if not tag then
    -- Not answered by Django (e.g. gunicorn's own error page): kind unknown.
    table.insert(records, "? " .. status .. " 0 0 0 0 0")
    return
  end
  local kind, sent = string.match(tag, "^([^:]+):(%d+)$")
  local timing = headers["Server-Timing"] or ""
  local app = string.match(timing, "app;dur=([%d.]+)") or "0"
  local slowest = string.match(headers["X-Bench-Slowest"] or "", "^([%d.]+)") or "0"
  table.insert(records, table.concat({
    kind, status, received - tonumber(sent), headers["X-Bench-Queries"] or "0", app,
    headers["X-Bench-Slow-Statements"] or "0", slowest,
  }, " "))
end

done = function(summary, latency, requests)
  local out = assert(io.open(os.getenv("WRK_CROWD_OUT"), "w"))
  for _, thread in ipairs(threads) do
    local lines = thread:get("records")
    for _, line in ipairs(lines) do
      out:write(line, "\n")
    end
  end
  out:close()
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
