/* usc-config.c — configuration from a GKeyFile (unscatter.conf(5)).
 *
 * Every setting has a default, so no file is needed. The file is checked
 * strictly: an unknown group or key, or a value that does not parse, is an
 * error (USC_ERROR_CONFIG) naming the file, the group and the key, so that a
 * typo never silently changes what happens to mail. Settings are described
 * in one static table.
 */
#include "config.h"
#include "usc-config.h"
#include "usc-redis.h"
#include "usc-maildir.h"

#include <errno.h>
#include <string.h>

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
  c->record_timeout_ms = 200;
  c->recipient_window_days = 7;
  c->action[USC_VERDICT_BACKSCATTER] = USC_ACTION_FILE;
  c->folder = g_strdup ("Backscatter");
  c->sendmail = g_strdup (USC_DEFAULT_SENDMAIL);
  c->log_syslog = TRUE;
  c->max_decisions = 200000;
  c->sent_folder_max_ms = 50;
  usc_limits_init (&c->limits);
  return c;
}

typedef enum {
  T_PATH,     /* a file name; "~/" expands to the home directory */
  T_STRING,   /* a non-empty string */
  T_FOLDER,   /* a Maildir++ folder name */
  T_UINT,     /* unsigned integer in [min, max] */
  T_SIZE,     /* bytes, with optional k / M / G suffix, in [min, max] */
  T_DOUBLE,   /* seconds, in [min, max] */
  T_BOOL,     /* true/false/yes/no/on/off/1/0 */
  T_ACTION,   /* deliver / file / discard */
  T_BACKEND   /* sqlite / redis (a gboolean: redis) */
} SettingType;

typedef struct {
  const char *group;
  const char *key;
  SettingType type;
  gsize       offset;
  double      min, max;
} Setting;

#define OFF(field) G_STRUCT_OFFSET (UscConfig, field)

static const Setting settings[] = {
  { "record",   "path",                  T_PATH,   OFF (record_path), 0, 0 },
  { "record",   "expire_days",           T_UINT,   OFF (expire_days), 1, 36500 },
  { "record",   "busy_timeout",          T_DOUBLE, OFF (busy_timeout), 0, 3600 },
  { "record",   "backend",               T_BACKEND, OFF (record_redis), 0, 0 },
  { "record",   "url",                   T_STRING, OFF (record_url), 0, 0 },
  { "record",   "password_file",         T_PATH,   OFF (record_password_file), 0, 0 },
  { "record",   "user",                  T_STRING, OFF (record_user), 0, 0 },
  { "record",   "timeout_ms",            T_UINT,   OFF (record_timeout_ms), 1, 60000 },
  { "record",   "prefix",                T_STRING, OFF (record_prefix), 0, 0 },
  { "record",   "max_decisions",         T_UINT,   OFF (max_decisions), 0, 100000000 },
  { "report",   "internal_hosts",        T_STRING, OFF (internal_hosts), 0, 0 },
  { "report",   "geoip",                 T_PATH,   OFF (geoip), 0, 0 },
  { "record",   "sent_folder",           T_PATH,   OFF (sent_folder), 0, 0 },
  { "record",   "sent_folder_max_ms",    T_UINT,   OFF (sent_folder_max_ms), 1, 60000 },
  { "sign",     "header",                T_BOOL,   OFF (sign_header), 0, 0 },
  { "sign",     "require",               T_BOOL,   OFF (sign_require), 0, 0 },
  { "sign",     "keys",                  T_PATH,   OFF (sign_keys), 0, 0 },
  { "sign",     "msgid_domain",          T_STRING, OFF (msgid_domain), 0, 0 },
  { "verdict",  "recipient_window_days", T_UINT,   OFF (recipient_window_days), 0, 365 },
  { "actions",  "not-bounce",            T_ACTION, OFF (action[USC_VERDICT_NOT_BOUNCE]), 0, 0 },
  { "actions",  "legitimate",            T_ACTION, OFF (action[USC_VERDICT_LEGITIMATE]), 0, 0 },
  { "actions",  "backscatter",           T_ACTION, OFF (action[USC_VERDICT_BACKSCATTER]), 0, 0 },
  { "actions",  "unknown",               T_ACTION, OFF (action[USC_VERDICT_UNKNOWN]), 0, 0 },
  { "actions",  "folder",                T_FOLDER, OFF (folder), 0, 0 },
  { "batv",     "keys",                  T_PATH,   OFF (batv_keys), 0, 0 },
  { "batv",     "require",               T_BOOL,   OFF (batv_require), 0, 0 },
  { "batv",     "sign",                  T_BOOL,   OFF (batv_sign), 0, 0 },
  { "sendmail", "path",                  T_PATH,   OFF (sendmail), 0, 0 },
  { "log",      "syslog",                T_BOOL,   OFF (log_syslog), 0, 0 },
  { "limits",   "max_bytes",             T_SIZE,   OFF (limits.max_bytes), 1024, 4.0 * 1024 * 1024 * 1024 },
  { "limits",   "max_header_bytes",      T_SIZE,   OFF (limits.max_header_bytes), 1024, 1024.0 * 1024 * 1024 },
  { "limits",   "max_headers",           T_UINT,   OFF (limits.max_headers), 10, 10000000 },
  { "limits",   "max_depth",             T_UINT,   OFF (limits.max_depth), 1, 10000 },
  { "limits",   "max_parts",             T_UINT,   OFF (limits.max_parts), 1, 10000000 },
  { "limits",   "max_seconds",           T_DOUBLE, OFF (limits.max_seconds), 0.1, 3600 },
};

static gboolean
known_group (const char *group)
{
  for (gsize i = 0; i < G_N_ELEMENTS (settings); i++)
    if (strcmp (settings[i].group, group) == 0)
      return TRUE;
  return FALSE;
}

static const Setting *
find_setting (const char *group, const char *key)
{
  for (gsize i = 0; i < G_N_ELEMENTS (settings); i++)
    if (strcmp (settings[i].group, group) == 0 && strcmp (settings[i].key, key) == 0)
      return &settings[i];
  return NULL;
}

static char *
expand_path (const char *v, const char *home)
{
  if (v[0] == '~' && (v[1] == '/' || v[1] == '\0'))
    return g_build_filename (home ? home : g_get_home_dir (), v + 1, NULL);
  return g_strdup (v);
}

/* Parse @v (trimmed) for @s into @c. FALSE with *@why_r (static) on a bad value. */
static gboolean
apply (UscConfig *c, const Setting *s, const char *v, const char *home, const char **why_r)
{
  gpointer field = G_STRUCT_MEMBER_P (c, s->offset);
  char *end = NULL;

  switch (s->type) {
  case T_PATH:
  case T_STRING:
    if (*v == '\0') {
      *why_r = "must not be empty";
      return FALSE;
    }
    g_free (*(char **) field);
    *(char **) field = s->type == T_PATH ? expand_path (v, home) : g_strdup (v);
    return TRUE;
  case T_FOLDER:
    /* What usc-maildir.c accepts (the same function): a name it refuses
     * would defer the mail. */
    if (!usc_maildir_folder_valid (v, why_r))
      return FALSE;
    g_free (*(char **) field);
    *(char **) field = g_strdup (v);
    return TRUE;
  case T_UINT:
  case T_SIZE: {
    if (!g_ascii_isdigit (*v)) {
      *why_r = s->type == T_SIZE ? "must be a number of bytes (suffix k, M or G allowed)" : "must be a whole number";
      return FALSE;
    }
    errno = 0;
    guint64 n = g_ascii_strtoull (v, &end, 10);
    if (s->type == T_SIZE && end && *end) {
      guint64 mult = 0;
      switch (*end) {
      case 'k': case 'K': mult = 1024; break;
      case 'm': case 'M': mult = 1024 * 1024; break;
      case 'g': case 'G': mult = 1024 * 1024 * 1024; break;
      }
      if (mult && (end[1] == '\0' || ((end[1] == 'b' || end[1] == 'B') && end[2] == '\0'))) {
        if (n > G_MAXUINT64 / mult)
          errno = ERANGE;
        n *= mult;
        end += strlen (end);
      }
    }
    if (errno || end == NULL || *end != '\0') {
      *why_r = s->type == T_SIZE ? "must be a number of bytes (suffix k, M or G allowed)" : "must be a whole number";
      return FALSE;
    }
    if ((double) n < s->min || (double) n > s->max) {
      *why_r = "is out of range";
      return FALSE;
    }
    if (s->type == T_SIZE)
      *(gsize *) field = (gsize) n;
    else
      *(guint *) field = (guint) n;
    return TRUE;
  }
  case T_DOUBLE: {
    double d = g_ascii_strtod (v, &end);
    if (end == v || *end != '\0' || !(d >= s->min && d <= s->max)) {
      *why_r = "must be a number of seconds in range";
      return FALSE;
    }
    *(double *) field = d;
    return TRUE;
  }
  case T_BOOL: {
    static const char *const yes[] = { "true", "yes", "on", "1" };
    static const char *const no[] = { "false", "no", "off", "0" };
    for (gsize i = 0; i < G_N_ELEMENTS (yes); i++)
      if (g_ascii_strcasecmp (v, yes[i]) == 0) {
        *(gboolean *) field = TRUE;
        return TRUE;
      }
    for (gsize i = 0; i < G_N_ELEMENTS (no); i++)
      if (g_ascii_strcasecmp (v, no[i]) == 0) {
        *(gboolean *) field = FALSE;
        return TRUE;
      }
    *why_r = "must be true or false";
    return FALSE;
  }
  case T_ACTION:
    for (UscAction a = USC_ACTION_DELIVER; a <= USC_ACTION_DISCARD; a++)
      if (g_ascii_strcasecmp (v, usc_action_name (a)) == 0) {
        *(UscAction *) field = a;
        return TRUE;
      }
    *why_r = "must be deliver, file or discard";
    return FALSE;
  case T_BACKEND:
    if (g_ascii_strcasecmp (v, "sqlite") == 0 || g_ascii_strcasecmp (v, "redis") == 0) {
      *(gboolean *) field = g_ascii_strcasecmp (v, "redis") == 0;
      return TRUE;
    }
    *why_r = "must be sqlite or redis";
    return FALSE;
  }
  *why_r = "unsupported";
  return FALSE;
}

static UscConfig *
load_file (const char *path, const char *home, GError **error)
{
  GKeyFile *kf = g_key_file_new ();
  GError *e = NULL;
  UscConfig *c = NULL;

  if (!g_key_file_load_from_file (kf, path, G_KEY_FILE_NONE, &e)) {
    g_set_error (error, USC_ERROR, USC_ERROR_CONFIG, "%s: %s", path, e->message);
    g_error_free (e);
    g_key_file_free (kf);
    return NULL;
  }
  c = usc_config_new_default ();
  gsize n_groups = 0;
  char **groups = g_key_file_get_groups (kf, &n_groups);
  for (gsize g = 0; g < n_groups; g++) {
    if (!known_group (groups[g])) {
      g_set_error (error, USC_ERROR, USC_ERROR_CONFIG, "%s: unknown group [%s]", path, groups[g]);
      goto fail;
    }
    gsize n_keys = 0;
    char **keys = g_key_file_get_keys (kf, groups[g], &n_keys, NULL);
    for (gsize k = 0; k < n_keys; k++) {
      const Setting *s = find_setting (groups[g], keys[k]);
      if (s == NULL) {
        g_set_error (error, USC_ERROR, USC_ERROR_CONFIG, "%s: [%s] unknown key '%s'",
                     path, groups[g], keys[k]);
        g_strfreev (keys);
        goto fail;
      }
      /* get_value, not get_string: no escape processing surprises in paths. */
      char *raw = g_key_file_get_value (kf, groups[g], keys[k], NULL);
      char *v = g_strstrip (raw ? raw : g_strdup (""));
      const char *why = NULL;
      if (!apply (c, s, v, home, &why)) {
        g_set_error (error, USC_ERROR, USC_ERROR_CONFIG, "%s: [%s] %s = '%s': %s",
                     path, groups[g], keys[k], v, why);
        g_free (v);
        g_strfreev (keys);
        goto fail;
      }
      g_free (v);
    }
    g_strfreev (keys);
  }
  g_strfreev (groups);
  g_key_file_free (kf);
  /* The record's settings together. */
  if (c->record_redis && c->record_url == NULL) {
    g_set_error (error, USC_ERROR, USC_ERROR_CONFIG, "%s: [record] backend = redis needs url", path);
    usc_config_free (&c);
    return NULL;
  }
  if (!c->record_redis && c->record_url) {
    g_set_error (error, USC_ERROR, USC_ERROR_CONFIG, "%s: [record] url is for backend = redis", path);
    usc_config_free (&c);
    return NULL;
  }
  if (c->record_url) {
    GError *e2 = NULL;
    UscRedisUrl *u = usc_redis_url_parse (c->record_url, &e2);
    if (u == NULL) {
      g_set_error (error, USC_ERROR, USC_ERROR_CONFIG, "%s: [record] url: %s", path, e2->message);
      g_error_free (e2);
      usc_config_free (&c);
      return NULL;
    }
    usc_redis_url_free (&u);
  }
  if (c->record_prefix) {
    GError *e2 = NULL;
    char *pre = usc_redis_expand_prefix (c->record_prefix, "user", &e2);
    if (pre == NULL) {
      g_set_error (error, USC_ERROR, USC_ERROR_CONFIG, "%s: [record] prefix: %s", path, e2->message);
      g_error_free (e2);
      usc_config_free (&c);
      return NULL;
    }
    g_free (pre);
  }
  return c;

fail:
  g_strfreev (groups);
  g_key_file_free (kf);
  usc_config_free (&c);
  return NULL;
}

UscConfig *
usc_config_load_for_home (const char *path, const char *home, GError **error)
{
  if (path != NULL)
    return load_file (path, home, error);
  char *def = home ? g_build_filename (home, ".config", "unscatter", "config", NULL)
                   : g_build_filename (g_get_user_config_dir (), "unscatter", "config", NULL);
  UscConfig *c;
  if (g_file_test (def, G_FILE_TEST_EXISTS))
    c = load_file (def, home, error);
  else
    c = usc_config_new_default ();
  g_free (def);
  return c;
}

UscConfig *
usc_config_load (const char *path, GError **error)
{
  return usc_config_load_for_home (path, NULL, error);
}

void
usc_config_free (UscConfig **config)
{
  if (config == NULL || *config == NULL)
    return;
  g_free ((*config)->record_path);
  g_free ((*config)->record_url);
  g_free ((*config)->record_password_file);
  g_free ((*config)->record_user);
  g_free ((*config)->record_prefix);
  g_free ((*config)->folder);
  g_free ((*config)->batv_keys);
  g_free ((*config)->sendmail);
  g_free ((*config)->internal_hosts);
  g_free ((*config)->geoip);
  g_free ((*config)->sent_folder);
  g_free ((*config)->sign_keys);
  g_free ((*config)->msgid_domain);
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
  if (usc_config_record (config))
    return g_strdup (usc_config_record (config));
  return g_build_filename (g_get_user_data_dir (), "unscatter", "record.db", NULL);
}

const char *
usc_config_record (const UscConfig *config)
{
  if (config == NULL)
    return NULL;
  return config->record_redis ? config->record_url : config->record_path;
}
