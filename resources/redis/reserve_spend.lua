--[[
pitwall reserve_spend.lua -- reserve an estimated LLM spend against the
user, agent and global caps, all or nothing.

KEYS[1] cap hash, user    pitwall:cap:user:{u}
KEYS[2] cap hash, agent   pitwall:cap:agent:{a}
KEYS[3] cap hash, global  pitwall:cap:global:*
        fields: daily_micros, per_request_micros, revision, and optionally
        expires_ms, fallback_daily_micros, fallback_per_request_micros.
        A negative value (-1), an empty or a missing field means "no limit".
        If expires_ms > 0 and now_ms >= expires_ms, the fallback_* fields
        are in force instead (a missing fallback field means "no limit").
KEYS[4] spend hash, user    pitwall:spend:user:{u}:{yyyymmdd}
KEYS[5] spend hash, agent   pitwall:spend:agent:{a}:{yyyymmdd}
KEYS[6] spend hash, global  pitwall:spend:global:*:{yyyymmdd}
        fields: settled_micros, reserved_micros, requests, refused, and
        seeded (set by seed_spend.lua once the day's counter holds the ledger's
        spend; a counter without it is never granted against)
KEYS[7] run hash          pitwall:run:{run_id}   (field reserved_micros)

ARGV[1] estimate_micros  integer > 0
ARGV[2] now_ms           integer >= 0 (caller's clock; no TIME in here)
ARGV[3] ttl_seconds      integer > 0, applied to the spend hashes

Reply (first element is always the status):
  {"missing", i}                                   KEYS[i] (i = 1, 2 or 3) does
                                                   not exist; nothing changed.
                                                   Write the cap mirror and retry.
  {"unseeded", i}                                  KEYS[3 + i] (i = 1, 2 or 3)
                                                   has no "seeded" field (Redis lost
                                                   it, or a new day); nothing changed.
                                                   Seed it (seed_spend.lua) from
                                                   pitwall.spend_seed and retry.
  {"refused", "per_request", scope, limit, estimate}
                                                   estimate > per-request limit
                                                   of scope; refused += 1 on KEYS[4].
  {"refused", "daily", scope, limit, used}         used = settled + reserved of
                                                   that scope before this call;
                                                   used + estimate > limit;
                                                   refused += 1 on KEYS[4] and on
                                                   that scope's spend hash (once
                                                   if the scope is user).
  {"ok", estimate, user_used_after}                reserved_micros += estimate and
                                                   requests += 1 on KEYS[4..6],
                                                   reserved_micros += estimate on
                                                   KEYS[7]; user_used_after =
                                                   user settled + reserved after.
  scope is "user", "agent" or "global"; all amounts are integer micro-dollars.
  Malformed ARGV, a non-numeric cap field or a non-integer counter field
  gives an error reply and nothing is written (all checks precede writes).
]]

local SCOPES = { 'user', 'agent', 'global' }

-- integer -> decimal string without exponent (Lua's tostring uses %.14g)
local function istr(n)
  return string.format('%d', n)
end

local function arg_int(i, name, min)
  local n = tonumber(ARGV[i])
  if n == nil or n ~= math.floor(n) or n < min or n > 9007199254740992 then
    error(redis.error_reply('ERR pitwall reserve_spend: ARGV[' .. i .. '] ' ..
      name .. ' must be an integer in [' .. min .. ', 2^53], got ' ..
      tostring(ARGV[i])))
  end
  return n
end

-- hash field -> number, or nil when empty/missing
local function field_num(v, key, field)
  if v == false or v == nil or v == '' then
    return nil
  end
  local n = tonumber(v)
  if n == nil then
    error(redis.error_reply('ERR pitwall reserve_spend: field ' .. field ..
      ' of ' .. key .. ' is not a number: ' .. tostring(v)))
  end
  return n
end

-- counter field -> integer, or nil when empty/missing (HINCRBY needs integers)
local function int_field(v, key, field)
  if v == false or v == nil then
    return nil
  end
  local n = tonumber(v)
  if n == nil or not string.match(v, '^%-?%d+$') then
    error(redis.error_reply('ERR pitwall reserve_spend: field ' .. field ..
      ' of ' .. key .. ' is not an integer: ' .. tostring(v)))
  end
  return n
end

-- limit in force: -1 means no limit
local function as_limit(v, key, field)
  local n = field_num(v, key, field)
  if n == nil or n < 0 then
    return -1
  end
  return n
end

local estimate = arg_int(1, 'estimate_micros', 1)
local now_ms = arg_int(2, 'now_ms', 0)
local ttl = arg_int(3, 'ttl_seconds', 1)

-- 1. every cap mirror must exist
for i = 1, 3 do
  if redis.call('EXISTS', KEYS[i]) == 0 then
    return { 'missing', i }
  end
end

-- 2. every spend counter must hold the day's spend so far: one that Redis lost (or
-- a new day's) would count from zero, past the cap
for i = 1, 3 do
  if redis.call('HEXISTS', KEYS[3 + i], 'seeded') == 0 then
    return { 'unseeded', i }
  end
end

-- caps in force and current usage per scope
local daily = {}
local per_request = {}
local used = {}
for i = 1, 3 do
  local key = KEYS[i]
  local c = redis.call('HMGET', key, 'daily_micros', 'per_request_micros',
    'expires_ms', 'fallback_daily_micros', 'fallback_per_request_micros')
  local expires = field_num(c[3], key, 'expires_ms')
  if expires ~= nil and expires > 0 and now_ms >= expires then
    daily[i] = as_limit(c[4], key, 'fallback_daily_micros')
    per_request[i] = as_limit(c[5], key, 'fallback_per_request_micros')
  else
    daily[i] = as_limit(c[1], key, 'daily_micros')
    per_request[i] = as_limit(c[2], key, 'per_request_micros')
  end
  local skey = KEYS[3 + i]
  local s = redis.call('HMGET', skey, 'settled_micros', 'reserved_micros',
    'requests', 'refused')
  used[i] = (int_field(s[1], skey, 'settled_micros') or 0) +
            (int_field(s[2], skey, 'reserved_micros') or 0)
  int_field(s[3], skey, 'requests')
  int_field(s[4], skey, 'refused')
end
-- checked up front so that a later HINCRBY cannot fail half-way through
int_field(redis.call('HGET', KEYS[7], 'reserved_micros'), KEYS[7], 'reserved_micros')

-- 3. per-request limits
for i = 1, 3 do
  if per_request[i] >= 0 and estimate > per_request[i] then
    redis.call('HINCRBY', KEYS[4], 'refused', 1)
    redis.call('EXPIRE', KEYS[4], ttl)
    return { 'refused', 'per_request', SCOPES[i], per_request[i], estimate }
  end
end

-- 4. daily limits
for i = 1, 3 do
  if daily[i] >= 0 and used[i] + estimate > daily[i] then
    redis.call('HINCRBY', KEYS[4], 'refused', 1)
    redis.call('EXPIRE', KEYS[4], ttl)
    if i ~= 1 then
      redis.call('HINCRBY', KEYS[3 + i], 'refused', 1)
      redis.call('EXPIRE', KEYS[3 + i], ttl)
    end
    return { 'refused', 'daily', SCOPES[i], daily[i], used[i] }
  end
end

-- 5. reserve
local est = istr(estimate)
local user_reserved = 0
for i = 1, 3 do
  local r = redis.call('HINCRBY', KEYS[3 + i], 'reserved_micros', est)
  redis.call('HINCRBY', KEYS[3 + i], 'requests', 1)
  redis.call('EXPIRE', KEYS[3 + i], ttl)
  if i == 1 then
    user_reserved = r
  end
end
redis.call('HINCRBY', KEYS[7], 'reserved_micros', est)

local user_settled = tonumber(redis.call('HGET', KEYS[4], 'settled_micros')) or 0
return { 'ok', estimate, user_settled + user_reserved }
