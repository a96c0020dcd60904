--[[
pitwall breaker_allow.lua -- ask a tool's circuit breaker whether a call may
start now. Pair with breaker_record.lua once the call finished.

KEYS[1] breaker hash   pitwall:breaker:{tool}
        fields: state (closed | open | half_open; missing, empty or unknown
                       = closed), failures, opened_ms, cooloff_ms, threshold,
                forced ("open" | "closed" | empty), forced_until_ms (0 or
                missing = no expiry), last_error, trial_ms (start of the
                half-open trial call), since_ms (when the shown state began;
                set when the hash is created and at every transition)
KEYS[2] event stream   pitwall:events
KEYS[3] tool registry  pitwall:breakers (set; optional): the tool is added, so
        that the console's board lists every tool without a SCAN
KEYS[4] minute bucket  pitwall:breaker_calls:{tool}:{minute} (hash; optional,
        minute = now_ms / 60000): a refused call adds 1 to `rejected`; the
        bucket lives 1200 s after its last write

ARGV[1] now_ms              integer >= 0 (caller's clock; no TIME in here)
ARGV[2] default threshold   integer >= 1 (HSETNX'd into the hash)
ARGV[3] default cooloff_ms  integer >= 0 (HSETNX'd into the hash)
ARGV[4] tool name           written into events
ARGV[5] stream maxlen       integer >= 1 (XADD ... MAXLEN ~ n *)

Reply, always the same shape:
  {verdict, state, transitioned, from_state, retry_after_ms}
  verdict        "allow" | "deny"
  state          state shown after this call: "closed" | "open" | "half_open"
                 | "forced_open" | "forced_closed"
  transitioned   1 if this call changed the shown state (and wrote an event),
                 else 0
  from_state     shown state before this call when transitioned = 1
                 ("open" or "forced_open"/"forced_closed"), else ""
  retry_after_ms when denied: ms until the breaker may admit a call again
                 (open: until the cooloff ends; half_open: until the in-flight
                 trial is considered lost; forced_open: until forced_until_ms,
                 0 if the override has no expiry); 0 when allowed.
  "allow" with state "half_open" means: this call is the single trial call.

Cases:
  {"deny",  "forced_open",   0, "", ms|0}   unexpired forced = "open"
  {"allow", "forced_closed", 0, "", 0}      unexpired forced = "closed"
  {"allow", "closed",        t, f, 0}
  {"deny",  "open",          t, f, ms}      cooloff not over
  {"allow", "half_open",     1, "open"|f, 0} cooloff over -> half_open, trial
  {"allow", "half_open",     t, f, 0}       half_open, previous trial lost
  {"deny",  "half_open",     t, f, ms}      half_open, trial in flight
  (t, f = 1, "forced_..." only when an expired override was just removed)

Events (XADD KEYS[2] MAXLEN ~ ARGV[5] *):
  override expired: type breaker, tool, from forced_<x>, to <state>,
                    at_ms, reason "override expired"
  open -> half_open: type breaker, tool, from open, to half_open, at_ms,
                     failures
An unknown non-empty forced value is ignored while unexpired.
]]

local function istr(n)
  return string.format('%d', n)
end

local function arg_int(i, name, min)
  local n = tonumber(ARGV[i])
  if n == nil or n ~= math.floor(n) or n < min or n > 9007199254740992 then
    error(redis.error_reply('ERR pitwall breaker_allow: ARGV[' .. i .. '] ' ..
      name .. ' must be an integer in [' .. min .. ', 2^53], got ' ..
      tostring(ARGV[i])))
  end
  return n
end

local function num(v, default)
  local n = tonumber(v)
  if n == nil then
    return default
  end
  return n
end

local now = arg_int(1, 'now_ms', 0)
local def_threshold = arg_int(2, 'default threshold', 1)
local def_cooloff = arg_int(3, 'default cooloff_ms', 0)
local tool = ARGV[4] or ''
local maxlen = arg_int(5, 'stream maxlen', 1)

local key, stream, registry, bucket = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local kBucketSeconds = 1200

-- 1. defaults
redis.call('HSETNX', key, 'threshold', istr(def_threshold))
redis.call('HSETNX', key, 'cooloff_ms', istr(def_cooloff))
redis.call('HSETNX', key, 'state', 'closed')
redis.call('HSETNX', key, 'since_ms', istr(now))
if registry then
  redis.call('SADD', registry, tool)
end

local function refused(reply)
  if bucket then
    redis.call('HINCRBY', bucket, 'rejected', 1)
    redis.call('EXPIRE', bucket, kBucketSeconds)
  end
  return reply
end

local h = redis.call('HMGET', key, 'state', 'failures', 'opened_ms',
  'cooloff_ms', 'forced', 'forced_until_ms', 'trial_ms')
local state = h[1]
if state ~= 'open' and state ~= 'half_open' then
  state = 'closed'
end
local failures = num(h[2], 0)
local opened_ms = num(h[3], 0)
local cooloff = num(h[4], def_cooloff)
local forced = h[5] or ''
local forced_until = num(h[6], 0)
local trial_ms = num(h[7], nil)

local transitioned, from = 0, ''

-- 2. forced override
if forced ~= '' then
  if forced_until <= 0 or now < forced_until then
    if forced == 'open' then
      local retry = 0
      if forced_until > 0 then
        retry = forced_until - now
      end
      return refused({ 'deny', 'forced_open', 0, '', retry })
    elseif forced == 'closed' then
      return { 'allow', 'forced_closed', 0, '', 0 }
    end
    -- unknown value: ignored, automatic state applies
  else
    redis.call('HDEL', key, 'forced', 'forced_until_ms')
    redis.call('HSET', key, 'since_ms', istr(now))
    redis.call('XADD', stream, 'MAXLEN', '~', istr(maxlen), '*',
      'type', 'breaker', 'tool', tool, 'from', 'forced_' .. forced,
      'to', state, 'at_ms', istr(now), 'reason', 'override expired')
    transitioned, from = 1, 'forced_' .. forced
  end
end

-- 3. closed
if state == 'closed' then
  return { 'allow', 'closed', transitioned, from, 0 }
end

-- 4. open
if state == 'open' then
  if now - opened_ms >= cooloff then
    redis.call('HSET', key, 'state', 'half_open', 'trial_ms', istr(now), 'since_ms', istr(now))
    redis.call('XADD', stream, 'MAXLEN', '~', istr(maxlen), '*',
      'type', 'breaker', 'tool', tool, 'from', 'open', 'to', 'half_open',
      'at_ms', istr(now), 'failures', istr(failures))
    if from == '' then
      from = 'open'
    end
    return { 'allow', 'half_open', 1, from, 0 }
  end
  return refused({ 'deny', 'open', transitioned, from, opened_ms + cooloff - now })
end

-- 5. half_open
if trial_ms ~= nil and now - trial_ms < cooloff then
  return refused({ 'deny', 'half_open', transitioned, from, trial_ms + cooloff - now })
end
redis.call('HSET', key, 'trial_ms', istr(now))
return { 'allow', 'half_open', transitioned, from, 0 }
