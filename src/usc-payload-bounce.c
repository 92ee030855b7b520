/* usc-payload-bounce.c — the bounce analysis' use of the payload sniffer:
 * each part the walk set aside (usc-bounce-walk.c) is sniffed once the
 * message is known to be a bounce (ordinary mail never pays for it), and
 * what was found goes into the UscBounce (payloads, payload_types,
 * executable).
 */
#include "config.h"
#include "usc-bounce-private.h"
#include "usc-payload.h"

void
usc_sniff_payload (UscBounce *b, GMimeObject *part)
{
  UscPayload *p = usc_payload_of_part (part);
  if (p == NULL)
    return;
  if (p->executable)
    b->executable = TRUE;
  usc_ptr_array_add_unique (b->payload_types, g_strdup (p->found_type), TRUE);
  g_ptr_array_add (b->payloads, p);
}
