/* usc-batv.c — BATV. (placeholder, being written) */
#include "config.h"
#include "usc-batv.h"

struct _UscBatvKeys { int dummy; };

UscBatvKeys *usc_batv_keys_load (const char *path, GError **error)
{ g_set_error (error, USC_ERROR, USC_ERROR_CONFIG, "not implemented"); return NULL; }
UscBatvKeys *usc_batv_keys_new (void) { return g_new0 (UscBatvKeys, 1); }
gboolean usc_batv_keys_add (UscBatvKeys *k, int n, const char *s, GError **error) { return FALSE; }
guint usc_batv_keys_count (const UscBatvKeys *keys) { return 0; }
void usc_batv_keys_free (UscBatvKeys **keys) { if (keys) g_clear_pointer (keys, g_free); }
char *usc_batv_keygen_secret (void) { return NULL; }
const char *usc_batv_status_reason (UscBatvStatus s) { return "none"; }
char *usc_batv_sign (const UscBatvKeys *k, int n, const char *a, gint64 now, GError **error)
{ g_set_error (error, USC_ERROR, USC_ERROR_CONFIG, "not implemented"); return NULL; }
UscBatvStatus usc_batv_verify (const UscBatvKeys *k, const char *t, gint64 now, UscBatvResult *r)
{ r->status = USC_BATV_NONE; r->tag = r->address = NULL; r->key_number = r->day = -1; return USC_BATV_NONE; }
void usc_batv_result_clear (UscBatvResult *r) { g_clear_pointer (&r->tag, g_free); g_clear_pointer (&r->address, g_free); }
