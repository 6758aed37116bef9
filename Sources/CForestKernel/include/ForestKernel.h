#ifndef FOREWARN_FOREST_KERNEL_H
#define FOREWARN_FOREST_KERNEL_H
#include <stdint.h>

/* The isolation forest's scoring walk with AVX-512 permutes: 16 rows per
   vector, four vectors per pass, every tree level's cuts and features held
   in registers, so a step is a table permute, not a memory gather (gathers
   cost as much as the scalar loads they replace on the CPUs measured; see
   docs/benchmarks.md).

   Layout (the Swift side, PackedTrees, builds it):
   - cuts, features: tree_count x 256 entries; node i of a tree (1-based heap
     order, level L at [2^(L-1), 2^L)) has its cut's order key and its
     feature's column; entry 0 and entries past the depth are unused.
   - leaves: tree_count x 2^depth values, by the node index at the last level.
   - keys: column-major, columns x stride order keys of the rows' values;
     stride is a multiple of 64, and rows up to rows rounded up to 64 must be
     readable (their results are written to acc and ignored by the caller).
   - acc: at least rows rounded up to 64 entries; each row's leaf values are added.
   All pointers stay owned by the caller, only read (acc written) during the call. */

/* 1 when this CPU and build can run fw_forest_accumulate, else 0. */
int fw_forest_kernel_available(void);

/* Adds to acc[r] the leaf value row r reaches in every tree. Requires
   1 <= depth <= 8 and 1 <= columns <= 65536; returns 0 (doing nothing) otherwise
   or when the kernel is unavailable, 1 when it ran. */
int fw_forest_accumulate(
    const uint32_t *cuts, const int32_t *features, const double *leaves, int tree_count, int depth,
    const uint32_t *keys, int columns, int stride, int rows, double *acc);

/* Writes the order keys of row_count row-major rows of `columns` float64
   values into keys (column-major, `stride` apart), exactly as the Swift
   scalar path does (see PackedTrees.keyRoundingUp). Returns 0 (writing
   nothing) when the kernel is unavailable or row_count > stride, else 1. */
int fw_forest_keys(
    const double *rows, int row_count, int columns, const double *center, const double *scale,
    uint32_t *keys, int stride);

#endif
