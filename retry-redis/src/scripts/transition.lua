-- A breaker's transition reported by a process, or ordered by hand.
-- KEYS: state hash, failures hash, probes zset, names set.
-- ARGV: channel, name, the fleet generation the reporter last saw, new mode, open ms,
--       by (who), forced ("1": by hand, always applies).
-- An automatic transition applies only to the generation it was made from (a second process
-- opening the same breaker at once gets the first one's state back) and never overrides a
-- forced state. Returns mode, gen, ms left of the state now in force.
local key, failures, probes, names = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local channel, name, seen, to, open_ms, by, forced =
  ARGV[1], ARGV[2], tonumber(ARGV[3]), ARGV[4], tonumber(ARGV[5]), ARGV[6], ARGV[7] == '1'
local now = now_ms()
redis.call('SADD', names, name)
local mode, gen, deadline = read_state(key)
if not forced then
  if gen ~= seen or mode == 'forced_open' or mode == 'forced_closed' then
    return {mode, gen, left_ms(mode, deadline, now)}
  end
  if to == 'closed' and mode == 'closed' then
    return {mode, gen, 0}
  end
end
local new_deadline = 0
if to == 'open' then
  new_deadline = now + open_ms
end
return write_state(key, failures, probes, channel, name, to, gen + 1, new_deadline, by, now)
