// ReadCsv with ReadOptions::threads: a file read in two parts on two threads must give exactly the
// table (or the error) of one reader, including when the split guess is wrong (a stray quote) or
// the parts infer different column types.
#include <functional>
#include <string>

#include "src/core/status_matchers.h"
#include "src/data/csv.h"
#include "src/data/csv_test_util.h"

namespace staycast::data {
namespace {

using ::staycast::data::testing::TablesEqual;
using ::staycast::data::testing::TempPath;
using ::staycast::data::testing::WriteTextFile;

constexpr size_t kRows = 6000;

// A header and kRows records, record r given by `row(r)` (which ends it with `eol`).
std::string MakeFile(const std::string& header, const std::function<std::string(size_t)>& row) {
  std::string text = header;
  for (size_t r = 0; r < kRows; ++r) text += row(r);
  return text;
}

// Reads `text` on one thread and on two; expects the same table or the same error, and returns
// how many parts the two-thread read used (0 on error).
int ReadBothWays(const std::string& text, ReadOptions options, size_t block_bytes) {
  const std::string path = TempPath("parallel.csv");
  WriteTextFile(path, text);
  options.threads = 1;
  const StatusOr<Table> one = ReadCsv(path, options, block_bytes);
  options.threads = 2;
  options.parallel_min_bytes = 1;
  CsvReadStats stats;
  const StatusOr<Table> two = ReadCsv(path, options, block_bytes, &stats);
  EXPECT_EQ(one.ok(), two.ok());
  if (!one.ok() || !two.ok()) {
    EXPECT_EQ(one.status().ToString(), two.status().ToString());
    return 0;
  }
  EXPECT_TRUE(TablesEqual(*one, *two));
  return stats.parts;
}

// Quoted names with delimiters, doubled quotes and line breaks; missing ages; timestamps; lists.
std::string Record(size_t r, const std::string& eol) {
  std::string name = "n" + std::to_string(r);
  if (r % 5 == 0) name = "\"" + name + ", \"\"x\"\"" + eol + "second line\"";
  const std::string age = r % 7 == 0 ? "NA" : std::to_string(20 + r % 60);
  return std::to_string(r) + "," + name + "," + age + ",2024-01-" + std::to_string(10 + r % 18) +
         " 08:30:00," + "I10;E11." + std::to_string(r % 9) + eol;
}

TEST(CsvParallelTest, TwoPartsGiveTheSameTable) {
  ReadOptions options;
  options.type_overrides["codes"] = ColumnType::kStringList;
  for (const std::string eol : {"\n", "\r\n"}) {
    const std::string text =
        MakeFile("id,name,age,when,codes" + eol, [&](size_t r) { return Record(r, eol); });
    for (size_t block : {kCsvBlockBytes, size_t{4096}}) {
      EXPECT_EQ(ReadBothWays(text, options, block), 2) << "block " << block;
    }
  }
}

TEST(CsvParallelTest, AStrayQuoteMisleadsTheSplitAndOneReaderFinishes) {
  // One quote inside an unquoted field (read as text) before the middle flips the quote count,
  // so the split guess lands inside a quoted field; every later record has a multi-line field.
  const std::string text = MakeFile("id,note\n", [](size_t r) {
    if (r == 1500) return std::to_string(r) + ",5\" screen\n";
    return std::to_string(r) + (r > 1500 ? ",\"one\ntwo\"\n" : ",plain\n");
  });
  EXPECT_EQ(ReadBothWays(text, {}, kCsvBlockBytes), 1);
}

TEST(CsvParallelTest, PartsThatInferDifferentTypesFallBackToOneReader) {
  // x is numeric in the first part only; y is missing in the first part and a timestamp later.
  const std::string text = MakeFile("id,x,y\n", [](size_t r) {
    const bool late = r >= 4000;
    return std::to_string(r) + "," + (late ? "high" : std::to_string(r)) + "," +
           (late ? "2024-02-01 10:00:00" : "") + "\n";
  });
  EXPECT_EQ(ReadBothWays(text, {}, kCsvBlockBytes), 1);
}

TEST(CsvParallelTest, AnErrorInTheSecondPartNamesItsLine) {
  const std::string text = MakeFile("id,name,age,when,codes\n", [](size_t r) {
    return r == 5000 ? std::string("5000,extra,1,2024-01-10 08:30:00,I10,oops\n") : Record(r, "\n");
  });
  ReadOptions options;
  options.type_overrides["codes"] = ColumnType::kStringList;
  EXPECT_EQ(ReadBothWays(text, options, kCsvBlockBytes), 0);
}

TEST(CsvParallelTest, TheFirstPartsErrorIsTheOneReported) {
  const std::string text = MakeFile("id,name,age,when,codes\n", [](size_t r) {
    if (r == 2000) return std::string("2000,a,forty,2024-01-10 08:30:00,I10\n");
    if (r == 5000) return std::string("5000,b,fifty,2024-01-10 08:30:00,I10\n");
    return Record(r, "\n");
  });
  ReadOptions options;
  options.type_overrides["codes"] = ColumnType::kStringList;
  options.type_overrides["age"] = ColumnType::kNumeric;
  EXPECT_EQ(ReadBothWays(text, options, kCsvBlockBytes), 0);
}

}  // namespace
}  // namespace staycast::data
