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
#include "usc-match.h"

#include <string.h>

/* The scans below are written once for both readings (as is, lower-cased)
 * and must be compiled once for each: the reading is then a constant, not a
 * test at every byte. */
#if defined(__GNUC__)
#define SCAN_INLINE static inline __attribute__ ((always_inline))
#else
#define SCAN_INLINE static inline
#endif

/* ASCII lower case of every byte value (a table: one load per byte). */
#define LC1(c) ((guchar) ((c) >= 'A' && (c) <= 'Z' ? (c) + ('a' - 'A') : (c)))
#define LC4(c) LC1 (c), LC1 ((c) + 1), LC1 ((c) + 2), LC1 ((c) + 3)
#define LC16(c) LC4 (c), LC4 ((c) + 4), LC4 ((c) + 8), LC4 ((c) + 12)
#define LC64(c) LC16 (c), LC16 ((c) + 16), LC16 ((c) + 32), LC16 ((c) + 48)
static const guchar lc_tab[256] = { LC64 (0), LC64 (64), LC64 (128), LC64 (192) };

static inline guchar
fold_byte (char c, gboolean fold)
{
  return fold ? lc_tab[(guchar) c] : (guchar) c;
}

struct _UscMatch {
  guint n;
  const char *const *pat;
  guint32 *len;
  guint32 *w4;        /* the first four bytes of an entry of 4+ */
  guint32 *next;      /* 1 + next entry of the same bucket, 0: none */
  guint32 *head4;     /* 1 + first entry of the bucket, 0: none; 1 << (32 - shift4) buckets */
  guint shift4;
  guint32 *head2;     /* entries of 2-3 bytes, by their first two: mask2 + 1 buckets */
  guint mask2;
  guint8 *pairs;      /* the first two bytes (a, b) of every entry of 2+: pairs[((a << 8) | b) & pmask] */
  guint pmask;
  guint n2;           /* entries of 2-3 bytes */
  guint n_short;      /* entries shorter than two bytes */
  guint *short_idx;
  guint8 *every;      /* every[i]: all occurrences of entry i wanted (usc_match_scan), or NULL */
  guint ntabs;        /* tables: entries [tab_off[t], tab_off[t + 1]) */
  guint *tab_off;
};

static inline guint32
multi_load4 (const char *p)
{
  guint32 w;
  memcpy (&w, p, 4);
  return w;
}

static inline guint
multi_hash4 (const UscMatch *m, guint32 w)
{
  return (w * 2654435761u) >> m->shift4;
}

static inline guint
multi_hash2 (const UscMatch *m, guchar a, guchar b)
{
  return ((guint) a * 67u + b) & m->mask2;
}

/* The filter slot of the pair (@a, @b): exact with 2^16 slots; for a small
 * set, the second byte and the low bits of the first. */
static inline guint
pair_slot (guint pmask, guint a, guint b)
{
  return ((a << 8) | b) & pmask;
}

/* log2 of the next power of two >= MAX (@x, @min), at most @max. */
static guint
size_bits (gsize x, guint min, guint max)
{
  guint b = min;
  while (b < max && ((gsize) 1 << b) < x)
    b++;
  return b;
}

/* The index of the @n entries of @pat, in @ntabs tables of @sizes entries
 * (@every: flags of the tables, or NULL). With @copy_pat, the pointers of
 * @pat are copied into the index (the strings never are). */
static UscMatch *
match_build (const char *const *pat, guint n, guint ntabs, const guint *sizes, const gboolean *every,
             gboolean copy_pat)
{
  guint n4 = 0, n2 = 0;
  for (guint i = 0; i < n; i++) {
    gsize l = strlen (pat[i]);
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
  gsize off_pat = (off_tabs + (ntabs + 1) * sizeof (guint) + 7) & ~(gsize) 7;
  gsize off_every = off_pat + (copy_pat ? nn * sizeof (char *) : 0);
  gsize total = off_every + (every ? nn : 0);
  char *blk = g_malloc0 (total);
  UscMatch *m = (UscMatch *) blk;
  m->n = n;
  m->ntabs = ntabs;
  m->tab_off = (guint *) (blk + off_tabs);
  for (guint t = 0; t < ntabs; t++)
    m->tab_off[t + 1] = m->tab_off[t] + sizes[t];
  if (copy_pat) {
    const char **pv = (const char **) (blk + off_pat);
    memcpy (pv, pat, n * sizeof (char *));
    pat = pv;
  }
  m->pat = pat;
  if (every) {
    m->every = (guint8 *) (blk + off_every);
    for (guint t = 0; t < ntabs; t++)
      memset (m->every + m->tab_off[t], every[t] ? 1 : 0, sizes[t]);
  }
  m->pairs = (guint8 *) (blk + off_pairs);
  m->pmask = (1u << bp) - 1;
  m->len = (guint32 *) (blk + off_len);
  m->w4 = (guint32 *) (blk + off_w4);
  m->next = (guint32 *) (blk + off_next);
  m->head4 = (guint32 *) (blk + off_head4);
  m->shift4 = 32 - b4;
  m->head2 = (guint32 *) (blk + off_head2);
  m->mask2 = (1u << b2) - 1;
  m->short_idx = (guint *) (blk + off_short);
  for (guint i = n; i-- > 0;) {
    gsize l = strlen (pat[i]);
    m->len[i] = (guint32) l;
    if (l < 2) {
      m->short_idx[m->n_short++] = i;
      continue;
    }
    m->pairs[pair_slot (m->pmask, (guchar) pat[i][0], (guchar) pat[i][1])] = 1;
    if (l < 4) {
      guint h = multi_hash2 (m, (guchar) pat[i][0], (guchar) pat[i][1]);
      m->next[i] = m->head2[h];
      m->head2[h] = i + 1;
      m->n2++;
    } else {
      m->w4[i] = multi_load4 (pat[i]);
      guint h = multi_hash4 (m, m->w4[i]);
      m->next[i] = m->head4[h];
      m->head4[h] = i + 1;
    }
  }
  return m;
}

UscMatch *
usc_match_new (const char *const *pat, guint n)
{
  return match_build (pat, n, 1, &n, NULL, FALSE);
}

UscMatch *
usc_match_new_tables (const UscMatchTab *tabs, guint ntabs)
{
  guint n = 0;
  guint *sizes = g_new (guint, ntabs ? ntabs : 1);
  gboolean *every = g_new (gboolean, ntabs ? ntabs : 1);
  for (guint t = 0; t < ntabs; t++) {
    sizes[t] = tabs[t].n;
    every[t] = tabs[t].every;
    n += tabs[t].n;
  }
  const char **pat = g_new (const char *, n ? n : 1);
  for (guint t = 0, i = 0; t < ntabs; t++)
    for (guint k = 0; k < tabs[t].n; k++)
      pat[i++] = tabs[t].pat[k];
  UscMatch *m = match_build (pat, n, ntabs, sizes, every, TRUE);
  g_free (pat);
  g_free (sizes);
  g_free (every);
  return m;
}

guint
usc_match_n_tabs (const UscMatch *m)
{
  return m->ntabs;
}

guint
usc_match_tab_off (const UscMatch *m, guint t)
{
  g_return_val_if_fail (t < m->ntabs, m->n);
  return m->tab_off[t];
}

gboolean
usc_match_tab_every (const UscMatch *m, guint t)
{
  g_return_val_if_fail (t < m->ntabs, FALSE);
  return m->every && m->tab_off[t] < m->tab_off[t + 1] && m->every[m->tab_off[t]];
}

guint
usc_match_tab_size (const UscMatch *m, guint t)
{
  g_return_val_if_fail (t < m->ntabs, 0);
  return m->tab_off[t + 1] - m->tab_off[t];
}

/* ASCII upper-case letters of the four bytes in @w lower-cased (SWAR). */
static inline guint32
multi_fold4 (guint32 w)
{
  guint32 low7 = w & 0x7f7f7f7fu;
  guint32 ge_a = low7 + 0x3f3f3f3fu;   /* high bit: byte >= 'A' */
  guint32 gt_z = low7 + 0x25252525u;   /* high bit: byte > 'Z' */
  guint32 upper = ~w & (ge_a ^ gt_z) & 0x80808080u;
  return w | (upper >> 2);
}

/* The bytes of @pt from @from on match @h (lower-cased first when @fold). */
static inline gboolean
multi_tail_eq (const char *h, const char *pt, guint32 from, guint32 len, gboolean fold)
{
  for (guint32 j = from; j < len; j++)
    if (fold_byte (h[j], fold) != (guchar) pt[j])
      return FALSE;
  return TRUE;
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
          multi_tail_eq (hay + p, m->pat[i], 4, m->len[i], fold)) {
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
      const char *pt = m->pat[i];
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
      const guchar c = (guchar) m->pat[i][0];
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

/* Entry @i occurs at @p: record it (first_r) and, for an @every entry,
 * append the occurrence to @occ. */
static inline void
scan_hit (const UscMatch *m, guint i, gsize p, gssize *first_r, GArray *occ)
{
  if (first_r[i] < 0)
    first_r[i] = (gssize) p;
  if (occ && m->every && m->every[i]) {
    UscMatchOcc o = { p, m->len[i], i };
    g_array_append_val (occ, o);
  }
}

/* Can entry @i still add an answer (its first occurrence not yet found, or
 * every occurrence wanted)? */
static inline gboolean
scan_wants (const UscMatch *m, guint i, const gssize *first_r, const GArray *occ)
{
  return first_r[i] < 0 || (occ && m->every && m->every[i]);
}

void
usc_match_scan (const UscMatch *m, const char *hay, gsize len, gssize *first_r, GArray *occ)
{
  for (guint i = 0; i < m->n; i++)
    first_r[i] = -1;
  for (guint k = 0; k < m->n_short; k++) {
    guint i = m->short_idx[k];
    if (m->len[i] == 0)
      first_r[i] = 0;
    else {
      const char *c = memchr (hay, m->pat[i][0], len);
      first_r[i] = c ? c - hay : -1;
    }
  }
  if (len < 2)
    return;
  const guint8 *pairs = m->pairs;
  const guint pmask = m->pmask;
  guint a = (guchar) hay[0];
  for (gsize p = 0; p + 1 < len; p++) {
    guint b = (guchar) hay[p + 1];
    if (G_LIKELY (!pairs[pair_slot (pmask, a, b)])) {
      a = b;
      continue;
    }
    if (p + 4 <= len) {
      guint32 w = multi_load4 (hay + p);
      for (guint32 k = m->head4[multi_hash4 (m, w)]; k; k = m->next[k - 1]) {
        guint i = k - 1;
        if (m->w4[i] == w && m->len[i] <= len - p && scan_wants (m, i, first_r, occ) &&
            multi_tail_eq (hay + p, m->pat[i], 4, m->len[i], FALSE))
          scan_hit (m, i, p, first_r, occ);
      }
    }
    if (m->n2)
      for (guint32 k = m->head2[multi_hash2 (m, (guchar) a, (guchar) b)]; k; k = m->next[k - 1]) {
        guint i = k - 1;
        const char *pt = m->pat[i];
        if ((guchar) pt[0] == a && (guchar) pt[1] == b && m->len[i] <= len - p && scan_wants (m, i, first_r, occ) &&
            multi_tail_eq (hay + p, pt, 2, m->len[i], FALSE))
          scan_hit (m, i, p, first_r, occ);
      }
    a = b;
  }
}

void
usc_match_occ_of_tabs (const UscMatch *m, const GArray *occ, guint t, guint ntabs, GArray *out)
{
  g_return_if_fail (t + ntabs <= m->ntabs);
  guint lo = m->tab_off[t], hi = m->tab_off[t + ntabs];
  for (guint k = 0; k < occ->len; k++) {
    UscMatchOcc o = g_array_index (occ, UscMatchOcc, k);
    if (o.idx >= lo && o.idx < hi) {
      o.idx -= lo;
      g_array_append_val (out, o);
    }
  }
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
        if (m->w4[i] == w && m->len[i] <= len - p && multi_tail_eq (hay + p, m->pat[i], 4, m->len[i], fold)) {
          UscMatchOcc o = { p, m->len[i], i };
          g_array_append_val (occ, o);
        }
      }
    }
    if (m->n2)
      for (guint32 k = m->head2[multi_hash2 (m, (guchar) a, (guchar) b)]; k; k = m->next[k - 1]) {
        guint i = k - 1;
        const char *pt = m->pat[i];
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
  return m->pat[i];
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

/* ---- the indexes of static tables, built on first use (kept for the
 * process). Look-ups take no lock: a slot, once published, never changes. */
typedef struct {
  gconstpointer tab;
  gsize n;
  UscMatch *m;
} TableMatch;

#define TABLE_MAX 64
#define TABLE_SLOTS 128 /* open addressing, at most half full */

G_LOCK_DEFINE_STATIC (table_matches);
static TableMatch *table_slots[TABLE_SLOTS];

static inline guint
table_slot (gconstpointer tab, gsize n)
{
  guint64 k = (guint64) (guintptr) tab ^ ((guint64) n << 32);
  return (guint) ((k * G_GUINT64_CONSTANT (0x9E3779B97F4A7C15)) >> 57); /* 7 bits */
}

const UscMatch *
usc_match_table (const char *const *tab, gsize n)
{
  guint s = table_slot (tab, n);
  for (guint k = 0; k < TABLE_SLOTS; k++) {
    TableMatch *t = g_atomic_pointer_get (&table_slots[(s + k) % TABLE_SLOTS]);
    if (t == NULL)
      break;
    if (t->tab == tab && t->n == n)
      return t->m;
  }
  static guint ntables;
  const UscMatch *r = NULL;
  G_LOCK (table_matches);
  guint k = 0;
  for (; k < TABLE_SLOTS; k++) {
    TableMatch *t = table_slots[(s + k) % TABLE_SLOTS];
    if (t == NULL)
      break;
    if (t->tab == tab && t->n == n) {
      r = t->m;
      break;
    }
  }
  if (r == NULL && ntables < TABLE_MAX && k < TABLE_SLOTS) {
    TableMatch *t = g_new (TableMatch, 1);
    *t = (TableMatch) { tab, n, usc_match_new (tab, (guint) n) };
    ntables++;
    g_atomic_pointer_set (&table_slots[(s + k) % TABLE_SLOTS], t);
    r = t->m;
  }
  G_UNLOCK (table_matches);
  return r;
}
