// `staycast features CONFIG --out FILE`: fits the config's feature pipeline on all rows of its data
// and writes the feature matrix (with ids) for inspection; optionally saves the fitted pipeline.
#include <spdlog/spdlog.h>

#include <memory>

#include "src/cli/command.h"
#include "src/data/io.h"
#include "src/features/config.h"
#include "src/features/pipeline.h"

namespace staycast::cli {
namespace {

struct FeaturesCommandOptions {
  std::string config;
  std::string data;
  std::string out;
  std::string save_pipeline;
};

Status RunFeaturesCommand(const FeaturesCommandOptions& opts) {
  ASSIGN_OR_RETURN(features::RunConfig config, features::LoadConfig(Env::Default(), opts.config));
  const std::string source = opts.data.empty() ? config.data.source : opts.data;
  ASSIGN_OR_RETURN(data::Table table, data::ReadTable(source, config.MakeReadOptions()));
  const std::string id = config.IdColumn();
  ASSIGN_OR_RETURN(features::FeaturePipeline pipeline,
                   features::FeaturePipeline::Create(std::move(config)));
  features::TransformReport report;
  ASSIGN_OR_RETURN(features::FeatureMatrix matrix, pipeline.FitTransform(table, &report));
  data::Table out;
  if (!id.empty()) {
    if (const data::Column* ids = table.FindColumn(id)) RETURN_IF_ERROR(out.AddColumn(*ids));
  }
  for (size_t j = 0; j < matrix.fields.size(); ++j) {
    data::Column col(matrix.fields[j].name, data::ColumnType::kNumeric);
    col.numeric() = std::move(matrix.columns[j]);
    RETURN_IF_ERROR(out.AddColumn(std::move(col)));
  }
  RETURN_IF_ERROR(data::WriteTable(out, opts.out));
  if (!opts.save_pipeline.empty())
    RETURN_IF_ERROR(pipeline.Save(Env::Default(), opts.save_pipeline));
  spdlog::info("wrote {} rows x {} features to {}", matrix.num_rows, matrix.fields.size(),
               opts.out);
  if (!report.empty()) spdlog::warn("{}", report.ToString());
  return OkStatus();
}

}  // namespace

void AddFeaturesCommand(CLI::App& app, CommandAction* action) {
  auto opts = std::make_shared<FeaturesCommandOptions>();
  CLI::App* sub = app.add_subcommand(
      "features", "Fit the config's features on its data and write the feature matrix");
  sub->add_option("config", opts->config, "Run config (YAML)")->required();
  sub->add_option("--out", opts->out, "Where to write the matrix (CSV path or table location)")
      ->required();
  sub->add_option("--data", opts->data, "Read this location instead of the config's data.source");
  sub->add_option("--save-pipeline", opts->save_pipeline,
                  "Also save the fitted feature pipeline (JSON)");
  sub->callback([opts, action] { *action = [opts] { return RunFeaturesCommand(*opts); }; });
}

}  // namespace staycast::cli
