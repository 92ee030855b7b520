/* cmd-check.c — `unscatter check [--json] [--explain] [FILE...]`: classify each
 * message (stdin when no FILE), one line per message.
 * Exit: 0 when every message is backscatter, 1 otherwise (including any
 * error: a message we could not judge is kept), 2 usage.
 */
#include "config.h"
#include "cli.h"
#include "usc-json.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* Everything printed for a human goes through put(): text from the message
 * (decoded encoded-words, DSN fields, file names) may hold CR/LF, ESC, BEL,
 * other controls or invalid UTF-8, which would forge lines or drive the
 * terminal (usc_display_escape). */
static void
put (const char *s)
{
  char *e = usc_display_escape (s, -1);
  fputs (e, stdout);
  g_free (e);
}

/* "  LABEL          VALUE\n" with VALUE escaped. */
static void
put_field (const char *label, const char *value)
{
  printf ("  %-15s", label);
  put (value);
  putchar ('\n');
}

static void
print_list (const char *label, const GPtrArray *arr)
{
  if (arr == NULL || arr->len == 0)
    return;
  printf ("  %-15s", label);
  for (guint i = 0; i < arr->len; i++) {
    if (i)
      fputs (", ", stdout);
    put (arr->pdata[i]);
  }
  putchar ('\n');
}

static void
print_explain (const UscResult *r)
{
  const UscBounce *b = r->bounce;
  const UscVerdict *v = r->verdict;
  if (b->message_ids->len) {
    printf ("  original ids:  ");
    for (guint i = 0; i < b->message_ids->len; i++) {
      fputs (i ? ", <" : "<", stdout);
      put (b->message_ids->pdata[i]);
      fputs ("> (from ", stdout);
      put (b->id_sources->pdata[i]);
      putchar (')');
    }
    putchar ('\n');
  }
  print_list ("recipients:", b->recipients);
  print_list ("status:", b->status);
  print_list ("diagnostic:", b->diagnostics);
  if (b->envelope_id)
    put_field ("envelope id:", b->envelope_id);
  if (b->envelope_sender)
    put_field ("orig. sender:", b->envelope_sender);
  if (b->subject)
    put_field ("orig. subject:", b->subject);
  if (b->date)
    put_field ("orig. date:", b->date);
  if (b->reporting_mta || b->mta_family) {
    char *s = g_strdup_printf ("%s%s%s%s", b->reporting_mta ? b->reporting_mta : "?",
                               b->mta_family ? " (" : "", b->mta_family ? b->mta_family : "",
                               b->mta_family ? ")" : "");
    put_field ("reported by:", s);
    g_free (s);
  }
  if (r->envelope.recipient) {
    char *s = g_strdup_printf ("%s (%s)", r->envelope.recipient, r->envelope.recipient_source);
    put_field ("delivered to:", s);
    g_free (s);
  }
  if (v->batv_checked && v->batv.status != USC_BATV_NONE) {
    char *s = g_strdup_printf ("%s: %s", v->batv.tag ? v->batv.tag : "", usc_batv_status_reason (v->batv.status));
    put_field ("batv:", s);
    g_free (s);
  }
  print_list ("payload:", b->payload_types);
  print_list ("detected:", b->notes);
  for (guint i = 0; i < v->reasons->len; i++)
    put_field (i ? "" : "because:", v->reasons->pdata[i]);
}

/* Returns TRUE when the message is backscatter. */
static gboolean
check_one (CliContext *ctx, const char *file, gboolean json, gboolean explain,
           const char *opt_rcpt, const char *opt_sender)
{
  GError *error = NULL;
  UscMessage *msg;
  const UscLimits *limits = &ctx->config->limits;

  cli_set_watchdog (limits->max_seconds * 2 + 1, CLI_EX_NO);
  if (strcmp (file, "-") == 0)
    msg = usc_message_read_fd (0, limits, &error);
  else
    msg = usc_message_read_path (file, limits, &error);

  UscResult r = { 0 };
  gboolean ok = msg != NULL && usc_classify (ctx->usc, msg, opt_rcpt, opt_sender, &r, &error);
  gboolean backscatter = FALSE;
  if (!ok) {
    if (json) {
      GString *o = g_string_new ("{\"file\": ");
      usc_json_append_string (o, file);
      g_string_append (o, ", \"verdict\": \"unknown\", \"kind\": null, \"action\": \"deliver\", \"error\": ");
      usc_json_append_string (o, error ? error->message : "unknown error");
      g_string_append (o, "}");
      printf ("%s\n", o->str);
      g_string_free (o, TRUE);
    } else {
      put (file);
      fputs (": error\n", stdout);
    }
    cli_error (file, error);
  } else {
    backscatter = r.verdict->verdict == USC_VERDICT_BACKSCATTER;
    if (json) {
      char *line = usc_json_result (file, r.bounce, r.verdict);
      printf ("%s\n", line);
      g_free (line);
    } else {
      put (file);
      printf (": %s %s %s\n", usc_verdict_name (r.verdict->verdict),
              usc_kind_name (r.bounce->kind), usc_action_name (r.verdict->action));
      if (explain)
        print_explain (&r);
    }
  }
  fflush (stdout);
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
  GOptionEntry entries[] = {
    { "json", 'j', 0, G_OPTION_ARG_NONE, &json, "one JSON object per message", NULL },
    { "explain", 'e', 0, G_OPTION_ARG_NONE, &explain, "show the evidence behind each verdict", NULL },
    { "recipient", 'r', 0, G_OPTION_ARG_STRING, &opt_rcpt, "envelope recipient of the delivery", "ADDR" },
    { "sender", 's', 0, G_OPTION_ARG_STRING, &opt_sender, "envelope sender of the delivery", "ADDR" },
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
    return CLI_EX_USAGE;
  }
  g_option_context_free (oc);
  if (!cli_context_init (&ctx, &error)) {
    cli_error ("check", error);
    g_error_free (error);
    cli_context_clear (&ctx);
    return CLI_EX_NO;
  }

  gboolean all = TRUE;
  if (argc <= 1) {
    all = check_one (&ctx, "-", json, explain, opt_rcpt, opt_sender);
  } else {
    for (int i = 1; i < argc; i++)
      all &= check_one (&ctx, argv[i], json, explain, opt_rcpt, opt_sender);
  }
  cli_context_clear (&ctx);
  g_free (opt_rcpt);
  g_free (opt_sender);
  return all ? CLI_EX_OK : CLI_EX_NO;
}
