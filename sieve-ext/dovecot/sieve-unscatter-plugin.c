/* sieve-unscatter-plugin.c — the module interface of the Pigeonhole plugin
 * sieve_unscatter (lib90_sieve_unscatter_plugin.so): per Sieve instance it
 * registers the extension vnd.unscatter; per process it initialises GMime.
 *
 * Pigeonhole unloads its plugin modules when the last Sieve instance goes
 * (in LMTP: after every delivery) and loads them again for the next one.
 * GLib cannot be unloaded (its type system and thread-local keys would
 * point into unmapped code), so the module is linked with -z nodelete:
 * dlclose() leaves it, and the libraries it needs, in place, and the next
 * load finds GMime initialised. init and deinit therefore hold no state
 * (and Pigeonhole does not call init: load initialises GMime, once).
 */
#include "lib.h"

#include "sieve-common.h"
#include "sieve-extensions.h"
#include "pigeonhole-config.h"

#include "ext-unscatter-common.h"
#include "sieve-unscatter-plugin.h"
#include "unscatter-glue.h"

const char *sieve_unscatter_plugin_version = PIGEONHOLE_ABI_VERSION;

struct sieve_unscatter_plugin_context {
	const struct sieve_extension *ext;
};

void sieve_unscatter_plugin_load(struct sieve_instance *svinst, void **context)
{
	struct sieve_unscatter_plugin_context *pctx =
		i_new(struct sieve_unscatter_plugin_context, 1);

	/* Pigeonhole's loader does not call the module's init function:
	   make sure here (once per process). */
	unscatter_glue_process_init();
	/* Enabled once loaded: loading the plugin is the admin's choice (and
	   sieve_extensions = -vnd.unscatter, read after, can still turn it
	   off, or limit it to sieve_global_extensions). */
	pctx->ext = sieve_extension_register(svinst, &unscatter_extension, TRUE);
	if (svinst->debug) {
		e_debug(svinst->event, "Sieve unscatter plugin for %s version %s loaded",
			PIGEONHOLE_NAME, PIGEONHOLE_VERSION);
	}
	*context = pctx;
}

void sieve_unscatter_plugin_unload(struct sieve_instance *svinst ATTR_UNUSED,
				   void *context)
{
	struct sieve_unscatter_plugin_context *pctx = context;

	sieve_extension_unregister(pctx->ext);
	i_free(pctx);
}

void sieve_unscatter_plugin_init(void)
{
	unscatter_glue_process_init();
}

void sieve_unscatter_plugin_deinit(void)
{
	/* Nothing: GMime stays initialised for the process (see above). */
}
