/* test-sign.c — unit tests for usc-sign (GTest, table-driven): the field
 * value's form; verification of each signed field changed, of the day
 * (expired, future, the edges), of key rotation and unknown keys, of
 * malformed values; canonical forms (refolded Date, case, display names);
 * and the verdict on bounces that return the header in message/rfc822 and
 * in text/rfc822-headers, with and without [sign] require, without a record.
 */
#include "config.h"
#include <gmime/gmime.h>
#include <string.h>
#include "usc-sign.h"
#include "usc-bounce.h"
#include "usc-verdict.h"

#define NOW ((gint64) 1709540000) /* 2024-03-04 08:13:20 UTC, day 19786 */
#define DAY 86400

static const UscSignFields base = {
  "<20240304081203.GA1187@alice-laptop.example.org>",
  "Mon, 4 Mar 2024 09:12:03 +0100",
  "Alice Martin <alice@example.org>",
  "Bob Norris <bob@example.net>, carol@example.com",
  NULL,
};

static UscBatvKeys *
keys_of (const char *spec)
{
  /* "0:secret,1:other": the first signs */
  UscBatvKeys *k = usc_batv_keys_new ();
  char **items = g_strsplit (spec, ",", -1);
  for (guint i = 0; items[i]; i++)
    g_assert_true (usc_batv_keys_add (k, items[i][0] - '0', items[i] + 2, NULL));
  g_strfreev (items);
  return k;
}

static void
test_form (void)
{
  UscBatvKeys *k = keys_of ("3:s3cret");
  char *v = usc_sign_value (k, -1, &base, NOW, NULL);
  g_assert_nonnull (v);
  g_assert_true (g_str_has_prefix (v, "v=1; k=3; t=19786; h="));
  g_assert_cmpuint (strlen (v), ==, strlen ("v=1; k=3; t=19786; h=") + 32);
  for (const char *p = strstr (v, "h=") + 2; *p; p++)
    g_assert_true (g_ascii_isxdigit (*p) && !g_ascii_isupper (*p));
  /* Same input, same value; another key, another hash. */
  char *again = usc_sign_value (k, -1, &base, NOW + 100, NULL);
  g_assert_cmpstr (v, ==, again);
  UscBatvKeys *k2 = keys_of ("3:other");
  char *other = usc_sign_value (k2, -1, &base, NOW, NULL);
  g_assert_cmpstr (strstr (v, "h="), !=, strstr (other, "h="));
  /* Nothing to sign without Message-ID or From; no such key. */
  GError *e = NULL;
  UscSignFields f = base;
  f.message_id = NULL;
  g_assert_null (usc_sign_value (k, -1, &f, NOW, &e));
  g_assert_error (e, USC_ERROR, USC_ERROR_INVALID);
  g_clear_error (&e);
  f = base;
  f.from = "undisclosed";
  g_assert_null (usc_sign_value (k, -1, &f, NOW, &e));
  g_assert_error (e, USC_ERROR, USC_ERROR_INVALID);
  g_clear_error (&e);
  g_assert_null (usc_sign_value (k, 5, &base, NOW, &e));
  g_assert_error (e, USC_ERROR, USC_ERROR_CONFIG);
  g_clear_error (&e);
  g_free (v);
  g_free (again);
  g_free (other);
  usc_batv_keys_free (&k);
  usc_batv_keys_free (&k2);
  g_assert_null (k);
}

/* Verification: fields as returned (changed or not), keys, time. */
typedef struct {
  const char   *name;
  const char   *field;      /* which field to replace: "message_id", "date", "from", "to", "cc", NULL none */
  const char   *value;      /* its new value */
  const char   *verify_keys;
  gint64        verify_at;  /* seconds after signing */
  UscSignStatus want;
} VerifyCase;

static const VerifyCase verify_cases[] = {
  { "unchanged", NULL, NULL, "0:k0", 0, USC_SIGN_VALID },
  { "mid-changed", "message_id", "<20240304081203.GA1188@alice-laptop.example.org>", "0:k0", 0, USC_SIGN_BAD_HASH },
  { "mid-case-and-blanks", "message_id", "  <20240304081203.ga1187@ALICE-LAPTOP.example.org> ", "0:k0", 0, USC_SIGN_VALID },
  { "mid-absent", "message_id", NULL, "0:k0", 0, USC_SIGN_BAD_HASH },
  { "date-changed", "date", "Mon, 4 Mar 2024 09:12:04 +0100", "0:k0", 0, USC_SIGN_BAD_HASH },
  { "date-same-instant", "date", "Mon,  4 Mar 2024 08:12:03 +0000 (UTC)", "0:k0", 0, USC_SIGN_VALID },
  { "date-absent", "date", NULL, "0:k0", 0, USC_SIGN_BAD_HASH },
  { "from-changed", "from", "Alice Martin <alice@example.com>", "0:k0", 0, USC_SIGN_BAD_HASH },
  { "from-name-and-case", "from", "\"Martin, Alice\" <Alice@Example.ORG>", "0:k0", 0, USC_SIGN_VALID },
  { "to-first-changed", "to", "Bob Norris <bob@example.com>, carol@example.com", "0:k0", 0, USC_SIGN_BAD_HASH },
  { "to-order-changed", "to", "carol@example.com, Bob Norris <bob@example.net>", "0:k0", 0, USC_SIGN_BAD_HASH },
  { "to-second-changed", "to", "Bob Norris <bob@example.net>, dave@example.com", "0:k0", 0, USC_SIGN_VALID },
  { "to-moved-to-cc", "to", NULL, "0:k0", 0, USC_SIGN_BAD_HASH },
  { "cc-added", "cc", "mallory@example.net", "0:k0", 0, USC_SIGN_VALID },
  { "expired-edge-valid", NULL, NULL, "0:k0", 180 * (gint64) DAY, USC_SIGN_VALID },
  { "expired", NULL, NULL, "0:k0", 181 * (gint64) DAY, USC_SIGN_EXPIRED },
  { "future-1-day-ok", NULL, NULL, "0:k0", -1 * (gint64) DAY, USC_SIGN_VALID },
  { "future-2-days", NULL, NULL, "0:k0", -2 * (gint64) DAY, USC_SIGN_FUTURE },
  { "rotated-old-key-kept", NULL, NULL, "1:k1,0:k0", 0, USC_SIGN_VALID },
  { "rotated-old-key-gone", NULL, NULL, "1:k1", 0, USC_SIGN_NO_KEY },
  { "same-number-new-secret", NULL, NULL, "0:k0-new", 0, USC_SIGN_BAD_HASH },
};

static void
test_verify (gconstpointer data)
{
  const VerifyCase *c = data;
  UscBatvKeys *signer = keys_of ("0:k0");
  char *v = usc_sign_value (signer, -1, &base, NOW, NULL);
  g_assert_nonnull (v);
  UscSignFields f = base;
  if (c->field) {
    const char **slot = strcmp (c->field, "message_id") == 0 ? &f.message_id
                      : strcmp (c->field, "date") == 0 ? &f.date
                      : strcmp (c->field, "from") == 0 ? &f.from
                      : strcmp (c->field, "to") == 0 ? &f.to : &f.cc;
    *slot = c->value;
    if (strcmp (c->name, "to-moved-to-cc") == 0)
      f.cc = "carol@example.com, Bob Norris <bob@example.net>";
  }
  UscBatvKeys *k = keys_of (c->verify_keys);
  int key = -2;
  gint64 day = -2;
  UscSignStatus st = usc_sign_verify (k, v, &f, NOW + c->verify_at, 180, &key, &day);
  g_assert_cmpstr (usc_sign_status_reason (st), ==, usc_sign_status_reason (c->want));
  g_assert_cmpint (key, ==, 0);
  g_assert_cmpint (day, ==, NOW / DAY);
  g_free (v);
  usc_batv_keys_free (&signer);
  usc_batv_keys_free (&k);
}

/* The hash compared case-insensitively; any change of one hex digit fails;
 * malformed values. */
typedef struct {
  const char   *value;
  UscSignStatus want;
} MalformedCase;

static const MalformedCase malformed_cases[] = {
  { "", USC_SIGN_MALFORMED },
  { "v=1; k=0; t=19786", USC_SIGN_MALFORMED },
  { "v=2; k=0; t=19786; h=00000000000000000000000000000000", USC_SIGN_MALFORMED },
  { "v=1; k=10; t=19786; h=00000000000000000000000000000000", USC_SIGN_MALFORMED },
  { "v=1; k=0; t=-5; h=00000000000000000000000000000000", USC_SIGN_MALFORMED },
  { "v=1; k=0; t=19786; h=0000000000000000000000000000000", USC_SIGN_MALFORMED },
  { "v=1; k=0; t=19786; h=0000000000000000000000000000000g", USC_SIGN_MALFORMED },
  { "v=1; k=0; k=0; t=19786; h=00000000000000000000000000000000", USC_SIGN_MALFORMED },
  { "v=1; k=0; t=19786; h=00000000000000000000000000000000; x=1", USC_SIGN_MALFORMED },
  { "v=1; k=0; t=19786; h=00000000000000000000000000000000", USC_SIGN_BAD_HASH },
  { "v=1; k=7; t=19786; h=00000000000000000000000000000000", USC_SIGN_NO_KEY },
};

static void
test_malformed (void)
{
  UscBatvKeys *k = keys_of ("0:k0");
  for (gsize i = 0; i < G_N_ELEMENTS (malformed_cases); i++) {
    UscSignStatus st = usc_sign_verify (k, malformed_cases[i].value, &base, NOW, 180, NULL, NULL);
    g_assert_cmpstr (usc_sign_status_reason (st), ==, usc_sign_status_reason (malformed_cases[i].want));
  }
  g_assert_cmpint (usc_sign_verify (k, NULL, &base, NOW, 180, NULL, NULL), ==, USC_SIGN_NONE);
  char *v = usc_sign_value (k, -1, &base, NOW, NULL);
  /* upper-case hash, blanks and a trailing ';', tags reordered: still valid */
  char *h = strstr (v, "h=") + 2;
  char *upper = g_ascii_strup (h, -1);
  char *alt = g_strdup_printf ("  h=%s ;t = 19786;  k=0 ;v=1;", upper);
  g_assert_cmpint (usc_sign_verify (k, alt, &base, NOW, 180, NULL, NULL), ==, USC_SIGN_VALID);
  /* every hex digit changed in turn */
  for (gsize i = 0; h[i]; i++) {
    char *t = g_strdup (v);
    char *th = strstr (t, "h=") + 2;
    th[i] = th[i] == '0' ? '1' : '0';
    g_assert_cmpint (usc_sign_verify (k, t, &base, NOW, 180, NULL, NULL), ==, USC_SIGN_BAD_HASH);
    g_free (t);
  }
  /* the day is signed: a later t with the same hash fails */
  char *later = g_strdup_printf ("v=1; k=0; t=19787; h=%s", h);
  g_assert_cmpint (usc_sign_verify (k, later, &base, NOW, 180, NULL, NULL), ==, USC_SIGN_BAD_HASH);
  g_free (later);
  g_free (upper);
  g_free (alt);
  g_free (v);
  usc_batv_keys_free (&k);
}

/* Bounces that return the header: the verdict without a record. */
#define DSN_HEAD \
  "From: MAILER-DAEMON@mx.example.net\nTo: alice@example.org\nSubject: Undelivered Mail Returned to Sender\n" \
  "Date: Mon, 04 Mar 2024 09:12:08 +0100\nMessage-ID: <dsn-1@mx.example.net>\nMIME-Version: 1.0\n" \
  "Content-Type: multipart/report; report-type=delivery-status; boundary=\"b\"\n\n" \
  "--b\nContent-Type: text/plain\n\nYour message could not be delivered.\n\n" \
  "--b\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx.example.net\n\n" \
  "Final-Recipient: rfc822; bob@example.net\nAction: failed\nStatus: 5.1.1\n\n"
#define ORIG_FIELDS \
  "Message-ID: <20240304081203.GA1187@alice-laptop.example.org>\n" \
  "Date: Mon, 4 Mar 2024 09:12:03 +0100\nFrom: Alice Martin <alice@example.org>\n" \
  "To: Bob Norris <bob@example.net>, carol@example.com\nSubject: hello\n"

typedef struct {
  const char     *name;
  const char     *part_type;   /* "message/rfc822" or "text/rfc822-headers" */
  const char     *sig;         /* "VALID" (computed), NULL none, or a literal value */
  const char     *extra;       /* a field replaced in the returned copy, or NULL */
  gboolean        require;
  gint64          at;          /* seconds after signing */
  UscVerdictKind  want;
  const char     *reason;      /* start of the first reason */
} BounceCase;

static const BounceCase bounce_cases[] = {
  { "rfc822-valid", "message/rfc822", "VALID", NULL, FALSE, 0, USC_VERDICT_LEGITIMATE, "valid X-Unscatter-Sig (key 0, signed 2024-03-04)" },
  { "headers-valid", "text/rfc822-headers", "VALID", NULL, FALSE, 0, USC_VERDICT_LEGITIMATE, "valid X-Unscatter-Sig (key 0, signed 2024-03-04)" },
  { "rfc822-tampered-subject-ok", "message/rfc822", "VALID", "Subject: changed\n", FALSE, 0, USC_VERDICT_LEGITIMATE, "valid X-Unscatter-Sig" },
  { "rfc822-tampered-from", "message/rfc822", "VALID", "From: mallory@example.org\n", FALSE, 0, USC_VERDICT_BACKSCATTER, "X-Unscatter-Sig v=1; k=0; t=19786; h=" },
  { "headers-forged", "text/rfc822-headers", "v=1; k=0; t=19786; h=0123456789abcdef0123456789abcdef", NULL, FALSE, 0, USC_VERDICT_BACKSCATTER, "X-Unscatter-Sig v=1; k=0; t=19786; h=0123456789abcdef0123456789abcdef on the returned original: bad hash" },
  { "rfc822-stale", "message/rfc822", "VALID", NULL, FALSE, 200 * (gint64) DAY, USC_VERDICT_BACKSCATTER, "X-Unscatter-Sig v=1; k=0; t=19786; h=" },
  { "rfc822-absent", "message/rfc822", NULL, NULL, FALSE, 0, USC_VERDICT_UNKNOWN, "the sent-mail record is empty" },
  { "rfc822-absent-require", "message/rfc822", NULL, NULL, TRUE, 0, USC_VERDICT_BACKSCATTER, "no X-Unscatter-Sig on the returned original, and sign.require is set" },
  { "headers-valid-require", "text/rfc822-headers", "VALID", NULL, TRUE, 0, USC_VERDICT_LEGITIMATE, "valid X-Unscatter-Sig" },
};

static void
test_bounce (gconstpointer data)
{
  const BounceCase *c = data;
  UscBatvKeys *k = keys_of ("0:k0");
  char *sig = NULL;
  if (c->sig && strcmp (c->sig, "VALID") == 0)
    sig = usc_sign_value (k, -1, &base, NOW, NULL);
  else if (c->sig)
    sig = g_strdup (c->sig);
  GString *m = g_string_new (DSN_HEAD);
  g_string_append_printf (m, "--b\nContent-Type: %s\n\n", c->part_type);
  if (sig)
    g_string_append_printf (m, "X-Unscatter-Sig: %s\n", sig);
  if (c->extra) {
    /* the replaced field goes first; GMime reads the first occurrence */
    g_string_append (m, c->extra);
  }
  g_string_append (m, ORIG_FIELDS);
  if (strcmp (c->part_type, "message/rfc822") == 0)
    g_string_append (m, "\nhi\n");
  g_string_append (m, "--b--\n");

  UscLimits limits;
  usc_limits_init (&limits);
  GBytes *raw = g_bytes_new (m->str, m->len);
  UscMessage *msg = usc_message_new_from_bytes (raw, &limits, NULL);
  g_assert_nonnull (msg);
  UscBounce *b = usc_bounce_analyze (msg, NULL);
  g_assert_nonnull (b);
  g_assert_cmpint (b->kind, ==, USC_KIND_DSN);
  g_assert_cmpstr (b->signature.value, ==, sig);
  if (sig)
    g_assert_cmpstr (b->signature.source, ==, c->part_type);

  UscConfig *config = usc_config_new_default ();
  config->sign_require = c->require;
  char *now = g_strdup_printf ("%" G_GINT64_FORMAT, NOW + c->at);
  g_setenv ("UNSCATTER_NOW", now, TRUE);
  UscEnvelope env = { 0 };
  UscVerdict *v = usc_verdict_decide_signed (b, &env, NULL, NULL, k, config, NULL);
  g_unsetenv ("UNSCATTER_NOW");
  g_assert_nonnull (v);
  g_assert_cmpstr (usc_verdict_name (v->verdict), ==, usc_verdict_name (c->want));
  g_assert_cmpuint (v->reasons->len, >=, 1);
  if (!g_str_has_prefix (v->reasons->pdata[0], c->reason))
    g_error ("%s: reason '%s' does not start with '%s'", c->name, (char *) v->reasons->pdata[0], c->reason);
  /* Without keys, a signature is only noted. */
  UscVerdict *nokeys = usc_verdict_decide_signed (b, &env, NULL, NULL, NULL, config, NULL);
  if (sig) {
    g_assert_cmpint (nokeys->verdict, ==, USC_VERDICT_UNKNOWN);
    g_assert_true (g_str_has_prefix (nokeys->reasons->pdata[0], "X-Unscatter-Sig in the returned original not checked"));
  }
  usc_verdict_free (&nokeys);
  usc_verdict_free (&v);
  usc_config_free (&config);
  usc_bounce_free (&b);
  usc_message_free (&msg);
  g_bytes_unref (raw);
  g_string_free (m, TRUE);
  g_free (now);
  g_free (sig);
  usc_batv_keys_free (&k);
}

typedef struct {
  const char *domain;
  const char *suffix;
} MsgidCase;

static void
test_msgid (void)
{
  static const MsgidCase cases[] = {
    { "example.org", "@example.org>" },
    { "mail.example.net", "@mail.example.net>" },
  };
  GHashTable *seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++) {
    for (int n = 0; n < 500; n++) {
      char *id = usc_sign_message_id (cases[i].domain);
      g_assert_true (g_str_has_prefix (id, "<"));
      g_assert_true (g_str_has_suffix (id, cases[i].suffix));
      const char *dot = strchr (id, '.');
      g_assert_nonnull (dot);
      g_assert_cmpuint (strchr (id, '@') - dot - 1, ==, 26);
      g_assert_false (g_hash_table_contains (seen, id));
      g_hash_table_add (seen, id);
    }
  }
  char *def = usc_sign_message_id (NULL);
  g_assert_nonnull (strchr (def, '@'));
  g_assert_nonnull (strchr (strchr (def, '@'), '.'));
  g_free (def);
  g_hash_table_unref (seen);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_mime_init ();
  g_test_add_func ("/sign/form", test_form);
  for (gsize i = 0; i < G_N_ELEMENTS (verify_cases); i++) {
    char *p = g_strdup_printf ("/sign/verify/%s", verify_cases[i].name);
    g_test_add_data_func (p, &verify_cases[i], test_verify);
    g_free (p);
  }
  g_test_add_func ("/sign/malformed", test_malformed);
  for (gsize i = 0; i < G_N_ELEMENTS (bounce_cases); i++) {
    char *p = g_strdup_printf ("/sign/bounce/%s", bounce_cases[i].name);
    g_test_add_data_func (p, &bounce_cases[i], test_bounce);
    g_free (p);
  }
  g_test_add_func ("/sign/msgid", test_msgid);
  int rc = g_test_run ();
  g_mime_shutdown ();
  return rc;
}
