/* usc-bounce-tables.h — the heuristics of usc-bounce.c, as static tables. (being written) */
#ifndef USC_BOUNCE_TABLES_H
#define USC_BOUNCE_TABLES_H
#endif
