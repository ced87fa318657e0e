-- The benchmark's workloads for wrk (bench/wrk.ts runs it): the same requests bench/load-generator.ts
-- sends with autocannon. Arguments after `--`: workload token arg
--   read   token paths-file     GET a uniformly random path of the file per request
--   list   token path           GET one fixed path
--   create token body-template  POST the template with {n} made unique per thread and request
-- `done` prints one result line, in bench/workload.ts's LoadResult shape, for the orchestrator.

local threads = {}
local counter = 0

function setup(thread)
  thread:set("tid", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  workload = args[1]
  wrk.headers["Authorization"] = "Bearer " .. args[2]
  math.randomseed(os.time() + (tid or 0) * 7919)
  if workload == "read" then
    paths = {}
    for line in io.lines(args[3]) do
      paths[#paths + 1] = line
    end
  elseif workload == "list" then
    fixed = wrk.format("GET", args[3])
  elseif workload == "create" then
    template = args[3]
    wrk.method = "POST"
    wrk.headers["Content-Type"] = "application/json"
  end
end

function request()
  if workload == "read" then
    return wrk.format("GET", paths[math.random(#paths)])
  elseif workload == "list" then
    return fixed
  else
    counter = counter + 1
    local body = string.gsub(template, "{n}", tid .. "-" .. counter)
    return wrk.format("POST", "/api/v2/users", nil, body)
  end
end

function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  local ok = summary.requests - summary.errors.status
  io.write(string.format(
    'LOAD-RESULT {"ok":%d,"seconds":%.3f,"rps":%.3f,"p50Ms":%.4f,"p99Ms":%.4f,"non2xx":%d,"errors":%d}\n',
    ok, seconds, ok / seconds, latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.errors.status, errors))
end
