/* usc-maildir.h — Maildir delivery done right: write to tmp/, fsync, link or
 * rename into new/, fsync the directory; unique names; Maildir++ folders
 * (".Folder" with its "maildirfolder" file) created on demand.
 */
#ifndef USC_MAILDIR_H
#define USC_MAILDIR_H

#include <glib.h>
#include "usc-common.h"

G_BEGIN_DECLS

/* The longest Maildir++ folder name accepted, in bytes (the directory's
 * name is this plus the leading dot, well below NAME_MAX). */
#define USC_MAILDIR_FOLDER_MAX 200

/* TRUE when @name is a folder name usc_maildir_deliver() accepts (without
 * leading dots): not empty, at most USC_MAILDIR_FOLDER_MAX bytes, valid
 * UTF-8, no '/', no "..", no control characters, not starting or ending with
 * '.'. Else FALSE and, when @why_r is non-NULL, a static reason ("must not
 * ..."). The one place the rule lives (the config checks with it too). */
gboolean usc_maildir_folder_valid (const char *name, const char **why_r);

/* Deliver the concatenation of @n_chunks byte ranges to @maildir (created with
 * tmp/ new/ cur/ when missing), or to its Maildir++ folder @folder ("Backscatter"
 * -> DIR/.Backscatter/) when @folder is non-NULL. On success returns 0 and,
 * when @path_r is non-NULL, the final file name (newly allocated). On any
 * failure returns -1 with @error, and nothing is left in new/: USC_ERROR_UNSAFE
 * when a symlink (or a non-directory) sits where tmp/, new/, cur/, the folder
 * or its maildirfolder file should be (it is never followed),
 * USC_ERROR_INVALID for a bad folder name, USC_ERROR_IO otherwise. */
int usc_maildir_deliver (const char *maildir, const char *folder,
                         const GBytes *const *chunks, guint n_chunks,
                         char **path_r, GError **error);

/* Make sure @maildir (and @folder under it, if non-NULL) exist as Maildirs. 0 / -1. */
int usc_maildir_ensure (const char *maildir, const char *folder, GError **error);

G_END_DECLS
#endif
