/* usc-bounce-wording.c — what the notice's words say beyond the tables of
 * usc-bounce-tables.h: the wording of src/lang (failure, delay, auto-reply,
 * challenge phrases in any language; a separator phrase before a copy),
 * a quoted message of this mailbox, an SMTP reply code, an odd sender.
 * Read from the answers of the notice index (usc-bounce-index.c).
 */
#include "config.h"
#include "usc-bounce-private.h"
#include "usc-lang.h"

/* A separator phrase of src/lang/separator.def on a short line of @s, with
 * a header field ("from:", "message-id:", ...) on one of the next lines:
 * the returned copy starts there. */
static gboolean
lang_copy_in (const char *s, const GArray *occ)
{
  static const char *const fields[] = { "from:", "to:", "subject:", "date:", "message-id:", "received:",
                                        "return-path:" };
  guint k = 0;  /* the next of @occ (in the order of their offsets) */
  gssize at = occ->len ? (gssize) g_array_index (occ, UscMatchOcc, 0).pos : -1;
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
      for (int j = 0; j < 3 && *q; j++) {
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
    /* the first phrase from the line end on */
    while (k < occ->len && g_array_index (occ, UscMatchOcc, k).pos < (gsize) (le - s))
      k++;
    at = k < occ->len ? (gssize) g_array_index (occ, UscMatchOcc, k).pos : -1;
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
  for (const char *p = strchr (s, '.'); p && tries < max_tries; p = strchr (p + 1, '.')) {
    if (p - s < 1 || !g_ascii_isdigit (p[1]))
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
#define JOIN_MAX 2048
/* Mail the src/lang wording can count in: the null sender, a daemon's,
 * weak or odd From, Auto-Submitted, Precedence, X-Failed-Recipients (the
 * tests of usc_gather_evidence(), which come after this one). */
static gboolean
machine_ish (const Headers *h)
{
  GMimeObject *top = GMIME_OBJECT (h->mime);
  if (h->null_sender || odd_sender (h) || usc_hdr (top, "Auto-Submitted") || usc_hdr (top, "Precedence") ||
      usc_hdr (top, "X-Failed-Recipients"))
    return TRUE;
  if (h->from_local && (usc_equal_any (h->from_local, daemon_local_parts, N (daemon_local_parts)) ||
                        usc_prefix_any (h->from_local, daemon_local_prefixes, N (daemon_local_prefixes), NULL) ||
                        usc_equal_any (h->from_local, weak_daemon_local_parts, N (weak_daemon_local_parts))))
    return TRUE;
  return usc_contains_any (h->from_name, daemon_display_names, N (daemon_display_names), NULL);
}
void
usc_lang_evidence (const Headers *h, Evidence *e)
{
  /* the text of the src/lang answers of usc_notice_scan() */
  const char *s = e->lang_text ? e->lang_text : e->scan_lc;
  guint n[USC_LANG_N_SIGNALS] = { 0 };
  const char *hit[USC_LANG_N_SIGNALS] = { NULL };
  if (*s)
    usc_lang_count_from (e->lang_first, e->lang_off, n, hit);
  if (*s && e->lang_text == NULL) {
    /* an ASCII text: the failure and delay rows without their diacritics
     * too ("nije isporucena"), found by the same scan */
    gsize na = 0;
    const UscLangSignal *sig = NULL;
    const char *const *ap = usc_lang_ascii_table (&na, &sig);
    guint aoff = usc_match_tab_off (e->tm->m, USC_TT_LANG_ASCII);
    for (gsize k = 0; k < na; k++)
      if (usc_match_hit (&e->hits, aoff + (guint) k) >= 0) {
        n[sig[k]]++;
        if (hit[sig[k]] == NULL)
          hit[sig[k]] = ap[k];
      }
  }
  /* a phrase broken over a line end ("vastaamalla\ntähän viestiin"): read
   * once more with the line breaks inside paragraphs made spaces, where the
   * wording can count (a machine's or a daemon's mail: for a person's the
   * src/lang wording scores nothing) */
  if (*s && machine_ish (h)) {
    /* the notice's own words come first: its first JOIN_MAX bytes */
    guint jn[USC_LANG_N_SIGNALS];
    const char *jh[USC_LANG_N_SIGNALS];
    if (usc_notice_lang_joined (s, JOIN_MAX, jn, jh))
      for (guint k = 0; k < USC_LANG_N_SIGNALS; k++)
        if (jn[k] > n[k]) {
          n[k] = jn[k];
          if (hit[k] == NULL)
            hit[k] = jh[k];
        }
  }

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
  e->lang_copy = lang_copy_in (s, e->lang_occ);
  e->odd_sender = odd_sender (h);
  e->own_copy = own_copy_in (e->scan_lc, h->mailbox);
  e->smtp_code = usc_smtp_code_scan (e->scan_lc, 4000);
}
