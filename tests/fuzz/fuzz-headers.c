/* fuzz-headers.c — libFuzzer harness: the embedded-message / header-block
 * parser used for text/rfc822-headers parts, message/rfc822 copies and
 * inline copies (usc_mime_parse_embedded), then the decoded content of each
 * part of what it returns (usc_mime_part_content / usc_mime_part_text).
 */
#include "fuzz-common.h"
#include "usc-message.h"

int FUZZ_ENTRY (headers) (const uint8_t *data, size_t size);

static void
visit (GMimeObject *parent G_GNUC_UNUSED, GMimeObject *part, gpointer user G_GNUC_UNUSED)
{
  if (!GMIME_IS_PART (part))
    return;
  GByteArray *b = usc_mime_part_content (part, 1 << 20);
  if (b)
    g_byte_array_unref (b);
  char *t = usc_mime_part_text (part, 1 << 20);
  if (t)
    FUZZ_ASSERT (g_utf8_validate (t, -1, NULL));
  g_free (t);
}

int
FUZZ_ENTRY (headers) (const uint8_t *data, size_t size)
{
  fuzz_init ();
  GMimeMessage *m = usc_mime_parse_embedded (data, size, NULL);
  if (!m)
    return 0;
  (void) g_mime_message_get_message_id (m);
  (void) g_mime_message_get_subject (m);
  g_mime_message_foreach (m, visit, NULL);
  g_object_unref (m);
  return 0;
}
