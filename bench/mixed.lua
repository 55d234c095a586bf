-- wrk script: mixed read load across many stores (more than the registry holds).
-- env: STORES (comma-separated ids), FRAMES (frame numbers are 0..FRAMES-1)
local stores = {}
for id in string.gmatch(os.getenv("STORES") or "", "[^,]+") do
  table.insert(stores, id)
end
local frames = tonumber(os.getenv("FRAMES") or "300")
local counter = 0
local kinds = {
  "", "", "", "",                    -- png (most requests)
  "?format=jpeg", "?format=jpeg&quality=70",
  "?format=npy",
  "?width=128",                      -- thumbnails
  "?exact=false",
}

function setup(thread)
  counter = counter + 1
  thread:set("seed", counter)
end

function init(args)
  math.randomseed(os.time() * 1000 + (seed or 0))
end

request = function()
  local store = stores[math.random(1, #stores)]
  local r = math.random(1, 100)
  if r <= 2 then
    return wrk.format("GET", "/stores/" .. store)
  elseif r <= 3 then
    return wrk.format("GET", "/stores/" .. store .. "/frame-metadata?frame_min=0&frame_max=50")
  elseif r <= 4 then
    return wrk.format("GET", "/stores")
  end
  local n = math.random(0, frames - 1)
  local kind = kinds[math.random(1, #kinds)]
  return wrk.format("GET", "/stores/" .. store .. "/frames/" .. n .. kind)
end
