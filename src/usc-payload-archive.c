/* usc-payload-archive.c — what archives and disk images hold, one level
 * down: member names and their first bytes, sniffed and listed here; the
 * formats read here are cabinet ([MS-CAB] CFFILE names), gzip (RFC 1952)
 * and tar (POSIX ustar); zip in usc-payload-zip.c, RAR in
 * usc-payload-rar.c, ISO 9660 and FAT images in usc-payload-image.c. Every
 * offset read from the data is checked against its length; counts are
 * bounded (MAX_ENTRIES).
 */
#include "config.h"
#include "usc-payload-private.h"
#include "usc-sniff.h"

#include <gio/gio.h>
#include <string.h>

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

gboolean
usc_payload_list_archive (UscPayload *p, UscSig sig, const guint8 *d, gsize len, GString *why)
{
  switch (sig) {
  case USC_SIG_ZIP: return usc_payload_list_zip (p, d, len, why);
  case USC_SIG_RAR: return usc_payload_list_rar (p, d, len, why);
  case USC_SIG_CAB: return list_cab (p, d, len, why);
  case USC_SIG_GZIP: return list_gzip (p, d, len, why);
  case USC_SIG_TAR: return list_tar (p, "a tar archive", d, len, why);
  case USC_SIG_ISO: return usc_payload_list_iso (p, d, len, why);
  case USC_SIG_FAT: return usc_payload_list_fat (p, d, len, why);
  default: return FALSE;
  }
}
