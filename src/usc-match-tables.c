/* usc-match-tables.c — several tables in one usc-match index, found in one
 * pass (usc_match_new_tables, usc_match_scan: the first occurrence of every
 * pattern, every occurrence of some tables), and the cache of the indexes
 * of static tables (usc_match_table).
 */
#include "config.h"
#include "usc-match-private.h"

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
  UscMatch *m = usc_match_build (pat, n, ntabs, sizes, every);
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

/* Entry @i occurs at @p: record it (@hits) and, for an @every entry,
 * append the occurrence to @occ. */
static inline void
scan_hit (const UscMatch *m, guint i, gsize p, UscMatchHits *hits, GArray *occ)
{
  guint64 bit = G_GUINT64_CONSTANT (1) << (i & 63);
  if (!(hits->seen[i >> 6] & bit)) {
    hits->seen[i >> 6] |= bit;
    hits->first[i] = (gssize) p;
  }
  if (occ && m->every && m->every[i]) {
    UscMatchOcc o = { p, m->len[i], i };
    g_array_append_val (occ, o);
  }
}

/* Can entry @i still add an answer (its first occurrence not yet found, or
 * every occurrence wanted)? */
static inline gboolean
scan_wants (const UscMatch *m, guint i, const UscMatchHits *hits, const GArray *occ)
{
  return !((hits->seen[i >> 6] >> (i & 63)) & 1) || (occ && m->every && m->every[i]);
}

void
usc_match_hits_init (UscMatchHits *h, const UscMatch *m)
{
  h->n = m->n;
  h->seen = g_new0 (guint64, (m->n + 63) / 64 + 1);
  h->first = g_new (gssize, m->n ? m->n : 1);
}

void
usc_match_hits_clear (UscMatchHits *h)
{
  if (h == NULL)
    return;
  g_clear_pointer (&h->seen, g_free);
  g_clear_pointer (&h->first, g_free);
  h->n = 0;
}

void
usc_match_scan (const UscMatch *m, const char *hay, gsize len, UscMatchHits *hits, GArray *occ)
{
  g_return_if_fail (hits->n == m->n);
  for (guint k = 0; k < m->n_short; k++) {
    guint i = m->short_idx[k];
    if (m->len[i] == 0)
      scan_hit (m, i, 0, hits, NULL);
    else {
      const char *c = memchr (hay, PAT (m, i)[0], len);
      if (c)
        scan_hit (m, i, (gsize) (c - hay), hits, NULL);
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
        if (m->w4[i] == w && m->len[i] <= len - p && scan_wants (m, i, hits, occ) &&
            multi_tail_eq (hay + p, PAT (m, i), 4, m->len[i], FALSE))
          scan_hit (m, i, p, hits, occ);
      }
    }
    if (m->n2)
      for (guint32 k = m->head2[multi_hash2 (m, (guchar) a, (guchar) b)]; k; k = m->next[k - 1]) {
        guint i = k - 1;
        const char *pt = PAT (m, i);
        if ((guchar) pt[0] == a && (guchar) pt[1] == b && m->len[i] <= len - p && scan_wants (m, i, hits, occ) &&
            multi_tail_eq (hay + p, pt, 2, m->len[i], FALSE))
          scan_hit (m, i, p, hits, occ);
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
