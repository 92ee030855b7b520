/* usc-bounce-index.c — the notice's text searched once: one usc-match index
 * over every table the analysis looks for in Evidence.scan_lc (the
 * evidence's markers, the MTA signatures, the wording tables of src/lang,
 * the separators of src/lang, the malware prefixes, the copy separators),
 * one pass, the answers sorted out per table (UscTextTab). From the copy
 * separators found there, the separators of the whole text (NoticeText,
 * quoted lines included: usc_text_separators) are put together without a
 * second pass over the lines the scan already read.
 */
#include "config.h"
#include "usc-bounce-private.h"
#include "usc-lang.h"
#include "usc-match-data.h"

/* The indexes, written out at build time (src/gen-match-data.c): every
 * table in UscTextTab order; the wording of src/lang only ([text phrases,
 * separators]: for a text folded as Unicode); copy_separators only. */
static const TextMatcher notice_tm = { &usc_match_data_notice };
#define lang_m (&usc_match_data_lang)
#define sep_m (&usc_match_data_sep)

/* t->sep_occ (the copy separators in t->text, read as if lower-cased, as
 * usc_match_all_folded() gives them) from @occ, those the scan found in
 * @scan_lc (usc_unquoted_lower (t->text->str, SCAN_MAX)). scan_lc holds the
 * unquoted lines of t->text, lower-cased, in order: a separator found on
 * one of them is one of t->text (no separator holds a line end or a NUL),
 * moved by the bytes of the lines left out before it; only the lines left
 * out ('>'-quoted, past SCAN_MAX, after a NUL) are searched again. */
static void
text_separators_from_scan (NoticeText *t, const GArray *occ)
{
  if (t->sep_occ == NULL)
    t->sep_occ = g_array_new (FALSE, FALSE, sizeof (UscMatchOcc));
  g_array_set_size (t->sep_occ, 0);
  const char *txt = t->text->str, *p = txt, *end = txt + strlen (txt);
  gsize o = 0, k = 0;  /* scan_lc offset; next of @occ */
  while (p < end && o < SCAN_MAX) {
    gsize n;
    gboolean quoted;
    const char *next = usc_next_line (p, end, &n, &quoted);
    if (!quoted) {
      /* kept: scan_lc [o, o + n] is this line */
      for (; k < occ->len && g_array_index (occ, UscMatchOcc, k).pos <= o + n; k++) {
        UscMatchOcc x = g_array_index (occ, UscMatchOcc, k);
        x.pos = x.pos - o + (gsize) (p - txt);
        g_array_append_val (t->sep_occ, x);
      }
      o += n + 1;
    } else {
      guint from = t->sep_occ->len;
      usc_match_all_folded (sep_m, p, n, t->sep_occ);
      for (guint j = from; j < t->sep_occ->len; j++)
        g_array_index (t->sep_occ, UscMatchOcc, j).pos += (gsize) (p - txt);
    }
    p = next;
  }
  /* what scan_lc does not hold: the lines past SCAN_MAX, the bytes after a NUL */
  gsize rest = (gsize) (p - txt);
  if (rest < t->text->len) {
    guint from = t->sep_occ->len;
    usc_match_all_folded (sep_m, p, t->text->len - rest, t->sep_occ);
    for (guint j = from; j < t->sep_occ->len; j++)
      g_array_index (t->sep_occ, UscMatchOcc, j).pos += rest;
  }
  t->sep_occ_len = t->text->len;
}

/* The text for the tables of src/lang: e->scan_lc is lower-cased as ASCII
 * only, but a sentence in Cyrillic, Greek or Armenian begins with a capital
 * ("Не удалось доставить", "Tack för ditt mejl"): the tables' rows are lower
 * case UTF-8, so they are searched in a copy folded as Unicode (the ASCII
 * text itself when it has no other byte). Returns NULL for "use scan_lc". */
static char *
lang_folded (const char *s, gsize len)
{
  gsize i = 0;
  for (; i + 8 <= len; i += 8) {
    guint64 w;
    memcpy (&w, s + i, 8);
    if (w & G_GUINT64_CONSTANT (0x8080808080808080))
      return usc_lang_fold (s, -1);  /* a byte beyond ASCII, eight at a time */
  }
  for (; i < len; i++)
    if ((guchar) s[i] >= 0x80)
      return usc_lang_fold (s, -1);
  return NULL;
}

void
usc_notice_scan (Evidence *e, NoticeText *t)
{
  const char *s = e->scan_lc;
  gsize len = strlen (s);
  const UscMatch *m = notice_tm.m;
  e->tm = &notice_tm;
  usc_match_hits_init (&e->hits, m);
  GArray *occ = g_array_new (FALSE, FALSE, sizeof (UscMatchOcc));
  usc_match_scan (m, s, len, &e->hits, occ);
  guint soff = usc_match_tab_off (m, USC_TT_MTA_SIGS), sn = usc_match_tab_size (m, USC_TT_MTA_SIGS);
  e->sig_hits = g_new (gssize, sn ? sn : 1);
  for (guint i = 0; i < sn; i++)
    e->sig_hits[i] = usc_match_hit (&e->hits, soff + i);

  GArray *seps = g_array_new (FALSE, FALSE, sizeof (UscMatchOcc));
  usc_match_occ_of_tabs (m, occ, USC_TT_COPY_SEPARATORS, 1, seps);
  text_separators_from_scan (t, seps);
  g_array_unref (seps);
  e->malware_occ = g_array_new (FALSE, FALSE, sizeof (UscMatchOcc));
  usc_match_occ_of_tabs (m, occ, USC_TT_MALWARE, MAL_NTABS, e->malware_occ);

  /* the wording of src/lang: in scan_lc itself, or in its Unicode fold */
  e->lang_occ = g_array_new (FALSE, FALSE, sizeof (UscMatchOcc));
  e->lang_text = lang_folded (s, len);
  if (e->lang_text == NULL) {
    e->lang_first = &e->hits;
    e->lang_off = usc_match_tab_off (m, USC_TT_LANG_TEXT);
    usc_match_occ_of_tabs (m, occ, USC_TT_LANG_SEPARATOR, 1, e->lang_occ);
  } else {
    usc_match_hits_init (&e->lang_hits, lang_m);
    GArray *locc = g_array_new (FALSE, FALSE, sizeof (UscMatchOcc));
    usc_match_scan (lang_m, e->lang_text, strlen (e->lang_text), &e->lang_hits, locc);
    usc_match_occ_of_tabs (lang_m, locc, 1, 1, e->lang_occ);
    g_array_unref (locc);
    e->lang_first = &e->lang_hits;
    e->lang_off = 0;
  }
  g_array_unref (occ);
}

const UscMatch *
usc_notice_index (void)
{
  return notice_tm.m;
}

void
usc_notice_scan_clear (Evidence *e)
{
  usc_match_hits_clear (&e->hits);
  usc_match_hits_clear (&e->lang_hits);
  g_free (e->sig_hits);
  g_free (e->lang_text);
  if (e->malware_occ)
    g_array_unref (e->malware_occ);
  if (e->lang_occ)
    g_array_unref (e->lang_occ);
}

gboolean
usc_text_any (const Evidence *e, UscTextTab t, const char **hit_r)
{
  const UscMatch *m = e->tm->m;
  if (*e->scan_lc == '\0')
    return FALSE;
  guint off = usc_match_tab_off (m, t), n = usc_match_tab_size (m, t);
  for (guint i = 0; i < n; i++)
    if (usc_match_hit (&e->hits, off + i) >= 0) {
      if (hit_r)
        *hit_r = usc_match_pattern (m, off + i);
      return TRUE;
    }
  return FALSE;
}

int
usc_text_count (const Evidence *e, UscTextTab t)
{
  const UscMatch *m = e->tm->m;
  guint off = usc_match_tab_off (m, t), n = usc_match_tab_size (m, t);
  int k = 0;
  for (guint i = 0; i < n; i++)
    if (usc_match_hit (&e->hits, off + i) >= 0)
      k++;
  return k;
}

const char *
usc_text_find (const Evidence *e, const char *lit)
{
  guint off = usc_match_tab_off (e->tm->m, USC_TT_SCAN_LITERALS);
  for (guint i = 0; i < USC_N_SCAN_LITERALS; i++)
    if (strcmp (usc_scan_literals[i], lit) == 0)
      return usc_match_hit (&e->hits, off + i) >= 0 ? e->scan_lc + usc_match_hit (&e->hits, off + i) : NULL;
  return strstr (e->scan_lc, lit);
}

gssize
usc_text_separator (const Evidence *e)
{
  const UscMatch *m = e->tm->m;
  guint off = usc_match_tab_off (m, USC_TT_COPY_SEPARATORS), n = usc_match_tab_size (m, USC_TT_COPY_SEPARATORS);
  gssize best = -1;
  for (guint i = 0; i < n; i++) {
    gssize h = usc_match_hit (&e->hits, off + i);
    if (h >= 0 && (best < 0 || h < best))
      best = h;
  }
  return usc_find_separator_from (e->scan_lc, best);
}

const GArray *
usc_text_separators (NoticeText *t)
{
  if (t->sep_occ != NULL && t->sep_occ_len == t->text->len)
    return t->sep_occ;
  /* the text changed since the scan (or there was none): the separators alone */
  if (t->sep_occ == NULL)
    t->sep_occ = g_array_new (FALSE, FALSE, sizeof (UscMatchOcc));
  g_array_set_size (t->sep_occ, 0);
  usc_match_all_folded (sep_m, t->text->str, t->text->len, t->sep_occ);
  t->sep_occ_len = t->text->len;
  return t->sep_occ;
}

gboolean
usc_notice_lang_joined (const char *s, gsize max, guint counts_r[USC_LANG_N_SIGNALS],
                        const char *first_r[USC_LANG_N_SIGNALS])
{
  gsize len = strlen (s);
  char *head = len > max ? g_strndup (s, max) : NULL;
  char *j = usc_lang_join_lines (head ? head : s);
  g_free (head);
  if (j == NULL)
    return FALSE;
  UscMatchHits hits;
  usc_match_hits_init (&hits, lang_m);
  usc_match_scan (lang_m, j, strlen (j), &hits, NULL);
  usc_lang_count_from (&hits, 0, counts_r, first_r);  /* the text phrases come first in lang_m */
  usc_match_hits_clear (&hits);
  g_free (j);
  return TRUE;
}
