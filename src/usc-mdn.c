/* usc-mdn.c — what an RFC 8098 disposition notification's Disposition
 * says about the message it names: a reader's receipt, processed, or a
 * failure (a Sieve reject, RFC 5429; RFC 3798's failed and denied).
 */
#include "config.h"
#include "usc-mdn.h"

#include <string.h>

/* The disposition types and modifiers that say the message was not
 * delivered: RFC 8098's "deleted" done automatically (a Sieve reject,
 * RFC 5429 2.2.1) and its "error" modifier; RFC 2298/3798's "failed",
 * "denied" types and "failed", "mailbox-terminated" modifiers; "rejected",
 * which some filters write. */
static const char *const mdn_failure_types[] = { "failed", "rejected", "denied", "refused" };
static const char *const mdn_failure_modifiers[] = { "error", "failed", "failure", "mailbox-terminated", "rejected" };

static gboolean
word_in (const char *w, gsize len, const char *const *tab, gsize n)
{
  for (gsize i = 0; i < n; i++)
    if (strlen (tab[i]) == len && strncmp (tab[i], w, len) == 0)
      return TRUE;
  return FALSE;
}

UscMdnDisposition
usc_mdn_disposition (const UscDsnReport *report)
{
  if (report == NULL || report->disposition == NULL)
    return USC_MDN_NONE;
  const char *d = report->disposition;
  const char *semi = strchr (d, ';');
  const char *mode = semi ? d : "";
  gsize mode_len = semi ? (gsize) (semi - d) : 0;
  const char *type = semi ? semi + 1 : d;    /* a missing mode: the value is the type */
  gsize type_len = strcspn (type, "/");
  gboolean manual = mode_len >= 6 && g_str_has_prefix (mode, "manual");
  if (report->mdn_error)
    return USC_MDN_FAILURE;
  /* modifiers: "/error,expired" */
  for (const char *m = type + type_len; *m == '/' || *m == ',';) {
    m++;
    gsize ml = strcspn (m, ",");
    if (word_in (m, ml, mdn_failure_modifiers, G_N_ELEMENTS (mdn_failure_modifiers)))
      return USC_MDN_FAILURE;
    m += ml;
  }
  if (word_in (type, type_len, mdn_failure_types, G_N_ELEMENTS (mdn_failure_types)))
    return USC_MDN_FAILURE;
  if (type_len == 7 && strncmp (type, "deleted", 7) == 0)
    return manual ? USC_MDN_RECEIPT : USC_MDN_FAILURE;
  if ((type_len == 9 && strncmp (type, "displayed", 9) == 0) ||
      (type_len == 10 && strncmp (type, "dispatched", 10) == 0))
    return USC_MDN_RECEIPT;
  return USC_MDN_PROCESSED;
}
