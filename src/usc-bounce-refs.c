/* usc-bounce-refs.c — the original message's references: candidate Message-IDs
 * (RFC 5322 Message-ID, In-Reply-To, References) from the returned copy, the
 * report (RFC 3464 X-Original-Message-ID-style fields) and the text, ranked;
 * never the bounce's own Message-ID unless a returned copy names it.
 */
#include "config.h"
#include "usc-bounce-private.h"

static void
add_cand_own (IdCands *ids, char *id, const char *source, int rank, gboolean allow_own)
{
  if (id == NULL)
    return;
  /* Never the bounce's own Message-ID, except when a returned copy of the
   * original (a message part, a header block, an inline copy after a
   * separator) names it as its own: some MTAs reuse the original's ID. */
  if (*id == '\0' || strlen (id) > 250 ||
      (!allow_own && ids->own_id && g_ascii_strcasecmp (id, ids->own_id) == 0)) {
    g_free (id);
    return;
  }
  IdCand ic = { id, source, rank, ids->seq++ };
  g_array_append_val (ids->cands, ic);
}
void
usc_add_cand (IdCands *ids, char *id, const char *source, int rank)
{
  add_cand_own (ids, id, source, rank, FALSE);
}
static int
cand_cmp (gconstpointer a, gconstpointer b)
{
  const IdCand *x = a, *y = b;
  if (x->rank != y->rank)
    return x->rank - y->rank;
  return (int) x->seq - (int) y->seq;
}
/* Message-IDs quoted in the text bodies; the first header copy found there
 * goes to @parts (parsed on @budget). */
/* "<label in any language>: <id>" whose id is of this mailbox's domain
 * ("原邮件编号：<20240311.7a9c@host.example.org>"): the original's
 * Message-ID named in the notice's own words (usc_own_domain_id keeps
 * addresses out). */
static char *
labelled_own_id (const char *p, const char *mailbox)
{
  const char *lt = strchr (p, '<');
  if (lt == NULL || lt - p > 80 || mailbox == NULL)
    return NULL;
  gboolean colon = FALSE;
  for (const char *q = p; q < lt; q++)
    if (*q == ':' || (q + 2 < lt && (guchar) q[0] == 0xef && (guchar) q[1] == 0xbc && (guchar) q[2] == 0x9a))
      colon = TRUE;  /* ':' or a full-width '：' */
  if (!colon)
    return NULL;
  char *id = usc_msgid_in (lt, TRUE);
  if (id && usc_own_domain_id (id, mailbox))
    return id;
  g_free (id);
  return NULL;
}
/* Can a line starting with @c start one of body_id_keys (its first letter,
 * any case; every line when a key is empty)? Most lines of a notice start
 * with none of them: the keys' loop is not even entered. */
static gboolean
may_start_key (char c)
{
  static guint8 first[256];
  static gsize done = 0;
  if (g_once_init_enter (&done)) {
    for (guint k = 0; k < N (body_id_keys); k++) {
      if (body_id_keys[k].key[0] == '\0') {
        memset (first, 1, sizeof first);
        break;
      }
      first[(guchar) ascii_lc (body_id_keys[k].key[0])] = 1;
    }
    g_once_init_leave (&done, 1);
  }
  return first[(guchar) ascii_lc (c)] != 0;
}
static void
scan_text_ids (IdCands *ids, Parts *parts, NoticeText *t, UscBudget *budget, const char *mailbox)
{
  if (t->text->len == 0)
    return;
  char **lines = usc_split_lines (t->text->str, 20000);
  guint n = g_strv_length (lines);
  gboolean after_sep = FALSE;
  const GArray *occ = usc_text_separators (t);
  guint oi = 0;
  gboolean got_block = FALSE;
  guint first_field_after_sep = 0;  /* 0: none */
  for (guint i = 0; i < n; i++) {
    int q;
    const char *p = usc_strip_prefix (lines[i], &q);
    if (!after_sep && *p && occ) {
      /* a separator within the first 200 bytes of the line (from the
       * occurrences in the whole text: lines[] has t->text's offsets) */
      gsize ll = 0;
      while (ll < 200 && p[ll])
        ll++;
      gsize poff = (gsize) (p - lines[0]);
      while (oi < occ->len && g_array_index (occ, UscMatchOcc, oi).pos < poff)
        oi++;
      for (guint k = oi; k < occ->len && g_array_index (occ, UscMatchOcc, k).pos < poff + ll; k++)
        if (g_array_index (occ, UscMatchOcc, k).pos + g_array_index (occ, UscMatchOcc, k).len <= poff + ll) {
          after_sep = TRUE;
          break;
        }
      if (!after_sep && usc_decorated_separator (p, ll))
        after_sep = TRUE;
    } else if (!after_sep && *p) {
      char lc[201];
      gsize ll = 0;
      for (; ll < 200 && p[ll]; ll++)
        lc[ll] = ascii_lc (p[ll]);
      lc[ll] = '\0';
      if (usc_contains_any (lc, copy_separators, N (copy_separators), NULL))
        after_sep = TRUE;
      if (!after_sep && usc_decorated_separator (lc, ll))
        after_sep = TRUE;
    } else if (after_sep && first_field_after_sep == 0 && usc_looks_like_field (p)) {
      first_field_after_sep = i;
    }
    gboolean keyed = FALSE;
    guint nkeys = may_start_key (*p) ? N (body_id_keys) : 0;
    for (guint k = 0; k < nkeys; k++) {
      /* the first letter decides most lines without the full comparison */
      if (body_id_keys[k].key[0] && ascii_lc (*p) != ascii_lc (body_id_keys[k].key[0]))
        continue;
      gsize kl = strlen (body_id_keys[k].key);
      if (g_ascii_strncasecmp (p, body_id_keys[k].key, kl) != 0)
        continue;
      const char *v = p + kl;
      while (*v == ' ' || *v == '\t')
        v++;
      gboolean colon = *v == ':';
      if (colon)
        v++;
      else if (body_id_keys[k].source == NULL)
        break; /* "Message-ID" must be a field */
      while (*v == ' ' || *v == '\t' || *v == '=')
        v++;
      const char *val = v;
      if (*val == '\0' && i + 1 < n) {
        int q2;
        val = usc_strip_prefix (lines[i + 1], &q2);
      }
      char *id = usc_msgid_in (val, body_id_keys[k].source != NULL && !colon);
      if (id == NULL)
        break;
      const char *src = body_id_keys[k].source;
      int rank;
      if (src && strcmp (src, "x-original-message-id") == 0)
        rank = 3;
      else if (src)
        rank = 7;
      else if (q > 0) {
        src = "quoted";
        rank = 6;
      } else if (after_sep || (i > 0 && usc_looks_like_field (usc_strip_prefix (lines[i - 1], &q))) ||
                 (i + 1 < n && usc_looks_like_field (usc_strip_prefix (lines[i + 1], &q)))) {
        src = "inline-copy";
        rank = 5;
      } else {
        src = "body-text";
        rank = 7;
      }
      if (!got_block && (rank == 5 || rank == 6)) {
        UscCopy *m = usc_inline_header_block (lines, n, i, budget);
        if (m) {
          usc_add_returned (parts, m, src);
          got_block = TRUE;
        }
      }
      add_cand_own (ids, id, src, rank, rank == 5 && after_sep);
      keyed = TRUE;
      break;
    }
    if (!keyed && q == 0) {
      char *id = labelled_own_id (p, mailbox);
      if (id)
        add_cand_own (ids, id, "body-text", 7, FALSE);
    }
  }
  /* a copy of the original's headers without a Message-ID still tells
   * whom it went to, its subject and date */
  if (!got_block && first_field_after_sep > 0) {
    UscCopy *m = usc_inline_header_block (lines, n, first_field_after_sep, budget);
    if (m)
      usc_add_returned (parts, m, "inline-copy");
  }
  usc_free_lines (lines);
}
/* An address that is really one of the original's Message-IDs ("<id@host>"
 * on a line of its own). */
gboolean
usc_is_known_id (const UscBounce *b, const char *a)
{
  for (guint i = 0; i < b->message_ids->len; i++)
    if (g_ascii_strcasecmp (b->message_ids->pdata[i], a) == 0)
      return TRUE;
  return FALSE;
}
static void
add_refs (IdCands *ids, const char *value, const char *source, int rank, gboolean reverse)
{
  if (value == NULL)
    return;
  GMimeReferences *refs = g_mime_references_parse (NULL, value);
  if (refs == NULL)
    return;
  int n = g_mime_references_length (refs);
  for (int i = 0; i < n; i++) {
    const char *id = g_mime_references_get_message_id (refs, reverse ? n - 1 - i : i);
    if (id && strchr (id, '@'))
      usc_add_cand (ids, g_strdup (id), source, rank);
  }
  g_mime_references_free (refs);
}
/* A list role address: "dev-owner", "dev-request", "dev-bounces",
 * "owner-dev", "dev+owner" (RFC 2142 names the -request convention; list
 * managers add -owner and -bounces). */
gboolean
usc_list_role_local (const char *local)
{
  static const char *const suffixes[] = { "-owner", "+owner", "-request", "-bounces", "+bounces", "-admin" };
  if (local == NULL)
    return FALSE;
  if (g_ascii_strncasecmp (local, "owner-", 6) == 0 && local[6])
    return TRUE;
  gsize n = strlen (local);
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++) {
    gsize k = strlen (suffixes[i]);
    if (n > k && g_ascii_strcasecmp (local + n - k, suffixes[i]) == 0)
      return TRUE;
  }
  return FALSE;
}
gboolean
usc_list_notice (const Headers *h, const Parts *p, const Evidence *e)
{
  if (e->mua || e->in_reply || h->from_addr == NULL)
    return FALSE;
  gboolean attached = FALSE;
  for (guint i = 0; i < p->returned->len && !attached; i++) {
    const char *src = p->returned_src->pdata[i];
    attached = strcmp (src, "message/rfc822") == 0 || strcmp (src, "message/global") == 0;
  }
  if (!attached)
    return FALSE;
  if (usc_list_role_local (h->from_local))
    return TRUE;
  if (!e->list)
    return FALSE;
  /* the list writing as itself: its address as From and Sender */
  char *saddr = NULL, *sname = NULL;
  const char *sv = usc_hdr (GMIME_OBJECT (h->mime), "Sender");
  InternetAddressList *sl = sv ? internet_address_list_parse (NULL, sv) : NULL;
  usc_first_mailbox (sl, &saddr, &sname);
  gboolean self = saddr && g_ascii_strcasecmp (saddr, h->from_addr) == 0;
  g_clear_object (&sl);
  g_free (saddr);
  g_free (sname);
  return self;
}
static Inner
analyze_returned (const Parts *p, const UscMessage *msg, guint level, gboolean any)
{
  Inner in = { NULL, 0 };
  if (level != 0)
    return in;
  for (guint i = 0; i < p->returned->len; i++) {
    const char *src = p->returned_src->pdata[i];
    UscCopy *c = p->returned->pdata[i];
    if ((strcmp (src, "message/rfc822") != 0 && strcmp (src, "message/global") != 0) || c->message == NULL)
      continue;
    if (!any && !usc_looks_like_bounce (c))
      continue;
    UscMessage im = { 0 };
    im.mime = c->message;
    im.limits = msg->limits;
    im.deadline = msg->deadline;
    im.budget = msg->budget; /* borrowed: one budget for the whole message */
    in.b = usc_bounce_analyze_level (&im, level + 1);
    in.at = i;
    break;
  }
  return in;
}
/* A bounce returned inside this one: the first returned message part that
 * looks like a bounce, analysed on its own (at the top level only). */
Inner
usc_analyze_inner (const Parts *p, const UscMessage *msg, guint level)
{
  return analyze_returned (p, msg, level, FALSE);
}
Inner
usc_analyze_attached (const Parts *p, const UscMessage *msg, guint level)
{
  return analyze_returned (p, msg, level, TRUE);
}
/* The original's Message-IDs, best first (see the ranks at each source). */
void
usc_collect_ids (Out *o, const Headers *h, Parts *p, NoticeText *t, const Inner *inner, const Evidence *e,
                 UscKind kind, UscBudget *budget)
{
  GMimeObject *top = GMIME_OBJECT (h->mime);
  UscBounce *b = o->b;
  IdCands idc = { g_array_new (FALSE, FALSE, sizeof (IdCand)), 0, h->own_id }, *ids = &idc;

  /* rank 1: returned message parts; 2: header blocks and part-header copies */
  for (guint i = 0; i < p->returned->len; i++) {
    UscCopy *m = p->returned->pdata[i];
    const char *src = p->returned_src->pdata[i];
    const char *id = usc_copy_message_id (m);
    int rank = strcmp (src, "message/rfc822") == 0 || strcmp (src, "message/global") == 0 ? 1 : 2;
    if (inner->b && i == inner->at && inner->b->kind == USC_KIND_DSN) {
      /* A bounce inside this one (usc_analyze_inner). In a double bounce
       * (this is a report about the bounce that failed) the returned
       * bounce's own ID comes first; when software merely passes a bounce on
       * (an ESP's "forwarded bounce"), the inner bounce's ID is nobody's
       * original. */
      if (id && e->report_dsn)
        add_cand_own (ids, g_strdup (id), src, rank, TRUE);
      for (guint k = 0; k < inner->b->message_ids->len; k++)
        usc_add_cand (ids, g_strdup (inner->b->message_ids->pdata[k]), inner->b->id_sources->pdata[k], 1);
      continue;
    }
    if (id)
      add_cand_own (ids, g_strdup (id), src, rank, strcmp (src, "quoted") != 0);
    const char *xo = usc_copy_header (m, "X-Original-Message-ID");
    if (xo)
      usc_add_cand (ids, usc_msgid_in (xo, FALSE), "x-original-message-id", 4);
  }
  /* rank 3: X-Original-Message-ID in the report or the bounce's header */
  for (guint i = 0; i < p->reports->len; i++) {
    UscDsnReport *r = p->reports->pdata[i];
    if (r->original_message_id)
      usc_add_cand (ids, g_strdup (r->original_message_id), "x-original-message-id", 3);
  }
  static const char *const xo_fields[] = { "X-Original-Message-ID", "Original-Message-ID" };
  for (guint i = 0; i < N (xo_fields); i++) {
    const char *xo = usc_hdr (top, xo_fields[i]);
    if (xo)
      usc_add_cand (ids, usc_msgid_in (xo, FALSE), "x-original-message-id", 3);
  }
  if (e->ses)
    usc_ses_json (t->text->str, e->scan_lc, ids, o);
  /* ranks 5-7: inline copies, quoted originals, IDs named in the text */
  scan_text_ids (ids, p, t, budget, h->mailbox);
  /* In-Reply-To / References: what an auto-reply answers; a weak hint in a DSN */
  gboolean reply_kind = kind == USC_KIND_AUTOREPLY || kind == USC_KIND_CHALLENGE;
  add_refs (ids, usc_hdr (top, "In-Reply-To"), "in-reply-to", reply_kind ? 0 : 8, FALSE);
  add_refs (ids, usc_hdr (top, "References"), "references", reply_kind ? 1 : 9, TRUE);

  g_array_sort (ids->cands, cand_cmp);
  for (guint i = 0; i < ids->cands->len; i++) {
    IdCand *ic = &g_array_index (ids->cands, IdCand, i);
    char *id = ic->id;
    ic->id = NULL;
    gboolean dup = FALSE;
    for (guint k = 0; k < b->message_ids->len && !dup; k++)
      dup = strcmp (b->message_ids->pdata[k], id) == 0;
    if (dup || b->message_ids->len >= 32) {
      g_free (id);
      continue;
    }
    g_ptr_array_add (b->message_ids, id);
    g_ptr_array_add (b->id_sources, g_strdup (ic->source));
  }
  g_array_unref (ids->cands);
  if (b->message_ids->len)
    usc_bounce_note (b, "original Message-ID from %s", (const char *) b->id_sources->pdata[0]);
}
