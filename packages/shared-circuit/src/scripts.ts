/**
 * The circuit's transitions, each one Lua script so Redis runs it atomically: concurrent failures
 * from many processes are counted one at a time and open the circuit exactly once (pybreaker reads,
 * then writes, and overshoots). Every script takes KEYS = [state hash, trial leases, write probe]
 * and returns the snapshot as JSON (see snapshot.ts). The transition scripts take ARGV = [the
 * pub/sub channel, reset timeout ms, half-open trials, success threshold, ...their own]; the
 * control script (an operator's isolate/release/reset/status) takes [channel, action] and uses the
 * settings the circuit's processes saved. Redis's own clock (TIME) decides when the reset timeout
 * has passed, so the processes' clocks never need to agree.
 *
 * The trial leases are a sorted set: member = the trial's token, score = when its lease runs out
 * (Redis time, ms). Half-open allows `trials` live leases at once; `threshold` trial successes
 * close the circuit; any failed trial opens it for a full reset timeout.
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
-- own = true: the caller is a circuit, whose settings (ARGV[2..4]) replace the saved ones.
local function load(now, own)
  local v = redis.call('HMGET', KEYS[1], 'state', 'failures', 'version', 'openedAt', 'forced',
    'successes', 'resetMs', 'trials', 'threshold', 'spell', 'reopens', 'openMs')
  local c = {
    state = v[1] or 'closed',
    failures = tonumber(v[2] or '0'),
    version = tonumber(v[3] or now_us),
    openedAt = tonumber(v[4] or '0'),
    forced = v[5] or '',
    successes = tonumber(v[6] or '0'),
    resetMs = tonumber(v[7] or '0'),
    trials = tonumber(v[8] or '1'),
    threshold = tonumber(v[9] or '1'),
    -- The version at which the circuit last closed: a failure sent for another closed spell
    -- does not count. '' for a circuit saved by a version without it.
    spell = v[10] or '',
    -- Failed trials in a row since the circuit last closed, and the open period they earned
    -- (the reset timeout, or longer with a backoff).
    reopens = tonumber(v[11] or '0'),
    openMs = tonumber(v[12] or '0'),
    exists = v[3] ~= false,
  }
  if not c.exists then
    c.state, c.failures, c.openedAt, c.forced, c.successes, c.spell = 'closed', 0, 0, '', 0, ''
  end
  if own then
    c.resetMs, c.trials, c.threshold = tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
  end
  if c.openMs <= 0 then c.openMs = c.resetMs end
  if c.openedAt > now then
    c.openedAt = now
    redis.call('HSET', KEYS[1], 'openedAt', now)
  end
  return c
end

-- Trial leases still running (their lease not run out by Redis's clock).
local function live(now)
  return redis.call('ZCOUNT', KEYS[2], '(' .. now, '+inf')
end

-- Versions are 16-digit numbers; cjson writes numbers with 14 significant digits at most, so a
-- version goes out as a string of all its digits. Half-open: leaseMs is how long until a trial
-- may start, 0 while fewer than 'trials' leases run, else until the first of them runs out.
local function snapshot(c, now)
  local version = string.format('%.0f', c.version)
  if c.state == 'closed' then
    return { state = 'closed', version = version, failures = c.failures, spell = c.spell }
  elseif c.state == 'open' then
    if c.forced == 'open' then
      return { state = 'open', version = version, retryInMs = 0, forced = true }
    end
    return { state = 'open', version = version, retryInMs = math.max(0, c.openedAt + c.openMs - now) }
  end
  local lease_ms = 0
  if live(now) >= c.trials then
    local first = redis.call('ZRANGEBYSCORE', KEYS[2], '(' .. now, '+inf', 'WITHSCORES', 'LIMIT', 0, 1)
    lease_ms = math.max(0, tonumber(first[2]) - now)
  end
  return { state = 'half-open', version = version, leaseMs = lease_ms }
end

-- Saves the circuit and tells every process; returns the snapshot as JSON. Every change gets a
-- new version, so a process that hears of two changes in either order keeps the later one. A
-- version is at least Redis's time in microseconds, so one that follows a lost key is still the
-- newest.
-- A circuit without a transition for a day is forgotten (it comes back closed), so circuits
-- nobody uses any more, like the lab's one-off ones, do not stay in Redis for good; one isolated
-- by hand stays until it is released.
-- A circuit closed (or made) now starts a closed spell named after this version.
local function save(c)
  if c.state == 'closed' and c.spell == '' then c.spell = string.format('%.0f', c.version) end
  redis.call('HSET', KEYS[1], 'state', c.state, 'failures', c.failures, 'version', c.version,
    'openedAt', c.openedAt, 'forced', c.forced, 'successes', c.successes, 'resetMs', c.resetMs,
    'trials', c.trials, 'threshold', c.threshold, 'spell', c.spell, 'reopens', c.reopens,
    'openMs', c.openMs)
  if c.forced == '' then
    redis.call('PEXPIRE', KEYS[1], 86400000)
  else
    redis.call('PERSIST', KEYS[1])
  end
end

local function commit(c, now)
  c.version = math.max(c.version + 1, now_us)
  save(c)
  local json = cjson.encode(snapshot(c, now))
  redis.call('PUBLISH', ARGV[1], json)
  return json
end

-- Opening or closing starts the counts over: the processes behind the consecutive failures, and
-- the failure-rate window (KEYS[4]).
local function forget_counts()
  redis.call('HDEL', KEYS[1], 'failers')
  if KEYS[4] then redis.call('DEL', KEYS[4]) end
end

-- Opens for the reset timeout; a failed trial (reopen) for the backoff's next period: ARGV
-- [11..13] of the failure script, factor, cap and a jitter draw in [-jitter, jitter] (from the
-- caller: a script's random numbers repeat).
local function open(c, now, reopen)
  if reopen and ARGV[11] and ARGV[11] ~= '' then
    c.reopens = c.reopens + 1
    local period = math.min(tonumber(ARGV[12]), c.resetMs * tonumber(ARGV[11]) ^ c.reopens)
    c.openMs = math.max(1, math.floor(period * (1 + tonumber(ARGV[13]))))
  else
    c.reopens = reopen and (c.reopens + 1) or 0
    c.openMs = c.resetMs
  end
  c.state = 'open'
  c.openedAt = now
  c.successes = 0
  redis.call('DEL', KEYS[2])
  forget_counts()
end

local function close(c)
  c.state = 'closed'
  c.reopens = 0
  c.openMs = c.resetMs
  c.failures = 0
  c.successes = 0
  c.spell = ''
  redis.call('DEL', KEYS[2])
  forget_counts()
end

-- A trial's verdict counts while its token is in the set, even run out (nobody has taken its
-- place since), and once: a success frees its place (ZREM), a failure or a close empties the set.
-- A token not in the set (counted already, its place taken by another trial, or of an earlier
-- half-open spell) changes nothing, so a success sent again after a lost reply, or the late
-- success of a replaced lease, never counts twice towards the success threshold.
local function trial_counts(token)
  if token == '' then return false end
  return redis.call('ZSCORE', KEYS[2], token) ~= false
end

-- The set lives as long as the half-open spell (open and close delete it), or a day as the
-- state does: expiring it with its longest lease would forget a run-out lease whose verdict
-- still counts.
local function expire_leases()
  redis.call('PEXPIRE', KEYS[2], 86400000)
end
`;

/**
 * ARGV: the common four. Reads the state without changing it, and writes the probe key: a replica
 * (read-only) or a full Redis (maxmemory with noeviction) fails here, so a link that cannot write
 * never counts as up. A circuit not in Redis yet is saved (closed), so an operator's `list` shows
 * every circuit in use, not only those that ever failed.
 */
export const READ_SCRIPT = `${PRELUDE}
redis.call('SET', KEYS[3], '1', 'PX', 1000)
local now = now_ms()
local c = load(now, true)
if not c.exists then save(c) end
return cjson.encode(snapshot(c, now))
`;

/**
 * ARGV: the common four, failure threshold, trial token ('' for an ordinary call), the failure's
 * id, the closed spell the call started in ('' when unknown or a trial). Closed: count the
 * failure, open at the threshold; a failure of an earlier closed spell (held in a partition or a
 * paused client while the fleet opened and closed again), or a trial's, is late and changes nothing. Half-open: a failed trial opens the
 * circuit for another full reset timeout. Anything else is a call that started before the
 * circuit opened and failed after: it changes nothing, so the count never passes the threshold.
 * The ids of the last 16 failures counted are kept, so a failure sent again after its reply was
 * lost with a dropped connection counts once.
 */
export const FAILURE_SCRIPT = `${PRELUDE}
local now, threshold, token, id = now_ms(), tonumber(ARGV[5]), ARGV[6], ARGV[7]
local spell = ARGV[8] or ''
-- The process the failure comes from, and how many distinct ones the count must hold to open.
local pid, min_processes = ARGV[9] or '', tonumber(ARGV[10] or '1')
local c = load(now, true)
-- Closed: a trial's failure (other trials closed it meanwhile) is late too, as policy.ts says.
if c.state == 'closed' and (token ~= '' or (spell ~= '' and c.spell ~= '' and spell ~= c.spell)) then
  return cjson.encode(snapshot(c, now))
end
local recent = redis.call('HGET', KEYS[1], 'recent') or ''
if string.find(recent, id, 1, true) then
  return cjson.encode(snapshot(c, now))
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
  return commit(c, now)
end
if c.state == 'closed' then
  c.failures = c.failures + 1
  local failers = redis.call('HGET', KEYS[1], 'failers') or ''
  if min_processes > 1 and not string.find(',' .. failers .. ',', ',' .. pid .. ',', 1, true) then
    failers = failers == '' and pid or (failers .. ',' .. pid)
    redis.call('HSET', KEYS[1], 'failers', failers)
  end
  local distinct = 1
  if min_processes > 1 then
    distinct = 0
    for _ in string.gmatch(failers, '[^,]+') do distinct = distinct + 1 end
  end
  if c.failures >= threshold and distinct >= min_processes then open(c, now) end
  return counted()
end
if c.state == 'half-open' and trial_counts(token) then
  open(c, now, true)
  return counted()
end
return cjson.encode(snapshot(c, now))
`;

/**
 * ARGV: the common four, trial token ('' for an ordinary call). Closed: reset the count of
 * consecutive failures (sent only when a process knows it is above 0). Half-open: a trial
 * succeeded; its lease is freed for the next trial, and the circuit closes once the success
 * threshold is reached.
 */
export const SUCCESS_SCRIPT = `${PRELUDE}
local now, token = now_ms(), ARGV[5]
local c = load(now, true)
if c.state == 'closed' then
  if c.failures > 0 then
    c.failures = 0
    redis.call('HDEL', KEYS[1], 'failers')
    return commit(c, now)
  end
  return cjson.encode(snapshot(c, now))
end
if c.state == 'half-open' and trial_counts(token) then
  c.successes = c.successes + 1
  if c.successes >= c.threshold then
    close(c)
  else
    redis.call('ZREM', KEYS[2], token)
  end
  return commit(c, now)
end
return cjson.encode(snapshot(c, now))
`;

/**
 * ARGV: the common four, lease ms, token. Grants a trial call: the circuit must be open for at
 * least the reset timeout (it turns half-open), or half-open with fewer than `trials` leases
 * running (a lease run out is a holder presumed dead), and never while isolated by hand. Asking
 * again with a token that holds a lease (a retry after a dropped connection) is granted again.
 * Replies with `granted`.
 */
export const TRIAL_SCRIPT = `${PRELUDE}
local now, lease_ms, token = now_ms(), tonumber(ARGV[5]), ARGV[6]
local c = load(now, true)
if c.forced == '' and c.state == 'open' and now >= c.openedAt + c.openMs then
  c.state = 'half-open'
  c.successes = 0
  redis.call('DEL', KEYS[2])
end
if c.state == 'half-open' then
  redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
  if redis.call('ZSCORE', KEYS[2], token) or redis.call('ZCARD', KEYS[2]) < c.trials then
    redis.call('ZADD', KEYS[2], now + lease_ms, token)
    expire_leases()
    -- Committed even when already half-open, so every process learns when to ask again.
    local reply = cjson.decode(commit(c, now))
    reply.granted = true
    return cjson.encode(reply)
  end
end
local reply = snapshot(c, now)
reply.granted = false
return cjson.encode(reply)
`;

/**
 * ARGV: the common four, lease ms, token. The trial is still running: the holder of the lease
 * extends it, so a trial slower than its lease never lets another one take its place. Replies
 * with `granted` = still a holder. Changes no version: the other processes learn the new expiry
 * when they next ask for a trial.
 */
export const RENEW_SCRIPT = `${PRELUDE}
local now, lease_ms, token = now_ms(), tonumber(ARGV[5]), ARGV[6]
local held = redis.call('ZSCORE', KEYS[2], token) ~= false
if held then
  redis.call('ZADD', KEYS[2], 'XX', now + lease_ms, token)
end
local reply = snapshot(load(now, true), now)
reply.granted = held
return cjson.encode(reply)
`;

/**
 * ARGV: channel, action. An operator's hand on the circuit, with the settings its processes saved:
 * - status: changes nothing;
 * - isolate: open until released, no trial, kept without expiry;
 * - release: end an isolation; the circuit is open with its trial due at once, so the first
 *   calls after it are trials, as after any open circuit;
 * - reset: closed now, count cleared (an isolation too); it then counts failures as usual.
 * Replies with the snapshot plus what an operator wants to see, or unknown = true when the
 * circuit is not in Redis.
 */
export const CONTROL_SCRIPT = `${PRELUDE}
local now, action = now_ms(), ARGV[2]
local c = load(now, false)
if not c.exists then return cjson.encode({ unknown = true }) end
if action == 'isolate' then
  open(c, now)
  c.forced = 'open'
  commit(c, now)
elseif action == 'release' and c.forced ~= '' then
  c.forced = ''
  c.openedAt = now - c.openMs
  commit(c, now)
elseif action == 'reset' then
  close(c)
  c.forced = ''
  commit(c, now)
end
local reply = snapshot(c, now)
reply.forced = c.forced ~= ''
reply.failures = c.failures
reply.successes = c.successes
reply.trialsRunning = live(now)
reply.resetTimeoutMs = c.resetMs
reply.halfOpenTrials = c.trials
reply.successThreshold = c.threshold
reply.ttlMs = redis.call('PTTL', KEYS[1])
return cjson.encode(reply)
`;

/**
 * ARGV: the common four, then this process's calls and failures since its last flush, its id, the
 * bucket and window lengths (ms), the failure ratio, the minimum throughput, the minimum number of
 * processes, and the closed spell the counts were made in. Adds the counts to the window's time
 * bucket (by Redis's clock), sums the buckets of the last sampling duration, and opens a closed
 * circuit when they hold at least the minimum throughput and their failure share is at or above
 * the ratio, with failures from at least that many processes (Polly v8's rule, fleet-wide).
 * Counts from another closed spell are dropped. Publishes only when it opens.
 */
export const RATE_SCRIPT = `${PRELUDE}
local now = now_ms()
local calls, fails, pid = tonumber(ARGV[5]), tonumber(ARGV[6]), ARGV[7]
local bucket_ms, window_ms = tonumber(ARGV[8]), tonumber(ARGV[9])
local ratio, min_throughput = tonumber(ARGV[10]), tonumber(ARGV[11])
local min_processes, spell = tonumber(ARGV[12]), ARGV[13] or ''
local c = load(now, true)
if c.state ~= 'closed' then return cjson.encode(snapshot(c, now)) end
if spell ~= '' and c.spell ~= '' and spell ~= c.spell then return cjson.encode(snapshot(c, now)) end
local bucket = string.format('%.0f', math.floor(now / bucket_ms))
if calls > 0 then redis.call('HINCRBY', KEYS[4], bucket .. ':c', calls) end
if fails > 0 then
  redis.call('HINCRBY', KEYS[4], bucket .. ':f', fails)
  redis.call('HSET', KEYS[4], bucket .. ':p:' .. pid, 1)
end
redis.call('PEXPIRE', KEYS[4], window_ms + bucket_ms)
-- The buckets that overlap the last window_ms; older ones are deleted.
local oldest = math.floor((now - window_ms) / bucket_ms) + 1
local fields = redis.call('HGETALL', KEYS[4])
local total, failed, processes, stale = 0, 0, {}, {}
for i = 1, #fields, 2 do
  local b, kind, who = string.match(fields[i], '^(%d+):(%a)(.*)$')
  if tonumber(b) < oldest then
    stale[#stale + 1] = fields[i]
  elseif kind == 'c' then
    total = total + tonumber(fields[i + 1])
  elseif kind == 'f' then
    failed = failed + tonumber(fields[i + 1])
  else
    processes[who] = true
  end
end
if #stale > 0 then redis.call('HDEL', KEYS[4], unpack(stale)) end
local distinct = 0
for _ in pairs(processes) do distinct = distinct + 1 end
if total > 0 and total >= min_throughput and failed / total >= ratio and distinct >= min_processes then
  open(c, now)
  return commit(c, now)
end
return cjson.encode(snapshot(c, now))
`;
