/* fuzz-filter.c — libFuzzer harness: the `filter` path, input bytes ->
 * output bytes, through the library calls cmd-filter.c makes
 * (usc_message_new_in_place, usc_bounce_analyze, usc_envelope_find,
 * usc_verdict_decide without a record, usc_verdict_header_block,
 * usc_message_raw_bytes), then the
 * output cmd-filter.c writes: the input with the two fields inserted after
 * a leading mbox "From " line and any lines continuing no field (else at the
 * top) and nothing else changed. Asserts that
 * the fields are X-Unscatter-Verdict then X-Unscatter-Reason, printable
 * ASCII, each physical line ending in the message's line ending, folded
 * lines (RFC 5322 section 2.2.3) starting with a blank.
 */
#include "fuzz-common.h"
#include <string.h>
#include "fuzz-classify.h"

int FUZZ_ENTRY (filter) (const uint8_t *data, size_t size);

/* Check the added block @f (@n bytes, lines ending in @eol). */
static void
check_fields (const char *f, gsize n, const char *eol)
{
  gsize el = strlen (eol);
  guint fields = 0;
  gsize i = 0;
  FUZZ_ASSERT (n > 0);
  while (i < n) {
    const char *line = f + i;
    const char *end = g_strstr_len (line, n - i, eol);
    FUZZ_ASSERT (end != NULL);           /* every line ends in the message's EOL */
    gsize len = end - line;
    FUZZ_ASSERT (len > 0 && len <= 998); /* RFC 5322 line length */
    for (gsize k = 0; k < len; k++)
      FUZZ_ASSERT ((line[k] >= 0x20 && line[k] < 0x7f) || line[k] == '\t');
    if (line[0] == ' ' || line[0] == '\t')
      FUZZ_ASSERT (fields > 0);          /* a continuation of a field of ours */
    else {
      fields++;
      if (fields == 1)
        FUZZ_ASSERT (g_str_has_prefix (line, "X-Unscatter-Verdict: "));
      else
        FUZZ_ASSERT (fields == 2 && g_str_has_prefix (line, "X-Unscatter-Reason: "));
    }
    i += len + el;
  }
  FUZZ_ASSERT (fields == 2);
}

int
FUZZ_ENTRY (filter) (const uint8_t *data, size_t size)
{
  fuzz_init ();
  FuzzClassified c;
  if (!fuzz_classify_with (data, size, TRUE, &c)) { /* filter passes such input on unchanged */
    fuzz_classified_clear (&c);
    return 0;
  }
  char *block = usc_verdict_header_block (c.verdict, c.bounce);
  const char *eol = c.msg->raw_eol ? c.msg->raw_eol : "\n";
  /* What cmd-filter.c writes: the raw bytes up to where added fields go
   * (usc_message_fields_offset: after a leading mbox "From " line and any
   * lines that continue no field), the block in the message's line ending
   * (usc_result_header_fields), the rest of the raw bytes. */
  gsize at = usc_message_fields_offset (data, size);
  GString *f = g_string_new (NULL);
  for (const char *p = block; *p; p++)
    if (*p == '\n')
      g_string_append (f, eol);
    else
      g_string_append_c (f, *p);
  /* the bytes written out: exactly those read (CRLF input parsed in place
   * has its CRs back) */
  GBytes *raw = usc_message_raw_bytes (c.msg);
  gsize rlen;
  const char *r = g_bytes_get_data (raw, &rlen);
  FUZZ_ASSERT (rlen == size && (size == 0 || memcmp (r, data, size) == 0));
  g_bytes_unref (raw);
  check_fields (f->str, f->len, eol);
  /* What follows must not continue our last field (a message whose first
   * line is a continuation line would extend X-Unscatter-Reason). */
  if (at < size)
    FUZZ_ASSERT (data[at] != ' ' && data[at] != '\t');
  g_string_free (f, TRUE);
  g_free (block);
  fuzz_classified_clear (&c);
  return 0;
}
