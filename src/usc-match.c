/* usc-match.c — many fixed strings found in one pass over a text.
 *
 * The patterns are indexed by their first four bytes (patterns of two or
 * three bytes by their first two; shorter ones are looked for one by one),
 * every position of the text is looked up there, and the offset of the first
 * occurrence of each pattern is recorded: exactly what strstr() would have
 * found, byte for byte, on the same NUL-terminated text. A "folded" scan
 * reads the text as if lower-cased (ASCII), so that no lower-cased copy is
 * needed. No knowledge of mail here: the tables live with their users.
 *
 * Cost. A position is first tested against a filter of the patterns' first
 * two bytes (a byte a slot; exact at 64 K slots: most positions stop
 * there), then the four bytes there are looked up. Every array is sized to
 * the pattern set (the hash heads: the next power of two above twice its
 * entries; the filter: 16 slots an entry, at least 512, at most 64 K), in
 * one allocation: an index of 20 patterns takes about 1 KB, so a process
 * that builds a dozen tables at start-up touches a few pages, not a
 * megabyte.
 */
#include "config.h"
#include "usc-match-private.h"

/* log2 of the next power of two >= MAX (@x, @min), at most @max. */
static guint
size_bits (gsize x, guint min, guint max)
{
  guint b = min;
  while (b < max && ((gsize) 1 << b) < x)
    b++;
  return b;
}

UscMatch *
usc_match_build (const char *const *pat, guint n, guint ntabs, const guint *sizes, const gboolean *every)
{
  guint n4 = 0, n2 = 0;
  gsize pool_len = 0;
  for (guint i = 0; i < n; i++) {
    gsize l = strlen (pat[i]);
    pool_len += l + 1;
    if (l >= 4)
      n4++;
    else if (l >= 2)
      n2++;
  }
  guint b4 = size_bits ((gsize) n4 * 2, 4, 24);
  guint b2 = size_bits ((gsize) n2 * 2, 2, 24);
  guint bp = size_bits ((gsize) (n4 + n2) * 16, 9, 16);
  guint nn = n ? n : 1;
  /* one block: the struct, then the arrays */
  gsize off_pairs = (sizeof (UscMatch) + 7) & ~(gsize) 7;
  gsize off_len = off_pairs + ((gsize) 1 << bp);
  gsize off_w4 = off_len + nn * sizeof (guint32);
  gsize off_next = off_w4 + nn * sizeof (guint32);
  gsize off_head4 = off_next + nn * sizeof (guint32);
  gsize off_head2 = off_head4 + ((gsize) 1 << b4) * sizeof (guint32);
  gsize off_short = off_head2 + ((gsize) 1 << b2) * sizeof (guint32);
  gsize off_tabs = off_short + nn * sizeof (guint);
  gsize off_pat = off_tabs + (ntabs + 1) * sizeof (guint);
  gsize off_every = off_pat + nn * sizeof (guint32);
  gsize off_pool = off_every + (every ? nn : 0);
  gsize total = off_pool + pool_len + 1;
  char *blk = g_malloc0 (total);
  UscMatch *m = (UscMatch *) blk;
  guint *tab_off = (guint *) (blk + off_tabs);
  guint8 *pairs = (guint8 *) (blk + off_pairs);
  guint32 *len = (guint32 *) (blk + off_len), *w4 = (guint32 *) (blk + off_w4);
  guint32 *next = (guint32 *) (blk + off_next), *head4 = (guint32 *) (blk + off_head4);
  guint32 *head2 = (guint32 *) (blk + off_head2);
  guint *short_idx = (guint *) (blk + off_short);
  m->n = n;
  m->ntabs = ntabs;
  for (guint t = 0; t < ntabs; t++)
    tab_off[t + 1] = tab_off[t] + sizes[t];
  m->tab_off = tab_off;
  guint32 *pat_off = (guint32 *) (blk + off_pat);
  char *pool = blk + off_pool;
  for (guint i = 0, o = 0; i < n; i++) {
    gsize l = strlen (pat[i]);
    memcpy (pool + o, pat[i], l + 1);
    pat_off[i] = o;
    o += (guint) l + 1;
  }
  m->pool = pool;
  m->pat_off = pat_off;
  if (every) {
    guint8 *ev = (guint8 *) (blk + off_every);
    for (guint t = 0; t < ntabs; t++)
      memset (ev + tab_off[t], every[t] ? 1 : 0, sizes[t]);
    m->every = ev;
  }
  m->pairs = pairs;
  m->pmask = (1u << bp) - 1;
  m->len = len;
  m->w4 = w4;
  m->next = next;
  m->head4 = head4;
  m->shift4 = 32 - b4;
  m->head2 = head2;
  m->mask2 = (1u << b2) - 1;
  m->short_idx = short_idx;
  for (guint i = n; i-- > 0;) {
    gsize l = strlen (pat[i]);
    len[i] = (guint32) l;
    if (l < 2) {
      short_idx[m->n_short++] = i;
      continue;
    }
    pairs[pair_slot (m->pmask, (guchar) pat[i][0], (guchar) pat[i][1])] = 1;
    if (l < 4) {
      guint h = multi_hash2 (m, (guchar) pat[i][0], (guchar) pat[i][1]);
      next[i] = head2[h];
      head2[h] = i + 1;
      m->n2++;
    } else {
      w4[i] = multi_load4 (pat[i]);
      guint h = multi_hash4 (m, w4[i]);
      next[i] = head4[h];
      head4[h] = i + 1;
    }
  }
  return m;
}

UscMatch *
usc_match_new (const char *const *pat, guint n)
{
  return usc_match_build (pat, n, 1, &n, NULL);
}

/* Candidates at @p, whose first two bytes (folded) are @a, @b. With
 * @first_r: record every entry not seen before that occurs there; without:
 * stop at the first. TRUE when an entry occurs at @p. */
SCAN_INLINE gboolean
multi_at (const UscMatch *m, const char *hay, gsize len, gsize p, guchar a, guchar b, gboolean fold,
          gssize *first_r)
{
  gboolean hit = FALSE;
  if (p + 4 <= len) {
    guint32 w = multi_load4 (hay + p);
    if (fold)
      w = multi_fold4 (w);
    for (guint32 k = m->head4[multi_hash4 (m, w)]; k; k = m->next[k - 1]) {
      guint i = k - 1;
      if (m->w4[i] == w && (!first_r || first_r[i] < 0) && m->len[i] <= len - p &&
          multi_tail_eq (hay + p, PAT (m, i), 4, m->len[i], fold)) {
        if (!first_r)
          return TRUE;
        first_r[i] = (gssize) p;
        hit = TRUE;
      }
    }
  }
  if (m->n2)
    for (guint32 k = m->head2[multi_hash2 (m, a, b)]; k; k = m->next[k - 1]) {
      guint i = k - 1;
      const char *pt = PAT (m, i);
      if ((guchar) pt[0] == a && (guchar) pt[1] == b && (!first_r || first_r[i] < 0) && m->len[i] <= len - p &&
          multi_tail_eq (hay + p, pt, 2, m->len[i], fold)) {
        if (!first_r)
          return TRUE;
        first_r[i] = (gssize) p;
        hit = TRUE;
      }
    }
  return hit;
}

/* The scan of @hay (@len bytes, no NUL inside; with @fold, read as if
 * lower-cased). With @first_r: first_r[i] = offset of the first occurrence of
 * entry i or -1, i.e. strstr (hay, pat[i]) - hay. Returns the offset of the
 * first occurrence of any entry, or -1 (without @first_r it stops there). */
SCAN_INLINE gssize
multi_run (const UscMatch *m, const char *hay, gsize len, gssize *first_r, gboolean fold)
{
  gssize best = -1;
  if (first_r)
    for (guint i = 0; i < m->n; i++)
      first_r[i] = -1;
  for (guint k = 0; k < m->n_short; k++) {
    guint i = m->short_idx[k];
    gssize at = -1;
    if (m->len[i] == 0)
      at = 0;
    else {
      const guchar c = (guchar) PAT (m, i)[0];
      for (gsize j = 0; j < len && at < 0; j++)
        if (fold_byte (hay[j], fold) == c)
          at = (gssize) j;
    }
    if (at >= 0) {
      if (first_r)
        first_r[i] = at;
      if (best < 0 || at < best)
        best = at;
    }
  }
  /* without @first_r, only an earlier start matters */
  gsize pend = best >= 0 && !first_r ? (gsize) best : len;
  if (len < 2 || pend == 0)
    return best;
  const guint8 *pairs = m->pairs;
  const guint pmask = m->pmask;
  const gsize end = MIN (len - 1, pend);
  guint a8 = (guint) fold_byte (hay[0], fold) << 8; /* the byte at p, shifted */
  for (gsize p = 0; p < end; p++) {
    guint b = fold_byte (hay[p + 1], fold);
    if (G_UNLIKELY (pairs[(a8 | b) & pmask])
        && multi_at (m, hay, len, p, (guchar) (a8 >> 8), (guchar) b, fold, first_r)) {
      if (best < 0 || (gssize) p < best)
        best = (gssize) p;
      if (!first_r)
        return best;
    }
    a8 = b << 8;
  }
  return best;
}

/* Every occurrence of every entry in @hay (@len bytes, no NUL inside) read
 * as if lower-cased, in the order of their offsets, appended to @occ. For an
 * index without entries shorter than two bytes. */
SCAN_INLINE void
all_run (const UscMatch *m, const char *hay, gsize len, GArray *occ, gboolean fold)
{
  if (len < 2)
    return;
  const guint8 *pairs = m->pairs;
  const guint pmask = m->pmask;
  guint a = fold_byte (hay[0], fold);
  for (gsize p = 0; p + 1 < len; p++) {
    guint b = fold_byte (hay[p + 1], fold);
    if (G_LIKELY (!pairs[pair_slot (pmask, a, b)])) {
      a = b;
      continue;
    }
    if (p + 4 <= len) {
      guint32 w = multi_load4 (hay + p);
      if (fold)
        w = multi_fold4 (w);
      for (guint32 k = m->head4[multi_hash4 (m, w)]; k; k = m->next[k - 1]) {
        guint i = k - 1;
        if (m->w4[i] == w && m->len[i] <= len - p && multi_tail_eq (hay + p, PAT (m, i), 4, m->len[i], fold)) {
          UscMatchOcc o = { p, m->len[i], i };
          g_array_append_val (occ, o);
        }
      }
    }
    if (m->n2)
      for (guint32 k = m->head2[multi_hash2 (m, (guchar) a, (guchar) b)]; k; k = m->next[k - 1]) {
        guint i = k - 1;
        const char *pt = PAT (m, i);
        if ((guchar) pt[0] == a && (guchar) pt[1] == b && m->len[i] <= len - p &&
            multi_tail_eq (hay + p, pt, 2, m->len[i], fold)) {
          UscMatchOcc o = { p, m->len[i], i };
          g_array_append_val (occ, o);
        }
      }
    a = b;
  }
}

void
usc_match_all_folded (const UscMatch *m, const char *hay, gsize len, GArray *occ)
{
  all_run (m, hay, len, occ, TRUE);
}

void
usc_match_all (const UscMatch *m, const char *hay, gsize len, GArray *occ)
{
  all_run (m, hay, len, occ, FALSE);
}

void
usc_match_free (UscMatch **m)
{
  if (m == NULL || *m == NULL)
    return;
  if (!(*m)->is_static)
    g_free (*m); /* one block */
  *m = NULL;
}

guint
usc_match_size (const UscMatch *m)
{
  return m->n;
}

const char *
usc_match_pattern (const UscMatch *m, guint i)
{
  g_return_val_if_fail (i < m->n, NULL);
  return PAT (m, i);
}

gboolean
usc_match_has_short (const UscMatch *m)
{
  return m->n_short > 0;
}

gssize
usc_match_first_each (const UscMatch *m, const char *hay, gsize len, gssize *first_r)
{
  return multi_run (m, hay, len, first_r, FALSE);
}

gssize
usc_match_first_each_folded (const UscMatch *m, const char *hay, gsize len, gssize *first_r)
{
  return multi_run (m, hay, len, first_r, TRUE);
}

gboolean
usc_match_any (const UscMatch *m, const char *hay, gsize len)
{
  return multi_run (m, hay, len, NULL, FALSE) >= 0;
}

gssize
usc_match_first_folded (const UscMatch *m, const char *hay, gsize len)
{
  return multi_run (m, hay, len, NULL, TRUE);
}

