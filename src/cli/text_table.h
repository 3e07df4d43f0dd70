// Aligned plain-text tables for people (the --json forms are for scripts).
#pragma once

#include <string>
#include <vector>

namespace staycast::cli {

// Left-aligned columns separated by two spaces, a header line, and one line per row. Short rows are
// padded with empty cells.
// Writes text to stdout as is (the commands' tables and reports).
void Print(const std::string& text);

std::string FormatTextTable(const std::vector<std::string>& header,
                            const std::vector<std::vector<std::string>>& rows);

}  // namespace staycast::cli
