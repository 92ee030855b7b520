/* usc-common.h — shared error domain, limits and small helpers of libunscatter.
 *
 * The library never prints and never exits: every failure is reported with a
 * GError in USC_ERROR and a -1 / NULL return; only the command front ends map
 * results to exit codes.
 */
#ifndef USC_COMMON_H
#define USC_COMMON_H

#include <glib.h>

G_BEGIN_DECLS

#define USC_ERROR (usc_error_quark ())
GQuark usc_error_quark (void);

typedef enum {
  USC_ERROR_IO,        /* read/write failure (errno-like; temporary) */
  USC_ERROR_LIMIT,     /* a configured limit was exceeded (size, headers, depth, time) */
  USC_ERROR_PARSE,     /* the input is not a message we can use */
  USC_ERROR_TEMPFAIL,  /* try again later: lock timeout, busy database */
  USC_ERROR_CORRUPT,   /* a database or key file is damaged */
  USC_ERROR_CONFIG,    /* bad configuration or key file */
  USC_ERROR_INVALID,   /* bad argument */
  USC_ERROR_UNSAFE     /* refused for safety (e.g. a key file readable by others) */
} UscErrorCode;

/* Lower-case ASCII copy of @s (NULL -> NULL). Returns a newly allocated string. */
char *usc_ascii_lower (const char *s);

/* Strip surrounding white space, angle brackets and a "mailto:" prefix from a
 * Message-ID or address; returns a newly allocated string or NULL when what
 * remains is empty or implausible (no '@' for a Message-ID when @need_at). */
char *usc_strip_angle (const char *s, gboolean need_at);

/* Append @s to @arr (a GPtrArray of owned char*) unless an equal string
 * (compared ASCII case-insensitively when @nocase) is already there.
 * Takes ownership of @s in every case. Returns TRUE when it was added. */
gboolean usc_ptr_array_add_unique (GPtrArray *arr, char *s, gboolean nocase);

/* usc_ptr_array_add_unique() in time independent of @arr's length: *@index_r
 * is a hash index of @arr's strings (created on first use; it does not own
 * them: they belong to @arr). Order is first insertion, as in @arr. Every
 * string of @arr must be added through this function with the same
 * @index_r and @nocase, and none removed, while the index lives; the caller
 * frees it with g_hash_table_unref() (or g_clear_pointer). Takes ownership of
 * @s in every case. Returns TRUE when it was added. */
gboolean usc_ptr_array_add_unique_indexed (GPtrArray *arr, GHashTable **index_r, char *s, gboolean nocase);
/* A copy of @len bytes at @s (@len -1: up to the NUL) that is safe to show a
 * human on a terminal or in a log line: printable UTF-8 is kept as it is;
 * CR, LF and TAB become \r, \n, \t (a backslash and a letter); every
 * other C0 control (NUL, BEL, ESC, ...) and DEL become \xNN, as does each byte of an
 * invalid UTF-8 sequence; C1 controls (U+0080-U+009F), the bidirectional
 * overrides and isolates (U+200E, U+200F, U+202A-U+202E, U+2066-U+2069), the
 * line and paragraph separators (U+2028, U+2029) and U+FEFF become
 * \u{XXXX}. A backslash is left alone (the result is for reading, not
 * for reversing). @s NULL gives "". Returns a newly allocated string. */
char *usc_display_escape (const char *s, gssize len);

/* Monotonic clock in microseconds (g_get_monotonic_time). */
gint64 usc_now_monotonic (void);

/* Wall clock in seconds since the epoch; honours $UNSCATTER_NOW (seconds, for
 * tests) when set. */
gint64 usc_now (void);

G_END_DECLS
#endif
