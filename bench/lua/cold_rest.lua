-- Every request a distinct filter combination on this service's /api/v1/events.
request = function()
  local limit, f = next_combination(100, {YEARS, KINDS, COUNTRIES, STATUSES, SORTS, PARTICIPANTS})
  local query = "limit=" .. limit .. "&sort=" .. f[5]
  if f[1] then query = query .. "&year=" .. f[1] end
  if f[2] then query = query .. "&kind=" .. f[2] end
  if f[3] then query = query .. "&country=" .. f[3] end
  if f[4] then query = query .. "&status=" .. f[4] end
  if f[6] then query = query .. "&participant=" .. f[6] end
  return wrk.format("GET", wrk.path .. "?" .. query)
end
