// OpenBLAS's CBLAS interface. The include path comes from pkg-config (openblas.pc).
#include <cblas.h>

// OpenBLAS extensions used to control its thread pool (declared in cblas.h by OpenBLAS;
// repeated here so another CBLAS that lacks them fails loudly at link time, not silently).
void openblas_set_num_threads(int num_threads);
int openblas_get_num_threads(void);
