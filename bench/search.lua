-- wrk script for bench/exports.sh: full-text search of the interviews with prefix terms (q=), one term per request in turn.
local terms = { "gra", "ada", "alan", "barb", "edsg", "don", "marg", "ken", "denn", "fran", "interview 12", "candidate4", "grace cand" }
local n = 0

function init(args)
  wrk.headers["Authorization"] = "Bearer " .. os.getenv("TOKEN")
end

function request()
  n = n + 1
  return wrk.format("GET", "/api/events?limit=20&q=" .. terms[(n % #terms) + 1]:gsub(" ", "%%20"))
end
