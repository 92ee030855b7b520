/* usc-config.c — configuration. (placeholder, being written) */
#include "config.h"
#include "usc-config.h"

const char *
usc_action_name (UscAction a)
{
  static const char *const n[] = { "deliver", "file", "discard" };
  return (guint) a < G_N_ELEMENTS (n) ? n[a] : "deliver";
}

const char *
usc_verdict_name (UscVerdictKind v)
{
  static const char *const n[] = { "not-bounce", "legitimate", "backscatter", "unknown" };
  return (guint) v < G_N_ELEMENTS (n) ? n[v] : "unknown";
}

UscConfig *
usc_config_new_default (void)
{
  UscConfig *c = g_new0 (UscConfig, 1);
  c->expire_days = 180;
  c->busy_timeout = 10;
  c->recipient_window_days = 7;
  c->action[USC_VERDICT_BACKSCATTER] = USC_ACTION_FILE;
  c->folder = g_strdup ("Backscatter");
  c->sendmail = g_strdup (USC_DEFAULT_SENDMAIL);
  c->log_syslog = TRUE;
  usc_limits_init (&c->limits);
  return c;
}

UscConfig *
usc_config_load (const char *path, GError **error)
{
  return usc_config_new_default ();
}

void
usc_config_free (UscConfig **config)
{
  if (config == NULL || *config == NULL)
    return;
  g_free ((*config)->record_path);
  g_free ((*config)->folder);
  g_free ((*config)->batv_keys);
  g_free ((*config)->sendmail);
  g_free (*config);
  *config = NULL;
}

char *
usc_config_record_path (const UscConfig *config, const char *opt_db)
{
  if (opt_db)
    return g_strdup (opt_db);
  const char *e = g_getenv ("UNSCATTER_DB");
  if (e && *e)
    return g_strdup (e);
  if (config && config->record_path)
    return g_strdup (config->record_path);
  return g_build_filename (g_get_user_data_dir (), "unscatter", "record.db", NULL);
}
