/* usc-received.h — the Received chain of a message (RFC 5321 section 4.4,
 * RFC 5322 section 3.6.7): parse one trace field and find the first external
 * relay, the server outside the user's own hosts that handed the message in.
 *
 * "External" (see doc/decisions.md, "The report"): a hop is internal when
 * the IP it came from is private, loopback, link-local, CGNAT or
 * unspecified (built-in table), or inside a prefix the caller names, or when
 * its host name (the name the receiving server looked up, else the HELO) is
 * one of the caller's domains or below one. The documentation ranges
 * (192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24, 2001:db8::/32) are public
 * addresses here, since they stand for public hosts in examples and tests.
 */
#ifndef USC_RECEIVED_H
#define USC_RECEIVED_H

#include <glib.h>
#include <gmime/gmime.h>

G_BEGIN_DECLS

/* One hop: what its "from" clause says. Every member is owned, NULL when
 * absent; names are lower-case without a trailing dot, the IP in canonical
 * form (inet_ntop), every string at most 255 bytes. */
typedef struct {
  char *helo;  /* the name the sender gave (HELO/EHLO), or its address literal */
  char *rdns;  /* the name the receiving server found for the IP, or NULL ("unknown") */
  char *ip;    /* the sending IP, v4 or v6 */
  char *by;    /* the receiving host */
} UscReceivedHop;

/* Parse one Received field's value (folded or not). TRUE when it has a
 * "from" clause (*@hop filled); FALSE (*@hop empty) for a field without
 * one ("by host with LMTP", "(qmail invoked by uid 0)", garbage). Never
 * fails on hostile input. Clear with usc_received_hop_clear(). */
gboolean usc_received_parse (const char *value, UscReceivedHop *hop);
void usc_received_hop_clear (UscReceivedHop *hop);

/* The host to show for @hop: the rDNS name, else the HELO name when it is a
 * host name (not an address literal), else NULL. Borrowed from @hop. */
const char *usc_received_hop_host (const UscReceivedHop *hop);

/* The user's own hosts. */
typedef struct _UscInternal UscInternal;

/* From @specs (NULL-terminated; may be NULL): each a domain ("example.org":
 * itself and every name below it), an address ("192.0.2.10") or a prefix
 * ("192.0.2.0/24", "2001:db8:1::/48"). Items that are none of these are
 * ignored. Free with usc_internal_free(). */
UscInternal *usc_internal_new (const char *const *specs);
/* Add one spec as above; FALSE when it is none of them. */
gboolean usc_internal_add (UscInternal *internal, const char *spec);
void usc_internal_free (UscInternal **internal);

/* Is @ip (text form) internal: in the built-in private table or a prefix
 * of @internal (may be NULL)? FALSE for what is not an address. */
gboolean usc_internal_ip (const UscInternal *internal, const char *ip);
/* Is the host name @host one of @internal's domains or below one? */
gboolean usc_internal_host (const UscInternal *internal, const char *host);

/* The first external relay among @values, the Received field values newest
 * (topmost) first, NULL-terminated: walking down, hops without a "from"
 * clause and hops with neither an IP nor a dotted host name are passed
 * over, internal hops (see above: an internal IP, or an internal name —
 * the rDNS name, else the HELO) are passed over, and the first other hop is
 * it. At most 64
 * fields are looked at. TRUE with *@hop_r filled (clear it), FALSE when
 * the chain has no external hop. */
gboolean usc_received_first_external (const char *const *values, const UscInternal *internal,
                                      UscReceivedHop *hop_r);

/* The same over @msg's top-level Received fields (borrowed). */
gboolean usc_received_first_external_of (GMimeMessage *msg, const UscInternal *internal,
                                         UscReceivedHop *hop_r);

G_END_DECLS
#endif
