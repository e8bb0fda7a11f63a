-- A process joins a breaker (at start, after a reconnection, or when it makes the breaker):
-- the fleet's state if it has one, else the process's own becomes the fleet's.
-- KEYS: state hash, names set. ARGV: name, the process's mode, its ms left, by.
-- Returns mode, gen, ms left.
local key, names = KEYS[1], KEYS[2]
local name, mode, left, by = ARGV[1], ARGV[2], tonumber(ARGV[3]), ARGV[4]
local now = now_ms()
redis.call('SADD', names, name)
if redis.call('EXISTS', key) == 1 then
  local m, gen, deadline = read_state(key)
  return {m, gen, left_ms(m, deadline, now)}
end
local deadline = 0
if mode == 'open' then
  deadline = now + left
elseif mode == 'half_open' then
  mode = 'open'
  deadline = now
end
redis.call('HSET', key, 'mode', mode, 'gen', 1, 'deadline', deadline, 'by', by, 'at', now)
return {mode, 1, left_ms(mode, deadline, now)}
