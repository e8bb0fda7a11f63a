-- A process's exchange with a fleet-wide retry budget: its new first attempts (deposits), the
-- leased tokens it gives back, and the tokens it asks for.
-- KEYS: budget hash, names set.
-- ARGV: name, deposits, tokens given back, the bucket they were leased in, tokens wanted,
--       ratio, min_per_sec, ttl ms (the first process's configuration is the fleet's).
-- Deposits and withdrawals are kept per tenth of ttl (fields d<n>, w<n>); the balance is
-- ratio × deposits + min_per_sec × ttl − withdrawals over the last ttl. A lease counts as
-- withdrawn when granted, and given back into the bucket it was counted in (if that bucket is
-- still in the window). Returns tokens granted, balance after (a string), the bucket now.
local key, names = KEYS[1], KEYS[2]
local name, deposits, back, back_n, want =
  ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
local ratio, min_per_sec, ttl = tonumber(ARGV[6]), tonumber(ARGV[7]), tonumber(ARGV[8])
local now = now_ms()
redis.call('SADD', names, name)
if redis.call('HSETNX', key, 'ratio', ARGV[6]) == 1 then
  redis.call('HSET', key, 'min_per_sec', min_per_sec, 'ttl_ms', ttl)
else
  local c = redis.call('HMGET', key, 'ratio', 'min_per_sec', 'ttl_ms')
  ratio, min_per_sec, ttl = tonumber(c[1]), tonumber(c[2]), tonumber(c[3])
end
local bucket_ms = math.max(1, math.floor(ttl / 10))
local n = math.floor(now / bucket_ms)
if deposits > 0 then
  redis.call('HINCRBY', key, 'd' .. n, deposits)
end
if back > 0 and back_n > n - 10 then
  redis.call('HINCRBY', key, 'w' .. back_n, -back)
end
local d, w = 0, 0
local all = redis.call('HGETALL', key)
for i = 1, #all, 2 do
  local kind, idx = string.match(all[i], '^([dw])(%d+)$')
  if kind then
    idx = tonumber(idx)
    if idx <= n - 10 then
      redis.call('HDEL', key, all[i])
    elseif kind == 'd' then
      d = d + tonumber(all[i + 1])
    else
      w = w + tonumber(all[i + 1])
    end
  end
end
local balance = ratio * d + min_per_sec * ttl / 1000 - w
local grant = 0
if want > 0 and balance >= 1 then
  grant = math.min(want, math.floor(balance))
  redis.call('HINCRBY', key, 'w' .. n, grant)
  balance = balance - grant
end
redis.call('HSET', key, 'at', now)
redis.call('PEXPIRE', key, ttl * 2 + 60000)
return {grant, tostring(balance), n}
