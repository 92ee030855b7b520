/* test-batv.c — unit tests for usc-batv (GTest, table-driven): Exim's own
 * vectors, independent HMAC vectors, expiry edges and the mod-1000 wrap,
 * case, key numbers, tampering, the sub-address form, the keys file. */
#include "config.h"
#include <gmime/gmime.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "usc-batv.h"

#define DAY (G_GINT64_CONSTANT (86400))
#define D20240101 G_GINT64_CONSTANT (19723)   /* days since the epoch of 2024-01-01 */

static UscBatvKeys *
keys_of (const char *spec)   /* "1:secret 0:other" */
{
  UscBatvKeys *k = usc_batv_keys_new ();
  char **parts = g_strsplit (spec, " ", -1);
  for (int i = 0; parts[i]; i++) {
    GError *e = NULL;
    g_assert_true (usc_batv_keys_add (k, parts[i][0] - '0', parts[i] + 2, &e));
    g_assert_no_error (e);
  }
  g_strfreev (parts);
  return k;
}

/* ---- signing: Exim 4.96's output and independent (Python hmac) vectors ---- */
static const struct {
  const char *keys;    /* first key signs */
  int key_number;
  gint64 day;
  gint64 second;       /* seconds into that day */
  const char *address;
  const char *expect;
} sign_vectors[] = {
  /* Exim 4.96, 2024-01-01, secret "secret" (the issue's vectors) */
  { "1:secret 0:secret", 1, D20240101, 0, "user@example.com", "prvs=173025a701=user@example.com" },
  { "1:secret 0:secret", 0, D20240101, 0, "user@example.com", "prvs=0730576ed6=user@example.com" },
  { "1:secret 0:secret", -1, D20240101, 86399, "user@example.com", "prvs=173025a701=user@example.com" },
  { "0:secret 1:secret", -1, D20240101, 43200, "user@example.com", "prvs=0730576ed6=user@example.com" },
  /* Python hmac.new(key, K+DDD+addr, sha1): a 64-byte secret, odd characters, case kept */
  { "9:KKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKK", 9, 20000, 0,
    "a.b-c+d@sub.example.org", "prvs=9007e4aa79=a.b-c+d@sub.example.org" },
  { "3:s3cr:et", -1, 19995, 100, "Mixed.Case@Example.NET", NULL },
};

static void
test_sign_vectors (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (sign_vectors); i++) {
    UscBatvKeys *k = keys_of (sign_vectors[i].keys);
    GError *e = NULL;
    char *t = usc_batv_sign (k, sign_vectors[i].key_number, sign_vectors[i].address,
                             sign_vectors[i].day * DAY + sign_vectors[i].second, &e);
    g_assert_no_error (e);
    g_assert_nonnull (t);
    if (sign_vectors[i].expect)
      g_assert_cmpstr (t, ==, sign_vectors[i].expect);
    /* whatever it signs, it verifies on the same day, with the untagged address */
    UscBatvResult r;
    g_assert_cmpint (usc_batv_verify (k, t, sign_vectors[i].day * DAY, &r), ==, USC_BATV_VALID);
    g_assert_cmpstr (r.address, ==, sign_vectors[i].address);
    g_assert_cmpstr (r.tag, ==, t);
    usc_batv_result_clear (&r);
    g_free (t);
    usc_batv_keys_free (&k);
    g_assert_null (k);
  }
}

/* A secret with a ':' and blanks (as the keys file allows), checked against Python. */
static void
test_sign_secret_with_colon (void)
{
  UscBatvKeys *k = keys_of ("3:s3cr:et");
  usc_batv_keys_free (&k);
  k = usc_batv_keys_new ();
  g_assert_true (usc_batv_keys_add (k, 3, "s3cr:et with space", NULL));
  char *t = usc_batv_sign (k, -1, "Mixed.Case@Example.NET", 19995 * DAY, NULL);
  g_assert_cmpstr (t, ==, "prvs=3002dae42d=Mixed.Case@Example.NET");
  g_free (t);
  usc_batv_keys_free (&k);
}

/* ---- expiry: a tag signed on day S, verified on day S + offset ---- */
static const struct {
  gint64 sign_day;
  int offset;
  UscBatvStatus expect;
  const char *why;
} expiry_cases[] = {
  { D20240101, -2, USC_BATV_FUTURE, "expiry 9 days ahead" },
  { D20240101, -1, USC_BATV_VALID, "expiry 8 days ahead: one day of clock skew" },
  { D20240101, 0, USC_BATV_VALID, "signed today" },
  { D20240101, 6, USC_BATV_VALID, "day 6" },
  { D20240101, 7, USC_BATV_VALID, "day 7: the expiry day itself (as Exim)" },
  { D20240101, 8, USC_BATV_EXPIRED, "day 8: expired" },
  { D20240101, 9, USC_BATV_EXPIRED, "day 9" },
  { D20240101, 300, USC_BATV_EXPIRED, "long expired" },
  { D20240101, 506, USC_BATV_EXPIRED, "d = 501" },
  { D20240101, 507, USC_BATV_EXPIRED, "d = 500: the last 'expired'" },
  { D20240101, 508, USC_BATV_FUTURE, "d = 499: read as far ahead" },
  { D20240101, 990, USC_BATV_FUTURE, "990 days later: Exim would accept it again" },
  { D20240101, 998, USC_BATV_FUTURE, "998 days later" },
  { D20240101, 999, USC_BATV_VALID, "999 days later: indistinguishable from 1 day before (inherent)" },
  { D20240101, 1000, USC_BATV_VALID, "1000 days later: the same string as a fresh tag (inherent)" },
  { D20240101, 1008, USC_BATV_EXPIRED, "1008 days later" },
  /* the mod-1000 wrap: day 19995 has DDD 002 */
  { 19995, 0, USC_BATV_VALID, "DDD 002 signed on ...995" },
  { 19995, 4, USC_BATV_VALID, "verified on ...999, expiry ...002 after the wrap" },
  { 19995, 5, USC_BATV_VALID, "verified on ...000" },
  { 19995, 7, USC_BATV_VALID, "verified on ...002, its expiry day" },
  { 19995, 8, USC_BATV_EXPIRED, "verified on ...003" },
  { 19892, 200, USC_BATV_EXPIRED, "DDD 899 verified on ...092: Exim says 899 >= 92, valid" },
  { 19892, 9, USC_BATV_EXPIRED, "DDD 899 verified on ...901" },
  { 19990, 0, USC_BATV_VALID, "DDD 997 signed on ...990" },
  { 19990, 9, USC_BATV_EXPIRED, "DDD 997 verified on ...999: expired two days ago" },
  { 19990, -1, USC_BATV_VALID, "DDD 997 verified on ...989" },
};

static void
test_expiry (void)
{
  UscBatvKeys *k = keys_of ("1:secret");
  for (gsize i = 0; i < G_N_ELEMENTS (expiry_cases); i++) {
    char *t = usc_batv_sign (k, -1, "user@example.com", expiry_cases[i].sign_day * DAY, NULL);
    g_assert_nonnull (t);
    UscBatvResult r;
    /* any second of the verifying day gives the same answer */
    for (gint64 s = 0; s < DAY; s += DAY / 4 - 1) {
      UscBatvStatus st = usc_batv_verify (k, t, (expiry_cases[i].sign_day + expiry_cases[i].offset) * DAY + s, &r);
      if (st != expiry_cases[i].expect)
        g_error ("%s: %s at +%d days +%" G_GINT64_FORMAT "s: got %s, want %s", expiry_cases[i].why, t,
                 expiry_cases[i].offset, s, usc_batv_status_reason (st),
                 usc_batv_status_reason (expiry_cases[i].expect));
      g_assert_cmpint (r.day, ==, (int) ((expiry_cases[i].sign_day + 7) % 1000));
      g_assert_cmpint (r.key_number, ==, 1);
      usc_batv_result_clear (&r);
    }
    g_free (t);
  }
  usc_batv_keys_free (&k);
}

/* Of the 1000 possible expiry days, exactly the 9 from today to today+8 are
 * accepted, on any day, across the wrap: a stale tag never comes back. */
static void
test_expiry_window_all_days (void)
{
  UscBatvKeys *k = keys_of ("4:rotating");
  static const gint64 todays[] = { 19723, 19995, 19999, 20000, 20992, 20993 };
  for (gsize j = 0; j < G_N_ELEMENTS (todays); j++) {
    gint64 today = todays[j];
    int valid = 0, expired = 0, future = 0;
    for (int ahead = -991; ahead <= 8; ahead++) {   /* expiry = today + ahead: 1000 distinct DDD */
      char *t = usc_batv_sign (k, -1, "x@example.org", (today + ahead - 7) * DAY, NULL);
      UscBatvResult r;
      UscBatvStatus st = usc_batv_verify (k, t, today * DAY + 3600, &r);
      if (ahead >= 0)
        g_assert_cmpint (st, ==, USC_BATV_VALID);
      else if (ahead >= -500)
        g_assert_cmpint (st, ==, USC_BATV_EXPIRED);
      else
        g_assert_cmpint (st, ==, USC_BATV_FUTURE);
      valid += st == USC_BATV_VALID;
      expired += st == USC_BATV_EXPIRED;
      future += st == USC_BATV_FUTURE;
      usc_batv_result_clear (&r);
      g_free (t);
    }
    g_assert_cmpint (valid, ==, 9);
    g_assert_cmpint (expired, ==, 500);
    g_assert_cmpint (future, ==, 491);
  }
  usc_batv_keys_free (&k);
}

/* ---- parsing and verifying given strings at 2024-01-03 ---- */
static const struct {
  const char *input;
  UscBatvStatus expect;
  const char *address;   /* the untagged address when parsed */
  int key_number;
} verify_cases[] = {
  { "prvs=173025a701=user@example.com", USC_BATV_VALID, "user@example.com", 1 },
  { "prvs=0730576ed6=user@example.com", USC_BATV_VALID, "user@example.com", 0 },
  { "<prvs=173025a701=user@example.com>", USC_BATV_VALID, "user@example.com", 1 },
  { "  prvs=173025a701=user@example.com \n", USC_BATV_VALID, "user@example.com", 1 },
  /* case: the marker and the hex in any case; an address case-folded in transit */
  { "PRVS=173025A701=user@example.com", USC_BATV_VALID, "user@example.com", 1 },
  { "Prvs=173025a701=user@example.com", USC_BATV_VALID, "user@example.com", 1 },
  { "prvs=173025a701=USER@Example.COM", USC_BATV_VALID, "USER@Example.COM", 1 },
  /* the sub-address form */
  { "user+prvs=173025a701@example.com", USC_BATV_VALID, "user@example.com", 1 },
  { "user+PRVS=173025A701@example.com", USC_BATV_VALID, "user@example.com", 1 },
  { "user+prvs=173025a702@example.com", USC_BATV_BAD_HASH, "user@example.com", 1 },
  /* tampering */
  { "prvs=173025a700=user@example.com", USC_BATV_BAD_HASH, "user@example.com", 1 },
  { "prvs=173035a701=user@example.com", USC_BATV_BAD_HASH, "user@example.com", 1 },
  { "prvs=172925a701=user@example.com", USC_BATV_BAD_HASH, "user@example.com", 1 },
  { "prvs=073025a701=user@example.com", USC_BATV_BAD_HASH, "user@example.com", 0 },
  { "prvs=173025a701=usr@example.com", USC_BATV_BAD_HASH, "usr@example.com", 1 },
  { "prvs=173025a701=user@example.org", USC_BATV_BAD_HASH, "user@example.org", 1 },
  { "prvs=0730576ed6=user2@example.com", USC_BATV_BAD_HASH, "user2@example.com", 0 },
  { "prvs=1730000000=user@example.com", USC_BATV_BAD_HASH, "user@example.com", 1 },
  /* key numbers without a key */
  { "prvs=573025a701=user@example.com", USC_BATV_NO_KEY, "user@example.com", 5 },
  { "prvs=973025a701=user@example.com", USC_BATV_NO_KEY, "user@example.com", 9 },
  /* malformed */
  { "prvs=17302a701=user@example.com", USC_BATV_MALFORMED, NULL, -1 },
  { "prvs=1730zzzzzz=user@example.com", USC_BATV_MALFORMED, NULL, -1 },
  { "prvs=a73025a701=user@example.com", USC_BATV_MALFORMED, NULL, -1 },
  { "prvs=173025a701user@example.com", USC_BATV_MALFORMED, NULL, -1 },
  { "prvs=173025a701=@example.com", USC_BATV_MALFORMED, NULL, -1 },
  { "prvs=173025a701=user@", USC_BATV_MALFORMED, NULL, -1 },
  { "prvs=173025a701=user", USC_BATV_MALFORMED, NULL, -1 },
  { "prvs=", USC_BATV_MALFORMED, NULL, -1 },
  { "user+prvs=1730@example.com", USC_BATV_MALFORMED, NULL, -1 },
  { "user+prvs=173025a7011@example.com", USC_BATV_MALFORMED, NULL, -1 },
  { "+prvs=173025a701@example.com", USC_BATV_MALFORMED, NULL, -1 },
  /* no tag at all */
  { "user@example.com", USC_BATV_NONE, NULL, -1 },
  { "prvsuser@example.com", USC_BATV_NONE, NULL, -1 },
  { "user+prvs@example.com", USC_BATV_NONE, NULL, -1 },
  { "user+tag@example.com", USC_BATV_NONE, NULL, -1 },
  { "", USC_BATV_NONE, NULL, -1 },
  { "<>", USC_BATV_NONE, NULL, -1 },
  { NULL, USC_BATV_NONE, NULL, -1 },
};

static void
test_verify_cases (void)
{
  UscBatvKeys *k = keys_of ("1:secret 0:secret");
  for (gsize i = 0; i < G_N_ELEMENTS (verify_cases); i++) {
    UscBatvResult r;
    UscBatvStatus st = usc_batv_verify (k, verify_cases[i].input, (D20240101 + 2) * DAY + 777, &r);
    if (st != verify_cases[i].expect)
      g_error ("'%s': got %s, want %s", verify_cases[i].input, usc_batv_status_reason (st),
               usc_batv_status_reason (verify_cases[i].expect));
    g_assert_cmpint (r.status, ==, st);
    g_assert_cmpstr (r.address, ==, verify_cases[i].address);
    g_assert_cmpint (r.key_number, ==, verify_cases[i].key_number);
    if (st == USC_BATV_NONE) {
      g_assert_null (r.tag);
      g_assert_false (usc_batv_is_tagged (verify_cases[i].input));
    } else {
      g_assert_nonnull (r.tag);
      g_assert_null (strchr (r.tag, '<'));
      g_assert_true (usc_batv_is_tagged (verify_cases[i].input));
    }
    usc_batv_result_clear (&r);
    g_assert_null (r.tag);
  }
  usc_batv_keys_free (&k);

  /* no keys: every well-formed tag is "unknown key number" */
  UscBatvResult r;
  g_assert_cmpint (usc_batv_verify (NULL, "prvs=173025a701=user@example.com", D20240101 * DAY, &r), ==, USC_BATV_NO_KEY);
  usc_batv_result_clear (&r);
  /* the right number with another secret */
  k = keys_of ("1:Secret");
  g_assert_cmpint (usc_batv_verify (k, "prvs=173025a701=user@example.com", D20240101 * DAY, &r), ==, USC_BATV_BAD_HASH);
  usc_batv_result_clear (&r);
  usc_batv_keys_free (&k);
  /* a hash over a mixed-case address must be given with that case (as in Exim) */
  k = keys_of ("2:abc");
  char *t = usc_batv_sign (k, -1, "Jane@Example.org", D20240101 * DAY, NULL);
  g_assert_cmpint (usc_batv_verify (k, t, D20240101 * DAY, &r), ==, USC_BATV_VALID);
  usc_batv_result_clear (&r);
  char *lower = g_ascii_strdown (t, -1);
  g_assert_cmpint (usc_batv_verify (k, lower, D20240101 * DAY, &r), ==, USC_BATV_BAD_HASH);
  usc_batv_result_clear (&r);
  g_free (lower);
  g_free (t);
  usc_batv_keys_free (&k);
}

/* Every single-character change of a valid tag's hash is caught. */
static void
test_tampered_every_digit (void)
{
  UscBatvKeys *k = keys_of ("7:k3y");
  char *t = usc_batv_sign (k, -1, "someone@example.net", D20240101 * DAY, NULL);
  static const char hex[] = "0123456789abcdef";
  int caught = 0;
  for (int pos = 9; pos < 15; pos++) {   /* prvs=K DDD [HHHHHH] = */
    for (int h = 0; h < 16; h++) {
      if (g_ascii_tolower (t[pos]) == hex[h])
        continue;
      char *m = g_strdup (t);
      m[pos] = hex[h];
      UscBatvResult r;
      g_assert_cmpint (usc_batv_verify (k, m, D20240101 * DAY, &r), ==, USC_BATV_BAD_HASH);
      usc_batv_result_clear (&r);
      g_free (m);
      caught++;
    }
  }
  g_assert_cmpint (caught, ==, 6 * 15);
  g_free (t);
  usc_batv_keys_free (&k);
}

/* ---- signing errors and key numbers ---- */
static const struct {
  int key_number;
  const char *address;
  int code;
} sign_errors[] = {
  { 5, "user@example.com", USC_ERROR_CONFIG },      /* no key 5 */
  { 10, "user@example.com", USC_ERROR_INVALID },
  { -2, "user@example.com", USC_ERROR_INVALID },
  { -1, "noatsign", USC_ERROR_INVALID },
  { -1, "@example.com", USC_ERROR_INVALID },
  { -1, "user@", USC_ERROR_INVALID },
  { -1, "us er@example.com", USC_ERROR_INVALID },
  { -1, "<user@example.com>", USC_ERROR_INVALID },
  { -1, "user@example.com\n", USC_ERROR_INVALID },
  { -1, "prvs=173025a701=user@example.com", USC_ERROR_INVALID },
  { -1, "user+prvs=173025a701@example.com", USC_ERROR_INVALID },
  { -1, NULL, USC_ERROR_INVALID },
};

static void
test_sign_errors (void)
{
  UscBatvKeys *k = keys_of ("1:secret 0:secret");
  for (gsize i = 0; i < G_N_ELEMENTS (sign_errors); i++) {
    GError *e = NULL;
    char *t = usc_batv_sign (k, sign_errors[i].key_number, sign_errors[i].address, D20240101 * DAY, &e);
    g_assert_null (t);
    g_assert_error (e, USC_ERROR, sign_errors[i].code);
    g_clear_error (&e);
  }
  usc_batv_keys_free (&k);
  GError *e = NULL;
  g_assert_null (usc_batv_sign (NULL, -1, "user@example.com", 0, &e));
  g_assert_error (e, USC_ERROR, USC_ERROR_CONFIG);
  g_clear_error (&e);
  k = usc_batv_keys_new ();
  g_assert_null (usc_batv_sign (k, -1, "user@example.com", 0, &e));
  g_assert_error (e, USC_ERROR, USC_ERROR_CONFIG);
  g_clear_error (&e);
  usc_batv_keys_free (&k);
}

static const struct {
  int number;
  const char *secret;
  gboolean ok;
} add_cases[] = {
  { 0, "a", TRUE },
  { 9, "0123456789012345678901234567890123456789012345678901234567890123", TRUE },   /* 64 */
  { 3, "01234567890123456789012345678901234567890123456789012345678901234", FALSE }, /* 65 */
  { 3, "", FALSE },
  { 3, NULL, FALSE },
  { 10, "x", FALSE },
  { -1, "x", FALSE },
  { 0, "again", FALSE },   /* duplicate number */
  { 4, "line\nbreak", FALSE },
};

static void
test_keys_add (void)
{
  UscBatvKeys *k = usc_batv_keys_new ();
  g_assert_cmpint (usc_batv_keys_signing_number (k), ==, -1);
  guint n = 0;
  for (gsize i = 0; i < G_N_ELEMENTS (add_cases); i++) {
    GError *e = NULL;
    gboolean ok = usc_batv_keys_add (k, add_cases[i].number, add_cases[i].secret, &e);
    g_assert_cmpint (ok, ==, add_cases[i].ok);
    if (ok) {
      g_assert_no_error (e);
      n++;
    } else {
      g_assert_error (e, USC_ERROR, USC_ERROR_INVALID);
      g_clear_error (&e);
    }
    g_assert_cmpuint (usc_batv_keys_count (k), ==, n);
  }
  g_assert_cmpint (usc_batv_keys_signing_number (k), ==, 0);
  usc_batv_keys_free (&k);
  usc_batv_keys_free (&k);   /* NULL is fine */
  usc_batv_keys_free (NULL);
  g_assert_cmpuint (usc_batv_keys_count (NULL), ==, 0);
}

/* ---- the keys file ---- */
static const struct {
  const char *content;
  int mode;
  int code;          /* -1: loads */
  guint count;
  int signing;
} file_cases[] = {
  { "1:secret\n", 0600, -1, 1, 1 },
  { "# comment\n\n  3:new-key\r\n1:old key  \n#9:commented\n", 0600, -1, 2, 3 },
  { "0:abc", 0400, -1, 1, 0 },
  { "5:x:y:z\n", 0600, -1, 1, 5 },
  { "1:secret\n", 0644, USC_ERROR_UNSAFE, 0, -1 },
  { "1:secret\n", 0640, USC_ERROR_UNSAFE, 0, -1 },
  { "1:secret\n", 0604, USC_ERROR_UNSAFE, 0, -1 },
  { "1:secret\n", 0610, USC_ERROR_UNSAFE, 0, -1 },
  { "1:secret\n", 0601, USC_ERROR_UNSAFE, 0, -1 },
  { "1:secret\n", 0660, USC_ERROR_UNSAFE, 0, -1 },
  { "", 0600, USC_ERROR_CONFIG, 0, -1 },
  { "# only a comment\n", 0600, USC_ERROR_CONFIG, 0, -1 },
  { "x:secret\n", 0600, USC_ERROR_CONFIG, 0, -1 },
  { "1secret\n", 0600, USC_ERROR_CONFIG, 0, -1 },
  { "12:secret\n", 0600, USC_ERROR_CONFIG, 0, -1 },
  { "1:\n", 0600, USC_ERROR_CONFIG, 0, -1 },
  { "1:secret\n1:other\n", 0600, USC_ERROR_CONFIG, 0, -1 },
  { "1:01234567890123456789012345678901234567890123456789012345678901234\n", 0600, USC_ERROR_CONFIG, 0, -1 },
  { "1:secret\ngarbage\n", 0600, USC_ERROR_CONFIG, 0, -1 },
};

static void
test_keys_file (void)
{
  char *dir = g_dir_make_tmp ("usc-batv-XXXXXX", NULL);
  g_assert_nonnull (dir);
  char *path = g_build_filename (dir, "keys", NULL);
  for (gsize i = 0; i < G_N_ELEMENTS (file_cases); i++) {
    g_unlink (path);
    g_assert_true (g_file_set_contents (path, file_cases[i].content, -1, NULL));
    g_assert_cmpint (g_chmod (path, file_cases[i].mode), ==, 0);
    GError *e = NULL;
    UscBatvKeys *k = usc_batv_keys_load (path, &e);
    if (file_cases[i].code < 0) {
      g_assert_no_error (e);
      g_assert_nonnull (k);
      g_assert_cmpuint (usc_batv_keys_count (k), ==, file_cases[i].count);
      g_assert_cmpint (usc_batv_keys_signing_number (k), ==, file_cases[i].signing);
    } else {
      g_assert_null (k);
      g_assert_error (e, USC_ERROR, file_cases[i].code);
      g_assert_nonnull (strstr (e->message, path));
      if (file_cases[i].code == USC_ERROR_UNSAFE)
        g_assert_nonnull (strstr (e->message, "chmod 600"));
      g_clear_error (&e);
    }
    usc_batv_keys_free (&k);
  }

  /* rotation: the first key signs, the second still verifies */
  g_assert_true (g_file_set_contents (path, "2:new\n1:old\n", -1, NULL));
  g_chmod (path, 0600);
  UscBatvKeys *k = usc_batv_keys_load (path, NULL);
  UscBatvKeys *old = keys_of ("1:old");
  char *t_new = usc_batv_sign (k, -1, "me@example.org", D20240101 * DAY, NULL);
  char *t_old = usc_batv_sign (old, -1, "me@example.org", D20240101 * DAY, NULL);
  g_assert_true (g_str_has_prefix (t_new, "prvs=2"));
  UscBatvResult r;
  g_assert_cmpint (usc_batv_verify (k, t_new, D20240101 * DAY, &r), ==, USC_BATV_VALID);
  usc_batv_result_clear (&r);
  g_assert_cmpint (usc_batv_verify (k, t_old, D20240101 * DAY, &r), ==, USC_BATV_VALID);
  usc_batv_result_clear (&r);
  g_free (t_new);
  g_free (t_old);
  usc_batv_keys_free (&k);
  usc_batv_keys_free (&old);

  /* missing file, a directory */
  GError *e = NULL;
  char *missing = g_build_filename (dir, "missing", NULL);
  g_assert_null (usc_batv_keys_load (missing, &e));
  g_assert_error (e, USC_ERROR, USC_ERROR_CONFIG);
  g_clear_error (&e);
  g_assert_null (usc_batv_keys_load (dir, &e));
  g_assert_nonnull (e);
  g_clear_error (&e);
  /* unreadable (root reads it anyway: then that case cannot be tested) */
  g_assert_true (g_file_set_contents (path, "1:secret\n", -1, NULL));
  g_chmod (path, 0200);
  if (geteuid () != 0) {
    g_assert_null (usc_batv_keys_load (path, &e));
    g_assert_error (e, USC_ERROR, USC_ERROR_CONFIG);
    g_clear_error (&e);
  }
  g_unlink (path);
  g_rmdir (dir);
  g_free (missing);
  g_free (path);
  g_free (dir);
}

static void
test_keygen (void)
{
  char *a = usc_batv_keygen_secret ();
  char *b = usc_batv_keygen_secret ();
  g_assert_nonnull (a);
  g_assert_nonnull (b);
  g_assert_cmpuint (strlen (a), ==, 32);
  for (const char *p = a; *p; p++)
    g_assert_true (g_ascii_isdigit (*p) || (*p >= 'a' && *p <= 'f'));
  g_assert_cmpstr (a, !=, b);
  UscBatvKeys *k = usc_batv_keys_new ();
  g_assert_true (usc_batv_keys_add (k, 0, a, NULL));
  usc_batv_keys_free (&k);
  g_free (a);
  g_free (b);
}

static void
test_reasons (void)
{
  static const struct { UscBatvStatus s; const char *r; } t[] = {
    { USC_BATV_NONE, "none" }, { USC_BATV_VALID, "valid" }, { USC_BATV_BAD_HASH, "bad hash" },
    { USC_BATV_EXPIRED, "expired" }, { USC_BATV_FUTURE, "expiry too far ahead" },
    { USC_BATV_NO_KEY, "unknown key number" }, { USC_BATV_MALFORMED, "malformed tag" },
    { (UscBatvStatus) 99, "none" },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (t); i++)
    g_assert_cmpstr (usc_batv_status_reason (t[i].s), ==, t[i].r);
  usc_batv_result_clear (NULL);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_mime_init ();
  g_test_add_func ("/batv/sign-vectors", test_sign_vectors);
  g_test_add_func ("/batv/sign-secret-with-colon", test_sign_secret_with_colon);
  g_test_add_func ("/batv/expiry", test_expiry);
  g_test_add_func ("/batv/expiry-window-all-days", test_expiry_window_all_days);
  g_test_add_func ("/batv/verify-cases", test_verify_cases);
  g_test_add_func ("/batv/tampered-every-digit", test_tampered_every_digit);
  g_test_add_func ("/batv/sign-errors", test_sign_errors);
  g_test_add_func ("/batv/keys-add", test_keys_add);
  g_test_add_func ("/batv/keys-file", test_keys_file);
  g_test_add_func ("/batv/keygen", test_keygen);
  g_test_add_func ("/batv/reasons", test_reasons);
  return g_test_run ();
}
