-- wrk script of bench/answer.py: one kind of request per run, cycling over the survey links.
-- wrk -s bench/wrk/pages.lua URL -- KIND FILE THREADS CSRF_COOKIE CSRF_FORM
--   KIND: answer (POST the survey form, as the page's own form does), survey (GET the page),
--         thanks (GET the thank-you page), floor (GET the one-row floor view)
--   FILE: one line per link: "<invitation id> <token>"
-- Each thread takes every THREADS-th link, so two requests for one link are rarely in flight.
-- Statuses other than the expected one are counted and reported, never passed as figures.

local threads, made = {}, 0

function setup(thread)
  thread:set("id", made)
  made = made + 1
  table.insert(threads, thread)
end

local EXPECTED = { answer = 302, survey = 200, thanks = 200, floor = 200 }
local COMMENTS = {
  "Quick+and+friendly%2C+thanks%21",
  "Took+three+days+before+anyone+answered.",
  "The+printer+works+again.",
  "",
}

function init(args)
  kind, step = args[1], tonumber(args[3])
  links, ids = {}, {}
  for line in io.lines(args[2]) do
    local pk, token = line:match("^(%d+) (%S+)$")
    table.insert(ids, pk)
    table.insert(links, token)
  end
  n, ok, bad = id, 0, 0
  expected = EXPECTED[kind]
  form_headers = {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    -- As a browser sends the survey page's own form: the page's CSRF cookie and field, and
    -- (the page is no-referrer) Origin: null with Sec-Fetch-Site (surveys/csrf.py).
    ["Cookie"] = "csrftoken=" .. (args[4] or ""),
    ["Origin"] = "null",
    ["Sec-Fetch-Site"] = "same-origin",
  }
  csrf_field = args[5] or ""
end

function request()
  local i = n % #links + 1
  n = n + step
  if kind == "answer" then
    local body = "csrfmiddlewaretoken=" .. csrf_field .. "&score=" .. (n * 7) % 11
      .. "&comment=" .. COMMENTS[n % #COMMENTS + 1]
    return wrk.format("POST", "/s/" .. links[i] .. "/", form_headers, body)
  elseif kind == "survey" then
    return wrk.format("GET", "/s/" .. links[i] .. "/")
  elseif kind == "thanks" then
    return wrk.format("GET", "/s/" .. links[i] .. "/thanks/")
  end
  return wrk.format("GET", "/bench/floor/" .. ids[i] .. "/")
end

function response(status, headers, body)
  if status == expected then ok = ok + 1 else bad = bad + 1 end
end

function done(summary, latency, requests)
  local good, wrong = 0, 0
  for _, thread in ipairs(threads) do
    good = good + thread:get("ok")
    wrong = wrong + thread:get("bad")
  end
  local e = summary.errors
  io.write(string.format(
    'WRK {"requests": %d, "seconds": %.3f, "ok": %d, "bad": %d, "socket_errors": %d, '
      .. '"p50_ms": %.2f, "p90_ms": %.2f, "p99_ms": %.2f, "max_ms": %.2f}\n',
    summary.requests, summary.duration / 1e6, good, wrong,
    e.connect + e.read + e.write + e.timeout,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000))
end
