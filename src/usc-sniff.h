/* usc-sniff.h — libmagic: what an attached payload really is, whatever its
 * Content-Type claims. The magic database is loaded lazily, once per process.
 */
#ifndef USC_SNIFF_H
#define USC_SNIFF_H

#include <glib.h>
#include "usc-common.h"

G_BEGIN_DECLS

/* MIME type of @len bytes at @data as libmagic sees it ("application/x-dosexec"),
 * from at most the first 64 KB. Returns a newly allocated string, or NULL
 * with @error when libmagic is unusable. */
char *usc_sniff_type (const void *data, gsize len, GError **error);

/* TRUE when @mime_type (as returned by usc_sniff_type) or @filename's
 * extension names an executable or script (PE, ELF, Mach-O, shell, JS, VBS,
 * .exe .scr .pif .bat .cmd .com .js .vbs .jar .lnk ...). Either may be NULL. */
gboolean usc_sniff_is_executable (const char *mime_type, const char *filename);

G_END_DECLS
#endif
