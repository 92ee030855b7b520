/* usc-payload-archive.c — what archives and disk images hold, one level
 * down: member names and their first bytes. Zip (PKWARE APPNOTE 6.3: the
 * central directory, else the local headers; stored and deflated members,
 * RFC 1951, decoded to their first 4 KB; OOXML (ECMA-376) and ODF documents,
 * Java and Android archives told apart), RAR 4 and 5 (names from the file
 * headers), cabinet ([MS-CAB] CFFILE names), gzip (RFC 1952) and tar
 * (POSIX ustar), ISO 9660 (the root directory of the primary volume
 * descriptor) and FAT12/16 images (the root directory). Every offset read
 * from the data is checked against its length; counts are bounded.
 */
#include "config.h"
#include "usc-payload-private.h"
#include "usc-sniff.h"

#include <gio/gio.h>
#include <string.h>

#define MAX_ENTRIES 4096        /* directory entries looked at per archive */
#define MAX_SNIFFED 64          /* members whose first bytes are decoded */
#define GZIP_INFLATE (1024 * 1024)

GByteArray *
usc_payload_inflate (const guint8 *d, gsize len, int format, gsize max)
{
  GConverter *c = G_CONVERTER (g_zlib_decompressor_new ((GZlibCompressorFormat) format));
  GByteArray *out = g_byte_array_new ();
  guint8 buf[16384];
  gsize in = 0;
  while (out->len < max) {
    gsize r = 0, w = 0;
    GError *e = NULL;
    GConverterResult res = g_converter_convert (c, d + in, len - in, buf, MIN (sizeof buf, max - out->len),
                                                in >= len ? G_CONVERTER_INPUT_AT_END : G_CONVERTER_NO_FLAGS,
                                                &r, &w, &e);
    if (res == G_CONVERTER_ERROR) {
      g_clear_error (&e);
      break;
    }
    in += r;
    g_byte_array_append (out, buf, (guint) w);
    if (res == G_CONVERTER_FINISHED || (r == 0 && w == 0))
      break;
  }
  g_object_unref (c);
  if (out->len == 0) {
    g_byte_array_unref (out);
    return NULL;
  }
  return out;
}

static char *
clean_name (const char *name, gsize len)
{
  len = MIN (len, 255);
  char *v = g_utf8_make_valid (name, (gssize) len);
  for (char *s = v; *s; s++)
    if ((guchar) *s < 0x20 || *s == 0x7f)
      *s = '?';
  return v;
}

static void
member_free (gpointer m)
{
  UscPayloadMember *x = m;
  g_free (x->name);
  g_free (x->found_type);
  g_free (x);
}

gboolean
usc_payload_add_member (UscPayload *p, const char *container, const char *name, gsize name_len,
                        const guint8 *d, gsize len, gboolean readable, GString *why)
{
  UscPayload m = { 0 };
  m.name = clean_name (name, name_len);
  if (readable)
    usc_payload_scan (&m, d, len, TRUE);
  else if (usc_sniff_is_executable (NULL, m.name))
    m.executable = TRUE;
  p->members_total++;
  if (p->members == NULL)
    p->members = g_ptr_array_new_with_free_func (member_free);
  if (m.executable && !p->executable) {
    if (why->len)
      g_string_append (why, "; ");
    g_string_append_printf (why, "%s holding %s (%s)", container, m.name,
                            m.why ? m.why : readable ? "executable" : "by its name");
  }
  if (m.executable)
    p->executable = TRUE;
  if (p->members->len < USC_PAYLOAD_MAX_MEMBERS) {
    UscPayloadMember *x = g_new0 (UscPayloadMember, 1);
    x->name = m.name;
    x->found_type = readable ? m.found_type : NULL;
    x->executable = m.executable;
    g_ptr_array_add (p->members, x);
    m.name = NULL;
    if (readable)
      m.found_type = NULL;
  }
  gboolean exec = m.executable;
  g_free (m.name);
  g_free (m.found_type);
  g_free (m.why);
  return exec;
}

/* ---- zip ---- */

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

static gboolean
list_zip (UscPayload *p, const guint8 *d, gsize len, GString *why)
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

/* ---- RAR ---- */

/* A RAR 5 variable-length integer at *@pos (advanced); FALSE past @end. */
static gboolean
vint (const guint8 *d, gsize end, gsize *pos, guint64 *v)
{
  *v = 0;
  for (guint shift = 0; shift < 64 && *pos < end; shift += 7) {
    guint8 b = d[(*pos)++];
    *v |= (guint64) (b & 0x7f) << shift;
    if (!(b & 0x80))
      return TRUE;
  }
  return FALSE;
}

static gboolean
list_rar (UscPayload *p, const guint8 *d, gsize len, GString *why)
{
  guint n = 0;
  if (len >= 8 && d[6] == 0x01 && d[7] == 0x00) {
    /* RAR 5 */
    gsize pos = 8;
    while (pos + 4 < len && n < MAX_ENTRIES) {
      gsize h = pos + 4;
      guint64 hsize, type, hflags, extra = 0, dsize = 0;
      if (!vint (d, len, &h, &hsize))
        break;
      gsize hstart = h;
      if (hsize > len - hstart)
        break;
      gsize hend = hstart + (gsize) hsize;
      if (!vint (d, hend, &h, &type) || !vint (d, hend, &h, &hflags))
        break;
      if ((hflags & 1) && !vint (d, hend, &h, &extra))
        break;
      if ((hflags & 2) && !vint (d, hend, &h, &dsize))
        break;
      if (type == 4) {
        g_string_append_printf (why, "%sa RAR archive with encrypted headers (members not listed)",
                                why->len ? "; " : "");
        break;
      }
      if (type == 5)
        break;
      if (type == 2) {
        guint64 fflags, usize, attr, comp, host, nlen;
        if (!vint (d, hend, &h, &fflags) || !vint (d, hend, &h, &usize) || !vint (d, hend, &h, &attr))
          break;
        if (fflags & 2)
          h += 4;
        if (fflags & 4)
          h += 4;
        if (h > hend || !vint (d, hend, &h, &comp) || !vint (d, hend, &h, &host) || !vint (d, hend, &h, &nlen)
            || nlen > hend - h)
          break;
        gboolean dir = fflags & 1;
        gsize data = hend;
        gboolean stored = ((comp >> 7) & 7) == 0;
        if (!dir)
          usc_payload_add_member (p, "a RAR archive", (const char *) d + h, (gsize) nlen, d + data,
                                  data < len ? MIN (len - data, MIN (dsize, (guint64) USC_MEMBER_HEAD)) : 0,
                                  stored && data < len, why);
        n++;
      }
      if (dsize > len - hend)
        break;
      pos = hend + (gsize) dsize;
    }
  } else {
    /* RAR 4: 7-byte blocks headers, file headers 0x74 */
    gsize pos = 7;
    while (pos + 7 <= len && n < MAX_ENTRIES) {
      guint8 type = d[pos + 2];
      guint16 flags = usc_le16 (d + pos + 3), size = usc_le16 (d + pos + 5);
      if (size < 7 || pos + size > len)
        break;
      guint64 add = 0;
      if ((flags & 0x8000) && size >= 11)
        add = usc_le32 (d + pos + 7);
      if (type == 0x73 && (flags & 0x80)) {
        g_string_append_printf (why, "%sa RAR archive with encrypted headers (members not listed)",
                                why->len ? "; " : "");
        break;
      }
      if (type == 0x7b)
        break;
      if (type == 0x74 && size >= 32) {
        gsize nlen = usc_le16 (d + pos + 26), noff = pos + 32 + ((flags & 0x100) ? 8 : 0);
        if (noff + nlen <= pos + size) {
          gboolean stored = d[pos + 25] == 0x30 && !(flags & 0x04);
          gsize data = pos + size;
          gsize n_name = nlen;
          const char *nm = (const char *) d + noff;
          if (flags & 0x200) {
            const char *z = memchr (nm, 0, nlen); /* a Unicode name follows the NUL */
            if (z)
              n_name = (gsize) (z - nm);
          }
          if ((flags & 0xe0) != 0xe0) /* not a directory */
            usc_payload_add_member (p, "a RAR archive", nm, n_name, d + data,
                                    data < len ? MIN (len - data, MIN (add, (guint64) USC_MEMBER_HEAD)) : 0,
                                    stored && data < len, why);
          n++;
        }
      }
      if (add > len - pos - size)
        break;
      pos += size + (gsize) add;
    }
  }
  return n > 0;
}

/* ---- cabinet ---- */

static gboolean
list_cab (UscPayload *p, const guint8 *d, gsize len, GString *why)
{
  if (len < 36)
    return FALSE;
  gsize pos = usc_le32 (d + 16);
  guint files = usc_le16 (d + 28), n = 0;
  while (n < files && n < MAX_ENTRIES && pos + 16 < len) {
    const char *name = (const char *) d + pos + 16;
    const char *z = memchr (name, 0, MIN (len - pos - 16, (gsize) 256));
    if (z == NULL)
      break;
    usc_payload_add_member (p, "a cabinet (.cab) archive", name, (gsize) (z - name), NULL, 0, FALSE, why);
    n++;
    pos = (gsize) (z - (const char *) d) + 1;
  }
  return n > 0;
}

/* ---- tar and gzip ---- */

static gsize
octal (const guint8 *s, gsize n)
{
  gsize v = 0, i = 0;
  while (i < n && s[i] == ' ')
    i++;
  for (; i < n && s[i] >= '0' && s[i] <= '7'; i++)
    v = v * 8 + (gsize) (s[i] - '0');
  return v;
}

static gboolean
list_tar (UscPayload *p, const char *container, const guint8 *d, gsize len, GString *why)
{
  gsize pos = 0;
  guint n = 0;
  while (pos + 512 <= len && n < MAX_ENTRIES && d[pos] != 0) {
    gsize size = octal (d + pos + 124, 12);
    guint8 type = d[pos + 156];
    if (type == '0' || type == '\0' || type == '7') {
      char name[260];
      gsize k = 0;
      if (memcmp (d + pos + 257, "ustar", 5) == 0 && d[pos + 345]) {
        const guint8 *pre = d + pos + 345;
        for (gsize i = 0; i < 155 && pre[i]; i++)
          name[k++] = (char) pre[i];
        name[k++] = '/';
      }
      for (gsize i = 0; i < 100 && d[pos + i]; i++)
        name[k++] = (char) d[pos + i];
      gsize data = pos + 512;
      usc_payload_add_member (p, container, name, k, d + data, MIN (MIN (size, (gsize) USC_MEMBER_HEAD), len - data),
                              TRUE, why);
    }
    n++;
    gsize blocks = (size + 511) / 512;
    if (blocks > (len - pos) / 512)
      break;
    pos += 512 + blocks * 512;
  }
  return n > 0;
}

static gboolean
list_gzip (UscPayload *p, const guint8 *d, gsize len, GString *why)
{
  if (len < 18)
    return FALSE;
  /* the original file name, when the header keeps it (FNAME) */
  guint8 flg = d[3];
  gsize pos = 10;
  if (flg & 4) {
    if (pos + 2 > len)
      return FALSE;
    pos += 2 + usc_le16 (d + pos);
  }
  const char *fname = NULL;
  gsize flen = 0;
  if ((flg & 8) && pos < len) {
    const char *z = memchr (d + pos, 0, MIN (len - pos, (gsize) 256));
    if (z) {
      fname = (const char *) d + pos;
      flen = (gsize) (z - fname);
    }
  }
  GByteArray *out = usc_payload_inflate (d, len, G_ZLIB_COMPRESSOR_FORMAT_GZIP, GZIP_INFLATE);
  gboolean ok = FALSE;
  if (out && out->len >= 262 && memcmp (out->data + 257, "ustar", 5) == 0) {
    g_free (p->found_type);
    p->found_type = g_strdup ("application/gzip");
    ok = list_tar (p, "a gzip'd tar archive", out->data, out->len, why);
  } else {
    char *name = NULL;
    if (fname == NULL && p->name && g_str_has_suffix (p->name, ".gz"))
      name = g_strndup (p->name, strlen (p->name) - 3);
    else if (fname == NULL)
      name = g_strdup ("(unnamed)");
    usc_payload_add_member (p, "a gzip file", fname ? fname : name, fname ? flen : strlen (name),
                            out ? out->data : NULL, out ? MIN (out->len, (guint) USC_MEMBER_HEAD) : 0,
                            out != NULL, why);
    g_free (name);
    ok = TRUE;
  }
  if (out)
    g_byte_array_unref (out);
  return ok;
}

/* ---- disk images ---- */

static gboolean
list_iso (UscPayload *p, const guint8 *d, gsize len, GString *why)
{
  if (len < 32768 + 2048 || d[32768] != 1)
    return FALSE;
  const guint8 *pvd = d + 32768; /* the primary volume descriptor (sector 16), "CD001" at +1 */
  gsize bs = usc_le16 (pvd + 128);
  if (bs != 2048 && bs != 512 && bs != 1024)
    return FALSE;
  const guint8 *root = pvd + 156;
  gsize ext = (gsize) usc_le32 (root + 2) * bs, size = usc_le32 (root + 10);
  if (ext >= len)
    return FALSE;
  size = MIN (size, len - ext);
  gsize pos = 0;
  guint n = 0;
  while (pos < size && n < MAX_ENTRIES) {
    const guint8 *r = d + ext + pos;
    guint rl = r[0];
    if (rl == 0) { /* records do not cross sectors */
      pos = (pos / bs + 1) * bs;
      continue;
    }
    if (rl < 34 || pos + rl > size)
      break;
    guint nl = r[32];
    if (33 + nl <= rl && !(nl == 1 && (r[33] == 0 || r[33] == 1))) {
      gsize k = nl;
      const char *semi = memchr (r + 33, ';', nl);
      if (semi)
        k = (gsize) (semi - (const char *) (r + 33));
      if (k > 0 && r[33 + k - 1] == '.')
        k--;
      gboolean dir = r[25] & 2;
      gsize fext = (gsize) usc_le32 (r + 2) * bs, fsize = usc_le32 (r + 10);
      gboolean readable = !dir && fext < len;
      if (dir) {
        char *dn = g_strdup_printf ("%.*s/", (int) k, (const char *) (r + 33));
        usc_payload_add_member (p, "an ISO 9660 disk image", dn, strlen (dn), NULL, 0, FALSE, why);
        g_free (dn);
      } else {
        usc_payload_add_member (p, "an ISO 9660 disk image", (const char *) (r + 33), k, readable ? d + fext : NULL,
                                readable ? MIN (MIN (fsize, (gsize) USC_MEMBER_HEAD), len - fext) : 0, readable, why);
      }
    }
    n++;
    pos += rl;
  }
  return n > 0;
}

static gboolean
list_fat (UscPayload *p, const guint8 *d, gsize len, GString *why)
{
  gsize bps = usc_le16 (d + 11), spc = d[13], reserved = usc_le16 (d + 14), fats = d[16];
  gsize entries = usc_le16 (d + 17), spf = usc_le16 (d + 22);
  if (bps < 512 || bps > 4096 || spc == 0 || spf == 0 || entries == 0)
    return FALSE; /* FAT32 (spf 0) keeps its root in a cluster chain: not listed */
  gsize root = (reserved + fats * spf) * bps, data = root + ((entries * 32 + bps - 1) / bps) * bps;
  guint n = 0;
  for (gsize i = 0; i < entries && root + i * 32 + 32 <= len; i++) {
    const guint8 *e = d + root + i * 32;
    if (e[0] == 0)
      break;
    if (e[0] == 0xe5 || e[11] == 0x0f || (e[11] & 0x08))
      continue; /* deleted, long-name piece, volume label */
    char name[13];
    gsize k = 0;
    for (gsize j = 0; j < 8 && e[j] != ' '; j++)
      name[k++] = (char) e[j];
    if (e[8] != ' ') {
      name[k++] = '.';
      for (gsize j = 8; j < 11 && e[j] != ' '; j++)
        name[k++] = (char) e[j];
    }
    gsize cl = usc_le16 (e + 26), fsize = usc_le32 (e + 28);
    gsize off = cl >= 2 ? data + (cl - 2) * spc * bps : len;
    gboolean dir = e[11] & 0x10, readable = !dir && off < len;
    usc_payload_add_member (p, "a FAT disk image", name, k, readable ? d + off : NULL,
                            readable ? MIN (MIN (fsize, (gsize) USC_MEMBER_HEAD), len - off) : 0, readable, why);
    n++;
  }
  return n > 0;
}

gboolean
usc_payload_list_archive (UscPayload *p, UscSig sig, const guint8 *d, gsize len, GString *why)
{
  switch (sig) {
  case USC_SIG_ZIP: return list_zip (p, d, len, why);
  case USC_SIG_RAR: return list_rar (p, d, len, why);
  case USC_SIG_CAB: return list_cab (p, d, len, why);
  case USC_SIG_GZIP: return list_gzip (p, d, len, why);
  case USC_SIG_TAR: return list_tar (p, "a tar archive", d, len, why);
  case USC_SIG_ISO: return list_iso (p, d, len, why);
  case USC_SIG_FAT: return list_fat (p, d, len, why);
  default: return FALSE;
  }
}
