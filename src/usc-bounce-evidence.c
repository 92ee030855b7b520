/* usc-bounce-evidence.c — the evidence every kind reads, and the final pick:
 * the notice's own text searched once for every table (one usc-match
 * index), the sender, the headers (RFC 3834 Auto-Submitted, RFC 2369
 * List-*), the structure (RFC 3464, RFC 5965, RFC 8098), the signs of a
 * person; then each kind's score (src/usc-kind-*.c, one rule table and one
 * weight table each) and the pick among them against their thresholds.
 */
#include "config.h"
#include "usc-bounce-private.h"
#include "usc-lang.h"

/* Thresholds: no single weak hint makes a bounce. */
#define DSN_MIN 7
#define AUTOREPLY_MIN 6
#define CHALLENGE_MIN 8
#define VIRUS_MIN 9
#define VIRUS_IN_REPORT_MIN 12
#define FEEDBACK_MIN 1

static const char *const scan_literals[] = { "final-recipient:", "reporting-mta:", "http://", "https://" };
static void
tm_add (GPtrArray *pats, TextMatcher *tm, UscTextTab id, const char *const *tab, guint n)
{
  g_assert (tm->ntabs == (guint) id && tm->ntabs < G_N_ELEMENTS (tm->tabs));
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
#define ADD(id, tab) tm_add (pats, &tm, id, tab, N (tab))
    ADD (USC_TT_SCAN_LITERALS, scan_literals);
    ADD (USC_TT_COPY_SEPARATORS, copy_separators);
    ADD (USC_TT_VIRUS_BODY, virus_body_markers);
    ADD (USC_TT_FORWARD, forward_markers);
    ADD (USC_TT_AUTOREPLY_BODY, autoreply_body_markers);
    ADD (USC_TT_CHALLENGE_BODY, challenge_body_markers);
    ADD (USC_TT_CHALLENGE_MESSAGE, challenge_message_words);
    ADD (USC_TT_CHALLENGE_HOLD, challenge_hold_words);
    ADD (USC_TT_CHALLENGE_NOT, challenge_not_markers);
    ADD (USC_TT_VIRUS_CONTEXT, virus_context_markers);
#undef ADD
    g_assert (tm.ntabs == USC_TT_N);
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
void
usc_evidence_clear (Evidence *e)
{
  g_free (e->scan_lc);
  g_free (e->hits);
}
gboolean
usc_text_any (const Evidence *e, UscTextTab t, const char **hit_r)
{
  const MultiTab *mt = &e->tm->tabs[t];
  if (*e->scan_lc == '\0')
    return FALSE;
  for (gsize i = 0; i < mt->n; i++)
    if (e->hits[mt->off + i] >= 0) {
      if (hit_r)
        *hit_r = ((const char *const *) mt->tab)[i];
      return TRUE;
    }
  return FALSE;
}
int
usc_text_count (const Evidence *e, UscTextTab t)
{
  const MultiTab *mt = &e->tm->tabs[t];
  int k = 0;
  for (gsize i = 0; i < mt->n; i++)
    if (e->hits[mt->off + i] >= 0)
      k++;
  return k;
}
const char *
usc_text_find (const Evidence *e, const char *lit)
{
  const MultiTab *mt = &e->tm->tabs[USC_TT_SCAN_LITERALS];
  for (guint i = 0; i < N (scan_literals); i++)
    if (strcmp (scan_literals[i], lit) == 0)
      return e->hits[mt->off + i] >= 0 ? e->scan_lc + e->hits[mt->off + i] : NULL;
  return strstr (e->scan_lc, lit);
}
/* usc_find_separator (e->scan_lc), from the index. */
static gssize
text_separator (const Evidence *e)
{
  const MultiTab *mt = &e->tm->tabs[USC_TT_COPY_SEPARATORS];
  gssize best = -1;
  for (guint i = 0; i < mt->n; i++) {
    gssize h = e->hits[mt->off + i];
    if (h >= 0 && (best < 0 || h < best))
      best = h;
  }
  return usc_find_separator_from (e->scan_lc, best);
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

/* Auto-Submitted and the null sender are never set by people; a daemon
 * address can be a person's (postmaster answering). */
static gboolean
machine_made (const Headers *h, const Evidence *e)
{
  return e->auto_any || h->null_sender || e->chal_sw;
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

/* ---- wording by language, who sent it, what it is about (issue 9) ---- */

/* A separator phrase of src/lang/separator.def on a short line of @s, with
 * a header field ("from:", "message-id:", ...) on one of the next lines:
 * the returned copy starts there. */
static gboolean
lang_copy_in (const char *s)
{
  gsize n = 0;
  const char *const *p = usc_lang_phrases (USC_LANG_SEPARATOR, &n);
  const UscMatch *m = usc_match_table (p, n);
  gsize len = strlen (s);
  gssize at = m ? usc_match_first_folded (m, s, len) : -1;
  static const char *const fields[] = { "from:", "to:", "subject:", "date:", "message-id:", "received:",
                                        "return-path:" };
  for (int tries = 0; at >= 0 && tries < 8; tries++) {
    const char *ls = s + at, *le;
    while (ls > s && ls[-1] != '\n')
      ls--;
    le = strchr (s + at, '\n');
    if (le == NULL)
      return FALSE;
    if (le - ls <= 120) {
      /* the next three lines (blank ones included) */
      const char *q = le + 1;
      for (int k = 0; k < 3 && *q; k++) {
        while (*q == ' ' || *q == '\t')
          q++;
        for (gsize f = 0; f < N (fields); f++)
          if (has_prefix (q, fields[f]))
            return TRUE;
        const char *nl = strchr (q, '\n');
        if (nl == NULL)
          break;
        q = nl + 1;
      }
    }
    gssize next = m ? usc_match_first_folded (m, le, strlen (le)) : -1;
    at = next >= 0 ? (le - s) + next : -1;
  }
  return FALSE;
}
gboolean
usc_own_domain_id (const char *id, const char *mailbox)
{
  if (id == NULL || mailbox == NULL || strchr (mailbox, '@') == NULL)
    return FALSE;
  const char *dom = strchr (mailbox, '@') + 1, *at = strrchr (id, '@');
  gsize dl = strlen (dom), il = strlen (id);
  if (at == NULL || dl == 0 || il <= dl || g_ascii_strcasecmp (id, mailbox) == 0)
    return FALSE;
  if (g_ascii_strcasecmp (id + il - dl, dom) != 0 || (id[il - dl - 1] != '@' && id[il - dl - 1] != '.'))
    return FALSE;
  for (const char *p = id; p < at; p++)
    if (g_ascii_isdigit (*p))
      return TRUE;
  return FALSE;
}
/* Does the text quote a message of this mailbox (@to, its address): a
 * "from:" line holding the address, or a Message-ID of its domain ("<id>"
 * after a label of any language: "原邮件编号：<...>", "Message-ID: <...>")? */
static gboolean
own_copy_in (const char *s, const char *to)
{
  if (to == NULL || strchr (to, '@') == NULL)
    return FALSE;
  for (const char *l = s; *l;) {
    const char *nl = strchr (l, '\n');
    gsize n = nl ? (gsize) (nl - l) : strlen (l);
    const char *p = l;
    while (p < l + n && (*p == ' ' || *p == '\t'))
      p++;
    if (has_prefix (p, "from:")) {
      char *line = g_strndup (p, n - (p - l));
      gboolean hit = strstr (line, to) != NULL;
      g_free (line);
      if (hit)
        return TRUE;
    } else if (!has_prefix (p, "to:") && !has_prefix (p, "cc:") && !has_prefix (p, "reply-to:") &&
               !has_prefix (p, "return-path:") && !has_prefix (p, "sender:")) {
      const char *lt = memchr (p, '<', n - (p - l));
      const char *gt = lt ? memchr (lt, '>', n - (lt - l)) : NULL;
      if (gt && gt - lt < 250) {
        char *id = usc_msgid_in (lt, TRUE);
        gboolean hit = usc_own_domain_id (id, to);
        g_free (id);
        if (hit)
          return TRUE;
      }
    }
    l += n + (nl ? 1 : 0);
  }
  return FALSE;
}
/* An SMTP reply code with an enhanced status code (RFC 3463) in @s:
 * "550 5.1.1", "451-4.7.1", "#5.2.2" (qmail, Exchange), the shape every
 * server's diagnostic has in any language. */
gboolean
usc_smtp_code_scan (const char *s, int max_tries)
{
  int tries = 0;
  for (const char *p = s; *p && tries < max_tries; p++) {
    if (*p != '.' || p - s < 1 || !g_ascii_isdigit (p[1]))
      continue;
    tries++;
    const char *c = p - 1;  /* the class digit of "c.s.d" */
    if (*c < '2' || *c > '5' || *c == '3' || (c > s && (g_ascii_isalnum (c[-1]) ? c[-1] != '#' : c[-1] == '.')))
      continue;
    const char *q = p + 1;
    int k = 0;
    while (g_ascii_isdigit (*q) && k < 4)
      q++, k++;
    if (k == 0 || k > 3 || *q != '.' || !g_ascii_isdigit (q[1]))
      continue;
    q++;
    k = 0;
    while (g_ascii_isdigit (*q) && k < 4)
      q++, k++;
    if (k == 0 || k > 3 || g_ascii_isalnum (*q) || (*q == '.' && g_ascii_isdigit (q[1])))
      continue;
    /* a reply code before it ("550 5.1.1", "451-4.7.1"), or qmail's "#5.1.1" */
    if (c > s && c[-1] == '#')
      return TRUE;
    if (c - s >= 4 && (c[-1] == ' ' || c[-1] == '-') && g_ascii_isdigit (c[-2]) && g_ascii_isdigit (c[-3]) &&
        c[-4] == c[0] && (c - s == 4 || !g_ascii_isalnum (c[-5])))
      return TRUE;
  }
  return FALSE;
}
/* A From with no usable address: empty or absent ("Mail System" <>,
 * "From: " with nothing), or a quoted local part with a space
 * (<"System Administrator"@host>). (A bare "postmaster" is a daemon's.) */
static gboolean
odd_sender (const Headers *h)
{
  const char *a = h->from_addr;
  return a == NULL || *a == '\0' || strchr (a, '"') || (strchr (a, ' ') && strchr (a, '@'));
}
/* The text for the tables of src/lang: e->scan_lc is lower-cased as ASCII
 * only, but a sentence in Cyrillic, Greek or Armenian begins with a capital
 * ("Не удалось доставить", "Tack för ditt mejl"): the tables' rows are lower
 * case UTF-8, so they are searched in a copy folded as Unicode (the ASCII
 * text itself when it has no other byte). Returns NULL for "use scan_lc". */
static char *
lang_folded (const char *s)
{
  for (const unsigned char *p = (const unsigned char *) s; *p; p++)
    if (*p >= 0x80)
      return usc_lang_fold (s, -1);
  return NULL;
}
static void
lang_evidence (const Headers *h, Evidence *e)
{
  char *folded = lang_folded (e->scan_lc);
  const char *s = folded ? folded : e->scan_lc;
  gsize len = strlen (s);
  guint n[USC_LANG_N_SIGNALS];
  const char *hit[USC_LANG_N_SIGNALS];
  /* a phrase may be broken over a line end: the tables read the text with
   * the line breaks inside paragraphs made spaces (the copy's separator
   * lines below are read as lines) */
  char *joined = usc_lang_join_lines (s);
  usc_lang_count_text (joined ? joined : s, joined ? strlen (joined) : len, n, hit); /* every table in one pass */
  g_free (joined);
  e->lang_fail = n[USC_LANG_FAILURE];
  e->lang_delay = n[USC_LANG_DELAY];
  e->lang_hit = hit[USC_LANG_FAILURE] ? hit[USC_LANG_FAILURE] : hit[USC_LANG_DELAY];
  e->lang_ack = n[USC_LANG_ACK];
  e->lang_vac = n[USC_LANG_VACATION];
  e->lang_chal = n[USC_LANG_CHALLENGE];
  e->lang_auto = n[USC_LANG_AUTOMATIC];
  e->lang_confirm = n[USC_LANG_CONFIRM];
  e->lang_reply = n[USC_LANG_REPLY_INSTRUCTION];
  e->lang_chal_subject = h->subject_lc && *h->subject_lc &&
                         usc_lang_count (USC_LANG_CHALLENGE, h->subject_lc, strlen (h->subject_lc), NULL) > 0;
  e->lang_copy = lang_copy_in (s);
  e->odd_sender = odd_sender (h);
  e->own_copy = own_copy_in (e->scan_lc, h->mailbox);
  e->smtp_code = usc_smtp_code_scan (e->scan_lc, 4000);
  g_free (folded);
}

void
usc_gather_evidence (const Headers *h, Parts *p, const NoticeText *t, Evidence *e)
{
  GMimeObject *top = GMIME_OBJECT (h->mime);
  const char *s = e->scan_lc = usc_unquoted_lower (t->text->str, SCAN_MAX);
  e->tm = text_matcher ();
  e->hits = g_new (gssize, usc_match_size (e->tm->m));
  usc_match_first_each (e->tm->m, s, strlen (s), e->hits);

  /* structure */
  e->header_copy = p->header_copy;
  e->returned_parts = p->returned->len;
  e->report_ct = p->report_type && strstr (p->report_type, "delivery-status");
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
  lang_evidence (h, e);
  e->returned = e->returned_parts > 0 || text_separator (e) >= 0 || e->lang_copy || usc_rule_before_fields (s);
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
                                usc_contains_any (s, list_refusal_words, N (list_refusal_words), NULL));
  e->chal_sw = usc_any_header (top, challenge_headers, N (challenge_headers)) ||
               usc_header_name_prefix (top, challenge_header_prefixes, N (challenge_header_prefixes));
  for (guint i = 0; i < N (challenge_header_values) && !e->chal_sw; i++)
    e->chal_sw = usc_header_has (top, challenge_header_values[i].name, challenge_header_values[i].value);
  e->virus_hdr = usc_virus_header_verdict (top);

  /* wording */
  e->subject_dsn = usc_contains_any (h->subject_lc, dsn_subjects, N (dsn_subjects), &e->subject_hit);
  for (guint i = 0; i < N (dsn_body_markers); i++)
    if (e->hits[e->tm->markers_off + i] >= 0) {
      if (dsn_body_markers[i].strong)
        e->strong++;
      else
        e->weak++;
      if (!e->first_marker || (dsn_body_markers[i].strong && e->strong == 1))
        e->first_marker = dsn_body_markers[i].needle;
    }
  e->virus_subject = usc_contains_any (h->subject_lc, virus_subjects, N (virus_subjects), NULL);
  e->virus_body = usc_text_count (e, USC_TT_VIRUS_BODY);
  e->malware = usc_malware_names (s);
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
