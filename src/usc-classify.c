/* usc-classify.c — the classification pipeline: a user's context (config,
 * record, BATV keys, opened lazily) and usc_classify(), which every front end
 * calls: usc_bounce_analyze() (what the message is), usc_envelope_find()
 * (whom it was delivered to, RFC 5321 envelope), the record and keys only
 * when it is a bounce, usc_verdict_decide() (what it means).
 */
#include "config.h"
#include "usc-classify.h"
#include "usc-common.h"
#include "usc-screen.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

struct _UscContext {
  UscConfig   *config;
  char        *home;          /* NULL: the process's user */
  char        *record_path;
  UscRecord   *record;
  gboolean     record_tried;
  gboolean     record_absent;
  UscBatvKeys *keys;
  gboolean     keys_tried;
};

UscContext *
usc_context_new (const char *home, const char *config_path, const char *record_path, GError **error)
{
  UscConfig *config = usc_config_load_for_home (config_path, home, error);
  if (config == NULL)
    return NULL;
  UscContext *ctx = g_new0 (UscContext, 1);
  ctx->config = config;
  ctx->home = g_strdup (home);
  if (home == NULL)
    ctx->record_path = usc_config_record_path (config, record_path);
  else if (record_path)
    ctx->record_path = g_strdup (record_path);
  else if (config->record_path)
    ctx->record_path = g_strdup (config->record_path);
  else
    ctx->record_path = g_build_filename (home, ".local", "share", "unscatter", "record.db", NULL);
  return ctx;
}

void
usc_context_free (UscContext **ctx)
{
  if (ctx == NULL || *ctx == NULL)
    return;
  usc_record_close (&(*ctx)->record);
  usc_batv_keys_free (&(*ctx)->keys);
  usc_config_free (&(*ctx)->config);
  g_free ((*ctx)->home);
  g_free ((*ctx)->record_path);
  g_free (*ctx);
  *ctx = NULL;
}

const UscConfig *
usc_context_config (const UscContext *ctx)
{
  return ctx->config;
}

const char *
usc_context_record_path (const UscContext *ctx)
{
  return ctx->record_path;
}

void
usc_context_close_record (UscContext *ctx)
{
  usc_record_close (&ctx->record);
  ctx->record_tried = FALSE;
}

gboolean
usc_context_record_absent (const UscContext *ctx)
{
  return ctx->record_absent;
}

UscRecord *
usc_context_record (UscContext *ctx, gboolean create, GError **error)
{
  if (ctx->record || (ctx->record_tried && !create))
    return ctx->record;
  ctx->record_tried = TRUE;
  const char *path = ctx->record_path;
  if (!create && !g_file_test (path, G_FILE_TEST_EXISTS)) {
    ctx->record_absent = TRUE;
    return NULL;
  }
  ctx->record_absent = FALSE;
  UscRecordOptions opts = { .busy_timeout = ctx->config->busy_timeout, .read_only = FALSE };
  GError *local = NULL;
  ctx->record = usc_record_open (path, &opts, &local);
  if (ctx->record == NULL && !create && access (path, W_OK) != 0
      && (errno == EACCES || errno == EPERM || errno == EROFS)) {
    /* A record we may not write (read-only file or file system) can still
     * be read: judge with it rather than defer the mail until it bounces. */
    opts.read_only = TRUE;
    ctx->record = usc_record_open (path, &opts, NULL);
    if (ctx->record != NULL)
      g_clear_error (&local);
  }
  if (local) {
    /* Name the record once: the backend's message may already hold it. */
    if (strstr (local->message, path) == NULL)
      g_prefix_error (&local, "record %s: ", path);
    else if (!g_str_has_prefix (local->message, "record "))
      g_prefix_error (&local, "record ");
    g_propagate_error (error, local);
  }
  return ctx->record;
}

UscBatvKeys *
usc_context_keys (UscContext *ctx, GError **error)
{
  if (ctx->keys_tried)
    return ctx->keys;
  ctx->keys_tried = TRUE;
  char *path;
  if (ctx->config->batv_keys)
    path = g_strdup (ctx->config->batv_keys);
  else if (ctx->home)
    path = g_build_filename (ctx->home, ".config", "unscatter", "batv-keys", NULL);
  else
    path = g_build_filename (g_get_user_config_dir (), "unscatter", "batv-keys", NULL);
  if (ctx->config->batv_keys || g_file_test (path, G_FILE_TEST_EXISTS))
    ctx->keys = usc_batv_keys_load (path, error);
  g_free (path);
  return ctx->keys;
}

gboolean
usc_classify (UscContext *ctx, UscMessage *msg, const char *recipient, const char *sender,
              UscResult *r, GError **error)
{
  memset (r, 0, sizeof *r);
  r->bounce = usc_screen (msg);  /* most ordinary mail: told from its header */
  if (r->bounce == NULL)
    r->bounce = usc_bounce_analyze (msg, error);
  if (r->bounce == NULL)
    return FALSE;
  usc_envelope_find (&r->envelope, msg, recipient, sender);

  UscRecord *record = NULL;
  UscBatvKeys *keys = NULL;
  GError *local = NULL;
  if (r->bounce->kind != USC_KIND_NOT_BOUNCE) {
    record = usc_context_record (ctx, FALSE, &local);
    if (local == NULL)
      keys = usc_context_keys (ctx, &local);
  }
  if (local == NULL)
    r->verdict = usc_verdict_decide (r->bounce, &r->envelope, record, keys, ctx->config, &local);
  if (local) {
    g_propagate_error (error, local);
    usc_result_clear (r);
    return FALSE;
  }
  return TRUE;
}

void
usc_result_clear (UscResult *r)
{
  if (r == NULL)
    return;
  usc_bounce_free (&r->bounce);
  usc_envelope_clear (&r->envelope);
  usc_verdict_free (&r->verdict);
}

gboolean
usc_error_is_unjudgeable (const GError *error)
{
  return error && error->domain == USC_ERROR
         && (error->code == USC_ERROR_PARSE || error->code == USC_ERROR_LIMIT);
}

GBytes *
usc_result_header_fields (const UscResult *r, const UscMessage *msg)
{
  char *block = usc_verdict_header_block (r->verdict, r->bounce);
  const char *eol = msg->raw_eol ? msg->raw_eol : "\n";
  if (strcmp (eol, "\n") == 0)
    return g_bytes_new_take (block, strlen (block));
  GString *s = g_string_sized_new (strlen (block) + 16);
  for (const char *p = block; *p; p++) {
    if (*p == '\n')
      g_string_append (s, eol);
    else if (*p != '\r')
      g_string_append_c (s, *p);
  }
  g_free (block);
  gsize n = s->len;
  return g_bytes_new_take (g_string_free (s, FALSE), n);
}

gboolean
usc_context_count_decision (UscContext *ctx, const UscResult *r, GError **error)
{
  if (r == NULL || r->verdict == NULL || r->bounce == NULL)
    return TRUE;
  GError *local = NULL;
  UscRecord *record = usc_context_record (ctx, FALSE, &local);
  if (record == NULL) {
    if (local == NULL)
      return TRUE;
    g_propagate_error (error, local);
    return FALSE;
  }
  return usc_record_log_decision (record, usc_now (), usc_verdict_name (r->verdict->verdict),
                                  usc_kind_name (r->bounce->kind), error) >= 0;
}

char *
usc_result_summary (const UscResult *r)
{
  if (r == NULL || r->verdict == NULL || r->bounce == NULL)
    return g_strdup ("verdict=- kind=- id=- action=-");
  char id[200] = "-";
  if (r->bounce->message_ids->len) {
    const char *s = r->bounce->message_ids->pdata[0];
    gsize n = 0;
    for (; s[n] && n < sizeof id - 1; n++)
      id[n] = (s[n] > 0x20 && s[n] < 0x7f) ? s[n] : '?';
    id[n] = '\0';
  }
  return g_strdup_printf ("verdict=%s kind=%s id=%s action=%s", usc_verdict_name (r->verdict->verdict),
                          usc_kind_name (r->bounce->kind), id, usc_action_name (r->verdict->action));
}
