#include <sqlite3.h>
#include "CSQLiteConfig.h"

// sqlite3_config is variadic, which Swift cannot call: this wrapper exists for that alone.
int laclip_sqlite_disable_memstatus(void) {
    return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}
