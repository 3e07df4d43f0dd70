// TreeEnsemble's AVX-512 walk: 16 rows per vector through the complete-tree layout. The top five
// levels of a tree (up to 31 nodes) and up to 64 leaves are picked with in-register permutes;
// deeper levels are gathered. Each step gathers the 16 rows' values at their nodes' features. Four
// groups of 16 rows walk together so their gathers overlap. Compiled for AVX-512 with a target
// attribute and called only when TreeEnsemble::CpuHasVectorWalk() says the CPU has it.
#include "src/models/tree_ensemble.h"

#if defined(__x86_64__) && defined(__GNUC__)
// GCC 12's AVX-512 intrinsics start from _mm512_undefined_*() and so warn "may be used
// uninitialized" wherever they are inlined (GCC bug 105593, fixed in GCC 13). Pushed and popped
// (and the macro below undefined), as the unity build compiles other files after this one.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <immintrin.h>

#include <cstddef>

namespace staycast::models {
namespace {

#define STAYCAST_AVX512 __attribute__((target("avx512f")))

struct Levels {
  const uint32_t* feature;
  const float* threshold;
};

// The feature and threshold of each lane's node at `level`, whose nodes start at `start`.
template <int G>
STAYCAST_AVX512 inline void NodesAt(const Levels& tree, int level, const __m512i* pos, __m512i* f,
                                    __m512* thr) {
  const size_t start = (size_t{1} << level) - 1;
  const uint32_t* feature = tree.feature + start;
  const float* threshold = tree.threshold + start;
  if (level <= 4) {  // at most 16 nodes: one register
    const __m512i fl = _mm512_loadu_si512(feature);
    const __m512 tl = _mm512_loadu_ps(threshold);
    for (int g = 0; g < G; ++g) {
      f[g] = _mm512_permutexvar_epi32(pos[g], fl);
      thr[g] = _mm512_permutexvar_ps(pos[g], tl);
    }
  } else if (level == 5) {  // 32 nodes: two registers
    const __m512i f0 = _mm512_loadu_si512(feature);
    const __m512i f1 = _mm512_loadu_si512(feature + 16);
    const __m512 t0 = _mm512_loadu_ps(threshold);
    const __m512 t1 = _mm512_loadu_ps(threshold + 16);
    for (int g = 0; g < G; ++g) {
      f[g] = _mm512_permutex2var_epi32(f0, pos[g], f1);
      thr[g] = _mm512_permutex2var_ps(t0, pos[g], t1);
    }
  } else {
    for (int g = 0; g < G; ++g) {
      f[g] = _mm512_i32gather_epi32(pos[g], feature, 4);
      thr[g] = _mm512_i32gather_ps(pos[g], threshold, 4);
    }
  }
}

// Each lane's leaf value, for trees of `depth` (2^depth leaves from `leaf`).
STAYCAST_AVX512 inline __m512 LeafAt(const float* leaf, int depth, __m512i pos) {
  if (depth <= 4) return _mm512_permutexvar_ps(pos, _mm512_loadu_ps(leaf));
  if (depth == 5)
    return _mm512_permutex2var_ps(_mm512_loadu_ps(leaf), pos, _mm512_loadu_ps(leaf + 16));
  if (depth == 6) {
    const __m512 low =
        _mm512_permutex2var_ps(_mm512_loadu_ps(leaf), pos, _mm512_loadu_ps(leaf + 16));
    const __m512 high =
        _mm512_permutex2var_ps(_mm512_loadu_ps(leaf + 32), pos, _mm512_loadu_ps(leaf + 48));
    return _mm512_mask_blend_ps(_mm512_test_epi32_mask(pos, _mm512_set1_epi32(32)), low, high);
  }
  return _mm512_i32gather_ps(pos, leaf, 4);
}

struct Forest {
  const uint32_t* feature;
  const float* threshold;
  const float* leaf;
  const uint32_t* node_begin;
  const uint32_t* leaf_begin;
  const int32_t* depth;
  size_t trees;
};

// Margins of G groups of 16 rows (row k of group g at rows + (16g + k) * cols): the base margin
// plus every tree's leaf, added in tree order as XGBoost does.
template <int G>
STAYCAST_AVX512 void Walk(const Forest& forest, const float* rows, size_t cols, float base,
                          float* margins) {
  const __m512i row_offset =
      _mm512_mullo_epi32(_mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15),
                         _mm512_set1_epi32(static_cast<int>(cols)));
  const __m512i feature_mask = _mm512_set1_epi32(0x7fffffff);
  const __m512i default_left = _mm512_set1_epi32(static_cast<int>(0x80000000U));
  const __m512i one = _mm512_set1_epi32(1);
  __m512 sum[G];
  for (int g = 0; g < G; ++g) sum[g] = _mm512_set1_ps(base);
  for (size_t t = 0; t < forest.trees; ++t) {
    const Levels tree{forest.feature + forest.node_begin[t],
                      forest.threshold + forest.node_begin[t]};
    const int depth = forest.depth[t];
    __m512i pos[G];
    for (int g = 0; g < G; ++g) pos[g] = _mm512_setzero_si512();
    for (int level = 0; level < depth; ++level) {
      __m512i f[G];
      __m512 thr[G];
      NodesAt<G>(tree, level, pos, f, thr);
      for (int g = 0; g < G; ++g) {
        const __m512i index = _mm512_add_epi32(row_offset, _mm512_and_si512(f[g], feature_mask));
        const __m512 x = _mm512_i32gather_ps(index, rows + static_cast<size_t>(g) * 16 * cols, 4);
        // Left when x < threshold, or x is missing and missing goes left.
        const __mmask16 left =
            _mm512_cmp_ps_mask(x, thr[g], _CMP_LT_OQ) |
            (_mm512_cmp_ps_mask(x, x, _CMP_UNORD_Q) & _mm512_test_epi32_mask(f[g], default_left));
        const __m512i twice = _mm512_add_epi32(pos[g], pos[g]);
        pos[g] = _mm512_mask_add_epi32(twice, static_cast<__mmask16>(~left), twice, one);
      }
    }
    const float* leaf = forest.leaf + forest.leaf_begin[t];
    for (int g = 0; g < G; ++g) sum[g] = _mm512_add_ps(sum[g], LeafAt(leaf, depth, pos[g]));
  }
  for (int g = 0; g < G; ++g) _mm512_storeu_ps(margins + 16 * g, sum[g]);
}

}  // namespace

void TreeEnsemble::VectorMargins(const float* rows, size_t groups, size_t cols,
                                 float* margins) const {
  static_assert(kVectorRows == 16 && kBlockRows <= 4 * kVectorRows);
  const Forest forest{complete_.feature.data(),    complete_.threshold.data(),
                      complete_.leaf.data(),       complete_.node_begin.data(),
                      complete_.leaf_begin.data(), complete_.depth.data(),
                      complete_.depth.size()};
  switch (groups) {
    case 1: Walk<1>(forest, rows, cols, base_margin_, margins); break;
    case 2: Walk<2>(forest, rows, cols, base_margin_, margins); break;
    case 3: Walk<3>(forest, rows, cols, base_margin_, margins); break;
    default: Walk<4>(forest, rows, cols, base_margin_, margins); break;
  }
}

}  // namespace staycast::models

#undef STAYCAST_AVX512
#pragma GCC diagnostic pop

#else  // no AVX-512 walk on this platform: CpuHasVectorWalk() is false, so this is never called

namespace staycast::models {
void TreeEnsemble::VectorMargins(const float* rows, size_t groups, size_t cols,
                                 float* margins) const {
  BlockMargins(rows, groups * kVectorRows, cols, margins);
}
}  // namespace staycast::models

#endif
