--[[
pitwall breaker_record.lua -- report the outcome of a tool call to the tool's
circuit breaker (after breaker_allow.lua said "allow").

KEYS[1] breaker hash   pitwall:breaker:{tool}   (fields: see breaker_allow.lua)
KEYS[2] event stream   pitwall:events
KEYS[3] tool registry  pitwall:breakers (set; optional): the tool is added
KEYS[4] minute bucket  pitwall:breaker_calls:{tool}:{minute} (hash; optional,
        minute = now_ms / 60000): every call adds 1 to `calls`, a failure 1 to
        `failures`; the bucket lives 1200 s after its last write

ARGV[1] now_ms              integer >= 0 (caller's clock; no TIME in here)
ARGV[2] outcome             "1" = success, "0" = failure
ARGV[3] error text          may be empty; stored as last_error on failure
ARGV[4] default threshold   integer >= 1 (HSETNX'd into the hash)
ARGV[5] default cooloff_ms  integer >= 0 (HSETNX'd into the hash)
ARGV[6] tool name           written into events
ARGV[7] stream maxlen       integer >= 1 (XADD ... MAXLEN ~ n *)

Reply, always the same shape:
  {state_after, transitioned, from_state, failures}
  state_after   "closed" | "open" | "half_open" | "forced_open" | "forced_closed"
  transitioned  1 if the shown state changed (and an event was written), else 0
  from_state    shown state before this call when transitioned = 1, else ""
  failures      the failures counter after this call

Rules:
  unexpired forced override ("open"/"closed"):
        failure -> failures += 1, last_error; success -> nothing; never a
        transition. Reply {"forced_<x>", 0, "", failures}.
  expired forced override: removed (HDEL forced forced_until_ms) with an
        event (from forced_<x>, to <state>, reason "override expired"),
        transitioned = 1, then the automatic rules below apply.
  closed:    success -> failures = 0
             failure -> failures += 1, last_error; if failures >= threshold:
                        state open, opened_ms = now (transition)
  half_open: success -> state closed, failures = 0, HDEL trial_ms (transition)
             failure -> state open, opened_ms = now, failures += 1,
                        last_error, HDEL trial_ms (transition)
  open:      failure -> failures += 1, last_error; success -> nothing
Automatic transitions XADD KEYS[2] MAXLEN ~ ARGV[7] * with fields
  type breaker, tool, from, to, failures, at_ms, last_error.
last_error is overwritten with ARGV[3] on every failure, even when empty.
]]

local function istr(n)
  return string.format('%d', n)
end

local function arg_int(i, name, min)
  local n = tonumber(ARGV[i])
  if n == nil or n ~= math.floor(n) or n < min or n > 9007199254740992 then
    error(redis.error_reply('ERR pitwall breaker_record: ARGV[' .. i .. '] ' ..
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
local outcome = ARGV[2]
if outcome ~= '1' and outcome ~= '0' then
  return redis.error_reply('ERR pitwall breaker_record: ARGV[2] outcome must be "1" or "0", got ' ..
    tostring(outcome))
end
local success = outcome == '1'
local err_text = ARGV[3] or ''
local def_threshold = arg_int(4, 'default threshold', 1)
local def_cooloff = arg_int(5, 'default cooloff_ms', 0)
local tool = ARGV[6] or ''
local maxlen = arg_int(7, 'stream maxlen', 1)

local key, stream, registry, bucket = KEYS[1], KEYS[2], KEYS[3], KEYS[4]

redis.call('HSETNX', key, 'threshold', istr(def_threshold))
redis.call('HSETNX', key, 'cooloff_ms', istr(def_cooloff))
redis.call('HSETNX', key, 'state', 'closed')
redis.call('HSETNX', key, 'since_ms', istr(now))
if registry then
  redis.call('SADD', registry, tool)
end
if bucket then
  redis.call('HINCRBY', bucket, 'calls', 1)
  if not success then
    redis.call('HINCRBY', bucket, 'failures', 1)
  end
  redis.call('EXPIRE', bucket, 1200)
end

local h = redis.call('HMGET', key, 'state', 'failures', 'threshold',
  'forced', 'forced_until_ms', 'last_error')
local state = h[1]
if state ~= 'open' and state ~= 'half_open' then
  state = 'closed'
end
local failures = num(h[2], 0)
local threshold = num(h[3], def_threshold)
local forced = h[4] or ''
local forced_until = num(h[5], 0)

local function add_failure()
  failures = failures + 1
  redis.call('HSET', key, 'failures', istr(failures), 'last_error', err_text)
end

local function event(from_state, to_state)
  redis.call('XADD', stream, 'MAXLEN', '~', istr(maxlen), '*',
    'type', 'breaker', 'tool', tool, 'from', from_state, 'to', to_state,
    'failures', istr(failures), 'at_ms', istr(now),
    'last_error', redis.call('HGET', key, 'last_error') or '')
end

local transitioned, from = 0, ''

-- forced override
if forced ~= '' then
  if forced_until <= 0 or now < forced_until then
    if forced == 'open' or forced == 'closed' then
      if not success then
        add_failure()
      end
      return { 'forced_' .. forced, 0, '', failures }
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

local function transition(to_state)
  redis.call('HSET', key, 'since_ms', istr(now))
  event(state, to_state)
  if from == '' then
    from = state
  end
  transitioned = 1
  state = to_state
end

if state == 'closed' then
  if success then
    redis.call('HSET', key, 'failures', '0')
    failures = 0
  else
    add_failure()
    if failures >= threshold then
      redis.call('HSET', key, 'state', 'open', 'opened_ms', istr(now))
      transition('open')
    end
  end
elseif state == 'half_open' then
  if success then
    failures = 0
    redis.call('HSET', key, 'state', 'closed', 'failures', '0')
    redis.call('HDEL', key, 'trial_ms')
    transition('closed')
  else
    add_failure()
    redis.call('HSET', key, 'state', 'open', 'opened_ms', istr(now))
    redis.call('HDEL', key, 'trial_ms')
    transition('open')
  end
else -- open
  if not success then
    add_failure()
  end
end

return { state, transitioned, from, failures }
