/* usc-bounce.c — is this message a bounce, of what kind, from which MTA, and
 * what does it say about the ORIGINAL message?
 *
 * Follows RFC 3464 / RFC 6522 (delivery status notifications in
 * multipart/report), RFC 6533 (message/global, message/global-headers,
 * message/global-delivery-status), RFC 3834 (Auto-Submitted, auto-replies),
 * RFC 5965 (ARF feedback reports), RFC 3463 (status codes), RFC 5321 (reply
 * codes, null reverse-path) and RFC 5322 (Message-ID, In-Reply-To,
 * References). Non-standard bounces (Exim, qmail, Sendmail, Exchange, Gmail,
 * ...) are recognised from general evidence, combined by scores: the sender
 * (null reverse-path, MAILER-DAEMON / postmaster, daemon display names), the
 * subject, MTA boilerplate in the text, a returned copy of the original, and
 * signs of a human author (Fwd:/Re: subjects, User-Agent, mailing lists)
 * against. The patterns live in usc-bounce-tables.h.
 *
 * This file: the public API and the steps of the analysis
 * (usc_bounce_analyze): gather_headers -> usc_bounce_walk (usc-bounce-walk.c:
 * the MIME tree, within the limits of UscMessage) -> usc_gather_evidence and
 * usc_decide_kind (usc-bounce-evidence.c, with the kinds' own tests in
 * usc-kind-*.c) -> for bounces: usc_collect_ids and usc_collect_original
 * (usc-bounce-refs.c), usc_collect_report_failures (usc-bounce-rcpt.c) /
 * usc_collect_text_failures (usc-bounce-rcpt-text.c), usc_collect_family
 * (usc-bounce-family.c). Where the notice ends and the returned copy begins:
 * usc-bounce-copy.c; text scanners: usc-bounce-text.c; the multi-pattern
 * matcher: usc-match.c; what the files share: usc-bounce-private.h.
 * Attachments are sniffed (libmagic) only once the message is known to be a
 * bounce. Text is scanned with plain substring searches (lower-cased or read
 * case-folded), no regular expressions; a table is searched in one pass over
 * the text, with exactly the results of one strstr() per entry.
 */
#include "config.h"
#include "usc-bounce-private.h"
#include "usc-lang.h"

const char *
usc_kind_name (UscKind kind)
{
  static const char *const names[] = { "not-bounce", "dsn", "autoreply", "challenge",
                                       "virus-notice", "feedback-report" };
  return (guint) kind < G_N_ELEMENTS (names) ? names[kind] : "not-bounce";
}

UscBounce *
usc_bounce_new (void)
{
  UscBounce *b = g_new0 (UscBounce, 1);
  b->message_ids = g_ptr_array_new_with_free_func (g_free);
  b->id_sources = g_ptr_array_new_with_free_func (g_free);
  b->recipients = g_ptr_array_new_with_free_func (g_free);
  b->status = g_ptr_array_new_with_free_func (g_free);
  b->diagnostics = g_ptr_array_new_with_free_func (g_free);
  b->payload_types = g_ptr_array_new_with_free_func (g_free);
  b->payloads = g_ptr_array_new_with_free_func (usc_payload_free_ptr);
  b->notes = g_ptr_array_new_with_free_func (g_free);
  return b;
}

void
usc_bounce_free (UscBounce **bounce)
{
  if (bounce == NULL || *bounce == NULL)
    return;
  UscBounce *b = *bounce;
  g_ptr_array_unref (b->message_ids);
  g_ptr_array_unref (b->id_sources);
  g_ptr_array_unref (b->recipients);
  g_ptr_array_unref (b->status);
  g_ptr_array_unref (b->diagnostics);
  g_ptr_array_unref (b->payload_types);
  g_ptr_array_unref (b->payloads);
  g_ptr_array_unref (b->notes);
  g_free (b->envelope_id);
  g_free (b->envelope_sender);
  g_free (b->subject);
  g_free (b->date);
  g_free (b->bounce_date);
  g_free (b->reporting_mta);
  g_free (b->mta_family);
  g_free (b->signature.value);
  g_free (b->signature.message_id);
  g_free (b->signature.date);
  g_free (b->signature.from);
  g_free (b->signature.to);
  g_free (b->signature.cc);
  g_free (b->signature.source);
  g_free (b);
  *bounce = NULL;
}

/* ---- small string helpers ---- */

/* ---- HTML to text, roughly ---- */

/* ---- the MIME walk ---- */

/* ---- header helpers ---- */

/* ---- text scanning ---- */

/* ---- MTA family ---- */

/* ---- the analysis ---- */

void
usc_bounce_note (UscBounce *b, const char *fmt, ...)
{
  va_list ap;
  va_start (ap, fmt);
  char *s = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  if (b->notes->len < 16)
    g_ptr_array_add (b->notes, s);
  else
    g_free (s);
}

/* The charset the message's text declares: the first text part's (depth
 * first, a few levels), or NULL. */
static const char *
text_charset (GMimeObject *o, int depth)
{
  if (GMIME_IS_MULTIPART (o) && depth < 4) {
    int n = g_mime_multipart_get_count (GMIME_MULTIPART (o));
    for (int i = 0; i < n && i < 8; i++) {
      const char *cs = text_charset (g_mime_multipart_get_part (GMIME_MULTIPART (o), i), depth + 1);
      if (cs)
        return cs;
    }
    return NULL;
  }
  GMimeContentType *ct = g_mime_object_get_content_type (o);
  if (ct && g_mime_content_type_is_type (ct, "text", "*"))
    return g_mime_object_get_content_type_parameter (o, "charset");
  return NULL;
}
/* A subject in raw 8-bit bytes, without RFC 2047 (small and old servers,
 * "Subject: 邮件投递延迟" in GB2312): GMime reads such bytes as Latin-1.
 * Read it in the charset the message's text declares, else in the one
 * whose reading holds the words of src/lang (usc_lang_decode_guess).
 * Returns NULL when the subject is no such case (or nothing reads it). */
static char *
raw_subject (GMimeMessage *mm)
{
  GMimeHeaderList *hl = g_mime_object_get_header_list (GMIME_OBJECT (mm));
  GMimeHeader *hd = hl ? g_mime_header_list_get_header (hl, "Subject") : NULL;
  const char *raw = hd ? g_mime_header_get_raw_value (hd) : NULL;
  if (raw == NULL || strstr (raw, "=?") || g_utf8_validate (raw, -1, NULL))
    return NULL;
  GString *u = g_string_new (NULL);
  for (const char *p = raw; *p; p++)
    if (*p != '\r' && *p != '\n')
      g_string_append_c (u, *p);
  char *out = NULL;
  GMimeObject *body = g_mime_message_get_mime_part (mm);
  const char *cs = body ? text_charset (body, 0) : NULL;
  if (cs && g_ascii_strcasecmp (cs, "us-ascii") != 0 && g_ascii_strcasecmp (cs, "utf-8") != 0)
    out = g_convert (u->str, u->len, "UTF-8", g_mime_charset_iconv_name (cs), NULL, NULL, NULL);
  if (out == NULL)
    out = usc_lang_decode_guess (u->str, u->len);
  g_string_free (u, TRUE);
  return out ? g_strstrip (out) : NULL;
}

/* The bounce's own headers (and its date, into @b). */
static void
gather_headers (Headers *h, UscBounce *b, const UscMessage *msg)
{
  GMimeMessage *mm = h->mime = msg->mime;
  GMimeObject *top = GMIME_OBJECT (mm);

  const char *own = g_mime_message_get_message_id (mm);
  h->own_id = own ? g_strdup (own) : NULL;
  usc_first_mailbox (g_mime_message_get_from (mm), &h->from_addr, &h->from_name);
  usc_first_mailbox (g_mime_message_get_addresses (mm, GMIME_ADDRESS_TYPE_TO), &h->to_addr, NULL);
  if (h->from_addr) {
    const char *at = strchr (h->from_addr, '@');
    h->from_local = at ? g_strndup (h->from_addr, at - h->from_addr) : g_strdup (h->from_addr);
  }
  static const char *const delivered[] = { "Delivered-To", "X-Original-To" };
  for (gsize i = 0; i < G_N_ELEMENTS (delivered) && h->mailbox == NULL; i++) {
    const char *v = usc_hdr (top, delivered[i]);
    char *a = v ? usc_msgid_in (v, FALSE) : NULL;  /* "<addr>" or a bare addr */
    if (a && strchr (a, '@'))
      h->mailbox = g_ascii_strdown (a, -1);
    g_free (a);
  }
  if (h->mailbox == NULL && h->to_addr)
    h->mailbox = g_strdup (h->to_addr);
  const char *subj = g_mime_message_get_subject (mm);
  char *raw = subj ? raw_subject (mm) : NULL;
  h->subject_lc = raw ? g_utf8_strdown (raw, -1) : subj ? g_utf8_strdown (subj, -1) : g_strdup ("");
  g_free (raw);
  const char *rp = usc_hdr (top, "Return-Path");
  if (rp) {
    char *v = g_strstrip (g_ascii_strdown (rp, -1));
    if (strcmp (v, "<>") == 0 || strcmp (v, "") == 0 || strcmp (v, "< >") == 0 || strstr (v, "mailer-daemon"))
      h->null_sender = TRUE;
    g_free (v);
  }
  if (msg->had_mbox_from && msg->mbox_sender && *msg->mbox_sender == '\0')
    h->null_sender = TRUE;
  const char *date = usc_hdr (top, "Date");
  if (date) {
    b->bounce_date = g_strdup (date);
    b->bounce_time = usc_parse_date (date);
  }
  GMimeObject *body = g_mime_message_get_mime_part (mm);
  const char *boundary = g_mime_object_get_content_type_parameter (body ? body : top, "boundary");
  h->boundary_lc = g_ascii_strdown (boundary ? boundary : "", -1);
}

static void
ctx_clear (Ctx *c)
{
  usc_bounce_free (&c->inner.b);
  for (guint i = 0; i < c->p.reports->len; i++) {
    UscDsnReport *r = c->p.reports->pdata[i];
    usc_dsn_report_free (&r);
  }
  g_ptr_array_unref (c->p.reports);
  g_ptr_array_unref (c->p.returned);
  g_ptr_array_unref (c->p.returned_src);
  g_ptr_array_unref (c->p.payloads);
  g_free (c->p.report_type);
  g_free (c->p.feedback_text);
  g_string_free (c->t.text, TRUE);
  if (c->t.sep_occ)
    g_array_unref (c->t.sep_occ);
  g_free (c->h.own_id);
  g_free (c->h.from_addr);
  g_free (c->h.from_local);
  g_free (c->h.from_name);
  g_free (c->h.subject_lc);
  g_free (c->h.to_addr);
  g_free (c->h.mailbox);
  g_free (c->h.boundary_lc);
  g_clear_pointer (&c->o.rcpt_index, g_hash_table_unref);
  g_clear_pointer (&c->o.status_index, g_hash_table_unref);
}

UscBounce *
usc_bounce_analyze_level (UscMessage *msg, guint level)
{
  UscBounce *b = usc_bounce_new ();
  Ctx cx = { 0 }, *c = &cx;
  c->msg = msg;
  c->o.b = b;
  c->level = level;
  c->max_depth = msg->limits.max_depth ? msg->limits.max_depth : 40;
  c->p.reports = g_ptr_array_new ();
  c->p.returned = g_ptr_array_new_with_free_func (usc_copy_free);
  c->p.returned_src = g_ptr_array_new ();
  c->p.payloads = g_ptr_array_new_with_free_func (g_object_unref);
  c->t.text = g_string_new (NULL);

  gather_headers (&c->h, b, msg);
  GMimeObject *body = g_mime_message_get_mime_part (msg->mime);
  if (usc_bounce_walk (&c->p, &c->t, msg, c->max_depth, body))
    b->truncated = TRUE;
  if (msg->budget && msg->budget->exhausted)
    b->truncated = TRUE; /* a re-parse was cut or refused: the message's parse budget is spent */
  if (b->truncated)
    usc_bounce_note (b, "analysis stopped at a limit (depth, parts or time)");

  Evidence e = { 0 };
  usc_gather_evidence (&c->h, &c->p, &c->t, &e);
  /* inner message first: list software passing on a bounce it could not
   * handle (an owner notice, a group re-sending it) says nothing of a
   * bounce itself; the attached message does */
  gboolean inner_done = FALSE;
  if (level == 0 && usc_list_notice (&c->h, &c->p, &e)) {
    c->inner = usc_analyze_attached (&c->p, msg, level);
    if (c->inner.b && c->inner.b->kind == USC_KIND_DSN)
      e.list_bounce = inner_done = TRUE;
    else
      usc_bounce_free (&c->inner.b);
  }
  UscKind kind = b->kind = usc_decide_kind (&c->h, &e, b);

  if (kind != USC_KIND_NOT_BOUNCE) {
    for (guint i = 0; i < c->p.payloads->len; i++)
      usc_sniff_payload (b, c->p.payloads->pdata[i]);
    if (b->executable)
      usc_bounce_note (b, "an executable payload is attached");
    if (!inner_done)
      c->inner = usc_analyze_inner (&c->p, msg, level);
    usc_collect_ids (&c->o, &c->h, &c->p, &c->t, &c->inner, &e, kind, msg->budget);
    usc_collect_original (b, &c->h, &c->p, kind);

    GString *diag_all = g_string_new (NULL);
    GString *reporting_all = g_string_new (NULL);
    usc_collect_report_failures (&c->o, &c->h, &c->p, diag_all, reporting_all);
    if (kind == USC_KIND_DSN || kind == USC_KIND_VIRUS_NOTICE) {
      char *diag = usc_diagnostic_region (&c->t);
      usc_collect_text_failures (&c->o, &c->h, &c->p, &c->t, diag);
      g_free (diag);
      const UscBounce *inner = c->inner.b;
      if (inner && inner->kind == USC_KIND_DSN) {
        /* what the inner bounce knows and we do not; a list's notice
         * passing it on knows nothing of its own (its addresses are the
         * list's) */
        if (e.list_bounce && inner->recipients->len > 0) {
          g_ptr_array_set_size (b->recipients, 0);
          g_clear_pointer (&c->o.rcpt_index, g_hash_table_unref);
        }
        if (e.list_bounce && inner->status->len > 0) {
          g_ptr_array_set_size (b->status, 0);
          g_clear_pointer (&c->o.status_index, g_hash_table_unref);
        }
        if (b->recipients->len == 0)
          for (guint i = 0; i < inner->recipients->len; i++)
            add_recipient (&c->o, g_strdup (inner->recipients->pdata[i]));
        if (b->status->len == 0)
          for (guint i = 0; i < inner->status->len; i++)
            add_status (&c->o, g_strdup (inner->status->pdata[i]));
        if (!b->subject && inner->subject)
          b->subject = g_strdup (inner->subject);
        usc_bounce_note (b, "a bounce returned inside this one was analysed too");
      }
    } else if (kind == USC_KIND_FEEDBACK_REPORT) {
      usc_collect_feedback_recipients (&c->o, &c->h, &c->p);
    } else if ((kind == USC_KIND_AUTOREPLY || kind == USC_KIND_CHALLENGE) && c->h.from_addr) {
      /* the one who answered is whom the original went to */
      add_recipient (&c->o, g_strdup (c->h.from_addr));
    }
    if (kind == USC_KIND_DSN && e.list_bounce) {
      /* the MTA that bounced is the attached bounce's, not the list's */
      g_free (b->mta_family);
      b->mta_family = g_strdup (c->inner.b->mta_family);
    } else if (kind == USC_KIND_DSN)
      usc_collect_family (b, &c->h, &e, diag_all->str, reporting_all->str);
    g_string_free (diag_all, TRUE);
    g_string_free (reporting_all, TRUE);
  }

  usc_evidence_clear (&e);
  ctx_clear (c);
  return b;
}

UscBounce *
usc_bounce_analyze (UscMessage *msg, GError **error)
{
  if (msg == NULL || msg->mime == NULL) {
    g_set_error (error, USC_ERROR, USC_ERROR_INVALID, "no message");
    return NULL;
  }
  return usc_bounce_analyze_level (msg, 0);
}

