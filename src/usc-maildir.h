/* usc-maildir.h — Maildir delivery done right: write to tmp/, fsync, link or
 * rename into new/, fsync the directory; unique names; Maildir++ folders
 * (".Folder" with its "maildirfolder" file) created on demand.
 */
#ifndef USC_MAILDIR_H
#define USC_MAILDIR_H

#include <glib.h>
#include "usc-common.h"

G_BEGIN_DECLS

/* Deliver the concatenation of @n_chunks byte ranges to @maildir (created with
 * tmp/ new/ cur/ when missing), or to its Maildir++ folder @folder ("Backscatter"
 * -> DIR/.Backscatter/) when @folder is non-NULL. On success returns 0 and,
 * when @path_r is non-NULL, the final file name (newly allocated). On any
 * failure returns -1 with @error, and nothing is left in new/. */
int usc_maildir_deliver (const char *maildir, const char *folder,
                         const GBytes *const *chunks, guint n_chunks,
                         char **path_r, GError **error);

/* Make sure @maildir (and @folder under it, if non-NULL) exist as Maildirs. 0 / -1. */
int usc_maildir_ensure (const char *maildir, const char *folder, GError **error);

G_END_DECLS
#endif
