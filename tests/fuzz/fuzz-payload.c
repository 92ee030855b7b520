/* fuzz-payload.c — libFuzzer harness: the payload sniffer (usc-payload.h)
 * on arbitrary bytes: the signature table, scripts, HTML, PDF names and
 * streams, OLE directories, and the zip / RAR / cab / gzip / tar / ISO /
 * FAT readers. The first byte picks a declared type and a file name, so
 * that the name and mismatch rules run too. Properties: a found type
 * always, the member list bounded and counted, the description valid
 * UTF-8.
 */
#include "fuzz-common.h"
#include "usc-payload.h"

int FUZZ_ENTRY (payload) (const uint8_t *data, size_t size);

int
FUZZ_ENTRY (payload) (const uint8_t *data, size_t size)
{
  static const char *const declared[] = { NULL, "application/octet-stream", "text/plain", "application/pdf",
                                          "application/zip", "message/rfc822" };
  static const char *const names[] = { NULL, "invoice.txt", "a.pdf", "x.zip", "setup.exe", "doc.docx", "i.iso" };
  fuzz_init ();
  guint8 pick = size ? data[0] : 0;
  const uint8_t *d = size ? data + 1 : data;
  size_t n = size ? size - 1 : 0;
  /* an exact-size copy, so that ASan sees any read past the end */
  guint8 *copy = n ? g_memdup2 (d, n) : g_malloc (1);
  UscPayload *p = usc_payload_sniff (copy, n, declared[pick % G_N_ELEMENTS (declared)],
                                     names[(pick / 8) % G_N_ELEMENTS (names)]);
  FUZZ_ASSERT (p != NULL && p->found_type != NULL);
  if (p->members) {
    FUZZ_ASSERT (p->members->len <= USC_PAYLOAD_MAX_MEMBERS);
    FUZZ_ASSERT (p->members_total >= p->members->len);
    for (guint i = 0; i < p->members->len; i++)
      FUZZ_ASSERT (g_utf8_validate (((UscPayloadMember *) p->members->pdata[i])->name, -1, NULL));
  }
  char *s = usc_payload_describe (p);
  FUZZ_ASSERT (g_utf8_validate (s, -1, NULL));
  g_free (s);
  usc_payload_free (&p);
  FUZZ_ASSERT (p == NULL);
  g_free (copy);
  return 0;
}
