/* usc-batv.h — BATV prvs signing and verification, compatible with Exim's
 * ${prvs} / ${prvscheck} (draft-levine-smtp-batv-01):
 *   prvs=KDDDHHHHHH=local@domain   and   local+prvs=KDDDHHHHHH@domain
 * K key number 0-9; DDD (days since epoch + 7) mod 1000; HHHHHH first 3 bytes
 * (lower-case hex) of HMAC-SHA1(secret, "K" "DDD" "local@domain").
 */
#ifndef USC_BATV_H
#define USC_BATV_H

#include <glib.h>
#include "usc-common.h"

G_BEGIN_DECLS

typedef struct _UscBatvKeys UscBatvKeys;

/* Load a keys file: one "K:secret" per line (K 0-9, secret 1-64 bytes), '#'
 * comments; the first key signs, all verify. Refuses (USC_ERROR_UNSAFE) a file
 * readable or writable by group or others. Returns NULL with @error on failure. */
UscBatvKeys *usc_batv_keys_load (const char *path, GError **error);

/* An empty key set; add keys with usc_batv_keys_add (first added signs). */
UscBatvKeys *usc_batv_keys_new (void);
gboolean usc_batv_keys_add (UscBatvKeys *keys, int number, const char *secret, GError **error);
guint usc_batv_keys_count (const UscBatvKeys *keys);
/* The number of the signing key (the first one added), -1 when there is none. */
int usc_batv_keys_signing_number (const UscBatvKeys *keys);
/* The secret of key @number (borrowed from @keys), NULL when absent. For
 * other HMACs under the same keys (usc-sign.c). */
const char *usc_batv_keys_secret (const UscBatvKeys *keys, int number);
void usc_batv_keys_free (UscBatvKeys **keys);

/* A new random secret (32 lower-case hex characters); newly allocated. */
char *usc_batv_keygen_secret (void);

typedef enum {
  USC_BATV_NONE = 0,   /* the address carries no tag */
  USC_BATV_VALID,
  USC_BATV_BAD_HASH,
  USC_BATV_EXPIRED,    /* expiry day in the past */
  USC_BATV_FUTURE,     /* expiry more than 8 days ahead: forged or wrapped */
  USC_BATV_NO_KEY,     /* no key with that number */
  USC_BATV_MALFORMED   /* looks like prvs but is not well-formed */
} UscBatvStatus;

typedef struct {
  UscBatvStatus status;
  char *tag;        /* the tagged address as found, or NULL */
  char *address;    /* the untagged local@domain, or NULL */
  int   key_number; /* -1 when unknown */
  int   day;        /* DDD, -1 when unknown */
} UscBatvResult;

/* "none", "valid", "bad hash", "expired", "expiry too far ahead", "unknown key number", "malformed tag" (static). */
const char *usc_batv_status_reason (UscBatvStatus status);

/* Sign @address (local@domain) with key @key_number (-1: the signing key) for
 * the day containing @now (seconds since epoch). Returns "prvs=KDDDHHHHHH=local@domain"
 * (newly allocated) or NULL with @error: USC_ERROR_CONFIG when @keys is NULL or
 * empty or has no key @key_number, USC_ERROR_INVALID for a key number outside
 * -1..9, an address that is not local@domain (split at the last '@'), holds
 * blanks, control characters or angle brackets, or is already tagged. */
char *usc_batv_sign (const UscBatvKeys *keys, int key_number, const char *address,
                     gint64 now, GError **error);

/* Verify @tagged (either form; case-insensitive prefix) at time @now and fill
 * @result (clear with usc_batv_result_clear). Returns result->status. @keys may
 * be NULL (then any tag is USC_BATV_NO_KEY). Hashes are compared in constant time.
 * The bad-hash check comes before the expiry check. Valid means the expiry day
 * DDD is today .. today+8 (mod 1000); see usc-batv.c for the exact rule. */
UscBatvStatus usc_batv_verify (const UscBatvKeys *keys, const char *tagged,
                               gint64 now, UscBatvResult *result);

void usc_batv_result_clear (UscBatvResult *result);

/* TRUE when @address (angle brackets and blanks allowed around it) carries a
 * BATV tag in either form, well-formed or not (verify would not say NONE).
 * usc_batv_sign refuses such an address (USC_ERROR_INVALID). */
gboolean usc_batv_is_tagged (const char *address);

G_END_DECLS
#endif
