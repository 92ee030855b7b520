/* usc-bounce-original.c — what the analysis reads of the returned original
 * beyond its references: does it look like a bounce itself (its sender, its
 * subject), does the bounce answer a message of another domain, and the
 * original's Subject, Date, ENVID and envelope sender (usc_collect_original).
 */
#include "config.h"
#include "usc-bounce-private.h"

/* Does the returned message @m look like a bounce itself (by its sender
 * or subject)? A cheap first look; the full analysis comes later. */
gboolean
usc_looks_like_bounce (UscCopy *m)
{
  char *addr = NULL, *name = NULL;
  usc_first_mailbox (usc_copy_addresses (m, GMIME_ADDRESS_TYPE_FROM), &addr, &name);
  gboolean r = FALSE;
  if (addr) {
    const char *at = strchr (addr, '@');
    char *local = at ? g_strndup (addr, at - addr) : g_strdup (addr);
    r = usc_equal_any (local, daemon_local_parts, N (daemon_local_parts)) ||
        usc_prefix_any (local, daemon_local_prefixes, N (daemon_local_prefixes), NULL);
    g_free (local);
  }
  if (!r)
    r = usc_contains_any (name, daemon_display_names, N (daemon_display_names), NULL);
  if (r) {
    const char *subj = usc_copy_subject (m);
    char *lc = subj ? g_utf8_strdown (subj, -1) : NULL;
    r = lc && usc_contains_any (lc, dsn_subjects, N (dsn_subjects), NULL);
    g_free (lc);
  }
  g_free (addr);
  g_free (name);
  return r;
}
/* Does In-Reply-To (or else References) name a message of another domain
 * than the sender's? */
gboolean
usc_foreign_reference (const Headers *h)
{
  GMimeObject *top = GMIME_OBJECT (h->mime);
  const char *v = usc_hdr (top, "In-Reply-To");
  if (v == NULL)
    v = usc_hdr (top, "References");
  const char *fat = h->from_addr ? strchr (h->from_addr, '@') : NULL;
  if (v == NULL || fat == NULL)
    return FALSE;
  char *id = usc_msgid_in (v, FALSE);
  const char *iat = id ? strrchr (id, '@') : NULL;
  gboolean r = FALSE;
  if (iat) {
    char *idom = g_ascii_strdown (iat + 1, -1);
    const char *fdom = fat + 1;
    r = !(g_str_has_suffix (idom, fdom) || g_str_has_suffix (fdom, idom));
    g_free (idom);
  }
  g_free (id);
  return r;
}
/* Subject, Date, ENVID and envelope sender of the original. */
void
usc_collect_original (UscBounce *b, const Headers *h, const Parts *p, UscKind kind)
{
  UscCopy *orig = p->returned->len ? p->returned->pdata[0] : NULL;
  if (orig) {
    const char *s = usc_copy_subject (orig);
    if (s)
      b->subject = g_strdup (s);
    const char *d = usc_copy_header (orig, "Date");
    if (d) {
      b->date = g_strdup (d);
      b->original_time = usc_parse_date (d);
    }
  }
  for (guint i = 0; i < p->reports->len && !b->envelope_id; i++) {
    UscDsnReport *r = p->reports->pdata[i];
    if (r->envelope_id)
      b->envelope_id = g_strdup (r->envelope_id);
  }
  for (guint i = 0; i < p->reports->len && !b->envelope_sender; i++) {
    UscDsnReport *r = p->reports->pdata[i];
    if (r->x_sender && strchr (r->x_sender, '@'))
      b->envelope_sender = g_strdup (r->x_sender);
  }
  for (guint i = 0; i < p->returned->len && !b->envelope_sender; i++) {
    char *a = usc_msgid_in (usc_copy_header (p->returned->pdata[i], "Return-Path"), FALSE);
    if (a) {
      b->envelope_sender = g_ascii_strdown (a, -1);
      g_free (a);
    }
  }
  /* The signature of what the user sent (usc-sign.h) and what it covers. */
  for (guint i = 0; i < p->returned->len && !b->signature.value; i++) {
    UscCopy *o = p->returned->pdata[i];
    const char *sig = usc_copy_header (o, "X-Unscatter-Sig");
    if (sig == NULL)
      continue;
    b->signature.value = g_strdup (sig);
    b->signature.message_id = g_strdup (usc_copy_header (o, "Message-ID"));
    b->signature.date = g_strdup (usc_copy_header (o, "Date"));
    b->signature.from = g_strdup (usc_copy_header (o, "From"));
    b->signature.to = g_strdup (usc_copy_header (o, "To"));
    b->signature.cc = g_strdup (usc_copy_header (o, "Cc"));
    b->signature.source = g_strdup (p->returned_src->pdata[i]);
  }
  /* a DSN goes to the original's envelope sender */
  if (!b->envelope_sender && kind == USC_KIND_DSN && h->to_addr)
    b->envelope_sender = g_strdup (h->to_addr);
}
