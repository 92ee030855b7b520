/* usc-payload-doc.c — what a document holds: PDF names (ISO 32000-1 7.3.5:
 * "#xx" escapes decoded, Flate streams (RFC 1950) inflated to look into
 * object streams: /JavaScript, /Launch, /EmbeddedFile, ...) and OLE compound
 * files ([MS-CFB] 2.6 directory entries: the VBA storage of [MS-OVBA], an
 * embedded OLE package).
 */
#include "config.h"
#include "usc-payload-private.h"

#include <gio/gio.h>
#include <string.h>

#define PDF_STREAMS 64             /* Flate streams inflated per PDF */
#define PDF_INFLATE (1024 * 1024)  /* bytes out of one stream */

typedef struct {
  gboolean js, launch, richmedia, auto_open, embedded, objstm;
} PdfNames;

static void
pdf_names (const guint8 *d, gsize len, PdfNames *n)
{
  for (gsize i = 0; i < len; i++) {
    if (d[i] != '/')
      continue;
    char name[24];
    gsize k = 0, j = i + 1;
    while (j < len && k < sizeof name - 1) {
      guint8 c = d[j];
      if (c <= ' ' || strchr ("()<>[]{}/%", c))
        break;
      if (c == '#' && j + 2 < len && g_ascii_isxdigit (d[j + 1]) && g_ascii_isxdigit (d[j + 2])) {
        name[k++] = (char) (g_ascii_xdigit_value (d[j + 1]) * 16 + g_ascii_xdigit_value (d[j + 2]));
        j += 3;
        continue;
      }
      name[k++] = (char) c;
      j++;
    }
    name[k] = '\0';
    if (strcmp (name, "JavaScript") == 0 || strcmp (name, "JS") == 0)
      n->js = TRUE;
    else if (strcmp (name, "Launch") == 0)
      n->launch = TRUE;
    else if (strcmp (name, "RichMedia") == 0)
      n->richmedia = TRUE;
    else if (strcmp (name, "OpenAction") == 0 || strcmp (name, "AA") == 0)
      n->auto_open = TRUE;
    else if (strcmp (name, "EmbeddedFile") == 0 || strcmp (name, "EmbeddedFiles") == 0)
      n->embedded = TRUE;
    else if (strcmp (name, "ObjStm") == 0 || strcmp (name, "FlateDecode") == 0 || strcmp (name, "Fl") == 0)
      n->objstm = TRUE;
    i = j - 1;
  }
}

void
usc_payload_scan_pdf (UscPayload *p, const guint8 *d, gsize len, GString *why)
{
  PdfNames n = { 0 };
  pdf_names (d, len, &n);
  if (n.objstm && !(n.js || n.launch)) {
    /* names hidden in compressed (object) streams */
    guint streams = 0;
    for (gsize i = 0; i + 6 < len && streams < PDF_STREAMS; i++) {
      if (d[i] != 's' || memcmp (d + i, "stream", 6) != 0 || (i > 0 && d[i - 1] == 'd'))
        continue;
      gsize s = i + 6;
      if (s < len && d[s] == '\r')
        s++;
      if (s < len && d[s] == '\n')
        s++;
      else
        continue;
      streams++;
      GByteArray *out = usc_payload_inflate (d + s, len - s, G_ZLIB_COMPRESSOR_FORMAT_ZLIB, PDF_INFLATE);
      if (out) {
        PdfNames in = { 0 };
        pdf_names (out->data, out->len, &in);
        n.js |= in.js;
        n.launch |= in.launch;
        n.richmedia |= in.richmedia;
        n.auto_open |= in.auto_open;
        n.embedded |= in.embedded;
        g_byte_array_unref (out);
      }
      i = s;
    }
  }
  GString *w = g_string_new (NULL);
  if (n.js)
    g_string_append (w, "JavaScript");
  if (n.launch)
    g_string_append_printf (w, "%sa launch action", w->len ? " and " : "");
  if (n.richmedia)
    g_string_append_printf (w, "%sembedded Flash (RichMedia)", w->len ? " and " : "");
  if (w->len) {
    p->executable = TRUE;
    char *t = g_strdup_printf ("a PDF with %s%s%s", w->str, n.auto_open ? ", run when opened (/OpenAction)" : "",
                               n.embedded ? ", and an embedded file" : "");
    why_add (why, t);
    g_free (t);
  } else if (n.embedded) {
    why_add (why, "a PDF with an embedded file");
  }
  g_string_free (w, TRUE);
}

/* ---- OLE compound files ---- */

/* The ASCII name of the [MS-CFB] directory entry at @e (128 bytes), or "". */
static void
ole_entry_name (const guint8 *e, char *out, gsize outsz)
{
  guint16 nlen = usc_le16 (e + 64);
  out[0] = '\0';
  if (nlen < 4 || nlen > 64 || nlen % 2 || e[66] < 1 || e[66] > 5)
    return;
  gsize k = 0;
  for (guint i = 0; i + 2 < nlen && k < outsz - 1; i += 2) {
    if (e[i + 1] != 0 || e[i] < 0x20 || e[i] > 0x7e)
      return; /* not ASCII: no name we look for */
    out[k++] = (char) e[i];
  }
  out[k] = '\0';
  if (e[nlen - 2] != 0 || e[nlen - 1] != 0)
    out[0] = '\0';
}

void
usc_payload_scan_ole (UscPayload *p, const guint8 *d, gsize len, GString *why)
{
  gboolean vba = FALSE, package = FALSE;
  const char *where = NULL;
  for (gsize off = 512; off + 128 <= len && !vba; off += 128) {
    char name[40];
    ole_entry_name (d + off, name, sizeof name);
    if (!name[0])
      continue;
    if ((strcmp (name, "VBA") == 0 && d[off + 66] == 1) || strcmp (name, "_VBA_PROJECT_CUR") == 0
        || strcmp (name, "_VBA_PROJECT") == 0 || strcmp (name, "Macros") == 0) {
      vba = TRUE;
      where = strcmp (name, "VBA") == 0 ? "VBA storage" : name;
    } else if (strcmp (name, "\x01Ole10Native") == 0 || strcmp (name, "Ole10Native") == 0) {
      package = TRUE;
    }
  }
  if (vba) {
    p->executable = TRUE;
    char *t = g_strdup_printf ("an Office document with macros (OLE %s)", where);
    why_add (why, t);
    g_free (t);
  }
  if (package)
    why_add (why, "an embedded OLE package (it can hold any file)");
}
