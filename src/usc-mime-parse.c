/* usc-mime-parse.c — the GMime parse of a message's text after the
 * pre-scan (usc-prescan.c): over the text in place (a stream that is a view
 * of it), or over the pre-scan's safe copy; the parse of an embedded message
 * (a returned original inside a bounce), bounded by the enclosing message's
 * budget, and of a header copy of which only some fields are read (plain
 * fields without GMime: usc-header-block.c).
 */
#include "config.h"
#include "usc-mime-parse.h"
#include "usc-eol.h"
#include "usc-mbox.h"
#include "usc-prescan.h"

#include <string.h>

/* What keeps a parse's text alive for as long as GMime's stream over it. */
typedef struct {
  GByteArray *array;   /* a view of the text (not owning its data) */
  GBytes     *backing; /* owns the data */
} StreamBacking;

static void
stream_backing_free (gpointer p)
{
  StreamBacking *b = p;
  g_byte_array_free (b->array, FALSE);
  g_bytes_unref (b->backing);
  g_free (b);
}

/* A GMime stream over @len bytes at @data, which @backing owns: no copy.
 * The stream keeps a reference to @backing until it (and every substream
 * GMime made of it for part contents) is gone. */
static GMimeStream *
stream_over (const char *data, gsize len, GBytes *backing)
{
  StreamBacking *b = g_new (StreamBacking, 1);
  b->array = g_byte_array_new_take ((guint8 *) data, len);
  b->backing = g_bytes_ref (backing);
  GMimeStream *stream = g_mime_stream_mem_new_with_byte_array (b->array);
  g_mime_stream_mem_set_owner (GMIME_STREAM_MEM (stream), FALSE); /* GMime only reads it */
  g_object_set_data_full (G_OBJECT (stream), "usc-backing", b, stream_backing_free);
  return stream;
}

/* Parse @len bytes of @text (LF line endings) with GMime after the
 * pre-scan. @text lies in @backing, which the parse keeps alive (a
 * reference): GMime reads the text in place, unless the pre-scan had to
 * change something (hostile input: then its private copy is parsed). With
 * @headerless, text whose first line is no header field (GMime refuses it)
 * is parsed as a body after an empty header block. The pre-scan's caps are
 * @lim's, lowered to what is left of @budget, and what it counted is
 * charged to @budget (@embedded: a re-parse, whose own header block counts
 * and which is one part itself). With @keep, a block of plain fields is
 * not given to GMime at all: *@block_r is set to it instead (read with the
 * fields @keep wants, usc-header-block.c) and NULL returned; the pre-scan
 * has charged the whole block as for GMime's parse. */
static GMimeMessage *
parse_text (const char *text, gsize len, GBytes *backing, const UscLimits *lim, gboolean headerless,
            UscBudget *budget, gboolean embedded, UscFieldKeep keep, UscHeaderBlock **block_r, gboolean *limited_r)
{
  UscLimits l = *lim;
  l.max_headers = MIN (l.max_headers, budget->fields_left);
  l.max_header_bytes = MIN (l.max_header_bytes, budget->field_bytes_left);
  l.max_parts = MIN (l.max_parts, budget->parts_left);
  GMimeMessage *m = NULL;
  UscScanStats st = { 0, 0, 0, FALSE };
  for (int attempt = 0; attempt < (headerless ? 2 : 1) && m == NULL; attempt++) {
    GMimeStream *stream;
    char *copy = NULL;
    if (attempt == 0) {
      gsize cut = usc_prescan (text, len, &l, embedded, &st, &copy);
      /* the pre-scan has charged the whole block: when nothing had to be
       * cut or changed, plain fields are read without GMime */
      UscHeaderBlock *blk = keep && copy == NULL && !st.limited && cut == len
                              ? usc_header_block_new (text, len, backing, keep) : NULL;
      if (blk) {
        *block_r = blk;
        break;
      }
      if (copy) {
        GByteArray *ba = g_byte_array_new_take ((guint8 *) copy, len);
        g_byte_array_set_size (ba, cut);
        stream = g_mime_stream_mem_new_with_byte_array (ba); /* owns ba */
      } else {
        stream = stream_over (text, cut, backing);
      }
    } else {
      /* an empty header block in front: a new text */
      char *t = g_malloc (len + 2);
      t[0] = '\n';
      memcpy (t + 1, text, len);
      t[len + 1] = '\0';
      gsize cut = usc_prescan (t, len + 1, &l, embedded, &st, &copy);
      GByteArray *ba;
      if (copy) {
        g_free (t);
        ba = g_byte_array_new_take ((guint8 *) copy, len + 1);
      } else {
        ba = g_byte_array_new_take ((guint8 *) t, len + 1);
      }
      g_byte_array_set_size (ba, cut);
      stream = g_mime_stream_mem_new_with_byte_array (ba); /* owns ba */
    }
    GMimeParser *parser = g_mime_parser_new_with_stream (stream);
    g_mime_parser_set_format (parser, GMIME_FORMAT_MESSAGE);
    m = g_mime_parser_construct_message (parser, NULL);
    g_object_unref (parser);
    g_object_unref (stream);
  }
  usc_budget_charge (budget, st.fields, st.hbytes, st.parts + (embedded ? 1 : 0), FALSE);
  *limited_r = st.limited;
  return m;
}

GMimeMessage *
usc_mime_parse_text (const char *text, gsize len, GBytes *backing, const UscLimits *lim, gboolean headerless,
                     UscBudget *budget, gboolean embedded, gboolean *limited_r)
{
  return parse_text (text, len, backing, lim, headerless, budget, embedded, NULL, NULL, limited_r);
}

static GMimeMessage *
parse_embedded (const void *data, gsize len, UscBudget *budget, UscFieldKeep keep, UscHeaderBlock **block_r)
{
  if (data == NULL || len == 0)
    return NULL;
  UscLimits lim;
  usc_limits_init (&lim);
  UscBudget *own = NULL;
  if (budget == NULL)
    budget = own = usc_budget_new (len, lim.max_header_bytes, lim.max_headers, lim.max_parts,
                                   lim.max_seconds);
  if (usc_budget_spent (budget)) {
    usc_budget_free (&own);
    return NULL;
  }
  /* what the budget cannot pay for is not even copied */
  len = usc_budget_take_bytes (budget, len);
  gsize nlen;
  char *text = usc_eol_normalize (data, len, &nlen);
  /* skip leading blank lines and an mbox "From " line */
  gsize i = 0;
  for (;;) {
    gsize j = i;
    while (j < nlen && (text[j] == ' ' || text[j] == '\t'))
      j++;
    if (j < nlen && text[j] == '\n') {
      i = j + 1;
      continue;
    }
    break;
  }
  i += usc_mbox_from_end (text + i, nlen - i); /* @text has LF line endings only */
  gboolean limited;
  GBytes *backing = g_bytes_new_take (text, nlen);
  GMimeMessage *m = NULL;
  if (i < nlen)
    m = parse_text (text + i, nlen - i, backing, &lim, FALSE, budget, TRUE, keep, block_r, &limited);
  g_bytes_unref (backing);
  usc_budget_free (&own);
  if (m != NULL && g_mime_header_list_get_count (g_mime_object_get_header_list (GMIME_OBJECT (m))) == 0
      && g_mime_message_get_mime_part (m) != NULL
      && g_mime_header_list_get_count (g_mime_object_get_header_list (g_mime_message_get_mime_part (m))) == 0) {
    g_object_unref (m); /* no header at all: not a message */
    m = NULL;
  }
  return m;
}

GMimeMessage *
usc_mime_parse_embedded (const void *data, gsize len, UscBudget *budget)
{
  return parse_embedded (data, len, budget, NULL, NULL);
}

UscCopy *
usc_mime_parse_header_copy (const void *data, gsize len, UscBudget *budget, UscFieldKeep keep)
{
  UscHeaderBlock *blk = NULL;
  GMimeMessage *m = parse_embedded (data, len, budget, keep, &blk);
  if (blk)
    return usc_copy_new_block (blk);
  return m ? usc_copy_new_message (m) : NULL;
}
