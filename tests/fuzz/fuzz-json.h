/* fuzz-json.h — a strict RFC 8259 JSON checker for the harnesses: one value,
 * nothing but white space around it, strings valid UTF-8 with no raw control
 * character, escapes as the RFC lists them, depth bounded. Included after
 * fuzz-common.h.
 */
#ifndef USC_FUZZ_JSON_H
#define USC_FUZZ_JSON_H
#include <string.h>

static const char *fuzz_json_value (const char *p, int depth);

static const char *
fuzz_json_ws (const char *p)
{
  while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
    p++;
  return p;
}

static const char *
fuzz_json_string (const char *p)
{
  if (*p++ != '"')
    return NULL;
  const char *start = p;
  while (*p != '"') {
    if (*p == '\0' || (guchar) *p < 0x20)
      return NULL;
    if (*p == '\\') {
      p++;
      if (*p == 'u') {
        for (int i = 1; i <= 4; i++)
          if (!g_ascii_isxdigit (p[i]))
            return NULL;
        p += 5;
      } else if (*p && strchr ("\"\\/bfnrt", *p))
        p++;
      else
        return NULL;
    } else
      p++;
  }
  if (!g_utf8_validate (start, p - start, NULL))
    return NULL;
  return p + 1;
}

static const char *
fuzz_json_number (const char *p)
{
  if (*p == '-')
    p++;
  if (*p == '0')
    p++;
  else if (*p >= '1' && *p <= '9')
    while (g_ascii_isdigit (*p))
      p++;
  else
    return NULL;
  if (*p == '.') {
    p++;
    if (!g_ascii_isdigit (*p))
      return NULL;
    while (g_ascii_isdigit (*p))
      p++;
  }
  if (*p == 'e' || *p == 'E') {
    p++;
    if (*p == '+' || *p == '-')
      p++;
    if (!g_ascii_isdigit (*p))
      return NULL;
    while (g_ascii_isdigit (*p))
      p++;
  }
  return p;
}

static const char *
fuzz_json_value (const char *p, int depth)
{
  if (depth > 64)
    return NULL;
  p = fuzz_json_ws (p);
  switch (*p) {
  case '"':
    return fuzz_json_string (p);
  case '{':
  case '[': {
    char close = *p == '{' ? '}' : ']';
    gboolean object = *p == '{';
    p = fuzz_json_ws (p + 1);
    if (*p == close)
      return p + 1;
    for (;;) {
      if (object) {
        p = fuzz_json_string (fuzz_json_ws (p));
        if (p == NULL)
          return NULL;
        p = fuzz_json_ws (p);
        if (*p++ != ':')
          return NULL;
      }
      p = fuzz_json_value (p, depth + 1);
      if (p == NULL)
        return NULL;
      p = fuzz_json_ws (p);
      if (*p == close)
        return p + 1;
      if (*p++ != ',')
        return NULL;
    }
  }
  case 't':
    return strncmp (p, "true", 4) == 0 ? p + 4 : NULL;
  case 'f':
    return strncmp (p, "false", 5) == 0 ? p + 5 : NULL;
  case 'n':
    return strncmp (p, "null", 4) == 0 ? p + 4 : NULL;
  default:
    return fuzz_json_number (p);
  }
}

/* TRUE when @s (NUL-terminated) is one JSON value. */
static inline gboolean
fuzz_json_valid (const char *s)
{
  const char *e = fuzz_json_value (s, 0);
  return e != NULL && *fuzz_json_ws (e) == '\0';
}
#endif
