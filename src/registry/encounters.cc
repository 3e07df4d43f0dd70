// The encounter store over the registry's SQL store (see encounters.h).
#include "src/registry/encounters.h"

#include <ctime>

namespace staycast::registry {

StatusOr<int> EncounterStore::Upsert(const std::vector<Encounter>& encounters) {
  ASSIGN_OR_RETURN(Transaction tx, Transaction::Start(store_));
  int created = 0;
  const auto now = static_cast<int64_t>(std::time(nullptr));
  for (const Encounter& e : encounters) {
    if (e.encounter_id.empty() || e.patient_id.empty()) {
      return InvalidArgumentError("an encounter needs an encounter id and a patient id");
    }
    ASSIGN_OR_RETURN(std::vector<SqlRow> rows,
                     store_->Query("SELECT patient_id, fields FROM encounters WHERE "
                                   "encounter_id = ?",
                                   {e.encounter_id}));
    if (rows.empty()) {
      nlohmann::json fields = e.fields;
      fields.merge_patch(nlohmann::json::object());  // drops nulls
      RETURN_IF_ERROR(store_->Exec(
          "INSERT INTO encounters (encounter_id, patient_id, fields, updated) VALUES (?, ?, ?, ?)",
          {e.encounter_id, e.patient_id, fields.dump(), now}));
      ++created;
      continue;
    }
    if (CellText(rows[0], 0) != e.patient_id) {
      return InvalidArgumentError("encounter '" + e.encounter_id +
                                  "' belongs to another patient; an encounter id cannot move");
    }
    nlohmann::json fields =
        nlohmann::json::parse(CellText(rows[0], 1), nullptr, /*allow_exceptions=*/false);
    if (fields.is_discarded() || !fields.is_object()) {
      return DataLossError("encounter '" + e.encounter_id + "': stored fields are not JSON");
    }
    fields.merge_patch(e.fields);
    RETURN_IF_ERROR(
        store_->Exec("UPDATE encounters SET fields = ?, updated = ? WHERE encounter_id = ?",
                     {fields.dump(), now, e.encounter_id}));
  }
  RETURN_IF_ERROR(tx.Commit());
  return created;
}

StatusOr<std::vector<Encounter>> EncounterStore::ForPatients(
    const std::vector<std::string>& patient_ids) {
  std::vector<Encounter> out;
  for (const std::string& id : patient_ids) {
    ASSIGN_OR_RETURN(std::vector<SqlRow> rows,
                     store_->Query("SELECT encounter_id, fields FROM encounters WHERE "
                                   "patient_id = ? ORDER BY updated, encounter_id",
                                   {id}));
    for (const SqlRow& row : rows) {
      Encounter e;
      e.encounter_id = CellText(row, 0);
      e.patient_id = id;
      e.fields = nlohmann::json::parse(CellText(row, 1), nullptr, /*allow_exceptions=*/false);
      if (e.fields.is_discarded() || !e.fields.is_object()) {
        return DataLossError("encounter '" + e.encounter_id + "': stored fields are not JSON");
      }
      out.push_back(std::move(e));
    }
  }
  return out;
}

StatusOr<int64_t> EncounterStore::Count() {
  ASSIGN_OR_RETURN(std::vector<SqlRow> rows, store_->Query("SELECT COUNT(*) FROM encounters"));
  return CellInt(rows.at(0), 0, "count");
}

StatusOr<std::string> GetOrCreateSetting(Store* store, const std::string& name,
                                         const std::string& default_value) {
  ASSIGN_OR_RETURN(Transaction tx, Transaction::Start(store));
  ASSIGN_OR_RETURN(std::vector<SqlRow> rows,
                   store->Query("SELECT value FROM serving_settings WHERE name = ?", {name}));
  if (!rows.empty()) return CellText(rows[0], 0);
  RETURN_IF_ERROR(store->Exec("INSERT INTO serving_settings (name, value) VALUES (?, ?)",
                              {name, default_value}));
  RETURN_IF_ERROR(tx.Commit());
  return default_value;
}

}  // namespace staycast::registry
