--[[
pitwall settle_spend.lua -- release a reservation made by reserve_spend.lua
and book the actual cost.

KEYS[1] spend hash, user    pitwall:spend:user:{u}:{yyyymmdd}
KEYS[2] spend hash, agent   pitwall:spend:agent:{a}:{yyyymmdd}
KEYS[3] spend hash, global  pitwall:spend:global:*:{yyyymmdd}
        (the same keys, i.e. the same UTC day, used at reservation)
KEYS[4] run hash          pitwall:run:{run_id}
KEYS[5] optional: rank of users   pitwall:spend_rank:user:{yyyymmdd}
KEYS[6] optional: rank of agents  pitwall:spend_rank:agent:{yyyymmdd}

ARGV[1] reserved_micros  integer >= 0, what reserve_spend reserved
ARGV[2] actual_micros    integer >= 0, the real cost (0 when cancelled)
ARGV[3] ttl_seconds      integer > 0, applied to the spend hashes
ARGV[4] user             with KEYS[5..6]: the user's id, its member in KEYS[5]
ARGV[5] agent            with KEYS[5..6]: the agent's name, its member in KEYS[6]

Effects:
  each spend hash: reserved_micros = max(0, reserved_micros - reserved),
                   settled_micros += actual, EXPIRE ttl (created if missing).
  run hash, only if it exists (never created here):
                   reserved_micros = max(0, reserved_micros - reserved),
                   cost_micros += actual.
  ranks, only when KEYS[5] and KEYS[6] are given: the user's and the agent's
                   settled_micros after this call become their scores (ZADD),
                   EXPIRE ttl. Callers of version 4 pass four keys: no ranks.

Reply: {"ok", user_settled_after, user_reserved_after}  (KEYS[1], micro-dollars)
  Malformed ARGV or a non-integer counter field gives an error reply and
  nothing is written (all checks precede writes).
]]

local function istr(n)
  return string.format('%d', n)
end

local function arg_int(i, name, min)
  local n = tonumber(ARGV[i])
  if n == nil or n ~= math.floor(n) or n < min or n > 9007199254740992 then
    error(redis.error_reply('ERR pitwall settle_spend: ARGV[' .. i .. '] ' ..
      name .. ' must be an integer in [' .. min .. ', 2^53], got ' ..
      tostring(ARGV[i])))
  end
  return n
end

-- counter field -> integer (missing = 0); anything HINCRBY would reject is an error
local function int_field(v, key, field)
  if v == false or v == nil then
    return 0
  end
  if not string.match(v, '^%-?%d+$') then
    error(redis.error_reply('ERR pitwall settle_spend: field ' .. field ..
      ' of ' .. key .. ' is not an integer: ' .. tostring(v)))
  end
  return tonumber(v)
end

local reserved = arg_int(1, 'reserved_micros', 0)
local actual = arg_int(2, 'actual_micros', 0)
local ttl = arg_int(3, 'ttl_seconds', 1)

-- read and validate everything first
local cur_reserved = {}
for i = 1, 3 do
  local s = redis.call('HMGET', KEYS[i], 'settled_micros', 'reserved_micros')
  int_field(s[1], KEYS[i], 'settled_micros')
  cur_reserved[i] = int_field(s[2], KEYS[i], 'reserved_micros')
end
local run_exists = redis.call('EXISTS', KEYS[4]) == 1
local run_reserved = 0
if run_exists then
  local r = redis.call('HMGET', KEYS[4], 'reserved_micros', 'cost_micros')
  run_reserved = int_field(r[1], KEYS[4], 'reserved_micros')
  int_field(r[2], KEYS[4], 'cost_micros')
end

local ranked = #KEYS >= 6
if ranked and (ARGV[4] == nil or ARGV[4] == '' or ARGV[5] == nil or ARGV[5] == '') then
  error(redis.error_reply('ERR pitwall settle_spend: with rank keys, ARGV[4] user and ' ..
    'ARGV[5] agent are required'))
end

local act = istr(actual)
local user_settled, user_reserved = 0, 0
local settled_after = {}
for i = 1, 3 do
  local left = math.max(0, cur_reserved[i] - reserved)
  redis.call('HSET', KEYS[i], 'reserved_micros', istr(left))
  local settled = redis.call('HINCRBY', KEYS[i], 'settled_micros', act)
  redis.call('EXPIRE', KEYS[i], ttl)
  settled_after[i] = settled
  if i == 1 then
    user_settled, user_reserved = settled, left
  end
end

if ranked then
  redis.call('ZADD', KEYS[5], istr(settled_after[1]), ARGV[4])
  redis.call('EXPIRE', KEYS[5], ttl)
  redis.call('ZADD', KEYS[6], istr(settled_after[2]), ARGV[5])
  redis.call('EXPIRE', KEYS[6], ttl)
end

if run_exists then
  redis.call('HSET', KEYS[4], 'reserved_micros',
    istr(math.max(0, run_reserved - reserved)))
  redis.call('HINCRBY', KEYS[4], 'cost_micros', act)
end

return { 'ok', user_settled, user_reserved }
