/* usc-bounce-evidence.c — the evidence every kind reads, and the final pick:
 * the notice's own text searched once for every table (one usc-match
 * index), the sender, the headers (RFC 3834 Auto-Submitted, RFC 2369
 * List-*), the structure (RFC 3464, RFC 5965, RFC 8098), the signs of a
 * person; then each kind's score (src/usc-kind-*.c, one rule table and one
 * weight table each) and the pick among them against their thresholds.
 */
#include "config.h"
#include "usc-bounce-private.h"

/* Thresholds: no single weak hint makes a bounce. */
#define DSN_MIN 7
#define AUTOREPLY_MIN 6
#define CHALLENGE_MIN 8
#define VIRUS_MIN 9
#define VIRUS_IN_REPORT_MIN 12
#define FEEDBACK_MIN 1

/* Delivery-status reports that say a filter holds the message: every
 * recipient with a status of the security or policy class (RFC 3463 X.7.X)
 * and no Diagnostic-Code or Remote-MTA (no SMTP server said anything), at
 * least one recipient, no disposition notification among them. */
gboolean
usc_report_hold (const GPtrArray *reports)
{
  guint n = 0;
  for (guint i = 0; i < reports->len; i++) {
    const UscDsnReport *r = reports->pdata[i];
    if (usc_mdn_disposition (r) != USC_MDN_NONE)
      return FALSE;
    for (guint j = 0; j < r->recipients->len; j++, n++) {
      const UscDsnRecipient *rc = r->recipients->pdata[j];
      const char *st = rc->status;
      if (rc->diagnostic || rc->remote_mta || !st || (st[0] != '4' && st[0] != '5') || strncmp (st + 1, ".7.", 3) != 0)
        return FALSE;
    }
  }
  return n > 0;
}

int
usc_score_rules (const Headers *h, Evidence *e, const UscScoreRule *rules, gsize n)
{
  int sum = 0;
  for (gsize i = 0; i < n; i++)
    sum += rules[i].points (h, e, sum);
  return sum;
}

/* ---- the signs of a person (subtracted from the DSN, challenge and virus scores) ---- */

static const struct {
  int reply;           /* "Re:" (and other reply prefixes: 'r', 'a', 's') */
  int forward;         /* "Fwd:" and the other prefixes */
  int in_reply;        /* In-Reply-To / References */
  int mua;             /* a header only mail user agents set */
  int list;            /* mailing-list headers */
  int forwarded_text;  /* "Forwarded message" in the text */
} HW = { 3, 6, 2, 3, 2, 3 };

/* Auto-Submitted, the null sender and Precedence: junk (vacation(1), the
 * servers' own notices; lists write "list" or "bulk") are never set by
 * people's clients; a daemon address can be a person's (postmaster
 * answering). */
static gboolean
machine_made (const Headers *h, const Evidence *e)
{
  return e->auto_any || h->null_sender || e->chal_sw || usc_header_has (GMIME_OBJECT (h->mime), "Precedence", "junk");
}
static int
human_reply (const Headers *h, Evidence *e, int sofar)
{
  (void) sofar;
  gboolean machine = machine_made (h, e);
  const char *hsubj = NULL;
  int reply = 0;
  if (usc_prefix_any (h->subject_lc, human_subject_prefixes, N (human_subject_prefixes), &hsubj) && !machine)
    reply += (hsubj[0] == 'r' || hsubj[0] == 'a' || hsubj[0] == 's') ? HW.reply : HW.forward;
  if (e->in_reply && !machine)
    reply += HW.in_reply;
  /* some daemons answer "Re: subject" with their boilerplate */
  if (e->daemon_local && e->strong)
    reply /= 2;
  return reply;
}
static int
human_mua (const Headers *h, Evidence *e, int sofar)
{
  (void) h, (void) sofar;
  return e->mua ? HW.mua : 0;
}
/* Mailing-list headers count against a message only when its content is no
 * notice: not when it returns a copy of a message of this mailbox with
 * non-delivery wording (a bounce the list passed on). */
static int
human_list (const Headers *h, Evidence *e, int sofar)
{
  (void) h, (void) sofar;
  gboolean notice = e->own_copy && e->returned && (e->strong || e->weak || e->lang_fail || e->lang_delay);
  return e->list && !e->list_refusal && !notice ? HW.list : 0;
}
static int
human_forwarded (const Headers *h, Evidence *e, int sofar)
{
  (void) sofar;
  return !machine_made (h, e) && usc_text_count (e, USC_TT_FORWARD) ? HW.forwarded_text : 0;
}
static const UscScoreRule human_rules[] = {
  { "a reply or forward subject, In-Reply-To", human_reply },
  { "a mail user agent's header", human_mua },
  { "mailing-list headers", human_list },
  { "forwarded-message wording", human_forwarded },
};

void
usc_evidence_clear (Evidence *e)
{
  usc_notice_scan_clear (e);
  g_free (e->scan_lc);
}
void
usc_gather_evidence (const Headers *h, Parts *p, NoticeText *t, Evidence *e)
{
  GMimeObject *top = GMIME_OBJECT (h->mime);
  const char *s = e->scan_lc = usc_unquoted_lower (t->text->str, SCAN_MAX);
  usc_notice_scan (e, t);  /* every table, one pass */

  /* structure */
  e->header_copy = p->header_copy;
  e->returned_parts = p->returned->len;
  e->report_ct = p->report_type && strstr (p->report_type, "delivery-status");
  e->report_hold = usc_report_hold (p->reports);
  for (guint i = 0; i < p->reports->len; i++) {
    UscDsnReport *r = p->reports->pdata[i];
    UscMdnDisposition d = usc_mdn_disposition (r);
    if (d == USC_MDN_FAILURE)
      e->mdn_failure = TRUE;
    else if (d != USC_MDN_NONE)
      e->mdn_receipt = TRUE;
    else if (r->recipients->len > 0 || r->reporting_mta)
      e->report_dsn = TRUE;
  }
  if (p->reports->len == 0) {
    /* delivery-status fields in the text (a report whose MIME structure is
     * lost): used for the recipients, not as evidence of a report (a
     * person may paste them) */
    const char *f = usc_text_find (e, "final-recipient:");
    const char *r = usc_text_find (e, "reporting-mta:");
    const char *st = r && (!f || r < f) ? r : f;
    if (st && f) {
      UscDsnReport *rep = usc_dsn_parse (st, strlen (st), NULL);
      if (rep)
        g_ptr_array_add (p->reports, rep);
    }
  }
  e->ses = usc_ses_json (t->text->str, s, NULL, NULL);
  if (e->ses)
    e->report_dsn = TRUE;
  e->report_arf = p->feedback_part || (p->report_type && strstr (p->report_type, "feedback-report"));
  e->mdn = p->report_type && strstr (p->report_type, "disposition-notification") && !e->report_arf;
  usc_lang_evidence (h, e);
  e->returned = e->returned_parts > 0 || usc_text_separator (e) >= 0 || e->lang_copy || usc_rule_before_fields (s);
  for (guint i = 0; i < e->returned_parts && !e->returned_bounce; i++) {
    const char *src = p->returned_src->pdata[i];
    if (strcmp (src, "message/rfc822") == 0 || strcmp (src, "message/global") == 0)
      e->returned_bounce = usc_looks_like_bounce (p->returned->pdata[i]);
  }

  /* sender */
  e->daemon_local = h->from_local &&
    (usc_equal_any (h->from_local, daemon_local_parts, N (daemon_local_parts)) ||
     usc_prefix_any (h->from_local, daemon_local_prefixes, N (daemon_local_prefixes), NULL));
  e->weak_local = h->from_local && usc_equal_any (h->from_local, weak_daemon_local_parts, N (weak_daemon_local_parts));
  e->daemon_name = usc_contains_any (h->from_name, daemon_display_names, N (daemon_display_names), &e->daemon_hit);
  e->daemon = e->daemon_local || e->daemon_name || h->null_sender;
  e->virus_sender = (h->from_local && usc_equal_any (h->from_local, virus_local_parts, N (virus_local_parts))) ||
                    usc_contains_any (h->from_name, virus_display_names, N (virus_display_names), NULL);

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
  e->list_refusal = e->list && (usc_contains_any (h->subject_lc, list_refusal_words, N (list_refusal_words), NULL) ||
                                usc_text_any (e, USC_TT_LIST_REFUSAL, NULL));
  e->chal_sw = usc_any_header (top, challenge_headers, N (challenge_headers)) ||
               usc_header_name_prefix (top, challenge_header_prefixes, N (challenge_header_prefixes));
  for (guint i = 0; i < N (challenge_header_values) && !e->chal_sw; i++)
    e->chal_sw = usc_header_has (top, challenge_header_values[i].name, challenge_header_values[i].value);
  e->virus_hdr = usc_virus_header_verdict (top);

  /* wording */
  e->subject_dsn = usc_contains_any (h->subject_lc, dsn_subjects, N (dsn_subjects), &e->subject_hit);
  guint moff = usc_match_tab_off (e->tm->m, USC_TT_DSN_MARKERS);
  for (guint i = 0; i < N (dsn_body_markers); i++)
    if (usc_match_hit (&e->hits, moff + i) >= 0) {
      if (dsn_body_markers[i].strong)
        e->strong++;
      else
        e->weak++;
      if (!e->first_marker || (dsn_body_markers[i].strong && e->strong == 1))
        e->first_marker = dsn_body_markers[i].needle;
    }
  e->virus_subject = usc_contains_any (h->subject_lc, virus_subjects, N (virus_subjects), NULL);
  e->virus_body = usc_text_count (e, USC_TT_VIRUS_BODY);
  e->malware = usc_malware_names_occ (s, e->malware_occ);
  if (!e->virus_subject && usc_malware_names (h->subject_lc))
    e->virus_subject = TRUE;

  /* scores: the person first (the kinds take it off theirs) */
  e->human = usc_score_rules (h, e, human_rules, N (human_rules));
  e->feedback = usc_kind_feedback_score (h, e);
  e->dsn = usc_kind_dsn_score (h, e);
  e->arep = usc_kind_autoreply_score (h, e);
  e->chal = usc_kind_challenge_score (h, e);
  e->vir = usc_kind_virus_score (h, e);
}
UscKind
usc_decide_kind (const Headers *h, const Evidence *e, UscBounce *b)
{
  UscKind kind = USC_KIND_NOT_BOUNCE;

  if (e->mdn && !e->report_dsn && !e->mdn_failure && !e->mdn_receipt) {
    usc_bounce_note (b, "a message disposition notification without a disposition, not a delivery failure");
    return kind;
  }
  /* kind by intent, structure as evidence: a challenge wrapped in a report
   * (delivery-status or disposition) is a challenge */
  if ((e->report_dsn || e->report_ct || e->mdn_failure || e->mdn_receipt) && e->chal >= CHALLENGE_MIN &&
      !e->x_failed && e->human < 6 && e->feedback < FEEDBACK_MIN) {
    usc_bounce_note (b, "a challenge-response request inside a %s report",
                     e->mdn_failure || e->mdn_receipt ? "disposition-notification" : "delivery-status");
    usc_kind_challenge_explain (h, e, b);
    return USC_KIND_CHALLENGE;
  }
  if (e->feedback >= FEEDBACK_MIN) {
    usc_kind_feedback_explain (h, e, b);
    return USC_KIND_FEEDBACK_REPORT;
  }
  if (e->virus_subject && e->virus_body > 0 && e->vir >= VIRUS_IN_REPORT_MIN && e->human < 3) {
    usc_bounce_note (b, "anti-virus notice%s", e->report_dsn ? " (in a delivery-status report)" : "");
    return USC_KIND_VIRUS_NOTICE;
  }
  if (e->list_bounce) {
    usc_bounce_note (b, "a bounce attached to list software's own message (read first)");
    usc_kind_dsn_explain (h, e, b);
    return USC_KIND_DSN;
  }
  if (e->report_dsn && e->human < 6) {
    usc_bounce_note (b, e->ses ? "Amazon SES bounce notification" : "multipart/report delivery-status (RFC 3464)");
    return USC_KIND_DSN;
  }
  if (e->mdn_failure && e->human < 6) {
    usc_bounce_note (b, "a disposition notification (RFC 8098) saying the message was not delivered");
    return USC_KIND_DSN;
  }
  if (e->mdn_receipt && e->human < 6) {
    usc_bounce_note (b, "a disposition notification (RFC 8098): a read receipt, an automatic reply");
    return USC_KIND_AUTOREPLY;
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
    usc_kind_dsn_explain (h, e, b);
    break;
  case USC_KIND_AUTOREPLY:
    usc_kind_autoreply_explain (h, e, b);
    break;
  case USC_KIND_CHALLENGE:
    usc_kind_challenge_explain (h, e, b);
    break;
  case USC_KIND_VIRUS_NOTICE:
    usc_kind_virus_explain (h, e, b);
    break;
  default:
    if (e->dsn >= 3 || e->arep >= 3)
      usc_bounce_note (b, e->human ? "some bounce-like signs, but written or forwarded by a person"
                        : "some bounce-like signs, but not enough for a bounce");
    break;
  }
  return kind;
}
