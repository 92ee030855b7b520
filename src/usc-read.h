/* usc-read.h — read all of a file descriptor into memory (usc-read.c).
 * Part of the message-reading API: included by usc-message.h. */
#ifndef USC_READ_H
#define USC_READ_H

#include <glib.h>

G_BEGIN_DECLS

/* Read all of @fd (pipes too) into memory. At most @max_bytes (0: no limit),
 * else USC_ERROR_LIMIT; USC_ERROR_IO on a read error or when memory runs out
 * (never an abort). Returns new bytes (the caller's), or NULL with @error.
 * Front ends that must pass a message on whatever happens (filter, deliver)
 * read with this and then call usc_message_new_from_bytes(), so that the raw
 * bytes are still theirs when the message is refused. */
GBytes *usc_read_all (int fd, gsize max_bytes, GError **error);

G_END_DECLS
#endif
