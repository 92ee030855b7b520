/* usc-bounce-rcpt-text.c — failed recipients, status codes (RFC 3463) and
 * diagnostics from the text of non-standard notices: keyed lines, an
 * MTA's transcript, phrases naming the destination, addresses in <...>, an
 * SMTP reply code; the reporting host named in the text.
 */
#include "config.h"
#include "usc-bounce-private.h"
#include "usc-lang.h"

/* Status codes (RFC 3463) in @t, in order; SMTP reply codes when none. */
void
usc_scan_status (GPtrArray *out, const char *t)
{
  for (const char *p = t; *p && out->len < 8; p++) {
    if ((*p == '4' || *p == '5') && p[1] == '.' && g_ascii_isdigit (p[2]) &&
        (p == t || !(g_ascii_isdigit (p[-1]) || p[-1] == '.' || g_ascii_isalpha (p[-1])))) {
      const char *q = p + 2;
      int a = 0, b = 0;
      while (g_ascii_isdigit (*q)) { q++; a++; }
      if (a > 3 || *q != '.')
        continue;
      q++;
      while (g_ascii_isdigit (*q)) { q++; b++; }
      if (b < 1 || b > 3 || *q == '.' || g_ascii_isalnum (*q))
        continue;
      usc_ptr_array_add_unique (out, g_strndup (p, q - p), FALSE);
      p = q - 1;
    }
  }
  if (out->len)
    return;
  /* "550 User unknown", "said: 554-..." */
  for (const char *p = t; *p && out->len < 1; p++) {
    if (!((*p == '4' || *p == '5') && (p[1] >= '0' && p[1] <= '5') && g_ascii_isdigit (p[2]) &&
          (p[3] == ' ' || p[3] == '-') && (p == t || p[-1] == ' ' || p[-1] == '\n' || p[-1] == '#' || p[-1] == '(')))
      continue;
    const char *w = p + 3;  /* "550 User unknown", "550-User", "550 - User" */
    while (w < p + 6 && (*w == ' ' || *w == '-'))
      w++;
    if (g_ascii_isalpha (*w)) {
      int code = (p[0] - '0') * 100 + (p[1] - '0') * 10 + (p[2] - '0');
      if (code == 421 || code == 450 || code == 451 || code == 452 || code == 550 || code == 551 ||
          code == 552 || code == 553 || code == 554)
        usc_ptr_array_add_unique (out, g_strdup_printf ("%c.0.0", p[0]), FALSE);
    }
  }
}
/* "Recipient: a@b", "Recipient of the message: Name <a@b>", "Empfänger:
 * a@b", "Recipient: [SMTP:a@b]": a key naming a recipient (recipient_keys)
 * before the first colon, and the first address in the value (an
 * angle-bracketed one preferred). @lc is one lower-cased line. */
static char *
keyed_recipient (const char *lc)
{
  const char *p = lc;
  while (*p == ' ' || *p == '\t' || *p == '*' || *p == '-')
    p++;
  /* the key ends at a colon, ASCII or full-width ("收件人：a@b") */
  const char *colon = strchr (p, ':'), *fw = strstr (p, "\xef\xbc\x9a");
  gsize clen = 1;
  if (fw && (colon == NULL || fw < colon)) {
    colon = fw;
    clen = 3;
  }
  if (colon == NULL || colon - p > 40 || colon == p)
    return NULL;
  char *key = g_strndup (p, colon - p);
  gboolean hit = usc_contains_any (key, recipient_keys, N (recipient_keys), NULL);
  if (!hit) {
    /* the word in other languages (src/lang/recipient-key.def) */
    char *fk = usc_lang_fold (key, -1);
    hit = usc_lang_count (USC_LANG_RECIPIENT_KEY, fk, strlen (fk), NULL) > 0;
    g_free (fk);
  }
  hit = hit && !usc_contains_any (key, recipient_key_exclusions, N (recipient_key_exclusions), NULL);
  g_free (key);
  if (!hit)
    return NULL;
  const char *v = colon + clen;
  const char *lt = strchr (v, '<');
  if (lt) {
    char *a = usc_addr_at (lt + 1, NULL);
    if (a)
      return a;
  }
  for (const char *q = v; *q; q++) {
    if (*q != '@' || q == v)
      continue;
    const char *st = q;
    while (st > v && usc_addr_char (st[-1]) && st[-1] != ':')
      st--;
    char *a = usc_addr_at (st, NULL);
    if (a)
      return a;
  }
  return NULL;
}
/* Does @line start a copy's header block: an address field (From, To, Cc,
 * Sender, Reply-To, Return-Path) or Message-ID / Subject / Date, the name
 * at the start of the line (after white space), a colon right after it? */
static gboolean
copy_field_line (const char *line)
{
  static const char *const names[] = {
    "from:", "to:", "cc:", "sender:", "reply-to:", "return-path:", "message-id:", "subject:", "date:",
  };
  while (*line == ' ' || *line == '\t')
    line++;
  for (guint i = 0; i < N (names); i++)
    if (g_ascii_strncasecmp (line, names[i], strlen (names[i])) == 0)
      return TRUE;
  return FALSE;
}
/* Failed recipients named in the text of a non-standard bounce. */
static void
scan_text_recipients (Out *o, const Headers *h, const char *diag)
{
  char **lines = usc_split_lines (diag, 5000);
  for (guint i = 0; lines[i] && o->b->recipients->len < 50; i++) {
    const char *p = lines[i];
    while (*p == ' ' || *p == '\t' || *p == '*' || *p == '-')
      p++;
    /* a sendmail transcript's "554 <a@b>... reason": a 4xx/5xx reply code,
     * and maybe an enhanced status code, before the address */
    if ((p[0] == '4' || p[0] == '5') && g_ascii_isdigit (p[1]) && g_ascii_isdigit (p[2]) &&
        (p[3] == ' ' || p[3] == '-')) {
      const char *q = p + 4;
      if ((q[0] == '4' || q[0] == '5') && q[1] == '.') {
        while (*q && *q != ' ')
          q++;
        while (*q == ' ')
          q++;
      }
      if (*q == '<')
        p = q;
    }
    char *a = NULL;
    const char *end = NULL;
    if (*p == '<' || *p == '"') {
      a = usc_addr_at (p + 1, &end);
      if (a && (*end == '>' || *end == '"')) {
        end++;
        while (*end == ' ' || *end == '\t')
          end++;
        /* "<a@b>: ...", "<a@b>", "<a@b> (reason)", "<a@b>... User unknown" */
      } else {
        g_clear_pointer (&a, g_free);
      }
    } else if ((a = usc_addr_at (p, &end)) != NULL) {
      while (*end == ' ' || *end == '\t')
        end++;
      if (!(*end == '\0' || *end == ':' || *end == '(' || g_str_has_prefix (end, "on ") ||
            g_str_has_prefix (end, "...") || *end == '<' || *end == '\r' || *end == ',' || *end == '['))
        g_clear_pointer (&a, g_free);
    }
    if (a == NULL) {
      char *lc = g_ascii_strdown (lines[i], -1);
      const char *r = strstr (lc, "rcpt to:");
      if (r) {
        r += 8;
        while (*r == ' ' || *r == '<')
          r++;
        a = usc_addr_at (r, NULL);
      } else {
        a = keyed_recipient (lc);
      }
      g_free (lc);
    }
    if (a && (usc_is_own_address (h, o->b, a) || usc_is_known_id (o->b, a)))
      g_clear_pointer (&a, g_free);
    if (a)
      add_recipient (o, a);
    else
      g_free (a);
  }
  /* last resort: an address on a line that says what went wrong (not a
   * copy's header field: "Message-ID: <x@host.invalid>" says nothing) */
  for (guint i = 0; lines[i] && o->b->recipients->len == 0; i++) {
    if (copy_field_line (lines[i]))
      continue;
    char *lc = g_ascii_strdown (lines[i], -1);
    gboolean failure = usc_contains_any (lc, failure_words, N (failure_words), NULL);
    if (!failure && strchr (lc, '@')) {
      /* ... or says it in some language (src/lang: "Не удалось доставить
       * письмо получателю a@b") */
      char *f = usc_lang_fold (lines[i], -1);
      gsize fl = strlen (f);
      failure = usc_lang_count (USC_LANG_FAILURE, f, fl, NULL) > 0 || usc_lang_count (USC_LANG_DELAY, f, fl, NULL) > 0;
      g_free (f);
    }
    if (failure) {
      for (const char *p = lc; *p; p++) {
        if (*p != '@' || p == lc)
          continue;
        const char *st = p;
        while (st > lc && usc_addr_char (st[-1]))
          st--;
        const char *end = NULL;
        char *a = usc_addr_at (st, &end);
        if (a && !usc_is_own_address (h, o->b, a)) {
          add_recipient (o, a);
          break;
        }
        g_free (a);
      }
    }
    g_free (lc);
  }
  /* last of all: the one address the notice names, whatever its words (a
   * notice in a language no table has: "Ujumbe wako haukuweza kufikishwa
   * kwa sam.k@..."), before the header fields of a copy of the message
   * (whose To and Cc name every recipient, not the one that failed); two
   * different ones say nothing */
  char *only = NULL;
  gboolean many = FALSE;
  for (guint i = 0; lines[i] && o->b->recipients->len == 0 && !many && !copy_field_line (lines[i]); i++) {
    char *lc = g_ascii_strdown (lines[i], -1);
    for (const char *p = lc; *p && !many; p++) {
      if (*p != '@' || p == lc)
        continue;
      const char *st = p;
      while (st > lc && usc_addr_char (st[-1]))
        st--;
      char *a = usc_addr_at (st, NULL);
      if (a && !usc_is_own_address (h, o->b, a) && !usc_is_known_id (o->b, a)) {
        if (only == NULL)
          only = g_steal_pointer (&a);
        else if (strcmp (only, a) != 0)
          many = TRUE;
      }
      g_free (a);
    }
    g_free (lc);
  }
  if (only && !many && o->b->recipients->len == 0)
    add_recipient (o, g_steal_pointer (&only));
  g_free (only);
  /* an original's "To: addr" listed in the notice (after the notice's
   * own sentences: the copy's To names every recipient, the sentence the
   * one that failed) */
  for (guint i = 0; lines[i] && o->b->recipients->len == 0; i++) {
    const char *p = lines[i];
    while (*p == ' ' || *p == '\t')
      p++;
    if (g_ascii_strncasecmp (p, "to:", 3) != 0)
      continue;
    p += 3;
    while (*p == ' ' || *p == '\t' || *p == '<' || *p == '"')
      p++;
    char *a = usc_addr_at (p, NULL);
    if (a && !usc_is_own_address (h, o->b, a))
      add_recipient (o, a);
    else
      g_free (a);
  }
  usc_free_lines (lines);
}
/* "... the message you sent to <addr> was infected", "your message to
 * addr": an address right after a phrase naming the destination
 * (recipient_phrases), line breaks counting as spaces. */
static void
phrase_recipient (Out *o, const Headers *h, const char *text)
{
  char *lc = g_ascii_strdown (text, -1);
  for (char *p = lc; *p; p++)
    if (*p == '\n' || *p == '\r' || *p == '\t')
      *p = ' ';
  for (guint i = 0; i < N (recipient_phrases) && o->b->recipients->len == 0; i++) {
    gsize pl = strlen (recipient_phrases[i]);
    for (const char *hit = lc; (hit = strstr (hit, recipient_phrases[i])) != NULL; hit += pl) {
      const char *q = hit + pl;
      while (*q == ' ' || *q == '<' || *q == '"' || *q == '\'')
        q++;
      char *a = usc_addr_at (q, NULL);
      if (a && !usc_is_own_address (h, o->b, a) && !usc_is_known_id (o->b, a)) {
        add_recipient (o, a);
        break;
      }
      g_free (a);
    }
  }
  g_free (lc);
}
/* Recipients, status codes, diagnostics and the reporting host of a
 * non-standard (text) notice. */
void
usc_collect_text_failures (Out *o, const Headers *h, const Parts *parts, NoticeText *t, const char *diag)
{
  UscBounce *b = o->b;
  UscCopy *orig = parts->returned->len ? parts->returned->pdata[0] : NULL;
  char *whole = usc_notice_region (t);
  if (b->recipients->len == 0)
    scan_text_recipients (o, h, diag);
  if (b->recipients->len == 0)
    phrase_recipient (o, h, diag);
  /* the first text part may only say "see the HTML part" / "details below" */
  if (b->recipients->len == 0 && strcmp (whole, diag) != 0) {
    scan_text_recipients (o, h, whole);
    if (b->recipients->len == 0)
      phrase_recipient (o, h, whole);
  }
  if (b->recipients->len == 0 && orig) {
    /* last resort: whom the returned original was addressed to */
    usc_add_copy_recipients (o, h, orig, FALSE);
  }
  if (b->status->len == 0)
    usc_scan_status (b->status, diag);
  if (b->status->len == 0)
    usc_scan_status (b->status, whole);
  g_free (whole);
  if (b->diagnostics->len == 0) {
    char **lines = usc_split_lines (diag, 2000);
    for (guint i = 0; lines[i] && b->diagnostics->len < 3; i++) {
      char *l = g_strstrip (lines[i]);
      GPtrArray *tmp = g_ptr_array_new_with_free_func (g_free);
      usc_scan_status (tmp, l);
      if (tmp->len && strlen (l) > 8)
        usc_ptr_array_add_unique (b->diagnostics, usc_short_copy (l, 200), FALSE);
      g_ptr_array_unref (tmp);
    }
    usc_free_lines (lines);
  }
  if (!b->reporting_mta) {
    char *lc = g_ascii_strdown (diag, -1);
    for (guint i = 0; i < N (reporting_host_markers) && !b->reporting_mta; i++) {
      const char *hit = strstr (lc, reporting_host_markers[i]);
      if (hit) {
        hit += strlen (reporting_host_markers[i]);
        const char *e = hit;
        while (usc_dom_char (*e))
          e++;
        while (e > hit && e[-1] == '.')
          e--;
        if (e > hit)
          b->reporting_mta = g_strndup (hit, e - hit);
      }
    }
    g_free (lc);
  }
}
