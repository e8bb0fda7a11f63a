-- A process asks for a probe slot of an open breaker whose deadline passed.
-- KEYS: state hash, probes zset.
-- ARGV: process id, half_open_max_calls, claim ttl ms.
-- At most half_open_max_calls unexpired claims exist at once, whoever holds them; a claim of
-- a process that died expires after the ttl. Returns mode, gen, ms left, and the slots this
-- process holds now.
local key, probes = KEYS[1], KEYS[2]
local pid, max, ttl = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3])
local now = now_ms()
local mode, gen, deadline = read_state(key)
if not ((mode == 'open' or mode == 'half_open') and deadline <= now) then
  return {mode, gen, left_ms(mode, deadline, now), 0}
end
if mode == 'open' then
  redis.call('HSET', key, 'mode', 'half_open')
  mode = 'half_open'
end
redis.call('ZREMRANGEBYSCORE', probes, '-inf', now)
local mine = 0
for _, m in ipairs(redis.call('ZRANGE', probes, 0, -1)) do
  if string.sub(m, 1, #pid + 1) == pid .. '#' then
    mine = mine + 1
  end
end
if redis.call('ZCARD', probes) < max then
  redis.call('ZADD', probes, now + ttl, pid .. '#' .. gen .. '#' .. (mine + 1) .. '#' .. now)
  mine = mine + 1
end
redis.call('PEXPIRE', probes, ttl)
return {mode, gen, 0, mine}
