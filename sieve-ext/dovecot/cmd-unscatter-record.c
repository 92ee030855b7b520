/* cmd-unscatter-record.c — the command `unscatter_record` of vnd.unscatter.
 *
 * Syntax:
 *   unscatter_record
 *
 * Adds the current message (its Message-ID, recipients and date, read from
 * its header as `unscatter record` does) to the user's record of sent mail.
 * Meant for an imapsieve script on the Sent folder, so that what the user's
 * mail client saves there (IMAP APPEND or COPY) is recorded at once. A
 * failure is logged and changes nothing else: the script goes on.
 */
#include "lib.h"

#include "sieve-common.h"
#include "sieve-commands.h"
#include "sieve-code.h"
#include "sieve-generator.h"
#include "sieve-interpreter.h"
#include "sieve-dump.h"

#include "ext-unscatter-common.h"
#include "unscatter-glue.h"

static bool cmd_unscatter_record_generate(const struct sieve_codegen_env *cgenv,
					  struct sieve_command *cmd);

const struct sieve_command_def cmd_unscatter_record = {
	.identifier = "unscatter_record",
	.type = SCT_COMMAND,
	.positional_args = 0,
	.subtests = 0,
	.block_allowed = FALSE,
	.block_required = FALSE,
	.generate = cmd_unscatter_record_generate,
};

static int cmd_unscatter_record_operation_execute(const struct sieve_runtime_env *renv,
						  sieve_size_t *address);

const struct sieve_operation_def cmd_unscatter_record_operation = {
	.mnemonic = "UNSCATTER_RECORD",
	.ext_def = &unscatter_extension,
	.code = EXT_UNSCATTER_OPERATION_RECORD,
	.execute = cmd_unscatter_record_operation_execute,
};

static bool cmd_unscatter_record_generate(const struct sieve_codegen_env *cgenv,
					  struct sieve_command *cmd)
{
	sieve_operation_emit(cgenv->sblock, cmd->ext, &cmd_unscatter_record_operation);
	return TRUE;
}

static int cmd_unscatter_record_operation_execute(const struct sieve_runtime_env *renv,
						  sieve_size_t *address ATTR_UNUSED)
{
	struct unscatter_glue_user *user = ext_unscatter_get_user(renv->oprtn->ext);
	char *gerror = NULL;
	int ret;

	sieve_runtime_trace(renv, SIEVE_TRLVL_COMMANDS, "unscatter_record command");
	/* The header is all a record entry needs; the size bound is the
	   library's for the whole message. */
	struct ext_unscatter_reader reader = { .renv = renv, .header_only = TRUE };
	ret = unscatter_glue_record(user, ext_unscatter_reader_read, &reader, &gerror);
	ext_unscatter_reader_clear(&reader);
	if (ret < 0) {
		e_error(renv->event, "unscatter_record: %s; nothing recorded", gerror);
		unscatter_glue_free(gerror);
	} else {
		e_info(renv->event, "unscatter_record: %s %s",
		       ret > 0 ? "recorded in" : "already in (or nothing to record)",
		       unscatter_glue_record_path(user));
	}
	return SIEVE_EXEC_OK;
}
