/* usc-mime-walk.h — one walk over a parsed MIME tree, with a visitor (as
 * mblaze's walk_mime()): the walker descends multiparts (RFC 2046) and the
 * messages GMime already parsed inside message/rfc822 parts, within a depth,
 * a part count and a message's deadline; the visitor says what each node
 * means. No mail knowledge beyond the MIME structure. Not installed. */
#ifndef USC_MIME_WALK_H
#define USC_MIME_WALK_H

#include "usc-message.h"

#include <gmime/gmime.h>

G_BEGIN_DECLS

typedef struct _UscMimeWalk UscMimeWalk;
typedef struct _UscMimeVisitor UscMimeVisitor;

/* Every callback may be NULL. */
struct _UscMimeVisitor {
  /* A multipart, before its children are walked. */
  void (*multipart) (UscMimeWalk *w, GMimeMultipart *mp, guint depth);
  /* A message part (GMime parsed the message in it): returns the message
   * whose body the walk goes on into, with the visitor @inside, or NULL to
   * go no further. The message must stay alive for the rest of the walk
   * (the walker takes no reference). NULL callback: GMime's message. */
  GMimeMessage *(*message) (UscMimeWalk *w, GMimeMessagePart *part, guint depth);
  /* A leaf (GMimePart). */
  void (*leaf) (UscMimeWalk *w, GMimeObject *part, guint depth);
  /* The visitor for the body of the message @message returned; NULL: this one. */
  const UscMimeVisitor *inside;
};

/* The walk's limits and state, shared by every walk started on it (a
 * visitor may start one from a callback: the parts count on). */
struct _UscMimeWalk {
  guint max_depth;          /* deeper nodes are not visited */
  guint max_parts;          /* nodes visited at most, over all walks on this */
  const UscMessage *msg;    /* its deadline and budget (usc_message_expired()), or NULL */
  guint parts;              /* nodes visited so far */
  gboolean truncated;       /* a limit was reached: the walk stopped there */
  gpointer data;            /* the visitor's */
};

/* Visit @o (at @depth; the top-level body is at depth 1) and what is below
 * it, depth first, children in order, until a limit is reached: a node
 * deeper than max_depth, the max_parts-th node or the deadline sets
 * @w->truncated and ends the walk. @o may be NULL (nothing is visited). */
void usc_mime_walk (UscMimeWalk *w, const UscMimeVisitor *v, GMimeObject *o, guint depth);

/* The content type of @o, lower case ("text/plain" when it has none).
 * Newly allocated. */
char *usc_mime_type_lc (GMimeObject *o);

G_END_DECLS
#endif
