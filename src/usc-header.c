/* usc-header.c — a header field's value as GMime's g_mime_header_get_value()
 * gives it (RFC 5322 unfolding, RFC 2047 encoded words decoded), without
 * GMime's decoding pass where it can change nothing, and kept once made.
 */
#include "config.h"
#include "usc-header.h"

/* A raw value GMime's decoding leaves as it is once unfolded: printable
 * ASCII and white space, no "=?" (no encoded word can start). */
static gboolean
plain_raw_value (const char *r)
{
  for (const guchar *p = (const guchar *) r; *p; p++)
    if (!((*p >= 0x20 && *p < 0x7f) || *p == '\t' || *p == '\n' || *p == '\r') || (*p == '=' && p[1] == '?'))
      return FALSE;
  return TRUE;
}

/* Our cache of a plain value unfolded, kept on the header object (qdata,
 * freed with it), never in GMime's own GMimeHeader.value: with the raw
 * value it was made from, so that a header whose raw value GMime replaced
 * is read again. */
typedef struct {
  const char *raw;
  char       *value;
} PlainValue;

static void
plain_value_free (gpointer p)
{
  PlainValue *v = p;
  g_free (v->value);
  g_free (v);
}

static GQuark
plain_value_quark (void)
{
  static gsize q = 0;
  if (g_once_init_enter (&q))
    g_once_init_leave (&q, g_quark_from_static_string ("usc-plain-value"));
  return (GQuark) q;
}

const char *
usc_header_value (GMimeHeader *h)
{
  if (h == NULL)
    return NULL;
  if (h->value != NULL)
    return h->value; /* GMime has decoded it: what g_mime_header_get_value() returns */
  const char *raw = g_mime_header_get_raw_value (h);
  if (raw == NULL)
    return g_mime_header_get_value (h);
  GQuark q = plain_value_quark ();
  PlainValue *v = g_object_get_qdata ((GObject *) h, q);
  if (v != NULL && v->raw == raw)
    return v->value;
  if (!plain_raw_value (raw))
    return g_mime_header_get_value (h);
  v = g_new (PlainValue, 1);
  v->raw = raw;
  v->value = g_mime_utils_header_unfold (raw);
  g_object_set_qdata_full ((GObject *) h, q, v, plain_value_free); /* frees a stale one */
  return v->value;
}
