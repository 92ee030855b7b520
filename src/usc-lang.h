/* usc-lang.h — wording signals by language (src/lang/<signal>.def), one table per
 * signal, and the decoding of text whose charset was not declared.
 *
 * Each table holds lower-case UTF-8 phrases tagged with an ISO 639-1 code;
 * the text searched must be folded with usc_lang_fold() first (Unicode
 * lower case, so "Сообщение" and "ÉCHEC" match too). Nothing here knows
 * about scores: the bounce analysis decides what a hit is worth.
 */
#ifndef USC_LANG_H
#define USC_LANG_H

#include <glib.h>
#include "usc-match.h"

G_BEGIN_DECLS

typedef enum {
  USC_LANG_FAILURE,           /* "could not be delivered"          (failure.def) */
  USC_LANG_DELAY,             /* "not yet delivered", "will retry" (delay.def) */
  USC_LANG_SEPARATOR,         /* "original message" before a copy  (separator.def) */
  USC_LANG_AUTOREPLY_SUBJECT, /* "automatic reply:"                (autoreply-subject.def) */
  USC_LANG_VACATION,          /* "I am on vacation"                (vacation.def) */
  USC_LANG_ACK,               /* "we have received your message"   (ack.def) */
  USC_LANG_REPLY_PREFIX,      /* "Re", "AW", "Odp", "回复"          (reply-prefix.def) */
  USC_LANG_CHALLENGE,         /* "confirm that you are a person"   (challenge.def) */
  USC_LANG_RECIPIENT_KEY,     /* "Recipient:", "宛先:", "받는 사람:" (recipient-key.def) */
  USC_LANG_AUTOMATIC,         /* "this is an automatic message"    (automatic.def) */
  USC_LANG_CONFIRM,           /* "confirm that you ..."            (confirm.def) */
  USC_LANG_REPLY_INSTRUCTION, /* "reply to this message"           (reply-instruction.def) */
  USC_LANG_N_SIGNALS
} UscLangSignal;

/* The phrases of @sig (static, lower case UTF-8) and their number in *@n_r. */
const char *const *usc_lang_phrases (UscLangSignal sig, gsize *n_r);

/* The language code ("de") of phrase @i of @sig; NULL when out of range. */
const char *usc_lang_language (UscLangSignal sig, gsize i);

/* @len bytes of UTF-8 (-1: NUL-terminated) in Unicode lower case, invalid
 * bytes replaced (U+FFFD). Returns a new string. */
char *usc_lang_fold (const char *text, gssize len);

/* @text with each line break inside a paragraph (a single one: not a
 * blank line) and the blanks around it made one space, so that a phrase
 * broken over a line end ("vastaamalla\ntähän viestiin") is found; NULL
 * when @text has no such line break. Returns a new string. */
char *usc_lang_join_lines (const char *text);

/* The number of distinct phrases of @sig in @folded (@len bytes, from
 * usc_lang_fold()); *@first_r (may be NULL) gets the phrase found earliest
 * in the text, or NULL. */
guint usc_lang_count (UscLangSignal sig, const char *folded, gsize len, const char **first_r);

/* The failure and delay phrases (USC_LANG_FAILURE, USC_LANG_DELAY; none for
 * another @sig) written without their diacritics ("nije isporucena"), which
 * usc_lang_count_text() also counts in a text that is all ASCII: static,
 * *@n_r of them. */
const char *const *usc_lang_ascii_phrases (UscLangSignal sig, gsize *n_r);

/* All of usc_lang_ascii_phrases() in one table (*@n_r rows, static), the
 * signal of each in (*@sig_r)[i]: for an index that searches an ASCII text
 * once for every table (usc-bounce-index.c). */
const char *const *usc_lang_ascii_table (gsize *n_r, const UscLangSignal **sig_r);

/* usc_lang_count() for all the text signals at once (every signal but
 * USC_LANG_AUTOREPLY_SUBJECT, USC_LANG_REPLY_PREFIX and the line key
 * USC_LANG_RECIPIENT_KEY, which get 0 and NULL), in one pass over @folded: counts_r[sig] and, when @first_r is not
 * NULL, first_r[sig] (the phrase found earliest, or NULL). The same answers
 * as one usc_lang_count() per signal, plus, in a text that is all ASCII,
 * the phrases of usc_lang_ascii_phrases(). */
void usc_lang_count_text (const char *folded, gsize len, guint counts_r[USC_LANG_N_SIGNALS],
                          const char *first_r[USC_LANG_N_SIGNALS]);
/* The phrases of all the text signals of usc_lang_count_text(), one table
 * after the other (static), and their number in *@n_r: what one index over
 * them holds. */
const char *const *usc_lang_text_phrases (gsize *n_r);
/* usc_lang_count_text()'s answers from @hits: phrase k of
 * usc_lang_text_phrases() is pattern @off + k of the index that
 * usc_match_scan() searched the text with. */
void usc_lang_count_from (const UscMatchHits *hits, guint off, guint counts_r[USC_LANG_N_SIGNALS],
                          const char *first_r[USC_LANG_N_SIGNALS]);
/* Does @subject (UTF-8, any case) start — after white space and opening
 * brackets ("[", "(", "【", "«") — with a phrase of @sig followed by ':',
 * a closing bracket, " -" or the end? *@hit_r (may be NULL) gets the
 * phrase. For the prefix tables (USC_LANG_AUTOREPLY_SUBJECT,
 * USC_LANG_REPLY_PREFIX). */
gboolean usc_lang_subject_prefix (UscLangSignal sig, const char *subject, const char **hit_r);

/* Text of an undeclared charset: @len bytes that are not valid UTF-8 (or
 * hold ISO-2022-JP escapes) decoded with the candidate charset whose
 * result holds the most phrases of the tables (windows-125x, KOI8-R,
 * ISO-8859-7, GB18030, Big5, EUC-KR, Shift_JIS, EUC-JP, ISO-2022-JP).
 * Returns a new UTF-8 string, or NULL when @data is valid UTF-8 without
 * escapes or no candidate yields a phrase (the caller keeps its own
 * reading). */
char *usc_lang_decode_guess (const char *data, gsize len);

G_END_DECLS
#endif
