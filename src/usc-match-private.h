/* usc-match-private.h — the inside of a usc-match index (not API): shared
 * by usc-match.c (building, the scans of one table), usc-match-tables.c
 * (several tables in one index, the cache of static tables) and
 * src/gen-match-data.c (which writes indexes out as C at build time). */
#ifndef USC_MATCH_PRIVATE_H
#define USC_MATCH_PRIVATE_H

#include "usc-match.h"

#include <string.h>

G_BEGIN_DECLS

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
  const char *pool;     /* the patterns, copied, each ended by a NUL ... */
  const guint32 *pat_off; /* ... pattern i at pool + pat_off[i] (PAT): no pointer per pattern */
  const guint32 *len;
  const guint32 *w4;    /* the first four bytes of an entry of 4+ (multi_load4) */
  const guint32 *next;  /* 1 + next entry of the same bucket, 0: none */
  const guint32 *head4; /* 1 + first entry of the bucket, 0: none; 1 << (32 - shift4) buckets */
  guint shift4;
  const guint32 *head2; /* entries of 2-3 bytes, by their first two: mask2 + 1 buckets */
  guint mask2;
  const guint8 *pairs;  /* the first two bytes (a, b) of every entry of 2+: pairs[((a << 8) | b) & pmask] */
  guint pmask;
  guint n2;             /* entries of 2-3 bytes */
  guint n_short;        /* entries shorter than two bytes */
  const guint *short_idx;
  const guint8 *every;  /* every[i]: all occurrences of entry i wanted (usc_match_scan), or NULL */
  guint ntabs;          /* tables: entries [tab_off[t], tab_off[t + 1]) */
  const guint *tab_off;
  gboolean is_static;   /* written out by src/gen-match-data (usc-match-data.c): never freed */
};

/* Pattern @i of @m. */
#define PAT(m, i) ((m)->pool + (m)->pat_off[i])

/* The four bytes at @p, the first the lowest (the same number on every
 * machine, so that an index written out at build time reads the same). */
static inline guint32
multi_load4 (const char *p)
{
  const guchar *u = (const guchar *) p;
  return (guint32) u[0] | (guint32) u[1] << 8 | (guint32) u[2] << 16 | (guint32) u[3] << 24;
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

/* The index of the @n entries of @pat (copied into it), in @ntabs tables
 * of @sizes entries (@every: flags of the tables, or NULL). */
UscMatch *usc_match_build (const char *const *pat, guint n, guint ntabs, const guint *sizes, const gboolean *every);

G_END_DECLS
#endif
