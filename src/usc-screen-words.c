/* usc-screen-words.c — the header-first screen's word index: every word
 * whose presence can take a message out of "not a bounce" (the DSN,
 * auto-reply and challenge body markers, the src/lang wording, SES's JSON
 * key; the subject and display-name tables), found in a text with ASCII
 * case ignored by a bucket index on the first two bytes behind a four-byte
 * filter. The argument for what the screen may pass is in usc-screen.c.
 */
#include "config.h"
#include "usc-screen-private.h"
#include "usc-lang.h"

#include <string.h>

/* The analysis' tables and its own text helpers (N () and the
 * tables): the screen must read a part exactly as
 * the analysis does. This file reads only some of the tables. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-const-variable"
#pragma GCC diagnostic ignored "-Wunused-variable"
#include "usc-bounce-private.h"
#pragma GCC diagnostic pop

/* ---- the words the text is searched for ----
 * Every word whose presence in a message's text can raise a score past a
 * threshold when the header is plain (see the argument at the top): the DSN,
 * auto-reply and challenge wording and SES's JSON key. The analysis looks
 * for them in the text ASCII-lower-cased, quoted lines left out; the screen
 * in the whole text, ASCII case ignored, and a word ending in a newline
 * (a line's end) without it: it finds at least what the analysis finds. */

typedef struct {
  const char *const *tab;
  gsize n;
} Tab;

#define WORD_BUCKETS 1024   /* words by their first two bytes, lower-cased */

typedef struct {
  const char *w;
  gsize len;
  gint next;               /* next word of the same bucket, -1: none */
  gint gnext;              /* next word of the same gram4 chain (gram4_build()), -1: none */
} Word;

struct _UscScreenWords {
  Word *words;
  guint n;
  gint head[WORD_BUCKETS]; /* first word of a bucket, -1: none */
  guchar lc[256];          /* ASCII lower case */
  const char **shorts;     /* the entries too short for the index (NULL-terminated), for strstr() */
  guint8 *gram4;           /* when every word has 4 bytes or more: a bit for each word's first four,
                              loosely folded (gram4_slot()); NULL: none */
  gint *ghead;             /* with gram4: the first word of each chain of words whose gram4_slot()
                              agrees in its top GHEAD_BITS bits, -1: none */
};

/* The filter of usc_screen_has_word(): the first four bytes at a position, every
 * byte ORed with 0x20 (ASCII letters then in lower case; other bytes may
 * collide, which costs a look-up, never a miss: bytes equal ignoring ASCII
 * case are equal so folded), hashed to 2^16 bits. */
#define GRAM4_BITS 16
/* The words behind a set bit: one chain per 2^GHEAD_BITS of the filter's
 * slots, in the index's order (so that the first word found at a position
 * is the one the two-byte buckets would find first: every word matching
 * there has the text's first four bytes, so the same slot). */
#define GHEAD_BITS 12

static inline guint
gram4_slot (const char *p)
{
  guint32 w;
  memcpy (&w, p, 4);
  return ((w | 0x20202020u) * 2654435761u) >> (32 - GRAM4_BITS);
}

static void
gram4_build (UscScreenWords *ws)
{
  for (guint i = 0; i < ws->n; i++)
    if (ws->words[i].len < 4)
      return;
  ws->gram4 = g_malloc0 ((1u << GRAM4_BITS) / 8);
  ws->ghead = g_new (gint, 1u << GHEAD_BITS);
  memset (ws->ghead, 0xff, sizeof (gint) << GHEAD_BITS);
  for (guint i = ws->n; i-- > 0;) {
    guint h = gram4_slot (ws->words[i].w);
    ws->gram4[h >> 3] |= (guint8) (1u << (h & 7));
    ws->words[i].gnext = ws->ghead[h >> (GRAM4_BITS - GHEAD_BITS)];
    ws->ghead[h >> (GRAM4_BITS - GHEAD_BITS)] = (gint) i;
  }
}

static inline guint
word_bucket (const guchar *lc, const char *p)
{
  return ((guint) lc[(guchar) p[0]] * 131u + lc[(guchar) p[1]]) & (WORD_BUCKETS - 1);
}

/* The words being gathered: one allocation of the right size (the tables'
 * entries counted first), no per-word call. */
typedef struct {
  Word *v;
  guint n, cap;
  const char **shorts;  /* entries of fewer than 2 bytes (NULL: not kept) */
  guint n_shorts;
} WordList;

static void
words_init (WordList *l, gsize cap, gboolean keep_shorts)
{
  l->v = g_new (Word, cap ? cap : 1);
  l->n = 0;
  l->cap = (guint) cap;
  l->shorts = keep_shorts ? g_new (const char *, cap + 1) : NULL;
  l->n_shorts = 0;
}

/* A word without its trailing newlines, when 2 bytes or more are left; an
 * entry of fewer than 2 bytes is set aside (usc_screen_contains()'s strstr()). */
static inline void
words_add (WordList *l, const char *w)
{
  gsize len = strlen (w);
  if (len < 2 && l->shorts)
    l->shorts[l->n_shorts++] = w;
  while (len > 0 && w[len - 1] == '\n')
    len--;
  if (len < 2)
    return;
  if (l->n == l->cap) {
    l->cap = l->cap ? l->cap * 2 : 16;
    l->v = g_renew (Word, l->v, l->cap);
  }
  l->v[l->n++] = (Word) { w, len, -1, -1 };
}

static void
words_build (UscScreenWords *ws, WordList *l)
{
  ws->n = l->n;
  ws->words = l->v;
  if (l->shorts) {
    l->shorts[l->n_shorts] = NULL;
    ws->shorts = l->shorts;
  }
  for (guint c = 0; c < 256; c++)
    ws->lc[c] = (guchar) g_ascii_tolower ((gchar) c);
  for (guint b = 0; b < WORD_BUCKETS; b++)
    ws->head[b] = -1;
  for (guint i = ws->n; i-- > 0;) {
    guint h = word_bucket (ws->lc, ws->words[i].w);
    ws->words[i].next = ws->head[h];
    ws->head[h] = (gint) i;
  }
}

/* The phrases of the src/lang signals @sig (@n of them): how many, and
 * each added to @l. */
static gsize
lang_count (const UscLangSignal *sig, gsize n)
{
  gsize total = 0;
  for (gsize k = 0; k < n; k++) {
    gsize m = 0;
    usc_lang_phrases (sig[k], &m);
    total += m;
  }
  return total;
}

static void
words_add_lang (WordList *l, const UscLangSignal *sig, gsize n)
{
  for (gsize k = 0; k < n; k++) {
    gsize m = 0;
    const char *const *p = usc_lang_phrases (sig[k], &m);
    for (gsize i = 0; i < m; i++)
      words_add (l, p[i]);
  }
}

const UscScreenWords *
usc_screen_body_words (void)
{
  static UscScreenWords ws;
  static gsize once = 0;
  if (g_once_init_enter (&once)) {
    /* the wording of src/lang that the DSN and auto-reply scores read */
    static const UscLangSignal lang_body[] = { USC_LANG_FAILURE, USC_LANG_DELAY, USC_LANG_ACK, USC_LANG_VACATION };
    gsize total = N (dsn_body_markers) + N (autoreply_body_markers) + N (challenge_body_markers) + 1 +
                  N (list_refusal_words);
    total += lang_count (lang_body, G_N_ELEMENTS (lang_body));
    gsize nf = 0, nd = 0;
    const char *const *af = usc_lang_ascii_phrases (USC_LANG_FAILURE, &nf);
    const char *const *ad = usc_lang_ascii_phrases (USC_LANG_DELAY, &nd);
    total += nf + nd;
    WordList a;
    words_init (&a, total, FALSE);
    for (gsize i = 0; i < N (dsn_body_markers); i++)
      words_add (&a, dsn_body_markers[i].needle);
    for (gsize i = 0; i < N (autoreply_body_markers); i++)
      words_add (&a, autoreply_body_markers[i]);
    for (gsize i = 0; i < N (challenge_body_markers); i++)
      words_add (&a, challenge_body_markers[i]);
    words_add (&a, "notificationtype");  /* ses_json() */
    g_assert (a.n == N (dsn_body_markers) + N (autoreply_body_markers) + N (challenge_body_markers) + 1);
    for (gsize i = 0; i < N (list_refusal_words); i++)
      words_add (&a, list_refusal_words[i]);
    words_add_lang (&a, lang_body, G_N_ELEMENTS (lang_body));
    /* ... and the failure and delay phrases without their diacritics, which
     * the analysis reads in an ASCII text (USC_TT_LANG_ASCII) */
    for (gsize i = 0; i < nf; i++)
      words_add (&a, af[i]);
    for (gsize i = 0; i < nd; i++)
      words_add (&a, ad[i]);
    words_build (&ws, &a);
    gram4_build (&ws);
    g_once_init_leave (&once, 1);
  }
  return &ws;
}

/* UscScreenWords of tables @t (@n of them): those of one byte are left to the
 * caller's strstr (see usc_screen_contains()). */
static void
words_of_tabs (UscScreenWords *ws, const Tab *t, gsize n)
{
  gsize total = 0;
  for (gsize k = 0; k < n; k++)
    total += t[k].n;
  WordList a;
  words_init (&a, total, TRUE);
  for (gsize k = 0; k < n; k++)
    for (gsize i = 0; i < t[k].n; i++)
      words_add (&a, t[k].tab[i]);
  words_build (ws, &a);
}

/* TRUE when @hay holds an entry of one of the tables of @ws (words_of_tabs()):
 * the index, and strstr() for the entries too short for it. */
gboolean
usc_screen_contains (const UscScreenWords *ws, const char *hay, UscScreenWhy *why)
{
  if (hay == NULL || *hay == '\0')
    return FALSE;
  if (usc_screen_has_word (ws, hay, strlen (hay), why))
    return TRUE;
  for (const char *const *q = ws->shorts; *q; q++)
    if (strstr (hay, *q)) {
      usc_screen_why_word (why, *q);
      return TRUE;
    }
  return FALSE;
}

static const Tab subject_tabs[] = {
  { dsn_subjects, N (dsn_subjects) }, { challenge_subjects, N (challenge_subjects) },
  { autoreply_subject_prefixes, N (autoreply_subject_prefixes) },
  { autoreply_subject_tokens, N (autoreply_subject_tokens) },
  { autoreply_subject_phrases, N (autoreply_subject_phrases) },
  { autoreply_subject_weak_prefixes, N (autoreply_subject_weak_prefixes) },
  { autoreply_subject_stems, N (autoreply_subject_stems) },
  { list_refusal_words, N (list_refusal_words) },
};
static const char *const complaint[] = { "complaint about message from" };
static const Tab subject_tabs2[] = { { complaint, 1 } };
static const Tab name_tabs[] = {
  { daemon_display_names, N (daemon_display_names) }, { virus_display_names, N (virus_display_names) },
};

enum { SET_SUBJECT, SET_NAME, N_SETS };

static const UscScreenWords *
word_set (int which)
{
  static UscScreenWords sets[N_SETS];
  static gsize once = 0;
  if (g_once_init_enter (&once)) {
    Tab subj[N (subject_tabs) + 2];
    memcpy (subj, subject_tabs, sizeof subject_tabs);
    subj[N (subject_tabs)] = subject_tabs2[0];
    /* the auto-reply prefixes of src/lang/autoreply-subject.def */
    subj[N (subject_tabs) + 1].tab = usc_lang_phrases (USC_LANG_AUTOREPLY_SUBJECT, &subj[N (subject_tabs) + 1].n);
    words_of_tabs (&sets[SET_SUBJECT], subj, G_N_ELEMENTS (subj));
    words_of_tabs (&sets[SET_NAME], name_tabs, N (name_tabs));
    g_once_init_leave (&once, 1);
  }
  return &sets[which];
}

const UscScreenWords *
usc_screen_subject_words (void)
{
  return word_set (SET_SUBJECT);
}

const UscScreenWords *
usc_screen_name_words (void)
{
  return word_set (SET_NAME);
}

/* TRUE when @t (@len bytes) contains one of the words of @ws, ASCII case
 * ignored. */
gboolean
usc_screen_has_word (const UscScreenWords *ws, const char *t, gsize len, UscScreenWhy *why)
{
  const guint8 *g4 = ws->gram4;
  for (gsize i = 0; i + 1 < len; i++) {
    gint k;
    if (g4) {
      if (i + 4 > len)
        break;  /* no word fits */
      guint h = gram4_slot (t + i);
      if (!(g4[h >> 3] & (1u << (h & 7))))
        continue;
      k = ws->ghead[h >> (GRAM4_BITS - GHEAD_BITS)];
    } else {
      k = ws->head[word_bucket (ws->lc, t + i)];
    }
    for (; k >= 0; k = g4 ? ws->words[k].gnext : ws->words[k].next) {
      const Word *w = &ws->words[k];
      if (w->len > len - i)
        continue;
      gsize j = 0;
      while (j < w->len && ws->lc[(guchar) t[i + j]] == ws->lc[(guchar) w->w[j]])
        j++;
      if (j == w->len) {
        usc_screen_why_word (why, w->w);
        return TRUE;
      }
    }
  }
  return FALSE;
}


/* The words of src/lang/automatic.def ("this is an automatic message", "do
 * not reply"), which the auto-reply score reads on a machine-marked answer
 * to another domain's message. */
const UscScreenWords *
usc_screen_auto_words (void)
{
  static UscScreenWords ws;
  static gsize once = 0;
  if (g_once_init_enter (&once)) {
    static const UscLangSignal automatic[] = { USC_LANG_AUTOMATIC };
    WordList a;
    words_init (&a, lang_count (automatic, 1), FALSE);
    words_add_lang (&a, automatic, 1);
    words_build (&ws, &a);
    gram4_build (&ws);
    g_once_init_leave (&once, 1);
  }
  return &ws;
}
