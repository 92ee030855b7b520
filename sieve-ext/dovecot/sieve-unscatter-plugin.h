/* sieve-unscatter-plugin.h — the Pigeonhole plugin interface of
 * lib90_sieve_unscatter_plugin.so (loaded with sieve_plugins =
 * sieve_unscatter): the symbols Pigeonhole's module loader looks up.
 */
#ifndef SIEVE_UNSCATTER_PLUGIN_H
#define SIEVE_UNSCATTER_PLUGIN_H

#include "sieve-common.h"

/* Checked by the loader against the running Pigeonhole's ABI. */
extern const char *sieve_unscatter_plugin_version;

/* Per Sieve instance: register (and unregister) vnd.unscatter. */
void sieve_unscatter_plugin_load(struct sieve_instance *svinst, void **context);
void sieve_unscatter_plugin_unload(struct sieve_instance *svinst, void *context);

/* When the module is loaded and unloaded. */
void sieve_unscatter_plugin_init(void);
void sieve_unscatter_plugin_deinit(void);

#endif
