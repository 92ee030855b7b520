/* usc-mime-walk.c — the MIME walker (see usc-mime-walk.h). */
#include "config.h"
#include "usc-mime-walk.h"

/* Counts the node; TRUE (and the walk truncated) when it is past a limit. */
static gboolean
walk_limit (UscMimeWalk *w, guint depth)
{
  if (depth > w->max_depth || ++w->parts > w->max_parts || (w->msg && usc_message_expired (w->msg))) {
    w->truncated = TRUE;
    return TRUE;
  }
  return FALSE;
}

void
usc_mime_walk (UscMimeWalk *w, const UscMimeVisitor *v, GMimeObject *o, guint depth)
{
  if (o == NULL || walk_limit (w, depth))
    return;
  if (GMIME_IS_MULTIPART (o)) {
    GMimeMultipart *mp = GMIME_MULTIPART (o);
    if (v->multipart)
      v->multipart (w, mp, depth);
    int n = g_mime_multipart_get_count (mp);
    for (int i = 0; i < n && !w->truncated; i++)
      usc_mime_walk (w, v, g_mime_multipart_get_part (mp, i), depth + 1);
  } else if (GMIME_IS_MESSAGE_PART (o)) {
    GMimeMessagePart *part = GMIME_MESSAGE_PART (o);
    GMimeMessage *m = v->message ? v->message (w, part, depth) : g_mime_message_part_get_message (part);
    if (m)
      usc_mime_walk (w, v->inside ? v->inside : v, g_mime_message_get_mime_part (m), depth + 1);
  } else if (GMIME_IS_PART (o)) {
    if (v->leaf)
      v->leaf (w, o, depth);
  }
}

char *
usc_mime_type_lc (GMimeObject *o)
{
  GMimeContentType *ct = g_mime_object_get_content_type (o);
  if (ct == NULL)
    return g_strdup ("text/plain");
  char *m = g_mime_content_type_get_mime_type (ct);
  char *lc = g_ascii_strdown (m, -1);
  g_free (m);
  return lc;
}
