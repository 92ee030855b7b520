/* usc-sign.h — a signed header on what the user sends, so that a bounce
 * which returns the original's header proves itself without a record:
 *
 *   X-Unscatter-Sig: v=1; k=K; t=DAY; h=HASH
 *
 * K the key number (0-9, the BATV keys file's format), DAY the signing day
 * (days since 1970-01-01 UTC), HASH the first 16 bytes, lower-case hex (32
 * characters), of HMAC-SHA256(secret, "v=1\nk=K\nt=DAY\n" MID "\n" DATE "\n"
 * FROM "\n" RCPT) over the canonical forms of the signed fields (see
 * usc-sign.c). Keys: a UscBatvKeys (usc-batv.h; the first key signs).
 */
#ifndef USC_SIGN_H
#define USC_SIGN_H

#include <glib.h>
#include "usc-batv.h"

G_BEGIN_DECLS

#define USC_SIGN_FIELD "X-Unscatter-Sig"

/* The signed fields as they appear in a header (unfolded values; borrowed;
 * NULL when absent). */
typedef struct {
  const char *message_id;
  const char *date;
  const char *from;
  const char *to;   /* the first recipient: To's first mailbox, else Cc's */
  const char *cc;
} UscSignFields;

/* The field value for @fields signed with key @key_number (-1: the signing
 * key) on the day of @now. Newly allocated; NULL with @error
 * (USC_ERROR_CONFIG: no such key; USC_ERROR_INVALID: no Message-ID or no
 * From, which a signature must cover). */
char *usc_sign_value (const UscBatvKeys *keys, int key_number, const UscSignFields *fields,
                      gint64 now, GError **error);

typedef enum {
  USC_SIGN_NONE = 0,  /* no signature */
  USC_SIGN_VALID,
  USC_SIGN_BAD_HASH,  /* forged, or a signed field was changed */
  USC_SIGN_EXPIRED,   /* older than the allowed age */
  USC_SIGN_FUTURE,    /* signed more than a day ahead */
  USC_SIGN_NO_KEY,    /* no key with that number (any more) */
  USC_SIGN_MALFORMED  /* not v=1; k=; t=; h= */
} UscSignStatus;

/* "none", "valid", "bad hash", "expired", "dated in the future",
 * "unknown key number", "malformed" (static). */
const char *usc_sign_status_reason (UscSignStatus status);

/* Verify the field value @value against @fields at @now: valid when the
 * hash matches (compared in constant time) and the day is within
 * [today - @max_age_days, today + 1]. The key number and day go to
 * @key_r / @day_r (may be NULL; -1 when unknown). @value NULL: NONE. */
UscSignStatus usc_sign_verify (const UscBatvKeys *keys, const char *value,
                               const UscSignFields *fields, gint64 now, guint max_age_days,
                               int *key_r, gint64 *day_r);

/* A fresh Message-ID "<TIME.RANDOM@DOMAIN>" (TIME base-36 seconds, RANDOM 16
 * random bytes as 26 base-32 characters, GLib's random source); @domain NULL
 * or empty: the host name when it holds a dot, else "localhost.invalid".
 * Newly allocated. */
char *usc_sign_message_id (const char *domain);

G_END_DECLS
#endif
