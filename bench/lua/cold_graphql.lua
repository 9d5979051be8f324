-- One GraphQL query, every request with distinct variables (the query text from BENCH_QUERY,
-- already a JSON string literal).
local query = os.getenv("BENCH_QUERY")
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"

request = function()
  local first, f = next_combination(50, {YEARS, KINDS, COUNTRIES, STATUSES, PARTICIPANTS})
  local filter = {}
  if f[1] then filter[#filter + 1] = '"year": ' .. f[1] end
  if f[2] then filter[#filter + 1] = '"kind": "' .. f[2] .. '"' end
  if f[3] then filter[#filter + 1] = '"country": "' .. f[3] .. '"' end
  if f[4] then filter[#filter + 1] = '"status": "' .. f[4] .. '"' end
  if f[5] then filter[#filter + 1] = '"participant": "' .. f[5] .. '"' end
  local body = '{"query": ' .. query .. ', "variables": {"first": ' .. first ..
    ', "filter": {' .. table.concat(filter, ", ") .. '}}}'
  return wrk.format(nil, nil, nil, body)
end
