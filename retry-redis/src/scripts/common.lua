-- Shared by every script (prepended): the server's clock, a breaker's state hash, and the
-- message that tells every process of a breaker's state.
local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end

-- mode, generation, deadline (server ms) of the breaker whose hash is `key`.
local function read_state(key)
  local v = redis.call('HMGET', key, 'mode', 'gen', 'deadline')
  return v[1] or 'closed', tonumber(v[2] or '0'), tonumber(v[3] or '0')
end

local function left_ms(mode, deadline, now)
  if mode == 'open' or mode == 'half_open' then
    return math.max(0, deadline - now)
  end
  return 0
end

-- Writes a new state, forgets the pooled failures and the probe claims of the old one, and
-- tells every process. Returns what a script returns: mode, gen, ms left.
local function write_state(key, failures, probes, channel, name, mode, gen, deadline, by, now)
  redis.call('HSET', key, 'mode', mode, 'gen', gen, 'deadline', deadline, 'by', by, 'at', now)
  redis.call('DEL', failures, probes)
  local left = left_ms(mode, deadline, now)
  redis.call('PUBLISH', channel, 'b\n' .. mode .. '\n' .. gen .. '\n' .. left .. '\n' .. name)
  return {mode, gen, left}
end
