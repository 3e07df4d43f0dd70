// The files inside a trained-model bundle (see docs/bundle.md). The trainer writes them; the
// Predictor and the registry read them.
#pragma once

namespace staycast::bundle {

inline constexpr const char* kConfigFile = "config.yaml";             // the run config as given
inline constexpr const char* kPipelineFile = "pipeline.json";         // fitted FeaturePipeline
inline constexpr const char* kModelConfigFile = "model_config.json";  // hyperparameters
inline constexpr const char* kModelStateFile = "model_state.json";    // learned state
inline constexpr const char* kCalibrationFile = "calibration.json";   // classification only
inline constexpr const char* kIntervalsFile = "intervals.json";       // regression only
inline constexpr const char* kSchemaFile = "input_schema.json";       // columns the model reads
inline constexpr const char* kProfileFile = "reference_profile.json";
inline constexpr const char* kMetricsFile = "metrics.json";  // comparison and test metrics
// The full test-split evaluation (eval::EvaluateFull); `staycast evaluate BUNDLE` renders it.
inline constexpr const char* kEvaluationFile = "evaluation.json";
inline constexpr const char* kTestPredictionsFile = "test_predictions.csv";
inline constexpr const char* kRunLogFile = "run.log";

}  // namespace staycast::bundle
