/* usc-sniff.c — what an attached payload really is, whatever its
 * Content-Type claims: libmagic (file(1)'s database) in MAGIC_MIME_TYPE mode,
 * loaded lazily once per process (not thread-safe; the CLI has one thread).
 * Whether a type or a file name is an executable or a script comes from the
 * static tables below (MIME types as libmagic names them; extensions Windows
 * runs on a double-click, cf. Microsoft's blocked-attachment list). The
 * payload sniffer (usc-payload.h) asks libmagic only for what its own cheap
 * table of signatures does not settle.
 */
#include "config.h"
#include "usc-sniff.h"

#include <errno.h>
#include <magic.h>
#include <string.h>

/* libmagic reads at most this much of a payload (issue 12: the first 64 KB;
 * the signatures are in the first bytes, text checks on megabytes are slow). */
#define SNIFF_MAX_BYTES (64 * 1024)

static magic_t cookie;
static gboolean cookie_tried;
static char *cookie_error;

static magic_t
get_cookie (GError **error)
{
  if (!cookie_tried) {
    cookie_tried = TRUE;
    cookie = magic_open (MAGIC_MIME_TYPE | MAGIC_NO_CHECK_COMPRESS | MAGIC_NO_CHECK_ELF
                         | MAGIC_ERROR);
    if (cookie == NULL) {
      cookie_error = g_strdup_printf ("libmagic: magic_open: %s", g_strerror (errno));
    } else if (magic_load (cookie, NULL) != 0) {
      const char *e = magic_error (cookie);
      cookie_error = g_strdup_printf ("libmagic: cannot load the magic database: %s",
                                      e ? e : "unknown error");
      magic_close (cookie);
      cookie = NULL;
    }
  }
  if (cookie == NULL)
    g_set_error (error, USC_ERROR, USC_ERROR_CONFIG, "%s", cookie_error);
  return cookie;
}

char *
usc_sniff_type (const void *data, gsize len, GError **error)
{
  magic_t m = get_cookie (error);
  if (m == NULL)
    return NULL;
  if (data == NULL || len == 0)
    return g_strdup ("application/x-empty");
  const char *t = magic_buffer (m, data, MIN (len, (gsize) SNIFF_MAX_BYTES));
  if (t == NULL) {
    const char *e = magic_error (m);
    g_set_error (error, USC_ERROR, USC_ERROR_INVALID, "libmagic: %s", e ? e : "unknown error");
    return NULL;
  }
  return g_strdup (t);
}

/* MIME types (as libmagic and mailers name them) of executables and scripts. */
static const char *const executable_types[] = {
  "application/x-dosexec",                     /* PE / MZ: .exe .dll .scr .pif .cpl */
  "application/x-msdos-program",
  "application/x-msdownload",
  "application/x-ms-dos-executable",
  "application/vnd.microsoft.portable-executable",
  "application/x-executable",                  /* ELF */
  "application/x-pie-executable",
  "application/x-sharedlib",
  "application/x-elf",
  "application/x-mach-binary",                 /* Mach-O */
  "application/x-mach-o-executable",
  "application/x-msi",                         /* Windows installer */
  "application/x-ms-installer",
  "application/x-ms-shortcut",                 /* .lnk */
  "application/java-archive",                  /* .jar */
  "application/x-java-archive",
  "application/x-java-applet",
  "application/java-vm",                       /* .class */
  "application/x-java",
  "application/hta",
  "text/x-shellscript",                        /* #! scripts */
  "application/x-shellscript",
  "application/x-sh",
  "text/x-msdos-batch",                        /* .bat .cmd */
  "application/x-bat",
  "application/bat",
  "text/javascript",                           /* .js */
  "application/javascript",
  "application/x-javascript",
  "application/ecmascript",
  "text/jscript",
  "text/vbscript",                             /* .vbs */
  "text/x-vbscript",
  "application/x-vbscript",
  "application/x-powershell",
  "text/x-powershell",
};

/* File name extensions (lower case, without the dot) that run code when opened. */
static const char *const executable_extensions[] = {
  "exe", "scr", "pif", "com", "cpl", "dll", "sys", "drv", "ocx",
  "bat", "cmd", "btm",
  "js", "jse", "vbs", "vbe", "vb", "wsf", "wsh", "wsc", "ws", "sct",
  "hta", "msc", "msi", "msp", "mst", "jar", "class", "lnk", "scf", "url",
  "reg", "inf", "ps1", "ps1xml", "ps2", "psc1", "psm1", "psd1",
  "application", "appref-ms", "gadget", "chm", "hlp",
  "sh", "bash", "csh", "ksh", "command", "run",
  "app", "apk", "xbap", "ins", "isp", "shb", "shs", "mde", "ade", "adp",
};

gboolean
usc_sniff_is_executable (const char *mime_type, const char *filename)
{
  if (mime_type != NULL) {
    /* "type/subtype; params": compare the bare type */
    gsize l = strcspn (mime_type, "; \t");
    for (guint i = 0; i < G_N_ELEMENTS (executable_types); i++)
      if (strlen (executable_types[i]) == l
          && g_ascii_strncasecmp (mime_type, executable_types[i], l) == 0)
        return TRUE;
  }
  if (filename != NULL) {
    /* Windows ignores trailing dots and spaces: "invoice.pdf.exe. " runs */
    gsize l = strlen (filename);
    while (l > 0 && (filename[l - 1] == '.' || filename[l - 1] == ' ' || filename[l - 1] == '\t'
                     || filename[l - 1] == '"'))
      l--;
    const char *dot = g_strrstr_len (filename, (gssize) l, ".");
    if (dot != NULL) {
      gsize el = l - (gsize) (dot + 1 - filename);
      for (guint i = 0; i < G_N_ELEMENTS (executable_extensions); i++)
        if (strlen (executable_extensions[i]) == el
            && g_ascii_strncasecmp (dot + 1, executable_extensions[i], el) == 0)
          return TRUE;
    }
  }
  return FALSE;
}
