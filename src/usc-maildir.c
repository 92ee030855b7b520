/* usc-maildir.c — Maildir delivery. (placeholder, being written) */
#include "config.h"
#include "usc-maildir.h"

int usc_maildir_deliver (const char *m, const char *f, const GBytes *const *c, guint n, char **p, GError **error)
{ g_set_error (error, USC_ERROR, USC_ERROR_IO, "not implemented"); return -1; }
int usc_maildir_ensure (const char *m, const char *f, GError **error)
{ g_set_error (error, USC_ERROR, USC_ERROR_IO, "not implemented"); return -1; }
