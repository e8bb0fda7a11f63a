-- A process's run of consecutive failures of a closed breaker, pooled with the others'.
-- KEYS: state hash, failures hash, probes zset, names set.
-- ARGV: channel, name, process id, its run (0: a success ended it), failure_threshold,
--       reset_timeout ms, by, stale ms (runs older than this are a gone process's).
-- The breaker opens for the whole fleet when the runs add up to the threshold. Returns
-- mode, gen, ms left, and the pooled sum.
local key, failures, probes, names = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local channel, name, pid, run, threshold, reset_ms, by, stale =
  ARGV[1], ARGV[2], ARGV[3], tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6]), ARGV[7],
  tonumber(ARGV[8])
local now = now_ms()
redis.call('SADD', names, name)
local mode, gen, deadline = read_state(key)
if mode ~= 'closed' then
  return {mode, gen, left_ms(mode, deadline, now), 0}
end
if run > 0 then
  redis.call('HSET', failures, pid, run .. ':' .. now)
else
  redis.call('HDEL', failures, pid)
end
local sum = 0
local all = redis.call('HGETALL', failures)
for i = 1, #all, 2 do
  local n, at = string.match(all[i + 1], '^(%d+):(%d+)$')
  if n and tonumber(at) + stale >= now then
    sum = sum + tonumber(n)
  else
    redis.call('HDEL', failures, all[i])
  end
end
if sum >= threshold then
  local r = write_state(key, failures, probes, channel, name, 'open', gen + 1, now + reset_ms, by, now)
  return {r[1], r[2], r[3], sum}
end
redis.call('PUBLISH', channel, 'p\n' .. gen .. '\n' .. sum .. '\n' .. name)
return {mode, gen, 0, sum}
