-- wrk script for the Scheduler benchmark. One scenario per run, chosen by the SCENARIO environment variable:
--   health | get_by_id | list | list_filtered | list_events | post_interviewer | post_event | mixed
-- TOKEN: bearer token; IDS_FILE: interviewer ids, one per line; RUN: a unique tag for this run (emails, slots).
local scenario = os.getenv("SCENARIO") or "health"
local token = os.getenv("TOKEN") or ""
local run = os.getenv("RUN") or tostring(os.time())
local ids = {}
local threads = {}
local counter = 0
local created = 0
-- thread_id is a global: setup() runs in the main Lua state and hands each thread its number with thread:set.
thread_id = 0

local function load_ids()
  local file = io.open(os.getenv("IDS_FILE") or "", "r")
  if file then
    for line in file:lines() do ids[#ids + 1] = line end
    file:close()
  end
end

function setup(thread)
  created = created + 1
  thread:set("thread_id", created)
  table.insert(threads, thread)
end

function init(args)
  load_ids()
  math.randomseed(os.time() + thread_id * 7919)
  wrk.headers["Authorization"] = "Bearer " .. token
  wrk.headers["Content-Type"] = "application/json"
end

local function get_by_id()
  return wrk.format("GET", "/api/interviewers/" .. ids[math.random(#ids)])
end

local function list()
  return wrk.format("GET", "/api/interviewers?limit=50&offset=" .. (math.random(0, 9) * 50))
end

local function list_filtered()
  local skills = { "csharp", "sql", "go", "rust", "react" }
  return wrk.format("GET", "/api/interviewers?limit=50&status=active&skill=" .. skills[math.random(#skills)] .. "&sort=-createdAt")
end

local function list_events()
  return wrk.format("GET", "/api/events?limit=50&offset=" .. (math.random(0, 9) * 50))
end

local function post_interviewer()
  counter = counter + 1
  local body = string.format('{"name":"Bench %d","email":"bench-%s-%d-%d@example.com","skills":["go","sql"],"timezone":"Europe/Berlin"}',
    counter, run, thread_id, counter)
  return wrk.format("POST", "/api/interviewers", nil, body)
end

-- Slots never overlap, whoever the interviewer: the threads interleave 30-minute steps from EVENT_BASE (which each wrk
-- run moves on by two years), each slot 15 minutes long.
-- EVENT_STRIDE (64): at least the number of threads; bench/memory.sh packs the slots closer, to stay within 2200.
local event_stride = tonumber(os.getenv("EVENT_STRIDE") or "64")
-- Candidates drawn from 40 first and 40 last names, so a search (bench/search.sh) matches some rows, not all or none.
local first_names = { "Ada", "Alan", "Barbara", "Brian", "Claude", "Dennis", "Donald", "Edsger", "Frances", "Grace",
  "Guido", "Hedy", "Ivan", "James", "Joan", "John", "Ken", "Leslie", "Linus", "Margaret", "Mary", "Niklaus", "Radia",
  "Rasmus", "Richard", "Robin", "Roger", "Ruth", "Sophie", "Stephen", "Susan", "Tim", "Tony", "Vint", "Whitfield",
  "Yukihiro", "Zoe", "Anders", "Bjarne", "Katherine" }
local last_names = { "Lovelace", "Turing", "Liskov", "Kernighan", "Shannon", "Ritchie", "Knuth", "Dijkstra", "Allen",
  "Hopper", "Rossum", "Lamarr", "Sutherland", "Gosling", "Clarke", "McCarthy", "Thompson", "Lamport", "Torvalds",
  "Hamilton", "Keller", "Wirth", "Perlman", "Lerdorf", "Stallman", "Milner", "Needham", "Teitelbaum", "Wilson",
  "Cook", "Kare", "Berners", "Hoare", "Cerf", "Diffie", "Matsumoto", "Hellman", "Hejlsberg", "Stroustrup", "Johnson" }
local titles = { "Backend interview", "System design", "Pair programming", "Culture fit", "Hiring manager" }
local function post_event()
  counter = counter + 1
  local step = counter * event_stride + thread_id
  local start = tonumber(os.getenv("EVENT_BASE")) + step * 1800
  local first, last = first_names[math.random(#first_names)], last_names[math.random(#last_names)]
  local body = string.format('{"interviewerId":"%s","title":"%s","candidateName":"%s %s","candidateEmail":"%s.%s.%d@example.com","startsAt":"%s","endsAt":"%s"}',
    ids[math.random(#ids)], titles[math.random(#titles)], first, last, string.lower(first), string.lower(last), counter,
    os.date("!%Y-%m-%dT%H:%M:%SZ", start), os.date("!%Y-%m-%dT%H:%M:%SZ", start + 900))
  return wrk.format("POST", "/api/events", nil, body)
end

function request()
  if scenario == "health" then return wrk.format("GET", "/api/health") end
  if scenario == "get_by_id" then return get_by_id() end
  if scenario == "list" then return list() end
  if scenario == "list_filtered" then return list_filtered() end
  if scenario == "list_events" then return list_events() end
  if scenario == "post_interviewer" then return post_interviewer() end
  if scenario == "post_event" then return post_event() end
  -- mixed: 80 % get by id, 10 % list, 10 % create
  local r = math.random(100)
  if r <= 80 then return get_by_id() end
  if r <= 90 then return list() end
  return post_interviewer()
end

local non2xx = 0
function response(status, headers, body)
  if status < 200 or status > 299 then
    non2xx = non2xx + 1
    -- The first failure of each thread is shown, so an error count never comes without its reason.
    if non2xx == 1 then io.stderr:write(string.format("%s: HTTP %d %s\n", scenario, status, body or "")) end
  end
end

function done(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  local bad = 0
  for _, thread in ipairs(threads) do bad = bad + (thread:get("non2xx") or 0) end
  io.write(string.format("RESULT %s %.1f %.2f %.2f %d %d %d\n", scenario,
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.requests, bad + summary.errors.status, errors))
end
