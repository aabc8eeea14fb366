-- One feedback item per request (also used against /noop and the seed's Flask service).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"prediction":1,"actual":0}'
