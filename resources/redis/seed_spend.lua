--[[
pitwall seed_spend.lua -- mark a day's spend counter as seeded from the ledger
(PostgreSQL), once.

Redis is not the system of record: after a restart without persistence (or on a
new day) a spend counter is gone, and counting from zero would let spend run past
a cap. reserve_spend.lua refuses to grant against a counter without the "seeded"
field; the guard then asks PostgreSQL for the day's spend of the scope
(pitwall.spend_seed: settled cost of the runs ended that day plus the cost so far
of the runs still running) and calls this script. Set-if-absent: of several
guards seeding at once, the first one counts; the others change nothing.

KEYS[1] spend hash   pitwall:spend:{scope}:{subject}:{yyyymmdd}
ARGV[1] seed_micros  integer >= 0, the ledger's spend of that scope and day
ARGV[2] ttl_seconds  integer > 0
ARGV[3] now_ms       integer >= 0, kept as seeded_ms

Effects, only if the hash has no "seeded" field:
  settled_micros += seed_micros (what was settled since the loss stays: counted
  twice at worst, which refuses early rather than late), seeded = "ledger",
  seeded_ms = now_ms, EXPIRE ttl.

Reply: {"seeded", settled_after} or {"already", settled}
]]

local function arg_int(i, name, min)
  local n = tonumber(ARGV[i])
  if n == nil or n ~= math.floor(n) or n < min or n > 9007199254740992 then
    error(redis.error_reply('ERR pitwall seed_spend: ARGV[' .. i .. '] ' ..
      name .. ' must be an integer in [' .. min .. ', 2^53], got ' ..
      tostring(ARGV[i])))
  end
  return n
end

local seed = arg_int(1, 'seed_micros', 0)
local ttl = arg_int(2, 'ttl_seconds', 1)
local now_ms = arg_int(3, 'now_ms', 0)

if redis.call('HEXISTS', KEYS[1], 'seeded') == 1 then
  return { 'already', redis.call('HGET', KEYS[1], 'settled_micros') or '0' }
end
local settled = redis.call('HINCRBY', KEYS[1], 'settled_micros', string.format('%d', seed))
redis.call('HSET', KEYS[1], 'seeded', 'ledger', 'seeded_ms', string.format('%d', now_ms))
redis.call('EXPIRE', KEYS[1], ttl)
return { 'seeded', string.format('%d', settled) }
