-- Applies a batch of join operations as one: first decides every operation, reading only and
-- seeing the batch's earlier operations; if one conflicts, returns its index and writes nothing;
-- otherwise writes every change. Redis runs a script alone, so the batch is atomic across replicas.
--
-- ARGV: 1 key prefix, 2 now (s), 3 time-to-live (s), 4 bucket bits and 5 slice width (s) for a
-- namespace seen for the first time, 6 deadline in Redis time (ms; 0 for none), 7 the number of
-- namespaces n, 8..7+n the namespaces, then one argument per operation: the namespace's index
-- (2 bytes), the operation (1 byte: 3 * (prediction + 1) + actual + 1) and the id's digest.
--
-- Per namespace N (its keys all start with prefix .. N):
--   prefix..N              hash: b bucket bits, w slice width, p pending count, a/i expiry cursor
--   prefix..N..':'..k      hash, bucket k (4 or 6 hex digits): digest -> expiry * 8 + state
--   prefix..N..':q:'..s    list: digests of the entries whose expiry falls in [s, s + width)
--   prefix..N..':q'        sorted set: the slices s that have a list
-- State: 1 pending 0, 2 pending 1, 3 expired, 4 + 2 * prediction + actual joined.
--
-- Returns {0, Redis seconds, Redis microseconds, n, pending and expired per namespace...,
-- result per operation...} where a result is outcome * 4 (+ 2 * prediction + actual if matched,
-- + 32 * (seconds waited + 1) if that joined a stored prediction), outcomes numbered as JoinOutcome; {-1, seconds, microseconds, index} for a conflict;
-- {-2, seconds, microseconds} if the script started after the deadline (nothing written).

local prefix = ARGV[1]
local now = tonumber(ARGV[2])
local ttl = tonumber(ARGV[3])
local deadline = tonumber(ARGV[6])
local time = redis.call('TIME')
if deadline > 0 and tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000) > deadline then
  return {-2, tonumber(time[1]), tonumber(time[2])}
end

local count = tonumber(ARGV[7])
local names, buckets, widths, fresh = {}, {}, {}, {}
local pendingDelta, expired, touched = {}, {}, {}
for n = 1, count do
  local name = prefix .. ARGV[7 + n]
  local layout = redis.call('HMGET', name, 'b', 'w')
  if not layout[1] then
    layout = {ARGV[4], ARGV[5]}
    fresh[n] = true
  end
  names[n] = name
  buckets[n] = 2 ^ tonumber(layout[1])
  widths[n] = tonumber(layout[2])
  pendingDelta[n] = 0
  expired[n] = 0
end

-- Bucket k (bytes 2 to 4 of the digest modulo the bucket count) is named by k in hexadecimal,
-- four digits (six above 2^16 buckets).
local hex = {}
local function hexOf(byte)
  local h = hex[byte]
  if not h then
    h = string.format('%02x', byte)
    hex[byte] = h
  end
  return h
end
local function bucketOf(n, digest)
  local _, b2, b3, b4 = string.byte(digest, 1, 4)
  local k = ((b2 * 256 + b3) * 256 + b4) % buckets[n]
  if buckets[n] > 65536 then
    return names[n] .. ':' .. hexOf(math.floor(k / 65536)) .. hexOf(math.floor(k / 256) % 256) .. hexOf(k % 256)
  end
  return names[n] .. ':' .. hexOf(math.floor(k / 256)) .. hexOf(k % 256)
end

-- The entries the batch touches, in the order first touched, as parallel arrays: namespace,
-- bucket, digest, value (false: none), changed, expiry of a new entry (false: none).
local slot, eNs, eBucket, eDigest, eValue, eChanged, eNew = {}, {}, {}, {}, {}, {}, {}
local results = {}
local first = 8 + count
for i = first, #ARGV do
  local op = ARGV[i]
  local hi, lo, code = string.byte(op, 1, 3)
  local n = hi * 256 + lo + 1
  local p = math.floor(code / 3) - 1
  local a = code % 3 - 1
  local digest = string.sub(op, 4)
  local id = count == 1 and digest or digest .. n
  local e = slot[id]
  if not e then
    e = #eNs + 1
    slot[id] = e
    local bucket = bucketOf(n, digest)
    local v = redis.call('HGET', bucket, digest)
    eNs[e], eBucket[e], eDigest[e], eValue[e], eChanged[e], eNew[e] = n, bucket, digest, v and tonumber(v) or false,
        false, false
  end

  -- The entry as of now: a pending prediction past its time-to-live expires (counted once, here),
  -- and an entry past its horizon (twice the time-to-live) is forgotten.
  local state, expiry = 0, 0
  local v = eValue[e]
  if v then
    expiry = math.floor(v / 8)
    state = v % 8
    if state <= 2 and expiry <= now then
      expired[n] = expired[n] + 1
      pendingDelta[n] = pendingDelta[n] - 1
      state = 3
      eValue[e] = expiry * 8 + 3
      eChanged[e] = true
    end
    if expiry + ttl <= now then
      state = 0
      eValue[e] = false
      eChanged[e] = true
    end
  end

  local isPending = state == 1 or state == 2
  local isJoined = state >= 4
  local sp, sa = -1, -1
  if isPending then
    sp = state - 1
  elseif isJoined then
    sp = math.floor((state - 4) / 2)
    sa = (state - 4) % 2
  end

  -- Outcomes: 0 PENDING, 1 MATCHED, 2 DUPLICATE, 3 CONFLICT, 4 UNKNOWN, 5 EXPIRED.
  local outcome, mp, ma = 0, -1, -1
  if a < 0 then
    if isPending or isJoined then
      outcome = sp == p and 2 or 3
    end
  elseif p < 0 then
    if isPending then
      outcome, mp, ma = 1, sp, a
    elseif isJoined then
      outcome = sa == a and 2 or 3
    elseif state == 3 then
      outcome = 5
    else
      outcome = 4
    end
  elseif isPending then
    if sp == p then
      outcome, mp, ma = 1, p, a
    else
      outcome = 3
    end
  elseif isJoined then
    outcome = (sp == p and sa == a) and 2 or 3
  else
    outcome, mp, ma = 1, p, a
  end
  if outcome == 3 then
    return {-1, tonumber(time[1]), tonumber(time[2]), i - first}
  end

  if outcome == 0 then
    eValue[e] = (now + ttl) * 8 + 1 + p
    eChanged[e] = true
    eNew[e] = now + ttl
    pendingDelta[n] = pendingDelta[n] + 1
    results[#results + 1] = 0
  elseif outcome == 1 then
    if isPending then
      eValue[e] = expiry * 8 + 4 + 2 * mp + ma
      pendingDelta[n] = pendingDelta[n] - 1
    else
      eValue[e] = (now + ttl) * 8 + 4 + 2 * mp + ma
      eNew[e] = now + ttl
    end
    eChanged[e] = true
    -- A stored prediction joined: 32 * (seconds it waited + 1) tells the label delay.
    local waited = isPending and 32 * (math.max(0, now - (expiry - ttl)) + 1) or 0
    results[#results + 1] = 4 + 2 * mp + ma + waited
  else
    results[#results + 1] = outcome * 4
  end
end

-- Every operation is decided: write.
local keep = (2 * ttl + 60) * 1000
for e = 1, #eNs do
  if eChanged[e] then
    local n = eNs[e]
    if not touched[n] then
      touched[n] = true
      if fresh[n] then
        redis.call('HSET', names[n], 'b', ARGV[4], 'w', ARGV[5])
      end
    end
    if eValue[e] then
      redis.call('HSET', eBucket[e], eDigest[e], eValue[e])
    else
      redis.call('HDEL', eBucket[e], eDigest[e])
    end
    local new = eNew[e]
    if new then
      -- A new entry: its bucket lives at least until its horizon, and its slice lists it.
      redis.call('PEXPIRE', eBucket[e], keep)
      local slice = new - new % widths[n]
      local list = names[n] .. ':q:' .. slice
      if redis.call('RPUSH', list, eDigest[e]) == 1 then
        redis.call('ZADD', names[n] .. ':q', slice, slice)
        redis.call('PEXPIRE', list, (slice + widths[n] + ttl - now + 60) * 1000)
      end
    end
  end
end

local reply = {0, tonumber(time[1]), tonumber(time[2]), count}
for n = 1, count do
  local pending
  if pendingDelta[n] ~= 0 then
    pending = redis.call('HINCRBY', names[n], 'p', pendingDelta[n])
  else
    pending = tonumber(redis.call('HGET', names[n], 'p') or '0')
  end
  if touched[n] then
    local horizon = keep + widths[n] * 1000
    redis.call('PEXPIRE', names[n], horizon)
    redis.call('PEXPIRE', names[n] .. ':q', horizon)
  end
  reply[#reply + 1] = pending
  reply[#reply + 1] = expired[n]
end
for _, result in ipairs(results) do
  reply[#reply + 1] = result
end
return reply
