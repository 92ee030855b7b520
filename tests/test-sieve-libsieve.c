/* test-sieve-libsieve.c — unit tests for unscatter-sieve's modules
 * (sieve-ext/libsieve/; GTest, table-driven): what the script sees
 * (usv-view: synthetic fields, forged ones hidden, the null sender), scripts
 * run through libsieve in this process (usv-run: actions, parse errors
 * counted, a fresh context each time so nothing carries over), the child's
 * report (usv-child: round trip, garbled reports refused, a crash and a
 * time-out seen as such) and the plan (usv-plan: implicit keep, discard,
 * refused redirect, errors keep).
 */
#include "config.h"
#include <gmime/gmime.h>
#include <glib/gstdio.h>
#include <string.h>
#include "usc-classify.h"
#include "usv-view.h"
#include "usv-run.h"
#include "usv-child.h"
#include "usv-plan.h"

static char *home;

#define DSN \
  "From: MAILER-DAEMON@mx.example.net\nTo: me@me.example\nSubject: Undelivered Mail Returned to Sender\n" \
  "X-Unscatter-Verdict: legitimate\n" \
  "Date: Mon, 01 Jan 2024 10:05:00 +0000\nMessage-ID: <dsn-1@mx.example.net>\nMIME-Version: 1.0\n" \
  "Content-Type: multipart/report; report-type=delivery-status; boundary=\"b\"\n\n" \
  "--b\nContent-Type: text/plain\n\nYour message could not be delivered.\n\n" \
  "--b\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx.example.net\n\n" \
  "Final-Recipient: rfc822; bob@example.net\nAction: failed\nStatus: 5.1.1\n\n" \
  "--b\nContent-Type: message/rfc822\n\nMessage-ID: <orig-1@me.example>\nFrom: me@me.example\nTo: bob@example.net\n" \
  "Date: Mon, 01 Jan 2024 10:00:00 +0000\nSubject: hello\n\nhi\n--b--\n"

#define HAM "From: Bob <bob@example.net>\nTo: me@me.example\nSubject: =?UTF-8?Q?caf=C3=A9?= at\n noon\n" \
  "Message-ID: <ham@example.net>\nX-Unscatter-Kind: forged\n\nsee you\n"

/* A view of @text classified for the envelope @rcpt / @sender. */
static UsvView *
view_of (const char *text, const char *rcpt, const char *sender)
{
  GError *error = NULL;
  UscContext *ctx = usc_context_new (home, NULL, NULL, &error);
  g_assert_no_error (error);
  UscMessage *msg = usc_message_new_from_data (text, strlen (text), NULL, &error);
  g_assert_no_error (error);
  UscResult r = { 0 };
  g_assert_true (usc_classify (ctx, msg, rcpt, sender, &r, &error));
  g_assert_no_error (error);
  UsvView *v = usv_view_new (msg->mime, &r, strlen (text));
  usc_result_clear (&r);
  usc_message_free (&msg);
  usc_context_free (&ctx);
  return v;
}

/* ---- the view ---- */

static void
test_view (void)
{
  UsvView *v = view_of (DSN, "me@me.example", "");
  char **f = usv_view_header (v, "x-unscatter-verdict");
  g_assert_nonnull (f);
  g_assert_cmpstr (f[0], ==, "unknown");   /* no record: no evidence */
  g_assert_null (f[1]);                    /* the message's own (forged) one is hidden */
  g_assert_cmpstr (usv_view_header (v, "X-UNSCATTER-KIND")[0], ==, "dsn");
  g_assert_nonnull (strstr (usv_view_header (v, "X-Unscatter-Reason")[0], "record"));
  g_assert_cmpstr (usv_view_header (v, "X-Unscatter-Envelope-From")[0], ==, "<>");
  g_assert_cmpstr (usv_view_header (v, "X-Unscatter-Envelope-To")[0], ==, "<me@me.example>");
  g_assert_cmpstr (usv_view_sender (v), ==, "");
  g_assert_cmpstr (usv_view_recipient (v), ==, "me@me.example");
  g_assert_cmpstr (usv_view_header (v, "subject")[0], ==, "Undelivered Mail Returned to Sender");
  g_assert_null (usv_view_header (v, "X-No-Such-Field"));
  g_assert_cmpuint (usv_view_size (v), ==, strlen (DSN));
  usv_view_free (&v);
  g_assert_null (v);
  usv_view_free (&v);  /* accepts NULL */

  v = view_of (HAM, "me@me.example", "bob@example.net");
  g_assert_cmpstr (usv_view_header (v, "X-Unscatter-Verdict")[0], ==, "not-bounce");
  g_assert_cmpstr (usv_view_header (v, "X-Unscatter-Kind")[0], ==, "not-bounce");
  g_assert_null (usv_view_header (v, "X-Unscatter-Kind")[1]);
  g_assert_cmpstr (usv_view_header (v, "X-Unscatter-Envelope-From")[0], ==, "<bob@example.net>");
  /* RFC 2047 decoded, unfolded. */
  g_assert_cmpstr (usv_view_header (v, "Subject")[0], ==, "caf\303\251 at noon");
  usv_view_free (&v);
}

/* ---- scripts through libsieve ---- */

typedef struct {
  const char *name;
  const char *script;
  const char *message;
  const char *sender;
  const char *actions;     /* "keep", "fileinto:X", "discard", "refused:...", space-separated */
  guint       parse_errors;
} RunCase;

static const RunCase run_cases[] = {
  { "empty", "", HAM, "bob@example.net", "", 0 },
  { "keep", "keep;", HAM, "bob@example.net", "keep", 0 },
  { "discard", "discard;", HAM, "bob@example.net", "discard", 0 },
  { "fileinto-verdict",
    "require \"fileinto\";\nif header :is \"X-Unscatter-Verdict\" \"unknown\" { fileinto \"Unknown\"; }",
    DSN, "", "fileinto:Unknown", 0 },
  { "forged-verdict-hidden",
    "require \"fileinto\";\nif header :is \"X-Unscatter-Verdict\" \"legitimate\" { fileinto \"Forged\"; }",
    DSN, "", "", 0 },
  { "kind",
    "require \"fileinto\";\nif header :is \"X-Unscatter-Kind\" [\"dsn\", \"autoreply\"] { fileinto \"Bounces\"; stop; }\nkeep;",
    DSN, "", "fileinto:Bounces", 0 },
  { "null-sender-header",
    "require \"fileinto\";\nif header :is \"X-Unscatter-Envelope-From\" \"<>\" { fileinto \"Null\"; }",
    DSN, "", "fileinto:Null", 0 },
  /* The trap the synthetic field is for: libsieve's envelope test never
   * matches the null sender. */
  { "null-sender-envelope-trap",
    "require [\"fileinto\", \"envelope\"];\nif envelope :is \"from\" \"\" { fileinto \"Null\"; }",
    DSN, "", "", 0 },
  { "envelope-from",
    "require [\"fileinto\", \"envelope\"];\nif envelope :matches \"from\" \"*@example.net\" { fileinto \"Net\"; }",
    HAM, "bob@example.net", "fileinto:Net", 0 },
  { "envelope-to",
    "require [\"fileinto\", \"envelope\"];\nif envelope :is \"to\" \"me@me.example\" { fileinto \"Me\"; }",
    HAM, "bob@example.net", "fileinto:Me", 0 },
  { "address",
    "require \"fileinto\";\nif address :is \"from\" \"bob@example.net\" { fileinto \"Bob\"; }",
    HAM, "bob@example.net", "fileinto:Bob", 0 },
  /* libsieve 2.2.6: :localpart and :domain never match (documented in
   * unscatter-sieve(1); use :matches "*@domain"). */
  { "address-part-trap",
    "require [\"fileinto\", \"envelope\"];\nif anyof (address :domain :is \"from\" \"example.net\",\n"
    " envelope :localpart :is \"from\" \"bob\") { fileinto \"Bob\"; }",
    HAM, "bob@example.net", "", 0 },
  { "redirect-refused", "redirect \"elsewhere@example.com\";", HAM, "bob@example.net",
    "refused:redirect to <elsewhere@example.com>", 0 },
  { "syntax-error", "require \"fileinto\";\nif true {\n fileinto \"a\"\n}\n", HAM, "bob@example.net", "", 1 },
  { "vacation-unsupported", "require \"vacation\";\nvacation \"away\";", HAM, "bob@example.net", "", 1 },
  { "reject-unsupported", "require \"reject\";\nreject \"no\";", HAM, "bob@example.net", "", 1 },
  { "notify-unsupported", "require \"notify\";\nnotify \"x\";", HAM, "bob@example.net", "", 1 },
  { "fileinto-unrequired", "fileinto \"a\";", HAM, "bob@example.net", "", 1 },
};

static char *
actions_string (const UsvOutcome *o)
{
  GString *s = g_string_new (NULL);
  for (guint i = 0; i < o->actions->len; i++) {
    const UsvAction *a = &g_array_index (o->actions, UsvAction, i);
    static const char *const names[] = { "keep", "discard", "fileinto", "refused" };
    g_string_append_printf (s, "%s%s%s%s", s->len ? " " : "", names[a->type], a->arg ? ":" : "",
                            a->arg ? a->arg : "");
  }
  return g_string_free (s, FALSE);
}

static void
check_run (const RunCase *c, gboolean isolated)
{
  UsvView *v = view_of (c->message, "me@me.example", c->sender);
  UsvOutcome o;
  usv_outcome_init (&o);
  if (isolated)
    usv_run_isolated (c->script, v, 10, &o);
  else
    usv_run (c->script, v, &o);
  g_assert_cmpint (o.status, ==, USV_STATUS_DONE);
  char *got = actions_string (&o);
  g_assert_cmpstr (got, ==, c->actions);
  g_assert_cmpuint (o.parse_errors->len, ==, c->parse_errors);
  g_free (got);
  usv_outcome_clear (&o);
  usv_view_free (&v);
}

static void
test_run (void)
{
  /* Twice over, in one process: a fresh context each time, so a script's
   * errors or actions never reach the next run. */
  for (int round = 0; round < 2; round++)
    for (gsize i = 0; i < G_N_ELEMENTS (run_cases); i++) {
      g_test_message ("run %s (round %d)", run_cases[i].name, round);
      check_run (&run_cases[i], FALSE);
    }
}

static void
test_run_isolated (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (run_cases); i++) {
    g_test_message ("isolated %s", run_cases[i].name);
    check_run (&run_cases[i], TRUE);
  }
}

/* The parse error says where. */
static void
test_parse_error_text (void)
{
  UsvView *v = view_of (HAM, NULL, NULL);
  UsvOutcome o;
  usv_outcome_init (&o);
  usv_run ("keep;\nif true {\n keep\n}\n", v, &o);
  g_assert_cmpuint (o.parse_errors->len, ==, 1);
  g_assert_true (g_str_has_prefix (o.parse_errors->pdata[0], "line 4: "));
  usv_outcome_clear (&o);
  usv_view_free (&v);
}

/* ---- the child ---- */

/* libsieve 2.2.6 reads an uninitialised pointer for envelope "auth": with
 * the child's stack poisoned, it faults; where the slot may hold a value of
 * an earlier call of the same run (after another test or action: it depends
 * on the build, ASan or not), it may not, but the part was seen and the run
 * failed. Either way nothing of the script's actions is acted on. */
#define CRASHED_OR_FAILED ((UsvStatus) -1)
static const struct {
  const char *script;
  UsvStatus   status;
} crash_cases[] = {
  { "require \"envelope\";\nif envelope :is \"auth\" \"\" { discard; }\nkeep;", USV_STATUS_CRASHED },
  { "require \"envelope\";\nif envelope :is \"auth\" \"x\" { discard; }\nkeep;", USV_STATUS_CRASHED },
  { "require \"envelope\";\nif envelope :matches \"auth\" \"*\" { discard; }\nkeep;", USV_STATUS_CRASHED },
  { "require \"envelope\";\nif envelope :contains [\"auth\", \"from\"] \"zzz\" { discard; }\nkeep;", USV_STATUS_CRASHED },
  { "require [\"envelope\", \"fileinto\"];\nfileinto \"A\";\nif envelope :is \"AUTH\" \"\" { discard; }", CRASHED_OR_FAILED },
  { "require \"envelope\";\nif envelope :contains [\"from\", \"auth\"] \"zzz\" { discard; }\nkeep;", CRASHED_OR_FAILED },
};

static void
test_crash (void)
{
  UsvView *v = view_of (HAM, "me@me.example", "bob@example.net");
  for (gsize i = 0; i < G_N_ELEMENTS (crash_cases); i++) {
    UsvOutcome o;
    usv_outcome_init (&o);
    usv_run_isolated (crash_cases[i].script, v, 10, &o);
    g_test_message ("crash %" G_GSIZE_FORMAT ": status %d (%s)", i, o.status,
                    o.status_detail ? o.status_detail : "");
    if (crash_cases[i].status == CRASHED_OR_FAILED)
      g_assert_true (o.status == USV_STATUS_CRASHED || o.status == USV_STATUS_DONE);
    else
      g_assert_cmpint (o.status, ==, crash_cases[i].status);
    if (o.status == USV_STATUS_CRASHED) {
      g_assert_nonnull (strstr (o.status_detail, "signal 11"));
      g_assert_cmpuint (o.actions->len, ==, 0);
    } else {
      g_assert_cmpuint (o.runtime_errors->len, ==, 1);
      g_assert_nonnull (strstr (o.runtime_errors->pdata[0], "\"auth\"") ?
                        o.runtime_errors->pdata[0] : strstr (o.runtime_errors->pdata[0], "\"AUTH\""));
    }
    UsvPlan plan = { 0 };
    usv_plan_make (&o, &plan);
    g_assert_false (plan.discard);
    g_assert_cmpuint (plan.folders->len, ==, 1);
    g_assert_cmpstr (plan.folders->pdata[0], ==, "");
    usv_plan_clear (&plan);
    usv_outcome_clear (&o);
  }
  usv_view_free (&v);
}

static void
test_timeout (void)
{
  UsvView *v = view_of (HAM, NULL, NULL);
  UsvOutcome o;
  usv_outcome_init (&o);
  usv_run_isolated ("keep;", v, 0, &o);   /* no time at all */
  g_assert_cmpint (o.status, ==, USV_STATUS_TIMEOUT);
  g_assert_cmpuint (o.actions->len, ==, 0);
  usv_outcome_clear (&o);
  usv_view_free (&v);
}

static void
test_report (void)
{
  UsvOutcome a, b;
  usv_outcome_init (&a);
  usv_outcome_add_action (&a, USV_ACTION_KEEP, NULL);
  usv_outcome_add_action (&a, USV_ACTION_FILEINTO, "Lists.debian");
  usv_outcome_add_action (&a, USV_ACTION_DISCARD, NULL);
  usv_outcome_add_action (&a, USV_ACTION_REFUSED, "redirect to <x@y>");
  g_ptr_array_add (a.parse_errors, g_strdup ("line 1: x"));
  g_ptr_array_add (a.runtime_errors, g_strdup ("y"));
  a.rc = 5;
  GBytes *wire = usv_report_build (&a);
  gsize n = 0;
  const guint8 *p = g_bytes_get_data (wire, &n);

  usv_outcome_init (&b);
  b.status = USV_STATUS_FAILED;
  g_assert_true (usv_report_parse (p, n, &b));
  g_assert_cmpint (b.status, ==, USV_STATUS_DONE);
  g_assert_cmpint (b.rc, ==, 5);
  char *sa = actions_string (&a), *sb = actions_string (&b);
  g_assert_cmpstr (sa, ==, sb);
  g_assert_cmpstr (sb, ==, "keep fileinto:Lists.debian discard refused:redirect to <x@y>");
  g_assert_cmpstr (b.parse_errors->pdata[0], ==, "line 1: x");
  g_assert_cmpstr (b.runtime_errors->pdata[0], ==, "y");
  g_free (sa);
  g_free (sb);
  usv_outcome_clear (&b);

  /* Every cut short of the end record is refused. */
  for (gsize cut = 0; cut < n; cut++) {
    usv_outcome_init (&b);
    g_assert_false (usv_report_parse (p, cut, &b));
    usv_outcome_clear (&b);
  }
  /* Trailing bytes, an unknown record, a length past the end, a NUL in a name. */
  static const struct { const char *bytes; gsize len; } bad[] = {
    { "Z\0\0\0\0010X", 7 },
    { "Q\0\0\0\0Z\0\0\0\0010", 12 },
    { "F\0\0\1\0abc", 8 },
    { "F\0\0\0\3a\0bZ\0\0\0\0010", 14 },
    { "Z\0\0\0\2-1", 7 },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++) {
    usv_outcome_init (&b);
    g_assert_false (usv_report_parse ((const guint8 *) bad[i].bytes, bad[i].len, &b));
    usv_outcome_clear (&b);
  }
  g_bytes_unref (wire);
  usv_outcome_clear (&a);
}

/* ---- the plan ---- */

typedef struct {
  const char *name;
  UsvStatus   status;
  int         rc;
  const char *actions;      /* as run_cases' */
  guint       parse_errors;
  const char *folders;      /* "|"-joined, "" the inbox, "-" discard */
  guint       notes;
} PlanCase;

static const PlanCase plan_cases[] = {
  { "implicit keep", USV_STATUS_DONE, 0, "", 0, "", 0 },
  { "keep", USV_STATUS_DONE, 0, "keep", 0, "", 0 },
  { "keep twice", USV_STATUS_DONE, 0, "keep keep", 0, "", 0 },
  { "fileinto", USV_STATUS_DONE, 0, "fileinto:Backscatter", 0, "Backscatter", 0 },
  { "fileinto INBOX is keep", USV_STATUS_DONE, 0, "fileinto:inbox keep", 0, "", 0 },
  { "fileinto and keep", USV_STATUS_DONE, 0, "fileinto:A keep fileinto:A", 0, "A|", 0 },
  { "discard", USV_STATUS_DONE, 0, "discard", 0, "-", 0 },
  { "discard then fileinto", USV_STATUS_DONE, 0, "discard fileinto:A", 0, "A", 0 },
  { "redirect refused keeps", USV_STATUS_DONE, 0, "refused:redirect", 0, "", 1 },
  { "redirect and discard keeps", USV_STATUS_DONE, 0, "refused:redirect discard", 0, "", 1 },
  { "parse error keeps", USV_STATUS_DONE, 0, "", 2, "", 3 },
  { "libsieve error keeps", USV_STATUS_DONE, 5, "fileinto:A", 0, "", 1 },
  { "crash keeps", USV_STATUS_CRASHED, 0, "", 0, "", 1 },
  { "timeout keeps", USV_STATUS_TIMEOUT, 0, "", 0, "", 1 },
  { "failure keeps", USV_STATUS_FAILED, 0, "", 0, "", 1 },
};

static void
test_plan (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (plan_cases); i++) {
    const PlanCase *c = &plan_cases[i];
    g_test_message ("plan: %s", c->name);
    UsvOutcome o;
    usv_outcome_init (&o);
    o.status = c->status;
    o.rc = c->rc;
    if (c->status != USV_STATUS_DONE)
      o.status_detail = g_strdup ("detail");
    char **acts = g_strsplit (c->actions, " ", -1);
    for (char **a = acts; *a; a++) {
      if (**a == '\0')
        continue;
      char *colon = strchr (*a, ':');
      const char *arg = colon ? colon + 1 : NULL;
      if (colon)
        *colon = '\0';
      UsvActionType t = strcmp (*a, "keep") == 0 ? USV_ACTION_KEEP
                      : strcmp (*a, "discard") == 0 ? USV_ACTION_DISCARD
                      : strcmp (*a, "fileinto") == 0 ? USV_ACTION_FILEINTO : USV_ACTION_REFUSED;
      usv_outcome_add_action (&o, t, arg);
    }
    g_strfreev (acts);
    for (guint k = 0; k < c->parse_errors; k++)
      g_ptr_array_add (o.parse_errors, g_strdup_printf ("line %u: bad", k + 1));

    UsvPlan plan = { 0 };
    usv_plan_make (&o, &plan);
    char *got;
    if (plan.discard) {
      g_assert_cmpuint (plan.folders->len, ==, 0);
      got = g_strdup ("-");
    } else {
      g_ptr_array_add (plan.folders, NULL);
      got = g_strjoinv ("|", (char **) plan.folders->pdata);
      g_ptr_array_remove_index (plan.folders, plan.folders->len - 1);
    }
    g_assert_cmpstr (got, ==, c->folders);
    g_assert_cmpuint (plan.notes->len, ==, c->notes);
    g_free (got);
    usv_plan_clear (&plan);
    usv_outcome_clear (&o);
  }
}

/* libsieve 2.2.6 leaks what it parsed when a script has errors (its trees
 * are not freed): in unscatter-sieve that happens in the evaluating child,
 * which _exit()s; here usv_run() also runs in-process. LeakSanitizer (the
 * --enable-sanitizers build) reads this hook: leaks whose allocation
 * passes through libsieve (our callbacks' few allocations too: the valgrind
 * run, whose suppression takes only allocations made by libsieve itself,
 * checks those). Unused without ASan. */
const char *__lsan_default_suppressions (void);
const char *
__lsan_default_suppressions (void)
{
  return "leak:libsieve.so\n";
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_mime_init ();
  home = g_dir_make_tmp ("usc-test-sieve-XXXXXX", NULL);
  g_assert_nonnull (home);
  g_test_add_func ("/sieve-libsieve/view", test_view);
  g_test_add_func ("/sieve-libsieve/run", test_run);
  g_test_add_func ("/sieve-libsieve/run-isolated", test_run_isolated);
  g_test_add_func ("/sieve-libsieve/parse-error-text", test_parse_error_text);
  g_test_add_func ("/sieve-libsieve/crash", test_crash);
  g_test_add_func ("/sieve-libsieve/timeout", test_timeout);
  g_test_add_func ("/sieve-libsieve/report", test_report);
  g_test_add_func ("/sieve-libsieve/plan", test_plan);
  int rc = g_test_run ();
  char *cmd = g_strdup_printf ("rm -rf '%s'", home);
  if (system (cmd) != 0)
    rc = 1;
  g_free (cmd);
  g_free (home);
  g_mime_shutdown ();
  return rc;
}
