-- A process's share of a fleet-wide rate limit, by demand.
-- KEYS: limiter hash, demand hash, names set.
-- ARGV: name, process id, its demand (units asked for lately, smoothed), rate, per ms, burst,
--       stale ms (a process not heard of for this long has left).
-- Each live process gets rate × (its demand + 1) / Σ(demand + 1): the shares add up to the
-- rate. Returns this process's share (units per `per`, as a string) and the live processes.
local key, demand, names = KEYS[1], KEYS[2], KEYS[3]
local name, pid, mine = ARGV[1], ARGV[2], tonumber(ARGV[3])
local stale = tonumber(ARGV[7])
local now = now_ms()
redis.call('SADD', names, name)
if redis.call('HSETNX', key, 'rate', ARGV[4]) == 1 then
  redis.call('HSET', key, 'per_ms', ARGV[5], 'burst', ARGV[6])
end
local c = redis.call('HMGET', key, 'rate', 'per_ms')
local rate = tonumber(c[1])
redis.call('HSET', demand, pid, mine .. ':' .. now)
local total, live = 0, 0
local all = redis.call('HGETALL', demand)
for i = 1, #all, 2 do
  local dm, at = string.match(all[i + 1], '^([%d%.e%+%-]+):(%d+)$')
  if dm and tonumber(at) + stale >= now then
    total = total + tonumber(dm) + 1
    live = live + 1
  else
    redis.call('HDEL', demand, all[i])
  end
end
redis.call('PEXPIRE', demand, stale * 4)
return {tostring(rate * (mine + 1) / total), live, c[2]}
