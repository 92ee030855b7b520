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
#include <pwd.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct _UscContext {
  UscConfig   *config;
  char        *home;          /* NULL: the process's user */
  char        *record_path;
  char        *user_name;     /* whose record (the Redis key prefix's %u), found when a Redis
                                 record is opened (a passwd look-up a SQLite record does not need) */
  UscRecord   *record;
  gboolean     record_tried;
  gboolean     record_absent;
  UscBatvKeys *keys;
  gboolean     keys_tried;
  UscBatvKeys *sign_keys;     /* [sign] keys when set */
  gboolean     sign_keys_tried;
  gboolean     sent_pending;  /* a Sent folder import is unfinished */
  char        *sent_folder;   /* the first unfinished one, for the reason */
};

/* The login name of @home's owner (the user a long-lived process delivers
 * for), or the process's user. */
static char *
home_owner (const char *home)
{
  struct stat st;
  if (home != NULL && stat (home, &st) == 0 && st.st_uid != geteuid ()) {
    struct passwd pw, *res = NULL;
    char buf[4096];
    if (getpwuid_r (st.st_uid, &pw, buf, sizeof buf, &res) == 0 && res != NULL)
      return g_strdup (res->pw_name);
  }
  return g_strdup (g_get_user_name ());
}

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
  else if (usc_config_record (config))
    ctx->record_path = g_strdup (usc_config_record (config));
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
  usc_batv_keys_free (&(*ctx)->sign_keys);
  usc_config_free (&(*ctx)->config);
  g_free ((*ctx)->home);
  g_free ((*ctx)->record_path);
  g_free ((*ctx)->user_name);
  g_free ((*ctx)->sent_folder);
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
  gboolean redis = usc_record_is_redis_url (path);
  if (!create && !redis && !g_file_test (path, G_FILE_TEST_EXISTS)) {
    ctx->record_absent = TRUE;
    return NULL;
  }
  ctx->record_absent = FALSE;
  if (redis && ctx->user_name == NULL)
    ctx->user_name = home_owner (ctx->home);
  UscRecordOptions opts = {
    .busy_timeout = ctx->config->busy_timeout,
    .read_only = FALSE,
    .if_exists = !create,
    .expire_days = ctx->config->expire_days,
    .timeout_ms = ctx->config->record_timeout_ms,
    .password_file = ctx->config->record_password_file,
    .user = ctx->config->record_user,
    .prefix = ctx->config->record_prefix,
    .user_name = ctx->user_name,
  };
  GError *local = NULL;
  ctx->record = usc_record_open (path, &opts, &local);
  if (ctx->record == NULL && local == NULL) {
    /* A Redis record nobody has created yet. */
    ctx->record_absent = TRUE;
    return NULL;
  }
  if (ctx->record == NULL && !create && !redis && access (path, W_OK) != 0
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

UscBatvKeys *
usc_context_sign_keys (UscContext *ctx, GError **error)
{
  if (ctx->config->sign_keys == NULL)
    return usc_context_keys (ctx, error);
  if (!ctx->sign_keys_tried) {
    ctx->sign_keys_tried = TRUE;
    ctx->sign_keys = usc_batv_keys_load (ctx->config->sign_keys, error);
  }
  return ctx->sign_keys;
}

gboolean
usc_context_import_sent (UscContext *ctx, const char *maildir, UscSentdirStats *stats, GError **error)
{
  const UscConfig *c = ctx->config;
  if (maildir == NULL)
    return TRUE;
  gint64 deadline = 0;
  GPtrArray *folders = usc_sentdir_find (maildir, c->sent_folder);
  gboolean ok = TRUE;
  for (guint i = 0; i < folders->len && ok; i++) {
    const char *folder = folders->pdata[i];
    UscRecord *record = NULL;
    GError *local = NULL;
    /* No record yet: only a folder with files makes one. */
    if (ctx->record == NULL && !usc_record_is_redis_url (ctx->record_path)
        && !g_file_test (ctx->record_path, G_FILE_TEST_EXISTS)
        && !usc_sentdir_nonempty (folder))
      continue;
    record = usc_context_record (ctx, TRUE, &local);
    /* The bound counts from the open record: opening it is the decision's
     * cost, paid by every bounce anyway. */
    if (deadline == 0)
      deadline = usc_now_monotonic () + (gint64) c->sent_folder_max_ms * 1000;
    if (record != NULL
        && usc_sentdir_import (record, folder, deadline, c->busy_timeout, stats, &local) == 0) {
      if (stats->pending && !ctx->sent_pending) {
        ctx->sent_pending = TRUE;
        ctx->sent_folder = g_strdup (folder);
      }
      continue;
    }
    /* Unavailable or failed: the decision then meets the record as it
     * would have without the import. */
    if (!ctx->sent_pending) {
      ctx->sent_pending = TRUE;
      ctx->sent_folder = g_strdup (folder);
    }
    stats->pending = TRUE;
    usc_context_close_record (ctx);
    ctx->record_absent = FALSE;
    g_prefix_error (&local, "Sent folder %s: ", folder);
    g_propagate_error (error, local);
    ok = FALSE;
  }
  g_ptr_array_unref (folders);
  return ok;
}

/* The first external relay of a bounce (for the report). */
static void
find_relay (UscContext *ctx, UscMessage *msg, UscResult *r)
{
  UscInternal *in = usc_internal_new (NULL);
  const char *rcpt = r->envelope.recipient;
  const char *at = rcpt ? strrchr (rcpt, '@') : NULL;
  if (at && at[1])
    usc_internal_add (in, at + 1);
  if (ctx->config->internal_hosts) {
    char **w = g_strsplit_set (ctx->config->internal_hosts, " \t,;", -1);
    for (guint i = 0; w[i]; i++)
      if (*w[i])
        usc_internal_add (in, w[i]);
    g_strfreev (w);
  }
  usc_received_first_external_of (msg->mime, in, &r->relay);
  usc_internal_free (&in);
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
  UscBatvKeys *keys = NULL, *sign_keys = NULL;
  GError *local = NULL;
  if (r->bounce->kind != USC_KIND_NOT_BOUNCE) {
    record = usc_context_record (ctx, FALSE, &local);
    if (local == NULL)
      keys = usc_context_keys (ctx, &local);
    if (local == NULL)
      sign_keys = usc_context_sign_keys (ctx, &local);
  }
  if (local == NULL)
    r->verdict = usc_verdict_decide_signed (r->bounce, &r->envelope, record, keys, sign_keys,
                                            ctx->config, &local);
  if (local == NULL && ctx->sent_pending && r->verdict->verdict == USC_VERDICT_BACKSCATTER
      && r->verdict->record_size >= 0) {
    /* A miss in the record while the Sent folder is not read to the end. */
    char *why = g_strdup_printf ("but the Sent folder %s is not fully read yet (the rest at the next "
                                 "deliveries): a miss in the record proves nothing until then",
                                 ctx->sent_folder ? ctx->sent_folder : "?");
    usc_verdict_override (r->verdict, USC_VERDICT_UNKNOWN, ctx->config, why);
    g_free (why);
  }
  if (local == NULL && r->bounce->kind != USC_KIND_NOT_BOUNCE)
    find_relay (ctx, msg, r);
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
  usc_received_hop_clear (&r->relay);
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

/* Count @d in the SQLite record's decision spool (usc-record-spool.c): no
 * need to open the record, which ordinary mail never does otherwise. TRUE
 * when counted (or when there is no record: nothing is counted then, as
 * before the spool); FALSE when the spool cannot be used. The delivery that
 * makes the spool due folds it into the record; a failed fold is left to
 * the next one (the decision is counted either way). */
static gboolean
count_in_spool (UscContext *ctx, const UscDecision *d)
{
  const char *path = ctx->record_path;
  if (usc_record_is_redis_url (path))
    return FALSE;
  if (ctx->record == NULL && (ctx->record_absent || !g_file_test (path, G_FILE_TEST_EXISTS)))
    return TRUE;
  int rc = usc_record_spool_decision (path, d, ctx->config->max_decisions, ctx->config->busy_timeout,
                                      NULL);
  if (rc > 0) {
    UscRecord *record = usc_context_record (ctx, FALSE, NULL);
    if (record != NULL)
      usc_record_fold_spool (record, NULL);
  }
  return rc >= 0;
}

gboolean
usc_context_count_decision (UscContext *ctx, const UscResult *r, GError **error)
{
  if (r == NULL || r->verdict == NULL || r->bounce == NULL)
    return TRUE;
  UscDecision d;
  char **owned = NULL;
  usc_result_decision (r, usc_now (), &d, &owned);
  gboolean ok = count_in_spool (ctx, &d);
  if (!ok) {
    /* A Redis record, or a spool we may not write: in the record itself. */
    GError *local = NULL;
    UscRecord *record = usc_context_record (ctx, FALSE, &local);
    if (record != NULL)
      ok = usc_record_add_decision (record, &d, ctx->config->max_decisions, &local) >= 0;
    else
      ok = local == NULL;
    if (local)
      g_propagate_error (error, local);
  }
  g_strfreev (owned);
  return ok;
}

void
usc_result_decision (const UscResult *r, gint64 now, UscDecision *d, char ***owned_r)
{
  memset (d, 0, sizeof *d);
  d->time = now;
  d->verdict = usc_verdict_name (r->verdict ? r->verdict->verdict : USC_VERDICT_UNKNOWN);
  d->kind = usc_kind_name (r->bounce ? r->bounce->kind : USC_KIND_NOT_BOUNCE);
  GPtrArray *owned = g_ptr_array_new ();
  const UscBounce *b = r->bounce;
  if (b) {
    d->reporting_mta = b->reporting_mta;
    d->mta_family = b->mta_family;
    d->recipient = b->recipients->len ? b->recipients->pdata[0] : NULL;
    /* The address the original claimed to be from: its returned envelope
     * sender, else the address the bounce came to; without a BATV tag. */
    const char *from = b->envelope_sender ? b->envelope_sender : r->envelope.recipient;
    if (from && *from) {
      UscBatvResult br = { 0 };
      if (usc_batv_verify (NULL, from, now, &br) != USC_BATV_NONE && br.address) {
        char *plain = usc_ascii_lower (br.address);
        g_ptr_array_add (owned, plain);
        d->forged_sender = plain;
      } else {
        char *lower = usc_ascii_lower (from);
        g_ptr_array_add (owned, lower);
        d->forged_sender = lower;
      }
      usc_batv_result_clear (&br);
    }
    /* What the attachments really are: the executable parts' types when
     * there are any (issue 12 §1), else every type less returned messages
     * and text (a bounce's ordinary content, not a payload). */
    GString *p = g_string_new (NULL);
    GPtrArray *seen = g_ptr_array_new ();
    for (guint i = 0; b->executable && i < b->payloads->len; i++) {
      const UscPayload *pl = b->payloads->pdata[i];
      gboolean dup = FALSE;
      for (guint k = 0; k < seen->len; k++)
        dup |= strcmp (seen->pdata[k], pl->found_type) == 0;
      if (!pl->executable || dup)
        continue;
      g_ptr_array_add (seen, pl->found_type);
      g_string_append_printf (p, "%s%s", p->len ? ", " : "", pl->found_type);
    }
    g_ptr_array_unref (seen);
    gboolean dangerous = p->len > 0;
    for (guint i = 0; !dangerous && i < b->payload_types->len; i++) {
      const char *t = b->payload_types->pdata[i];
      if (g_str_has_prefix (t, "message/") || g_str_has_prefix (t, "text/"))
        continue;
      g_string_append_printf (p, "%s%s", p->len ? ", " : "", t);
    }
    if (p->len) {
      d->payload = p->str;
      g_ptr_array_add (owned, g_string_free (p, FALSE));
    } else {
      g_string_free (p, TRUE);
    }
  }
  if (r->verdict && r->verdict->reasons->len)
    d->reason = r->verdict->reasons->pdata[0];
  d->relay_host = usc_received_hop_host (&r->relay);
  d->relay_ip = r->relay.ip;
  g_ptr_array_add (owned, NULL);
  *owned_r = (char **) g_ptr_array_free (owned, FALSE);
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
