/* usc-screen-private.h — what the files of the header-first screen share
 * (private to src/usc-screen*.c): why a message was left to the analysis,
 * the word index (usc-screen-words.c), the tests of the From and header
 * fields (usc-screen-fields.c) and of the body (usc-screen-text.c).
 */
#ifndef USC_SCREEN_PRIVATE_H
#define USC_SCREEN_PRIVATE_H

#include <glib.h>
#include <gmime/gmime.h>
#include "usc-message.h"

G_BEGIN_DECLS

/* Why the screen left a message to the analysis (usc_screen_why()): the
 * first test that failed and the word or field it found. */
typedef struct {
  gboolean on;
  const char *what;  /* static */
  char *word;        /* owned */
} UscScreenWhy;

static inline void
usc_screen_why_set (UscScreenWhy *why, const char *what)
{
  if (why && why->on && why->what == NULL)
    why->what = what;
}

static inline void
usc_screen_why_word (UscScreenWhy *why, const char *word)
{
  if (why && why->on && why->word == NULL)
    why->word = g_strdup (word);
}

/* ---- usc-screen-words.c: the words searched for ----
 * Built on first use, never freed (static, shared by every message). */
typedef struct _UscScreenWords UscScreenWords;

/* The body's words: the DSN, auto-reply and challenge markers, the
 * src/lang failure, delay, acknowledgement and absence phrases, the list
 * refusal words and "notificationtype". */
const UscScreenWords *usc_screen_body_words (void);
/* The phrases of src/lang/automatic.def. */
const UscScreenWords *usc_screen_auto_words (void);
/* The subject's: DSN, challenge, auto-reply (every table, and
 * src/lang/autoreply-subject.def), list refusal, Hotmail complaint. */
const UscScreenWords *usc_screen_subject_words (void);
/* The display name's: daemons' and scanners' names. */
const UscScreenWords *usc_screen_name_words (void);

/* TRUE when @t (@len bytes) contains one of the words of @ws, ASCII case
 * ignored (the word named in @why). */
gboolean usc_screen_has_word (const UscScreenWords *ws, const char *t, gsize len, UscScreenWhy *why);
/* The same for a NUL-terminated @hay (NULL or empty: FALSE), with the
 * tables' one-byte entries found by strstr(). */
gboolean usc_screen_contains (const UscScreenWords *ws, const char *hay, UscScreenWhy *why);

/* ---- usc-screen-fields.c: S1-S3 ---- */

/* S1 over every From mailbox; *@weak set for a weak daemon local part,
 * *@odd for an odd or missing address. */
gboolean usc_screen_sender_is_plain (GMimeMessage *mm, gboolean *weak, gboolean *odd, UscScreenWhy *why);
/* A mailing-list header (list_headers, as Evidence.list reads them). */
gboolean usc_screen_has_list_header (GMimeObject *top);
/* Mailing-list headers, or some From mailbox a list role address
 * (usc_list_role_local()): the analysis then reads an attached message
 * first (usc_list_notice()). */
gboolean usc_screen_is_list_mail (GMimeMessage *mm);
/* S2 and S3 over every top-level field; *@marked for Precedence bulk, junk
 * or list, *@refs for In-Reply-To or References. */
gboolean usc_screen_fields_are_plain (GMimeObject *top, gboolean *marked, gboolean *refs, UscScreenWhy *why);

/* ---- usc-screen-text.c: S0 ---- */

typedef struct {
  const UscMessage *msg;
  guint parts;
  guint max_depth;
  gboolean weak;  /* the From is weak (sender_is_plain()) */
  gboolean codes; /* a weak or odd From: an SMTP reply code in the text is a notice's (2 points) */
  gboolean autom; /* Precedence bulk/junk/list and a reference: src/lang/automatic.def counts */
  UscScreenWhy *why;
  gboolean listy; /* list headers or a list role From: an attached message is read first (usc_list_notice()) */
} UscScreenWalk;

/* TRUE in the Turkic and Lithuanian locales, where GLib's Unicode case
 * mapping (g_utf8_strdown()) treats some ASCII letters specially. */
gboolean usc_screen_special_casing (void);

/* S0: FALSE when @o (at @depth, as the analysis' walk counts) holds a
 * report or message leaf, a limit would be reached, or a text or prologue
 * holds one of the words. */
gboolean usc_screen_structure_is_plain (UscScreenWalk *w, GMimeObject *o, guint depth);

G_END_DECLS
#endif
