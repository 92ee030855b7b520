/* tst-bounce.c — the test `bounce` of vnd.unscatter.
 *
 * Syntax:
 *   bounce [":kind" / ":verdict"] [COMPARATOR] [MATCH-TYPE] [<key-list>]
 *
 * Without a tag (and then without a key list): true for any bounce, that is
 * any kind other than "not-bounce". With :kind or :verdict: true when the
 * message's kind ("not-bounce", "dsn", "autoreply", "challenge",
 * "virus-notice", "feedback-report") or verdict ("not-bounce", "legitimate",
 * "backscatter", "unknown") matches a key, with Sieve's usual comparators
 * (default i;ascii-casemap) and match types (default :is), RFC 5228
 * section 2.7, e.g.
 *   if bounce :kind :is ["challenge", "autoreply"] { ... }
 * False whenever the message could not be judged (the reason is logged).
 */
#include "lib.h"

#include "sieve-common.h"
#include "sieve-commands.h"
#include "sieve-code.h"
#include "sieve-stringlist.h"
#include "sieve-comparators.h"
#include "sieve-match-types.h"
#include "sieve-validator.h"
#include "sieve-generator.h"
#include "sieve-interpreter.h"
#include "sieve-dump.h"
#include "sieve-match.h"

#include "ext-unscatter-common.h"

/*
 * Test
 */

static bool tst_bounce_registered(struct sieve_validator *valdtr,
				  const struct sieve_extension *ext,
				  struct sieve_command_registration *cmd_reg);
static bool tst_bounce_validate(struct sieve_validator *valdtr,
				struct sieve_command *tst);
static bool tst_bounce_generate(const struct sieve_codegen_env *cgenv,
				struct sieve_command *tst);

const struct sieve_command_def tst_bounce = {
	.identifier = "bounce",
	.type = SCT_TEST,
	.positional_args = -1, /* none, or one key list after a tag */
	.subtests = 0,
	.block_allowed = FALSE,
	.block_required = FALSE,
	.registered = tst_bounce_registered,
	.validate = tst_bounce_validate,
	.generate = tst_bounce_generate,
};

/*
 * Tagged arguments
 */

enum tst_bounce_optional {
	OPT_BOUNCE_KIND = SIEVE_MATCH_OPT_LAST,
	OPT_BOUNCE_VERDICT,
};

static const struct sieve_argument_def bounce_kind_tag = {
	.identifier = "kind",
};

static const struct sieve_argument_def bounce_verdict_tag = {
	.identifier = "verdict",
};

/*
 * Operation
 */

static bool tst_bounce_operation_dump(const struct sieve_dumptime_env *denv,
				      sieve_size_t *address);
static int tst_bounce_operation_execute(const struct sieve_runtime_env *renv,
					sieve_size_t *address);

const struct sieve_operation_def tst_bounce_operation = {
	.mnemonic = "BOUNCE",
	.ext_def = &unscatter_extension,
	.code = EXT_UNSCATTER_OPERATION_BOUNCE,
	.dump = tst_bounce_operation_dump,
	.execute = tst_bounce_operation_execute,
};

/*
 * Registration and validation
 */

static bool tst_bounce_registered(struct sieve_validator *valdtr,
				  const struct sieve_extension *ext,
				  struct sieve_command_registration *cmd_reg)
{
	sieve_comparators_link_tag(valdtr, cmd_reg, SIEVE_MATCH_OPT_COMPARATOR);
	sieve_match_types_link_tags(valdtr, cmd_reg, SIEVE_MATCH_OPT_MATCH_TYPE);
	sieve_validator_register_tag(valdtr, cmd_reg, ext, &bounce_kind_tag,
				     OPT_BOUNCE_KIND);
	sieve_validator_register_tag(valdtr, cmd_reg, ext, &bounce_verdict_tag,
				     OPT_BOUNCE_VERDICT);
	return TRUE;
}

static bool tst_bounce_validate(struct sieve_validator *valdtr,
				struct sieve_command *tst)
{
	struct sieve_ast_argument *arg = tst->first_positional;
	struct sieve_ast_argument *tag;
	const struct sieve_match_type mcht_default =
		SIEVE_MATCH_TYPE_DEFAULT(is_match_type);
	const struct sieve_comparator cmp_default =
		SIEVE_COMPARATOR_DEFAULT(i_ascii_casemap_comparator);
	bool kind = sieve_command_find_argument(tst, &bounce_kind_tag) != NULL;
	bool verdict = sieve_command_find_argument(tst, &bounce_verdict_tag) != NULL;

	if (kind && verdict) {
		sieve_command_validate_error(valdtr, tst,
			"the bounce test takes either :kind or :verdict, not both");
		return FALSE;
	}
	if (!kind && !verdict) {
		if (arg != NULL) {
			sieve_argument_validate_error(valdtr, arg,
				"the bounce test takes a key list only after "
				":kind or :verdict");
			return FALSE;
		}
		for (tag = sieve_ast_argument_first(tst->ast_node); tag != NULL;
		     tag = sieve_ast_argument_next(tag)) {
			if (sieve_ast_argument_type(tag) == SAAT_TAG &&
			    tag->argument != NULL &&
			    (sieve_argument_is_comparator(tag) ||
			     sieve_argument_is_match_type(tag))) {
				sieve_argument_validate_error(valdtr, tag,
					"the bounce test takes a comparator or "
					"match type only with :kind or :verdict");
				return FALSE;
			}
		}
		return TRUE;
	}
	if (arg == NULL) {
		sieve_command_validate_error(valdtr, tst,
			"the bounce test requires a key list after %s",
			kind ? ":kind" : ":verdict");
		return FALSE;
	}
	if (sieve_ast_argument_next(arg) != NULL) {
		sieve_argument_validate_error(valdtr, sieve_ast_argument_next(arg),
			"the bounce test takes one key list");
		return FALSE;
	}
	if (!sieve_validate_positional_argument(valdtr, tst, arg, "key list", 1,
						SAAT_STRING_LIST))
		return FALSE;
	if (!sieve_validator_argument_activate(valdtr, tst, arg, FALSE))
		return FALSE;
	return sieve_match_type_validate(valdtr, tst, arg, &mcht_default,
					 &cmp_default);
}

/*
 * Code generation and dump
 */

static bool tst_bounce_generate(const struct sieve_codegen_env *cgenv,
				struct sieve_command *tst)
{
	sieve_operation_emit(cgenv->sblock, tst->ext, &tst_bounce_operation);
	return sieve_generate_arguments(cgenv, tst, NULL);
}

static bool tst_bounce_operation_dump(const struct sieve_dumptime_env *denv,
				      sieve_size_t *address)
{
	int opt_code = 0;
	bool field = FALSE;

	sieve_code_dumpf(denv, "BOUNCE");
	sieve_code_descend(denv);
	for (;;) {
		int opt = sieve_match_opr_optional_dump(denv, address, &opt_code);

		if (opt < 0)
			return FALSE;
		if (opt == 0)
			break;
		switch (opt_code) {
		case OPT_BOUNCE_KIND:
			sieve_code_dumpf(denv, "field: kind");
			field = TRUE;
			break;
		case OPT_BOUNCE_VERDICT:
			sieve_code_dumpf(denv, "field: verdict");
			field = TRUE;
			break;
		default:
			return FALSE;
		}
	}
	return !field || sieve_opr_stringlist_dump(denv, address, "key list");
}

/*
 * Execution
 */

static int tst_bounce_operation_execute(const struct sieve_runtime_env *renv,
					sieve_size_t *address)
{
	struct sieve_match_type mcht = SIEVE_MATCH_TYPE_DEFAULT(is_match_type);
	struct sieve_comparator cmp =
		SIEVE_COMPARATOR_DEFAULT(i_ascii_casemap_comparator);
	struct sieve_stringlist *key_list = NULL;
	int opt_code = 0, field = 0, match, ret;
	bool result;

	for (;;) {
		int opt = sieve_match_opr_optional_read(renv, address, &opt_code,
							&ret, &cmp, &mcht);
		if (opt < 0)
			return ret;
		if (opt == 0)
			break;
		switch (opt_code) {
		case OPT_BOUNCE_KIND:
		case OPT_BOUNCE_VERDICT:
			field = opt_code;
			break;
		default:
			sieve_runtime_trace_error(renv, "unknown optional operand");
			return SIEVE_EXEC_BIN_CORRUPT;
		}
	}
	if (field != 0 &&
	    (ret = sieve_opr_stringlist_read(renv, address, "key list",
					     &key_list)) <= 0)
		return ret;

	const struct ext_unscatter_message *emsg =
		ext_unscatter_get_message(renv, renv->oprtn->ext);

	if (!emsg->classified) {
		result = FALSE;
	} else if (field == 0) {
		result = emsg->is_bounce;
	} else {
		const char *value = field == OPT_BOUNCE_KIND ? emsg->kind : emsg->verdict;
		struct sieve_stringlist *value_list =
			sieve_single_stringlist_create_cstr(renv, value, FALSE);

		match = sieve_match(renv, &mcht, &cmp, value_list, key_list, &ret);
		if (match < 0)
			return ret;
		result = match > 0;
	}
	sieve_runtime_trace(renv, SIEVE_TRLVL_TESTS, "bounce test%s: %s",
			    field == OPT_BOUNCE_KIND ? " :kind" :
			    field == OPT_BOUNCE_VERDICT ? " :verdict" : "",
			    result ? "true" : "false");
	sieve_interpreter_set_test_result(renv->interp, result);
	return SIEVE_EXEC_OK;
}
