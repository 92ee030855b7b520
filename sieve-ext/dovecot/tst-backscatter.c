/* tst-backscatter.c — the test `backscatter` of vnd.unscatter.
 *
 * Syntax:
 *   backscatter
 *
 * True when unscatter's verdict on the message is backscatter: a bounce,
 * auto-reply, challenge or virus notice for mail the user never sent. False
 * for everything else, and whenever the message could not be judged (the
 * reason is logged): the message is then kept.
 */
#include "lib.h"

#include "sieve-common.h"
#include "sieve-commands.h"
#include "sieve-code.h"
#include "sieve-generator.h"
#include "sieve-interpreter.h"
#include "sieve-dump.h"

#include "ext-unscatter-common.h"

static bool tst_backscatter_generate(const struct sieve_codegen_env *cgenv,
				     struct sieve_command *tst);

const struct sieve_command_def tst_backscatter = {
	.identifier = "backscatter",
	.type = SCT_TEST,
	.positional_args = 0,
	.subtests = 0,
	.block_allowed = FALSE,
	.block_required = FALSE,
	.generate = tst_backscatter_generate,
};

static int tst_backscatter_operation_execute(const struct sieve_runtime_env *renv,
					     sieve_size_t *address);

const struct sieve_operation_def tst_backscatter_operation = {
	.mnemonic = "BACKSCATTER",
	.ext_def = &unscatter_extension,
	.code = EXT_UNSCATTER_OPERATION_BACKSCATTER,
	.execute = tst_backscatter_operation_execute,
};

static bool tst_backscatter_generate(const struct sieve_codegen_env *cgenv,
				     struct sieve_command *tst)
{
	sieve_operation_emit(cgenv->sblock, tst->ext, &tst_backscatter_operation);
	return TRUE;
}

static int tst_backscatter_operation_execute(const struct sieve_runtime_env *renv,
					     sieve_size_t *address ATTR_UNUSED)
{
	const struct ext_unscatter_message *emsg =
		ext_unscatter_get_message(renv, renv->oprtn->ext);
	bool result = emsg->classified && emsg->is_backscatter;

	sieve_runtime_trace(renv, SIEVE_TRLVL_TESTS, "backscatter test: %s (verdict %s)",
			    result ? "true" : "false",
			    emsg->classified ? emsg->verdict : "none: not judged");
	sieve_interpreter_set_test_result(renv->interp, result);
	return SIEVE_EXEC_OK;
}
