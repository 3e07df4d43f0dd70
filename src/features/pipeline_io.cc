// Saving and loading a fitted FeaturePipeline as versioned JSON: the config text it was built from,
// the output schema, and each transform's learned state.
#include <nlohmann/json.hpp>

#include "src/features/pipeline.h"

namespace staycast::features {

using nlohmann::json;

namespace {
constexpr const char* kFormatName = "staycast.feature_pipeline";

json SchemaJson(const std::vector<OutputField>& schema) {
  json out = json::array();
  for (const OutputField& f : schema) {
    out.push_back({{"name", f.name},
                   {"feature", f.feature},
                   {"origin", f.origin},
                   {"type", OutputTypeName(f.type)}});
  }
  return out;
}
}  // namespace

std::string FeaturePipeline::ToJson() const {
  json state = json::object();
  for (size_t i = 0; i < transforms_.size(); ++i) {
    state[config_->features[i].name] = transforms_[i]->SaveState();
  }
  const json doc = {{"format", kFormatName},
                    {"version", kPipelineFormatVersion},
                    {"fitted", fitted_},
                    {"config", {{"origin", config_->origin}, {"yaml", config_->source_text}}},
                    {"schema", SchemaJson(schema_)},
                    {"state", state}};
  return doc.dump(1) + "\n";
}

StatusOr<FeaturePipeline> FeaturePipeline::FromJson(std::string_view text,
                                                    const std::string& origin) {
  try {
    const json doc = json::parse(text);
    if (!doc.is_object() || doc.value("format", "") != kFormatName) {
      return InvalidArgumentError(origin + ": not a Staycast feature pipeline (format is not '" +
                                  std::string(kFormatName) + "')");
    }
    const int version = doc.at("version").get<int>();
    if (version != kPipelineFormatVersion) {
      return InvalidArgumentError(origin + ": feature pipeline format version " +
                                  std::to_string(version) + " is not supported (expected " +
                                  std::to_string(kPipelineFormatVersion) + ")");
    }
    const json& cfg = doc.at("config");
    ASSIGN_OR_RETURN(RunConfig config, ParseConfig(cfg.at("yaml").get<std::string>(),
                                                   cfg.at("origin").get<std::string>()));
    ASSIGN_OR_RETURN(FeaturePipeline p, Create(std::move(config)));
    const json& state = doc.at("state");
    for (size_t i = 0; i < p.transforms_.size(); ++i) {
      const std::string& name = p.config_->features[i].name;
      Status s = p.transforms_[i]->LoadState(state.at(name));
      if (!s.ok()) return s.WithContext(origin + ": state of feature '" + name + "'");
    }
    p.fitted_ = doc.at("fitted").get<bool>();
    if (p.fitted_) {
      for (size_t i = 0; i < p.transforms_.size(); ++i) {
        if (!p.config_->features[i].keep) continue;
        for (OutputField& f : p.transforms_[i]->Outputs()) p.schema_.push_back(std::move(f));
      }
      p.CacheOutputs();
      if (SchemaJson(p.schema_) != doc.at("schema")) {
        return DataLossError(origin +
                             ": the saved output schema does not match the one rebuilt from the "
                             "saved state; the file is damaged or from another version");
      }
    }
    return p;
  } catch (const json::exception& e) {
    return InvalidArgumentError(origin + ": bad feature pipeline JSON: " + e.what());
  }
}

Status FeaturePipeline::Save(Env* env, const std::string& path) const {
  return WriteFileAtomic(env, path, ToJson());
}

StatusOr<FeaturePipeline> FeaturePipeline::Load(Env* env, const std::string& path) {
  ASSIGN_OR_RETURN(std::string text, env->ReadFile(path));
  return FromJson(text, path);
}

}  // namespace staycast::features
