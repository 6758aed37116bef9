#ifndef FOREWARN_CZLIB_SHIM_H
#define FOREWARN_CZLIB_SHIM_H
#include <zlib.h>
#endif
