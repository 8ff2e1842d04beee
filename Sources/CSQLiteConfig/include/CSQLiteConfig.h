#ifndef LACLIP_CSQLITECONFIG_H
#define LACLIP_CSQLITECONFIG_H

/// Turns off SQLite's global memory statistics, whose mutex every allocation takes: with two
/// threads writing shard files at once it was a fifth of enqueue's time. Must run before the
/// first SQLite call of the process; returns SQLite's result code (SQLITE_MISUSE if too late).
int laclip_sqlite_disable_memstatus(void);

#endif
