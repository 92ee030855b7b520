/* usc-batv.c — BATV (Bounce Address Tag Validation) "prvs" tags: signing,
 * parsing, verification and the keys file.
 *
 * Follows draft-levine-smtp-batv-01 as Exim (expand.c: ${prvs}, ${prvscheck})
 * implements it, byte for byte:
 *
 *   prvs=KDDDHHHHHH=local@domain
 *
 *   K       the key number, one digit 0-9;
 *   DDD     the expiry day: the last three decimal digits of
 *           (days since 1970-01-01 UTC + 7), i.e. (day + 7) mod 1000;
 *   HHHHHH  the first 3 bytes, lower-case hex, of
 *           HMAC-SHA1(secret, "K" "DDD" "local@domain")
 *           over the address exactly as written (Exim folds no case; the
 *           secret is used as raw bytes, at most 64 = one SHA-1 block, so
 *           RFC 2104 HMAC as GLib computes it equals Exim's hand-made one).
 *
 * Exim splits the address at its LAST '@' (its check regex is
 * ^prvs=([0-9])([0-9]{3})([A-F0-9]{6})=(.+)@(.+)$, caseless). We accept the
 * same, plus the sub-address form of batv-tools and Postfix users,
 * local+prvs=KDDDHHHHHH@domain, whose hash input is "K" "DDD" "local@domain".
 * The "prvs=" marker and the hex digits are accepted in any case (Exim's
 * prefix match is caseless, but it compares the hash with strcmp, so it
 * rejects upper-case hex; some MTAs upper-case or lower-case addresses).
 * When the hash over the address as written does not match, the all-lower-case
 * form is tried too: an MTA may have folded the case of the domain or local
 * part on the way back. Hashes are compared in constant time.
 *
 * Expiry — where we differ from Exim on purpose. Exim compares only
 * "DDD >= today mod 1000" (with a fix-up near the wrap), so a tag that
 * expired at day ...500 is accepted again for most of the next cycle once
 * the counter wraps. Here the full expiry day is reconstructed relative to
 * today (T = days since the epoch of @now):
 *
 *   d = (DDD - T) mod 1000, in 0..999      (days from today to the expiry)
 *   d <= 8          valid: expiry day is T + d. A tag signed today carries
 *                   d = 7; the one extra day tolerates a signer whose clock
 *                   (or UTC day) is ahead. Like Exim, a tag is still valid on
 *                   its expiry day itself, so a tag signed on day S verifies
 *                   on days S .. S+7 and is expired from day S+8.
 *   9 <= d < 500    "future": the expiry would be more than 8 days ahead;
 *                   no honest signer produces that (forged or wrapped tag).
 *   500 <= d        "expired": the expiry day was T + d - 1000, in the past.
 *
 * So out of the 1000 possible DDD values exactly 9 are accepted on any day,
 * and a stale tag stays rejected all through the cycle. What no verifier can
 * tell apart is a tag from exactly 1000 (2000, ...) days ago: its three
 * digits and hash are those of a fresh tag — inherent in the format.
 *
 * Keys file: one "K:secret" per line (K 0-9, secret 1-64 bytes, taken from
 * after the colon to the end of the line, trailing blanks and CR removed);
 * blank lines and lines starting with '#' are ignored; a key number may occur
 * once. The first key signs, every key verifies (rotation: put the new key
 * first, keep the old one for 8 days). The file must be a regular file with
 * no group or other permission bits (checked with fstat on the open file);
 * otherwise it is refused with USC_ERROR_UNSAFE.
 */
#include "config.h"
#include "usc-batv.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define BATV_MAX_SECRET   64
#define BATV_MAX_AHEAD    8       /* expiry at most this many days ahead */
#define BATV_LIFETIME     7       /* days added when signing (Exim: 7) */
#define BATV_KEYS_MAX_SIZE (64 * 1024)

struct _UscBatvKeys {
  char *secret[10];   /* NULL when that key number is absent */
  int   sign_key;     /* the first key added, -1 when none */
  guint count;
};

UscBatvKeys *
usc_batv_keys_new (void)
{
  UscBatvKeys *k = g_new0 (UscBatvKeys, 1);
  k->sign_key = -1;
  return k;
}

gboolean
usc_batv_keys_add (UscBatvKeys *keys, int number, const char *secret, GError **error)
{
  g_return_val_if_fail (keys != NULL, FALSE);
  if (number < 0 || number > 9) {
    g_set_error (error, USC_ERROR, USC_ERROR_INVALID, "key number %d is not a digit 0-9", number);
    return FALSE;
  }
  gsize len = secret ? strlen (secret) : 0;
  if (len == 0 || len > BATV_MAX_SECRET) {
    g_set_error (error, USC_ERROR, USC_ERROR_INVALID,
                 "key %d: the secret must be 1 to %d bytes (it has %" G_GSIZE_FORMAT ")",
                 number, BATV_MAX_SECRET, len);
    return FALSE;
  }
  for (gsize i = 0; i < len; i++) {
    if (secret[i] == '\n' || secret[i] == '\r') {
      g_set_error (error, USC_ERROR, USC_ERROR_INVALID, "key %d: the secret contains a line break", number);
      return FALSE;
    }
  }
  if (keys->secret[number] != NULL) {
    g_set_error (error, USC_ERROR, USC_ERROR_INVALID, "key number %d given twice", number);
    return FALSE;
  }
  keys->secret[number] = g_strdup (secret);
  if (keys->sign_key < 0)
    keys->sign_key = number;
  keys->count++;
  return TRUE;
}

guint
usc_batv_keys_count (const UscBatvKeys *keys)
{
  return keys ? keys->count : 0;
}

int
usc_batv_keys_signing_number (const UscBatvKeys *keys)
{
  return keys ? keys->sign_key : -1;
}

const char *
usc_batv_keys_secret (const UscBatvKeys *keys, int number)
{
  if (keys == NULL || number < 0 || number > 9)
    return NULL;
  return keys->secret[number];
}

void
usc_batv_keys_free (UscBatvKeys **keys)
{
  if (keys == NULL || *keys == NULL)
    return;
  for (int i = 0; i < 10; i++) {
    if ((*keys)->secret[i]) {
      memset ((*keys)->secret[i], 0, strlen ((*keys)->secret[i]));
      g_free ((*keys)->secret[i]);
    }
  }
  g_free (*keys);
  *keys = NULL;
}

/* Read all of @fd (at most BATV_KEYS_MAX_SIZE bytes). */
static GString *
read_bounded (int fd, const char *path, GError **error)
{
  GString *s = g_string_sized_new (256);
  char buf[4096];
  for (;;) {
    ssize_t n = read (fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0) {
      int e = errno;
      g_set_error (error, USC_ERROR, USC_ERROR_IO, "BATV keys file %s: %s", path, g_strerror (e));
      g_string_free (s, TRUE);
      return NULL;
    }
    if (n == 0)
      break;
    if (s->len + (gsize) n > BATV_KEYS_MAX_SIZE) {
      g_set_error (error, USC_ERROR, USC_ERROR_CONFIG, "BATV keys file %s: larger than %d bytes",
                   path, BATV_KEYS_MAX_SIZE);
      g_string_free (s, TRUE);
      return NULL;
    }
    g_string_append_len (s, buf, n);
  }
  return s;
}

static gboolean
parse_keys (UscBatvKeys *keys, const char *path, const GString *text, GError **error)
{
  if (memchr (text->str, '\0', text->len) != NULL) {
    g_set_error (error, USC_ERROR, USC_ERROR_CONFIG, "BATV keys file %s: contains a NUL byte", path);
    return FALSE;
  }
  char **lines = g_strsplit (text->str, "\n", -1);
  gboolean ok = TRUE;
  for (guint i = 0; lines[i] != NULL && ok; i++) {
    char *line = lines[i];
    gsize len = strlen (line);
    while (len > 0 && (line[len - 1] == '\r' || line[len - 1] == ' ' || line[len - 1] == '\t'))
      line[--len] = '\0';
    while (*line == ' ' || *line == '\t')
      line++;
    if (*line == '\0' || *line == '#')
      continue;
    if (!g_ascii_isdigit (line[0]) || line[1] != ':') {
      g_set_error (error, USC_ERROR, USC_ERROR_CONFIG,
                   "BATV keys file %s:%u: expected K:secret with K a digit 0-9", path, i + 1);
      ok = FALSE;
      break;
    }
    GError *e = NULL;
    if (!usc_batv_keys_add (keys, line[0] - '0', line + 2, &e)) {
      g_set_error (error, USC_ERROR, USC_ERROR_CONFIG, "BATV keys file %s:%u: %s", path, i + 1, e->message);
      g_error_free (e);
      ok = FALSE;
    }
  }
  for (guint i = 0; lines[i] != NULL; i++)
    memset (lines[i], 0, strlen (lines[i]));
  g_strfreev (lines);
  if (ok && keys->count == 0) {
    g_set_error (error, USC_ERROR, USC_ERROR_CONFIG, "BATV keys file %s: no keys in it", path);
    ok = FALSE;
  }
  return ok;
}

UscBatvKeys *
usc_batv_keys_load (const char *path, GError **error)
{
  g_return_val_if_fail (path != NULL, NULL);
  int fd;
  do
    fd = open (path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
  while (fd < 0 && errno == EINTR);
  if (fd < 0) {
    int e = errno;
    g_set_error (error, USC_ERROR, (e == ENOENT || e == EACCES || e == ENOTDIR || e == ELOOP) ? USC_ERROR_CONFIG : USC_ERROR_IO,
                 "BATV keys file %s: %s", path, g_strerror (e));
    return NULL;
  }
  struct stat st;
  if (fstat (fd, &st) < 0) {
    int e = errno;
    g_set_error (error, USC_ERROR, USC_ERROR_IO, "BATV keys file %s: %s", path, g_strerror (e));
    close (fd);
    return NULL;
  }
  if (!S_ISREG (st.st_mode)) {
    g_set_error (error, USC_ERROR, USC_ERROR_CONFIG, "BATV keys file %s: not a regular file", path);
    close (fd);
    return NULL;
  }
  if ((st.st_mode & 077) != 0) {
    g_set_error (error, USC_ERROR, USC_ERROR_UNSAFE,
                 "BATV keys file %s: refused: it is accessible by group or others (mode %04o); "
                 "its secrets let anyone forge your bounce tags: run 'chmod 600 %s'",
                 path, (unsigned) (st.st_mode & 07777), path);
    close (fd);
    return NULL;
  }
  /* Back to blocking reads (O_NONBLOCK only guarded the open against FIFOs). */
  int fl = fcntl (fd, F_GETFL);
  if (fl >= 0)
    fcntl (fd, F_SETFL, fl & ~O_NONBLOCK);
  GString *text = read_bounded (fd, path, error);
  close (fd);
  if (text == NULL)
    return NULL;
  UscBatvKeys *keys = usc_batv_keys_new ();
  gboolean ok = parse_keys (keys, path, text, error);
  memset (text->str, 0, text->len);
  g_string_free (text, TRUE);
  if (!ok)
    usc_batv_keys_free (&keys);
  return keys;
}

char *
usc_batv_keygen_secret (void)
{
  guchar raw[16];
  int fd;
  do
    fd = open ("/dev/urandom", O_RDONLY | O_CLOEXEC);
  while (fd < 0 && errno == EINTR);
  if (fd < 0)
    return NULL;
  gsize got = 0;
  while (got < sizeof raw) {
    ssize_t n = read (fd, raw + got, sizeof raw - got);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      break;
    got += (gsize) n;
  }
  close (fd);
  if (got < sizeof raw)
    return NULL;
  char *hex = g_malloc (sizeof raw * 2 + 1);
  static const char digits[] = "0123456789abcdef";
  for (gsize i = 0; i < sizeof raw; i++) {
    hex[2 * i] = digits[raw[i] >> 4];
    hex[2 * i + 1] = digits[raw[i] & 15];
  }
  hex[sizeof raw * 2] = '\0';
  memset (raw, 0, sizeof raw);
  return hex;
}

const char *
usc_batv_status_reason (UscBatvStatus status)
{
  static const char *const reasons[] = {
    [USC_BATV_NONE] = "none",
    [USC_BATV_VALID] = "valid",
    [USC_BATV_BAD_HASH] = "bad hash",
    [USC_BATV_EXPIRED] = "expired",
    [USC_BATV_FUTURE] = "expiry too far ahead",
    [USC_BATV_NO_KEY] = "unknown key number",
    [USC_BATV_MALFORMED] = "malformed tag",
  };
  if ((guint) status < G_N_ELEMENTS (reasons) && reasons[status])
    return reasons[status];
  return "none";
}

/* Days since the epoch of @now (floor division: correct before 1970 too). */
static gint64
epoch_day (gint64 now)
{
  return now >= 0 ? now / 86400 : -((-now + 86399) / 86400);
}

static int
mod1000 (gint64 v)
{
  return (int) (((v % 1000) + 1000) % 1000);
}

/* The six hex digits of HMAC-SHA1(secret, K DDD address) into @out (7 bytes). */
static void
prvs_hash (const char *secret, int key_number, int ddd, const char *address, char out[7])
{
  char head[5];
  g_snprintf (head, sizeof head, "%d%03d", key_number, ddd);
  GHmac *h = g_hmac_new (G_CHECKSUM_SHA1, (const guchar *) secret, strlen (secret));
  g_hmac_update (h, (const guchar *) head, 4);
  g_hmac_update (h, (const guchar *) address, strlen (address));
  guint8 digest[20];
  gsize dlen = sizeof digest;
  g_hmac_get_digest (h, digest, &dlen);
  g_hmac_unref (h);
  static const char digits[] = "0123456789abcdef";
  for (int i = 0; i < 3; i++) {
    out[2 * i] = digits[digest[i] >> 4];
    out[2 * i + 1] = digits[digest[i] & 15];
  }
  out[6] = '\0';
  memset (digest, 0, sizeof digest);
}

/* Constant-time comparison of two 6-character hex strings, case-insensitive. */
static gboolean
hash_equal (const char *a, const char *b)
{
  guint diff = 0;
  for (int i = 0; i < 6; i++)
    diff |= (guint) (g_ascii_tolower (a[i]) ^ g_ascii_tolower (b[i]));
  return diff == 0;
}

typedef struct {
  int  key_number;
  int  ddd;
  char hash[7];
  char *address;   /* untagged local@domain, owned */
} ParsedTag;

static gboolean
parse_tag_value (const char *p, ParsedTag *t)
{
  /* K DDD HHHHHH: 1 + 3 + 6 characters */
  if (!g_ascii_isdigit (p[0]))
    return FALSE;
  for (int i = 1; i < 4; i++)
    if (!g_ascii_isdigit (p[i]))
      return FALSE;
  for (int i = 4; i < 10; i++)
    if (!g_ascii_isxdigit (p[i]))
      return FALSE;
  t->key_number = p[0] - '0';
  t->ddd = (p[1] - '0') * 100 + (p[2] - '0') * 10 + (p[3] - '0');
  memcpy (t->hash, p + 4, 6);
  t->hash[6] = '\0';
  return TRUE;
}

/* Classify @addr (already stripped): 1 a well-formed tag (fills @t), 0 no tag,
 * -1 something that claims to be a prvs tag but is not well-formed. */
static int
parse_tagged (const char *addr, ParsedTag *t)
{
  memset (t, 0, sizeof *t);
  const char *at = strrchr (addr, '@');
  const char *local_end = at ? at : addr + strlen (addr);
  gsize local_len = (gsize) (local_end - addr);

  if (g_ascii_strncasecmp (addr, "prvs=", 5) == 0) {
    /* prvs=KDDDHHHHHH=local@domain */
    if (at == NULL || at[1] == '\0' || local_len < 5 + 10 + 1 + 1)
      return -1;
    if (!parse_tag_value (addr + 5, t) || addr[15] != '=')
      return -1;
    t->address = g_strdup (addr + 16);
    return 1;
  }

  /* local+prvs=KDDDHHHHHH@domain: the tag ends the local part. */
  for (const char *p = addr; p + 6 <= local_end; p++) {
    if (*p == '+' && g_ascii_strncasecmp (p + 1, "prvs=", 5) == 0) {
      const char *v = p + 6;
      if (at == NULL || at[1] == '\0' || p == addr || local_end - v != 10 || !parse_tag_value (v, t))
        return -1;
      t->address = g_strdup_printf ("%.*s%s", (int) (p - addr), addr, at);
      return 1;
    }
  }
  return 0;
}

/* Copy of @s without surrounding blanks and angle brackets; NULL if empty. */
static char *
strip_address (const char *s)
{
  if (s == NULL)
    return NULL;
  while (g_ascii_isspace (*s) || *s == '<')
    s++;
  const char *e = s + strlen (s);
  while (e > s && (g_ascii_isspace (e[-1]) || e[-1] == '>'))
    e--;
  return e > s ? g_strndup (s, e - s) : NULL;
}

gboolean
usc_batv_is_tagged (const char *address)
{
  char *a = strip_address (address);
  if (a == NULL)
    return FALSE;
  ParsedTag t;
  int r = parse_tagged (a, &t);
  g_free (t.address);
  g_free (a);
  return r != 0;
}

char *
usc_batv_sign (const UscBatvKeys *keys, int key_number, const char *address,
               gint64 now, GError **error)
{
  if (keys == NULL || keys->count == 0) {
    g_set_error (error, USC_ERROR, USC_ERROR_CONFIG, "no BATV keys to sign with");
    return NULL;
  }
  if (key_number < -1 || key_number > 9) {
    g_set_error (error, USC_ERROR, USC_ERROR_INVALID, "key number %d is not a digit 0-9", key_number);
    return NULL;
  }
  if (key_number == -1)
    key_number = keys->sign_key;
  if (keys->secret[key_number] == NULL) {
    g_set_error (error, USC_ERROR, USC_ERROR_CONFIG, "no BATV key number %d", key_number);
    return NULL;
  }
  const char *at = address ? strrchr (address, '@') : NULL;
  if (at == NULL || at == address || at[1] == '\0') {
    g_set_error (error, USC_ERROR, USC_ERROR_INVALID, "'%s' is not a qualified address local@domain",
                 address ? address : "");
    return NULL;
  }
  for (const char *p = address; *p; p++) {
    if ((guchar) *p <= ' ' || *p == 0x7f || *p == '<' || *p == '>') {
      g_set_error (error, USC_ERROR, USC_ERROR_INVALID,
                   "'%s': blanks, control characters and angle brackets are not allowed in an address", address);
      return NULL;
    }
  }
  ParsedTag t;
  int tagged = parse_tagged (address, &t);
  g_free (t.address);
  if (tagged != 0) {
    g_set_error (error, USC_ERROR, USC_ERROR_INVALID, "'%s' is already BATV-tagged", address);
    return NULL;
  }
  int ddd = mod1000 (epoch_day (now) + BATV_LIFETIME);
  char hash[7];
  prvs_hash (keys->secret[key_number], key_number, ddd, address, hash);
  return g_strdup_printf ("prvs=%d%03d%s=%s", key_number, ddd, hash, address);
}

UscBatvStatus
usc_batv_verify (const UscBatvKeys *keys, const char *tagged, gint64 now, UscBatvResult *result)
{
  g_return_val_if_fail (result != NULL, USC_BATV_NONE);
  result->status = USC_BATV_NONE;
  result->tag = NULL;
  result->address = NULL;
  result->key_number = -1;
  result->day = -1;

  char *a = strip_address (tagged);
  if (a == NULL)
    return USC_BATV_NONE;
  ParsedTag t;
  int r = parse_tagged (a, &t);
  if (r == 0) {
    g_free (a);
    return USC_BATV_NONE;
  }
  result->tag = a;
  if (r < 0) {
    result->status = USC_BATV_MALFORMED;
    return result->status;
  }
  result->address = t.address;
  result->key_number = t.key_number;
  result->day = t.ddd;

  const char *secret = keys ? keys->secret[t.key_number] : NULL;
  if (secret == NULL) {
    result->status = USC_BATV_NO_KEY;
    return result->status;
  }

  char expect[7];
  prvs_hash (secret, t.key_number, t.ddd, t.address, expect);
  gboolean good = hash_equal (expect, t.hash);
  char *lower = g_ascii_strdown (t.address, -1);
  if (strcmp (lower, t.address) != 0) {
    prvs_hash (secret, t.key_number, t.ddd, lower, expect);
    good |= hash_equal (expect, t.hash);
  }
  g_free (lower);
  memset (expect, 0, sizeof expect);
  if (!good) {
    result->status = USC_BATV_BAD_HASH;
    return result->status;
  }

  int d = mod1000 ((gint64) t.ddd - epoch_day (now));
  if (d <= BATV_MAX_AHEAD)
    result->status = USC_BATV_VALID;
  else if (d < 500)
    result->status = USC_BATV_FUTURE;
  else
    result->status = USC_BATV_EXPIRED;
  return result->status;
}

void
usc_batv_result_clear (UscBatvResult *result)
{
  if (result == NULL)
    return;
  g_clear_pointer (&result->tag, g_free);
  g_clear_pointer (&result->address, g_free);
  result->status = USC_BATV_NONE;
  result->key_number = -1;
  result->day = -1;
}
