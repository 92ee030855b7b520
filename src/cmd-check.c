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

static void
print_list (const char *label, const GPtrArray *arr)
{
  if (arr == NULL || arr->len == 0)
    return;
  printf ("  %-15s", label);
  for (guint i = 0; i < arr->len; i++)
    printf ("%s%s", i ? ", " : "", (const char *) arr->pdata[i]);
  printf ("\n");
}

static void
print_explain (const UscResult *r)
{
  const UscBounce *b = r->bounce;
  const UscVerdict *v = r->verdict;
  if (b->message_ids->len) {
    printf ("  original ids:  ");
    for (guint i = 0; i < b->message_ids->len; i++)
      printf ("%s<%s> (from %s)", i ? ", " : "", (const char *) b->message_ids->pdata[i],
              (const char *) b->id_sources->pdata[i]);
    printf ("\n");
  }
  print_list ("recipients:", b->recipients);
  print_list ("status:", b->status);
  print_list ("diagnostic:", b->diagnostics);
  if (b->envelope_id)
    printf ("  %-15s%s\n", "envelope id:", b->envelope_id);
  if (b->envelope_sender)
    printf ("  %-15s%s\n", "orig. sender:", b->envelope_sender);
  if (b->subject)
    printf ("  %-15s%s\n", "orig. subject:", b->subject);
  if (b->date)
    printf ("  %-15s%s\n", "orig. date:", b->date);
  if (b->reporting_mta || b->mta_family)
    printf ("  %-15s%s%s%s%s\n", "reported by:", b->reporting_mta ? b->reporting_mta : "?",
            b->mta_family ? " (" : "", b->mta_family ? b->mta_family : "", b->mta_family ? ")" : "");
  if (r->envelope.recipient)
    printf ("  %-15s%s (%s)\n", "delivered to:", r->envelope.recipient, r->envelope.recipient_source);
  if (v->batv_checked && v->batv.status != USC_BATV_NONE)
    printf ("  %-15s%s: %s\n", "batv:", v->batv.tag ? v->batv.tag : "", usc_batv_status_reason (v->batv.status));
  print_list ("payload:", b->payload_types);
  print_list ("detected:", b->notes);
  for (guint i = 0; i < v->reasons->len; i++)
    printf ("  %-15s%s\n", i ? "" : "because:", (const char *) v->reasons->pdata[i]);
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
      printf ("%s: error\n", file);
    }
    cli_error (file, error);
  } else {
    backscatter = r.verdict->verdict == USC_VERDICT_BACKSCATTER;
    if (json) {
      char *line = usc_json_result (file, r.bounce, r.verdict);
      printf ("%s\n", line);
      g_free (line);
    } else {
      printf ("%s: %s %s %s\n", file, usc_verdict_name (r.verdict->verdict),
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
