/* usc-match.c — many fixed strings found in one pass over a text.
 *
 * The patterns are indexed by their first four bytes (patterns of two or
 * three bytes by their first two; shorter ones are looked for one by one),
 * every position of the text is looked up there, and the offset of the first
 * occurrence of each pattern is recorded: exactly what strstr() would have
 * found, byte for byte, on the same NUL-terminated text. A "folded" scan
 * reads the text as if lower-cased (ASCII), so that no lower-cased copy is
 * needed. No knowledge of mail here: the tables live with their users.
 */
#include "config.h"
#include "usc-match.h"

#include <string.h>

/* g_ascii_tolower(), inline. */
static inline char
ascii_lc (char c)
{
  return c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c;
}

#define MULTI_BITS4 14         /* entries of 4+ bytes: by their first four */
#define MULTI_BUCKETS2 4096    /* entries of 2-3 bytes: by their first two */

struct _UscMatch {
  guint n;
  const char *const *pat;
  guint32 *len;
  guint32 *w4;                          /* the first four bytes of an entry of 4+ */
  guint32 *next;                        /* 1 + next entry of the same bucket, 0: none */
  guint32 head4[1 << MULTI_BITS4];      /* 1 + first entry of the bucket, 0: none */
  guint32 bits4[1 << (MULTI_BITS4 - 5)]; /* the non-empty buckets of head4 (a small filter) */
  guint32 head2[MULTI_BUCKETS2];
  guint64 bigram[65536 / 64];           /* the first two bytes of every entry of 2+ (a filter) */
  guint n2;                             /* entries of 2-3 bytes */
  guint n_short;                        /* entries shorter than two bytes */
  guint *short_idx;
};

static inline guint32
multi_load4 (const char *p)
{
  guint32 w;
  memcpy (&w, p, 4);
  return w;
}

static inline guint
multi_hash4 (guint32 w)
{
  return (w * 2654435761u) >> (32 - MULTI_BITS4);
}

static inline guint
multi_hash2 (guchar a, guchar b)
{
  return ((guint) a * 67u + b) & (MULTI_BUCKETS2 - 1);
}

UscMatch *
usc_match_new (const char *const *pat, guint n)
{
  UscMatch *m = g_new0 (UscMatch, 1);
  m->n = n;
  m->pat = pat;
  m->len = g_new (guint32, n ? n : 1);
  m->w4 = g_new0 (guint32, n ? n : 1);
  m->next = g_new0 (guint32, n ? n : 1);
  m->short_idx = g_new (guint, n ? n : 1);
  for (guint i = n; i-- > 0;) {
    gsize l = strlen (pat[i]);
    m->len[i] = (guint32) l;
    if (l >= 2) {
      guint bg = ((guint) (guchar) pat[i][0] << 8) | (guchar) pat[i][1];
      m->bigram[bg >> 6] |= G_GUINT64_CONSTANT (1) << (bg & 63);
    }
    if (l < 2) {
      m->short_idx[m->n_short++] = i;
    } else if (l < 4) {
      guint h = multi_hash2 ((guchar) pat[i][0], (guchar) pat[i][1]);
      m->next[i] = m->head2[h];
      m->head2[h] = i + 1;
      m->n2++;
    } else {
      m->w4[i] = multi_load4 (pat[i]);
      guint h = multi_hash4 (m->w4[i]);
      m->next[i] = m->head4[h];
      m->head4[h] = i + 1;
      m->bits4[h >> 5] |= 1u << (h & 31);
    }
  }
  return m;
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
    if ((fold ? ascii_lc (h[j]) : h[j]) != pt[j])
      return FALSE;
  return TRUE;
}

/* May an entry of two bytes or more start at @p (@p + 1 < the text's end)? */
static inline gboolean
multi_bigram (const UscMatch *m, const char *p, gboolean fold)
{
  guchar a = (guchar) p[0], b = (guchar) p[1];
  if (fold) {
    a = (guchar) ascii_lc ((char) a);
    b = (guchar) ascii_lc ((char) b);
  }
  guint bg = ((guint) a << 8) | b;
  return (m->bigram[bg >> 6] >> (bg & 63)) & 1;
}

/* Candidates at @p (@w: the four bytes there, when there are four). */
static inline gboolean
multi_at (const UscMatch *m, const char *hay, gsize len, gsize p, guint32 w, gboolean have4, gboolean fold,
          gssize *first_r)
{
  gboolean hit = FALSE;
  guint h4 = have4 ? multi_hash4 (w) : 0;
  if (have4 && (m->bits4[h4 >> 5] & (1u << (h4 & 31))))
    for (guint32 k = m->head4[h4]; k; k = m->next[k - 1]) {
      guint i = k - 1;
      if (m->w4[i] == w && (!first_r || first_r[i] < 0) && m->len[i] <= len - p &&
          multi_tail_eq (hay + p, m->pat[i], 4, m->len[i], fold)) {
        if (!first_r)
          return TRUE;
        first_r[i] = (gssize) p;
        hit = TRUE;
      }
    }
  if (m->n2) {
    guchar a = (guchar) hay[p], b = (guchar) hay[p + 1];
    if (fold) {
      a = (guchar) ascii_lc ((char) a);
      b = (guchar) ascii_lc ((char) b);
    }
    for (guint32 k = m->head2[multi_hash2 (a, b)]; k; k = m->next[k - 1]) {
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
  }
  return hit;
}

/* The scan of @hay (@len bytes, no NUL inside; with @fold, read as if
 * lower-cased). With @first_r: first_r[i] = offset of the first occurrence of
 * entry i or -1, i.e. strstr (hay, pat[i]) - hay. Returns the offset of the
 * first occurrence of any entry, or -1 (without @first_r it stops there). */
static inline gssize
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
    else
      for (gsize j = 0; j < len && at < 0; j++)
        if ((fold ? ascii_lc (hay[j]) : hay[j]) == m->pat[i][0])
          at = (gssize) j;
    if (at >= 0) {
      if (first_r)
        first_r[i] = at;
      if (best < 0 || at < best)
        best = at;
    }
  }
  /* without @first_r, only an earlier start matters */
  gsize pend = best >= 0 && !first_r ? (gsize) best : len;
  gsize p = 0;
  for (; p + 4 <= len && p < pend; p++) {
    if (!multi_bigram (m, hay + p, fold))
      continue;
    guint32 w = multi_load4 (hay + p);
    if (fold)
      w = multi_fold4 (w);
    if (multi_at (m, hay, len, p, w, TRUE, fold, first_r)) {
      if (best < 0 || (gssize) p < best)
        best = (gssize) p;
      if (!first_r)
        return best;
    }
  }
  for (; p + 1 < len && p < pend; p++)
    if (multi_bigram (m, hay + p, fold) && multi_at (m, hay, len, p, 0, FALSE, fold, first_r)) {
      if (best < 0 || (gssize) p < best)
        best = (gssize) p;
      if (!first_r)
        return best;
    }
  return best;
}

/* Every occurrence of every entry in @hay (@len bytes, no NUL inside) read
 * as if lower-cased, in the order of their offsets, appended to @occ. For an
 * index without entries shorter than two bytes. */
static inline void
all_run (const UscMatch *m, const char *hay, gsize len, GArray *occ, gboolean fold)
{
  for (gsize p = 0; p + 1 < len; p++) {
    if (!multi_bigram (m, hay + p, fold))
      continue;
    if (p + 4 <= len) {
      guint32 w = multi_load4 (hay + p);
      if (fold)
        w = multi_fold4 (w);
      guint h4 = multi_hash4 (w);
      if (m->bits4[h4 >> 5] & (1u << (h4 & 31)))
        for (guint32 k = m->head4[h4]; k; k = m->next[k - 1]) {
          guint i = k - 1;
          if (m->w4[i] == w && m->len[i] <= len - p && multi_tail_eq (hay + p, m->pat[i], 4, m->len[i], fold)) {
            UscMatchOcc o = { p, m->len[i], i };
            g_array_append_val (occ, o);
          }
        }
    }
    if (m->n2 == 0)
      continue;
    guchar a = (guchar) hay[p], b = (guchar) hay[p + 1];
    if (fold) {
      a = (guchar) ascii_lc ((char) a);
      b = (guchar) ascii_lc ((char) b);
    }
    for (guint32 k = m->head2[multi_hash2 (a, b)]; k; k = m->next[k - 1]) {
      guint i = k - 1;
      const char *pt = m->pat[i];
      if ((guchar) pt[0] == a && (guchar) pt[1] == b && m->len[i] <= len - p &&
          multi_tail_eq (hay + p, pt, 2, m->len[i], fold)) {
        UscMatchOcc o = { p, m->len[i], i };
        g_array_append_val (occ, o);
      }
    }
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
  g_free ((*m)->len);
  g_free ((*m)->w4);
  g_free ((*m)->next);
  g_free ((*m)->short_idx);
  g_free (*m);
  *m = NULL;
}

guint
usc_match_size (const UscMatch *m)
{
  return m->n;
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

/* The index of one table, built on first use (kept for the process). */
typedef struct {
  gconstpointer tab;
  gsize n;
  UscMatch *m;
} TableMatch;

G_LOCK_DEFINE_STATIC (table_matches);

const UscMatch *
usc_match_table (const char *const *tab, gsize n)
{
  static TableMatch cache[64];
  static guint ncache;
  const UscMatch *r = NULL;
  G_LOCK (table_matches);
  for (guint k = 0; k < ncache && !r; k++)
    if (cache[k].tab == tab && cache[k].n == n)
      r = cache[k].m;
  if (r == NULL && ncache < G_N_ELEMENTS (cache)) {
    UscMatch *m = usc_match_new (tab, (guint) n);
    cache[ncache++] = (TableMatch) { tab, n, m };
    r = m;
  }
  G_UNLOCK (table_matches);
  return r;
}
