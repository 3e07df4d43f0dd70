// Prediction of a 300-tree, depth-6 XGBoost model, 1 to 65,536 rows on 1 and 2 threads: XGBoost's
// in-place predict call against staycast::models::TreeEnsemble, which XgboostModel uses for every
// batch: its AVX-512 walk (16 rows per vector, where the CPU has it) and its scalar walk
// (branch-free, kLanes walks at a time). Justifies the serving hot path (issue 7) and
// batch predict (issue 4).
#include <benchmark/benchmark.h>
#include <xgboost/c_api.h>

#include <cstdint>
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "src/models/model.h"
#include "src/models/test_data.h"
#include "src/models/tree_ensemble.h"

namespace staycast::models {
namespace {

struct Fixture {
  std::unique_ptr<Model> model;
  std::string state;
  BoosterHandle booster = nullptr;
  std::optional<TreeEnsemble> ensemble;
  testing::Dataset rows;
};

// A 300-round, depth-6 regression model (no validation split, so all 300 trees are kept).
Fixture& Shared() {
  static Fixture* f = [] {
    auto* fx = new Fixture;
    const testing::Dataset train = testing::MakeRegression(20000, 1);
    fx->rows = testing::MakeRegression(65536, 2);
    fx->model = CreateModel("gradient_boosting",
                            {{"n_rounds", 300}, {"max_depth", 6}, {"learning_rate", 0.05}},
                            Task::kRegression)
                    .value();
    if (!fx->model->Fit(train.x, train.y, FitOptions()).ok()) std::abort();
    fx->state = fx->model->SaveState().value();
    XGBoosterCreate(nullptr, 0, &fx->booster);
    XGBoosterLoadModelFromBuffer(fx->booster, fx->state.data(), fx->state.size());
    XGBoosterSetParam(fx->booster, "nthread", "1");
    fx->ensemble = TreeEnsemble::FromXgboostJson(nlohmann::json::parse(fx->state)).value();
    if (fx->ensemble->num_trees() != 300) std::abort();
    return fx;
  }();
  return *f;
}

void BM_XgboostInplacePredict(benchmark::State& state) {
  Fixture& f = Shared();
  const Matrix x = testing::FirstRows(f.rows.x, static_cast<size_t>(state.range(0)));
  char array[256];
  std::snprintf(array, sizeof(array),
                R"({"data": [%llu, true], "shape": [%zu, %zu], "typestr": "<f4", "version": 3})",
                static_cast<unsigned long long>(reinterpret_cast<uintptr_t>(x.values.data())),
                x.rows, x.cols);
  XGBoosterSetParam(f.booster, "nthread", std::to_string(state.range(1)).c_str());
  const char* config = R"({"type": 0, "training": false, "iteration_begin": 0, "iteration_end": 0,)"
                       R"( "strict_shape": false, "cache_id": 0, "missing": NaN})";
  for (auto _ : state) {
    const bst_ulong* shape = nullptr;
    bst_ulong dim = 0;
    const float* result = nullptr;
    XGBoosterPredictFromDense(f.booster, array, config, nullptr, &shape, &dim, &result);
    benchmark::DoNotOptimize(result[0]);
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}

// The ensemble's walk: `vector` = the AVX-512 walk where the CPU has it (the default), otherwise
// the scalar walk.
void EnsemblePredict(benchmark::State& state, bool vector) {
  Fixture& f = Shared();
  const Matrix x = testing::FirstRows(f.rows.x, static_cast<size_t>(state.range(0)));
  TreeEnsemble ensemble = *f.ensemble;
  ensemble.set_vector_walk(vector);
  if (vector && !ensemble.vector_walk()) {
    state.SkipWithError("this CPU has no AVX-512");
    return;
  }
  std::vector<double> out;
  for (auto _ : state) {
    ensemble.Predict(x, &out, static_cast<int>(state.range(1)));
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
void BM_TreeEnsemblePredict(benchmark::State& state) { EnsemblePredict(state, true); }
void BM_TreeEnsembleScalarPredict(benchmark::State& state) { EnsemblePredict(state, false); }

// What callers get: Model::Predict (the ensemble, with the model's predict threads).
void BM_ModelPredict(benchmark::State& state) {
  Fixture& f = Shared();
  const Matrix x = testing::FirstRows(f.rows.x, static_cast<size_t>(state.range(0)));
  f.model->SetPredictThreads(static_cast<int>(state.range(1)));
  for (auto _ : state) {
    StatusOr<std::vector<double>> p = f.model->Predict(x);
    benchmark::DoNotOptimize(p.ok());
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}

// Arguments: rows, threads. Wall time (UseRealTime) so that two threads count as they should.
void Sizes(benchmark::internal::Benchmark* b) {
  for (int rows : {1, 16, 64, 256, 4096, 65536}) b->Args({rows, 1});
  b->Args({65536, 2});
  b->UseRealTime();
}
BENCHMARK(BM_XgboostInplacePredict)->Apply(Sizes);
BENCHMARK(BM_TreeEnsemblePredict)->Apply(Sizes);
BENCHMARK(BM_TreeEnsembleScalarPredict)->Apply(Sizes);
BENCHMARK(BM_ModelPredict)->Apply(Sizes);

}  // namespace
}  // namespace staycast::models

BENCHMARK_MAIN();
