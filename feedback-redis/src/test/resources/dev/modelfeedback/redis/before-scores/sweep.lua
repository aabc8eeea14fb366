-- sweep.lua of the version before scores (commit 5112572), kept unchanged below this comment so
-- that the tests can run it as a replica of that version would, on the same Redis.

-- Sweeps one namespace: notices the pending predictions whose time-to-live has passed (marking
-- them expired and counting them, once: Redis runs a script alone, so across replicas too), then
-- forgets the entries past their horizon (twice the time-to-live). Does at most `budget` steps.
--
-- ARGV: 1 key prefix, 2 namespace, 3 now (s), 4 time-to-live (s), 5 budget.
-- Keys and entries as in apply.lua: an entry is expiry * 8 + state for the states of binary
-- values (1 or 2 pending, 3 expired, 4 to 7 joined), and negative where a class index is 2 to 31
-- (-((expiry * 1024 + p) * 8 + 7) pending, -((expiry * 1024 + 32 * a + p) * 8 + 5) joined); an
-- expired entry is always expiry * 8 + 3. The expiry cursor (a: a slice, i: an index in its list)
-- only moves on; slices behind it are forgotten, whole, once their horizon has passed, and leave
-- the count of listed entries (n) as they go. A slice is in the index exactly as long as its list exists, so a
-- slice without a list is one that expired by itself: then the entries are counted anew.
--
-- Returns {0, Redis seconds, Redis microseconds, pending, expired, 1 if the budget ran out (more
-- to do) else 0}.

local meta = ARGV[1] .. ARGV[2]
local now = tonumber(ARGV[3])
local ttl = tonumber(ARGV[4])
local budget = tonumber(ARGV[5])
local time = redis.call('TIME')
local layout = redis.call('HMGET', meta, 'b', 'w', 'a', 'i', 'n')
if not layout[1] then
  return {0, tonumber(time[1]), tonumber(time[2]), 0, 0, 0}
end
local buckets = 2 ^ tonumber(layout[1])
local width = tonumber(layout[2])
local index = meta .. ':q'

-- The expiry of an entry, and whether it is pending (apply.lua's decode, in part).
local function pendingOf(v)
  if v >= 0 then
    local state = v % 8
    return (v - state) / 8, state == 1 or state == 2
  end
  local w = -v
  local mark = w % 8
  return math.floor(w / 8192), mark == 7
end

-- Buckets are named as in apply.lua.
local hex = {}
local function hexOf(byte)
  local h = hex[byte]
  if not h then
    h = string.format('%02x', byte)
    hex[byte] = h
  end
  return h
end
local function bucketOf(digest)
  local _, b2, b3, b4 = string.byte(digest, 1, 4)
  local k = ((b2 * 256 + b3) * 256 + b4) % buckets
  if buckets > 65536 then
    return meta .. ':' .. hexOf(math.floor(k / 65536)) .. hexOf(math.floor(k / 256) % 256) .. hexOf(k % 256)
  end
  return meta .. ':' .. hexOf(math.floor(k / 256)) .. hexOf(k % 256)
end

local expired, pendingDelta, work = 0, 0, 0

-- Notice expiry, in the order predictions were stored.
local a = tonumber(layout[3] or '0')
local i = tonumber(layout[4] or '0')
local startA, startI = a, i
while work < budget do
  local slice = redis.call('ZRANGEBYSCORE', index, a, '+inf', 'LIMIT', 0, 1)[1]
  if not slice then
    break
  end
  slice = tonumber(slice)
  if slice ~= a then
    a, i = slice, 0
  end
  if a > now then
    break
  end
  local digests = redis.call('LRANGE', meta .. ':q:' .. a, i, i + 99)
  work = work + 1
  if #digests == 0 then
    if now < a + width then
      break
    end
    -- The slice is over: go on to the next one.
    a, i = a + width, 0
  else
    local due = true
    for _, digest in ipairs(digests) do
      local bucket = bucketOf(digest)
      local v = redis.call('HGET', bucket, digest)
      if v then
        local expiry, pending = pendingOf(tonumber(v))
        if pending and expiry >= a and expiry < a + width then
          if expiry > now then
            due = false
            break
          end
          redis.call('HSET', bucket, digest, expiry * 8 + 3)
          expired = expired + 1
          pendingDelta = pendingDelta - 1
        end
      end
      i = i + 1
      work = work + 1
    end
    if not due then
      break
    end
  end
end
if a ~= startA or i ~= startI then
  redis.call('HSET', meta, 'a', a, 'i', i)
end

-- Forget: slices behind the cursor whose every entry is past its horizon.
local forgotten, lost = 0, false
while work < budget do
  local slice = redis.call('ZRANGE', index, 0, 0)[1]
  if not slice then
    break
  end
  local s = tonumber(slice)
  if s >= a or s + width - 1 + ttl > now then
    break
  end
  local list = meta .. ':q:' .. slice
  local digests = redis.call('LPOP', list, 100)
  work = work + 1
  if not digests then
    redis.call('ZREM', index, slice)
    lost = true
  else
    forgotten = forgotten + #digests
    if redis.call('EXISTS', list) == 0 then
      redis.call('ZREM', index, slice)
    end
    for _, digest in ipairs(digests) do
      local bucket = bucketOf(digest)
      local v = redis.call('HGET', bucket, digest)
      if v then
        local expiry, pending = pendingOf(tonumber(v))
        if expiry >= s and expiry < s + width then
          if pending then
            -- Expired before the cursor saw it (a clock behind the others stored it late).
            expired = expired + 1
            pendingDelta = pendingDelta - 1
          end
          redis.call('HDEL', bucket, digest)
        end
      end
      work = work + 1
    end
  end
end

-- (a namespace stored before entries were counted has no n: apply.lua counts them when it grows)
if layout[5] then
  if lost then
    local total = 0
    for _, s in ipairs(redis.call('ZRANGE', index, 0, -1)) do
      total = total + redis.call('LLEN', meta .. ':q:' .. s)
    end
    redis.call('HSET', meta, 'n', total)
  elseif forgotten > 0 then
    redis.call('HINCRBY', meta, 'n', -forgotten)
  end
end

local pending
if pendingDelta ~= 0 then
  pending = redis.call('HINCRBY', meta, 'p', pendingDelta)
else
  pending = tonumber(redis.call('HGET', meta, 'p') or '0')
end
return {0, tonumber(time[1]), tonumber(time[2]), pending, expired, work >= budget and 1 or 0}
