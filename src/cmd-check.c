/* cmd-check.c — `unscatter check [--json] [--explain] [FILE...]`: classify each
 * message (stdin when no FILE), one line per message.
 * Exit: 0 when every message is backscatter, 1 otherwise (including any
 * error: a message we could not judge is kept), 2 usage.
 * A batch of several files is shared among `--jobs` worker processes
 * (default: the CPUs; cli-jobs.c); what each message prints is gathered per
 * message and written in input order, so the output is the same bytes
 * whatever the number of jobs.
 */
#include "config.h"
#include "cli.h"
#include "usc-json.h"
#include "cli-jobs.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* Everything printed for a human goes through put(): text from the message
 * (decoded encoded-words, DSN fields, file names) may hold CR/LF, ESC, BEL,
 * other controls or invalid UTF-8, which would forge lines or drive the
 * terminal (usc_display_escape). */
static void
put (GString *out, const char *s)
{
  char *e = usc_display_escape (s, -1);
  g_string_append (out, e);
  g_free (e);
}

/* "  LABEL          VALUE\n" with VALUE escaped. */
static void
put_field (GString *out, const char *label, const char *value)
{
  g_string_append_printf (out, "  %-15s", label);
  put (out, value);
  g_string_append_c (out, '\n');
}

static void
print_list (GString *out, const char *label, const GPtrArray *arr)
{
  if (arr == NULL || arr->len == 0)
    return;
  g_string_append_printf (out, "  %-15s", label);
  for (guint i = 0; i < arr->len; i++) {
    if (i)
      g_string_append (out, ", ");
    put (out, arr->pdata[i]);
  }
  g_string_append_c (out, '\n');
}

static void
print_explain (GString *out, const UscResult *r)
{
  const UscBounce *b = r->bounce;
  const UscVerdict *v = r->verdict;
  if (b->message_ids->len) {
    g_string_append (out, "  original ids:  ");
    for (guint i = 0; i < b->message_ids->len; i++) {
      g_string_append (out, i ? ", <" : "<");
      put (out, b->message_ids->pdata[i]);
      g_string_append (out, "> (from ");
      put (out, b->id_sources->pdata[i]);
      g_string_append_c (out, ')');
    }
    g_string_append_c (out, '\n');
  }
  print_list (out, "recipients:", b->recipients);
  print_list (out, "status:", b->status);
  print_list (out, "diagnostic:", b->diagnostics);
  if (b->envelope_id)
    put_field (out, "envelope id:", b->envelope_id);
  if (b->envelope_sender)
    put_field (out, "orig. sender:", b->envelope_sender);
  if (b->subject)
    put_field (out, "orig. subject:", b->subject);
  if (b->date)
    put_field (out, "orig. date:", b->date);
  if (b->reporting_mta || b->mta_family) {
    char *s = g_strdup_printf ("%s%s%s%s", b->reporting_mta ? b->reporting_mta : "?",
                               b->mta_family ? " (" : "", b->mta_family ? b->mta_family : "",
                               b->mta_family ? ")" : "");
    put_field (out, "reported by:", s);
    g_free (s);
  }
  if (r->envelope.recipient) {
    char *s = g_strdup_printf ("%s (%s)", r->envelope.recipient, r->envelope.recipient_source);
    put_field (out, "delivered to:", s);
    g_free (s);
  }
  if (v->batv_checked && v->batv.status != USC_BATV_NONE) {
    char *s = g_strdup_printf ("%s: %s", v->batv.tag ? v->batv.tag : "", usc_batv_status_reason (v->batv.status));
    put_field (out, "batv:", s);
    g_free (s);
  }
  for (guint i = 0; i < b->payloads->len; i++) {
    char *d = usc_payload_describe (b->payloads->pdata[i]);
    put_field (out, i ? "" : "payload:", d);
    g_free (d);
  }
  print_list (out, "detected:", b->notes);
  for (guint i = 0; i < v->reasons->len; i++)
    put_field (out, i ? "" : "because:", v->reasons->pdata[i]);
}

/* How a check run ended, and its exit status (the one place it is mapped):
 * 0 when every message is backscatter, 1 otherwise or when the setup
 * failed (a message we could not judge is kept), 2 for a usage error. */
typedef enum { CHECK_ALL_BACKSCATTER, CHECK_NOT_ALL, CHECK_SETUP_FAILED, CHECK_USAGE } CheckEnd;

static int
check_exit (CheckEnd end)
{
  switch (end) {
  case CHECK_ALL_BACKSCATTER:
    return CLI_EX_OK;
  case CHECK_USAGE:
    return CLI_EX_USAGE;
  case CHECK_NOT_ALL:
  case CHECK_SETUP_FAILED:
  default:
    return CLI_EX_NO;
  }
}

typedef struct {
  CliContext *ctx;
  gboolean json, explain;
  const char *rcpt, *sender;
} CheckArgs;

/* Classify @file; what it prints goes to @out (stdout) and @err (stderr).
 * Returns TRUE when the message is backscatter. */
static gboolean
check_one (gpointer data, const char *file, GString *out, GString *err)
{
  const CheckArgs *a = data;
  GError *error = NULL;
  UscMessage *msg;
  const UscLimits *limits = &a->ctx->config->limits;

  cli_set_watchdog (limits->max_seconds * 2 + 1, CLI_EX_NO);
  if (strcmp (file, "-") == 0)
    msg = usc_message_read_fd (0, limits, &error);
  else
    msg = usc_message_read_path (file, limits, &error);

  UscResult r = { 0 };
  gboolean ok = msg != NULL && usc_classify (a->ctx->usc, msg, a->rcpt, a->sender, &r, &error);
  gboolean backscatter = FALSE;
  if (!ok) {
    if (a->json) {
      g_string_append (out, "{\"file\": ");
      usc_json_append_string (out, file);
      g_string_append (out, ", \"verdict\": \"unknown\", \"kind\": null, \"action\": \"deliver\", \"error\": ");
      usc_json_append_string (out, error ? error->message : "unknown error");
      g_string_append (out, "}\n");
    } else {
      put (out, file);
      g_string_append (out, ": error\n");
    }
    cli_error_append (err, file, error);
  } else {
    backscatter = r.verdict->verdict == USC_VERDICT_BACKSCATTER;
    if (a->json) {
      char *line = usc_json_result (file, r.bounce, r.verdict);
      g_string_append (out, line);
      g_string_append_c (out, '\n');
      g_free (line);
    } else {
      put (out, file);
      g_string_append_printf (out, ": %s %s %s\n", usc_verdict_name (r.verdict->verdict),
                              usc_kind_name (r.bounce->kind), usc_action_name (r.verdict->action));
      if (a->explain)
        print_explain (out, &r);
    }
  }
  cli_set_watchdog (0, 0);
  usc_result_clear (&r);
  usc_message_free (&msg);
  g_clear_error (&error);
  return backscatter;
}

int
cmd_check (int argc, char **argv)
{
  CliContext ctx = { 0 };
  gboolean json = FALSE, explain = FALSE;
  char *opt_rcpt = NULL, *opt_sender = NULL;
  gint jobs = -1;
  GOptionEntry entries[] = {
    { "json", 'j', 0, G_OPTION_ARG_NONE, &json, "one JSON object per message", NULL },
    { "explain", 'e', 0, G_OPTION_ARG_NONE, &explain, "show the evidence behind each verdict", NULL },
    { "recipient", 'r', 0, G_OPTION_ARG_STRING, &opt_rcpt, "envelope recipient of the delivery", "ADDR" },
    { "sender", 's', 0, G_OPTION_ARG_STRING, &opt_sender, "envelope sender of the delivery", "ADDR" },
    { "jobs", 0, 0, G_OPTION_ARG_INT, &jobs, "worker processes for a batch (default: the CPUs)", "N" },
    { NULL }
  };
  GOptionContext *oc = g_option_context_new ("[FILE...] — classify messages (stdin when no FILE)");
  g_option_context_add_main_entries (oc, entries, NULL);
  cli_add_common_options (oc, &ctx);
  GError *error = NULL;
  if (!g_option_context_parse (oc, &argc, &argv, &error)) {
    cli_error ("check", error);
    g_error_free (error);
    g_option_context_free (oc);
    return check_exit (CHECK_USAGE);
  }
  g_option_context_free (oc);
  if (jobs == -1) {
    /* One message (a delivery's check) runs in this process: the CPUs are
     * not counted for it (it costs /sys reads). */
    jobs = argc > 2 ? (gint) g_get_num_processors () : 1;
  } else if (jobs < 1) {
    fprintf (stderr, "unscatter: check: --jobs must be at least 1\n");
    g_free (opt_rcpt);
    g_free (opt_sender);
    cli_context_clear (&ctx);
    return check_exit (CHECK_USAGE);
  }
  if (!cli_context_init (&ctx, &error)) {
    cli_error ("check", error);
    g_error_free (error);
    cli_context_clear (&ctx);
    return check_exit (CHECK_SETUP_FAILED);
  }

  CheckArgs a = { &ctx, json, explain, opt_rcpt, opt_sender };
  static const char *const stdin_only[] = { "-" };
  const char *const *files = argc <= 1 ? stdin_only : (const char *const *) argv + 1;
  guint nfiles = argc <= 1 ? 1 : (guint) argc - 1;
  gboolean all = cli_jobs_run (files, nfiles, (guint) jobs, check_one, &a);
  cli_context_clear (&ctx);
  g_free (opt_rcpt);
  g_free (opt_sender);
  return check_exit (all ? CHECK_ALL_BACKSCATTER : CHECK_NOT_ALL);
}
