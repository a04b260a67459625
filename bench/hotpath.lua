-- wrk script of bench/http_hotpath.py: one connection per wrk thread, each a client of one counter.
--
--   wrk -t16 -c16 -d15s -s bench/hotpath.lua http://127.0.0.1:PORT -- PHASE KIND MALL FIRST KIOSK TOKEN1 .. TOKEN16
--
-- PHASE: mix (issue, call-next at its counter, finish that ticket: 1:1:1), issue, call+finish.
-- KIND: bare (bench/bare_ninja.py's paths, no token) or satuatap (the API, bearer tokens).
-- Per operation it keeps the latency of every answer (wall clock through LuaJIT's FFI) and counts
-- the statuses; done() prints one line "RESULT {json}" that the Python side reads.

local ffi = require("ffi")
ffi.cdef [[
typedef struct { long tv_sec; long tv_nsec; } hotpath_timespec;
int clock_gettime(int clk_id, hotpath_timespec *tp);
]]
local ts = ffi.new("hotpath_timespec")
local function now_ms()
  ffi.C.clock_gettime(1, ts) -- CLOCK_MONOTONIC
  return tonumber(ts.tv_sec) * 1000 + tonumber(ts.tv_nsec) / 1e6
end

local threads = {}
local counter = 0

function setup(thread)
  thread:set("client", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

local phase, kind, mall, first, kiosk, tokens
step, ticket = "issue", nil -- globals: done() reads which ticket a client still held when the time was up
local op, started = nil, 0
-- Flat globals only: wrk's thread:get() crashes on a table of tables.
lat_issue, lat_call, lat_finish = {}, {}, {}
local latency = { ["issue"] = lat_issue, ["call-next"] = lat_call, ["finish"] = lat_finish }
statuses = {}
services = { "DUKCAPIL-KTP", "DUKCAPIL-KK" }

function init(args)
  phase, kind, mall, first, kiosk = args[1], args[2], args[3], tonumber(args[4]), args[5]
  tokens = {}
  for i = 6, #args do
    tokens[#tokens + 1] = args[i]
  end
  step = (phase == "call+finish") and "call-next" or "issue"
end

local function post(path, token, body)
  local headers = { ["Content-Type"] = "application/json" }
  if token then
    headers["Authorization"] = "Bearer " .. token
  end
  return wrk.format("POST", path, headers, body or "")
end

function request()
  op, started = step, now_ms()
  local number = first + client
  local officer = tokens[client + 1]
  if step == "issue" then
    if kind == "bare" then
      return post("/api/issue")
    end
    local service = services[(client % 2) + 1]
    return post("/api/v1/malls/" .. mall .. "/tickets", kiosk, '{"service": "' .. service .. '"}')
  elseif step == "call-next" then
    if kind == "bare" then
      return post("/api/call-next")
    end
    return post("/api/v1/malls/" .. mall .. "/counters/" .. number .. "/call-next", officer)
  else
    if kind == "bare" then
      return post("/api/finish/" .. ticket)
    end
    return post("/api/v1/malls/" .. mall .. "/tickets/" .. ticket .. "/finish", officer)
  end
end

function response(status, headers, body)
  local took = now_ms() - started
  local list = latency[op]
  list[#list + 1] = took
  local key = op .. " " .. status
  statuses[key] = (statuses[key] or 0) + 1
  if phase == "issue" then
    return
  end
  if op == "issue" then
    step = "call-next"
  elseif op == "call-next" then
    local id = status == 200 and body and string.match(body, '"id":%s*(%d+)')
    if id then
      ticket, step = id, "finish"
    elseif status == 204 and phase == "call+finish" then
      wrk.thread:stop() -- nobody left to call: this client is done
    else
      step = (phase == "mix") and "issue" or "call-next"
    end
  else
    step = (phase == "mix") and "issue" or "call-next"
  end
end

local function json_list(values)
  local parts = {}
  for i = 1, #values do
    parts[i] = string.format("%.3f", values[i])
  end
  return "[" .. table.concat(parts, ",") .. "]"
end

function done(summary, _latency, _requests)
  local all = { ["issue"] = {}, ["call-next"] = {}, ["finish"] = {} }
  local counts = {}
  for _, thread in ipairs(threads) do
    for name, global in pairs({ ["issue"] = "lat_issue", ["call-next"] = "lat_call", ["finish"] = "lat_finish" }) do
      for _, value in ipairs(thread:get(global)) do
        table.insert(all[name], value)
      end
    end
    for key, n in pairs(thread:get("statuses")) do
      counts[key] = (counts[key] or 0) + n
    end
  end
  local status_parts = {}
  for key, n in pairs(counts) do
    status_parts[#status_parts + 1] = string.format('"%s": %d', key, n)
  end
  local held = {}
  for _, thread in ipairs(threads) do
    if thread:get("step") == "finish" then
      held[#held + 1] = string.format("[%d, %s]", thread:get("client"), thread:get("ticket"))
    end
  end
  local errors = summary.errors
  io.write(string.format(
    'RESULT {"seconds": %.4f, "socket_errors": %d, "statuses": {%s}, "held": [%s], '
      .. '"latency": {"issue": %s, "call-next": %s, "finish": %s}}\n',
    summary.duration / 1e6, errors.connect + errors.read + errors.write + errors.timeout,
    table.concat(status_parts, ", "), table.concat(held, ", "), json_list(all["issue"]), json_list(all["call-next"]), json_list(all["finish"])
  ))
end
