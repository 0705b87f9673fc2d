-- Order creation: POST /v1/orders, each request with its own Idempotency-Key.
dofile(os.getenv("LOAD_DIR") .. "/api-report.lua")

local counter = 0
local prefix

function init(args)
  prefix = string.format("load-%d-%d-", os.time(), math.random(1, 1e9))
end

function request()
  counter = counter + 1
  return wrk.format("POST", "/v1/orders", {
    ["Authorization"] = "Bearer " .. os.getenv("TOKEN"),
    ["Content-Type"] = "application/json",
    ["Idempotency-Key"] = prefix .. counter,
  }, '{"items":[{"product_id":"' .. os.getenv("PRODUCT_ID") .. '","quantity":2}],"promo_code":"WELCOME10"}')
end
