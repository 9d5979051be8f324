-- The same filter combinations as cold_rest.lua, spelled as Datasette table filters.
request = function()
  local limit, f = next_combination(100, {YEARS, KINDS, COUNTRIES, STATUSES, SORTS, PARTICIPANTS})
  local query = "_size=" .. limit
  if f[5] == "-start_date" then
    query = query .. "&_sort_desc=start_date"
  else
    query = query .. "&_sort=" .. f[5]
  end
  -- A year matches the events whose dates overlap it, as in the service.
  if f[1] then
    query = query .. "&start_date__lte=" .. f[1] .. "-12-31&end_date__gte=" .. f[1] .. "-01-01"
  end
  if f[2] then query = query .. "&kind=" .. f[2] end
  if f[3] then query = query .. "&country_code=" .. f[3] end
  if f[4] then query = query .. "&status=" .. f[4] end
  if f[6] then
    local where = "slug in (select event_slug from participation where state_code = '" ..
      f[6] .. "' or organization_slug = '" .. f[6] .. "')"
    query = query .. "&_where=" .. urlencode(where)
  end
  return wrk.format("GET", wrk.path .. "?" .. query)
end
