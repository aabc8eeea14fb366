-- Settles an operation whose caller stopped waiting for its answer (a timeout, a broken
-- connection): answers its result if apply.lua ran it; otherwise claims its id, so that apply.lua
-- refuses it should it still arrive. Either way the caller then knows: applied, with this result,
-- or never applied. Redis runs a script alone, so the operation cannot run in between.
--
-- ARGV: 1 the key of the operation's result, 2 the operation's id, 3 how long a claim is kept (ms).
--
-- Returns the reply apply.lua gave (its time replaced by now's; scores recorded as 'x' and their
-- bytes in hexadecimal, as apply.lua records them), or {-3, Redis seconds, Redis microseconds} when
-- the operation did not run and never will.

local opKey, opId, retention = ARGV[1], ARGV[2], tonumber(ARGV[3])
local time = redis.call('TIME')
local held = redis.call('HGET', opKey, opId)
if not held or held == 'claimed' then
  redis.call('HSET', opKey, opId, 'claimed')
  redis.call('PEXPIRE', opKey, retention)
  return {-3, tonumber(time[1]), tonumber(time[2])}
end
local reply = {}
for token in string.gmatch(held, '%S+') do
  if string.sub(token, 1, 1) == 'x' then
    reply[#reply + 1] = (string.gsub(string.sub(token, 2), '..', function(h) return string.char(tonumber(h, 16)) end))
  else
    reply[#reply + 1] = tonumber(token)
  end
  if #reply == 1 then
    reply[2], reply[3] = tonumber(time[1]), tonumber(time[2])
  end
end
return reply
