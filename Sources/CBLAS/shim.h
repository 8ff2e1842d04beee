// Debian's libopenblas-dev installs cblas.h under the multiarch include path
// (an alternatives symlink) and in openblas-pthread/, which pkg-config names.
// OpenBLAS's cblas.h also declares openblas_set_num_threads.
#include <cblas.h>
