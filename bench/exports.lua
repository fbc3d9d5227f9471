-- wrk script for bench/exports.sh: books interviews as fast as the service takes them, each in its own slot.
-- IDS_FILE: one interviewer id per line; TOKEN: an admin bearer token; TOTAL: interviews to book (all threads).
-- Request k of thread t books slot (t + k * threads): interviewer (slot mod #ids), hour (slot div #ids) after BASE.
local ids, threads, counter, tid, total = {}, 1, 0, 0, tonumber(os.getenv("TOTAL"))
local words = { "Grace", "Alan", "Ada", "Barbara", "Edsger", "Donald", "Margaret", "Ken", "Dennis", "Frances" }
local created = 0

function setup(thread)
  thread:set("tid", tid)
  tid = tid + 1
end

function init(args)
  for line in io.lines(os.getenv("IDS_FILE")) do ids[#ids + 1] = line end
  threads = tonumber(os.getenv("THREADS"))
  wrk.headers["Authorization"] = "Bearer " .. os.getenv("TOKEN")
  wrk.headers["Content-Type"] = "application/json"
end

function request()
  local slot = tid + counter * threads
  counter = counter + 1
  if slot >= total then
    wrk.thread:stop()
    return wrk.format("GET", "/health/live")
  end
  local interviewer = ids[(slot % #ids) + 1]
  local hour = math.floor(slot / #ids)
  local start = tonumber(os.getenv("BASE")) + hour * 3600
  local name = words[(slot % #words) + 1]
  local body = string.format(
    '{"interviewerId":"%s","title":"Interview %d %s","candidateName":"%s Candidate%d","candidateEmail":"c%d@example.com",' ..
    '"startsAt":"%s","endsAt":"%s","notes":"seeded by bench/exports.sh"}',
    interviewer, slot, words[(math.floor(slot / 7) % #words) + 1], name, slot, slot,
    os.date("!%Y-%m-%dT%H:%M:%SZ", start), os.date("!%Y-%m-%dT%H:%M:%SZ", start + 1800))
  return wrk.format("POST", "/api/events", nil, body)
end
