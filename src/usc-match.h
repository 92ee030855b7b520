/* usc-match.h — find many fixed strings in one pass over a text.
 *
 * A generic multi-pattern matcher with no knowledge of mail: a set of
 * patterns (plain byte strings, no expressions) is indexed once, then a text
 * is scanned once for all of them. Every answer is exactly what one strstr()
 * per pattern would give on the same NUL-terminated text; the "folded"
 * variants read the text as if it were lower-cased (ASCII only), i.e. what
 * strstr() gives on a lower-cased copy (patterns are then expected in lower
 * case). Used by the bounce analysis (usc-bounce*.c) for its tables.
 */
#ifndef USC_MATCH_H
#define USC_MATCH_H

#include <glib.h>

G_BEGIN_DECLS

typedef struct _UscMatch UscMatch;

/* One occurrence of a pattern: its offset in the text, its length and its
 * index in the patterns given to usc_match_new(). */
typedef struct {
  gsize pos;
  guint32 len;
  guint32 idx;
} UscMatchOcc;

/* Index @n patterns (the strings are copied into the index: @pat may go).
 * Returns a new index; free it with usc_match_free(). */
UscMatch *usc_match_new (const char *const *pat, guint n);

/* Free @m (NULL and *m == NULL accepted) and set *m to NULL. */
void usc_match_free (UscMatch **m);

/* The number of patterns of @m. */
guint usc_match_size (const UscMatch *m);

/* Pattern @i of @m (the index's copy: valid as long as @m). */
const char *usc_match_pattern (const UscMatch *m, guint i);

/* Has @m patterns shorter than two bytes (which usc_match_all_folded()
 * skips)? */
gboolean usc_match_has_short (const UscMatch *m);

/* The index of static table @tab (@n entries), built on the first call for
 * that table and kept for the life of the process (thread-safe). Owned by
 * the cache: do not free. NULL when the cache is full (64 tables): the
 * caller then searches the slow way. */
const UscMatch *usc_match_table (const char *const *tab, gsize n);

/* In @hay (@len bytes, no NUL inside): first_r[i] = offset of the first
 * occurrence of pattern i, or -1 — strstr (hay, pat[i]) - hay. @first_r has
 * usc_match_size() entries. Returns the smallest offset, or -1. */
gssize usc_match_first_each (const UscMatch *m, const char *hay, gsize len, gssize *first_r);

/* The same, with @hay read as if lower-cased (ASCII). */
gssize usc_match_first_each_folded (const UscMatch *m, const char *hay, gsize len, gssize *first_r);

/* Does any pattern occur in @hay (@len bytes, no NUL inside)? */
gboolean usc_match_any (const UscMatch *m, const char *hay, gsize len);

/* Offset of the first occurrence of any pattern in @hay read as if
 * lower-cased, or -1. */
gssize usc_match_first_folded (const UscMatch *m, const char *hay, gsize len);

/* ---- one index over several tables ---- */

/* One table of a combined index: its @n patterns, and whether every
 * occurrence of them is wanted (usc_match_scan()'s @occ) or only the first
 * of each. The patterns of an @every table are at least two bytes long. */
typedef struct {
  const char *const *pat;
  guint n;
  gboolean every;
} UscMatchTab;

/* Index the @ntabs tables of @tabs one after the other: pattern k of table
 * t has index usc_match_tab_off (m, t) + k (copied, as usc_match_new()).
 * Free with usc_match_free(). */
UscMatch *usc_match_new_tables (const UscMatchTab *tabs, guint ntabs);

/* The number of tables of @m (1 for an index of usc_match_new()), the index
 * of the first pattern of table @t, and its number of patterns. */
guint usc_match_n_tabs (const UscMatch *m);
guint usc_match_tab_off (const UscMatch *m, guint t);
guint usc_match_tab_size (const UscMatch *m, guint t);
/* Are every occurrence of table @t's patterns reported (UscMatchTab.every)? */
gboolean usc_match_tab_every (const UscMatch *m, guint t);

/* The first answers of usc_match_scan(): which patterns occur (a bit each:
 * nothing to set per pattern before a scan) and, for those, where first. */
typedef struct {
  guint n;
  guint64 *seen;  /* bit i: pattern i occurs */
  gssize *first;  /* first[i]: its first offset, where seen (else not set) */
} UscMatchHits;

/* Room for the answers of @m's usc_match_scan(), none seen yet; free
 * with usc_match_hits_clear() (NULL accepted). */
void usc_match_hits_init (UscMatchHits *h, const UscMatch *m);
void usc_match_hits_clear (UscMatchHits *h);

/* The offset of the first occurrence of pattern @i, or -1: strstr (hay,
 * pat[i]) - hay. */
static inline gssize
usc_match_hit (const UscMatchHits *h, guint i)
{
  return (h->seen[i >> 6] >> (i & 63)) & 1 ? h->first[i] : -1;
}

/* One pass over @hay (@len bytes, no NUL inside), byte for byte, for every
 * table: @hits (from usc_match_hits_init(), none seen) gets the first
 * occurrence of every pattern, as usc_match_first_each() gives it; and
 * when @occ is not NULL, every occurrence of the patterns of the @every
 * tables is appended to it (UscMatchOcc, idx as in @m) in the order
 * usc_match_all() gives them. */
void usc_match_scan (const UscMatch *m, const char *hay, gsize len, UscMatchHits *hits, GArray *occ);

/* The occurrences in @occ of the patterns of the @ntabs tables from table
 * @t on, appended to @out in their order, with idx made relative to the
 * first of them (0 for the first pattern of table @t). */
void usc_match_occ_of_tabs (const UscMatch *m, const GArray *occ, guint t, guint ntabs, GArray *out);

/* Every occurrence of every pattern in @hay (@len bytes, no NUL inside) read
 * as if lower-cased, in the order of their offsets (at one offset: the
 * patterns of four bytes or more first, then the shorter ones, each group in
 * index order), appended to @occ (a GArray of UscMatchOcc). For an
 * index without patterns shorter than two bytes (those are skipped). */
void usc_match_all_folded (const UscMatch *m, const char *hay, gsize len, GArray *occ);

/* The same, byte for byte (no folding). */
void usc_match_all (const UscMatch *m, const char *hay, gsize len, GArray *occ);

G_END_DECLS
#endif
