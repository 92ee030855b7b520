/* usc-bounce-evidence.c — evidence gathering and the kind decision: the notice's
 * own text searched once for every table (one usc-match index), sender,
 * headers (RFC 3834 Auto-Submitted, RFC 2369 List-*), structure (RFC 3464,
 * RFC 5965, RFC 8098), and the scores of each kind against their thresholds.
 */
#include "config.h"
#include "usc-bounce-private.h"

/* Thresholds: no single weak hint makes a bounce. */
#define DSN_MIN 7
#define AUTOREPLY_MIN 6
#define CHALLENGE_MIN 8
#define VIRUS_MIN 9
#define VIRUS_IN_REPORT_MIN 12

static const char *const scan_literals[] = { "final-recipient:", "reporting-mta:", "http://", "https://" };
static void
tm_add (GPtrArray *pats, TextMatcher *tm, const char *const *tab, guint n)
{
  g_assert (tm->ntabs < G_N_ELEMENTS (tm->tabs));
  tm->tabs[tm->ntabs++] = (MultiTab) { tab, n, pats->len };
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (pats, (gpointer) tab[i]);
}
static const TextMatcher *
text_matcher (void)
{
  static TextMatcher tm;
  static gsize done = 0;
  if (g_once_init_enter (&done)) {
    GPtrArray *pats = g_ptr_array_new ();
    tm_add (pats, &tm, scan_literals, N (scan_literals));
    tm_add (pats, &tm, copy_separators, N (copy_separators));
    tm_add (pats, &tm, virus_body_markers, N (virus_body_markers));
    tm_add (pats, &tm, forward_markers, N (forward_markers));
    tm_add (pats, &tm, autoreply_body_markers, N (autoreply_body_markers));
    tm_add (pats, &tm, challenge_body_markers, N (challenge_body_markers));
    tm_add (pats, &tm, challenge_message_words, N (challenge_message_words));
    tm_add (pats, &tm, challenge_hold_words, N (challenge_hold_words));
    tm_add (pats, &tm, challenge_not_markers, N (challenge_not_markers));
    tm_add (pats, &tm, virus_context_markers, N (virus_context_markers));
    tm.markers_off = pats->len;
    for (guint i = 0; i < N (dsn_body_markers); i++)
      g_ptr_array_add (pats, (gpointer) dsn_body_markers[i].needle);
    tm.sigs_off = pats->len;
    /* only the SIG_BODY ones are looked up (an empty stand-in costs nothing) */
    for (guint i = 0; i < N (mta_signatures); i++)
      g_ptr_array_add (pats, (gpointer) (mta_signatures[i].where == SIG_BODY ? mta_signatures[i].needle : ""));
    guint n = pats->len;
    tm.m = usc_match_new ((const char **) g_ptr_array_free (pats, FALSE), n);
    g_once_init_leave (&done, 1);
  }
  return &tm;
}
/* Where table @tab (@n entries) starts in the text index, or -1. */
static gssize
text_tab_off (const TextMatcher *tm, gconstpointer tab, gsize n)
{
  for (guint k = 0; k < tm->ntabs; k++)
    if (tm->tabs[k].tab == tab && tm->tabs[k].n == n)
      return tm->tabs[k].off;
  return -1;
}
void
usc_evidence_clear (Evidence *e)
{
  g_free (e->scan_lc);
  g_free (e->hits);
}
/* usc_contains_any (e->scan_lc, tab, n, hit_r), from the index. */
static gboolean
text_any (const Evidence *e, const char *const *tab, gsize n, const char **hit_r)
{
  gssize off = text_tab_off (e->tm, tab, n);
  if (off < 0)
    return usc_contains_any (e->scan_lc, tab, n, hit_r);
  if (*e->scan_lc == '\0')
    return FALSE;
  for (gsize i = 0; i < n; i++)
    if (e->hits[off + i] >= 0) {
      if (hit_r)
        *hit_r = tab[i];
      return TRUE;
    }
  return FALSE;
}
/* usc_count_markers (e->scan_lc, tab, n), from the index. */
static int
text_count (const Evidence *e, const char *const *tab, gsize n)
{
  gssize off = text_tab_off (e->tm, tab, n);
  if (off < 0)
    return usc_count_markers (e->scan_lc, tab, n);
  int k = 0;
  for (gsize i = 0; i < n; i++)
    if (e->hits[off + i] >= 0)
      k++;
  return k;
}
/* strstr (e->scan_lc, lit), from the index when @lit is one of scan_literals. */
static const char *
text_find (const Evidence *e, const char *lit)
{
  gssize off = text_tab_off (e->tm, scan_literals, N (scan_literals));
  for (guint i = 0; i < N (scan_literals); i++)
    if (strcmp (scan_literals[i], lit) == 0)
      return e->hits[off + i] >= 0 ? e->scan_lc + e->hits[off + i] : NULL;
  return strstr (e->scan_lc, lit);
}
/* usc_find_separator (e->scan_lc), from the index. */
static gssize
text_separator (const Evidence *e)
{
  gssize off = text_tab_off (e->tm, copy_separators, N (copy_separators));
  gssize best = -1;
  for (guint i = 0; i < N (copy_separators); i++) {
    gssize h = e->hits[off + i];
    if (h >= 0 && (best < 0 || h < best))
      best = h;
  }
  return usc_find_separator_from (e->scan_lc, best);
}
void
usc_gather_evidence (Ctx *c, Evidence *e)
{
  GMimeObject *top = GMIME_OBJECT (c->msg->mime);
  const char *s = e->scan_lc = usc_unquoted_lower (c->text->str, SCAN_MAX);
  e->tm = text_matcher ();
  e->hits = g_new (gssize, usc_match_size (e->tm->m));
  usc_match_first_each (e->tm->m, s, strlen (s), e->hits);

  /* structure */
  e->report_ct = c->report_type && strstr (c->report_type, "delivery-status");
  for (guint i = 0; i < c->reports->len; i++) {
    UscDsnReport *r = c->reports->pdata[i];
    if (r->recipients->len > 0 || r->reporting_mta)
      e->report_dsn = TRUE;
  }
  if (c->reports->len == 0) {
    /* delivery-status fields in the text (a report whose MIME structure is
     * lost): used for the recipients, not as evidence of a report (a
     * person may paste them) */
    const char *f = text_find (e, "final-recipient:");
    const char *r = text_find (e, "reporting-mta:");
    const char *st = r && (!f || r < f) ? r : f;
    if (st && f) {
      UscDsnReport *rep = usc_dsn_parse (st, strlen (st), NULL);
      if (rep)
        g_ptr_array_add (c->reports, rep);
    }
  }
  e->ses = usc_ses_json (c, s, FALSE);
  if (e->ses)
    e->report_dsn = TRUE;
  e->report_arf = c->feedback_part || (c->report_type && strstr (c->report_type, "feedback-report"));
  e->mdn = c->report_type && strstr (c->report_type, "disposition-notification") && !e->report_arf;
  e->hotmail_fbl = strstr (c->subject_lc, "complaint about message from") && c->returned->len > 0;
  e->returned = c->returned->len > 0 || text_separator (e) >= 0;
  for (guint i = 0; i < c->returned->len && !e->returned_bounce; i++) {
    const char *src = c->returned_src->pdata[i];
    if (strcmp (src, "message/rfc822") == 0 || strcmp (src, "message/global") == 0)
      e->returned_bounce = usc_looks_like_bounce (c->returned->pdata[i]);
  }

  /* sender */
  e->daemon_local = c->from_local &&
    (usc_equal_any (c->from_local, daemon_local_parts, N (daemon_local_parts)) ||
     usc_prefix_any (c->from_local, daemon_local_prefixes, N (daemon_local_prefixes), NULL));
  e->weak_local = c->from_local && usc_equal_any (c->from_local, weak_daemon_local_parts, N (weak_daemon_local_parts));
  e->daemon_name = usc_contains_any (c->from_name, daemon_display_names, N (daemon_display_names), &e->daemon_hit);
  e->daemon = e->daemon_local || e->daemon_name || c->null_sender;
  e->virus_sender = (c->from_local && usc_equal_any (c->from_local, virus_local_parts, N (virus_local_parts))) ||
                    usc_contains_any (c->from_name, virus_display_names, N (virus_display_names), NULL);

  /* headers */
  e->x_failed = usc_hdr (top, "X-Failed-Recipients") != NULL;
  const char *auto_sub = usc_hdr (top, "Auto-Submitted");
  if (auto_sub) {
    char *lc = g_strstrip (g_ascii_strdown (auto_sub, -1));
    e->auto_replied = strstr (lc, "auto-replied") != NULL;
    e->auto_any = !g_str_has_prefix (lc, "no");
    g_free (lc);
  }
  e->mua = usc_any_header (top, human_headers, N (human_headers));
  e->list = usc_any_header (top, list_headers, N (list_headers));
  e->in_reply = usc_hdr (top, "In-Reply-To") != NULL || usc_hdr (top, "References") != NULL;
  e->chal_sw = usc_any_header (top, challenge_headers, N (challenge_headers)) ||
               usc_header_name_prefix (top, challenge_header_prefixes, N (challenge_header_prefixes));
  for (guint i = 0; i < N (challenge_header_values) && !e->chal_sw; i++)
    e->chal_sw = usc_header_has (top, challenge_header_values[i].name, challenge_header_values[i].value);
  e->virus_hdr = usc_virus_header_verdict (top);

  /* wording */
  e->subject_dsn = usc_contains_any (c->subject_lc, dsn_subjects, N (dsn_subjects), &e->subject_hit);
  for (guint i = 0; i < N (dsn_body_markers); i++)
    if (e->hits[e->tm->markers_off + i] >= 0) {
      if (dsn_body_markers[i].strong)
        e->strong++;
      else
        e->weak++;
      if (!e->first_marker || (dsn_body_markers[i].strong && e->strong == 1))
        e->first_marker = dsn_body_markers[i].needle;
    }
  e->virus_subject = usc_contains_any (c->subject_lc, virus_subjects, N (virus_subjects), NULL);
  e->virus_body = text_count (e, virus_body_markers, N (virus_body_markers));
  e->malware = usc_malware_names (s);
  if (!e->virus_subject && usc_malware_names (c->subject_lc))
    e->virus_subject = TRUE;

  /* signs of a person: Auto-Submitted and the null sender are never set by
   * people; a daemon address can be a person's (postmaster answering) */
  gboolean machine = e->auto_any || c->null_sender || e->chal_sw;
  const char *hsubj = NULL;
  int reply = 0;
  if (usc_prefix_any (c->subject_lc, human_subject_prefixes, N (human_subject_prefixes), &hsubj) && !machine)
    reply += (hsubj[0] == 'r' || hsubj[0] == 'a' || hsubj[0] == 's') ? 3 : 6;  /* reply 3, forward 6 */
  if (e->in_reply && !machine)
    reply += 2;
  /* some daemons answer "Re: subject" with their boilerplate */
  if (e->daemon_local && e->strong)
    reply /= 2;
  e->human += reply;
  if (e->mua)
    e->human += 3;
  if (e->list)
    e->human += 2;
  if (!machine && text_count (e, forward_markers, N (forward_markers)))
    e->human += 3;

  /* non-delivery report */
  int dsn = 0;
  if (e->report_dsn)
    dsn += 10;
  else if (e->report_ct)
    dsn += 5;
  if (e->x_failed)
    dsn += 5;
  if (c->null_sender)
    dsn += 2;
  if (e->daemon_local)
    dsn += 4;
  else if (e->daemon_name)
    dsn += 3;
  else if (e->weak_local)
    dsn += 1;
  if (e->subject_dsn)
    dsn += 3;
  if (e->strong)
    dsn += 5 + MIN (e->strong - 1, 2);
  else if (e->weak)
    dsn += MIN (e->weak, 2) + (e->weak >= 3 ? 1 : 0);
  if (c->header_copy)
    dsn += 3;  /* text/rfc822-headers: only reports return header blocks */
  else if (e->returned && (e->daemon_local || e->daemon_name))
    dsn += 2;
  else if (e->returned && dsn >= 3)
    dsn += 1;
  if (e->auto_any && !e->auto_replied)
    dsn += 1;
  /* software passing on a bounce it received (an ESP's "forwarded bounce") */
  if (e->returned_bounce && (e->auto_any || e->daemon || e->weak_local))
    dsn += 5;
  e->dsn = dsn - e->human;

  /* auto-reply (RFC 3834) */
  int arep = 0;
  if (e->auto_replied)
    arep += 6;
  for (guint i = 0; i < N (autoreply_headers); i++)
    if (usc_header_has (top, autoreply_headers[i].name, autoreply_headers[i].value)) {
      arep += 6;
      break;
    }
  gboolean reply_subject = usc_prefix_any (c->subject_lc, human_subject_prefixes, N (human_subject_prefixes), NULL);
  if (usc_prefix_any (c->subject_lc, autoreply_subject_prefixes, N (autoreply_subject_prefixes), &e->autoreply_hit) ||
      usc_prefix_any (usc_skip_brackets (c->subject_lc), autoreply_subject_prefixes, N (autoreply_subject_prefixes),
                  &e->autoreply_hit) ||
      (!reply_subject && usc_contains_any (c->subject_lc, autoreply_subject_tokens, N (autoreply_subject_tokens),
                                       &e->autoreply_hit)))
    arep += 5;
  else if (usc_exchange_rule_reply (c, top))
    arep += 5;  /* "<prefix in any language>: <Thread-Topic>" from an inbox rule */
  else if (!reply_subject && usc_stem_subject_prefix (c->subject_lc))
    arep += 4;  /* "<automatic ... in another language>: ..." */
  else if (usc_suffix_any (c->subject_lc, autoreply_subject_phrases, N (autoreply_subject_phrases), &e->autoreply_hit) &&
           !usc_prefix_any (c->subject_lc, human_subject_prefixes, N (human_subject_prefixes), NULL))
    arep += 3;
  else if (usc_prefix_any (c->subject_lc, autoreply_subject_weak_prefixes, N (autoreply_subject_weak_prefixes),
                       &e->autoreply_hit))
    arep += 3;
  /* vacation(1) marks its answers "Precedence: junk" (bulk mail uses
   * "bulk" or "list"): a hint, not enough on its own */
  if (usc_header_has (top, "Precedence", "junk"))
    arep += 2;
  /* Outlook/Exchange mark their automatic messages so (a hint only:
   * notifications carry it too) */
  if (usc_header_has (top, "X-Auto-Response-Suppress", ""))
    arep += 1;
  if (text_any (e, autoreply_body_markers, N (autoreply_body_markers), NULL))
    arep += 2;
  if (e->in_reply)
    arep += 1;
  if (e->auto_any && !e->auto_replied)
    arep += 2;
  /* machine-made and in reply to someone else's message: an automatic
   * answer (RFC 3834 section 3.1.5), not a notification in the sender's own
   * threads (ticket trackers refer to their own Message-IDs) */
  if (e->auto_any && usc_foreign_reference (c))
    arep += 2;
  if (c->null_sender)
    arep += 1;
  /* an auto-reply speaks for a person's mailbox, not for MAILER-DAEMON */
  if (e->daemon_local)
    arep -= 3;
  if (e->mua)
    arep -= 3;
  if (e->list)
    arep -= 2;
  e->arep = arep;

  /* challenge-response */
  int chal = 0;
  gboolean has_link = strstr (s, "http://") || strstr (s, "https://");
  if (e->chal_sw) {
    chal += 6;
    /* ... and it answers a message or offers the way to release it */
    if (e->in_reply || has_link)
      chal += 2;
  }
  if (usc_contains_any (c->subject_lc, challenge_subjects, N (challenge_subjects), NULL))
    chal += 4;
  int cb = text_count (e, challenge_body_markers, N (challenge_body_markers));
  chal += cb ? 3 + MIN (cb - 1, 3) : 0;
  if (e->auto_any || c->null_sender)
    chal += 1;
  /* the shape of a challenge in any wording: an automatic answer with a
   * link, speaking of the sender's message being held / to be delivered */
  gboolean automatic = e->auto_any || c->null_sender || e->chal_sw;
  gboolean signup = usc_contains_any (s, challenge_not_markers, N (challenge_not_markers), NULL) ||
                    usc_contains_any (c->subject_lc, challenge_not_markers, N (challenge_not_markers), NULL);
  /* (a sign-up confirmation's link explains itself: no bonus for it) */
  if (automatic && !signup && usc_confirm_link (s))
    chal += 3;  /* a link whose URL confirms / verifies / releases */
  if (usc_confirm_reply_to (c))
    chal += 4;  /* TMDA-style "-confirm-" Reply-To: answering releases */
  if (automatic && usc_foreign_reference (c) &&
      usc_contains_any (s, challenge_reply_instructions, N (challenge_reply_instructions), NULL))
    chal += 3;
  if (automatic && has_link &&
      usc_contains_any (s, challenge_message_words, N (challenge_message_words), NULL) &&
      usc_contains_any (s, challenge_hold_words, N (challenge_hold_words), NULL))
    chal += 4;
  /* ... but a sign-up confirmation (double opt-in) answers no message */
  if (signup)
    chal -= 6;
  e->chal = chal - e->human;

  /* anti-virus notice */
  int vir = 0;
  if (e->virus_subject)
    vir += 4;
  vir += e->virus_body ? 3 + MIN (e->virus_body - 1, 3) : 0;
  if (e->virus_sender)
    vir += 3;
  if (e->malware)
    vir += 5;  /* a malware name, by the engines' naming shapes */
  if (e->virus_hdr)
    vir += 3;  /* "X-Virus-Status: Infected" */
  if (e->daemon)
    vir += 2;
  if (e->auto_any)
    vir += 1;
  /* a notice about a message (not a security newsletter): it speaks of
   * the message, and comes from a daemon or a scanner */
  gboolean about_message = usc_contains_any (s, virus_context_markers, N (virus_context_markers), NULL) ||
                           e->in_reply || e->returned || c->header_copy || usc_text_has_msgid (s);
  gboolean notice = (e->daemon || e->auto_any || e->virus_sender || e->virus_hdr) && about_message;
  /* a machine's notice about a message that names a malware */
  if (notice && e->malware)
    vir += 2;
  /* ... and never list mail or a newsletter (threat digests name malware) */
  if (!notice || e->list)
    vir = MIN (vir, 8);
  e->vir = vir - e->human;
}
UscKind
usc_decide_kind (Ctx *c, const Evidence *e)
{
  UscBounce *b = c->b;
  UscKind kind = USC_KIND_NOT_BOUNCE;

  if (e->mdn && !e->report_dsn) {
    usc_bounce_note (b, "a read receipt (message disposition notification), not a delivery failure");
    return kind;
  }
  if (e->report_arf || e->hotmail_fbl) {
    usc_bounce_note (b, e->report_arf ? "RFC 5965 feedback report" : "feedback-loop complaint with the message attached");
    return USC_KIND_FEEDBACK_REPORT;
  }
  if (e->virus_subject && e->virus_body > 0 && e->vir >= VIRUS_IN_REPORT_MIN && e->human < 3) {
    usc_bounce_note (b, "anti-virus notice%s", e->report_dsn ? " (in a delivery-status report)" : "");
    return USC_KIND_VIRUS_NOTICE;
  }
  if (e->report_dsn && e->human < 6) {
    usc_bounce_note (b, e->ses ? "Amazon SES bounce notification" : "multipart/report delivery-status (RFC 3464)");
    return USC_KIND_DSN;
  }
  /* the most specific kind first: challenges and virus notices often carry
   * auto-reply headers, auto-replies bounce-like senders */
  if (e->chal >= CHALLENGE_MIN && !e->x_failed && e->chal >= e->dsn - 3)
    kind = USC_KIND_CHALLENGE;
  else if (e->vir >= VIRUS_MIN && e->vir >= e->dsn - 3 && e->strong == 0)
    kind = USC_KIND_VIRUS_NOTICE;
  else if (e->dsn >= DSN_MIN && (e->dsn >= e->arep || e->strong || e->x_failed))
    kind = USC_KIND_DSN;
  else if (e->arep >= AUTOREPLY_MIN)
    kind = USC_KIND_AUTOREPLY;

  switch (kind) {
  case USC_KIND_DSN:
    if (e->first_marker)
      usc_bounce_note (b, "non-delivery wording: \"%s\"", e->first_marker);
    if (e->subject_dsn)
      usc_bounce_note (b, "subject: \"%s\"", e->subject_hit);
    if (e->daemon_local || e->daemon_name)
      usc_bounce_note (b, "sent by a mail daemon (%s)", c->from_addr ? c->from_addr : e->daemon_hit);
    if (c->null_sender)
      usc_bounce_note (b, "null envelope sender");
    if (e->x_failed)
      usc_bounce_note (b, "X-Failed-Recipients header");
    break;
  case USC_KIND_AUTOREPLY:
    if (e->auto_replied)
      usc_bounce_note (b, "Auto-Submitted: auto-replied (RFC 3834)");
    if (e->autoreply_hit)
      usc_bounce_note (b, "auto-reply subject: \"%s\"", e->autoreply_hit);
    break;
  case USC_KIND_CHALLENGE:
    usc_bounce_note (b, "challenge-response request");
    break;
  case USC_KIND_VIRUS_NOTICE:
    usc_bounce_note (b, "anti-virus notice");
    break;
  default:
    if (e->dsn >= 3 || e->arep >= 3)
      usc_bounce_note (b, e->human ? "some bounce-like signs, but written or forwarded by a person"
                        : "some bounce-like signs, but not enough for a bounce");
    break;
  }
  return kind;
}
