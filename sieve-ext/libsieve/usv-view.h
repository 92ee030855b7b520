/* usv-view.h — the message as unscatter-sieve's Sieve script sees it: the
 * top-level header fields (decoded and unfolded by GMime), the verdict as
 * synthetic fields, the envelope, the size. Built before the evaluation
 * forks (usv-child.h), read-only after, so the child only reads memory.
 *
 * Synthetic fields (they come first, and any field of the message whose name
 * begins with "X-Unscatter-" is hidden: the sender may have forged one):
 *   X-Unscatter-Verdict          not-bounce | legitimate | backscatter | unknown
 *   X-Unscatter-Kind             not-bounce | dsn | autoreply | challenge |
 *                                virus-notice | feedback-report
 *   X-Unscatter-Reason           the reasons, "; "-separated (as deliver writes them)
 *   X-Unscatter-Envelope-From    the envelope sender as Return-Path writes it:
 *                                "<addr>", "<>" for the null sender (absent when unknown)
 *   X-Unscatter-Envelope-To      "<addr>", the envelope recipient (absent when unknown)
 * The envelope fields exist because libsieve's `envelope` test never matches
 * the null sender (`envelope :is "from" ""` is false).
 */
#ifndef USV_VIEW_H
#define USV_VIEW_H

#include <glib.h>
#include <gmime/gmime.h>
#include "usc-classify.h"

G_BEGIN_DECLS

typedef struct _UsvView UsvView;

/* The view of @mime (borrowed; NULL: no header fields of the message) with
 * the verdict of @result (borrowed; NULL or unclassified: no verdict fields)
 * and the message size @size. Everything is copied. Free with usv_view_free(). */
UsvView *usv_view_new (GMimeMessage *mime, const UscResult *result, gsize size);
void usv_view_free (UsvView **view);

/* The values of the field @name (ASCII case-insensitive), in message order,
 * NULL-terminated; NULL when there is none. Owned by @view. */
char **usv_view_header (const UsvView *view, const char *name);

/* The envelope sender ("" for the null sender) and recipient, NULL when
 * unknown. Owned by @view. */
const char *usv_view_sender (const UsvView *view);
const char *usv_view_recipient (const UsvView *view);

gsize usv_view_size (const UsvView *view);

G_END_DECLS
#endif
