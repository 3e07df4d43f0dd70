// A/B experiments (`--experiment FILE.yaml`): weighted arms that answer for one served name, with
// sticky assignment by a salted hash of the patient id, and shadow arms that are scored and
// logged but never returned. File format (docs/http-api.md):
//   name: los                 # requests to /v1/models/los/... are routed
//   salt: los-2024-06         # optional; a new salt reshuffles patients
//   arms: {los@champion: 90, los@challenger: 10}
//   shadow: [los@candidate]   # optional
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "src/core/status.h"

namespace staycast::serve {

struct ExperimentArm {
  std::string model;  // a --model reference, e.g. "los@challenger"
  double weight = 0;
};

struct Experiment {
  std::string name;
  std::string salt;
  std::vector<ExperimentArm> arms;
  std::vector<std::string> shadows;

  // The arm index for a routing key (the patient id): the same key always gets the same arm;
  // over many keys each arm gets its share of the weight.
  size_t Route(std::string_view key) const;
};

StatusOr<Experiment> ParseExperiment(const std::string& yaml_text, const std::string& origin);
StatusOr<Experiment> LoadExperiment(const std::string& path);

// 64-bit FNV-1a with a final avalanche step, for routing (not for privacy: the log uses a salted
// SHA-256).
uint64_t Fnv1a64(std::string_view data);

}  // namespace staycast::serve
