// Model references and loading for the server (see served_model.h).
#include "src/serve/served_model.h"

#include <filesystem>

namespace staycast::serve {

StatusOr<ModelRef> ParseModelRef(const std::string& text) {
  ModelRef ref;
  ref.text = text;
  std::string rest = text;
  std::string explicit_name;
  if (const size_t eq = text.find('='); eq != std::string::npos && !registry::IsModelUri(text)) {
    explicit_name = text.substr(0, eq);
    rest = text.substr(eq + 1);
    RETURN_IF_ERROR(registry::ValidateModelName(explicit_name));
  }
  std::error_code ec;
  if (!registry::IsModelUri(rest) && std::filesystem::exists(rest, ec)) {
    ref.path = rest;
    std::filesystem::path p(rest);
    std::string stem =
        p.filename().empty() ? p.parent_path().filename().string() : p.stem().string();
    if (stem.size() > 7 && stem.ends_with("_bundle")) stem.resize(stem.size() - 7);
    ref.name = explicit_name.empty() ? stem : explicit_name;
    return ref;
  }
  ref.uri = registry::IsModelUri(rest) ? rest : "models:/" + rest;
  StatusOr<registry::ModelUri> uri = registry::ParseModelUri(ref.uri);
  if (!uri.ok()) {
    return InvalidArgumentError("--model '" + text +
                                "': expected NAME@ALIAS, NAME/VERSION, models:/..., or an "
                                "existing bundle path (" +
                                uri.status().message() + ")");
  }
  ref.name = explicit_name.empty() ? uri->name : explicit_name;
  ref.alias = uri->alias;
  return ref;
}

StatusOr<std::shared_ptr<const LoadedModel>> LoadServedModel(const ModelRef& ref,
                                                             registry::Registry* registry) {
  auto m = std::make_shared<LoadedModel>();
  m->ref = ref;
  if (!ref.uri.empty()) {
    if (registry == nullptr) return FailedPreconditionError(ref.text + ": needs a registry");
    ASSIGN_OR_RETURN(registry::ResolvedModel resolved, registry->Resolve(ref.uri));
    m->version = resolved.version;
    m->artifact_path = resolved.artifact_path;
  } else {
    m->artifact_path = ref.path;
  }
  StatusOr<std::unique_ptr<bundle::Predictor>> predictor =
      bundle::Predictor::Load(m->artifact_path);
  if (!predictor.ok()) return predictor.status().WithContext("loading " + ref.text);
  m->predictor = std::move(*predictor);
  m->input = InputSpec::FromConfig(m->predictor->config());
  for (const features::FeatureSpec& f : m->predictor->config().features) {
    if (f.kind == features::FeatureKind::kHistory) m->uses_history = true;
  }
  return std::shared_ptr<const LoadedModel>(std::move(m));
}

}  // namespace staycast::serve
