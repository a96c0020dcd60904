--[[
pitwall release_hold.lua -- release a reservation still held by a run that ended
or whose agent vanished (pitwall.act_release_hold), once.

A guard settles each reservation (settle_spend.lua) and releases those still open
when the run finishes; an agent that crashed between the two leaves the amount
reserved, and the caps count it against the user until the day is over. This
takes it back out of the run's hash and of the user's, agent's and global
counters of the day the run last beat, at most what the run still holds.

KEYS[1] run hash            pitwall:run:{run_id}
KEYS[2] spend hash, user    pitwall:spend:user:{u}:{yyyymmdd}
KEYS[3] spend hash, agent   pitwall:spend:agent:{a}:{yyyymmdd}
KEYS[4] spend hash, global  pitwall:spend:global:*:{yyyymmdd}
KEYS[5] marker              pitwall:applied:{action_id}:counter
ARGV[1] held_micros           integer >= 1, what the person saw the run hold
ARGV[2] now_ms                integer >= 0
ARGV[3] heartbeat_timeout_ms  integer >= 1: a running run that beat more recently
                              than this is live, and its reservation is in use

Effects, only if KEYS[5] does not exist and the run's hash does and the run has
ended or stopped beating: release = min(held, the run's reserved_micros);
reserved_micros -= release (not below 0) on KEYS[1..4] that exist; KEYS[5] set
for 7 days. A run whose hash has expired releases nothing: what it held is no
longer known, and holding too much refuses early, never late.
Reply: {"released", release}, {"already"}, {"live", heartbeat_ms} or {"gone"}
]]

local function arg_int(i, name, min)
  local n = tonumber(ARGV[i])
  if n == nil or n ~= math.floor(n) or n < min or n > 9007199254740992 then
    error(redis.error_reply('ERR pitwall release_hold: ARGV[' .. i .. '] ' ..
      name .. ' must be an integer in [' .. min .. ', 2^53], got ' ..
      tostring(ARGV[i])))
  end
  return n
end

local held = arg_int(1, 'held_micros', 1)
local now_ms = arg_int(2, 'now_ms', 0)
local timeout = arg_int(3, 'heartbeat_timeout_ms', 1)

if redis.call('EXISTS', KEYS[5]) == 1 then
  return { 'already' }
end
if redis.call('EXISTS', KEYS[1]) == 0 then
  return { 'gone' }
end
local run = redis.call('HMGET', KEYS[1], 'status', 'heartbeat_ms')
local beat = tonumber(run[2])
if (not run[1] or run[1] == 'running') and beat and now_ms - beat < timeout then
  return { 'live', run[2] }
end

local function reserved_of(key)
  local v = redis.call('HGET', key, 'reserved_micros')
  if v and string.match(v, '^%d+$') then
    return tonumber(v)
  end
  return 0
end

local release = math.min(held, reserved_of(KEYS[1]))
for i = 1, 4 do
  if redis.call('EXISTS', KEYS[i]) == 1 then
    local left = math.max(0, reserved_of(KEYS[i]) - release)
    redis.call('HSET', KEYS[i], 'reserved_micros', string.format('%d', left))
  end
end
redis.call('SET', KEYS[5], string.format('%d', now_ms), 'EX', 604800)
return { 'released', string.format('%d', release) }
