/* fuzz-received.c — libFuzzer harness: the Received field parser the report
 * reads relays with (usc-received.h): usc_received_parse on each field,
 * usc_internal_new / usc_internal_add on the user's internal_hosts specs,
 * usc_internal_ip / usc_internal_host, usc_received_first_external and
 * usc_received_first_external_of over the same chain as a GMime message.
 *
 * Input: the first line is a list of internal specs (separated by blanks or
 * commas, as [report] internal_hosts), every further line a Received value
 * (lines starting with a blank continue the previous one, as in a folded
 * field). Asserted, as usc-received.h promises: every string of a hop at
 * most 255 bytes, valid UTF-8 without control characters; names lower-case
 * without a trailing dot; the IP in canonical form (inet_pton then inet_ntop
 * gives it back); the host shown is the rDNS name or a HELO that is no
 * address literal; the first external hop is a parsed hop, not internal;
 * the string and the GMime entry points agree.
 */
#include "fuzz-common.h"
#include <arpa/inet.h>
#include <string.h>
#include "usc-received.h"

int FUZZ_ENTRY (received) (const uint8_t *data, size_t size);

static void
check_string (const char *s, gboolean name)
{
  if (s == NULL)
    return;
  gsize n = strlen (s);
  FUZZ_ASSERT (n > 0 && n <= 255);
  FUZZ_ASSERT (g_utf8_validate (s, -1, NULL));
  for (const char *p = s; *p; p++) {
    FUZZ_ASSERT ((guchar) *p >= 0x20 && *p != 0x7f);
    if (name)
      FUZZ_ASSERT (!g_ascii_isupper (*p));
  }
  if (name)
    FUZZ_ASSERT (s[n - 1] != '.' || n == 1);
}

static void
check_hop (const UscReceivedHop *h)
{
  check_string (h->helo, FALSE);
  check_string (h->rdns, TRUE);
  check_string (h->by, FALSE);
  check_string (h->ip, FALSE);
  if (h->ip) {
    guint8 a[16];
    char back[INET6_ADDRSTRLEN];
    int af = strchr (h->ip, ':') ? AF_INET6 : AF_INET;
    FUZZ_ASSERT (inet_pton (af, h->ip, a) == 1);
    FUZZ_ASSERT (inet_ntop (af, a, back, sizeof back) != NULL);
    FUZZ_ASSERT (strcmp (back, h->ip) == 0);
  }
  const char *host = usc_received_hop_host (h);
  if (host) {
    FUZZ_ASSERT (host == h->rdns || host == h->helo);
    FUZZ_ASSERT (host[0] != '[');
  }
}

/* Is @h internal by @in's rules (as usc_received_first_external reads them)? */
static gboolean
internal_hop (const UscInternal *in, const UscReceivedHop *h)
{
  if (h->ip && usc_internal_ip (in, h->ip))
    return TRUE;
  const char *name = usc_received_hop_host (h);
  return name && usc_internal_host (in, name);
}

int
FUZZ_ENTRY (received) (const uint8_t *data, size_t size)
{
  fuzz_init ();
  char *text = fuzz_strdup (data, size);
  char *nl = strchr (text, '\n');
  if (nl)
    *nl = '\0';
  /* the internal specs */
  char **specs = g_strsplit_set (text, " ,\t", 64);
  UscInternal *in = usc_internal_new ((const char *const *) specs);
  for (char **s = specs; *s; s++) {
    (void) usc_internal_add (in, *s);
    (void) usc_internal_ip (in, *s);
    (void) usc_internal_host (in, *s);
  }
  /* the chain: one value per line, folded lines joined */
  GPtrArray *values = g_ptr_array_new_with_free_func (g_free);
  GString *block = g_string_new (NULL);
  if (nl) {
    char **lines = g_strsplit (nl + 1, "\n", 200);
    for (char **l = lines; *l; l++) {
      if ((**l == ' ' || **l == '\t') && values->len > 0) {
        char *joined = g_strconcat (values->pdata[values->len - 1], "\n", *l, NULL);
        g_free (values->pdata[values->len - 1]);
        values->pdata[values->len - 1] = joined;
      } else
        g_ptr_array_add (values, g_strdup (*l));
      g_string_append_printf (block, "%s%s\n", (**l == ' ' || **l == '\t') && block->len ? "" : "Received: ", *l);
    }
    g_strfreev (lines);
  }
  g_ptr_array_add (values, NULL);
  guint parsed = 0;
  for (guint i = 0; values->pdata[i]; i++) {
    UscReceivedHop h;
    if (usc_received_parse (values->pdata[i], &h)) {
      parsed++;
      check_hop (&h);
    } else
      FUZZ_ASSERT (h.helo == NULL && h.rdns == NULL && h.ip == NULL && h.by == NULL);
    usc_received_hop_clear (&h);
  }
  UscReceivedHop first;
  gboolean found = usc_received_first_external ((const char *const *) values->pdata, in, &first);
  if (found) {
    FUZZ_ASSERT (parsed > 0);
    check_hop (&first);
    FUZZ_ASSERT (first.ip || usc_received_hop_host (&first));
    FUZZ_ASSERT (!internal_hop (in, &first));
  }
  /* The same chain as a message's header block (what classify reads). */
  g_string_append (block, "Subject: x\n\nbody\n");
  GMimeStream *stream = g_mime_stream_mem_new_with_buffer (block->str, block->len);
  GMimeParser *parser = g_mime_parser_new_with_stream (stream);
  GMimeMessage *msg = g_mime_parser_construct_message (parser, NULL);
  if (msg) {
    UscReceivedHop second;
    if (usc_received_first_external_of (msg, in, &second)) {
      check_hop (&second);
      FUZZ_ASSERT (!internal_hop (in, &second));
    }
    usc_received_hop_clear (&second);
    g_object_unref (msg);
  }
  g_object_unref (parser);
  g_object_unref (stream);
  usc_received_hop_clear (&first);
  g_string_free (block, TRUE);
  g_ptr_array_unref (values);
  usc_internal_free (&in);
  g_strfreev (specs);
  g_free (text);
  return 0;
}
