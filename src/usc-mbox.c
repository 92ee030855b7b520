/* usc-mbox.c — the RFC 4155 mbox "From " line: where it ends, the address
 * it names, where the next message of an mbox starts, where header fields
 * added to a message go. The one place the From line is recognised.
 */
#include "config.h"
#include "usc-mbox.h"

#include <string.h>

/* The address of an mbox "From " line ("" for MAILER-DAEMON / <>), or NULL. */
char *
usc_mbox_from_address (const char *line, gsize len)
{
  gsize i = 5;
  while (i < len && (line[i] == ' ' || line[i] == '\t'))
    i++;
  gsize j = i;
  while (j < len && line[j] != ' ' && line[j] != '\t')
    j++;
  if (j == i)
    return NULL;
  char *addr = g_strndup (line + i, j - i);
  if (addr[0] == '<') {
    gsize l = strlen (addr);
    memmove (addr, addr + 1, l);
    if (l > 1 && addr[l - 2] == '>')
      addr[l - 2] = '\0';
  }
  if (g_ascii_strcasecmp (addr, "MAILER-DAEMON") == 0)
    addr[0] = '\0';
  return addr;
}

gsize
usc_mbox_from_end (const void *data, gsize len)
{
  const char *d = data;
  if (len < 5 || memcmp (d, "From ", 5) != 0)
    return 0;
  for (gsize i = 5; i < len; i++) {
    if (d[i] == '\n')
      return i + 1;
    if (d[i] == '\r')
      return i + 1 < len && d[i + 1] == '\n' ? i + 2 : i + 1;
  }
  return len;
}

gsize
usc_mbox_next (const void *data, gsize len, gsize start)
{
  const char *d = data, *end = d + len, *s = d + MIN (start, len);
  for (const char *p = memchr (s, '\n', end - s); p && p + 1 < end; p = memchr (p + 1, '\n', end - (p + 1))) {
    const char *line = p + 1;
    if (usc_mbox_from_end (line, end - line) == 0)
      continue;
    /* the line before it is empty */
    const char *q = p;
    if (q > s && q[-1] == '\r')
      q--;
    if (q > s && q[-1] == '\n')
      return (gsize) (line - d);
  }
  return len;
}

gsize
usc_message_fields_offset (const void *data, gsize len)
{
  const char *d = data;
  gsize at = usc_mbox_from_end (d, len);
  while (at < len && (d[at] == ' ' || d[at] == '\t')) {
    while (at < len && d[at] != '\n' && d[at] != '\r')
      at++;
    if (at < len && d[at] == '\r')
      at++;
    if (at < len && d[at] == '\n')
      at++;
  }
  return at;
}
