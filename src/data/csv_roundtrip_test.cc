// Tests for the CSV writer and for CSV -> Table -> CSV round trips: fixed tricky cases, seeded
// random tables, and random or mutated bytes that must give an error or a table, never a crash.
#include <random>

#include "src/core/status_matchers.h"
#include "src/data/csv.h"
#include "src/data/csv_test_util.h"

namespace staycast::data {
namespace {

using ::staycast::data::testing::ReadTextFile;
using ::staycast::data::testing::TablesEqual;
using ::staycast::data::testing::TempPath;
using ::staycast::data::testing::WriteTextFile;
using ::staycast::testing::StatusIs;
using ::testing::HasSubstr;

Status WriteCsv(const Table& table, const std::string& path, const WriteOptions& options = {}) {
  ASSIGN_OR_RETURN(std::unique_ptr<TableWriter> writer,
                   OpenCsvWriter(path, table.schema(), options));
  RETURN_IF_ERROR(writer->Write(table));
  return writer->Commit();
}

// Reads back with the written table's types, as a caller who knows its schema would.
ReadOptions OverridesFor(const Schema& schema) {
  ReadOptions options;
  for (const Field& f : schema.fields) options.type_overrides[f.name] = f.type;
  return options;
}

TEST(CsvWriterTest, QuotesOnlyWhereNeeded) {
  Table t;
  Column name("name", ColumnType::kCategorical);
  for (const char* v : {"plain", "a,b", "say \"hi\"", "two\nlines", " lead", "trail\t", "ü"}) {
    name.AppendCategory(v);
  }
  name.AppendMissing();
  Column n("n", ColumnType::kNumeric);
  for (const double v : {0.1, -2.0, 1e300, 5e-324, 1234567.0, 0.0, 1.0 / 3}) n.AppendNumeric(v);
  n.AppendMissing();
  ASSERT_OK(t.AddColumn(std::move(name)));
  ASSERT_OK(t.AddColumn(std::move(n)));
  const std::string path = TempPath("w.csv");
  ASSERT_OK(WriteCsv(t, path));
  EXPECT_EQ(ReadTextFile(path),
            "name,n\n"
            "plain,0.1\n"
            "\"a,b\",-2\n"
            "\"say \"\"hi\"\"\",1e+300\n"
            "\"two\nlines\",5e-324\n"
            "\" lead\",1234567\n"
            "\"trail\t\",0\n"
            "ü,0.3333333333333333\n"
            ",\n");
}

// Large tables are formatted on several threads; the file must be byte for byte the one thread's.
TEST(CsvWriterTest, ThreadsWriteTheSameFile) {
  const size_t rows = WriteOptions::kParallelWriteRows * 2 + 1001;  // several batches, a short end
  Table t;
  Column name("name", ColumnType::kCategorical);
  Column n("n", ColumnType::kNumeric);
  Column when("when", ColumnType::kTimestamp);
  Column codes("codes", ColumnType::kStringList);
  for (size_t r = 0; r < rows; ++r) {
    if (r % 11 == 0) {
      name.AppendMissing();
    } else {
      name.AppendCategory(r % 3 == 0 ? "a,\"b\"" : "row " + std::to_string(r));
    }
    n.AppendNumeric(static_cast<double>(r) / 7.0);
    when.AppendTimestamp(Timestamp{static_cast<int64_t>(r) * 3601});
    codes.AppendList({"I10", "E11." + std::to_string(r % 10)});
  }
  for (Column* c : {&name, &n, &when, &codes}) ASSERT_OK(t.AddColumn(std::move(*c)));
  const std::string one = TempPath("one.csv");
  ASSERT_OK(WriteCsv(t, one));
  for (int threads : {2, 3}) {
    const std::string many = TempPath("many.csv");
    WriteOptions options;
    options.threads = threads;
    ASSERT_OK(WriteCsv(t, many, options));
    EXPECT_TRUE(ReadTextFile(many) == ReadTextFile(one)) << threads << " threads";
  }
  EXPECT_NE(ReadTextFile(one).find("\"a,\"\"b\"\"\""), std::string::npos);
}

TEST(CsvWriterTest, FileAppearsOnlyAtCommit) {
  Table t;
  Column c("c", ColumnType::kNumeric);
  c.AppendNumeric(1);
  ASSERT_OK(t.AddColumn(std::move(c)));
  const std::string path = TempPath("atomic.csv");
  {
    ASSERT_OK_AND_ASSIGN(std::unique_ptr<TableWriter> writer, OpenCsvWriter(path, t.schema()));
    ASSERT_OK(writer->Write(t));
    EXPECT_FALSE(std::ifstream(path).good());
  }  // dropped without Commit()
  EXPECT_FALSE(std::ifstream(path).good());
  ASSERT_OK(WriteCsv(t, path));
  EXPECT_EQ(ReadTextFile(path), "c\n1\n");

  ASSERT_OK_AND_ASSIGN(std::unique_ptr<TableWriter> writer, OpenCsvWriter(path, t.schema()));
  Table other;
  ASSERT_OK(other.AddColumn(Column("d", ColumnType::kNumeric)));
  EXPECT_THAT(writer->Write(other), StatusIs(StatusCode::kInvalidArgument, HasSubstr("schema")));
  EXPECT_THAT(OpenCsvWriter(path, Schema{}),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("no columns")));
}

TEST(CsvRoundTripTest, TrickyValuesSurviveWithInferredTypes) {
  Table t;
  Column cat("ward", ColumnType::kCategorical);
  Column num("value", ColumnType::kNumeric);
  Column ts("admit_time", ColumnType::kTimestamp);
  Column list("codes", ColumnType::kStringList);
  const std::vector<std::string> cats = {"a,b", "\"q\"", "x\r\ny", " sp ", "é;ß", "z", "", "w"};
  const std::vector<double> nums = {-1.5, 1e308, -4.9e-324, 0.1 + 0.2, 42, -0.0, 7e-7, 3};
  const std::vector<Timestamp> times = {0, -86400 * 365, 1704153600, 4102444799, 1, 59, 3600, 2};
  for (size_t i = 0; i < cats.size(); ++i) {
    if (i == 6) {
      cat.AppendMissing();
      num.AppendMissing();
      ts.AppendMissing();
      list.AppendMissing();
      continue;
    }
    cat.AppendCategory(cats[i]);
    num.AppendNumeric(nums[i]);
    ts.AppendTimestamp(times[i]);
    list.AppendList(i % 2 == 0 ? std::vector<std::string>{"I10", "E11.9", "a b"}
                               : std::vector<std::string>{"Z00"});
  }
  for (Column* c : {&cat, &num, &ts, &list}) ASSERT_OK(t.AddColumn(std::move(*c)));
  const std::string path = TempPath("rt.csv");
  ASSERT_OK(WriteCsv(t, path));
  ReadOptions options;
  options.type_overrides["codes"] = ColumnType::kStringList;
  ASSERT_OK_AND_ASSIGN(Table back, ReadCsv(path, options));
  EXPECT_TRUE(TablesEqual(t, back));
  // And the second trip writes the same bytes.
  const std::string path2 = TempPath("rt2.csv");
  ASSERT_OK(WriteCsv(back, path2));
  EXPECT_EQ(ReadTextFile(path), ReadTextFile(path2));
}

// A random table whose values avoid the documented limits (missing tokens, separators in lists).
Table RandomTable(std::mt19937_64& rng) {
  static const std::vector<std::string> kPieces = {"a", "Z",  "0", "7",  ",",   "\"", "\n", "\r\n",
                                                   " ", "\t", "é", "東", "x y", "-",  ".",  "e"};
  auto pick = [&](size_t n) { return std::uniform_int_distribution<size_t>(0, n - 1)(rng); };
  auto text = [&](bool allow_separator) {
    std::string s;
    const size_t len = 1 + pick(6);
    for (size_t i = 0; i < len; ++i) s += kPieces[pick(kPieces.size())];
    if (allow_separator && pick(4) == 0) s += ";";
    return s;
  };
  const ReadOptions defaults;
  auto is_token = [&](const std::string& s) {
    return std::find(defaults.missing_tokens.begin(), defaults.missing_tokens.end(), s) !=
           defaults.missing_tokens.end();
  };
  Table t;
  const size_t columns = 1 + pick(5);
  const size_t rows = pick(40);
  for (size_t c = 0; c < columns; ++c) {
    const auto type = static_cast<ColumnType>(pick(4));
    Column col("col " + std::to_string(c) + (pick(2) == 0 ? ",\"odd\"" : ""), type);
    for (size_t r = 0; r < rows; ++r) {
      if (pick(6) == 0) {
        col.AppendMissing();
        continue;
      }
      switch (type) {
        case ColumnType::kNumeric: {
          const double mag = std::pow(10.0, std::uniform_real_distribution<double>(-300, 300)(rng));
          col.AppendNumeric(pick(3) == 0
                                ? static_cast<double>(static_cast<int64_t>(pick(1000)) - 500)
                                : (pick(2) == 0 ? -mag : mag));
          break;
        }
        case ColumnType::kCategorical: {
          std::string s = text(true);
          if (is_token(s)) s += "!";
          col.AppendCategory(s);
          break;
        }
        case ColumnType::kTimestamp:
          col.AppendTimestamp(
              std::uniform_int_distribution<Timestamp>(-2208988800, 4102444799)(rng));
          break;
        case ColumnType::kStringList: {
          std::vector<std::string> items(1 + pick(3));
          for (std::string& item : items) item = text(false);
          col.AppendList(items);
          break;
        }
      }
    }
    EXPECT_OK(t.AddColumn(std::move(col)));
  }
  return t;
}

TEST(CsvRoundTripTest, RandomTablesRoundTripWholeAndChunked) {
  for (uint64_t seed = 1; seed <= 60; ++seed) {
    std::mt19937_64 rng(seed);
    const Table t = RandomTable(rng);
    const std::string path = TempPath("random.csv");
    WriteOptions write_options;
    if (seed % 3 == 0) write_options.delimiter = '\t';
    ASSERT_OK(WriteCsv(t, path, write_options));
    ReadOptions options = OverridesFor(t.schema());
    options.delimiter = write_options.delimiter;
    ASSERT_OK_AND_ASSIGN(Table back, ReadCsv(path, options, 16 + seed));
    ASSERT_TRUE(TablesEqual(t, back)) << "seed " << seed;

    options.chunk_rows = 1 + seed % 9;
    ASSERT_OK_AND_ASSIGN(std::unique_ptr<CsvChunkReader> reader,
                         CsvChunkReader::Open(path, options, 20 + seed));
    Table all = Table::FromSchema(reader->schema());
    Table chunk;
    for (;;) {
      ASSERT_OK_AND_ASSIGN(const bool more, reader->Next(&chunk));
      if (!more) break;
      ASSERT_OK(all.Append(chunk));
    }
    ASSERT_TRUE(TablesEqual(t, all)) << "chunked, seed " << seed;
  }
}

// Reading arbitrary bytes must end in a table or an error, never a crash or a hang (run under ASan
// by `make test`).
TEST(CsvRoundTripTest, RandomAndMutatedBytesNeverCrash) {
  std::mt19937_64 rng(7);
  auto pick = [&](size_t n) { return std::uniform_int_distribution<size_t>(0, n - 1)(rng); };
  const std::string valid =
      "\xEF\xBB\xBFid,note,n,when\r\n1,\"a,\"\"b\"\"\nc\",2.5,2024-01-01\n2,é,,2024-01-02 10:00\n";
  const std::string alphabet = "ab,\"\r\n;\xC3\xA9\xFF\xE2\x82 1.e-";
  const std::string path = TempPath("fuzz.csv");
  size_t ok = 0;
  for (int i = 0; i < 600; ++i) {
    std::string bytes = valid;
    if (i % 2 == 0) {
      for (size_t m = 1 + pick(4); m > 0; --m) {
        const size_t at = pick(bytes.size() + 1);
        switch (pick(3)) {
          case 0: bytes.insert(at, 1, alphabet[pick(alphabet.size())]); break;
          case 1:
            if (at < bytes.size()) bytes.erase(at, 1);
            break;
          default:
            if (at < bytes.size()) bytes[at] = static_cast<char>(pick(256));
        }
      }
    } else {
      bytes.resize(pick(60));
      for (char& c : bytes) c = alphabet[pick(alphabet.size())];
    }
    WriteTextFile(path, bytes);
    ReadOptions options;
    options.chunk_rows = 1 + pick(3);
    const StatusOr<Table> whole = ReadCsv(path, options, 16 + pick(8));
    ok += whole.ok() ? 1 : 0;
    StatusOr<std::unique_ptr<CsvChunkReader>> reader = CsvChunkReader::Open(path, options, 16);
    if (!reader.ok()) continue;
    Table chunk;
    for (int n = 0; n < 100; ++n) {
      const StatusOr<bool> more = (*reader)->Next(&chunk);
      if (!more.ok() || !*more) break;
    }
  }
  EXPECT_GT(ok, 0U);  // some mutations stay valid: the test is not only exercising errors
}

}  // namespace
}  // namespace staycast::data
