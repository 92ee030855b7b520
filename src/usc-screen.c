/* usc-screen.c — the header-first screen (see usc-screen.h).
 *
 * WHY IT IS CONSERVATIVE. usc_bounce_analyze() calls a message "not a
 * bounce" with no note unless one of the following holds (usc-bounce.c,
 * gather_evidence() and decide_kind(); "human", the score of signs of a
 * person, is >= 0 and only ever subtracted):
 *   a. a report structure: multipart/report (read receipts get a note,
 *      delivery-status and feedback reports are bounces), a message/... or
 *      text/rfc822-headers part, a delivery-status or feedback-report part,
 *      or Amazon SES's JSON in the text (a report by itself);
 *   b. DSN score - human >= 3 (a note at 3, a DSN at 7);
 *   c. auto-reply score >= 3 (a note at 3, an auto-reply at 6);
 *   d. challenge score - human >= 8; virus score >= 9 (>= 12 in a report);
 *   e. the walk stopped at a limit (a note).
 * The screen lets a message through only when all of these hold:
 *   S0 no report part of (a): no multipart/report, no message/... or
 *      *rfc822* leaf (header blocks, encoded messages), no delivery-status
 *      or feedback-report part; a message part GMime parsed (a forwarded
 *      message/rfc822) only with header fields of its own and not from a
 *      weak From (below) nor from list software (mailing-list headers or
 *      a list role From: usc_list_notice() reads the attached message
 *      first), its nodes counted as the analysis' walk counts
 *      them; from a weak From, no leaf the analysis could take for a
 *      returned message (an .eml name, application/octet-stream, a text
 *      attachment that starts with header fields); fewer parts and less
 *      depth than the limits, and the parse budget not spent; no text part
 *      (its text made exactly as the analysis makes it: usc_part_text(),
 *      usc_html_to_text()) or multipart prologue holding a DSN, auto-reply
 *      or challenge body marker, a failure, delay, acknowledgement or
 *      absence phrase of src/lang (usc-lang.h), or "notificationtype" (the
 *      text searched as is, ASCII case ignored, and for text beyond ASCII
 *      once more folded by usc_lang_fold(), as the analysis reads the
 *      src/lang tables); from a weak or odd From, no SMTP reply code with
 *      an enhanced status code (usc_smtp_code_scan(): 2 DSN points from a
 *      notice's source); with Precedence bulk, junk or list and an
 *      In-Reply-To or References field, no phrase of
 *      src/lang/automatic.def (the auto-reply score's lang and marked
 *      rules);
 *   S1 no From mailbox whose local part is a daemon's or a scanner's (equal
 *      to an entry of daemon_local_parts or virus_local_parts, or starting
 *      with one of daemon_local_prefixes) or whose display name contains a
 *      daemon's or scanner's name; a local part of weak_daemon_local_parts
 *      ("noreply", "notifications": a "weak From") only with a usable
 *      address (not odd_sender());
 *   S2 no null sender (Return-Path <>, mailer-daemon; mbox "From <>");
 *   S3 no X-Failed-Recipients, Auto-Submitted, auto-reply header (of the
 *      table's name and value, in any field of that name), Precedence
 *      "junk", challenge software header (name, name prefix, or name and
 *      value), Exchange inbox-rule header, or field whose name contains
 *      "virus" with a verdict (usc_virus_header_verdict()'s test, so
 *      "X-Virus-Scanned: amavisd-new" passes);
 *   S4 a subject with none of the DSN, challenge, auto-reply (prefixes,
 *      tokens, phrases, weak prefixes, stems, src/lang/autoreply-subject.def)
 *      and Hotmail-complaint words; not a raw 8-bit subject (the analysis
 *      reads one in the text's charset, not as GMime decoded it).
 * Then (b): every strong DSN sign is gone (S0-S4: no report, no
 * failed-recipient field, no null or daemon sender, no DSN subject, no body
 * marker or src/lang wording, no header copy, no Auto-Submitted); what is
 * left is a weak From (1) or an odd one (2), never both, and an SMTP reply
 * code (2) only where neither is (notice_source() then wants our copy
 * returned), so the score is at most 2: a returned copy adds only to a
 * score >= 3 or with a daemon sender, a returned bounce only from a weak,
 * daemon or automatic sender (none reaches the analysis from a weak From,
 * S0). (c): the auto-reply
 * score is at most 2 (In-Reply-To, X-Auto-Response-Suppress; Precedence
 * "junk" would add 2; the lang and marked rules want src/lang wording, of
 * automatic.def only on a machine-marked answer, S0). (d): the challenge score is at most 4 (a "confirm"
 * Reply-To: every other rule wants a machine's mark or the words); the
 * virus score is capped at 8 when no daemon, automatic sender, scanner
 * sender or virus verdict (S1-S3) makes it a notice. (e): S0. Every test
 * here is the analysis' own on the same GMime data with the same tables
 * (usc-bounce-tables.h), or a weaker one (a substring where it wants a
 * prefix or an equal string, every field of a name where it reads the
 * first, every From mailbox where it reads the first, all the text where
 * it reads the unquoted lines of the first 256 KiB): the screen may leave a
 * message to the analysis that it could have passed, never the reverse.
 * The time limit (max_seconds) is the one exception by nature: the screen
 * passes mail that the analysis might, on a stalled machine, have stopped
 * on with a note.
 * tests/test-screen.c checks the claim on every message we have.
 */
#include "config.h"
#include "usc-screen.h"
#include "usc-lang.h"

#include <locale.h>
#include <string.h>

/* The analysis' tables and its own text helpers (usc_part_text,
 * usc_html_to_text, usc_prefix_any): the screen must read a part exactly as
 * the analysis does. This file reads only some of the tables. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-const-variable"
#pragma GCC diagnostic ignored "-Wunused-variable"
#include "usc-bounce-private.h"
#pragma GCC diagnostic pop

/* Why the screen left a message to the analysis (usc_screen_why()): the
 * first test that failed and the word or field it found. */
typedef struct {
  gboolean on;
  const char *what;  /* static */
  char *word;        /* owned */
} Why;

static void
why_set (Why *why, const char *what)
{
  if (why && why->on && why->what == NULL)
    why->what = what;
}

static void
why_word (Why *why, const char *word)
{
  if (why && why->on && why->word == NULL)
    why->word = g_strdup (word);
}

gboolean
usc_screen_enabled (void)
{
  static gsize once = 0;
  static gboolean on = TRUE;
  if (g_once_init_enter (&once)) {
    const char *v = g_getenv ("UNSCATTER_SCREEN");
    on = !(v && strcmp (v, "0") == 0);
    g_once_init_leave (&once, 1);
  }
  return on;
}

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
} Word;

typedef struct {
  Word *words;
  guint n;
  gint head[WORD_BUCKETS]; /* first word of a bucket, -1: none */
  guchar lc[256];          /* ASCII lower case */
  const char **shorts;     /* the entries too short for the index (NULL-terminated), for strstr() */
  guint8 *gram4;           /* when every word has 4 bytes or more: a bit for each word's first four,
                              loosely folded (gram4_slot()); NULL: none */
} Words;

/* The filter of has_word_in(): the first four bytes at a position, every
 * byte ORed with 0x20 (ASCII letters then in lower case; other bytes may
 * collide, which costs a look-up, never a miss: bytes equal ignoring ASCII
 * case are equal so folded), hashed to 2^16 bits. */
#define GRAM4_BITS 16

static inline guint
gram4_slot (const char *p)
{
  guint32 w;
  memcpy (&w, p, 4);
  return ((w | 0x20202020u) * 2654435761u) >> (32 - GRAM4_BITS);
}

static void
gram4_build (Words *ws)
{
  for (guint i = 0; i < ws->n; i++)
    if (ws->words[i].len < 4)
      return;
  ws->gram4 = g_malloc0 ((1u << GRAM4_BITS) / 8);
  for (guint i = 0; i < ws->n; i++) {
    guint h = gram4_slot (ws->words[i].w);
    ws->gram4[h >> 3] |= (guint8) (1u << (h & 7));
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
 * entry of fewer than 2 bytes is set aside (contains_tabs()'s strstr()). */
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
  l->v[l->n++] = (Word) { w, len, -1 };
}

static void
words_build (Words *ws, WordList *l)
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

/* The body's words. */
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

static const Words *
words (void)
{
  static Words ws;
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
     * the analysis reads in an ASCII text (usc_lang_count_text()) */
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

/* Words of tables @t (@n of them): those of one byte are left to the
 * caller's strstr (see contains_tabs()). */
static void
words_of_tabs (Words *ws, const Tab *t, gsize n)
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

static gboolean has_word_in (const Words *ws, const char *t, gsize len, Why *why);

/* TRUE when @hay holds an entry of one of the tables of @ws (words_of_tabs()):
 * the index, and strstr() for the entries too short for it. */
static gboolean
contains_tabs (const Words *ws, const char *hay, Why *why)
{
  if (hay == NULL || *hay == '\0')
    return FALSE;
  if (has_word_in (ws, hay, strlen (hay), why))
    return TRUE;
  for (const char *const *q = ws->shorts; *q; q++)
    if (strstr (hay, *q)) {
      why_word (why, *q);
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

static const Words *
word_set (int which)
{
  static Words sets[N_SETS];
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

/* TRUE when @t (@len bytes) contains one of the words of @ws, ASCII case
 * ignored. */
static gboolean
has_word_in (const Words *ws, const char *t, gsize len, Why *why)
{
  const guint8 *g4 = ws->gram4;
  for (gsize i = 0; i + 1 < len; i++) {
    if (g4) {
      if (i + 4 > len)
        break;  /* no word fits */
      guint h = gram4_slot (t + i);
      if (!(g4[h >> 3] & (1u << (h & 7))))
        continue;
    }
    for (gint k = ws->head[word_bucket (ws->lc, t + i)]; k >= 0; k = ws->words[k].next) {
      const Word *w = &ws->words[k];
      if (w->len > len - i)
        continue;
      gsize j = 0;
      while (j < w->len && ws->lc[(guchar) t[i + j]] == ws->lc[(guchar) w->w[j]])
        j++;
      if (j == w->len) {
        why_word (why, w->w);
        return TRUE;
      }
    }
  }
  return FALSE;
}

static gboolean
has_word (const char *t, gsize len, Why *why)
{
  return has_word_in (words (), t, len, why);
}

/* The analysis' odd_sender() on one From address: none, empty, a quoted
 * local part, or a space in it. */
static gboolean
odd_address (const char *a)
{
  return a == NULL || *a == '\0' || strchr (a, '"') || (strchr (a, ' ') && strchr (a, '@'));
}

/* S1: no From mailbox is a daemon's or a scanner's, by the analysis' own
 * tests (usc_gather_evidence(): the local part equal to one of
 * daemon_local_parts or virus_local_parts or starting with one of
 * daemon_local_prefixes, the lower-cased display name containing one of
 * daemon_display_names or virus_display_names), on every mailbox where the
 * analysis reads the first. A local part of weak_daemon_local_parts
 * ("noreply", "notifications") sets *@weak: the DSN score's 1 point, which
 * the structure must then keep from growing (structure_is_plain()); with an
 * odd address too (2 points more) the message is left to the analysis. */
/* Some From mailbox is a list role address (usc_list_role_local()): the
 * analysis then reads an attached message first (usc_list_notice()). */
static gboolean
from_is_list_role (GMimeMessage *mm)
{
  InternetAddressList *l = g_mime_message_get_from (mm);
  int n = l ? internet_address_list_length (l) : 0;
  for (int i = 0; i < n; i++) {
    InternetAddress *ia = internet_address_list_get_address (l, i);
    if (!INTERNET_ADDRESS_IS_MAILBOX (ia))
      continue;
    const char *a = internet_address_mailbox_get_addr (INTERNET_ADDRESS_MAILBOX (ia));
    const char *at = a ? strchr (a, '@') : NULL;
    char *local = a ? g_strndup (a, at ? (gsize) (at - a) : strlen (a)) : NULL;
    gboolean r = usc_list_role_local (local);
    g_free (local);
    if (r)
      return TRUE;
  }
  return FALSE;
}
static gboolean
sender_is_plain (GMimeMessage *mm, gboolean *weak, gboolean *odd, Why *why)
{
  InternetAddressList *l = g_mime_message_get_from (mm);
  int n = l ? internet_address_list_length (l) : 0;
  gboolean any = FALSE;
  for (int i = 0; i < n; i++) {
    InternetAddress *ia = internet_address_list_get_address (l, i);
    if (!INTERNET_ADDRESS_IS_MAILBOX (ia))
      continue;
    const char *a = internet_address_mailbox_get_addr (INTERNET_ADDRESS_MAILBOX (ia));
    any = TRUE;
    if (odd_address (a))
      *odd = TRUE;
    const char *nm = internet_address_get_name (ia);
    gboolean bad = FALSE;
    if (a) {
      const char *at = strchr (a, '@');
      char *local = g_ascii_strdown (a, at ? at - a : -1);
      const char *hit = NULL;
      if (usc_equal_any (local, daemon_local_parts, N (daemon_local_parts)) ||
          usc_equal_any (local, virus_local_parts, N (virus_local_parts)) ||
          usc_prefix_any (local, daemon_local_prefixes, N (daemon_local_prefixes), &hit)) {
        bad = TRUE;
        why_word (why, hit ? hit : local);
      } else if (usc_equal_any (local, weak_daemon_local_parts, N (weak_daemon_local_parts))) {
        *weak = TRUE;
        bad = odd_address (a);
        if (bad)
          why_word (why, a);
      }
      g_free (local);
    }
    if (!bad && nm) {
      char *lc = g_utf8_strdown (nm, -1);
      bad = contains_tabs (word_set (SET_NAME), lc, why);
      g_free (lc);
    }
    if (bad) {
      why_set (why, "S1 a daemon's or scanner's From");
      return FALSE;
    }
  }
  if (!any)
    *odd = TRUE;  /* no From address: odd_sender() */
  return TRUE;
}

/* What S2 and S3 make of a top-level field, by its lower-cased name. */
enum {
  FIELD_BAD = 1,    /* its presence alone */
  FIELD_VALUED = 2, /* its value decides */
};

/* The names, by a hash of their lower-cased bytes, in a table built on
 * first use (open addressing, at most a quarter full): the tables' own
 * strings, compared ignoring ASCII case; no allocation. */
#define FIELD_SLOTS 256

typedef struct {
  const char *name;  /* NULL: empty */
  guint len;
  int flags;
} FieldSlot;

static guint
field_hash (const char *name, gsize len)
{
  guint h = 2166136261u;
  for (gsize i = 0; i < len; i++)
    h = (h ^ (guchar) (name[i] >= 'A' && name[i] <= 'Z' ? name[i] + ('a' - 'A') : name[i])) * 16777619u;
  return h;
}

static void
field_put (FieldSlot *t, const char *name, int flag)
{
  gsize len = strlen (name);
  for (guint k = field_hash (name, len);; k++) {
    FieldSlot *f = &t[k & (FIELD_SLOTS - 1)];
    if (f->name == NULL) {
      *f = (FieldSlot) { name, (guint) len, flag };
      return;
    }
    if (f->len == len && g_ascii_strncasecmp (f->name, name, len) == 0) {
      f->flags |= flag;
      return;
    }
  }
}

static const FieldSlot *
field_names (void)
{
  static FieldSlot t[FIELD_SLOTS];
  static gsize once = 0;
  if (g_once_init_enter (&once)) {
    static const char *const bad[] = { "x-failed-recipients", "auto-submitted" };
    for (gsize k = 0; k < G_N_ELEMENTS (bad); k++)
      field_put (t, bad[k], FIELD_BAD);
    for (gsize k = 0; k < N (challenge_headers); k++)
      field_put (t, challenge_headers[k], FIELD_BAD);
    for (gsize k = 0; k < N (exchange_rule_headers); k++)
      field_put (t, exchange_rule_headers[k], FIELD_BAD);
    field_put (t, "precedence", FIELD_VALUED);
    field_put (t, "return-path", FIELD_VALUED);
    for (gsize k = 0; k < N (autoreply_headers); k++)
      field_put (t, autoreply_headers[k].name, FIELD_VALUED);
    for (gsize k = 0; k < N (challenge_header_values); k++)
      field_put (t, challenge_header_values[k].name, FIELD_VALUED);
    G_STATIC_ASSERT (G_N_ELEMENTS (bad) + N (challenge_headers) + N (exchange_rule_headers) + 2 + N (autoreply_headers) +
                     N (challenge_header_values) <= FIELD_SLOTS / 4);
    g_once_init_leave (&once, 1);
  }
  return t;
}

/* The flags of lower-cased name @ln (@len bytes). */
static int
field_flags (const FieldSlot *t, const char *ln, gsize len)
{
  for (guint k = field_hash (ln, len);; k++) {
    const FieldSlot *f = &t[k & (FIELD_SLOTS - 1)];
    if (f->name == NULL)
      return 0;
    if (f->len == len && g_ascii_strncasecmp (f->name, ln, len) == 0)
      return f->flags;
  }
}

/* S2 and S3 for one field whose value decides (lower-cased name @ln). */
static gboolean
value_is_plain (const char *ln, GMimeHeader *h)
{
  /* the analysis reads the first field of a name (header_has()); the
   * screen reads every one */
  const char *value = g_mime_header_get_value (h);
  char *lv = g_ascii_strdown (value ? value : "", -1);
  gboolean bad = FALSE;
  for (gsize k = 0; k < N (autoreply_headers) && !bad; k++)
    bad = g_ascii_strcasecmp (ln, autoreply_headers[k].name) == 0 && strstr (lv, autoreply_headers[k].value);
  for (gsize k = 0; k < N (challenge_header_values) && !bad; k++)
    bad = g_ascii_strcasecmp (ln, challenge_header_values[k].name) == 0 &&
          strstr (lv, challenge_header_values[k].value);
  if (!bad && strcmp (ln, "precedence") == 0)
    bad = strstr (lv, "junk") != NULL;
  if (!bad && strcmp (ln, "return-path") == 0) {
    const char *v = g_strstrip (lv);
    bad = strcmp (v, "<>") == 0 || strcmp (v, "") == 0 || strcmp (v, "< >") == 0 || strstr (v, "mailer-daemon");
  }
  g_free (lv);
  return !bad;
}

/* A scan header's verdict, as usc_virus_header_verdict() (usc-kind-virus.c)
 * reads it: "X-Virus-Scanned: amavisd-new" is none, "X-Virus-Status:
 * Infected" one. */
static gboolean
virus_verdict (GMimeHeader *h)
{
  const char *value = g_mime_header_get_value (h);
  if (value == NULL)
    return FALSE;
  char *lv = g_ascii_strdown (value, -1);
  gboolean r = usc_contains_any (lv, virus_header_verdicts, N (virus_header_verdicts), NULL) &&
               !usc_contains_any (lv, virus_header_clean, N (virus_header_clean), NULL);
  g_free (lv);
  return r;
}

/* S2 and S3, over every field of the top-level header. */
static gboolean
fields_are_plain (GMimeObject *top, gboolean *marked, gboolean *refs, Why *why)
{
  const FieldSlot *names = field_names ();
  GMimeHeaderList *hl = g_mime_object_get_header_list (top);
  int cnt = hl ? g_mime_header_list_get_count (hl) : 0;
  for (int i = 0; i < cnt; i++) {
    GMimeHeader *h = g_mime_header_list_get_header_at (hl, i);
    const char *name = h ? g_mime_header_get_name (h) : NULL;
    if (name == NULL)
      continue;
    char buf[64], *big = NULL, *ln = buf;
    gsize len = strlen (name);
    if (len >= sizeof buf)
      ln = big = g_malloc (len + 1);
    for (gsize k = 0; k <= len; k++)
      ln[k] = g_ascii_tolower (name[k]);
    int flags = field_flags (names, ln, len);
    gboolean bad = (flags & FIELD_BAD) ||
                   usc_prefix_any (ln, challenge_header_prefixes, N (challenge_header_prefixes), NULL);
    if (!bad && (flags & FIELD_VALUED))
      bad = !value_is_plain (ln, h);
    if (!bad && strstr (ln, "virus") != NULL)
      bad = virus_verdict (h);
    if (strcmp (ln, "in-reply-to") == 0 || strcmp (ln, "references") == 0)
      *refs = TRUE;
    if (!bad && strcmp (ln, "precedence") == 0) {
      /* machine_marked() (usc-kind-autoreply.c): bulk, junk or list */
      const char *v = g_mime_header_get_value (h);
      while (v && (*v == ' ' || *v == '\t'))
        v++;
      if (v && (g_ascii_strncasecmp (v, "bulk", 4) == 0 || g_ascii_strncasecmp (v, "junk", 4) == 0 ||
                g_ascii_strncasecmp (v, "list", 4) == 0))
        *marked = TRUE;
    }
    if (bad) {
      why_set (why, "S2/S3 a field");
      why_word (why, name);
    }
    g_free (big);
    if (bad)
      return FALSE;
  }
  return TRUE;
}

typedef struct {
  const UscMessage *msg;
  guint parts;
  guint max_depth;
  gboolean weak;  /* the From is weak (sender_is_plain()) */
  gboolean codes; /* a weak or odd From: an SMTP reply code in the text is a notice's (2 points) */
  gboolean autom; /* Precedence bulk/junk/list and a reference: src/lang/automatic.def counts */
  Why *why;
  gboolean listy; /* list headers or a list role From: an attached message is read first (usc_list_notice()) */
} Walk;

/* The words of src/lang/automatic.def ("this is an automatic message", "do
 * not reply"), which the auto-reply score reads on a machine-marked answer
 * to another domain's message. */
static const Words *
auto_words (void)
{
  static Words ws;
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

/* Would usc_lang_fold() change @t (@len bytes, from its first byte beyond
 * ASCII) other than by lower-casing ASCII? Not when it is valid UTF-8 and
 * every character beyond ASCII is its own lower case (GLib's
 * g_utf8_strdown() then copies it), outside the Turkic and Lithuanian
 * locales, whose special casing GLib applies to ASCII letters too. */
static gboolean
fold_changes (const char *t, gsize len)
{
  static gsize once = 0;
  static gboolean special = FALSE;
  if (g_once_init_enter (&once)) {
    const char *loc = setlocale (LC_CTYPE, NULL);
    special = loc && (g_str_has_prefix (loc, "tr") || g_str_has_prefix (loc, "az") || g_str_has_prefix (loc, "lt"));
    g_once_init_leave (&once, 1);
  }
  if (special || !g_utf8_validate (t, (gssize) len, NULL))
    return TRUE;
  for (const char *p = t, *end = t + len; p < end;) {
    if ((guchar) *p < 0x80) {
      p++;
      continue;
    }
    gunichar c = g_utf8_get_char (p);
    if (g_unichar_tolower (c) != c)
      return TRUE;
    p = g_utf8_next_char (p);
  }
  return FALSE;
}

/* A text (a part's or a prologue) holds none of the words that matter: the
 * body words as the analysis reads its markers (ASCII case ignored) and, for
 * text beyond ASCII, once more folded as the analysis folds it for the
 * src/lang tables (usc_lang_fold(): "НЕ ДОСТАВЛЕНО"); with a weak or odd
 * From no SMTP reply code; on a machine-marked message with a reference,
 * none of src/lang/automatic.def. */
static gboolean text_is_plain_1 (Walk *w, const char *t);
/* ... and, where the src/lang wording counts without a daemon's or the
 * null sender's mark (a weak or odd From, a machine-marked answer), once
 * more with the line breaks inside paragraphs joined, as the analysis reads
 * the tables (usc_lang_join_lines()) */
static gboolean
text_is_plain (Walk *w, const char *t)
{
  if (!text_is_plain_1 (w, t))
    return FALSE;
  if (!(w->codes || w->autom))
    return TRUE;
  char *j = usc_lang_join_lines (t);
  gboolean r = j == NULL || text_is_plain_1 (w, j);
  g_free (j);
  return r;
}
static gboolean
text_is_plain_1 (Walk *w, const char *t)
{
  gsize len = strlen (t);
  if (has_word (t, len, w->why) || (w->autom && has_word_in (auto_words (), t, len, w->why)))
    return FALSE;
  if (w->codes && usc_smtp_code_scan (t, G_MAXINT)) {
    why_word (w->why, "an SMTP reply code");
    return FALSE;
  }
  for (gsize i = 0; i < len; i++)
    if ((guchar) t[i] >= 0x80) {
      if (!fold_changes (t + i, len - i))
        return TRUE;  /* folded, it would read the same, ASCII case aside */
      char *f = usc_lang_fold (t, (gssize) len);
      gsize fl = strlen (f);
      gboolean hit = has_word (f, fl, w->why) || (w->autom && has_word_in (auto_words (), f, fl, w->why));
      g_free (f);
      return !hit;
    }
  return TRUE;
}

/* Counts the nodes under @o (a returned message's, at @depth) as the
 * analysis' walk does (usc-mime-walk.c, with usc-bounce-walk.c's
 * payload_visitor, which reads no text); FALSE near a limit. */
static gboolean
inside_is_plain (Walk *w, GMimeObject *o, guint depth)
{
  if (o == NULL)
    return TRUE;
  if (depth >= w->max_depth || ++w->parts >= w->msg->limits.max_parts || usc_message_expired (w->msg)) {
    why_set (w->why, "S0 near a limit of the walk");
    return FALSE;
  }
  if (GMIME_IS_MULTIPART (o)) {
    GMimeMultipart *mp = GMIME_MULTIPART (o);
    int n = g_mime_multipart_get_count (mp);
    for (int i = 0; i < n; i++)
      if (!inside_is_plain (w, g_mime_multipart_get_part (mp, i), depth + 1))
        return FALSE;
  } else if (GMIME_IS_MESSAGE_PART (o)) {
    GMimeMessage *m = g_mime_message_part_get_message (GMIME_MESSAGE_PART (o));
    if (m)
      return inside_is_plain (w, g_mime_message_get_mime_part (m), depth + 1);
  }
  return TRUE;
}

/* A returned message that GMime parsed (message/rfc822, message/global):
 * the analysis keeps it as a returned copy (usc-bounce-walk.c,
 * notice_message()) and walks it for payloads only. A returned copy adds to
 * the DSN score only from a daemon's From, to a score of 3 or more, or as a
 * returned bounce from a weak, daemon or automatic sender (S1-S3 leave
 * 2 points at most, and no weak From here), and to no other kind's; one
 * without header fields is parsed again (a budget the screen does not
 * keep): left to the analysis. */
static gboolean
message_is_plain (Walk *w, GMimeMessagePart *part, guint depth)
{
  GMimeMessage *m = g_mime_message_part_get_message (part);
  if (m == NULL)
    return TRUE;
  if (w->weak || g_mime_header_list_get_count (g_mime_object_get_header_list (GMIME_OBJECT (m))) == 0) {
    why_set (w->why, w->weak ? "S0 a message part, from a weak From" : "S0 a message part without header fields");
    return FALSE;
  }
  if (w->listy) {
    why_set (w->why, "S0 a message part, from list software");
    return FALSE;
  }
  return inside_is_plain (w, g_mime_message_get_mime_part (m), depth + 1);
}

/* A leaf the analysis could take for a returned message (leaf_text() and
 * leaf_other() in usc-bounce-walk.c: message_file()): a returned bounce
 * counts from a weak From. */
static gboolean
message_file_like (GMimeObject *o, const char *mt)
{
  const char *fname = g_mime_part_get_filename (GMIME_PART (o));
  if (fname && (g_str_has_suffix (fname, ".eml") || g_str_has_suffix (fname, ".EML")))
    return TRUE;
  if (g_str_has_prefix (mt, "text/"))
    return usc_is_message_file (o);
  return strcmp (mt, "application/octet-stream") == 0;
}

/* S0: FALSE when @o (at @depth, as usc-bounce.c's walk counts) holds
 * anything of (a), a limit would be reached, or a text or prologue holds
 * one of the words. */
static gboolean
structure_is_plain (Walk *w, GMimeObject *o, guint depth)
{
  if (o == NULL)
    return TRUE;
  if (depth >= w->max_depth || ++w->parts >= w->msg->limits.max_parts || usc_message_expired (w->msg)) {
    why_set (w->why, "S0 near a limit of the walk");
    return FALSE;
  }
  if (GMIME_IS_MESSAGE_PART (o))
    return message_is_plain (w, GMIME_MESSAGE_PART (o), depth);
  GMimeContentType *ct = g_mime_object_get_content_type (o);
  char *mt = ct ? g_mime_content_type_get_mime_type (ct) : g_strdup ("");  /* allocated */
  for (char *q = mt; *q; q++)
    *q = g_ascii_tolower (*q);
  gboolean ok = TRUE;
  if (GMIME_IS_MULTIPART (o)) {
    GMimeMultipart *mp = GMIME_MULTIPART (o);
    const char *pro = g_mime_multipart_get_prologue (mp);
    ok = strcmp (mt, "multipart/report") != 0 && !(pro && !text_is_plain (w, pro));
    if (!ok)
      why_set (w->why, "S0 multipart/report or a prologue's words");
    int n = g_mime_multipart_get_count (mp);
    for (int i = 0; i < n && ok; i++)
      ok = structure_is_plain (w, g_mime_multipart_get_part (mp, i), depth + 1);
  } else if (GMIME_IS_PART (o)) {
    if (g_str_has_prefix (mt, "message/") || strstr (mt, "rfc822") || strstr (mt, "delivery-status") ||
        strstr (mt, "feedback-report")) {
      ok = FALSE;
      why_set (w->why, "S0 a report or message leaf");
      why_word (w->why, mt);
    } else if (w->weak && message_file_like (o, mt)) {
      ok = FALSE;
      why_set (w->why, "S0 a file that may be a message, from a weak From");
    } else if (g_str_has_prefix (mt, "text/")) {
      char *t = usc_part_text (o, TEXT_MAX);
      if (t && strcmp (mt, "text/html") == 0) {
        char *h = usc_html_to_text (t);
        g_free (t);
        t = h;
      }
      ok = t == NULL || text_is_plain (w, t);
      if (!ok)
        why_set (w->why, "S0 a text's words");
      g_free (t);
    }
  }
  g_free (mt);
  return ok;
}

UscBounce *
usc_screen (const UscMessage *msg)
{
  return usc_screen_why (msg, NULL);
}

UscBounce *
usc_screen_why (const UscMessage *msg, char **why_r)
{
  Why state = { why_r != NULL, NULL, NULL }, *why = &state;
  UscBounce *b = NULL;
  if (msg == NULL || msg->mime == NULL || !usc_screen_enabled ()) {
    why_set (why, "off");
    goto out;
  }
  GMimeMessage *mm = msg->mime;
  GMimeObject *top = GMIME_OBJECT (mm);

  /* the commonest signs of a bounce first: they cost one look-up each */
  GMimeObject *body = g_mime_message_get_mime_part (mm);
  GMimeContentType *ct = body ? g_mime_object_get_content_type (body) : NULL;
  if (g_mime_object_get_header (top, "Auto-Submitted") || g_mime_object_get_header (top, "X-Failed-Recipients") ||
      (ct && g_mime_content_type_is_type (ct, "multipart", "report"))) {
    why_set (why, "Auto-Submitted, X-Failed-Recipients or multipart/report");
    goto out;
  }
  const char *subj = g_mime_message_get_subject (mm);
  /* a raw 8-bit subject: the analysis reads it in the text's charset or a
   * guessed one (usc-bounce.c, raw_subject()), not as GMime decoded it */
  GMimeHeaderList *hl = g_mime_object_get_header_list (top);
  GMimeHeader *sh = hl ? g_mime_header_list_get_header (hl, "Subject") : NULL;
  const char *raw = sh ? g_mime_header_get_raw_value (sh) : NULL;
  if (subj && raw && !strstr (raw, "=?") && !g_utf8_validate (raw, -1, NULL)) {
    why_set (why, "S4 a raw 8-bit subject");
    goto out;
  }
  char *subject_lc = subj ? g_utf8_strdown (subj, -1) : g_strdup ("");

  /* S4 (the complaint words are in the subject's set) */
  gboolean plain = !contains_tabs (word_set (SET_SUBJECT), subject_lc, why);
  g_free (subject_lc);
  if (!plain) {
    why_set (why, "S4 the subject");
    goto out;
  }

  /* S2 (the mbox From line), S1, S3 */
  if (msg->had_mbox_from && msg->mbox_sender && *msg->mbox_sender == '\0') {
    why_set (why, "S2 the mbox From line's null sender");
    goto out;
  }
  gboolean weak = FALSE, odd = FALSE, marked = FALSE, refs = FALSE;
  if (!sender_is_plain (mm, &weak, &odd, why) || !fields_are_plain (top, &marked, &refs, why))
    goto out;

  /* S0 (a parse that spent the message's budget gets a note) */
  if (msg->budget && msg->budget->exhausted) {
    why_set (why, "S0 the parse budget is spent");
    goto out;
  }
  Walk w = { msg, 0, msg->limits.max_depth ? msg->limits.max_depth : 40, weak, weak || odd, marked && refs, why,
             from_is_list_role (mm) || usc_any_header (top, list_headers, N (list_headers)) };
  if (!structure_is_plain (&w, g_mime_message_get_mime_part (mm), 1))
    goto out;

  b = usc_bounce_new ();
  const char *date = g_mime_object_get_header (top, "Date");
  if (date) {
    b->bounce_date = g_strdup (date);
    GDateTime *dt = g_mime_utils_header_decode_date (date);
    if (dt) {
      b->bounce_time = g_date_time_to_unix (dt);
      g_date_time_unref (dt);
    }
  }
out:
  if (why_r)
    *why_r = b ? NULL : why->what ? g_strdup_printf ("%s%s%s%s", why->what, why->word ? " (\"" : "",
                                                      why->word ? why->word : "", why->word ? "\")" : "")
                                   : g_strdup ("?");
  g_free (why->word);
  return b;
}
