// The encounter store: a patient's admissions and discharges as they happen, kept in the registry
// database so that the server can compute history features at prediction time with the same code
// as training. An encounter is a JSON object of admission fields keyed by its encounter id; later
// events (a discharge) merge their fields into it.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "src/core/status.h"
#include "src/registry/store.h"

namespace staycast::registry {

struct Encounter {
  std::string encounter_id;
  std::string patient_id;
  nlohmann::json fields = nlohmann::json::object();  // field -> value, as in a predict request
};

// Not thread-safe (one Store per thread); the Store must outlive it.
class EncounterStore {
 public:
  explicit EncounterStore(Store* store) : store_(store) {}

  // Inserts new encounters and merges the fields of known ones (null removes a field), in one
  // transaction. Returns how many were new.
  StatusOr<int> Upsert(const std::vector<Encounter>& encounters);
  // Every stored encounter of these patients (fields only), oldest update first.
  StatusOr<std::vector<Encounter>> ForPatients(const std::vector<std::string>& patient_ids);
  StatusOr<int64_t> Count();

 private:
  Store* store_;
};

// The value of a serving setting; when unset, stores `default_value` first (race-safe: the first
// writer wins and everyone reads its value).
StatusOr<std::string> GetOrCreateSetting(Store* store, const std::string& name,
                                         const std::string& default_value);

}  // namespace staycast::registry
