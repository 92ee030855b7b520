/* usc-screen.h — the header-first screen: most mail is not a bounce, and
 * most of that can be told from its header fields and MIME structure alone,
 * before the full analysis (usc-bounce.c) reads and scores its text.
 */
#ifndef USC_SCREEN_H
#define USC_SCREEN_H

#include <glib.h>
#include "usc-bounce.h"
#include "usc-message.h"

G_BEGIN_DECLS

/* When @msg provably cannot come out of usc_bounce_analyze() as anything
 * but "not a bounce" with no notes, returns what usc_bounce_analyze() would
 * have returned (a new UscBounce, kind USC_KIND_NOT_BOUNCE, its own Date);
 * otherwise (most bounces, and mail the screen cannot decide) NULL: run the
 * full analysis. Never prints; no error. The argument for why this is
 * conservative is in usc-screen.c; the environment variable
 * UNSCATTER_SCREEN=0 turns the screen off (to compare its answers with the
 * full analysis', tests/t/0150-screen.t). */
UscBounce *usc_screen (const UscMessage *msg);

/* usc_screen(), and when it returns NULL and @why is not NULL, *@why is set
 * to a new string (g_free) naming the first of the screen's tests that the
 * message failed and the word or field that failed it ("S4 the subject
 * (\"undeliverable\")"): what keeps a message from the screen
 * (tests/test-screen.c). When it returns a result, *@why is NULL. */
UscBounce *usc_screen_why (const UscMessage *msg, char **why);

/* TRUE unless UNSCATTER_SCREEN=0 (read once). */
gboolean usc_screen_enabled (void);

G_END_DECLS
#endif
