#ifndef FOREWARN_CDEFLATE_SHIM_H
#define FOREWARN_CDEFLATE_SHIM_H
#include <libdeflate.h>
#endif
