/* usc-payload-zip.c — the members of a zip archive (PKWARE APPNOTE 6.3:
 * the central directory, else the local headers; stored and deflated
 * members, RFC 1951, decoded to their first 4 KB); OOXML (ECMA-376) and ODF
 * documents, Java and Android archives told apart.
 */
#include "config.h"
#include "usc-payload-private.h"

#include <gio/gio.h>
#include <string.h>

#define MAX_SNIFFED 64          /* members whose first bytes are decoded */

typedef struct {
  gboolean content_types, vba, jar, dex, android, odf_basic, word, xl, ppt;
  char    *odf_type;
  const char *vba_name;
} ZipDoc;

static void
zip_note (ZipDoc *z, const char *name, gsize n, const guint8 *first, gsize flen, guint index)
{
  char *s = g_strndup (name, n);
  char *lc = g_ascii_strdown (s, -1);
  if (strcmp (s, "[Content_Types].xml") == 0)
    z->content_types = TRUE;
  if (g_str_has_suffix (lc, "vbaproject.bin")) {
    z->vba = TRUE;
    if (!z->vba_name)
      z->vba_name = g_str_has_prefix (lc, "word/") ? "word/vbaProject.bin"
                    : g_str_has_prefix (lc, "xl/") ? "xl/vbaProject.bin"
                    : g_str_has_prefix (lc, "ppt/") ? "ppt/vbaProject.bin" : "vbaProject.bin";
  }
  if (g_str_has_prefix (s, "word/"))
    z->word = TRUE;
  if (g_str_has_prefix (s, "xl/"))
    z->xl = TRUE;
  if (g_str_has_prefix (s, "ppt/"))
    z->ppt = TRUE;
  if (strcmp (s, "META-INF/MANIFEST.MF") == 0 || g_str_has_suffix (lc, ".class"))
    z->jar = TRUE;
  if (strcmp (s, "classes.dex") == 0)
    z->dex = TRUE;
  if (strcmp (s, "AndroidManifest.xml") == 0)
    z->android = TRUE;
  if (g_str_has_prefix (s, "Basic/") && g_str_has_suffix (s, ".xml") && strcmp (s, "Basic/script-lc.xml") != 0)
    z->odf_basic = TRUE;
  if (index == 0 && strcmp (s, "mimetype") == 0 && first && flen >= 35
      && memcmp (first, "application/vnd.oasis.opendocument.", 35) == 0)
    z->odf_type = g_strndup ((const char *) first, MIN (flen, 80));
  g_free (lc);
  g_free (s);
}

/* One member's first bytes (a new array) and whether they could be read. */
static GByteArray *
zip_member_head (const guint8 *d, gsize len, gsize loff, guint16 flags, guint16 method, guint32 csize,
                 gboolean *readable_r)
{
  *readable_r = FALSE;
  if ((flags & 1) || loff > len || len - loff < 30 || memcmp (d + loff, "PK\x03\x04", 4) != 0)
    return NULL;
  gsize data = loff + 30 + usc_le16 (d + loff + 26) + usc_le16 (d + loff + 28);
  if (data > len)
    return NULL;
  gsize avail = len - data;
  if (csize && csize < avail)
    avail = csize;
  if (method == 0) {
    GByteArray *b = g_byte_array_new ();
    g_byte_array_append (b, d + data, (guint) MIN (avail, (gsize) USC_MEMBER_HEAD));
    *readable_r = TRUE;
    return b;
  }
  if (method == 8) {
    GByteArray *b = usc_payload_inflate (d + data, avail, G_ZLIB_COMPRESSOR_FORMAT_RAW, USC_MEMBER_HEAD);
    *readable_r = b != NULL || csize <= 2;
    return b;
  }
  return NULL;
}

static void
zip_entry (UscPayload *p, ZipDoc *z, const guint8 *d, gsize len, const char *name, gsize nlen,
           gsize loff, guint16 flags, guint16 method, guint32 csize, guint index, GString *why)
{
  gboolean readable = FALSE;
  GByteArray *head = NULL;
  if (index < MAX_SNIFFED)
    head = zip_member_head (d, len, loff, flags, method, csize, &readable);
  zip_note (z, name, nlen, head ? head->data : NULL, head ? head->len : 0, index);
  if (nlen == 0 || name[nlen - 1] != '/') /* directories are no members */
    usc_payload_add_member (p, "a zip archive", name, nlen, head ? head->data : NULL, head ? head->len : 0,
                            readable, why);
  if (head)
    g_byte_array_unref (head);
}

gboolean
usc_payload_list_zip (UscPayload *p, const guint8 *d, gsize len, GString *why)
{
  ZipDoc z = { 0 };
  guint n = 0;
  /* the end of central directory record, within the last 64 KB + 22 */
  gssize eocd = -1;
  if (len >= 22)
    for (gssize i = (gssize) len - 22; i >= 0 && i >= (gssize) len - 22 - 65535; i--)
      if (d[i] == 'P' && memcmp (d + i, "PK\x05\x06", 4) == 0) {
        eocd = i;
        break;
      }
  gboolean central = FALSE;
  if (eocd >= 0) {
    gsize cd = usc_le32 (d + eocd + 16), cdsize = usc_le32 (d + eocd + 12);
    if (cd <= (gsize) eocd && cdsize <= (gsize) eocd - cd) {
      central = TRUE;
      gsize pos = cd, end = cd + cdsize;
      while (pos + 46 <= end && n < MAX_ENTRIES && memcmp (d + pos, "PK\x01\x02", 4) == 0) {
        gsize nlen = usc_le16 (d + pos + 28), xlen = usc_le16 (d + pos + 30), clen = usc_le16 (d + pos + 32);
        if (pos + 46 + nlen > end)
          break;
        zip_entry (p, &z, d, len, (const char *) d + pos + 46, nlen, usc_le32 (d + pos + 42),
                   usc_le16 (d + pos + 8), usc_le16 (d + pos + 10), usc_le32 (d + pos + 20), n, why);
        n++;
        pos += 46 + nlen + xlen + clen;
      }
    }
  }
  if (!central) {
    /* cut short (or no central directory): walk the local headers */
    gsize pos = 0;
    while (pos + 30 <= len && n < MAX_ENTRIES && memcmp (d + pos, "PK\x03\x04", 4) == 0) {
      guint16 flags = usc_le16 (d + pos + 6);
      guint32 csize = usc_le32 (d + pos + 18);
      gsize nlen = usc_le16 (d + pos + 26), xlen = usc_le16 (d + pos + 28);
      if (pos + 30 + nlen > len)
        break;
      zip_entry (p, &z, d, len, (const char *) d + pos + 30, nlen, pos, flags, usc_le16 (d + pos + 8), csize,
                 n, why);
      n++;
      if ((flags & 8) && csize == 0)
        break; /* sizes after the data: the next header cannot be found */
      pos += 30 + nlen + xlen + (gsize) csize;
    }
  }

  const char *doc = NULL, *what = NULL;
  gboolean held = p->executable;
  if (z.content_types && (z.word || z.xl || z.ppt)) {
    if (z.word)
      doc = z.vba ? "application/vnd.ms-word.document.macroEnabled.12"
                  : "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
    else if (z.xl)
      doc = z.vba ? "application/vnd.ms-excel.sheet.macroEnabled.12"
                  : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    else
      doc = z.vba ? "application/vnd.ms-powerpoint.presentation.macroEnabled.12"
                  : "application/vnd.openxmlformats-officedocument.presentationml.presentation";
    if (z.vba)
      what = z.vba_name;
  } else if (z.odf_type) {
    doc = z.odf_type;
    if (z.odf_basic)
      what = "Basic/ macros";
  } else if (z.android && z.dex) {
    doc = "application/vnd.android.package-archive";
  } else if (z.jar) {
    doc = "application/java-archive";
  }
  if (doc) {
    /* a document (or a program): its parts are no members worth listing,
     * unless one of them is executable by itself */
    g_free (p->found_type);
    p->found_type = g_strdup (doc);
    if (z.jar || z.dex) {
      g_string_truncate (why, 0);
      g_string_append (why, z.dex ? "an Android application (.apk)" : "a Java archive (.jar: runs on a double click)");
      p->executable = TRUE;
    }
    if (!held || z.jar || z.dex) {
      g_clear_pointer (&p->members, g_ptr_array_unref);
      p->members_total = 0;
    }
    if (what) {
      p->executable = TRUE;
      g_string_append_printf (why, "%san Office document with macros (%s)", why->len ? "; " : "", what);
    }
  }
  g_free (z.odf_type);
  return n > 0;
}
