/* usc-record.c — the sent-mail record. (placeholder, being written) */
#include "config.h"
#include "usc-record.h"

#define NOTYET(e) (g_set_error ((e), USC_ERROR, USC_ERROR_TEMPFAIL, "record: not implemented"), -1)

UscRecord *
usc_record_open (const char *path, const UscRecordOptions *options, GError **error)
{
  NOTYET (error);
  return NULL;
}
void usc_record_close (UscRecord **record) { if (record) *record = NULL; }
int usc_record_begin (UscRecord *r, GError **error) { return NOTYET (error); }
int usc_record_commit (UscRecord *r, GError **error) { return NOTYET (error); }
int usc_record_add (UscRecord *r, const UscSentMessage *m, GError **error) { return NOTYET (error); }
int usc_record_has_id (UscRecord *r, const char *id, GError **error) { return NOTYET (error); }
int usc_record_has_recipient (UscRecord *r, const char *rc, gint64 a, gint64 b, GError **error) { return NOTYET (error); }
gint64 usc_record_count (UscRecord *r, GError **error) { return NOTYET (error); }
gint64 usc_record_expire (UscRecord *r, gint64 b, GError **error) { return NOTYET (error); }
int usc_record_log_decision (UscRecord *r, gint64 w, const char *v, const char *k, GError **error) { return NOTYET (error); }
int usc_record_stats (UscRecord *r, gint64 s, UscStatsFunc fn, gpointer u, GError **error) { return NOTYET (error); }
