-- wrk script for bench/serve_bench.py: POST /v1/scan with a fresh content id on every request
-- (scans are idempotent on content_id, so a repeated id would only measure the replay path).
--
--   wrk -s bench/serve_bench.lua URL -- MODE LIST RUN KEY
--     MODE  jpeg: LIST holds one JPEG path a line, sent as the raw body (content-type image/jpeg)
--           hashes: LIST holds "PDQHEX QUALITY" lines, sent as {"content_id", "hashes": {...}}
--     RUN   a label that keeps content ids unique across runs against the same server
--     KEY   the platform's API key (scope `scan`)
--
-- done() prints one JSON line (prefixed "RESULT ") with counts, latency percentiles and verdicts.

local threads = {}
local thread_count = 0

function setup(thread)
  thread_count = thread_count + 1
  thread:set("tid", thread_count)
  table.insert(threads, thread)
end

local bodies = {}
local mode, run, key
local n = 0
verdicts = { block = 0, hold = 0, allow = 0, other = 0 }

function init(args)
  mode, run, key = args[1], args[3], args[4]
  local list = assert(io.open(args[2], "r"))
  for line in list:lines() do
    if line ~= "" then
      if mode == "jpeg" then
        local f = assert(io.open(line, "rb"))
        table.insert(bodies, f:read("*a"))
        f:close()
      else
        local hex, quality = line:match("^(%x+)%s+(%d+)$")
        table.insert(bodies, { hex = hex, quality = quality })
      end
    end
  end
  list:close()
  assert(#bodies > 0, "empty input list")
end

function request()
  n = n + 1
  local id = string.format("%s-%d-%d", run, tid, n)
  local item = bodies[(n % #bodies) + 1]
  if mode == "jpeg" then
    return wrk.format("POST", "/v1/scan?surface=post&content_id=" .. id, {
      ["Authorization"] = "Bearer " .. key,
      ["Content-Type"] = "image/jpeg",
    }, item)
  end
  local body = string.format('{"content_id":"%s","surface":"post","hashes":{"pdq":["%s"],"quality":%s}}',
    id, item.hex, item.quality)
  return wrk.format("POST", "/v1/scan", {
    ["Authorization"] = "Bearer " .. key,
    ["Content-Type"] = "application/json",
  }, body)
end

function response(status, headers, body)
  local v = body:match('"verdict"%s*:%s*"(%a+)"')
  if status ~= 200 or v == nil or verdicts[v] == nil then
    verdicts.other = verdicts.other + 1
  else
    verdicts[v] = verdicts[v] + 1
  end
end

function done(summary, latency, requests)
  local total = { block = 0, hold = 0, allow = 0, other = 0 }
  for _, thread in ipairs(threads) do
    local v = thread:get("verdicts")
    for k, c in pairs(v) do
      total[k] = total[k] + c
    end
  end
  local e = summary.errors
  io.write(string.format(
    'RESULT {"requests":%d,"duration_us":%d,"bytes":%d,"p50_us":%d,"p90_us":%d,"p99_us":%d,' ..
    '"mean_us":%.1f,"max_us":%d,"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},' ..
    '"verdicts":{"block":%d,"hold":%d,"allow":%d,"other":%d}}\n',
    summary.requests, summary.duration, summary.bytes,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.mean, latency.max,
    e.connect, e.read, e.write, e.status, e.timeout,
    total.block, total.hold, total.allow, total.other))
end
