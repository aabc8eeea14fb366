-- A batch of 1,000 feedback items of a model with classes billing, tech, sales, account: each
-- class 250 times, found 9 times in 10 and otherwise taken for the next class.
local classes = {"billing", "tech", "sales", "account"}
local cells = {}
for i = 0, 999 do
  local actual = classes[i % 4 + 1]
  local predicted = (i % 10 == 9) and classes[(i + 1) % 4 + 1] or actual
  cells[#cells + 1] = '{"prediction":"' .. predicted .. '","actual":"' .. actual .. '"}'
end
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = "[" .. table.concat(cells, ",") .. "]"
