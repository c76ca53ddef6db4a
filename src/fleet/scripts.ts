/**
 * The circuit's transitions, each one Lua script so Redis runs it atomically: concurrent failures
 * from many processes are counted one at a time and open the circuit exactly once (pybreaker reads,
 * then writes, and overshoots). Every script takes KEYS = [state hash, trial lease] and ARGV[1] = the
 * pub/sub channel, and returns the snapshot as JSON (see snapshot.ts). Redis's own clock (TIME)
 * decides when the reset timeout has passed, so the processes' clocks never need to agree.
 */

const PRELUDE = `
local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end

local function load()
  local v = redis.call('HMGET', KEYS[1], 'state', 'failures', 'version', 'openedAt')
  return {
    state = v[1] or 'closed',
    failures = tonumber(v[2] or '0'),
    version = tonumber(v[3] or '0'),
    openedAt = tonumber(v[4] or '0'),
  }
end

local function snapshot(c, now, reset_ms)
  if c.state == 'closed' then
    return { state = 'closed', version = c.version, failures = c.failures }
  elseif c.state == 'open' then
    return { state = 'open', version = c.version, retryInMs = math.max(0, c.openedAt + reset_ms - now) }
  end
  return { state = 'half-open', version = c.version, leaseMs = math.max(0, redis.call('PTTL', KEYS[2])) }
end

-- Saves the circuit and tells every process; returns the snapshot as JSON. Every change gets a
-- new version, so a process that hears of two changes in either order keeps the later one.
-- A circuit without a transition for a day is forgotten (it comes back closed), so circuits
-- nobody uses any more, like the lab's one-off ones, do not stay in Redis for good.
local function commit(c, now, reset_ms)
  c.version = c.version + 1
  redis.call('HSET', KEYS[1], 'state', c.state, 'failures', c.failures, 'version', c.version,
    'openedAt', c.openedAt)
  redis.call('PEXPIRE', KEYS[1], 86400000)
  local json = cjson.encode(snapshot(c, now, reset_ms))
  redis.call('PUBLISH', ARGV[1], json)
  return json
end

local function open(c, now)
  c.state = 'open'
  c.openedAt = now
  redis.call('DEL', KEYS[2])
end
`;

/** ARGV: channel, reset timeout ms. Reads the state without changing it. */
export const READ_SCRIPT = `${PRELUDE}
return cjson.encode(snapshot(load(), now_ms(), tonumber(ARGV[2])))
`;

/**
 * ARGV: channel, reset timeout ms, failure threshold, trial token ('' for an ordinary call).
 * Closed: count the failure, open at the threshold. Half-open: a failed trial opens the circuit
 * for another full reset timeout. Anything else is a call that started before the circuit opened
 * and failed after: it changes nothing, so the count never passes the threshold.
 */
export const FAILURE_SCRIPT = `${PRELUDE}
local now, reset_ms, threshold, token = now_ms(), tonumber(ARGV[2]), tonumber(ARGV[3]), ARGV[4]
local c = load()
if c.state == 'closed' then
  c.failures = c.failures + 1
  if c.failures >= threshold then open(c, now) end
  return commit(c, now, reset_ms)
end
if c.state == 'half-open' and token ~= '' then
  local holder = redis.call('GET', KEYS[2])
  -- An expired lease still counts: nobody else has started a trial since.
  if holder == token or holder == false then
    open(c, now)
    return commit(c, now, reset_ms)
  end
end
return cjson.encode(snapshot(c, now, reset_ms))
`;

/**
 * ARGV: channel, reset timeout ms, trial token ('' for an ordinary call). Closed: reset the count of
 * consecutive failures (sent only when a process knows it is above 0). Half-open: the trial
 * succeeded, close the circuit.
 */
export const SUCCESS_SCRIPT = `${PRELUDE}
local now, reset_ms, token = now_ms(), tonumber(ARGV[2]), ARGV[3]
local c = load()
if c.state == 'closed' then
  if c.failures > 0 then
    c.failures = 0
    return commit(c, now, reset_ms)
  end
  return cjson.encode(snapshot(c, now, reset_ms))
end
if c.state == 'half-open' and token ~= '' then
  local holder = redis.call('GET', KEYS[2])
  if holder == token or holder == false then
    c.state = 'closed'
    c.failures = 0
    redis.call('DEL', KEYS[2])
    return commit(c, now, reset_ms)
  end
end
return cjson.encode(snapshot(c, now, reset_ms))
`;

/**
 * ARGV: channel, reset timeout ms, lease ms, token. Grants the one trial call of the fleet: the
 * circuit must be open for at least the reset timeout (or half-open with the lease expired, its
 * holder presumed dead), and SET NX takes the lease. Replies with `granted`.
 */
export const TRIAL_SCRIPT = `${PRELUDE}
local now, reset_ms, lease_ms, token = now_ms(), tonumber(ARGV[2]), tonumber(ARGV[3]), ARGV[4]
local c = load()
local due = (c.state == 'open' and now >= c.openedAt + reset_ms) or c.state == 'half-open'
if due and redis.call('SET', KEYS[2], token, 'NX', 'PX', lease_ms) then
  -- Committed even when already half-open, so every process learns the new lease's expiry.
  c.state = 'half-open'
  local reply = cjson.decode(commit(c, now, reset_ms))
  reply.granted = true
  return cjson.encode(reply)
end
local reply = snapshot(c, now, reset_ms)
reply.granted = false
return cjson.encode(reply)
`;
