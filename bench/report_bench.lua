-- wrk script for bench/report_bench.py: POST /v1/reports with a realistic mix.
--
--   wrk -s bench/report_bench.lua URL -- RUN KEY
--     RUN  a label that keeps content ids distinct across runs against the same server
--     KEY  the platform's API key (scope `report`)
--
-- Mix per 100 requests: 70 reports of a post (ids drawn from 200,000, so popular posts get
-- several reports and merge), 20 text-only reports of a message (the classifier runs on it),
-- 10 reports of an account; 2 in 100 urgent (sextortion / self-harm); reporters drawn from
-- 100,000 ids. done() prints one JSON line (prefixed "RESULT ") with counts and latencies.

local threads = {}
local thread_count = 0

function setup(thread)
  thread_count = thread_count + 1
  thread:set("tid", thread_count)
  table.insert(threads, thread)
end

local run, key
local n = 0
statuses = { created = 0, refused = 0, other = 0 }

local reasons = { "bullying", "hate", "scam", "harmful_goods", "other", "private_info",
  "sexual_solicitation", "dangerous_group" }
local messages = {
  "you are so ugly nobody at school likes you",
  "send me a pic of you, our secret ok",
  "win a free phone, just send your card number",
  "what school do you go to and where do you live",
  "lol that game was great see you tomorrow",
  "join us, we will show them, meet at the station",
}

function init(args)
  run, key = args[1], args[2]
  math.randomseed(tid * 7919 + 17)
end

function request()
  n = n + 1
  local r = math.random(100)
  local reason = reasons[math.random(#reasons)]
  if math.random(100) <= 2 then
    reason = (math.random(2) == 1) and "sextortion" or "self_harm"
  end
  local reporter = string.format("u%d", math.random(100000))
  local body
  if r <= 70 then
    body = string.format(
      '{"reason":"%s","content_id":"%s-post-%d","surface":"post","reporter_ref":"%s","lang":"en","country":"GB"}',
      reason, run, math.random(200000), reporter)
  elseif r <= 90 then
    body = string.format(
      '{"reason":"%s","message_text":"%s %d","surface":"message","reporter_ref":"%s","reporter_is_child":true}',
      reason, messages[math.random(#messages)], math.random(1000000), reporter)
  else
    body = string.format(
      '{"reason":"%s","account_id":"%s-acct-%d","surface":"profile","reporter_ref":"%s"}',
      reason, run, math.random(50000), reporter)
  end
  return wrk.format("POST", "/v1/reports", {
    ["Authorization"] = "Bearer " .. key,
    ["Content-Type"] = "application/json",
  }, body)
end

function response(status, headers, body)
  if status == 201 then
    statuses.created = statuses.created + 1
  elseif status == 429 then
    statuses.refused = statuses.refused + 1
  else
    statuses.other = statuses.other + 1
  end
end

function done(summary, latency, requests)
  local total = { created = 0, refused = 0, other = 0 }
  for _, thread in ipairs(threads) do
    local v = thread:get("statuses")
    for k, c in pairs(v) do
      total[k] = total[k] + c
    end
  end
  local e = summary.errors
  io.write(string.format(
    'RESULT {"requests":%d,"duration_us":%d,"p50_us":%d,"p90_us":%d,"p99_us":%d,' ..
    '"mean_us":%.1f,"max_us":%d,"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},' ..
    '"statuses":{"created":%d,"refused":%d,"other":%d}}\n',
    summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.mean, latency.max,
    e.connect, e.read, e.write, e.status, e.timeout,
    total.created, total.refused, total.other))
end
