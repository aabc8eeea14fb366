-- apply.lua of the version before scores (commit 5112572), kept unchanged below this comment so
-- that the tests can run it as a replica of that version would, on the same Redis.

-- Applies a batch of join operations as one: first decides every operation, reading only and
-- seeing the batch's earlier operations; if one conflicts, returns its index and writes nothing;
-- otherwise writes every change, then evicts the oldest entries of a namespace over its capacity.
-- Redis runs a script alone, so the batch is atomic across replicas.
--
-- ARGV: 1 key prefix, 2 now (s), 3 time-to-live (s), 4 bucket bits and 5 slice width (s) for a
-- namespace seen for the first time, 6 deadline in Redis time (ms; 0 for none), 7 the capacity of
-- a namespace (entries), 8 the key of the operation's result, 9 the operation's id, 10 how long its
-- result is kept (ms), 11 the number of namespaces n, 12..11+n the namespaces, then one argument
-- per operation: the namespace's index (2 bytes), prediction + 1 (1 byte), actual + 1 (1 byte; a
-- class index 0 to 31, or -1 for none, so 0 to 32) and the id's digest.
--
-- Per namespace N (its keys all start with prefix .. N):
--   prefix..N              hash: b bucket bits, w slice width, p pending count, a/i expiry cursor,
--                          n entries listed in the order of expiry (the capacity's count)
--   prefix..N..':'..k      hash, bucket k (4 or 6 hex digits): digest -> entry (below)
--   prefix..N..':q:'..s    list: digests of the entries whose expiry falls in [s, s + width), in
--                          the order stored
--   prefix..N..':q'        sorted set: the slices s that have a list
-- An entry is one integer of its expiry (s), its kind and its class indices p (prediction) and
-- a (actual), 0 to 31:
--   expiry * 8 + 1 + p                     pending, p 0 or 1
--   expiry * 8 + 3                         expired (its prediction is not kept)
--   expiry * 8 + 4 + 2 * p + a             joined, p and a 0 or 1
--   -((expiry * 1024 + p) * 8 + 7)         pending, p 2 to 31
--   -((expiry * 1024 + 32 * a + p) * 8 + 5) joined, p or a 2 to 31
-- The first three are the only ones of the version before class indices, which wrote them
-- alike: binary entries are read and written as it did. The others are negative, a range it never
-- wrote; it reads them (floor(v / 8), v % 8) as pending 0 or expired with an expiry before 1970,
-- so it counts such a pending prediction as expired, once, and forgets it, and forgets such a
-- joined id, rather than take a wrong value. Below 2^53 (expiry below 2^40), exact as a number.
-- Per operation: in hash ARGV[8] (prefix..'#op:'..second), field ARGV[9], the reply without its
-- time, until the caller has read it (it deletes the field) or for ARGV[10] ms; or 'claimed' when
-- the caller stopped waiting and asked for the result before the script ran (see resolve.lua).
--
-- Returns {0, Redis seconds, Redis microseconds, n, pending, expired and evicted per namespace...,
-- result per operation...} where a result is the outcome (numbered as JoinOutcome) + 8 * (p + 32 *
-- a) if matched, + 8192 * (seconds waited + 1) if that joined a stored prediction;
-- {-1, seconds, microseconds, index} for a conflict; {-2, seconds, microseconds} if the script
-- started after the deadline, {-3, seconds, microseconds} if the operation was claimed (nothing
-- written then). An operation that already ran answers its recorded reply again.

local prefix = ARGV[1]
local now = tonumber(ARGV[2])
local ttl = tonumber(ARGV[3])
local deadline = tonumber(ARGV[6])
local capacity = tonumber(ARGV[7])
local opKey, opId, retention = ARGV[8], ARGV[9], tonumber(ARGV[10])
local time = redis.call('TIME')

-- The reply as recorded: every number but the time, separated by spaces.
local function replay(record)
  local reply = {}
  for token in string.gmatch(record, '%S+') do
    reply[#reply + 1] = tonumber(token)
    if #reply == 1 then
      reply[2], reply[3] = tonumber(time[1]), tonumber(time[2])
    end
  end
  return reply
end
local function recorded(reply)
  -- '%.0f': every integer below 2^53 exactly (Lua's own conversion keeps 14 digits)
  local record = {string.format('%.0f', reply[1])}
  for k = 4, #reply do
    record[#record + 1] = string.format('%.0f', reply[k])
  end
  redis.call('HSET', opKey, opId, table.concat(record, ' '))
  redis.call('PEXPIRE', opKey, retention)
  return reply
end

local held = redis.call('HGET', opKey, opId)
if held == 'claimed' then
  return {-3, tonumber(time[1]), tonumber(time[2])}
elseif held then
  return replay(held)
end
if deadline > 0 and tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000) > deadline then
  return {-2, tonumber(time[1]), tonumber(time[2])}
end

local count = tonumber(ARGV[11])
local names, buckets, widths, fresh = {}, {}, {}, {}
local pendingDelta, expired, evicted, touched, pushed = {}, {}, {}, {}, {}
local entries, cursorSlice, cursorIndex = {}, {}, {}
for n = 1, count do
  local name = prefix .. ARGV[11 + n]
  local layout = redis.call('HMGET', name, 'b', 'w', 'a', 'i', 'n')
  if not layout[1] then
    layout = {ARGV[4], ARGV[5], false, false, '0'}
    fresh[n] = true
  end
  names[n] = name
  buckets[n] = 2 ^ tonumber(layout[1])
  widths[n] = tonumber(layout[2])
  cursorSlice[n] = tonumber(layout[3] or '0')
  cursorIndex[n] = tonumber(layout[4] or '0')
  -- false for a namespace stored before entries were counted: counted when it next grows
  entries[n] = layout[5] and tonumber(layout[5])
  pendingDelta[n] = 0
  expired[n] = 0
  evicted[n] = 0
  pushed[n] = 0
end

-- Entries (see above): kinds, and the entry as its parts and back.
local PENDING, EXPIRED, JOINED = 1, 2, 3
-- Returns expiry, kind (false for none), prediction and actual (-1 where none is kept).
local function decode(v)
  if v >= 0 then
    local state = v % 8
    local expiry = (v - state) / 8
    if state >= 4 then
      state = state - 4
      return expiry, JOINED, (state - state % 2) / 2, state % 2
    elseif state == 3 then
      return expiry, EXPIRED, -1, -1
    elseif state >= 1 then
      return expiry, PENDING, state - 1, -1
    end
    return expiry, false, -1, -1
  end
  local w = -v
  local mark = w % 8
  w = (w - mark) / 8
  local p = w % 32
  w = (w - p) / 32
  local a = w % 32
  local expiry = (w - a) / 32
  if mark == 7 then
    return expiry, PENDING, p, -1
  elseif mark == 5 then
    return expiry, JOINED, p, a
  end
  return expiry, false, -1, -1
end
local function pendingEntry(expiry, p)
  if p < 2 then
    return expiry * 8 + 1 + p
  end
  return -((expiry * 1024 + p) * 8 + 7)
end
local function joinedEntry(expiry, p, a)
  if p < 2 and a < 2 then
    return expiry * 8 + 4 + 2 * p + a
  end
  return -((expiry * 1024 + 32 * a + p) * 8 + 5)
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
local first = 12 + count
for i = first, #ARGV do
  local op = ARGV[i]
  local hi, lo, pc, ac = string.byte(op, 1, 4)
  local n = hi * 256 + lo + 1
  local p = pc - 1
  local a = ac - 1
  local digest = string.sub(op, 5)
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
  local kind, expiry, sp, sa = false, 0, -1, -1
  local v = eValue[e]
  if v then
    expiry, kind, sp, sa = decode(v)
    if kind == PENDING and expiry <= now then
      expired[n] = expired[n] + 1
      pendingDelta[n] = pendingDelta[n] - 1
      kind, sp = EXPIRED, -1
      eValue[e] = expiry * 8 + 3
      eChanged[e] = true
    end
    if expiry + ttl <= now then
      kind, sp, sa = false, -1, -1
      eValue[e] = false
      eChanged[e] = true
    end
  end

  local isPending = kind == PENDING
  local isJoined = kind == JOINED

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
    elseif kind == EXPIRED then
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
    return recorded({-1, tonumber(time[1]), tonumber(time[2]), i - first})
  end

  if outcome == 0 then
    eValue[e] = pendingEntry(now + ttl, p)
    eChanged[e] = true
    eNew[e] = now + ttl
    pendingDelta[n] = pendingDelta[n] + 1
    results[#results + 1] = 0
  elseif outcome == 1 then
    if isPending then
      eValue[e] = joinedEntry(expiry, mp, ma)
      pendingDelta[n] = pendingDelta[n] - 1
    else
      eValue[e] = joinedEntry(now + ttl, mp, ma)
      eNew[e] = now + ttl
    end
    eChanged[e] = true
    -- A stored prediction joined: 8192 * (seconds it waited + 1) tells the label delay.
    local waited = isPending and 8192 * (math.max(0, now - (expiry - ttl)) + 1) or 0
    results[#results + 1] = 1 + 8 * (mp + 32 * ma) + waited
  else
    results[#results + 1] = outcome
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
      pushed[n] = pushed[n] + 1
    end
  end
end

-- Capacity. A namespace holds at most `capacity` entries in its lists (n counts them: pending,
-- joined and expired ids until their horizon, and the rare entry listed twice). Past it, the
-- oldest entries leave, from the head of the oldest list: a pending prediction among them is
-- counted as evicted (or as expired, if its time-to-live had passed unnoticed), once. Each new
-- entry pops one old one, O(log n); while a lowered capacity is reached, a batch pops at most a
-- hundred more.

-- The entries a namespace lists, counted list by list (when n is not known, or a list expired by
-- itself): as many steps as the namespace has slices.
local function recount(n)
  local index, total = names[n] .. ':q', 0
  for _, s in ipairs(redis.call('ZRANGE', index, 0, -1)) do
    local length = redis.call('LLEN', names[n] .. ':q:' .. s)
    if length == 0 then
      redis.call('ZREM', index, s)
    end
    total = total + length
  end
  return total
end

-- Removes the oldest listed entry: true if one was, false if none is listed, 'lost' if the oldest
-- list had expired by itself (its entries were never counted out).
local function evictOldest(n)
  local index = names[n] .. ':q'
  local slice = redis.call('ZRANGE', index, 0, 0)[1]
  if not slice then
    return false
  end
  local list = names[n] .. ':q:' .. slice
  local digest = redis.call('LPOP', list)
  if not digest then
    redis.call('ZREM', index, slice)
    return 'lost'
  end
  if redis.call('EXISTS', list) == 0 then
    redis.call('ZREM', index, slice)
  end
  slice = tonumber(slice)
  -- The sweep's cursor counts places in its list: one fewer before it now.
  if slice == cursorSlice[n] and cursorIndex[n] > 0 then
    cursorIndex[n] = cursorIndex[n] - 1
    redis.call('HSET', names[n], 'i', cursorIndex[n])
  end
  local bucket = bucketOf(n, digest)
  local v = redis.call('HGET', bucket, digest)
  if v then
    local expiry, kind = decode(tonumber(v))
    -- (an entry stored anew since is listed again, later: this record is not its own)
    if expiry >= slice and expiry < slice + widths[n] then
      redis.call('HDEL', bucket, digest)
      if kind == PENDING then
        pendingDelta[n] = pendingDelta[n] - 1
        if expiry <= now then
          expired[n] = expired[n] + 1
        else
          evicted[n] = evicted[n] + 1
        end
      end
    end
  end
  return true
end

for n = 1, count do
  if pushed[n] > 0 then
    local held = entries[n] and entries[n] + pushed[n] or recount(n)
    local steps = pushed[n] + 100
    while held > capacity and steps > 0 do
      local popped = evictOldest(n)
      if popped == 'lost' then
        held = recount(n)
      elseif popped then
        held = held - 1
        steps = steps - 1
      else
        held = 0
      end
    end
    redis.call('HSET', names[n], 'n', held)
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
  reply[#reply + 1] = evicted[n]
end
for _, result in ipairs(results) do
  reply[#reply + 1] = result
end
return recorded(reply)
