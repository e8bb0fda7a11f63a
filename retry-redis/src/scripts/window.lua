-- A process's failure-rate window of a closed breaker in rate mode, pooled with the others'.
-- KEYS: state hash, windows hash, probes zset, names set, failures hash.
-- ARGV: channel, name, process id, its calls, its failures, failure_rate, min_calls,
--       reset_timeout ms, by, stale ms (a window not refreshed for this long is a gone
--       process's).
-- The breaker opens for the whole fleet when the pooled windows reach min_calls and the
-- failure rate. Returns mode, gen, ms left, pooled calls, pooled failures.
local key, windows, probes, names, failures = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]
local channel, name, pid, calls, fails = ARGV[1], ARGV[2], ARGV[3], tonumber(ARGV[4]), tonumber(ARGV[5])
local rate, min_calls, reset_ms, by, stale =
  tonumber(ARGV[6]), tonumber(ARGV[7]), tonumber(ARGV[8]), ARGV[9], tonumber(ARGV[10])
local now = now_ms()
redis.call('SADD', names, name)
local mode, gen, deadline = read_state(key)
if mode ~= 'closed' then
  return {mode, gen, left_ms(mode, deadline, now), 0, 0}
end
redis.call('HSET', windows, pid, calls .. ':' .. fails .. ':' .. now)
redis.call('PEXPIRE', windows, stale * 4)
local all_calls, all_fails = 0, 0
local all = redis.call('HGETALL', windows)
for i = 1, #all, 2 do
  local c, f, at = string.match(all[i + 1], '^(%d+):(%d+):(%d+)$')
  if c and tonumber(at) + stale >= now then
    all_calls = all_calls + tonumber(c)
    all_fails = all_fails + tonumber(f)
  else
    redis.call('HDEL', windows, all[i])
  end
end
if all_calls >= min_calls and all_calls > 0 and all_fails / all_calls >= rate then
  redis.call('DEL', windows)
  local r = write_state(key, failures, probes, channel, name, 'open', gen + 1, now + reset_ms, by, now)
  return {r[1], r[2], r[3], all_calls, all_fails}
end
return {mode, gen, 0, all_calls, all_fails}
