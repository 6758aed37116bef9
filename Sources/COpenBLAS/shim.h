#include <cblas.h>
/* openblas_get_config / openblas_get_num_threads are declared in cblas.h by OpenBLAS. */
