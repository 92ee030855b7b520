/* cli-delivery.c — what the delivery front ends (`filter`, `deliver`,
 * unscatter-sieve) share: their options and set-up (the user, the Maildir,
 * the config, the watchdog), and the skeleton: read the whole message from
 * stdin (no size limit: a message too big to judge must still be passed
 * on), parse it within the configured limits, classify it (usc_classify),
 * and make the two header fields that go into it.
 *
 * A message that cannot be judged (unparsable, over a size or header limit)
 * is not a failure of ours: the caller passes it on unchanged. Anything else
 * that fails (stdin, record, keys) is, and the caller defers.
 */
#include "config.h"
#include "cli.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

gboolean
cli_delivery_parse (CliDeliveryCmd *c, const char *name, gboolean delivers, const char *parameter,
                    int *argc, char ***argv)
{
  memset (c, 0, sizeof *c);
  c->name = name;
  c->delivers = delivers;
  GOptionEntry entries[] = {
    { "maildir", 'm', 0, G_OPTION_ARG_FILENAME, &c->opt_maildir,
      delivers ? "the Maildir to deliver to (default ~/Maildir)"
               : "the user's Maildir, whose Sent folder is read (default ~/Maildir when it is one)", "DIR" },
    { "recipient", 'r', 0, G_OPTION_ARG_STRING, &c->opt_rcpt, "envelope recipient of the delivery", "ADDR" },
    { "sender", 's', 0, G_OPTION_ARG_STRING, &c->opt_sender, "envelope sender of the delivery", "ADDR" },
    { "user", 'u', 0, G_OPTION_ARG_STRING, &c->opt_user,
      "as root: become this user before anything else (required as root unless the Maildir is root's)", "NAME" },
    { "help", 'h', 0, G_OPTION_ARG_NONE, &c->opt_help, "show this help (exit 75)", NULL },
    { NULL }
  };
  if (!delivers) {  /* no --user: filter stores nothing */
    entries[3] = entries[4];
    entries[4] = (GOptionEntry) { NULL };
  }
  c->oc = g_option_context_new (parameter);
  g_option_context_add_main_entries (c->oc, entries, NULL);
  /* GLib's own --help exits 0: the MTA (procmail) would take the message as
   * delivered (as this help text). Ours exits 75 like any usage error. */
  g_option_context_set_help_enabled (c->oc, FALSE);
  cli_add_common_options (c->oc, &c->ctx);
  GError *error = NULL;
  if (!g_option_context_parse (c->oc, argc, argv, &error)) {
    cli_error (name, error);
    g_clear_error (&error);
    return FALSE;
  }
  if (c->opt_help) {
    char *help = g_option_context_get_help (c->oc, FALSE, NULL);
    fputs (help, stdout);
    g_free (help);
    return FALSE;
  }
  return TRUE;
}

gboolean
cli_delivery_start (CliDeliveryCmd *c, guint rounds, double extra_seconds)
{
  GError *error = NULL;
  if (c->delivers) {
    /* Root: become the user named by --user before anything is opened (the
     * config, the record and the Maildir are then the user's); without it,
     * deliver only into a Maildir that is root's own. */
    if (c->opt_user && !cli_become_user (c->opt_user, &error))
      goto fail;
    c->maildir = cli_maildir_path (c->opt_maildir);
    if (c->opt_user == NULL && geteuid () == 0 && !cli_root_may_deliver (c->maildir, &error))
      goto fail;
  } else if (c->opt_maildir) {
    c->maildir = g_strdup (c->opt_maildir);
  } else {
    /* ~/Maildir when it is one (procmail's $MAILDIR is only its working
     * directory, often not a Maildir). */
    char *def = g_build_filename (g_get_home_dir (), "Maildir", NULL), *cur = g_build_filename (def, "cur", NULL);
    if (g_file_test (cur, G_FILE_TEST_IS_DIR))
      c->maildir = g_steal_pointer (&def);
    g_free (def);
    g_free (cur);
  }
  if (!cli_context_init (&c->ctx, &error))
    goto fail;
  const UscConfig *config = c->ctx.config;
  cli_set_watchdog (config->limits.max_seconds * rounds + config->busy_timeout * 2 + extra_seconds,
                    CLI_EX_TEMPFAIL);
  return TRUE;
fail:
  cli_error (c->name, error);
  g_clear_error (&error);
  return FALSE;
}

void
cli_delivery_cmd_clear (CliDeliveryCmd *c)
{
  g_clear_pointer (&c->oc, g_option_context_free);
  cli_context_clear (&c->ctx);
  g_clear_pointer (&c->opt_maildir, g_free);
  g_clear_pointer (&c->opt_rcpt, g_free);
  g_clear_pointer (&c->opt_sender, g_free);
  g_clear_pointer (&c->opt_user, g_free);
  g_clear_pointer (&c->maildir, g_free);
}

gboolean
cli_delivery_classify (CliContext *ctx, const char *name, const char *unjudged_action,
                       const char *maildir, const char *rcpt, const char *sender, CliDelivery *d,
                       GError **error)
{
  memset (d, 0, sizeof *d);
  const UscLimits *limits = &ctx->config->limits;
  GError *local = NULL;

  d->raw = usc_read_all (0, 0, &local);
  if (d->raw == NULL) {
    g_prefix_error (&local, "stdin: ");
    g_propagate_error (error, local);
    return FALSE;
  }
  if (maildir != NULL) {
    UscSentdirStats st = { 0 };
    if (!usc_context_import_sent (ctx->usc, maildir, &st, &local)) {
      fprintf (stderr, "unscatter: %s: warning: %s (delivery goes on)\n", name, local->message);
      g_clear_error (&local);
    }
    const char *v = g_getenv ("UNSCATTER_VERBOSE");
    if (v && *v && st.folders) {
      char *sum = usc_sentdir_summary (&st);
      fprintf (stderr, "unscatter: %s: Sent folder: %s\n", name, sum);
      g_free (sum);
    }
  }
  gsize rlen = 0;
  const char *rdata = g_bytes_get_data (d->raw, &rlen);
  d->from_end = usc_mbox_from_end (rdata, rlen);
  d->insert_at = usc_message_fields_offset (rdata, rlen);

  if (rlen > limits->max_bytes)
    g_set_error (&local, USC_ERROR, USC_ERROR_LIMIT,
                 "message of %" G_GSIZE_FORMAT " bytes exceeds the limit of %" G_GSIZE_FORMAT,
                 rlen, limits->max_bytes);
  else
    d->msg = usc_message_new_in_place (&d->raw, limits, &local); /* CRLF: no copy */
  if (d->msg)
    d->classified = usc_classify (ctx->usc, d->msg, rcpt, sender, &d->result, &local);
  if (d->classified)
    d->fields = usc_result_header_fields (&d->result, d->msg);
  /* the bytes as read again (CRs put back), for writing out */
  if (d->raw == NULL)
    d->raw = usc_message_raw_bytes (d->msg);
  if (d->classified) {
    d->lead = g_bytes_new_from_bytes (d->raw, d->from_end, d->insert_at - d->from_end);
    d->rest = g_bytes_new_from_bytes (d->raw, d->insert_at, rlen - d->insert_at);
    return TRUE;
  }
  d->rest = g_bytes_new_from_bytes (d->raw, d->from_end, rlen - d->from_end);
  if (!usc_error_is_unjudgeable (local)) {
    g_propagate_error (error, local);
    return FALSE;
  }
  char *m = usc_display_escape (local->message, -1);
  fprintf (stderr, "unscatter: %s: %s; %s\n", name, m, unjudged_action);
  g_free (m);
  g_clear_error (&local);
  return TRUE;
}

int
cli_delivery_exit (gboolean delivered)
{
  return delivered ? CLI_EX_OK : CLI_EX_TEMPFAIL;
}

void
cli_delivery_clear (CliDelivery *d)
{
  usc_result_clear (&d->result);
  usc_message_free (&d->msg);
  g_clear_pointer (&d->fields, g_bytes_unref);
  g_clear_pointer (&d->lead, g_bytes_unref);
  g_clear_pointer (&d->rest, g_bytes_unref);
  g_clear_pointer (&d->raw, g_bytes_unref);
}

guint
cli_delivery_chunks (const CliDelivery *d, const GBytes *chunks[3])
{
  if (!d->classified) {
    chunks[0] = d->rest;
    return 1;
  }
  chunks[0] = d->lead;
  chunks[1] = d->fields;
  chunks[2] = d->rest;
  return 3;
}
