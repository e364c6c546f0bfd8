/**
 * Budgets live in Redis and change only through these scripts, so any number of credential-service
 * and worker replicas agree. Time comes from Redis (TIME), never from the callers' clocks.
 *
 * Budget hash <key> (fields by model):
 *   window  (GitHub, GitLab per minute): limit, remaining (tokens not yet claimed), reset (ms),
 *           known (numbers learnt from a response, or given), stale (a window rolled over unseen),
 *           wl (window length learnt from the first response of a window),
 *           ds/dc/dr (demand: sample start, claims in it, rate of the last sample per ms),
 *           pt/pl (pacing bucket: tokens and last refill, ms)
 *   sliding (Bitbucket Cloud rolling hour): limit; grants logged in zset <key>:log by time
 *   bucket  (Bitbucket DC): limit (capacity), tokens, last (ms), rate (tokens per ms)
 *   unmetered (git traffic): only the concurrency cap
 *   all: blocked (ms: told to wait until), backoff (consecutive refusals without guidance)
 * Leases: zset <primary key>:leases of lease ids scored by expiry (expired ones free their slot),
 * hash <leasePrefix><id> with the primary key, the other keys, the credential and the model.
 */
const COMMON = `
local function nowMs()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
`;

/**
 * ARGV: leaseId, leaseTtlMs, preferKey, usageKey, leasePrefix, burstFraction, nCandidates, then per
 * candidate: credentialId, nKeys, then per key: key, model, cap, windowMs, defaultLimit, reserveFraction, refillPerMs.
 * The first key of a candidate is its identity's budget (leases and concurrency live there); further
 * keys are shared limits the call must also fit in (e.g. GitLab's per-IP aggregate).
 * Returns {1, credentialId, primaryKey, expiresAt} or {0, retryAt, reasons}.
 */
export const CLAIM_SCRIPT = `${COMMON}
local now = nowMs()
local leaseId, ttl, prefer, usageKey, leasePrefix = ARGV[1], tonumber(ARGV[2]), ARGV[3], ARGV[4], ARGV[5]
local burstFraction = tonumber(ARGV[6])
local n = tonumber(ARGV[7])

-- can one more call go now on this key? returns ok, retryAt, reason, score, apply()
local function check(key, model, cap, windowMs, defLimit, reserveFraction, refill, primary, preferred, share)
  local inflight = 0
  if primary then
    redis.call('ZREMRANGEBYSCORE', key .. ':leases', '-inf', now)
    inflight = redis.call('ZCARD', key .. ':leases')
  end
  local h = redis.call('HMGET', key, 'limit', 'remaining', 'reset', 'known', 'blocked', 'pt', 'pl', 'tokens', 'last', 'rate', 'ds', 'dc', 'dr', 'stale', 'wl')
  local limit, remaining, reset, known, blocked = tonumber(h[1]), tonumber(h[2]), tonumber(h[3]), h[4] == '1', tonumber(h[5])
  if blocked and now < blocked then return false, blocked, 'told to wait' end
  if primary and inflight >= cap then return false, now + 20, 'concurrency cap' end
  if model == 'unmetered' then
    return true, nil, nil, 1 - inflight / math.max(cap, 1), function() end
  end
  if model == 'window' then
    if not known and defLimit > 0 then
      -- a limit we were told (no headers will teach it): its windows are aligned to multiples of
      -- the period, as Rack::Attack counts them (GitLab's per-IP, git and endpoint throttles)
      limit, remaining, reset, known = defLimit, defLimit, (math.floor(now / windowMs) + 1) * windowMs, true
      redis.call('HSET', key, 'limit', limit, 'remaining', remaining, 'reset', reset, 'known', 1)
    end
    if not known then
      -- unknown budget (first use, or Redis lost it): one probe at a time until a response teaches
      -- us; it scores as full so that an unused credential is probed and learned, not left idle
      if inflight > 0 then return false, now + 50, 'learning an unknown budget' end
      return true, nil, nil, 1, function() end
    end
    local reserve = math.floor(limit * reserveFraction)
    local stale = h[14] == '1'
    if reset and now >= reset then
      -- a new window began unseen: assume it is full until the first response says otherwise
      remaining = limit
      -- told limits keep their alignment; learned ones guess the window length they were taught
      if defLimit > 0 then reset = (math.floor(now / windowMs) + 1) * windowMs else reset = now + (tonumber(h[15]) or windowMs) end
      stale = true
      redis.call('HSET', key, 'remaining', remaining, 'reset', reset, 'stale', 1, 'pt', math.max(1, math.floor(limit * burstFraction)), 'pl', now)
    end
    if remaining <= reserve then
      -- while the window is only guessed, look again soon rather than at a guessed reset
      if stale then return false, now + 100, 'budget spent, window not yet confirmed' end
      return false, reset, 'budget spent until reset'
    end
    -- demand: claims per ms measured over complete samples (a fiftieth of the window, 100 ms to
    -- 1 s), smoothed; a short burst is served at full speed, sustained demand is measured
    local sampleMs = math.min(1000, math.max(100, math.floor(windowMs / 50)))
    local ds, dc, dr = tonumber(h[11]) or now, (tonumber(h[12]) or 0) + share, tonumber(h[13]) or 0
    if now - ds >= sampleMs then
      local elapsed = now - ds
      local measured = dc / elapsed
      -- samples without claims decay the estimate
      if elapsed > 2 * sampleMs then measured = measured * sampleMs / elapsed end
      dr = (dr + measured) / 2
      ds, dc = now, 0
    end
    redis.call('HSET', key, 'ds', ds, 'dc', dc, 'dr', dr)
    local demand = dr
    local usable = remaining - reserve
    local timeLeft = math.max(reset - now, 1)
    -- pacing: full speed while demand stays below what is left; above it, a small burst refilled at
    -- what is left over the time to reset spreads the rest instead of spending to zero and stalling.
    -- The identity that holds an ETag keeps it while it has budget (a 304 costs nothing).
    local burst = math.max(1, math.floor(limit * burstFraction))
    local pt, pl = tonumber(h[6]) or burst, tonumber(h[7]) or now
    local rate = usable / timeLeft
    pt = math.min(burst, pt + (now - pl) * rate)
    -- no pacing on a guessed window: the first response of the window tells the real reset
    local pacing = not stale and demand * timeLeft > usable
    if not pacing then pt = burst end
    if pacing and not preferred and pt < 1 then return false, now + math.ceil((1 - pt) / rate), 'paced to the reset' end
    local score = remaining / math.max(limit, 1)
    return true, nil, nil, score, function()
      redis.call('HSET', key, 'remaining', remaining - 1, 'pt', math.max(pt - 1, -burst), 'pl', now)
    end
  end
  if model == 'sliding' then
    limit = limit or defLimit
    local reserve = math.floor(limit * reserveFraction)
    redis.call('ZREMRANGEBYSCORE', key .. ':log', '-inf', now - windowMs)
    local used = redis.call('ZCARD', key .. ':log')
    if used >= limit - reserve then
      local oldest = redis.call('ZRANGE', key .. ':log', 0, 0, 'WITHSCORES')
      return false, (tonumber(oldest[2]) or now) + windowMs, 'rolling window full'
    end
    return true, nil, nil, 1 - used / math.max(limit, 1), function()
      -- stamped now and again when the response is in (see COMPLETE): the provider counted the call
      -- somewhere in between, so it leaves our window no earlier than it leaves the provider's
      redis.call('ZADD', key .. ':log', now, leaseId .. ':' .. key)
      redis.call('PEXPIRE', key .. ':log', windowMs + 60000)
      redis.call('HSET', key, 'wms', windowMs)
    end
  end
  if model == 'bucket' then
    limit = limit or defLimit
    local reserve = math.floor(limit * reserveFraction)
    local rateMs = tonumber(h[10]) or refill
    local tokens, last = tonumber(h[8]) or limit, tonumber(h[9]) or now
    tokens = math.min(limit, tokens + (now - last) * rateMs)
    if tokens < 1 + reserve then return false, now + math.ceil((1 + reserve - tokens) / rateMs), 'bucket empty' end
    return true, nil, nil, tokens / math.max(limit, 1), function()
      redis.call('HSET', key, 'tokens', tokens - 1, 'last', now)
    end
  end
  return false, now + 1000, 'unknown model ' .. model
end

local best, bestScore, bestApply, bestUsed = nil, -1, nil, 0
-- calls this run made with a credential: breaks ties between equal shares (two tokens of one identity)
local function usedByRun(credentialId)
  if usageKey == '' then return 0 end
  return tonumber(redis.call('HGET', usageKey, 'c:' .. credentialId)) or 0
end
local minRetry = nil
local reasons = {}
local pos = 8
for i = 1, n do
  local credentialId, nKeys = ARGV[pos], tonumber(ARGV[pos + 1])
  pos = pos + 2
  local ok, score, applies, keys, retryAt = true, 10, {}, {}, nil
  for k = 1, nKeys do
    local key, model = ARGV[pos], ARGV[pos + 1]
    local cap, windowMs, defLimit, reserve, refill = tonumber(ARGV[pos + 2]), tonumber(ARGV[pos + 3]), tonumber(ARGV[pos + 4]), tonumber(ARGV[pos + 5]), tonumber(ARGV[pos + 6])
    pos = pos + 7
    keys[k] = key
    if ok then
      local good, retry, reason, s, apply = check(key, model, cap, windowMs, defLimit, reserve, refill, k == 1, k == 1 and key == prefer, 1 / n)
      if good then
        if k == 1 then score = s end
        applies[#applies + 1] = apply
      else
        ok = false
        retryAt = retry
        reasons[#reasons + 1] = reason
      end
    end
  end
  if ok then
    if keys[1] == prefer then score = score + 10 end
    -- equal shares (e.g. two tokens of one identity): the one this run used least, so both carry
    -- the same load; without a run, alternate instead of always taking the first
    local used = usedByRun(credentialId)
    local wins = score > bestScore
    if score == bestScore then
      if usageKey ~= '' then wins = used < bestUsed else wins = (now + i) % 2 == 0 end
    end
    if wins then
      best, bestScore, bestUsed = { credentialId = credentialId, keys = keys }, score, used
      bestApply = applies
    end
  elseif not minRetry or retryAt < minRetry then
    minRetry = retryAt
  end
end
if best == nil then
  return {0, tostring(minRetry or (now + 1000)), table.concat(reasons, ', ')}
end
for _, apply in ipairs(bestApply) do apply() end
local primary = best.keys[1]
local expiry = now + ttl
redis.call('ZADD', primary .. ':leases', expiry, leaseId)
redis.call('HSET', leasePrefix .. leaseId, 'budget', primary, 'credential', best.credentialId)
redis.call('PEXPIRE', leasePrefix .. leaseId, ttl + 60000)
if usageKey ~= '' then
  redis.call('HINCRBY', usageKey, 'total', 1)
  redis.call('HINCRBY', usageKey, 'c:' .. best.credentialId, 1)
  redis.call('PEXPIRE', usageKey, 30 * 24 * 3600 * 1000)
end
return {1, best.credentialId, primary, tostring(expiry)}
`;

/**
 * ARGV: leaseId, budgetKey, leasePrefix, usageKey, status, limit, remaining, resetAt, retryAfterMs,
 * secondary (0/1), notModified (0/1), waitedMs, refillPerMs. Empty strings mean "not sent".
 */
export const COMPLETE_SCRIPT = `${COMMON}
local now = nowMs()
local leaseId, key, leasePrefix, usageKey = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local status = tonumber(ARGV[5])
local hLimit, hRemaining, hReset, retryAfter = tonumber(ARGV[6]), tonumber(ARGV[7]), tonumber(ARGV[8]), tonumber(ARGV[9])
local notModified, waited, hRefill = ARGV[11] == '1', tonumber(ARGV[12]) or 0, tonumber(ARGV[13])
redis.call('ZREM', key .. ':leases', leaseId)
redis.call('DEL', leasePrefix .. leaseId)
redis.call('ZREMRANGEBYSCORE', key .. ':leases', '-inf', now)
local inflight = redis.call('ZCARD', key .. ':leases')
local b = redis.call('HMGET', key, 'remaining', 'reset', 'known', 'stale', 'backoff', 'tokens')
local remaining, reset, known, stale, backoff = tonumber(b[1]), tonumber(b[2]), b[3] == '1', b[4] == '1', tonumber(b[5]) or 0
if notModified and remaining then
  -- an authorized 304 costs nothing: give back the token and its pacing slot
  remaining = remaining + 1
  redis.call('HINCRBYFLOAT', key, 'pt', 1)
end
if hLimit then redis.call('HSET', key, 'limit', hLimit) end
if hRefill then
  -- token bucket (DC): the provider's count is the truth
  if hRemaining then redis.call('HSET', key, 'tokens', hRemaining, 'last', now, 'rate', hRefill) end
elseif hRemaining then
  local estimate = hRemaining - inflight
  if estimate < 0 then estimate = 0 end
  if (not known) or stale or (hReset and reset and hReset > reset + 1000) or remaining == nil then
    remaining = estimate
    -- the first response of a window shows (about) the whole window: remember its length
    if hReset and hReset > now then
      local wl = tonumber(redis.call('HGET', key, 'wl')) or 0
      if hReset - now > wl then redis.call('HSET', key, 'wl', hReset - now) end
    end
  else
    remaining = math.min(remaining, estimate)
  end
  redis.call('HSET', key, 'remaining', remaining, 'known', 1, 'stale', 0)
  if hReset then redis.call('HSET', key, 'reset', hReset) end
elseif remaining then
  redis.call('HSET', key, 'remaining', remaining)
end
local slidingWindow = tonumber(redis.call('HGET', key, 'wms'))
if slidingWindow then redis.call('ZADD', key .. ':log', 'XX', now, leaseId .. ':' .. key) end
if status == 403 or status == 429 then
  local blockedUntil
  if retryAfter then
    blockedUntil = now + retryAfter
  elseif hRemaining == 0 and hReset then
    blockedUntil = hReset
  elseif status == 429 and slidingWindow then
    -- a rolling window refused without saying when: its oldest call we know of leaves it first
    local oldest = redis.call('ZRANGE', key .. ':log', 0, 0, 'WITHSCORES')
    blockedUntil = (tonumber(oldest[2]) or now) + slidingWindow
  else
    backoff = backoff + 1
    blockedUntil = now + math.min(60000 * 2 ^ (backoff - 1), 900000)
    redis.call('HSET', key, 'backoff', backoff)
  end
  redis.call('HSET', key, 'blocked', blockedUntil)
  if usageKey ~= '' then redis.call('HINCRBY', usageKey, 'refusals', 1) end
elseif status < 400 and backoff > 0 then
  redis.call('HSET', key, 'backoff', 0)
end
if usageKey ~= '' and waited > 0 then
  redis.call('HINCRBY', usageKey, 'waitMs', waited)
  redis.call('PEXPIRE', usageKey, 30 * 24 * 3600 * 1000)
end
return 1
`;

/** ARGV: leaseId, budgetKey, leasePrefix, ttlMs. Returns 0 when the lease already expired. */
export const RENEW_SCRIPT = `${COMMON}
local now = nowMs()
local leaseId, key, leasePrefix, ttl = ARGV[1], ARGV[2], ARGV[3], tonumber(ARGV[4])
if redis.call('EXISTS', leasePrefix .. leaseId) == 0 then return 0 end
if not redis.call('ZSCORE', key .. ':leases', leaseId) then return 0 end
redis.call('ZADD', key .. ':leases', 'XX', now + ttl, leaseId)
redis.call('PEXPIRE', leasePrefix .. leaseId, ttl + 60000)
return 1
`;

/**
 * Calls made before a budget could be named (a token's validation, before its identity was known),
 * charged to it afterwards. ARGV: marker, then per key: key, model, windowMs, and the count of
 * timestamps followed by them. Window: taken from what is left when the budget is known (calls of
 * an earlier window are past); rolling window: logged at their times; bucket: taken from its tokens.
 */
export const CHARGE_SCRIPT = `
local marker = ARGV[1]
local pos = 2
while pos <= #ARGV do
  local key, model, windowMs, n = ARGV[pos], ARGV[pos + 1], tonumber(ARGV[pos + 2]), tonumber(ARGV[pos + 3])
  pos = pos + 4
  if model == 'sliding' then
    for i = 1, n do
      redis.call('ZADD', key .. ':log', tonumber(ARGV[pos + i - 1]), marker .. ':' .. i .. ':' .. key)
    end
    redis.call('PEXPIRE', key .. ':log', windowMs + 60000)
    redis.call('HSET', key, 'wms', windowMs)
  elseif model == 'window' then
    local h = redis.call('HMGET', key, 'remaining', 'known', 'reset')
    local remaining, reset = tonumber(h[1]), tonumber(h[3])
    if h[2] == '1' and remaining then
      local counted = 0
      for i = 1, n do
        local at = tonumber(ARGV[pos + i - 1])
        if not reset or at > reset - windowMs then counted = counted + 1 end
      end
      redis.call('HSET', key, 'remaining', math.max(0, remaining - counted))
    end
  elseif model == 'bucket' then
    local tokens = tonumber(redis.call('HGET', key, 'tokens'))
    if tokens then redis.call('HSET', key, 'tokens', math.max(0, tokens - n)) end
  end
  pos = pos + n
end
return 1
`;
