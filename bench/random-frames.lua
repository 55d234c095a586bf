-- wrk script: random frames of one store by frame number.
-- env: STORE (id), FRAMES (frame numbers are 0..FRAMES-1), QUERY (e.g. "" or "?format=jpeg")
local store = os.getenv("STORE")
local frames = tonumber(os.getenv("FRAMES") or "1000")
local query = os.getenv("QUERY") or ""
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("seed", counter)
end

function init(args)
  math.randomseed(os.time() * 1000 + (seed or 0))
end

request = function()
  local n = math.random(0, frames - 1)
  return wrk.format("GET", "/stores/" .. store .. "/frames/" .. n .. query)
end
