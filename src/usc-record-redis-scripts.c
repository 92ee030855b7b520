/* usc-record-redis-scripts.c — the Lua scripts of the Redis record's
 * buckets (EVALSHA'd by the other usc-record-redis-*.c files): open (the
 * meta values), add an entry, split a bucket, look up a Message-ID or a
 * recipient, expire. Every key a script touches is declared in KEYS (Redis
 * Cluster checks them against the slot); the layout is doc/record-redis.md.
 * The decision log's script is in usc-record-redis-dlog.c.
 */
#include "config.h"
#include "usc-record-redis-private.h"

/* KEYS: meta. ARGV: create (0/1), the first and the last live bucket, the
 * bucket length. Returns {exists, since, count, cut, first and last day of
 * a Date, then the shard count and the entries of each live bucket}. */
const char usc_rr_script_open[] =
  "local v = redis.call('HGET', KEYS[1], 'v')\n"
  "if not v then\n"
  "  if ARGV[1] ~= '1' then return {0, 0, 0, 0, 0, -1} end\n"
  "  redis.call('HSET', KEYS[1], 'v', '" LAYOUT "')\n"
  "  v = '" LAYOUT "'\n"
  "end\n"
  "if v ~= '" LAYOUT "' then return redis.error_reply('ERR unscatter record layout ' .. v .. "
  "' is not " LAYOUT " (move it with record --export and --import of the unscatter that wrote it)') end\n"
  "local m = redis.call('HMGET', KEYS[1], 'since', 'first', 'cut', 'dlo', 'dhi')\n"
  "local since = tonumber(m[1]) or 0\n"
  "local first = tonumber(m[2])\n"
  "local bmin, bmax, len = tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])\n"
  "if first and first < bmin and since < bmin * len then since = bmin * len end\n"
  "local out = {1, tostring(since), 0, tostring(tonumber(m[3]) or 0), m[4] or '0', m[5] or '-1'}\n"
  "local n = 0\n"
  "for b = bmin, bmax do\n"
  "  local f = redis.call('HMGET', KEYS[1], 'c' .. b, 's' .. b)\n"
  "  n = n + (tonumber(f[1]) or 0)\n"
  "  out[#out + 1] = tonumber(f[2]) or 1\n"
  "  out[#out + 1] = tonumber(f[1]) or 0\n"
  "end\n"
  "out[3] = n\n"
  "return out\n";

/* The check every script that names shards starts with: the shard counts
 * the client assumed (ARGV[@first..], for the buckets from ARGV[@b0]) are
 * still those in meta (KEYS[1]); else -2 (another host split a bucket: read
 * meta again and retry). */
#define CHECK_SHARDS(b0, first, n) \
  "local function shards_ok(b0, at, n)\n" \
  "  if n == 0 then return true end\n" \
  "  local f = {}\n" \
  "  for i = 1, n do f[i] = 's' .. (b0 + i - 1) end\n" \
  "  local s = redis.call('HMGET', KEYS[1], unpack(f))\n" \
  "  for i = 1, n do\n" \
  "    if (tonumber(s[i]) or 1) ~= tonumber(ARGV[at + i - 1]) then return false end\n" \
  "  end\n" \
  "  return true\n" \
  "end\n" \
  "if not shards_ok(tonumber(ARGV[" b0 "]), " first ", " n ") then return -2 end\n"

/* KEYS: meta, the shard of the id in each live bucket, the r key of the
 * Date's day. ARGV: 1 id, 2 value, 3 recipient records, 4 index of the
 * target bucket among the buckets (1: the first live one), 5 its EXPIREAT,
 * 6 its number, 7 min (date, recorded), 8 the first live bucket, 9 the
 * bucket length, 10 the Date's day, 11.. the shard count of each live
 * bucket, then continuation fields and values. Returns 1 added, 0 present,
 * 2 added (and the target bucket should get a shard more), -2 stale shard
 * counts. */
const char usc_rr_script_add[] =
  "local nrec = #ARGV[3] / " G_STRINGIFY (RREC) "\n"
  "local nb = #KEYS - 2 - nrec\n"
  CHECK_SHARDS ("8", "11", "nb")
  "local id = ARGV[1]\n"
  "for i = 2, nb + 1 do\n"
  "  if redis.call('HEXISTS', KEYS[i], id) == 1 then return 0 end\n"
  "end\n"
  "local ti = tonumber(ARGV[4])\n"
  "local t = KEYS[1 + ti]\n"
  "local shards = tonumber(ARGV[10 + ti])\n"
  "local b = ARGV[6]\n"
  "local exp = tonumber(ARGV[5])\n"
  "local function extend(k)\n"
  "  local e = redis.call('EXPIRETIME', k)\n"
  "  if e < exp then redis.call('EXPIREAT', k, exp) end\n"
  "end\n"
  "redis.call('HSET', t, id, ARGV[2], unpack(ARGV, 11 + nb))\n"
  "extend(t)\n"
  "if nrec > 0 then\n"
  "  local r = KEYS[nb + 2]\n"
  "  if redis.call('STRLEN', r) < " G_STRINGIFY (RFULL) " then\n"
  "    redis.call('APPEND', r, ARGV[3])\n"
  "    extend(r)\n"
  "  else\n"
  "    for q = 1, nrec do\n"
  "      local k = KEYS[nb + 2 + q]\n"
  "      redis.call('APPEND', k, string.sub(ARGV[3], (q - 1) * " G_STRINGIFY (RREC) " + 1, q * " G_STRINGIFY (RREC) "))\n"
  "      extend(k)\n"
  "    end\n"
  "  end\n"
  "end\n"
  "local c = redis.call('HINCRBY', KEYS[1], 'c' .. b, 1)\n"
  "local m = redis.call('HMGET', KEYS[1], 'since', 'first', 'dlo', 'dhi')\n"
  "local since = tonumber(m[1])\n"
  "local first = tonumber(m[2])\n"
  "local was = {m[1], m[2], m[3], m[4]}\n"
  "local bmin = tonumber(ARGV[8])\n"
  "if first and first < bmin then\n"
  "  local edge = bmin * tonumber(ARGV[9])\n"
  "  if since and since < edge then since = edge end\n"
  "  for o = math.max(first, bmin - 1000), bmin - 1 do redis.call('HDEL', KEYS[1], 'c' .. o, 's' .. o) end\n"
  "  first = bmin\n"
  "end\n"
  "local s = tonumber(ARGV[7])\n"
  "if not since or s < since then since = s end\n"
  "local bn = tonumber(b)\n"
  "if not first or bn < first then first = bn end\n"
  "local day = tonumber(ARGV[10])\n"
  "local dlo, dhi = tonumber(m[3]), tonumber(m[4])\n"
  "if not dlo or day < dlo then dlo = day end\n"
  "if not dhi or day > dhi then dhi = day end\n"
  "local now = {tostring(since), tostring(first), tostring(dlo), tostring(dhi)}\n"
  "if now[1] ~= was[1] or now[2] ~= was[2] or now[3] ~= was[3] or now[4] ~= was[4] then\n"
  "  redis.call('HSET', KEYS[1], 'since', now[1], 'first', now[2], 'dlo', now[3], 'dhi', now[4])\n"
  "end\n"
  "if shards < " G_STRINGIFY (MAX_SHARDS) " and c > " G_STRINGIFY (SPLIT_FILL) " * shards then return 2 end\n"
  "return 1\n";

/* KEYS: meta, the shard to split (n - S, S the largest power of two not
 * above n) and the new one (n) of bucket ARGV[1], ARGV[2] = n. Moves the
 * entries whose id (its last two bytes) mod 2S is n into the new shard and
 * records n + 1. 1 split, 0 someone else did. */
const char usc_rr_script_split[] =
  "local b, n = ARGV[1], tonumber(ARGV[2])\n"
  "if (tonumber(redis.call('HGET', KEYS[1], 's' .. b)) or 1) ~= n then return 0 end\n"
  "local s = 1\n"
  "while s * 2 <= n do s = s * 2 end\n"
  "local src, dst = KEYS[2], KEYS[3]\n"
  "local all = redis.call('HGETALL', src)\n"
  "local hs, hd = {}, {}\n"
  "for k = 1, #all, 2 do\n"
  "  local f = all[k]\n"
  "  local lo = string.byte(f, 7) * 256 + string.byte(f, 8)\n"
  "  if math.floor(lo / s) % 2 == 1 then\n"
  "    hs[#hs + 1] = f\n"
  "    hs[#hs + 1] = all[k + 1]\n"
  "    hd[#hd + 1] = f\n"
  "  end\n"
  "  if #hd == 200 or (k + 2 > #all and #hd > 0) then\n"
  "    redis.call('HSET', dst, unpack(hs))\n"
  "    redis.call('HDEL', src, unpack(hd))\n"
  "    hs, hd = {}, {}\n"
  "  end\n"
  "end\n"
  "local e = redis.call('EXPIRETIME', src)\n"
  "if e > 0 and redis.call('EXISTS', dst) == 1 then redis.call('EXPIREAT', dst, e) end\n"
  "redis.call('HSET', KEYS[1], 's' .. b, tostring(n + 1))\n"
  "return 1\n";

/* KEYS: meta, the shard of the id in each live bucket. ARGV: id, cutoff,
 * the first live bucket, then the shard counts. 1 found, 0 not, -2 stale. */
const char usc_rr_script_has_id[] =
  CHECK_SHARDS ("3", "4", "#KEYS - 1")
  "for i = 2, #KEYS do\n"
  "  local v = redis.call('HGET', KEYS[i], ARGV[1])\n"
  "  if v and #v >= 12 and struct.unpack('>I4', v, 9) >= tonumber(ARGV[2]) then return 1 end\n"
  "end\n"
  "return 0\n";

/* KEYS: the r keys of the window, each followed by its sub-key for the
 * recipient key. ARGV: key, since, until, cutoff, the first key's number.
 * A record: key (8), the Date's second of its key's period (3), the
 * recording time (4). */
const char usc_rr_script_has_rcpt[] =
  "local key, since, till, cut = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])\n"
  "local d0 = tonumber(ARGV[5])\n"
  "for i = 1, #KEYS do\n"
  "  local s = redis.call('GET', KEYS[i])\n"
  "  if s then\n"
  "    local base = (d0 + math.floor((i - 1) / 2)) * " G_STRINGIFY (RDAYS) " * 86400\n"
  "    local pos = 1\n"
  "    while true do\n"
  "      local p = string.find(s, key, pos, true)\n"
  "      if not p then break end\n"
  "      if (p - 1) % " G_STRINGIFY (RREC) " == 0 then\n"
  "        local d = base + struct.unpack('>I3', s, p + 8)\n"
  "        local rec = struct.unpack('>I4', s, p + 11)\n"
  "        if d >= since and d <= till and rec >= cut then return 1 end\n"
  "        pos = p + " G_STRINGIFY (RREC) "\n"
  "      else\n"
  "        pos = p + 1\n"
  "      end\n"
  "    end\n"
  "  end\n"
  "end\n"
  "return 0\n";

/* KEYS: meta, the shards of the buckets up to the one holding @before.
 * ARGV: before, the first bucket's number, the bucket length, then each
 * bucket's shard count. Returns how many entries removed, -2 stale. */
const char usc_rr_script_expire[] =
  CHECK_SHARDS ("2", "4", "#ARGV - 3")
  "local before, b0, len = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])\n"
  "local n, k = 0, 2\n"
  "for i = 1, #ARGV - 3 do\n"
  "  local b = b0 + i - 1\n"
  "  local s = tonumber(ARGV[3 + i])\n"
  "  if (b + 1) * len <= before then\n"
  "    n = n + (tonumber(redis.call('HGET', KEYS[1], 'c' .. b)) or 0)\n"
  "    for j = 1, s do redis.call('DEL', KEYS[k]); k = k + 1 end\n"
  "    redis.call('HDEL', KEYS[1], 'c' .. b, 's' .. b)\n"
  "  else\n"
  "    local gone = 0\n"
  "    for j = 1, s do\n"
  "      local all = redis.call('HGETALL', KEYS[k])\n"
  "      local old, del = {}, {}\n"
  "      for q = 1, #all, 2 do\n"
  "        if #all[q] == 8 and #all[q + 1] >= 12 and struct.unpack('>I4', all[q + 1], 9) < before then\n"
  "          old[all[q]] = true\n"
  "          gone = gone + 1\n"
  "        end\n"
  "      end\n"
  "      for q = 1, #all, 2 do\n"
  "        if old[string.sub(all[q], 1, 8)] then del[#del + 1] = all[q] end\n"
  "      end\n"
  "      for q = 1, #del, 200 do redis.call('HDEL', KEYS[k], unpack(del, q, math.min(q + 199, #del))) end\n"
  "      k = k + 1\n"
  "    end\n"
  "    if gone > 0 then redis.call('HINCRBY', KEYS[1], 'c' .. b, -gone) end\n"
  "    n = n + gone\n"
  "  end\n"
  "end\n"
  "if n > 0 then\n"
  "  local m = redis.call('HMGET', KEYS[1], 'since', 'cut')\n"
  "  if not tonumber(m[1]) or tonumber(m[1]) < before then redis.call('HSET', KEYS[1], 'since', ARGV[1]) end\n"
  "  if not tonumber(m[2]) or tonumber(m[2]) < before then redis.call('HSET', KEYS[1], 'cut', ARGV[1]) end\n"
  "end\n"
  "return n\n";
