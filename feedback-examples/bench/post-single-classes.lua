-- One feedback item of a model with declared classes per request: labels, not 0 and 1.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"prediction":"tech","actual":"billing"}'
