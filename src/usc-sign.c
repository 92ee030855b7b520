/* usc-sign.c — X-Unscatter-Sig: sign what the user sends, verify what a
 * bounce returns (see usc-sign.h for the format).
 *
 * What is signed must survive the trip out and back: an MTA that returns
 * the original's header (RFC 3462 text/rfc822-headers, RFC 3464 DSNs with
 * message/rfc822, inline copies) may refold, re-encode or re-space it. So
 * each field is reduced to its meaning before hashing:
 *   Message-ID (RFC 5322 3.6.4)  the msg-id without <>, lower-case ASCII;
 *   Date (3.6.1)                 seconds since the epoch, in decimal ("" when
 *                                it does not parse);
 *   From (3.6.2)                 the first mailbox's addr-spec (with an '@'),
 *                                lower-case;
 *   first recipient (3.6.3)      the first mailbox of To, else of Cc,
 *                                lower-case ("" when neither has one: Bcc
 *                                is not returned).
 * The hash is HMAC-SHA256 (RFC 2104, FIPS 180-4; GLib's GHmac) truncated to
 * 128 bits, written in lower-case hex: hex survives an MTA that changes
 * case, and 128 bits leave nothing to guess. Hashes are compared in
 * constant time, lower-cased first.
 * The day t is the signing day; a signature is valid from that day to
 * @max_age_days after it ([record] expire_days: as long as the record would
 * have kept the message), and at most one day ahead (clock skew).
 */
#include "config.h"
#include "usc-sign.h"
#include "usc-common.h"

#include <gmime/gmime.h>
#include <string.h>
#include <sys/random.h>

#define SIGN_HASH_BYTES 16
#define DAY 86400

static gint64
epoch_day (gint64 now)
{
  return now >= 0 ? now / DAY : -((-now + DAY - 1) / DAY);
}

/* The first mailbox of the address list @v, lower-case, or NULL. */
static char *
first_mailbox (const char *v)
{
  if (v == NULL)
    return NULL;
  InternetAddressList *l = internet_address_list_parse (NULL, v);
  char *r = NULL;
  for (int i = 0; l && i < internet_address_list_length (l) && r == NULL; i++) {
    InternetAddress *ia = internet_address_list_get_address (l, i);
    if (INTERNET_ADDRESS_IS_MAILBOX (ia)) {
      const char *a = internet_address_mailbox_get_addr (INTERNET_ADDRESS_MAILBOX (ia));
      if (a && strchr (a, '@'))
        r = g_ascii_strdown (a, -1);
    } else if (INTERNET_ADDRESS_IS_GROUP (ia)) {
      InternetAddressList *m = internet_address_group_get_members (INTERNET_ADDRESS_GROUP (ia));
      for (int k = 0; m && k < internet_address_list_length (m) && r == NULL; k++) {
        InternetAddress *x = internet_address_list_get_address (m, k);
        const char *a = INTERNET_ADDRESS_IS_MAILBOX (x)
                        ? internet_address_mailbox_get_addr (INTERNET_ADDRESS_MAILBOX (x)) : NULL;
        if (a && strchr (a, '@'))
          r = g_ascii_strdown (a, -1);
      }
    }
  }
  if (l)
    g_object_unref (l);
  return r;
}

/* The canonical text of @f; NULL when it has no Message-ID or no From. */
static char *
canonical (const UscSignFields *f)
{
  char *mid = f->message_id ? g_mime_utils_decode_message_id (f->message_id) : NULL;
  char *from = first_mailbox (f->from);
  if (mid == NULL || *mid == '\0' || from == NULL) {
    g_free (mid);
    g_free (from);
    return NULL;
  }
  char *rcpt = first_mailbox (f->to);
  if (rcpt == NULL)
    rcpt = first_mailbox (f->cc);
  char date[32] = "";
  if (f->date) {
    GDateTime *dt = g_mime_utils_header_decode_date (f->date);
    if (dt) {
      g_snprintf (date, sizeof date, "%" G_GINT64_FORMAT, g_date_time_to_unix (dt));
      g_date_time_unref (dt);
    }
  }
  char *lmid = g_ascii_strdown (mid, -1);
  char *s = g_strdup_printf ("%s\n%s\n%s\n%s", lmid, date, from, rcpt ? rcpt : "");
  g_free (lmid);
  g_free (mid);
  g_free (from);
  g_free (rcpt);
  return s;
}

/* The hex hash (2 * SIGN_HASH_BYTES + 1 bytes into @out). */
static void
sign_hash (const char *secret, int key, gint64 day, const char *canon, char *out)
{
  char head[64];
  g_snprintf (head, sizeof head, "v=1\nk=%d\nt=%" G_GINT64_FORMAT "\n", key, day);
  GHmac *h = g_hmac_new (G_CHECKSUM_SHA256, (const guchar *) secret, strlen (secret));
  g_hmac_update (h, (const guchar *) head, strlen (head));
  g_hmac_update (h, (const guchar *) canon, strlen (canon));
  guint8 digest[32];
  gsize dlen = sizeof digest;
  g_hmac_get_digest (h, digest, &dlen);
  g_hmac_unref (h);
  static const char digits[] = "0123456789abcdef";
  for (int i = 0; i < SIGN_HASH_BYTES; i++) {
    out[2 * i] = digits[digest[i] >> 4];
    out[2 * i + 1] = digits[digest[i] & 15];
  }
  out[2 * SIGN_HASH_BYTES] = '\0';
  memset (digest, 0, sizeof digest);
}

char *
usc_sign_value (const UscBatvKeys *keys, int key_number, const UscSignFields *fields, gint64 now,
                GError **error)
{
  int k = key_number < 0 ? usc_batv_keys_signing_number (keys) : key_number;
  const char *secret = usc_batv_keys_secret (keys, k);
  if (secret == NULL) {
    g_set_error (error, USC_ERROR, USC_ERROR_CONFIG, k < 0 ? "no signing key" : "no key number %d", k);
    return NULL;
  }
  char *canon = canonical (fields);
  if (canon == NULL) {
    g_set_error (error, USC_ERROR, USC_ERROR_INVALID,
                 "nothing to sign: the message needs a Message-ID and a From address");
    return NULL;
  }
  gint64 day = epoch_day (now);
  char hash[2 * SIGN_HASH_BYTES + 1];
  sign_hash (secret, k, day, canon, hash);
  g_free (canon);
  return g_strdup_printf ("v=1; k=%d; t=%" G_GINT64_FORMAT "; h=%s", k, day, hash);
}

const char *
usc_sign_status_reason (UscSignStatus status)
{
  static const char *const reasons[] = {
    [USC_SIGN_NONE] = "none",
    [USC_SIGN_VALID] = "valid",
    [USC_SIGN_BAD_HASH] = "bad hash",
    [USC_SIGN_EXPIRED] = "expired",
    [USC_SIGN_FUTURE] = "dated in the future",
    [USC_SIGN_NO_KEY] = "unknown key number",
    [USC_SIGN_MALFORMED] = "malformed",
  };
  if ((guint) status < G_N_ELEMENTS (reasons) && reasons[status])
    return reasons[status];
  return "none";
}

/* Parse "v=1; k=K; t=DAY; h=HEX" (tags in any order, blanks around ';' and
 * '=' allowed, each tag once). */
static gboolean
parse_value (const char *value, int *k_r, gint64 *t_r, char *h_r)
{
  gboolean have_v = FALSE, have_k = FALSE, have_t = FALSE, have_h = FALSE;
  char **parts = g_strsplit (value, ";", 16);
  gboolean ok = TRUE;
  for (guint i = 0; parts[i] && ok; i++) {
    char *p = g_strstrip (parts[i]);
    if (*p == '\0' && parts[i + 1] == NULL)
      break; /* a trailing ';' */
    char *eq = strchr (p, '=');
    if (eq == NULL) {
      ok = FALSE;
      break;
    }
    *eq = '\0';
    char *name = g_strstrip (p), *val = g_strstrip (eq + 1);
    char *end = NULL;
    if (strcmp (name, "v") == 0 && !have_v) {
      have_v = TRUE;
      ok = strcmp (val, "1") == 0;
    } else if (strcmp (name, "k") == 0 && !have_k) {
      have_k = TRUE;
      ok = val[0] >= '0' && val[0] <= '9' && val[1] == '\0';
      *k_r = val[0] - '0';
    } else if (strcmp (name, "t") == 0 && !have_t) {
      have_t = TRUE;
      ok = g_ascii_isdigit (val[0]) && strlen (val) <= 9;
      *t_r = g_ascii_strtoll (val, &end, 10);
      ok = ok && end && *end == '\0';
    } else if (strcmp (name, "h") == 0 && !have_h) {
      have_h = TRUE;
      ok = strlen (val) == 2 * SIGN_HASH_BYTES;
      for (gsize j = 0; ok && val[j]; j++)
        ok = g_ascii_isxdigit (val[j]);
      if (ok)
        memcpy (h_r, val, 2 * SIGN_HASH_BYTES + 1);
    } else {
      ok = FALSE;
    }
  }
  g_strfreev (parts);
  return ok && have_v && have_k && have_t && have_h;
}

/* Constant-time comparison of two hex hashes, case-insensitive. */
static gboolean
hash_equal (const char *a, const char *b)
{
  guint diff = 0;
  for (int i = 0; i < 2 * SIGN_HASH_BYTES; i++)
    diff |= (guint) (g_ascii_tolower (a[i]) ^ g_ascii_tolower (b[i]));
  return diff == 0;
}

UscSignStatus
usc_sign_verify (const UscBatvKeys *keys, const char *value, const UscSignFields *fields, gint64 now,
                 guint max_age_days, int *key_r, gint64 *day_r)
{
  if (key_r)
    *key_r = -1;
  if (day_r)
    *day_r = -1;
  if (value == NULL)
    return USC_SIGN_NONE;
  int k = -1;
  gint64 t = -1;
  char h[2 * SIGN_HASH_BYTES + 1] = "";
  if (!parse_value (value, &k, &t, h))
    return USC_SIGN_MALFORMED;
  if (key_r)
    *key_r = k;
  if (day_r)
    *day_r = t;
  const char *secret = usc_batv_keys_secret (keys, k);
  if (secret == NULL)
    return USC_SIGN_NO_KEY;
  char *canon = canonical (fields);
  char want[2 * SIGN_HASH_BYTES + 1];
  /* Without Message-ID or From nothing was signed: a hash cannot match. */
  sign_hash (secret, k, t, canon ? canon : "", want);
  gboolean match = canon != NULL && hash_equal (h, want);
  g_free (canon);
  if (!match)
    return USC_SIGN_BAD_HASH;
  gint64 today = epoch_day (now);
  if (t > today + 1)
    return USC_SIGN_FUTURE;
  if (t < today - (gint64) max_age_days)
    return USC_SIGN_EXPIRED;
  return USC_SIGN_VALID;
}

char *
usc_sign_message_id (const char *domain)
{
  guint8 raw[16];
  gsize got = 0;
  while (got < sizeof raw) {
    ssize_t n = getrandom (raw + got, sizeof raw - got, 0);
    if (n <= 0)
      break;
    got += (gsize) n;
  }
  for (; got < sizeof raw; got++)
    raw[got] = (guint8) g_random_int ();
  /* base32 (RFC 4648 alphabet, lower-case): 128 bits -> 26 characters */
  static const char b32[] = "abcdefghijklmnopqrstuvwxyz234567";
  char rnd[27];
  guint bits = 0, acc = 0, o = 0;
  for (gsize i = 0; i < sizeof raw; i++) {
    acc = (acc << 8) | raw[i];
    bits += 8;
    while (bits >= 5) {
      rnd[o++] = b32[(acc >> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits)
    rnd[o++] = b32[(acc << (5 - bits)) & 31];
  rnd[o] = '\0';
  memset (raw, 0, sizeof raw);
  char t36[16];
  guint64 now = (guint64) (g_get_real_time () / G_USEC_PER_SEC);
  int i = (int) sizeof t36 - 1;
  t36[i] = '\0';
  do {
    t36[--i] = "0123456789abcdefghijklmnopqrstuvwxyz"[now % 36];
    now /= 36;
  } while (now && i > 0);
  const char *host = domain && *domain ? domain : g_get_host_name ();
  if (!(domain && *domain) && (host == NULL || strchr (host, '.') == NULL))
    host = "localhost.invalid";
  return g_strdup_printf ("<%s.%s@%s>", t36 + i, rnd, host);
}
