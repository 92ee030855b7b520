/* usc-lang.c — the tables of src/lang/<signal>.def and their searches (see
 * usc-lang.h). Each .def file is a list of LANG_ROW (code, phrase) rows,
 * included twice: once for the phrases (what the matcher indexes), once for
 * their languages.
 */
#include "config.h"
#include "usc-lang.h"
#include "usc-match.h"

#include <string.h>

#define LANG_ROW(code, phrase) phrase,
static const char *const failure_p[] = {
#include "lang/failure.def"
};
static const char *const delay_p[] = {
#include "lang/delay.def"
};
static const char *const separator_p[] = {
#include "lang/separator.def"
};
static const char *const autoreply_subject_p[] = {
#include "lang/autoreply-subject.def"
};
static const char *const vacation_p[] = {
#include "lang/vacation.def"
};
static const char *const ack_p[] = {
#include "lang/ack.def"
};
static const char *const reply_prefix_p[] = {
#include "lang/reply-prefix.def"
};
static const char *const challenge_p[] = {
#include "lang/challenge.def"
};
static const char *const confirm_p[] = {
#include "lang/confirm.def"
};
static const char *const reply_instruction_p[] = {
#include "lang/reply-instruction.def"
};
static const char *const automatic_p[] = {
#include "lang/automatic.def"
};
static const char *const recipient_key_p[] = {
#include "lang/recipient-key.def"
};
#undef LANG_ROW

#define LANG_ROW(code, phrase) code,
static const char *const failure_l[] = {
#include "lang/failure.def"
};
static const char *const delay_l[] = {
#include "lang/delay.def"
};
static const char *const separator_l[] = {
#include "lang/separator.def"
};
static const char *const autoreply_subject_l[] = {
#include "lang/autoreply-subject.def"
};
static const char *const vacation_l[] = {
#include "lang/vacation.def"
};
static const char *const ack_l[] = {
#include "lang/ack.def"
};
static const char *const reply_prefix_l[] = {
#include "lang/reply-prefix.def"
};
static const char *const challenge_l[] = {
#include "lang/challenge.def"
};
static const char *const confirm_l[] = {
#include "lang/confirm.def"
};
static const char *const reply_instruction_l[] = {
#include "lang/reply-instruction.def"
};
static const char *const automatic_l[] = {
#include "lang/automatic.def"
};
static const char *const recipient_key_l[] = {
#include "lang/recipient-key.def"
};
#undef LANG_ROW

/* The tables of the text signals (all but the two subject-prefix tables),
 * one after the other in one array: one index, one pass over a text for all
 * of them (usc_lang_count_text). */
#define LANG_ROW(code, phrase) phrase,
static const char *const text_p[] = {
#include "lang/failure.def"
#include "lang/delay.def"
#include "lang/separator.def"
#include "lang/vacation.def"
#include "lang/ack.def"
#include "lang/challenge.def"
#include "lang/automatic.def"
#include "lang/confirm.def"
#include "lang/reply-instruction.def"
};
#undef LANG_ROW
static const struct {
  UscLangSignal sig;
  gsize n;
} text_tables[] = {
  { USC_LANG_FAILURE, G_N_ELEMENTS (failure_p) },   { USC_LANG_DELAY, G_N_ELEMENTS (delay_p) },
  { USC_LANG_SEPARATOR, G_N_ELEMENTS (separator_p) }, { USC_LANG_VACATION, G_N_ELEMENTS (vacation_p) },
  { USC_LANG_ACK, G_N_ELEMENTS (ack_p) },           { USC_LANG_CHALLENGE, G_N_ELEMENTS (challenge_p) },
  { USC_LANG_AUTOMATIC, G_N_ELEMENTS (automatic_p) }, { USC_LANG_CONFIRM, G_N_ELEMENTS (confirm_p) },
  { USC_LANG_REPLY_INSTRUCTION, G_N_ELEMENTS (reply_instruction_p) },
};
G_STATIC_ASSERT (G_N_ELEMENTS (text_p) == G_N_ELEMENTS (failure_p) + G_N_ELEMENTS (delay_p) +
                                              G_N_ELEMENTS (separator_p) + G_N_ELEMENTS (vacation_p) +
                                              G_N_ELEMENTS (ack_p) + G_N_ELEMENTS (challenge_p) +
                                              G_N_ELEMENTS (automatic_p) + G_N_ELEMENTS (confirm_p) +
                                              G_N_ELEMENTS (reply_instruction_p));

static const struct {
  const char *const *phrases;
  const char *const *langs;
  gsize n;
} tables[USC_LANG_N_SIGNALS] = {
  [USC_LANG_FAILURE] = { failure_p, failure_l, G_N_ELEMENTS (failure_p) },
  [USC_LANG_DELAY] = { delay_p, delay_l, G_N_ELEMENTS (delay_p) },
  [USC_LANG_SEPARATOR] = { separator_p, separator_l, G_N_ELEMENTS (separator_p) },
  [USC_LANG_AUTOREPLY_SUBJECT] = { autoreply_subject_p, autoreply_subject_l, G_N_ELEMENTS (autoreply_subject_p) },
  [USC_LANG_VACATION] = { vacation_p, vacation_l, G_N_ELEMENTS (vacation_p) },
  [USC_LANG_ACK] = { ack_p, ack_l, G_N_ELEMENTS (ack_p) },
  [USC_LANG_REPLY_PREFIX] = { reply_prefix_p, reply_prefix_l, G_N_ELEMENTS (reply_prefix_p) },
  [USC_LANG_CHALLENGE] = { challenge_p, challenge_l, G_N_ELEMENTS (challenge_p) },
  [USC_LANG_RECIPIENT_KEY] = { recipient_key_p, recipient_key_l, G_N_ELEMENTS (recipient_key_p) },
  [USC_LANG_AUTOMATIC] = { automatic_p, automatic_l, G_N_ELEMENTS (automatic_p) },
  [USC_LANG_CONFIRM] = { confirm_p, confirm_l, G_N_ELEMENTS (confirm_p) },
  [USC_LANG_REPLY_INSTRUCTION] = { reply_instruction_p, reply_instruction_l, G_N_ELEMENTS (reply_instruction_p) },
};

const char *const *
usc_lang_phrases (UscLangSignal sig, gsize *n_r)
{
  if ((guint) sig >= USC_LANG_N_SIGNALS) {
    if (n_r)
      *n_r = 0;
    return NULL;
  }
  if (n_r)
    *n_r = tables[sig].n;
  return tables[sig].phrases;
}

const char *
usc_lang_language (UscLangSignal sig, gsize i)
{
  if ((guint) sig >= USC_LANG_N_SIGNALS || i >= tables[sig].n)
    return NULL;
  return tables[sig].langs[i];
}

/* The whole of @text's fold is g_utf8_strdown (g_utf8_make_valid (text)).
 * Done by runs: an ASCII byte other than 'I' and 'J' is its own ASCII lower
 * case in every locale (the Turkic and Lithuanian rules of GLib touch only
 * those two), so only the runs of other bytes go through GLib, each with
 * the ASCII character after it (GLib looks one character ahead: a final
 * sigma), whose fold (one byte) is then dropped. A run never splits a
 * UTF-8 sequence (no ASCII byte is inside one), and g_utf8_make_valid()
 * replaces each invalid byte alone, so the runs give the same bytes. */
static gboolean
fold_plain (guchar c)
{
  return c < 0x80 && c != 'I' && c != 'J' && c != '\0';  /* (a NUL: GLib makes it U+FFFD) */
}

char *
usc_lang_fold (const char *text, gssize len)
{
  if (text == NULL)
    return g_strdup ("");
  if (len < 0)
    len = (gssize) strlen (text);
  const guchar *u = (const guchar *) text;
  GString *out = g_string_sized_new ((gsize) len + 16);
  gssize i = 0;
  while (i < len) {
    gssize j = i;
    while (j < len && fold_plain (u[j]))
      j++;
    if (j > i) {
      gsize o = out->len;
      g_string_set_size (out, o + (gsize) (j - i));
      for (gssize k = i; k < j; k++)
        out->str[o + (gsize) (k - i)] = g_ascii_tolower (text[k]);
      i = j;
      if (i == len)
        break;
    }
    /* the run: up to a stretch of 16 plain bytes (a space between two
     * words of Cyrillic stays in it: one call to GLib a line, not a word) */
    while (j < len) {
      if (!fold_plain (u[j])) {
        j++;
        continue;
      }
      gssize k = j;
      while (k < len && fold_plain (u[k]) && k - j < 16)
        k++;
      if (k - j >= 16 || k == len)
        break;
      j = k;
    }
    gboolean next = j < len;  /* the plain byte after the run comes along */
    char *valid = g_utf8_make_valid (text + i, j - i + (next ? 1 : 0));
    char *lc = g_utf8_strdown (valid, -1);
    gsize n = strlen (lc);
    g_string_append_len (out, lc, (gssize) (n - (next ? 1 : 0)));
    g_free (lc);
    g_free (valid);
    i = j;
  }
  return g_string_free (out, FALSE);
}

char *
usc_lang_join_lines (const char *text)
{
  const char *nl = text ? strchr (text, '\n') : NULL;
  if (nl == NULL)
    return NULL;
  gsize len = strlen (text);
  char *o = g_malloc (len + 1), *w = o;
  gboolean joined = FALSE;
  memcpy (o, text, nl - text);
  w += nl - text;
  for (const char *p = nl; *p;) {
    const char *next = strchr (p, '\n');
    if (p != nl && next == NULL) {
      /* the rest has no line break */
      gsize n = strlen (p);
      memcpy (w, p, n);
      w += n;
      break;
    }
    if (p != nl) {
      /* the line [p, next) */
      memcpy (w, p, next - p);
      w += next - p;
      p = next;
    }
    nl = NULL;
    /* at a line break: the blanks before it and after it */
    const char *q = p + 1;
    while (*q == ' ' || *q == '\t' || *q == '\r')
      q++;
    char *keep = w;
    while (keep > o && (keep[-1] == ' ' || keep[-1] == '\t' || keep[-1] == '\r'))
      keep--;
    gboolean blank_before = keep == o || keep[-1] == '\n';
    if (*q == '\n' || *q == '\0' || blank_before) {
      *w++ = '\n';  /* a paragraph's end: kept */
      p++;
      continue;
    }
    w = keep;
    *w++ = ' ';
    joined = TRUE;
    p = q;
  }
  *w = '\0';
  if (!joined) {
    g_free (o);
    return NULL;
  }
  return o;
}

guint
usc_lang_count (UscLangSignal sig, const char *folded, gsize len, const char **first_r)
{
  if (first_r)
    *first_r = NULL;
  if ((guint) sig >= USC_LANG_N_SIGNALS || folded == NULL || len == 0)
    return 0;
  const char *const *p = tables[sig].phrases;
  gsize n = tables[sig].n;
  const UscMatch *m = usc_match_table (p, n);
  guint count = 0;
  gssize best = -1;
  if (m) {
    gssize *first = g_new (gssize, n);
    usc_match_first_each (m, folded, len, first);
    for (gsize i = 0; i < n; i++)
      if (first[i] >= 0) {
        count++;
        if (best < 0 || first[i] < best) {
          best = first[i];
          if (first_r)
            *first_r = p[i];
        }
      }
    g_free (first);
  } else {
    /* the matcher's cache is full: the slow way, with the same answers */
    char *z = g_strndup (folded, len);
    for (gsize i = 0; i < n; i++) {
      const char *h = strstr (z, p[i]);
      if (h) {
        count++;
        if (best < 0 || h - z < best) {
          best = h - z;
          if (first_r)
            *first_r = p[i];
        }
      }
    }
    g_free (z);
  }
  return count;
}

/* The rows of failure.def and delay.def written without their diacritics
 * ("nije isporučena" -> "nije isporucena", "se zatím nepodařilo doručit"
 * -> "...nepodarilo dorucit"): old servers and their site templates write
 * Latin-script languages in ASCII. Derived from the rows and kept in
 * src/lang/ascii.def (tests/test-lang.c derives them again), so that no
 * process pays for the derivation. */
#define ASCII_ROW(sig, phrase) phrase,
static const char *const ascii_p[] = {
#include "lang/ascii.def"
};
#undef ASCII_ROW
#define ASCII_ROW(sig, phrase) sig,
static const UscLangSignal ascii_s[] = {
#include "lang/ascii.def"
};
#undef ASCII_ROW
G_STATIC_ASSERT (G_N_ELEMENTS (ascii_p) == G_N_ELEMENTS (ascii_s));

typedef struct {
  const char *const *phrases;
  const UscLangSignal *sig;
  gsize n;
} Stripped;

static const Stripped *
stripped (void)
{
  static const Stripped st = { ascii_p, ascii_s, G_N_ELEMENTS (ascii_p) };
  return &st;
}

const char *const *
usc_lang_ascii_phrases (UscLangSignal sig, gsize *n_r)
{
  const Stripped *st = stripped ();
  /* the rows of one signal are consecutive (failure first, then delay) */
  gsize from = 0, n = 0;
  while (from < st->n && st->sig[from] != sig)
    from++;
  while (from + n < st->n && st->sig[from + n] == sig)
    n++;
  if (n_r)
    *n_r = n;
  return n ? st->phrases + from : NULL;
}

/* The ASCII rows of stripped() in an ASCII @folded: added to @counts_r
 * (a row and its stripped form cannot both be in an ASCII text). */
static void
count_stripped (const char *folded, gsize len, guint counts_r[USC_LANG_N_SIGNALS],
                const char *first_r[USC_LANG_N_SIGNALS])
{
  for (gsize i = 0; i < len; i++)
    if ((guchar) folded[i] >= 0x80)
      return;
  const Stripped *st = stripped ();
  if (st->n == 0)
    return;
  const UscMatch *m = usc_match_table (st->phrases, st->n);
  gssize *first = g_new (gssize, st->n);
  if (m)
    usc_match_first_each (m, folded, len, first);
  else
    for (gsize k = 0; k < st->n; k++) {
      const char *h = g_strstr_len (folded, len, st->phrases[k]);
      first[k] = h ? h - folded : -1;
    }
  for (gsize k = 0; k < st->n; k++)
    if (first[k] >= 0) {
      counts_r[st->sig[k]]++;
      if (first_r && first_r[st->sig[k]] == NULL)
        first_r[st->sig[k]] = st->phrases[k];
    }
  g_free (first);
}

void
usc_lang_count_text (const char *folded, gsize len, guint counts_r[USC_LANG_N_SIGNALS],
                     const char *first_r[USC_LANG_N_SIGNALS])
{
  for (guint s = 0; s < USC_LANG_N_SIGNALS; s++) {
    counts_r[s] = 0;
    if (first_r)
      first_r[s] = NULL;
  }
  if (folded == NULL || len == 0)
    return;
  const UscMatch *m = usc_match_table (text_p, G_N_ELEMENTS (text_p));
  if (m == NULL) {
    /* the matcher's cache is full: one table at a time, the same answers */
    for (gsize t = 0; t < G_N_ELEMENTS (text_tables); t++)
      counts_r[text_tables[t].sig] =
        usc_lang_count (text_tables[t].sig, folded, len, first_r ? &first_r[text_tables[t].sig] : NULL);
    count_stripped (folded, len, counts_r, first_r);
    return;
  }
  UscMatchHits hits;
  usc_match_hits_init (&hits, m);
  usc_match_scan (m, folded, len, &hits, NULL);
  usc_lang_count_from (&hits, 0, counts_r, first_r);
  usc_match_hits_clear (&hits);
  count_stripped (folded, len, counts_r, first_r);
}

const char *const *
usc_lang_ascii_table (gsize *n_r, const UscLangSignal **sig_r)
{
  const Stripped *st = stripped ();
  *n_r = st->n;
  *sig_r = st->sig;
  return st->phrases;
}

const char *const *
usc_lang_text_phrases (gsize *n_r)
{
  *n_r = G_N_ELEMENTS (text_p);
  return text_p;
}

void
usc_lang_count_from (const UscMatchHits *hits, guint off, guint counts_r[USC_LANG_N_SIGNALS],
                     const char *first_r[USC_LANG_N_SIGNALS])
{
  for (guint s = 0; s < USC_LANG_N_SIGNALS; s++) {
    counts_r[s] = 0;
    if (first_r)
      first_r[s] = NULL;
  }
  /* per table, what usc_lang_count() gives: the earliest hit, the lowest
   * index among equals */
  gsize i = 0;
  for (gsize t = 0; t < G_N_ELEMENTS (text_tables); t++) {
    UscLangSignal sig = text_tables[t].sig;
    gssize best = -1;
    for (gsize k = 0; k < text_tables[t].n; k++, i++) {
      gssize at = usc_match_hit (hits, off + (guint) i);
      if (at >= 0) {
        counts_r[sig]++;
        if (best < 0 || at < best) {
          best = at;
          if (first_r)
            first_r[sig] = text_p[i];
        }
      }
    }
  }
}

/* Skip white space and opening brackets at the start of a subject. */
static const char *
skip_open (const char *s)
{
  static const char *const open[] = { "[", "(", "{", "<", "\xe3\x80\x90" /* 【 */, "\xc2\xab" /* « */,
                                      "\xe3\x80\x8c" /* 「 */, "\xef\xbc\xbb" /* ［ */ };
  for (;;) {
    while (*s == ' ' || *s == '\t')
      s++;
    gboolean more = FALSE;
    for (gsize i = 0; i < G_N_ELEMENTS (open); i++)
      if (g_str_has_prefix (s, open[i])) {
        s += strlen (open[i]);
        more = TRUE;
        break;
      }
    if (!more)
      return s;
  }
}

/* After a prefix: ':' (ASCII or full-width), a closing bracket, " -", or the end. */
static gboolean
prefix_end (const char *s)
{
  while (*s == ' ' || *s == '\t')
    s++;
  static const char *const close[] = { ":", "\xef\xbc\x9a" /* ： */, "]", ")", "}", ">", "\xe3\x80\x91" /* 】 */,
                                       "\xc2\xbb" /* » */, "\xe3\x80\x8d" /* 」 */, "\xef\xbc\xbd" /* ］ */, "-" };
  if (*s == '\0')
    return TRUE;
  for (gsize i = 0; i < G_N_ELEMENTS (close); i++)
    if (g_str_has_prefix (s, close[i]))
      return TRUE;
  return FALSE;
}

gboolean
usc_lang_subject_prefix (UscLangSignal sig, const char *subject, const char **hit_r)
{
  if (hit_r)
    *hit_r = NULL;
  if ((guint) sig >= USC_LANG_N_SIGNALS || subject == NULL)
    return FALSE;
  char *lc = usc_lang_fold (subject, -1);
  const char *s = skip_open (lc);
  gboolean found = FALSE;
  for (gsize i = 0; i < tables[sig].n && !found; i++) {
    const char *p = tables[sig].phrases[i];
    if (p[0] != '\0' && p[0] != s[0])
      continue; /* the first byte decides most rows without strlen and strncmp */
    gsize n = strlen (p);
    if (strncmp (s, p, n) == 0 && prefix_end (s + n)) {
      found = TRUE;
      if (hit_r)
        *hit_r = p;
    }
  }
  g_free (lc);
  return found;
}
