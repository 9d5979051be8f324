-- Distinct filter combinations, shared by the cold scripts (concatenated before them).
-- Request n of a run takes combination (BENCH_OFFSET + n) * STRIDE mod SPACE: a bijection
-- (STRIDE is prime to SPACE), so no combination repeats within a run nor, with offsets far
-- apart, across the runs against one server; the multiplication scatters every dimension, so
-- consecutive requests differ in the filters that change a count, not only in the page size.
local offset = tonumber(os.getenv("BENCH_OFFSET") or "0")
local STRIDE = 1000003

YEARS = {false, 2010, 2011, 2012, 2013, 2014, 2015, 2016, 2017}
KINDS = {false, "ministerial_conference", "senior_officials_meeting",
  "national_coordinators_meeting", "training", "forum", "summit", "meeting", "conference"}
COUNTRIES = {false, "KAZ", "TKM", "KGZ"}
STATUSES = {false, "held", "planned"}
SORTS = {"start_date", "-start_date", "title"}
PARTICIPANTS = {false, "KAZ", "AFG", "TJK", "iom", "unhcr"}

local counter = 0

-- The next combination, as one index into each list (and `size` from 1 to `sizes`).
function next_combination(sizes, dimensions)
  local space = sizes
  for _, values in ipairs(dimensions) do space = space * #values end
  local n = ((offset + counter) * STRIDE) % space
  counter = counter + 1
  local size = n % sizes + 1
  n = math.floor(n / sizes)
  local picked = {}
  for i, values in ipairs(dimensions) do
    picked[i] = values[n % #values + 1]
    n = math.floor(n / #values)
  end
  return size, picked
end

function urlencode(text)
  return (string.gsub(text, "[^%w%-_%.~]", function(c)
    return string.format("%%%02X", string.byte(c))
  end))
end
