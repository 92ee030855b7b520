/* ext-unscatter.c — the Sieve extension vnd.unscatter (a vendor extension
 * in the sense of RFC 5228 section 6, "vnd." prefix): the tests
 * `backscatter` and `bounce`, and the command `unscatter_record`.
 *
 * Per Sieve instance (Dovecot makes one per user and delivery in LMTP and
 * LDA, per session in IMAP) the extension holds the user's library context,
 * got on first use from the plugin settings unscatter_config and
 * unscatter_record (defaults as for the CLI, under the user's home) and
 * given back when the instance goes: the glue keeps the last user's context,
 * record open, for that user's next delivery in the process
 * (unscatter_glue_user_get()). Per message, the first test classifies (once) and
 * keeps the outcome in the message context; a failure is logged and makes
 * every test false, so the message is kept: the delivery never fails for us.
 */
#include "lib.h"
#include "str.h"
#include "buffer.h"
#include "istream.h"
#include "mail-storage.h"
#include "smtp-address.h"

#include "sieve-common.h"
#include "sieve-settings.h"
#include "sieve-extensions.h"
#include "sieve-validator.h"
#include "sieve-interpreter.h"
#include "sieve-message.h"
#include "sieve-runtime.h"

#include "ext-unscatter-common.h"
#include "unscatter-glue.h"

/*
 * Extension
 */

static const struct sieve_operation_def *ext_unscatter_operations[] = {
	&tst_backscatter_operation,
	&tst_bounce_operation,
	&cmd_unscatter_record_operation,
};

static bool ext_unscatter_load(const struct sieve_extension *ext, void **context);
static void ext_unscatter_unload(const struct sieve_extension *ext);
static bool ext_unscatter_validator_load(const struct sieve_extension *ext,
					 struct sieve_validator *valdtr);

const struct sieve_extension_def unscatter_extension = {
	.name = "vnd.unscatter",
	.load = ext_unscatter_load,
	.unload = ext_unscatter_unload,
	.validator_load = ext_unscatter_validator_load,
	SIEVE_EXT_DEFINE_OPERATIONS(ext_unscatter_operations),
};

static void ext_unscatter_context_free(struct ext_unscatter_context **_ectx)
{
	struct ext_unscatter_context *ectx = *_ectx;

	if (ectx == NULL)
		return;
	unscatter_glue_user_release(&ectx->user);
	i_free(ectx);
	*_ectx = NULL;
}

static bool ext_unscatter_load(const struct sieve_extension *ext, void **context)
{
	struct ext_unscatter_context *ectx = *context;

	/* Loaded again (reconfigured): start afresh. The library context is
	   made on first use, when the settings are known. */
	ext_unscatter_context_free(&ectx);
	*context = i_new(struct ext_unscatter_context, 1);
	(void)ext;
	return TRUE;
}

static void ext_unscatter_unload(const struct sieve_extension *ext)
{
	struct ext_unscatter_context *ectx = ext->context;

	ext_unscatter_context_free(&ectx);
}

static bool ext_unscatter_validator_load(const struct sieve_extension *ext,
					 struct sieve_validator *valdtr)
{
	sieve_validator_register_command(valdtr, ext, &tst_backscatter);
	sieve_validator_register_command(valdtr, ext, &tst_bounce);
	sieve_validator_register_command(valdtr, ext, &cmd_unscatter_record);
	return TRUE;
}

/*
 * Per-user context
 */

/* A setting's value with a leading "~/" taken from @home; NULL when unset
 * or empty. */
static const char *
ext_unscatter_path_setting(struct sieve_instance *svinst, const char *name,
			   const char *home)
{
	const char *value = sieve_setting_get(svinst, name);

	if (value == NULL || *value == '\0')
		return NULL;
	if (home != NULL && str_begins(value, "~/"))
		return t_strconcat(home, value + 1, NULL);
	return value;
}

struct unscatter_glue_user *
ext_unscatter_get_user(const struct sieve_extension *ext)
{
	struct ext_unscatter_context *ectx = ext->context;

	i_assert(ectx != NULL);
	if (ectx->user == NULL) {
		struct sieve_instance *svinst = ext->svinst;
		const char *home = sieve_environment_get_homedir(svinst);

		ectx->user = unscatter_glue_user_get(home,
			ext_unscatter_path_setting(svinst, "unscatter_config", home),
			ext_unscatter_path_setting(svinst, "unscatter_record", home));
	}
	return ectx->user;
}

/*
 * The message
 */

int ext_unscatter_read_message(const struct sieve_runtime_env *renv, bool header_only,
			       size_t max, buffer_t **buf_r, const char **error_r)
{
	struct mail *mail = sieve_message_get_mail(renv->msgctx);
	struct istream *input;
	uoff_t psize;
	const unsigned char *data;
	size_t size;
	buffer_t *buf;
	int ret;

	*buf_r = NULL;
	*error_r = NULL;
	if (mail == NULL) {
		*error_r = "no message";
		return -1;
	}
	if ((header_only ? mail_get_hdr_stream(mail, NULL, &input) :
			   mail_get_stream(mail, NULL, NULL, &input)) < 0) {
		*error_r = t_strdup_printf("reading the message: %s",
			mailbox_get_last_internal_error(mail->box, NULL));
		return -1;
	}
	if (header_only || mail_get_physical_size(mail, &psize) < 0)
		psize = 0;
	if (max > 0 && psize > max)
		psize = max + 1;
	/* Sized to the message, from the system pool: a memory pool of its
	   own (64 KB, zeroed when made) cost more than the read. */
	buf = buffer_create_dynamic(default_pool, psize > 0 ? psize + 1 : 8192);
	i_stream_seek(input, 0);
	while ((ret = i_stream_read_more(input, &data, &size)) > 0) {
		if (max > 0 && buf->used + size > max + 1)
			size = max + 1 - buf->used;
		buffer_append(buf, data, size);
		i_stream_skip(input, size);
		if (max > 0 && buf->used > max)
			break;
	}
	if (input->stream_errno != 0) {
		*error_r = t_strdup_printf("reading the message: %s",
					   i_stream_get_error(input));
		buffer_free(&buf);
		return -1;
	}
	*buf_r = buf;
	return 0;
}

int ext_unscatter_reader_read(void *context, size_t max, const void **data_r,
			      size_t *size_r, const char **error_r)
{
	struct ext_unscatter_reader *reader = context;

	i_assert(reader->buf == NULL);
	if (ext_unscatter_read_message(reader->renv, reader->header_only, max,
				       &reader->buf, error_r) < 0)
		return -1;
	*data_r = reader->buf->data;
	*size_r = reader->buf->used;
	return 0;
}

void ext_unscatter_reader_clear(struct ext_unscatter_reader *reader)
{
	if (reader->buf != NULL)
		buffer_free(&reader->buf);
}

static const char *
ext_unscatter_address(const struct smtp_address *address)
{
	if (address == NULL || smtp_address_isnull(address))
		return "";
	return smtp_address_encode(address);
}

static void
ext_unscatter_classify(const struct sieve_runtime_env *renv,
		       const struct sieve_extension *ext,
		       struct ext_unscatter_message *emsg)
{
	struct unscatter_glue_user *user = ext_unscatter_get_user(ext);
	struct unscatter_glue_outcome out;
	const struct smtp_address *rcpt;

	/* The original recipient is where a BATV tag sits; without one (no
	   envelope, as in IMAP), the library looks at the headers. */
	rcpt = sieve_message_get_orig_recipient(renv->msgctx);
	if (rcpt == NULL)
		rcpt = sieve_message_get_final_recipient(renv->msgctx);

	/* The glue checks the user's files, then asks for the message. */
	struct ext_unscatter_reader reader = { .renv = renv };
	int ret = unscatter_glue_classify(user, ext_unscatter_reader_read, &reader,
		rcpt == NULL ? NULL : ext_unscatter_address(rcpt),
		ext_unscatter_address(sieve_message_get_sender(renv->msgctx)),
		&out);
	ext_unscatter_reader_clear(&reader);

	if (ret < 0) {
		if (out.unjudgeable)
			e_warning(renv->event, "unscatter: message not judged: %s; message kept",
				  out.error);
		else
			e_error(renv->event, "unscatter: %s; message kept", out.error);
	} else {
		emsg->classified = TRUE;
		emsg->is_bounce = out.is_bounce != 0;
		emsg->is_backscatter = out.is_backscatter != 0;
		emsg->kind = out.kind;
		emsg->verdict = out.verdict;
		e_info(renv->event, "unscatter: %s", out.log_line);
		if (out.error != NULL)
			e_warning(renv->event, "unscatter: %s", out.error);
	}
	unscatter_glue_outcome_clear(&out);
}

const struct ext_unscatter_message *
ext_unscatter_get_message(const struct sieve_runtime_env *renv,
			  const struct sieve_extension *ext)
{
	struct ext_unscatter_message *emsg = (struct ext_unscatter_message *)
		sieve_message_context_extension_get(renv->msgctx, ext);

	if (emsg == NULL) {
		pool_t pool = sieve_message_context_pool(renv->msgctx);

		emsg = p_new(pool, struct ext_unscatter_message, 1);
		T_BEGIN {
			ext_unscatter_classify(renv, ext, emsg);
		} T_END;
		sieve_message_context_extension_set(renv->msgctx, ext, emsg);
	}
	return emsg;
}
