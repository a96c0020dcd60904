--[[
pitwall rebuild_spend.lua -- set a day's spend counter to the ledger's figure
(pitwall.act_rebuild_spend), keeping what was settled while the ledger was read.

The person compared the counter's settled_micros (seen) with the ledger; the
ledger was then computed in PostgreSQL. A settle between the read and this call
is in the counter but maybe not in the ledger: it is kept, by adding what the
counter grew by since it was seen. Applied once per action: the marker key
makes a second applier (another console draining, a retry) change nothing.

KEYS[1] spend hash   pitwall:spend:{scope}:{subject}:{yyyymmdd}
KEYS[2] marker       pitwall:applied:{action_id}:counter
KEYS[3] optional     pitwall:spend_rank:{scope}:{yyyymmdd} (user and agent scopes)
ARGV[1] ledger_micros  integer >= 0
ARGV[2] seen_micros    integer >= 0, settled_micros as the person saw it
ARGV[3] ttl_seconds    integer > 0
ARGV[4] now_ms         integer >= 0
ARGV[5] subject        with KEYS[3]: the member to score

Effects, only if KEYS[2] does not exist:
  settled_micros = ledger + max(0, settled_now - seen), seeded = "rebuild",
  seeded_ms = now_ms (a rebuilt counter holds the ledger: it may be granted
  against), EXPIRE ttl; the rank's member scored with the new settled; KEYS[2]
  set for 7 days.
Reply: {"rebuilt", settled_before, settled_after} or {"already"}
]]

local function arg_int(i, name, min)
  local n = tonumber(ARGV[i])
  if n == nil or n ~= math.floor(n) or n < min or n > 9007199254740992 then
    error(redis.error_reply('ERR pitwall rebuild_spend: ARGV[' .. i .. '] ' ..
      name .. ' must be an integer in [' .. min .. ', 2^53], got ' ..
      tostring(ARGV[i])))
  end
  return n
end

local ledger = arg_int(1, 'ledger_micros', 0)
local seen = arg_int(2, 'seen_micros', 0)
local ttl = arg_int(3, 'ttl_seconds', 1)
local now_ms = arg_int(4, 'now_ms', 0)

if redis.call('EXISTS', KEYS[2]) == 1 then
  return { 'already' }
end

local cur = redis.call('HGET', KEYS[1], 'settled_micros')
local before = 0
if cur and string.match(cur, '^%-?%d+$') then
  before = tonumber(cur)
end
-- A counter someone wrote garbage into counts as zero: the ledger replaces it.
local after = ledger + math.max(0, before - seen)
local s = string.format('%d', after)
redis.call('HSET', KEYS[1], 'settled_micros', s, 'seeded', 'rebuild',
  'seeded_ms', string.format('%d', now_ms))
local reserved = redis.call('HGET', KEYS[1], 'reserved_micros')
if not reserved or not string.match(reserved, '^%d+$') then
  redis.call('HSET', KEYS[1], 'reserved_micros', '0')
end
redis.call('EXPIRE', KEYS[1], ttl)
if #KEYS >= 3 and ARGV[5] and ARGV[5] ~= '' then
  redis.call('ZADD', KEYS[3], s, ARGV[5])
  redis.call('EXPIRE', KEYS[3], ttl)
end
redis.call('SET', KEYS[2], string.format('%d', now_ms), 'EX', 604800)
return { 'rebuilt', string.format('%d', before), s }
