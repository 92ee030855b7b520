/* usc-config.h — configuration from a GKeyFile (unscatter.conf(5)). No file is
 * needed: every setting has a default.
 */
#ifndef USC_CONFIG_H
#define USC_CONFIG_H

#include <glib.h>
#include "usc-message.h"

G_BEGIN_DECLS

typedef enum { USC_ACTION_DELIVER = 0, USC_ACTION_FILE, USC_ACTION_DISCARD } UscAction;
const char *usc_action_name (UscAction a); /* "deliver" "file" "discard" (static) */

typedef enum {
  USC_VERDICT_NOT_BOUNCE = 0,
  USC_VERDICT_LEGITIMATE,
  USC_VERDICT_BACKSCATTER,
  USC_VERDICT_UNKNOWN,
  USC_VERDICT_COUNT
} UscVerdictKind;
const char *usc_verdict_name (UscVerdictKind v); /* "not-bounce" "legitimate" "backscatter" "unknown" (static) */

typedef struct {
  char     *record_path;        /* [record] path; NULL: the default path */
  guint     expire_days;        /* [record] expire_days, default 180 */
  double    busy_timeout;       /* [record] busy_timeout seconds, default 10 */
  gboolean  record_redis;       /* [record] backend = redis (default sqlite) */
  char     *record_url;         /* [record] url: the Redis server (backend = redis) */
  char     *record_password_file; /* [record] password_file (mode 0600), NULL: no AUTH */
  char     *record_user;        /* [record] user: the Redis ACL user, NULL: default */
  guint     record_timeout_ms;  /* [record] timeout_ms, default 200 */
  char     *record_prefix;      /* [record] prefix, NULL: "unscatter:{%u}:" */
  guint     recipient_window_days; /* [verdict] recipient_window_days, default 7 */
  UscAction action[USC_VERDICT_COUNT]; /* [actions] not-bounce/legitimate/backscatter/unknown */
  char     *folder;             /* [actions] folder, default "Backscatter" */
  char     *batv_keys;          /* [batv] keys file; NULL: $XDG_CONFIG_HOME/unscatter/batv-keys */
  gboolean  batv_require;       /* [batv] require, default false */
  gboolean  batv_sign;          /* [batv] sign, default false */
  char     *sendmail;           /* [sendmail] path, default USC_DEFAULT_SENDMAIL */
  gboolean  log_syslog;         /* [log] syslog, default true */
  guint     max_decisions;      /* [record] max_decisions: decision-log rows kept, default 200000 (0: no cap) */
  char     *internal_hosts;     /* [report] internal_hosts: the user's own domains and IP prefixes
                                   (space/comma separated; usc-received.h), or NULL */
  char     *geoip;              /* [report] geoip: a GeoIP database file, or NULL (the usual places) */
  char     *sent_folder;        /* [record] sent_folder: NULL the usual names, "none", a name or path */
  guint     sent_folder_max_ms; /* [record] sent_folder_max_ms, default 50 */
  gboolean  sign_header;        /* [sign] header, default false */
  gboolean  sign_require;       /* [sign] require, default false */
  char     *sign_keys;          /* [sign] keys; NULL: the BATV keys */
  char     *msgid_domain;       /* [sign] msgid_domain; NULL: the host name */
  UscLimits limits;             /* [limits] max_bytes, max_header_bytes, max_headers, max_depth, max_seconds */
} UscConfig;

/* Load @path, or (when @path is NULL) $XDG_CONFIG_HOME/unscatter/config if it
 * exists. An explicitly named file must exist. Unknown keys are errors
 * (USC_ERROR_CONFIG) so that typos are seen. Free with usc_config_free(). */
UscConfig *usc_config_load (const char *path, GError **error);
/* The same for another user's @home (a long-lived process delivering for
 * many users, e.g. Dovecot's LMTP): @path NULL means
 * @home/.config/unscatter/config, and "~/" in paths expands to @home. With
 * @home NULL this is usc_config_load(). */
UscConfig *usc_config_load_for_home (const char *path, const char *home, GError **error);
UscConfig *usc_config_new_default (void);
void usc_config_free (UscConfig **config);

/* The record path: @opt_db, else $UNSCATTER_DB, else the config's record
 * (url with backend = redis, else path), else
 * $XDG_DATA_HOME/unscatter/record.db. A path that is a Redis URL
 * (redis://, redis-cluster://, unix:) selects the Redis backend. Newly
 * allocated. */
char *usc_config_record_path (const UscConfig *config, const char *opt_db);

/* The config's own record (url with backend = redis, else path), or NULL
 * for the default. Owned by @config. */
const char *usc_config_record (const UscConfig *config);

G_END_DECLS
#endif
