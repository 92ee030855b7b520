/* usc-payload-scan.c — what a part's bytes are: the cheap table of leading
 * signatures (only the formats whose structure is then looked into, and the
 * common harmless images), scripts in text (JS, VBS, PowerShell, batch,
 * shell), HTML (scripts, auto-submitting forms, HTA), PDF names (ISO
 * 32000-1 7.3.5: "#xx" escapes decoded, Flate streams (RFC 1950) inflated
 * to look into object streams), OLE compound files ([MS-CFB] 2.6 directory
 * entries: the VBA storage of [MS-OVBA]). A binary the table does not name
 * goes to libmagic (usc-sniff.h), first 64 KB.
 */
#include "config.h"
#include "usc-payload-private.h"
#include "usc-sniff.h"

#include <gio/gio.h>
#include <string.h>

#define TEXT_PROBE 8192            /* bytes judged text or binary */
#define SCRIPT_SCAN (64 * 1024)    /* text scanned for script markers */
#define HTML_SCAN (256 * 1024)     /* HTML scanned for scripts and forms */
#define PDF_STREAMS 64             /* Flate streams inflated per PDF */
#define PDF_INFLATE (1024 * 1024)  /* bytes out of one stream */
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

enum { L_JS, L_VBS, L_PS, L_BAT, L_COUNT };
#define M(l) (1u << (l))

static const char *const lang_type[L_COUNT] = {
  "text/javascript", "text/vbscript", "application/x-powershell", "text/x-msdos-batch",
};
static const char *const lang_what[L_COUNT] = {
  "a JavaScript (JScript) script", "a VBScript script", "a PowerShell script", "a batch (.bat/.cmd) script",
};

/* What scripts say, lower case. Strong markers start programs, fetch or
 * decode code: ordinary text has none of them. */
static const struct {
  const char *marker;
  guint       langs;
  gboolean    strong;
} script_markers[] = {
  { "activexobject", M (L_JS), TRUE },
  { "wscript.", M (L_JS) | M (L_VBS), TRUE },
  { "createobject(", M (L_VBS) | M (L_JS), TRUE },
  { "createobject (", M (L_VBS), TRUE },
  { "shell.application", M (L_JS) | M (L_VBS), TRUE },
  { "executeglobal", M (L_VBS), TRUE },
  { "invoke-expression", M (L_PS), TRUE },
  { "iex(", M (L_PS), TRUE },
  { "iex (", M (L_PS), TRUE },
  { "frombase64string", M (L_PS), TRUE },
  { "downloadstring", M (L_PS), TRUE },
  { "downloadfile", M (L_PS), TRUE },
  { "invoke-webrequest", M (L_PS), TRUE },
  { "-encodedcommand", M (L_PS) | M (L_BAT), TRUE },
  { "-executionpolicy bypass", M (L_PS) | M (L_BAT), TRUE },
  { "-windowstyle hidden", M (L_PS) | M (L_BAT), TRUE },
  { "certutil", M (L_BAT), TRUE },
  { "bitsadmin", M (L_BAT), TRUE },
  { "cmd /c", M (L_BAT) | M (L_JS) | M (L_VBS), TRUE },
  { "cmd.exe", M (L_BAT) | M (L_JS) | M (L_VBS), TRUE },
  { "mshta", M (L_BAT) | M (L_JS) | M (L_VBS), TRUE },
  { "regsvr32", M (L_BAT), TRUE },
  { "rundll32", M (L_BAT), TRUE },
  { "schtasks", M (L_BAT), TRUE },
  { "new function(", M (L_JS), FALSE },
  { "string.fromcharcode", M (L_JS), FALSE },
  { "eval(", M (L_JS), FALSE },
  { "function(", M (L_JS), FALSE },
  { "function ", M (L_JS) | M (L_VBS), FALSE },
  { "var ", M (L_JS), FALSE },
  { "unescape(", M (L_JS), FALSE },
  { "document.write", M (L_JS), FALSE },
  { ".run(", M (L_JS), FALSE },
  { ".run ", M (L_VBS), FALSE },
  { "on error resume next", M (L_VBS), FALSE },
  { "dim ", M (L_VBS), FALSE },
  { "end sub", M (L_VBS), FALSE },
  { "end function", M (L_VBS), FALSE },
  { "chr(", M (L_VBS), FALSE },
  { "new-object", M (L_PS), FALSE },
  { "start-process", M (L_PS), FALSE },
  { "$env:", M (L_PS), FALSE },
  { "[system.", M (L_PS), FALSE },
  { "@echo off", M (L_BAT), FALSE },
  { "%~dp0", M (L_BAT), FALSE },
  { "%temp%", M (L_BAT), FALSE },
  { "%appdata%", M (L_BAT), FALSE },
  { "goto ", M (L_BAT), FALSE },
  { "set /a", M (L_BAT), FALSE },
};

/* Script extensions and the language each names. */
static const struct {
  const char *ext;
  int         lang;
} script_exts[] = {
  { "js", L_JS }, { "jse", L_JS }, { "vbs", L_VBS }, { "vbe", L_VBS }, { "wsf", L_JS },
  { "ps1", L_PS }, { "psm1", L_PS }, { "bat", L_BAT }, { "cmd", L_BAT },
};

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

static void
why_add (GString *why, const char *s)
{
  if (why->len)
    g_string_append (why, "; ");
  g_string_append (why, s);
}

/* Scripts: TRUE when @lc (lower-case text) is one (sets type/why). */
static gboolean
scan_script (UscPayload *p, const char *lc, const char *ext, GString *why)
{
  guint score[L_COUNT] = { 0 }, strong = 0, total = 0;
  GString *seen = g_string_new (NULL);
  for (guint i = 0; i < G_N_ELEMENTS (script_markers); i++) {
    if (strstr (lc, script_markers[i].marker) == NULL)
      continue;
    total++;
    for (int l = 0; l < L_COUNT; l++)
      if (script_markers[i].langs & M (l))
        score[l] += script_markers[i].strong ? 2 : 1;
    if (script_markers[i].strong) {
      strong++;
      if (strong <= 3)
        g_string_append_printf (seen, "%s%s", seen->len ? ", " : "", script_markers[i].marker);
    }
  }
  int named = -1;
  for (guint i = 0; ext && i < G_N_ELEMENTS (script_exts); i++)
    if (strcmp (ext, script_exts[i].ext) == 0)
      named = script_exts[i].lang;
  const char *s = lc;
  while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
    s++;
  gboolean batch_head = g_str_has_prefix (s, "@echo off");
  if (!(strong >= 1 && total >= 3) && !batch_head && !(named >= 0 && total >= 1)) {
    g_string_free (seen, TRUE);
    return FALSE;
  }
  int best = named >= 0 ? named : L_JS;
  if (named < 0)
    for (int l = 0; l < L_COUNT; l++)
      if (score[l] > score[best])
        best = l;
  if (batch_head && named < 0 && strong == 0)
    best = L_BAT;
  g_free (p->found_type);
  p->found_type = g_strdup (lang_type[best]);
  p->executable = TRUE;
  char *w = seen->len ? g_strdup_printf ("%s (%s)", lang_what[best], seen->str) : g_strdup (lang_what[best]);
  why_add (why, w);
  g_free (w);
  g_string_free (seen, TRUE);
  return TRUE;
}

/* Is @s inside a tag (a '<' before it, no '>' between)? */
static gboolean
in_tag (const char *lc, const char *s)
{
  for (const char *p = s; p > lc && s - p < 2048; p--) {
    if (p[-1] == '>')
      return FALSE;
    if (p[-1] == '<')
      return TRUE;
  }
  return FALSE;
}

/* " onload=" and the like: an event handler attribute (inside a tag). */
static const char *
event_handler (const char *lc)
{
  for (const char *s = strstr (lc, " on"); s; s = strstr (s + 3, " on")) {
    if (!in_tag (lc, s))
      continue;
    const char *q = s + 3;
    gsize n = 0;
    while (q[n] >= 'a' && q[n] <= 'z')
      n++;
    if (n < 3 || n > 20)
      continue;
    const char *e = q + n;
    while (*e == ' ')
      e++;
    if (*e == '=')
      return s + 1;
  }
  return NULL;
}

/* HTML: TRUE when @lc starts like markup (sets type, executable, why). */
static gboolean
scan_html (UscPayload *p, const char *lc, GString *why)
{
  const char *s = lc;
  while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
    s++;
  if (*s != '<')
    return FALSE;
  static const char *const tags[] = { "<html", "<!doctype html", "<head", "<body", "<script", "<form",
                                      "<meta", "<iframe", "<svg", "<hta:", "<?xml", "<!--", "<div",
                                      "<title", "<table", "<p>", "<a " };
  char head[1025];
  g_strlcpy (head, s, sizeof head);
  gboolean markup = FALSE, svg = strstr (head, "<svg") != NULL;
  for (guint i = 0; i < G_N_ELEMENTS (tags) && !markup; i++)
    markup = strstr (head, tags[i]) != NULL;
  if (!markup || (g_str_has_prefix (s, "<?xml") && !svg && strstr (lc, "<html") == NULL))
    return FALSE;
  g_free (p->found_type);
  p->found_type = g_strdup (svg ? "image/svg+xml" : "text/html");
  const char *kind = svg ? "SVG" : "HTML";
  if (strstr (lc, "<hta:application")) {
    g_free (p->found_type);
    p->found_type = g_strdup ("application/hta");
    p->executable = TRUE;
    why_add (why, "an HTML application (HTA: runs with the user's rights)");
    return TRUE;
  }
  GString *w = g_string_new (NULL);
  if (strstr (lc, "<script"))
    g_string_append (w, "a script (<script>)");
  else if (strstr (lc, "javascript:") || strstr (lc, "vbscript:"))
    g_string_append (w, "a script (javascript: URL)");
  else {
    const char *h = event_handler (lc);
    if (h) {
      gsize n = strcspn (h, " =");
      g_string_append_printf (w, "a script (%.*s handler)", (int) MIN (n, 20), h);
    }
  }
  const char *form = strstr (lc, "<form");
  if (form && (strstr (lc, ".submit()") || strstr (lc, ".submit ()") || strstr (lc, "requestsubmit")))
    g_string_append_printf (w, "%san auto-submitting form", w->len ? " and " : "");
  if (w->len) {
    p->executable = TRUE;
    char *t = g_strdup_printf ("%s with %s", kind, w->str);
    why_add (why, t);
    g_free (t);
  }
  g_string_free (w, TRUE);
  return TRUE;
}

/* A header block (RFC 5322 2.2): the first line a field, and at least
 * two well-known fields near the start. */
static gboolean
looks_like_message (const char *lc)
{
  gsize i = 0;
  while (lc[i] && i < 80 && (g_ascii_isalnum (lc[i]) || lc[i] == '-'))
    i++;
  if (i < 2 || lc[i] != ':')
    return FALSE;
  static const char *const fields[] = { "received:", "from:", "to:", "subject:", "date:", "message-id:",
                                        "return-path:", "mime-version:", "content-type:" };
  guint n = 0;
  for (const char *l = lc; l && l - lc < 4096 && *l != '\n' && *l != '\r'; l = strchr (l, '\n'), l = l ? l + 1 : NULL)
    for (guint k = 0; k < G_N_ELEMENTS (fields); k++)
      if (g_str_has_prefix (l, fields[k]))
        n++;
  return n >= 2;
}

/* ---- PDF ---- */

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

static void
scan_pdf (UscPayload *p, const guint8 *d, gsize len, GString *why)
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

static void
scan_ole (UscPayload *p, const guint8 *d, gsize len, GString *why)
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
    scan_ole (p, d, len, why);
    break;
  case USC_SIG_PDF:
    scan_pdf (p, d, len, why);
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
      if (looks_like_message (lc)) {
        g_free (p->found_type);
        p->found_type = g_strdup ("message/rfc822");
      } else if (!scan_html (p, lc, why)) {
        if (strlen (lc) > SCRIPT_SCAN)
          lc[SCRIPT_SCAN] = '\0';
        if (g_str_has_prefix (lc, "#!")) {
          g_free (p->found_type);
          p->found_type = g_strdup ("text/x-shellscript");
          p->executable = TRUE;
          why_add (why, "a script (#!)");
        } else {
          scan_script (p, lc, ext, why);
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
