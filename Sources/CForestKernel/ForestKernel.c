#include "ForestKernel.h"

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#include <immintrin.h>
#define FW_TARGET __attribute__((target("avx512f,avx512vl")))

/* Scorers on several threads may ask at once: the answer is cached with
   atomic loads and stores (every thread computes the same value, so a race
   to fill it is harmless, but a plain int would be a data race). */
int fw_forest_kernel_available(void) {
    static int known = -1;
    int value = __atomic_load_n(&known, __ATOMIC_RELAXED);
    if (value < 0) {
        __builtin_cpu_init();
        value = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl") ? 1 : 0;
        __atomic_store_n(&known, value, __ATOMIC_RELAXED);
    }
    return value;
}

/* Entry j (0 <= j < 2^(level-1)) of a level's table, held in 1, 2, 4 or 8 registers. */
FW_TARGET static inline __m512i fw_lookup(__m512i j, int level, const __m512i *t) {
    if (level <= 5) return _mm512_permutexvar_epi32(j, t[0]);
    if (level == 6) return _mm512_permutex2var_epi32(t[0], j, t[1]);
    __mmask16 bit5 = _mm512_test_epi32_mask(j, _mm512_set1_epi32(32));
    __m512i low = _mm512_mask_blend_epi32(
        bit5, _mm512_permutex2var_epi32(t[0], j, t[1]), _mm512_permutex2var_epi32(t[2], j, t[3]));
    if (level == 7) return low;
    __m512i high = _mm512_mask_blend_epi32(
        bit5, _mm512_permutex2var_epi32(t[4], j, t[5]), _mm512_permutex2var_epi32(t[6], j, t[7]));
    return _mm512_mask_blend_epi32(_mm512_test_epi32_mask(j, _mm512_set1_epi32(64)), low, high);
}

/* Registers of level L start at first[L]: levels 1-5 one each, 6 two, 7 four, 8 eight. */
static const int fw_first[9] = {0, 0, 1, 2, 3, 4, 5, 7, 11};

/* Adds the leaf values at local indexes j to 16 accumulators. */
FW_TARGET static inline void fw_add_leaves(double *acc, __m512i j, const double *leaf) {
    __m512d low = _mm512_i32gather_pd(_mm512_castsi512_si256(j), leaf, 8);
    __m512d high = _mm512_i32gather_pd(_mm512_extracti64x4_epi64(j, 1), leaf, 8);
    _mm512_storeu_pd(acc, _mm512_add_pd(_mm512_loadu_pd(acc), low));
    _mm512_storeu_pd(acc + 8, _mm512_add_pd(_mm512_loadu_pd(acc + 8), high));
}

/* One level for FW_GROUPS groups of 16 rows: look up each lane's cut (and,
   with several columns, its feature), select the lane's key, step to the child. */
#define FW_GROUPS 4
/* Up to this many columns a lane's key is selected from registers; above, gathered. */
#define FW_SELECT_MAX 16
/* The key of each lane for the node it is at, on a level with few nodes:
   load the column of every node of the level (the tree's features are known
   here) and pick by the bits of the lane's node index, one blend per node. */
FW_TARGET __attribute__((always_inline)) static inline __m512i fw_node_key(
    int level, __m512i j, const uint32_t *rowKeys, const int32_t *feat, int stride) {
    int start = 1 << (level - 1), count = start;
    __m512i v[16];
    for (int n = 0; n < count; n++) v[n] = _mm512_loadu_si512(rowKeys + (size_t)feat[start + n] * stride);
    for (int bit = 1; count > 1; bit <<= 1, count >>= 1) {
        __mmask16 m = _mm512_test_epi32_mask(j, _mm512_set1_epi32(bit));
        for (int n = 0; n < count / 2; n++) v[n] = _mm512_mask_blend_epi32(m, v[2 * n], v[2 * n + 1]);
    }
    return v[0];
}

/* Whether a level picks keys by node (fw_node_key) rather than by feature:
   when its nodes are fewer than the features to choose among, or keys would
   otherwise be gathered. At most the first four levels (8 nodes). */
static inline int fw_by_node(int level, int columns) {
    if (level > (columns > FW_SELECT_MAX ? 5 : 4) || columns < 2) return 0;
    return columns > FW_SELECT_MAX || (2 << (level - 1)) <= columns;
}

FW_TARGET __attribute__((always_inline)) static inline void fw_level(
    int level, const __m512i *ct, const __m512i *ft, __m512i (*column)[FW_SELECT_MAX], int columns,
    const uint32_t *keys, const __m512i *rowIndex, __m512i strideVector, const int32_t *feat, int stride, int r,
    __m512i *j) {
    const __m512i *cl = ct + fw_first[level], *fl = ft + fw_first[level];
    const __m512i one = _mm512_set1_epi32(1);
    for (int g = 0; g < FW_GROUPS; g++) {
        __m512i key = column[g][0];
        if (fw_by_node(level, columns)) {
            key = fw_node_key(level, j[g], keys + r + 16 * g, feat, stride);
        } else if (columns > FW_SELECT_MAX) {
            /* Many columns: one gather beats a select per column. */
            __m512i f = fw_lookup(j[g], level, fl);
            /* Here the feature tables hold each feature's offset in the block (fw_forest_accumulate). */
            key = _mm512_i32gather_epi32(_mm512_add_epi32(f, rowIndex[g]), keys, 4);
        } else if (columns > 1 && columns < 5) {
            __m512i f = fw_lookup(j[g], level, fl);
            for (int k = 1; k < columns; k++)
                key = _mm512_mask_mov_epi32(key, _mm512_cmpeq_epi32_mask(f, _mm512_set1_epi32(k)), column[g][k]);
        } else if (columns > 1) {
            /* A tournament over the feature's bits: one blend per column, one test per bit. */
            __m512i f = fw_lookup(j[g], level, fl), v[FW_SELECT_MAX];
            for (int k = 0; k < columns; k++) v[k] = column[g][k];
            for (int bit = 1, count = columns; count > 1; bit <<= 1) {
                __mmask16 m = _mm512_test_epi32_mask(f, _mm512_set1_epi32(bit));
                for (int n = 0; n < count / 2; n++) v[n] = _mm512_mask_blend_epi32(m, v[2 * n], v[2 * n + 1]);
                if (count % 2 == 1) v[count / 2] = v[count - 1];
                count = (count + 1) / 2;
            }
            key = v[0];
        }
        __mmask16 right = _mm512_cmpgt_epu32_mask(key, fw_lookup(j[g], level, cl));
        j[g] = _mm512_mask_add_epi32(_mm512_add_epi32(j[g], j[g]), right, _mm512_add_epi32(j[g], j[g]), one);
    }
}

/* One tree over the block, FW_GROUPS groups of 16 rows at a time: each level
   is a chain of dependent permutes and compares, and independent chains keep
   the vector units busy. Inlined into calls with constant depth and columns,
   so the levels and the key selection unroll. */
FW_TARGET __attribute__((always_inline)) static inline void fw_tree(
    const __m512i *ct, const __m512i *ft, const int32_t *feat, const double *leaf, int depth,
    const uint32_t *keys, int columns, int stride, int rows, double *acc) {
    const __m512i lane = _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
    const __m512i strideVector = _mm512_set1_epi32(stride);
    for (int r = 0; r < rows; r += 16 * FW_GROUPS) {
        __m512i column[FW_GROUPS][FW_SELECT_MAX], j[FW_GROUPS], rowIndex[FW_GROUPS];
        for (int g = 0; g < FW_GROUPS; g++) {
            rowIndex[g] = _mm512_add_epi32(lane, _mm512_set1_epi32(r + 16 * g));
            if (columns <= FW_SELECT_MAX)
                for (int k = 0; k < columns; k++) column[g][k] = _mm512_loadu_si512(keys + (size_t)k * stride + r + 16 * g);
            j[g] = _mm512_setzero_si512();
        }
        if (depth == 8) {
            fw_level(1, ct, ft, column, columns, keys, rowIndex, strideVector, feat, stride, r, j);
            fw_level(2, ct, ft, column, columns, keys, rowIndex, strideVector, feat, stride, r, j);
            fw_level(3, ct, ft, column, columns, keys, rowIndex, strideVector, feat, stride, r, j);
            fw_level(4, ct, ft, column, columns, keys, rowIndex, strideVector, feat, stride, r, j);
            fw_level(5, ct, ft, column, columns, keys, rowIndex, strideVector, feat, stride, r, j);
            fw_level(6, ct, ft, column, columns, keys, rowIndex, strideVector, feat, stride, r, j);
            fw_level(7, ct, ft, column, columns, keys, rowIndex, strideVector, feat, stride, r, j);
            fw_level(8, ct, ft, column, columns, keys, rowIndex, strideVector, feat, stride, r, j);
        } else {
            for (int level = 1; level <= depth; level++) fw_level(level, ct, ft, column, columns, keys, rowIndex, strideVector, feat, stride, r, j);
        }
        for (int g = 0; g < FW_GROUPS; g++) fw_add_leaves(acc + r + 16 * g, j[g], leaf);
    }
}

#define FW_TREE_CASE(D, C) \
    case C: fw_tree(ct, ft, f, leaf, D, keys, C, stride, rows, acc); break;

FW_TARGET int fw_forest_accumulate(
    const uint32_t *cuts, const int32_t *features, const double *leaves, int tree_count, int depth,
    const uint32_t *keys, int columns, int stride, int rows, double *acc) {
    if (depth < 1 || depth > 8 || columns < 1 || columns > 65536 || stride % 64 != 0 ||
        (int64_t)columns * stride > INT32_MAX || !fw_forest_kernel_available())
        return 0;
    __m512i ct[19], ft[19];
    for (int t = 0; t < tree_count; t++) {
        const uint32_t *c = cuts + (size_t)t * 256;
        const int32_t *f = features + (size_t)t * 256;
        const double *leaf = leaves + ((size_t)t << depth);
        for (int level = 1; level <= depth; level++) {
            int start = 1 << (level - 1), regs = level <= 5 ? 1 : 1 << (level - 5);
            for (int k = 0; k < regs; k++) {
                ct[fw_first[level] + k] = _mm512_loadu_si512(c + start + 16 * k);
                __m512i feature = _mm512_loadu_si512(f + start + 16 * k);
                /* Gathering walks want where each feature's keys start, not the feature. */
                ft[fw_first[level] + k] = columns > FW_SELECT_MAX ? _mm512_mullo_epi32(feature, _mm512_set1_epi32(stride)) : feature;
            }
        }
        if (depth == 8) {
            switch (columns) {
                FW_TREE_CASE(8, 1) FW_TREE_CASE(8, 2) FW_TREE_CASE(8, 3) FW_TREE_CASE(8, 4)
                FW_TREE_CASE(8, 5) FW_TREE_CASE(8, 6) FW_TREE_CASE(8, 7) FW_TREE_CASE(8, 8)
                FW_TREE_CASE(8, 9) FW_TREE_CASE(8, 10) FW_TREE_CASE(8, 11) FW_TREE_CASE(8, 12)
                default:
                    /* Above FW_SELECT_MAX the walk never reads the column count (keys are
                       gathered), so one constant stands for every such width. */
                    if (columns > FW_SELECT_MAX) fw_tree(ct, ft, f, leaf, 8, keys, FW_SELECT_MAX + 1, stride, rows, acc);
                    else fw_tree(ct, ft, f, leaf, 8, keys, columns, stride, rows, acc);
                    break;
            }
        } else {
            fw_tree(ct, ft, f, leaf, depth, keys, columns, stride, rows, acc);
        }
    }
    return 1;
}

/* Transposes eight vectors of eight 32-bit values (row i in v[i]) into columns. */
FW_TARGET static inline void fw_transpose8(__m256i *v) {
    __m256i t[8], u[8];
    for (int i = 0; i < 8; i += 2) {
        t[i] = _mm256_unpacklo_epi32(v[i], v[i + 1]);
        t[i + 1] = _mm256_unpackhi_epi32(v[i], v[i + 1]);
    }
    for (int i = 0; i < 8; i += 4) {
        u[i] = _mm256_unpacklo_epi64(t[i], t[i + 2]);
        u[i + 1] = _mm256_unpackhi_epi64(t[i], t[i + 2]);
        u[i + 2] = _mm256_unpacklo_epi64(t[i + 1], t[i + 3]);
        u[i + 3] = _mm256_unpackhi_epi64(t[i + 1], t[i + 3]);
    }
    for (int i = 0; i < 4; i++) {
        v[i] = _mm256_permute2x128_si256(u[i], u[i + 4], 0x20);
        v[i + 4] = _mm256_permute2x128_si256(u[i], u[i + 4], 0x31);
    }
}

/* Order keys of the scaled rows, in tiles of eight rows by eight columns: z =
   (v - center) / scale in float64 (0 for NaN and infinities), rounded up to
   float32 (so z > cut exactly when the key is above the cut's, for float32
   cuts), -0 folded into +0, then the float's bits made to sort as unsigned.
   Each row's eight values are one load (gathers cost as much as the loads
   they replace), and the tile is transposed in registers into eight columns. */
FW_TARGET int fw_forest_keys(
    const double *rows, int row_count, int columns, const double *center, const double *scale,
    uint32_t *keys, int stride) {
    if (!fw_forest_kernel_available() || row_count > stride) return 0;
    const __m512d infinity = _mm512_set1_pd(__builtin_inf());
    const __m256i sortBit = _mm256_set1_epi32((int)0x80000000u);
    /* Sixteen rows at a time, each read front to back: every column's sixteen keys fill a cache line. */
    for (int r0 = 0; r0 < row_count; r0 += 16) {
        for (int k = 0; k < columns; k += 8) {
            int width = columns - k < 8 ? columns - k : 8;
            __mmask8 present = (__mmask8)((1u << width) - 1);
            const __m512d c = _mm512_maskz_loadu_pd(present, center + k);
            const __m512d sc = _mm512_mask_loadu_pd(_mm512_set1_pd(1), present, scale + k);
            /* The next sixteen rows' values of these columns, ahead of their use. */
            for (int i = 16; i < 32 && r0 + i < row_count; i++)
                _mm_prefetch((const char *)(rows + (size_t)(r0 + i) * columns + k), _MM_HINT_T0);
            for (int r = r0; r < r0 + 16 && r < row_count; r += 8) {
                int height = row_count - r < 8 ? row_count - r : 8;
                __m256i v[8];
                for (int i = 0; i < 8; i++) {
                    __mmask8 live = i < height ? present : 0;
                    __m512d x = _mm512_maskz_loadu_pd(live, rows + (size_t)(r + i) * columns + k);
                    __mmask8 finite = _mm512_cmp_pd_mask(_mm512_abs_pd(x), infinity, _CMP_LT_OQ);
                    __m512d z = _mm512_maskz_div_pd(finite, _mm512_sub_pd(x, c), sc);
                    __m256 narrow = _mm512_cvt_roundpd_ps(z, _MM_FROUND_TO_POS_INF | _MM_FROUND_NO_EXC);
                    narrow = _mm256_add_ps(narrow, _mm256_setzero_ps());
                    __m256i bits = _mm256_castps_si256(narrow);
                    v[i] = _mm256_xor_si256(bits, _mm256_or_si256(_mm256_srai_epi32(bits, 31), sortBit));
                }
                fw_transpose8(v);
                __mmask8 stored = (__mmask8)((1u << height) - 1);
                for (int j = 0; j < width; j++) _mm256_mask_storeu_epi32(keys + (size_t)(k + j) * stride + r, stored, v[j]);
            }
        }
    }
    return 1;
}

#else
int fw_forest_kernel_available(void) { return 0; }
int fw_forest_keys(
    const double *rows, int row_count, int columns, const double *center, const double *scale,
    uint32_t *keys, int stride) {
    (void)rows; (void)row_count; (void)columns; (void)center; (void)scale; (void)keys; (void)stride;
    return 0;
}
int fw_forest_accumulate(
    const uint32_t *cuts, const int32_t *features, const double *leaves, int tree_count, int depth,
    const uint32_t *keys, int columns, int stride, int rows, double *acc) {
    (void)cuts; (void)features; (void)leaves; (void)tree_count; (void)depth;
    (void)keys; (void)columns; (void)stride; (void)rows; (void)acc;
    return 0;
}
#endif
