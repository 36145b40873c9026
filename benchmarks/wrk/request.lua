-- The same request over and over:
--   wrk ... -s request.lua URL -- METHOD BODY ["Name: value" ...]
-- BODY "" sends none. Built once per thread in init(), so Lua costs nothing per request.
local req

function init(args)
  local headers = {}
  for i = 3, #args do
    local name, value = args[i]:match("^([^:]+):%s*(.*)$")
    headers[name] = value
  end
  local body = args[2]
  if body == "" then body = nil end
  req = wrk.format(args[1], nil, headers, body)
end

function request()
  return req
end
