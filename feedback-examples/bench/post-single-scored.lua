-- One scored feedback item of a binary model per request (also used against /noop of the same
-- server): {"model":"risk","prediction":1,"actual":0,"score":0.83}, the score and the values
-- varying over 1,000 requests prepared before the run, so that the scores fill the server's
-- buckets and bins as a model's would and building a request costs wrk no more than a fixed body.
-- Scores spread over (0, 1), the prediction at the 0.5 threshold, the actual value 1 with the
-- probability the score states (a calibrated model).
local requests = {}
local index = 0

function init(args)
  for i = 0, 999 do
    local score = 0.001 + 0.998 * ((i * 0.6180339887) % 1)
    local prediction = score >= 0.5 and 1 or 0
    local actual = ((i * 0.7548776662) % 1) < score and 1 or 0
    local body = string.format('{"model":"risk","prediction":%d,"actual":%d,"score":%.4f}', prediction, actual, score)
    requests[#requests + 1] = wrk.format("POST", nil, {["Content-Type"] = "application/json"}, body)
  end
end

function request()
  index = index % #requests + 1
  return requests[index]
end
