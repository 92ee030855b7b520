/* usc-payload-scan.c — what a part's bytes are: the cheap table of leading
 * signatures (only the formats whose structure is then looked into, and the
 * common harmless images), then by what it found: archives and disk images
 * listed (usc-payload-archive.c), PDF and OLE documents looked into
 * (usc-payload-doc.c), text told from binary and read for scripts and HTML
 * (usc-payload-text.c). A binary the table does not name goes to libmagic
 * (usc-sniff.h), first 64 KB.
 */
#include "config.h"
#include "usc-payload-private.h"
#include "usc-sniff.h"

#include <gio/gio.h>
#include <string.h>

#define TEXT_PROBE 8192            /* bytes judged text or binary */
#define SCRIPT_SCAN (64 * 1024)    /* text scanned for script markers */
#define HTML_SCAN (256 * 1024)     /* HTML scanned for scripts and forms */
#define MAGIC_MAX (64 * 1024)      /* bytes handed to libmagic */

/* ---- the cheap table ---- */

typedef struct {
  guint       offset;
  const char *bytes;
  guint       len;
  UscSig      sig;
  const char *type;
  const char *what;
} Signature;

static const Signature signatures[] = {
  { 0, "MZ", 2, USC_SIG_EXEC, "application/x-dosexec", "a Windows (MZ) executable" },
  { 0, "\x7f" "ELF", 4, USC_SIG_EXEC, "application/x-executable", "an ELF executable" },
  { 0, "\xfe\xed\xfa\xce", 4, USC_SIG_EXEC, "application/x-mach-binary", "a Mach-O executable" },
  { 0, "\xfe\xed\xfa\xcf", 4, USC_SIG_EXEC, "application/x-mach-binary", "a Mach-O executable" },
  { 0, "\xce\xfa\xed\xfe", 4, USC_SIG_EXEC, "application/x-mach-binary", "a Mach-O executable" },
  { 0, "\xcf\xfa\xed\xfe", 4, USC_SIG_EXEC, "application/x-mach-binary", "a Mach-O executable" },
  { 0, "\xca\xfe\xba\xbe", 4, USC_SIG_EXEC, "application/x-java-applet", "a Java class" },
  { 0, "L\0\0\0\x01\x14\x02\0\0\0\0\0\xc0\0\0\0\0\0\0\x46", 20, USC_SIG_EXEC, "application/x-ms-shortcut",
    "a Windows shortcut (.lnk)" },
  { 0, "PK\x03\x04", 4, USC_SIG_ZIP, "application/zip", "a zip archive" },
  { 0, "PK\x05\x06", 4, USC_SIG_ZIP, "application/zip", "an empty zip archive" },
  { 0, "Rar!\x1a\x07", 6, USC_SIG_RAR, "application/vnd.rar", "a RAR archive" },
  { 0, "7z\xbc\xaf\x27\x1c", 6, USC_SIG_7Z, "application/x-7z-compressed", "a 7z archive" },
  { 0, "\x1f\x8b", 2, USC_SIG_GZIP, "application/gzip", "a gzip file" },
  { 257, "ustar", 5, USC_SIG_TAR, "application/x-tar", "a tar archive" },
  { 0, "MSCF\0\0\0\0", 8, USC_SIG_CAB, "application/vnd.ms-cab-compressed", "a cabinet (.cab) archive" },
  { 4, "1AY&SY", 6, USC_SIG_COMPRESSED, "application/x-bzip2", "a bzip2 file" },
  { 0, "\xfd" "7zXZ\0", 6, USC_SIG_COMPRESSED, "application/x-xz", "an xz file" },
  { 32769, "CD001", 5, USC_SIG_ISO, "application/x-iso9660-image", "an ISO 9660 disk image" },
  { 32769, "BEA01", 5, USC_SIG_UDF, "application/x-iso9660-image", "a UDF disk image" },
  { 0, "conectix", 8, USC_SIG_VHD, "application/x-vhd", "a VHD disk image" },
  { 0, "vhdxfile", 8, USC_SIG_VHD, "application/x-vhdx", "a VHDX disk image" },
  { 0, "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 8, USC_SIG_OLE, "application/x-ole-storage", "an OLE compound file" },
  { 0, "\x89PNG\r\n\x1a\n", 8, USC_SIG_MEDIA, "image/png", "a PNG image" },
  { 0, "\xff\xd8\xff", 3, USC_SIG_MEDIA, "image/jpeg", "a JPEG image" },
  { 0, "GIF87a", 6, USC_SIG_MEDIA, "image/gif", "a GIF image" },
  { 0, "GIF89a", 6, USC_SIG_MEDIA, "image/gif", "a GIF image" },
};

/* A FAT boot sector (floppy / disk .img): jump, 0x55AA, a FAT file system name. */
static gboolean
fat_boot_sector (const guint8 *d, gsize len)
{
  if (len < 512 || d[510] != 0x55 || d[511] != 0xaa || (d[0] != 0xeb && d[0] != 0xe9))
    return FALSE;
  return memcmp (d + 54, "FAT1", 4) == 0 || memcmp (d + 82, "FAT32", 5) == 0;
}

UscSigHit
usc_payload_signature (const guint8 *d, gsize len)
{
  UscSigHit h = { USC_SIG_NONE, NULL, NULL };
  for (guint i = 0; i < G_N_ELEMENTS (signatures); i++) {
    const Signature *s = &signatures[i];
    if (len >= s->offset + s->len && memcmp (d + s->offset, s->bytes, s->len) == 0) {
      h.sig = s->sig;
      h.type = s->type;
      h.what = s->what;
      break;
    }
  }
  if (h.sig == USC_SIG_EXEC && d[0] == 'M') {
    /* MZ: a PE when e_lfanew points at "PE\0\0" */
    guint32 pe = len >= 64 ? usc_le32 (d + 60) : 0;
    if (pe >= 64 && pe <= len - 4 && memcmp (d + pe, "PE\0\0", 4) == 0) {
      h.type = "application/vnd.microsoft.portable-executable"; /* as libmagic 5.4x names it */
      h.what = "a PE executable";
    } else if (len < 64 || memchr (d, 0, 64) == NULL) {
      h.sig = USC_SIG_NONE; /* text that starts with "MZ" */
      h.type = h.what = NULL;
    }
  } else if (h.sig == USC_SIG_EXEC && d[0] == 0xca) {
    /* CAFEBABE: a fat Mach-O counts its architectures (few), a class its version (>= 45) */
    guint32 n = len >= 8 ? ((guint32) d[4] << 24 | (guint32) d[5] << 16 | (guint32) d[6] << 8 | d[7]) : 0;
    if (n > 0 && n < 40) {
      h.type = "application/x-mach-binary";
      h.what = "a Mach-O universal executable";
    }
  } else if (h.sig == USC_SIG_NONE) {
    if (fat_boot_sector (d, len)) {
      h.sig = USC_SIG_FAT;
      h.type = "application/x-raw-disk-image";
      h.what = "a FAT disk image";
    } else {
      /* %PDF- may follow some junk (readers accept it in the first KB) */
      gsize n = MIN (len, 1024);
      for (gsize i = 0; i + 5 <= n; i++)
        if (d[i] == '%' && memcmp (d + i, "%PDF-", 5) == 0) {
          h.sig = USC_SIG_PDF;
          h.type = "application/pdf";
          h.what = "a PDF";
          break;
        }
    }
  }
  return h;
}

/* ---- text ---- */

static gboolean
is_text (const guint8 *d, gsize len)
{
  gsize n = MIN (len, TEXT_PROBE), ctl = 0;
  for (gsize i = 0; i < n; i++) {
    guint8 c = d[i];
    if (c == 0)
      return FALSE;
    if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != 0x1b)
      ctl++;
  }
  return ctl * 20 <= n;
}

/* Lower-case ASCII copy of the first @max bytes (NUL-terminated). */
static char *
lower_copy (const guint8 *d, gsize len, gsize max)
{
  gsize n = MIN (len, max);
  char *s = g_malloc (n + 1);
  for (gsize i = 0; i < n; i++)
    s[i] = g_ascii_tolower ((char) d[i]);
  s[n] = '\0';
  return s;
}



/* @name's extension, lower case, without the dot (Windows ignores trailing
 * dots and spaces); NULL when none. Newly allocated. */
static char *
extension_of (const char *name)
{
  if (name == NULL)
    return NULL;
  gsize l = strlen (name);
  while (l > 0 && (name[l - 1] == '.' || name[l - 1] == ' ' || name[l - 1] == '\t' || name[l - 1] == '"'))
    l--;
  const char *dot = g_strrstr_len (name, (gssize) l, ".");
  if (dot == NULL || (gsize) (dot + 1 - name) >= l || strchr (dot, '/') != NULL)
    return NULL;
  return g_ascii_strdown (dot + 1, (gssize) (l - (gsize) (dot + 1 - name)));
}


/* ---- the part ---- */

void
usc_payload_scan (UscPayload *p, const guint8 *d, gsize len, gboolean member)
{
  GString *why = g_string_new (p->why);
  g_clear_pointer (&p->why, g_free);
  char *ext = extension_of (p->name);

  UscSigHit h = usc_payload_signature (d, len);
  if (h.sig != USC_SIG_NONE) {
    g_free (p->found_type);
    p->found_type = g_strdup (h.type);
  }
  switch (h.sig) {
  case USC_SIG_EXEC:
    p->executable = TRUE;
    why_add (why, h.what);
    break;
  case USC_SIG_ISO:
  case USC_SIG_UDF:
  case USC_SIG_FAT:
  case USC_SIG_VHD:
    /* Windows mounts these on a double click; what is inside escapes the
     * "downloaded from the Internet" mark */
    if (!member && h.sig != USC_SIG_UDF && h.sig != USC_SIG_VHD)
      usc_payload_list_archive (p, h.sig, d, len, why);
    if (!p->executable)
      why_add (why, h.what); /* else "... disk image holding NAME" says it */
    p->executable = TRUE;
    break;
  case USC_SIG_ZIP:
  case USC_SIG_RAR:
  case USC_SIG_GZIP:
  case USC_SIG_TAR:
  case USC_SIG_CAB:
    if (!member)
      usc_payload_list_archive (p, h.sig, d, len, why);
    break;
  case USC_SIG_7Z:
    if (!member)
      why_add (why, "a 7z archive (its member names are in its compressed header: not listed)");
    break;
  case USC_SIG_OLE:
    if (!member) {
      char *t = usc_sniff_type (d, MIN (len, (gsize) MAGIC_MAX), NULL);
      if (t && strcmp (t, "application/octet-stream") != 0 && strcmp (t, "application/CDFV2") != 0) {
        g_free (p->found_type);
        p->found_type = t;
        p->flags |= USC_PAYLOAD_LIBMAGIC;
      } else {
        g_free (t);
      }
    }
    usc_payload_scan_ole (p, d, len, why);
    break;
  case USC_SIG_PDF:
    usc_payload_scan_pdf (p, d, len, why);
    break;
  case USC_SIG_COMPRESSED:
  case USC_SIG_MEDIA:
    break;
  case USC_SIG_NONE: {
    const guint8 *t = d;
    gsize tlen = len;
    char *utf16 = NULL;
    if (len >= 4 && d[0] == 0xff && d[1] == 0xfe) {
      /* UTF-16LE with a BOM: Windows Script Host and PowerShell read it */
      gsize n = MIN (len - 2, (gsize) SCRIPT_SCAN) & ~(gsize) 1;
      utf16 = g_convert ((const char *) d + 2, (gssize) n, "UTF-8", "UTF-16LE", NULL, NULL, NULL);
      if (utf16) {
        t = (const guint8 *) utf16;
        tlen = strlen (utf16);
      }
    } else if (len >= 3 && d[0] == 0xef && d[1] == 0xbb && d[2] == 0xbf) {
      t = d + 3;
      tlen = len - 3;
    }
    if (len == 0) {
      g_free (p->found_type);
      p->found_type = g_strdup ("application/x-empty");
    } else if (is_text (t, tlen)) {
      g_free (p->found_type);
      p->found_type = g_strdup ("text/plain");
      char *lc = lower_copy (t, tlen, HTML_SCAN);
      if (usc_payload_looks_like_message (lc)) {
        g_free (p->found_type);
        p->found_type = g_strdup ("message/rfc822");
      } else if (!usc_payload_scan_html (p, lc, why)) {
        if (strlen (lc) > SCRIPT_SCAN)
          lc[SCRIPT_SCAN] = '\0';
        if (g_str_has_prefix (lc, "#!")) {
          g_free (p->found_type);
          p->found_type = g_strdup ("text/x-shellscript");
          p->executable = TRUE;
          why_add (why, "a script (#!)");
        } else {
          usc_payload_scan_script (p, lc, ext, why);
        }
      }
      g_free (lc);
    } else if (!member) {
      char *mt = usc_sniff_type (d, MIN (len, (gsize) MAGIC_MAX), NULL);
      if (mt) {
        g_free (p->found_type);
        p->found_type = mt;
        p->flags |= USC_PAYLOAD_LIBMAGIC;
        if (usc_sniff_is_executable (mt, NULL)) {
          p->executable = TRUE;
          char *w = g_strdup_printf ("an executable (%s)", mt);
          why_add (why, w);
          g_free (w);
        }
      }
    }
    g_free (utf16);
    break;
  }
  }
  if (p->found_type == NULL)
    p->found_type = g_strdup ("application/octet-stream");
  if (!p->executable && p->name && usc_sniff_is_executable (NULL, p->name)) {
    /* Windows goes by the name */
    p->executable = TRUE;
    char *w = g_strdup_printf ("named .%s (Windows runs it by its name)", ext ? ext : "?");
    why_add (why, w);
    g_free (w);
  }
  g_free (ext);
  p->why = why->len ? g_string_free (why, FALSE) : (g_string_free (why, TRUE), NULL);
}
