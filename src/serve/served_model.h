// A served model: what `--model` names (a registry alias, a version, or a bundle path), the loaded
// Predictor with the version that produced it, and a slot that swaps it atomically when the alias
// moves (requests hold a shared_ptr, so in-flight ones finish on the model they started with).
#pragma once

#include <memory>
#include <mutex>
#include <string>

#include "src/bundle/predictor.h"
#include "src/core/status.h"
#include "src/registry/registry.h"
#include "src/serve/json_input.h"

namespace staycast::serve {

struct ModelRef {
  std::string text;   // as given, e.g. "los@champion"; also the arm name
  std::string name;   // the served name: /v1/models/{name}
  std::string uri;    // "models:/los@champion", or "" for a bundle path
  std::string alias;  // set when the reference follows an alias (watched for moves)
  std::string path;   // a bundle directory or .tar
};

// "NAME@ALIAS", "NAME/VERSION", "models:/...", a bundle path (served under its directory name
// without a "_bundle" suffix), or "NAME=any of those".
StatusOr<ModelRef> ParseModelRef(const std::string& text);

struct LoadedModel {
  ModelRef ref;
  int version = 0;  // 0 for a bundle path
  std::string artifact_path;
  std::unique_ptr<bundle::Predictor> predictor;
  InputSpec input;
  bool uses_history = false;  // the pipeline has history features
};

// Resolves (through `registry`, which may be null for bundle paths) and loads a model.
StatusOr<std::shared_ptr<const LoadedModel>> LoadServedModel(const ModelRef& ref,
                                                             registry::Registry* registry);

// Holds the current model of one reference. Thread-safe.
class ModelSlot {
 public:
  explicit ModelSlot(std::shared_ptr<const LoadedModel> model) : model_(std::move(model)) {}
  std::shared_ptr<const LoadedModel> Get() const {
    std::lock_guard<std::mutex> lock(mu_);
    return model_;
  }
  void Set(std::shared_ptr<const LoadedModel> model) {
    std::lock_guard<std::mutex> lock(mu_);
    model_.swap(model);
  }

 private:
  mutable std::mutex mu_;
  std::shared_ptr<const LoadedModel> model_;
};

}  // namespace staycast::serve
