/* usc-bounce-walk.c — what the bounce analysis makes of each MIME part: the
 * visitors of the one MIME walk (usc-mime-walk.c) over a notice (RFC
 * 2045/2046 multipart, RFC 3462/6522 multipart/report, RFC 3464
 * message/delivery-status, RFC 6533 message/global*, RFC 5965 feedback
 * reports, message/rfc822 and text/rfc822-headers returned copies) and inside
 * a returned copy (only its payloads, collected for libmagic). The notice's
 * leaves go to a handler by content type (leaf_handlers). The walk stays
 * within the limits of UscMessage (depth, parts, deadline).
 */
#include "config.h"
#include "usc-bounce-private.h"

/* What the visitors write to (UscMimeWalk.data). */
typedef struct {
  Parts *p;
  NoticeText *t;
  UscBudget *budget;    /* the message's, for every re-parse */
} WalkState;

void
usc_add_returned (Parts *p, UscCopy *c, const char *source)
{
  g_ptr_array_add (p->returned, c);
  g_ptr_array_add (p->returned_src, (gpointer) source);
}
void
usc_add_returned_message (Parts *p, GMimeMessage *m, const char *source)
{
  usc_add_returned (p, usc_copy_new_message (m), source);
}
/* Payloads are sniffed (libmagic) only once the message is known to be a
 * bounce: ordinary mail with attachments never loads the magic database. */
static void
defer_sniff (Parts *p, GMimeObject *part)
{
  if (p->payloads->len < 32)
    g_ptr_array_add (p->payloads, g_object_ref (part));
}
static void
append_text (NoticeText *nt, const char *t)
{
  if (nt->text->len >= TEXT_MAX * 2)
    return;
  if (nt->text->len)
    g_string_append (nt->text, "\n\n");
  gsize off = nt->text->len;
  g_string_append (nt->text, t);
  if (!nt->have_first && strlen (t) >= 40) {
    nt->have_first = TRUE;
    nt->first_off = off;
    nt->first_text_len = nt->text->len - off;
  }
}
/* A multipart's prologue (before the first boundary) sometimes carries the
 * report or the original's headers. */
static void
append_prologue (NoticeText *nt, const char *pro)
{
  char *t = g_utf8_make_valid (pro, MIN (strlen (pro), TEXT_MAX));
  if (nt->text->len < TEXT_MAX * 2) {
    if (nt->text->len)
      g_string_append (nt->text, "\n\n");
    g_string_append (nt->text, t);
  }
  g_free (t);
}
/* A leaf whose MIME headers are really the original's header block (a part
 * that starts without a blank line). */
static void
part_headers_as_copy (WalkState *ws, GMimeObject *o)
{
  if (g_mime_object_get_header (o, "Message-ID") == NULL)
    return;
  GMimeHeaderList *hl = g_mime_object_get_header_list (o);
  char *h = g_mime_header_list_to_string (hl, NULL);
  if (h) {
    UscCopy *c = usc_parse_header_block (h, strlen (h), ws->budget);
    if (c)
      usc_add_returned (ws->p, c, "inline-copy");
    g_free (h);
  }
}

/* ---- inside a returned original: only its payloads ---- */

/* Non-text leaves and text attachments are sniffed (usc_payload_wanted). */
static void
payload_leaf (UscMimeWalk *w, GMimeObject *o, guint depth)
{
  (void) depth;
  if (usc_payload_wanted (o))
    defer_sniff (((WalkState *) w->data)->p, o);
}

/* A message part without any header field: perhaps a binary body declared
 * message/rfc822 (usc_payload_of_part decides). */
static void
defer_headerless (Parts *p, GMimeMessagePart *part)
{
  GMimeMessage *m = g_mime_message_part_get_message (part);
  if (m && g_mime_header_list_get_count (g_mime_object_get_header_list (GMIME_OBJECT (m))) == 0)
    defer_sniff (p, GMIME_OBJECT (part));
}

static GMimeMessage *
payload_message (UscMimeWalk *w, GMimeMessagePart *part, guint depth)
{
  (void) depth;
  defer_headerless (((WalkState *) w->data)->p, part);
  return g_mime_message_part_get_message (part);
}

static const UscMimeVisitor payload_visitor = { .leaf = payload_leaf, .message = payload_message };

/* A returned original found in the notice: kept, and its payloads looked at. */
static void
returned_message (UscMimeWalk *w, GMimeMessage *m, const char *source, guint depth)
{
  usc_add_returned_message (((WalkState *) w->data)->p, m, source);
  usc_mime_walk (w, &payload_visitor, g_mime_message_get_mime_part (m), depth + 1);
}

/* ---- the notice: its leaves, by content type ---- */

typedef void (*LeafFn) (UscMimeWalk *w, GMimeObject *o, const char *ct, guint depth);

/* The fields of a report part (RFC 3464 delivery-status, RFC 8098
 * disposition notification: one syntax, one parser) in at most TEXT_MAX
 * bytes of @o's content: a new report, or NULL. With @content_r the
 * content too (NULL when there is none; the caller unrefs it). */
static UscDsnReport *
parse_fields_part (GMimeObject *o, GByteArray **content_r)
{
  GByteArray *ba = usc_mime_part_content (o, TEXT_MAX);
  UscDsnReport *r = ba ? usc_dsn_parse ((const char *) ba->data, ba->len, NULL) : NULL;
  if (content_r)
    *content_r = ba;
  else if (ba)
    g_byte_array_unref (ba);
  return r;
}

/* RFC 3464 / RFC 6533 delivery-status fields. */
static void
leaf_delivery_status (UscMimeWalk *w, GMimeObject *o, const char *ct, guint depth)
{
  (void) ct;
  (void) depth;
  WalkState *ws = w->data;
  GByteArray *ba;
  UscDsnReport *r = parse_fields_part (o, &ba);
  if (r)
    g_ptr_array_add (ws->p->reports, r);
  /* broken boundaries can leave the returned headers in here */
  if (ba && ba->len > 0 && ws->t->text->len < TEXT_MAX * 2) {
    char *t = g_utf8_make_valid ((const char *) ba->data, ba->len);
    append_prologue (ws->t, t);
    g_free (t);
  }
  if (ba)
    g_byte_array_unref (ba);
}

/* RFC 8098 disposition notification fields (and RFC 6533's global form):
 * the same syntax, read by the same parser; kept with the delivery-status
 * reports, told apart by usc_mdn_disposition(). */
static void
leaf_disposition (UscMimeWalk *w, GMimeObject *o, const char *ct, guint depth)
{
  (void) ct;
  (void) depth;
  WalkState *ws = w->data;
  UscDsnReport *r = parse_fields_part (o, NULL);
  if (r && usc_mdn_disposition (r) != USC_MDN_NONE)
    g_ptr_array_add (ws->p->reports, r);
  else
    usc_dsn_report_free (&r);
}

/* RFC 5965 feedback report fields. */
static void
leaf_feedback_report (UscMimeWalk *w, GMimeObject *o, const char *ct, guint depth)
{
  (void) ct;
  (void) depth;
  WalkState *ws = w->data;
  ws->p->feedback_part = TRUE;
  if (ws->p->feedback_text)
    return;
  GByteArray *ba = usc_mime_part_content (o, TEXT_MAX);
  if (ba) {
    ws->p->feedback_text = g_utf8_make_valid ((const char *) ba->data, ba->len);
    g_byte_array_unref (ba);
  }
}

/* The returned original's header block (RFC 6522 text/rfc822-headers and
 * its spellings, RFC 6533 message/global-headers). */
static void
leaf_header_block (UscMimeWalk *w, GMimeObject *o, const char *ct, guint depth)
{
  (void) depth;
  WalkState *ws = w->data;
  GByteArray *ba = usc_mime_part_content (o, TEXT_MAX);
  if (ba == NULL)
    return;
  UscCopy *c = usc_parse_header_block ((const char *) ba->data, ba->len, ws->budget);
  if (c)
    usc_add_returned (ws->p, c, strcmp (ct, "message/global-headers") == 0 ? "message/global-headers"
                                                                     : "text/rfc822-headers");
  ws->p->header_copy = TRUE;
  g_byte_array_unref (ba);
}

/* An encoded returned message (base64, quoted-printable): GMime left it a
 * leaf, so it is parsed here, once. */
static void
leaf_encoded_message (UscMimeWalk *w, GMimeObject *o, const char *ct, guint depth)
{
  WalkState *ws = w->data;
  defer_sniff (ws->p, o); /* a payload only when binary */
  GByteArray *ba = usc_mime_part_content (o, 0);
  if (ba == NULL)
    return;
  GMimeMessage *m = usc_embedded_message ((const char *) ba->data, ba->len, ws->budget);
  if (m)
    returned_message (w, m, strcmp (ct, "message/global") == 0 ? "message/global" : "message/rfc822", depth);
  g_byte_array_unref (ba);
}

/* A returned original with a Message-ID, from @ba (a part's content). */
static void
message_file (WalkState *ws, GByteArray *ba)
{
  GMimeMessage *m = usc_embedded_message ((const char *) ba->data, ba->len, ws->budget);
  if (m && g_mime_message_get_message_id (m))
    usc_add_returned_message (ws->p, m, "message/rfc822");
  else if (m)
    g_object_unref (m);
}

/* The notice's own words (HTML made text), or the returned original
 * attached as a text file ("original.eml", text/plain). */
static void
leaf_text (UscMimeWalk *w, GMimeObject *o, const char *ct, guint depth)
{
  (void) depth;
  WalkState *ws = w->data;
  if (usc_is_message_file (o)) {
    GByteArray *ba = usc_mime_part_content (o, TEXT_MAX);
    if (ba) {
      message_file (ws, ba);
      g_byte_array_unref (ba);
    }
    return;
  }
  if (usc_payload_wanted (o)) /* a text attachment: a script can hide there */
    defer_sniff (ws->p, o);
  char *t = usc_part_text (o, TEXT_MAX);
  if (t == NULL)
    return;
  if (strcmp (ct, "text/html") == 0) {
    char *p = usc_html_to_text (t);
    g_free (t);
    t = p;
  }
  append_text (ws->t, t);
  g_free (t);
}

/* TNEF (Outlook's winmail.dat) is neither text nor a payload. */
static void
leaf_ignore (UscMimeWalk *w, GMimeObject *o, const char *ct, guint depth)
{
  (void) w;
  (void) o;
  (void) ct;
  (void) depth;
}

/* Anything else: an attachment to sniff, unless it is a returned original
 * labelled as a file ("original.eml", application/octet-stream) or the
 * notice's own inline picture (Gmail's error icon). */
static void
leaf_other (UscMimeWalk *w, GMimeObject *o, const char *ct, guint depth)
{
  (void) depth;
  WalkState *ws = w->data;
  const char *fname = g_mime_part_get_filename (GMIME_PART (o));
  gboolean eml_name = fname && (g_str_has_suffix (fname, ".eml") || g_str_has_suffix (fname, ".EML"));
  if (eml_name || strcmp (ct, "application/octet-stream") == 0) {
    GByteArray *ba = usc_mime_part_content (o, TEXT_MAX);
    if (ba && ba->len > 0 && (eml_name || usc_looks_like_field_n ((const char *) ba->data, ba->len)))
      message_file (ws, ba);
    if (ba)
      g_byte_array_unref (ba);
  }
  if (!(g_str_has_prefix (ct, "image/") && g_mime_object_get_content_id (o)))
    defer_sniff (ws->p, o);
}

/* Content type -> handler, first match wins: a type ending in '/' matches
 * every subtype, "" anything. */
static const struct {
  const char *type;
  LeafFn fn;
} leaf_handlers[] = {
  { "message/delivery-status", leaf_delivery_status },
  { "message/global-delivery-status", leaf_delivery_status },
  { "message/delivery-status-report", leaf_delivery_status },
  { "message/disposition-notification", leaf_disposition },
  { "message/global-disposition-notification", leaf_disposition },
  { "message/feedback-report", leaf_feedback_report },
  { "text/rfc822-headers", leaf_header_block },
  { "message/global-headers", leaf_header_block },
  { "text/rfc822-header", leaf_header_block },
  { "message/rfc822-headers", leaf_header_block },
  { "text/x-rfc822-headers", leaf_header_block },
  { "message/rfc822", leaf_encoded_message },
  { "message/global", leaf_encoded_message },
  { "message/news", leaf_encoded_message },
  { "message/partial", leaf_encoded_message },
  { "text/", leaf_text },
  { "application/ms-tnef", leaf_ignore },
  { "", leaf_other },
};

static LeafFn
leaf_handler (const char *ct)
{
  for (guint i = 0; i < N (leaf_handlers); i++) {
    const char *t = leaf_handlers[i].type;
    gsize n = strlen (t);
    if (n == 0 || (t[n - 1] == '/' ? strncmp (ct, t, n) == 0 : strcmp (ct, t) == 0))
      return leaf_handlers[i].fn;
  }
  return leaf_other;
}

static void
notice_leaf (UscMimeWalk *w, GMimeObject *o, guint depth)
{
  char *ct = usc_mime_type_lc (o);
  part_headers_as_copy (w->data, o);
  leaf_handler (ct) (w, o, ct, depth);
  g_free (ct);
}

/* multipart/report's report-type (RFC 6522); a long prologue (before the
 * first boundary) sometimes carries the report or the original's headers. */
static void
notice_multipart (UscMimeWalk *w, GMimeMultipart *mp, guint depth)
{
  (void) depth;
  WalkState *ws = w->data;
  GMimeObject *o = GMIME_OBJECT (mp);
  char *ct = usc_mime_type_lc (o);
  if (strcmp (ct, "multipart/report") == 0 && ws->p->report_type == NULL) {
    const char *rt = g_mime_object_get_content_type_parameter (o, "report-type");
    if (rt)
      ws->p->report_type = g_ascii_strdown (rt, -1);
  }
  g_free (ct);
  const char *pro = g_mime_multipart_get_prologue (mp);
  if (pro && strlen (pro) > 40)
    append_prologue (ws->t, pro);
}

/* A returned original GMime parsed (message/rfc822, message/global): its
 * object is used as it is, and parsed again only when GMime found no header
 * in it (a blank line before the returned headers). */
static GMimeMessage *
notice_message (UscMimeWalk *w, GMimeMessagePart *part, guint depth)
{
  (void) depth;
  WalkState *ws = w->data;
  GMimeMessage *m = g_mime_message_part_get_message (part);
  if (m == NULL)
    return NULL;
  char *ct = usc_mime_type_lc (GMIME_OBJECT (part));
  const char *source = g_str_has_prefix (ct, "message/global") ? "message/global" : "message/rfc822";
  g_free (ct);
  if (g_mime_header_list_get_count (g_mime_object_get_header_list (GMIME_OBJECT (m))) == 0) {
    defer_headerless (ws->p, part); /* or a binary body declared a message */
    char *str = g_mime_object_to_string (GMIME_OBJECT (m), NULL);
    GMimeMessage *m2 = str ? usc_embedded_message (str, strlen (str), ws->budget) : NULL;
    g_free (str);
    if (m2) {
      usc_add_returned_message (ws->p, m2, source);
      return m2;
    }
  }
  usc_add_returned_message (ws->p, g_object_ref (m), source);
  return m;
}

static const UscMimeVisitor notice_visitor = {
  .multipart = notice_multipart,
  .message = notice_message,
  .leaf = notice_leaf,
  .inside = &payload_visitor,
};

gboolean
usc_bounce_walk (Parts *p, NoticeText *t, const UscMessage *msg, guint max_depth, GMimeObject *body)
{
  WalkState ws = { p, t, msg->budget };
  UscMimeWalk w = { 0 };
  w.max_depth = max_depth;
  w.max_parts = msg->limits.max_parts;
  w.msg = msg;
  w.data = &ws;
  usc_mime_walk (&w, &notice_visitor, body, 1);
  return w.truncated;
}
