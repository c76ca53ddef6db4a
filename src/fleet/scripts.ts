/**
 * The circuit's transitions, each one Lua script so Redis runs it atomically: concurrent failures
 * from many processes are counted one at a time and open the circuit exactly once (pybreaker reads,
 * then writes, and overshoots). Every script takes KEYS = [state hash, trial lease, write probe]
 * and ARGV[1] = the pub/sub channel, and returns the snapshot as JSON (see snapshot.ts). Redis's
 * own clock (TIME) decides when the reset timeout has passed, so the processes' clocks never need
 * to agree.
 */

const PRELUDE = `
-- Redis's clock in microseconds, set by now_ms(): the floor of every new version.
local now_us = 0

local function now_ms()
  local t = redis.call('TIME')
  now_us = tonumber(t[1]) * 1000000 + tonumber(t[2])
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end

-- A missing circuit (never used, expired, deleted, evicted, flushed) is closed, at the version
-- "now" (in microseconds): newer than any version a process can hold, so every process takes
-- it and what follows it.
-- An openedAt ahead of Redis's clock (the clock stepped back, or a failover to a host whose
-- clock is behind) is clamped to now and saved, so the circuit stays open one reset timeout at
-- most, not for the clocks' offset.
local function load(now)
  local v = redis.call('HMGET', KEYS[1], 'state', 'failures', 'version', 'openedAt')
  if not v[3] then
    return { state = 'closed', failures = 0, version = now_us, openedAt = 0 }
  end
  local c = {
    state = v[1] or 'closed',
    failures = tonumber(v[2] or '0'),
    version = tonumber(v[3]),
    openedAt = tonumber(v[4] or '0'),
  }
  if c.openedAt > now then
    c.openedAt = now
    redis.call('HSET', KEYS[1], 'openedAt', now)
  end
  return c
end

-- Versions are 16-digit numbers; cjson writes numbers with 14 significant digits at most, so a
-- version goes out as a string of all its digits.
local function snapshot(c, now, reset_ms)
  local version = string.format('%.0f', c.version)
  if c.state == 'closed' then
    return { state = 'closed', version = version, failures = c.failures }
  elseif c.state == 'open' then
    return { state = 'open', version = version, retryInMs = math.max(0, c.openedAt + reset_ms - now) }
  end
  return { state = 'half-open', version = version, leaseMs = math.max(0, redis.call('PTTL', KEYS[2])) }
end

-- Saves the circuit and tells every process; returns the snapshot as JSON. Every change gets a
-- new version, so a process that hears of two changes in either order keeps the later one. A
-- version is at least Redis's time in microseconds, so one that follows a lost key is still the
-- newest.
-- A circuit without a transition for a day is forgotten (it comes back closed), so circuits
-- nobody uses any more, like the lab's one-off ones, do not stay in Redis for good.
local function commit(c, now, reset_ms)
  c.version = math.max(c.version + 1, now_us)
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

/**
 * ARGV: channel, reset timeout ms. Reads the state without changing it, and writes the probe key:
 * a replica (read-only) or a full Redis (maxmemory with noeviction) fails here, so a link that
 * cannot write never counts as up.
 */
export const READ_SCRIPT = `${PRELUDE}
redis.call('SET', KEYS[3], '1', 'PX', 1000)
local now = now_ms()
return cjson.encode(snapshot(load(now), now, tonumber(ARGV[2])))
`;

/**
 * ARGV: channel, reset timeout ms, failure threshold, trial token ('' for an ordinary call), the
 * failure's id. Closed: count the failure, open at the threshold. Half-open: a failed trial opens
 * the circuit for another full reset timeout. Anything else is a call that started before the
 * circuit opened and failed after: it changes nothing, so the count never passes the threshold.
 * The ids of the last 16 failures counted are kept, so a failure sent again after its reply was
 * lost with a dropped connection counts once.
 */
export const FAILURE_SCRIPT = `${PRELUDE}
local now, reset_ms, threshold, token = now_ms(), tonumber(ARGV[2]), tonumber(ARGV[3]), ARGV[4]
local id = ARGV[5]
local c = load(now)
local recent = redis.call('HGET', KEYS[1], 'recent') or ''
if string.find(recent, id, 1, true) then
  return cjson.encode(snapshot(c, now, reset_ms))
end
local function counted()
  local ids = id
  local kept = 1
  for other in string.gmatch(recent, '[^,]+') do
    if kept == 16 then break end
    ids = ids .. ',' .. other
    kept = kept + 1
  end
  redis.call('HSET', KEYS[1], 'recent', ids)
  return commit(c, now, reset_ms)
end
if c.state == 'closed' then
  c.failures = c.failures + 1
  if c.failures >= threshold then open(c, now) end
  return counted()
end
if c.state == 'half-open' and token ~= '' then
  local holder = redis.call('GET', KEYS[2])
  -- An expired lease still counts: nobody else has started a trial since.
  if holder == token or holder == false then
    open(c, now)
    return counted()
  end
end
return cjson.encode(snapshot(c, now, reset_ms))
`;

/**
 * ARGV: channel, reset timeout ms, trial token ('' for an ordinary call). Closed: reset the count of
 * consecutive failures (sent only when a process knows it is above 0). Half-open: a trial
 * succeeded, close the circuit, whoever holds the lease now: the dependency answered.
 */
export const SUCCESS_SCRIPT = `${PRELUDE}
local now, reset_ms, token = now_ms(), tonumber(ARGV[2]), ARGV[3]
local c = load(now)
if c.state == 'closed' then
  if c.failures > 0 then
    c.failures = 0
    return commit(c, now, reset_ms)
  end
  return cjson.encode(snapshot(c, now, reset_ms))
end
if c.state == 'half-open' and token ~= '' then
  c.state = 'closed'
  c.failures = 0
  redis.call('DEL', KEYS[2])
  return commit(c, now, reset_ms)
end
return cjson.encode(snapshot(c, now, reset_ms))
`;

/**
 * ARGV: channel, reset timeout ms, lease ms, token. Grants the one trial call of the fleet: the
 * circuit must be open for at least the reset timeout (or half-open with the lease expired, its
 * holder presumed dead), and SET NX takes the lease. Asking again with the token that holds the
 * lease (a retry after a dropped connection) is granted again. Replies with `granted`.
 */
export const TRIAL_SCRIPT = `${PRELUDE}
local now, reset_ms, lease_ms, token = now_ms(), tonumber(ARGV[2]), tonumber(ARGV[3]), ARGV[4]
local c = load(now)
local due = (c.state == 'open' and now >= c.openedAt + reset_ms) or c.state == 'half-open'
if due and (redis.call('SET', KEYS[2], token, 'NX', 'PX', lease_ms)
    or redis.call('GET', KEYS[2]) == token) then
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

/**
 * ARGV: channel, reset timeout ms, lease ms, token. The trial is still running: the holder of the
 * lease extends it, so a trial slower than its lease never lets a second one start. Replies with
 * `granted` = still the holder. Changes no version: the other processes learn the new expiry when
 * they next ask for the trial.
 */
export const RENEW_SCRIPT = `${PRELUDE}
local now, reset_ms, lease_ms, token = now_ms(), tonumber(ARGV[2]), tonumber(ARGV[3]), ARGV[4]
local held = redis.call('GET', KEYS[2]) == token
if held then redis.call('PEXPIRE', KEYS[2], lease_ms) end
local reply = snapshot(load(now), now, reset_ms)
reply.granted = held
return cjson.encode(reply)
`;
