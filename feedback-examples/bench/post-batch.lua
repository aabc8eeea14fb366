-- A batch of 1,000 feedback items per request: 400 TP, 300 TN, 200 FP, 100 FN.
local cells = {}
for i = 0, 999 do
  local k = i % 10
  if k < 4 then cells[#cells + 1] = '{"prediction":1,"actual":1}'
  elseif k < 7 then cells[#cells + 1] = '{"prediction":0,"actual":0}'
  elseif k < 9 then cells[#cells + 1] = '{"prediction":1,"actual":0}'
  else cells[#cells + 1] = '{"prediction":0,"actual":1}' end
end
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = "[" .. table.concat(cells, ",") .. "]"
