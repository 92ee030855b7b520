/* ext-unscatter-common.h — what the files of the vnd.unscatter extension
 * share: the extension, its tests and command, their operations, the
 * per-user context and the per-message outcome.
 */
#ifndef EXT_UNSCATTER_COMMON_H
#define EXT_UNSCATTER_COMMON_H

#include "lib.h"
#include "sieve-common.h"

struct unscatter_glue_user;

/* The extension (ext-unscatter.c). */
extern const struct sieve_extension_def unscatter_extension;

/* Tests and command. */
extern const struct sieve_command_def tst_backscatter;
extern const struct sieve_command_def tst_bounce;
extern const struct sieve_command_def cmd_unscatter_record;

/* Operations, in the order of their codes. */
enum ext_unscatter_opcode {
	EXT_UNSCATTER_OPERATION_BACKSCATTER,
	EXT_UNSCATTER_OPERATION_BOUNCE,
	EXT_UNSCATTER_OPERATION_RECORD,
};
extern const struct sieve_operation_def tst_backscatter_operation;
extern const struct sieve_operation_def tst_bounce_operation;
extern const struct sieve_operation_def cmd_unscatter_record_operation;

/* Per Sieve instance, which Dovecot makes per user (per delivery in LMTP,
 * per session in IMAP): the user's library context, got on first use from
 * the settings unscatter_config and unscatter_record, given back when the
 * extension is unloaded with the instance (the glue keeps it for the same
 * user's next delivery: unscatter_glue_user_get()). */
struct ext_unscatter_context {
	struct unscatter_glue_user *user;
};

/* The verdict on the message being processed, computed once per message
 * (the first test that asks) and shared by every later test, in the
 * message context's pool. */
struct ext_unscatter_message {
	bool classified;      /* false: an internal failure; every test is false */
	bool is_bounce, is_backscatter;
	const char *kind, *verdict;
};

/* The outcome for the current message (never NULL). */
const struct ext_unscatter_message *
ext_unscatter_get_message(const struct sieve_runtime_env *renv,
			  const struct sieve_extension *ext);

/* The user's library context (never NULL). */
struct unscatter_glue_user *
ext_unscatter_get_user(const struct sieve_extension *ext);

/* Read the current message (or only its header block, with the empty line
 * that ends it, when @header_only) into a new buffer of the system pool
 * (*@buf_r: free it with buffer_free()), up to @max bytes (0: no limit); a
 * longer message is read as @max + 1 bytes. Returns 0, or -1 with *@error_r
 * (and *@buf_r NULL). */
int ext_unscatter_read_message(const struct sieve_runtime_env *renv, bool header_only,
			       size_t max, buffer_t **buf_r, const char **error_r);

/* The same as the glue's reader (unscatter_glue_reader_t): the glue asks
 * for the message once the user's context is good, with the user's size
 * limit; the buffer stays in the reader until ext_unscatter_reader_clear(). */
struct ext_unscatter_reader {
	const struct sieve_runtime_env *renv;
	bool header_only;
	buffer_t *buf;
};
int ext_unscatter_reader_read(void *context, size_t max, const void **data_r,
			      size_t *size_r, const char **error_r);
void ext_unscatter_reader_clear(struct ext_unscatter_reader *reader);

#endif
