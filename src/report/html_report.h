// The evaluation report: one self-contained HTML file (inline CSS, inline SVG charts, a tiny inline
// self-check script; no network) rendered from an evaluation JSON (eval::EvaluateFull).
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "src/core/status.h"

namespace staycast::report {

// Renders the report. InvalidArgument when `evaluation` is not a staycast evaluation document.
StatusOr<std::string> RenderHtmlReport(const nlohmann::json& evaluation);

}  // namespace staycast::report
