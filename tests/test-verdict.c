/* test-verdict.c — unit tests for usc-verdict (GTest, table-driven): fake
 * bounce structs against a temporary record; BATV cases (when the BATV
 * module is built); the empty-record safety; the header block (folding,
 * sanitising). */
#include "config.h"
#include <gmime/gmime.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>
#include "usc-verdict.h"

#define T0 1700000000
#define D 86400
#define H 3600

static char *tmpdir;
static UscRecord *full, *empty;

typedef enum { REC_FULL, REC_EMPTY, REC_NONE } RecMode;

typedef struct {
  const char    *name;
  UscKind        kind;
  const char    *ids[3];
  const char    *rcpts[3];
  gboolean       executable;
  gint64         bounce_time, original_time;
  RecMode        rec;
  UscVerdictKind expect;
  const char    *reason;   /* substring of the joined reasons */
} Case;

static const Case cases[] = {
  { "ham", USC_KIND_NOT_BOUNCE, { "sent1@me.example" }, { NULL }, FALSE, T0, 0, REC_FULL,
    USC_VERDICT_NOT_BOUNCE, "not a bounce" },
  { "id-hit", USC_KIND_DSN, { "sent1@me.example" }, { NULL }, FALSE, T0 + H, 0, REC_FULL,
    USC_VERDICT_LEGITIMATE, "original Message-ID <sent1@me.example> (from message/rfc822) is in the sent record (4 entries)" },
  { "id-hit-case", USC_KIND_DSN, { "SENT1@Me.Example" }, { NULL }, FALSE, T0 + H, 0, REC_FULL,
    USC_VERDICT_LEGITIMATE, "is in the sent record (4 entries)" },
  { "id-second-hit", USC_KIND_DSN, { "forged@spam.example", "sent1@me.example" }, { "x@y.example" }, FALSE, T0 + H, 0, REC_FULL,
    USC_VERDICT_LEGITIMATE, "<sent1@me.example> (from references) is in the sent record" },
  { "id-miss", USC_KIND_DSN, { "forged@spam.example" }, { NULL }, FALSE, T0 + H, 0, REC_FULL,
    USC_VERDICT_BACKSCATTER, "original Message-ID <forged@spam.example> not in the sent record (4 entries)" },
  { "ids-miss", USC_KIND_DSN, { "f1@spam.example", "f2@spam.example" }, { "bob@example.net" }, FALSE, T0 + H, 0, REC_FULL,
    USC_VERDICT_BACKSCATTER, "original Message-IDs <f1@spam.example>, <f2@spam.example> not in the sent record (4 entries)" },
  { "id-miss-noid-rcpt", USC_KIND_DSN, { "mta-made@relay.example" }, { "noid@example.net" }, FALSE, T0 + H, 0, REC_FULL,
    USC_VERDICT_LEGITIMATE, "failed recipient noid@example.net was mailed by a message recorded without a Message-ID" },
  { "id-miss-before-record", USC_KIND_DSN, { "forged@spam.example" }, { NULL }, FALSE, T0 + H, T0 - 100 * D, REC_FULL,
    USC_VERDICT_BACKSCATTER, "not in the sent record (4 entries)" },
  { "rcpt-hit", USC_KIND_DSN, { NULL }, { "bob@example.net" }, FALSE, T0 + H, 0, REC_FULL,
    USC_VERDICT_LEGITIMATE, "no original Message-ID; failed recipient bob@example.net was mailed between 2023-11-07 23:13 UTC and 2023-11-15 23:13 UTC (4 entries)" },
  { "rcpt-hit-second", USC_KIND_DSN, { NULL }, { "who@example.org", "BOB@example.net" }, FALSE, T0 + 2 * D, 0, REC_FULL,
    USC_VERDICT_LEGITIMATE, "failed recipient bob@example.net was mailed" },
  { "rcpt-by-original-date", USC_KIND_DSN, { NULL }, { "carol@example.com" }, FALSE, T0, T0 - 3 * D, REC_FULL,
    USC_VERDICT_LEGITIMATE, "carol@example.com was mailed" },
  { "rcpt-late", USC_KIND_DSN, { NULL }, { "bob@example.net" }, FALSE, T0 + 30 * D, 0, REC_FULL,
    USC_VERDICT_BACKSCATTER, "failed recipient bob@example.net not mailed between" },
  { "rcpt-early", USC_KIND_DSN, { NULL }, { "bob@example.net" }, FALSE, T0 - 2 * D, 0, REC_FULL,
    USC_VERDICT_BACKSCATTER, "not mailed between" },
  { "rcpt-stranger", USC_KIND_DSN, { NULL }, { "stranger@example.net", "s2@example.net" }, FALSE, T0 + H, 0, REC_FULL,
    USC_VERDICT_BACKSCATTER, "failed recipients stranger@example.net, s2@example.net not mailed between" },
  { "rcpt-window-before-record", USC_KIND_DSN, { NULL }, { "stranger@example.net" }, FALSE, T0 - 62 * D, 0, REC_FULL,
    USC_VERDICT_UNKNOWN, "which does not cover the whole window" },
  { "autoreply-rcpt-miss", USC_KIND_AUTOREPLY, { NULL }, { "stranger@example.net" }, FALSE, T0 + H, 0, REC_FULL,
    USC_VERDICT_UNKNOWN, "a responder need not be the address mailed" },
  { "autoreply-rcpt-hit", USC_KIND_AUTOREPLY, { NULL }, { "bob@example.net" }, FALSE, T0 + H, 0, REC_FULL,
    USC_VERDICT_LEGITIMATE, "bob@example.net was mailed" },
  { "virus-rcpt-miss", USC_KIND_VIRUS_NOTICE, { NULL }, { "stranger@example.net" }, FALSE, T0 + H, 0, REC_FULL,
    USC_VERDICT_BACKSCATTER, "not mailed between" },
  { "nothing", USC_KIND_DSN, { NULL }, { NULL }, FALSE, T0 + H, 0, REC_FULL,
    USC_VERDICT_UNKNOWN, "names neither an original Message-ID nor a failed recipient" },
  { "virus", USC_KIND_VIRUS_NOTICE, { NULL }, { NULL }, TRUE, T0 + H, 0, REC_FULL,
    USC_VERDICT_BACKSCATTER, "executable payload (application/x-dosexec)" },
  /* the user's own mail returned with its payload stays legitimate (issue 12 §1) */
  { "payload-own-mail", USC_KIND_VIRUS_NOTICE, { "sent1@me.example" }, { NULL }, TRUE, T0 + H, 0, REC_FULL,
    USC_VERDICT_LEGITIMATE, "is in the sent record (4 entries); it returns the user's own mail with an executable payload (application/x-dosexec)" },
  { "payload-id-miss", USC_KIND_DSN, { "forged@spam.example", "f2@spam.example" }, { NULL }, TRUE, T0 + H, 0, REC_FULL,
    USC_VERDICT_BACKSCATTER, "executable payload (application/x-dosexec) and matches no sent mail" },
  /* a worm mails its victim's correspondents: a recipient match does not save it */
  { "payload-rcpt-hit", USC_KIND_DSN, { NULL }, { "bob@example.net" }, TRUE, T0 + H, 0, REC_FULL,
    USC_VERDICT_BACKSCATTER, "matches no sent mail" },
  /* otherwise unknown (empty record, no evidence): the payload decides */
  { "payload-empty-record", USC_KIND_DSN, { "forged@spam.example" }, { NULL }, TRUE, T0 + H, 0, REC_EMPTY,
    USC_VERDICT_BACKSCATTER, "executable payload" },
  { "payload-no-evidence", USC_KIND_DSN, { NULL }, { NULL }, TRUE, T0 + H, 0, REC_FULL,
    USC_VERDICT_BACKSCATTER, "executable payload" },
  { "autoreply-hit", USC_KIND_AUTOREPLY, { "sent1@me.example" }, { NULL }, FALSE, T0 + H, 0, REC_FULL,
    USC_VERDICT_LEGITIMATE, "is in the sent record" },
  { "challenge-miss", USC_KIND_CHALLENGE, { "forged@spam.example" }, { NULL }, FALSE, T0 + H, 0, REC_FULL,
    USC_VERDICT_BACKSCATTER, "not in the sent record" },
  { "arf-miss", USC_KIND_FEEDBACK_REPORT, { "forged@spam.example" }, { NULL }, FALSE, T0 + H, 0, REC_FULL,
    USC_VERDICT_BACKSCATTER, "not in the sent record" },
  /* SAFETY: a miss in an empty or absent record proves nothing */
  { "empty-id", USC_KIND_DSN, { "forged@spam.example" }, { NULL }, FALSE, T0 + H, 0, REC_EMPTY,
    USC_VERDICT_UNKNOWN, "the sent-mail record is empty (0 entries)" },
  { "empty-rcpt", USC_KIND_DSN, { NULL }, { "bob@example.net" }, FALSE, T0 + H, 0, REC_EMPTY,
    USC_VERDICT_UNKNOWN, "the sent-mail record is empty" },
  { "none-id", USC_KIND_DSN, { "forged@spam.example" }, { "bob@example.net" }, FALSE, T0 + H, 0, REC_NONE,
    USC_VERDICT_UNKNOWN, "the sent-mail record is empty (no record file)" },
  { "none-virus", USC_KIND_VIRUS_NOTICE, { NULL }, { NULL }, TRUE, T0 + H, 0, REC_NONE,
    USC_VERDICT_BACKSCATTER, "executable payload" },
  { "no-bounce-date", USC_KIND_DSN, { NULL }, { "bob@example.net" }, FALSE, 0, 0, REC_FULL,
    USC_VERDICT_LEGITIMATE, "bob@example.net was mailed" }, /* uses now = T0 + 1 day */
};

static UscBounce *
make_bounce (const Case *c)
{
  UscBounce *b = usc_bounce_new ();
  b->kind = c->kind;
  for (int i = 0; i < 3 && c->ids[i]; i++) {
    g_ptr_array_add (b->message_ids, g_strdup (c->ids[i]));
    g_ptr_array_add (b->id_sources, g_strdup (i ? "references" : "message/rfc822"));
  }
  for (int i = 0; i < 3 && c->rcpts[i]; i++)
    g_ptr_array_add (b->recipients, g_ascii_strdown (c->rcpts[i], -1));
  b->executable = c->executable;
  if (c->executable)
    g_ptr_array_add (b->payload_types, g_strdup ("application/x-dosexec"));
  b->bounce_time = c->bounce_time;
  b->original_time = c->original_time;
  return b;
}

static char *
joined (const UscVerdict *v)
{
  GString *s = g_string_new (NULL);
  for (guint i = 0; i < v->reasons->len; i++)
    g_string_append_printf (s, "%s%s", i ? "; " : "", (const char *) v->reasons->pdata[i]);
  return g_string_free (s, FALSE);
}

static void
test_table (void)
{
  UscConfig *config = usc_config_new_default ();
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++) {
    const Case *c = &cases[i];
    UscBounce *b = make_bounce (c);
    UscEnvelope env = { NULL, NULL, NULL, NULL };
    GError *e = NULL;
    UscRecord *rec = c->rec == REC_FULL ? full : c->rec == REC_EMPTY ? empty : NULL;
    UscVerdict *v = usc_verdict_decide (b, &env, rec, NULL, config, &e);
    g_assert_no_error (e);
    g_assert_nonnull (v);
    char *r = joined (v);
    if (v->verdict != c->expect || strstr (r, c->reason) == NULL)
      g_error ("case %s: got %s '%s', expected %s with '%s'", c->name, usc_verdict_name (v->verdict),
               r, usc_verdict_name (c->expect), c->reason);
    g_assert_cmpint (v->action, ==, config->action[c->expect]);
    if (c->kind != USC_KIND_NOT_BOUNCE && !c->executable)
      g_assert_cmpint (v->record_size, ==, c->rec == REC_FULL ? 4 : c->rec == REC_EMPTY ? 0 : -1);
    g_free (r);
    usc_verdict_free (&v);
    g_assert_null (v);
    usc_bounce_free (&b);
  }
  usc_config_free (&config);
}

static void
test_actions (void)
{
  UscConfig *config = usc_config_new_default ();
  config->action[USC_VERDICT_BACKSCATTER] = USC_ACTION_DISCARD;
  config->action[USC_VERDICT_UNKNOWN] = USC_ACTION_FILE;
  static const struct { gsize c; UscAction a; } want[] = {
    { 4, USC_ACTION_DISCARD }, /* id-miss */
    { 18, USC_ACTION_FILE },   /* nothing */
    { 1, USC_ACTION_DELIVER }, /* id-hit */
  };
  for (gsize i = 0; i < G_N_ELEMENTS (want); i++) {
    UscBounce *b = make_bounce (&cases[want[i].c]);
    UscVerdict *v = usc_verdict_decide (b, NULL, full, NULL, config, NULL);
    g_assert_nonnull (v);
    g_assert_cmpint (v->action, ==, want[i].a);
    usc_verdict_free (&v);
    usc_bounce_free (&b);
  }
  usc_config_free (&config);
}

/* A record that fails: NULL with the error, never a verdict. */
static void
test_record_error (void)
{
  char *p = g_build_filename (tmpdir, "gone.db", NULL);
  GError *e = NULL;
  UscRecord *r = usc_record_open (p, NULL, &e);
  g_assert_no_error (e);
  const char *rc[] = { "bob@example.net", NULL };
  UscSentMessage m = { "x@me.example", rc, T0, T0, NULL };
  g_assert_cmpint (usc_record_add (r, &m, &e), ==, 1);
  usc_record_close (&r);
  /* Damage every page but the first. */
  char *data;
  gsize len;
  g_assert_true (g_file_get_contents (p, &data, &len, NULL));
  for (gsize i = 4096; i < len; i++)
    data[i] = 'Z';
  g_assert_true (g_file_set_contents (p, data, len, NULL));
  g_free (data);
  r = usc_record_open (p, NULL, &e);
  if (r != NULL) {
    UscConfig *config = usc_config_new_default ();
    UscBounce *b = make_bounce (&cases[4]);
    UscVerdict *v = usc_verdict_decide (b, NULL, r, NULL, config, &e);
    g_assert_null (v);
    usc_bounce_free (&b);
    usc_config_free (&config);
    usc_record_close (&r);
  }
  g_assert_error (e, USC_ERROR, USC_ERROR_CORRUPT);
  g_clear_error (&e);
  g_free (p);
}

/* BATV evidence (needs the real BATV module: skipped with the placeholder). */
static void
test_batv (void)
{
  UscBatvKeys *keys = usc_batv_keys_new ();
  if (!usc_batv_keys_add (keys, 1, "secret", NULL)) {
    usc_batv_keys_free (&keys);
    g_test_skip ("BATV module not built yet");
    return;
  }
  gint64 now = usc_now ();
  char *good = usc_batv_sign (keys, -1, "me@example.org", now, NULL);
  g_assert_nonnull (good);
  char *bad = g_strdup (good);
  char *h = bad + strlen ("prvs=1ddd");
  *h = *h == '0' ? '1' : '0'; /* tamper with the hash */
  char *old = usc_batv_sign (keys, -1, "me@example.org", now - 30 * D, NULL);

  static const struct {
    int         rcpt;        /* 0 good, 1 bad, 2 old, 3 untagged, 4 none */
    int         orig_sender; /* same codes, for bounce->envelope_sender */
    gboolean    keys, require;
    const char *ids;
    UscVerdictKind expect;
    const char *reason;
  } t[] = {
    { 0, 4, TRUE, FALSE, "forged@spam.example", USC_VERDICT_LEGITIMATE, "valid BATV tag prvs=" },
    { 1, 4, TRUE, FALSE, "sent1@me.example", USC_VERDICT_BACKSCATTER, "bad hash" },
    { 2, 4, TRUE, FALSE, "sent1@me.example", USC_VERDICT_BACKSCATTER, "on the envelope recipient" },
    { 3, 0, TRUE, FALSE, "forged@spam.example", USC_VERDICT_LEGITIMATE, "on the returned original's envelope sender" },
    { 3, 1, TRUE, FALSE, "sent1@me.example", USC_VERDICT_BACKSCATTER, "returned original's envelope sender" },
    { 3, 4, TRUE, FALSE, "sent1@me.example", USC_VERDICT_LEGITIMATE, "is in the sent record" },
    { 3, 4, TRUE, TRUE, "sent1@me.example", USC_VERDICT_BACKSCATTER, "no BATV tag on the envelope recipient me@example.org, and batv.require is set" },
    { 4, 4, TRUE, TRUE, "sent1@me.example", USC_VERDICT_LEGITIMATE, "is in the sent record" },
    /* without keys a tag is not evidence */
    { 1, 4, FALSE, FALSE, "sent1@me.example", USC_VERDICT_LEGITIMATE, "not checked: no BATV keys configured" },
    { 3, 4, FALSE, TRUE, "forged@spam.example", USC_VERDICT_BACKSCATTER, "not in the sent record" },
  };
  const char *addr[] = { good, bad, old, "me@example.org", NULL };
  for (gsize i = 0; i < G_N_ELEMENTS (t); i++) {
    UscConfig *config = usc_config_new_default ();
    config->batv_require = t[i].require;
    UscBounce *b = usc_bounce_new ();
    b->kind = USC_KIND_DSN;
    b->bounce_time = T0 + H;
    g_ptr_array_add (b->message_ids, g_strdup (t[i].ids));
    g_ptr_array_add (b->id_sources, g_strdup ("message/rfc822"));
    b->envelope_sender = g_strdup (addr[t[i].orig_sender]);
    UscEnvelope env = { g_strdup (addr[t[i].rcpt]), "option", NULL, NULL };
    GError *e = NULL;
    UscVerdict *v = usc_verdict_decide (b, &env, full, t[i].keys ? keys : NULL, config, &e);
    g_assert_no_error (e);
    char *r = joined (v);
    if (v->verdict != t[i].expect || strstr (r, t[i].reason) == NULL)
      g_error ("batv case %zu: got %s '%s', expected %s with '%s'", i, usc_verdict_name (v->verdict),
               r, usc_verdict_name (t[i].expect), t[i].reason);
    if (t[i].rcpt < 3 && t[i].keys)
      g_assert_cmpint (v->batv.status, ==, t[i].rcpt == 0 ? USC_BATV_VALID
                                           : t[i].rcpt == 1 ? USC_BATV_BAD_HASH : USC_BATV_EXPIRED);
    g_free (r);
    usc_verdict_free (&v);
    usc_envelope_clear (&env);
    usc_bounce_free (&b);
    usc_config_free (&config);
  }
  g_free (good);
  g_free (bad);
  g_free (old);
  usc_batv_keys_free (&keys);
}

/* The header block: exact for a simple verdict; folded, printable ASCII
 * only and bounded for hostile reasons. */
static void
test_header_block (void)
{
  UscBounce *b = usc_bounce_new ();
  b->kind = USC_KIND_DSN;
  UscVerdict v = { .verdict = USC_VERDICT_BACKSCATTER, .reasons = g_ptr_array_new_with_free_func (g_free) };
  g_ptr_array_add (v.reasons, g_strdup ("original Message-ID <a@b> not in the sent record (12 entries)"));
  char *h = usc_verdict_header_block (&v, b);
  g_assert_cmpstr (h, ==,
                   "X-Unscatter-Verdict: backscatter (dsn)\n"
                   "X-Unscatter-Reason: original Message-ID <a@b> not in the sent record (12\n"
                   " entries)\n");
  g_free (h);

  g_ptr_array_add (v.reasons, g_strdup ("evil\r\nBcc: victim@example.com\r\n\r\nbody \x01\x7f caf\xc3\xa9 "
                                        "<averyveryveryveryveryveryveryveryveryveryveryveryveryveryveryverylongid@example.org>"));
  GString *big = g_string_new (NULL);
  while (big->len < 10000)
    g_string_append (big, "word ");
  g_ptr_array_add (v.reasons, g_string_free (big, FALSE));
  h = usc_verdict_header_block (&v, b);
  g_assert_true (g_str_has_prefix (h, "X-Unscatter-Verdict: backscatter (dsn)\nX-Unscatter-Reason: "));
  g_assert_true (g_str_has_suffix (h, "\n"));
  g_assert_cmpuint (strlen (h), <, 2000);
  char **lines = g_strsplit (h, "\n", -1);
  guint n = g_strv_length (lines);
  g_assert_cmpstr (lines[n - 1], ==, ""); /* ends in \n */
  for (guint i = 0; i + 1 < n; i++) {
    const char *l = lines[i];
    g_assert_cmpuint (strlen (l), >, 0);
    if (i >= 2)
      g_assert_true (l[0] == ' '); /* continuation */
    for (const char *p = l; *p; p++)
      g_assert_true (*p >= 0x20 && *p < 0x7f);
    if (i >= 2 && strlen (l) > 78)
      g_assert_null (strchr (l + 1, ' ')); /* only an unbreakable word is longer */
  }
  g_assert_null (strstr (h, "\nBcc:"));
  g_strfreev (lines);
  g_free (h);
  g_ptr_array_unref (v.reasons);
  usc_bounce_free (&b);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_mime_init ();
  char now[32];
  g_snprintf (now, sizeof now, "%d", T0 + D);
  g_setenv ("UNSCATTER_NOW", now, TRUE);
  tmpdir = g_dir_make_tmp ("test-verdict-XXXXXX", NULL);

  GError *e = NULL;
  char *p = g_build_filename (tmpdir, "full.db", NULL);
  full = usc_record_open (p, NULL, &e);
  g_assert_no_error (e);
  g_free (p);
  static const struct { const char *id; const char *rcpt; gint64 date; } sent[] = {
    { "sent1@me.example", "bob@example.net", T0 },
    { NULL, "noid@example.net", T0 },
    { "sent2@me.example", "carol@example.com", T0 - 3 * D },
    { "import@me.example", "old@example.com", T0 - 60 * D },  /* an old Sent folder */
  };
  for (gsize i = 0; i < G_N_ELEMENTS (sent); i++) {
    const char *rc[] = { sent[i].rcpt, NULL };
    UscSentMessage m = { sent[i].id, rc, sent[i].date, T0, NULL };
    g_assert_cmpint (usc_record_add (full, &m, &e), ==, 1);
  }
  p = g_build_filename (tmpdir, "empty.db", NULL);
  empty = usc_record_open (p, NULL, &e);
  g_assert_no_error (e);
  g_free (p);

  g_test_add_func ("/verdict/table", test_table);
  g_test_add_func ("/verdict/actions", test_actions);
  g_test_add_func ("/verdict/record-error", test_record_error);
  g_test_add_func ("/verdict/batv", test_batv);
  g_test_add_func ("/verdict/header-block", test_header_block);
  int rc = g_test_run ();
  usc_record_close (&full);
  usc_record_close (&empty);
  char *cmd = g_strdup_printf ("rm -rf '%s'", tmpdir);
  if (system (cmd) != 0 && rc == 0)
    rc = 1;
  g_free (cmd);
  g_free (tmpdir);
  return rc;
}
