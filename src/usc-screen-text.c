/* usc-screen-text.c — the header-first screen's reading of the body (S0
 * of the argument in usc-screen.c): the MIME structure walked and counted
 * as the analysis' walk counts it, no report or message leaf, and every
 * text part and multipart prologue made as the analysis makes it
 * (usc_part_text(), usc_html_to_text()) and searched for the words of
 * usc-screen-words.c, once more Unicode-folded for a text beyond ASCII.
 */
#include "config.h"
#include "usc-screen-private.h"
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

/* Would usc_lang_fold() change @t (@len bytes, from its first byte beyond
 * ASCII) other than by lower-casing ASCII? Not when it is valid UTF-8 and
 * every character beyond ASCII is its own lower case (GLib's
 * g_utf8_strdown() then copies it), outside the Turkic and Lithuanian
 * locales, whose special casing GLib applies to ASCII letters too. */
gboolean
usc_screen_special_casing (void)
{
  static gsize once = 0;
  static gboolean special = FALSE;
  if (g_once_init_enter (&once)) {
    const char *loc = setlocale (LC_CTYPE, NULL);
    special = loc && (g_str_has_prefix (loc, "tr") || g_str_has_prefix (loc, "az") || g_str_has_prefix (loc, "lt"));
    g_once_init_leave (&once, 1);
  }
  return special;
}

static gboolean
fold_changes (const char *t, gsize len)
{
  if (usc_screen_special_casing () || !g_utf8_validate (t, (gssize) len, NULL))
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
static gboolean text_is_plain_1 (UscScreenWalk *w, const char *t);
/* ... and, where the src/lang wording counts without a daemon's or the
 * null sender's mark (a weak or odd From, a machine-marked answer), once
 * more with the line breaks inside paragraphs joined, as the analysis reads
 * the tables (usc_lang_join_lines(), usc_notice_lang_joined()) */
static gboolean
text_is_plain (UscScreenWalk *w, const char *t)
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
text_is_plain_1 (UscScreenWalk *w, const char *t)
{
  gsize len = strlen (t);
  if (usc_screen_has_word (usc_screen_body_words (), t, len, w->why)
      || (w->autom && usc_screen_has_word (usc_screen_auto_words (), t, len, w->why)))
    return FALSE;
  if (w->codes && usc_smtp_code_scan (t, G_MAXINT)) {
    usc_screen_why_word (w->why, "an SMTP reply code");
    return FALSE;
  }
  for (gsize i = 0; i < len; i++)
    if ((guchar) t[i] >= 0x80) {
      if (!fold_changes (t + i, len - i))
        return TRUE;  /* folded, it would read the same, ASCII case aside */
      char *f = usc_lang_fold (t, (gssize) len);
      gsize fl = strlen (f);
      gboolean hit = usc_screen_has_word (usc_screen_body_words (), f, fl, w->why)
                     || (w->autom && usc_screen_has_word (usc_screen_auto_words (), f, fl, w->why));
      g_free (f);
      return !hit;
    }
  return TRUE;
}

/* Counts the nodes under @o (a returned message's, at @depth) as the
 * analysis' walk does (usc-mime-walk.c, with usc-bounce-walk.c's
 * payload_visitor, which reads no text); FALSE near a limit. */
static gboolean
inside_is_plain (UscScreenWalk *w, GMimeObject *o, guint depth)
{
  if (o == NULL)
    return TRUE;
  if (depth >= w->max_depth || ++w->parts >= w->msg->limits.max_parts || usc_message_expired (w->msg)) {
    usc_screen_why_set (w->why, "S0 near a limit of the walk");
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
message_is_plain (UscScreenWalk *w, GMimeMessagePart *part, guint depth)
{
  GMimeMessage *m = g_mime_message_part_get_message (part);
  if (m == NULL)
    return TRUE;
  if (w->weak || g_mime_header_list_get_count (g_mime_object_get_header_list (GMIME_OBJECT (m))) == 0) {
    usc_screen_why_set (w->why, w->weak ? "S0 a message part, from a weak From" : "S0 a message part without header fields");
    return FALSE;
  }
  if (w->listy) {
    usc_screen_why_set (w->why, "S0 a message part, from list software");
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
gboolean
usc_screen_structure_is_plain (UscScreenWalk *w, GMimeObject *o, guint depth)
{
  if (o == NULL)
    return TRUE;
  if (depth >= w->max_depth || ++w->parts >= w->msg->limits.max_parts || usc_message_expired (w->msg)) {
    usc_screen_why_set (w->why, "S0 near a limit of the walk");
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
      usc_screen_why_set (w->why, "S0 multipart/report or a prologue's words");
    int n = g_mime_multipart_get_count (mp);
    for (int i = 0; i < n && ok; i++)
      ok = usc_screen_structure_is_plain (w, g_mime_multipart_get_part (mp, i), depth + 1);
  } else if (GMIME_IS_PART (o)) {
    if (g_str_has_prefix (mt, "message/") || strstr (mt, "rfc822") || strstr (mt, "delivery-status") ||
        strstr (mt, "feedback-report")) {
      ok = FALSE;
      usc_screen_why_set (w->why, "S0 a report or message leaf");
      usc_screen_why_word (w->why, mt);
    } else if (w->weak && message_file_like (o, mt)) {
      ok = FALSE;
      usc_screen_why_set (w->why, "S0 a file that may be a message, from a weak From");
    } else if (g_str_has_prefix (mt, "text/")) {
      char *t = usc_part_text (o, TEXT_MAX);
      if (t && strcmp (mt, "text/html") == 0) {
        char *h = usc_html_to_text (t);
        g_free (t);
        t = h;
      }
      ok = t == NULL || text_is_plain (w, t);
      if (!ok)
        usc_screen_why_set (w->why, "S0 a text's words");
      g_free (t);
    }
  }
  g_free (mt);
  return ok;
}
