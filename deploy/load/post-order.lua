-- Order creation: POST /v1/orders, each request with its own Idempotency-Key.
dofile(os.getenv("LOAD_DIR") .. "/api-report.lua")

local counter = 0
local prefix
local threads = 0

-- Runs in the main Lua state once per thread: gives each thread its own number, because
-- math.random is not seeded per thread and would hand two threads the same keys (replays, not orders).
function setup(thread)
  threads = threads + 1
  thread:set("thread_number", threads)
end

function init(args)
  prefix = string.format("load-%d-%d-%d-", os.time(), thread_number, math.random(1, 1e9))
end

function request()
  counter = counter + 1
  return wrk.format("POST", "/v1/orders", {
    ["Authorization"] = "Bearer " .. os.getenv("TOKEN"),
    ["Content-Type"] = "application/json",
    ["Idempotency-Key"] = prefix .. counter,
  }, '{"items":[{"product_id":"' .. os.getenv("PRODUCT_ID") .. '","quantity":2}],"promo_code":"WELCOME10"}')
end
