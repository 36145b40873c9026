-- A create whose name is new every time:
--   wrk ... -s create.lua URL -- PREFIX BODY_TEMPLATE ["Name: value" ...]
-- "%NAME%" in BODY_TEMPLATE becomes PREFIX_<thread>_<n>; give each run its own PREFIX.
local counter = 0
local prefix, template, headers
local threads = 0

function setup(thread)
  threads = threads + 1
  thread:set("id", threads)
end

function init(args)
  prefix, template = args[1], args[2]
  headers = {}
  for i = 3, #args do
    local name, value = args[i]:match("^([^:]+):%s*(.*)$")
    headers[name] = value
  end
end

function request()
  counter = counter + 1
  local name = prefix .. "_" .. id .. "_" .. counter
  return wrk.format("POST", nil, headers, (template:gsub("%%NAME%%", name)))
end
