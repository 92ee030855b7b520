/* usc-payload-text.c — what a text part is: a script (JS, VBS, PowerShell,
 * batch: the markers each language's programs start with, the extension
 * that names one), HTML (scripts, event handlers, auto-submitting forms,
 * HTA), or a message (a header block). The text is read lower case, as
 * usc-payload-scan.c hands it over.
 */
#include "config.h"
#include "usc-payload-private.h"

#include <string.h>

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

/* Scripts: TRUE when @lc (lower-case text) is one (sets type/why). */
gboolean
usc_payload_scan_script (UscPayload *p, const char *lc, const char *ext, GString *why)
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
gboolean
usc_payload_scan_html (UscPayload *p, const char *lc, GString *why)
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
gboolean
usc_payload_looks_like_message (const char *lc)
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
