// Tests for the CSV reader: RFC 4180 parsing, encodings and line endings, type inference,
// overrides, missing tokens, and the errors a broken file must produce.
#include "src/data/csv.h"

#include <cmath>

#include "src/core/status_matchers.h"
#include "src/data/csv_test_util.h"

namespace staycast::data {
namespace {

using ::staycast::data::testing::TablesEqual;
using ::staycast::data::testing::TempPath;
using ::staycast::data::testing::WriteTextFile;
using ::staycast::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

// Writes `contents` to a temporary file and reads it.
StatusOr<Table> ReadText(const std::string& contents, const ReadOptions& options = {},
                         const std::string& name = "t.csv") {
  const std::string path = TempPath(name);
  WriteTextFile(path, contents);
  return ReadCsv(path, options);
}

TEST(CsvReaderTest, ReadsQuotedFieldsWithDelimitersQuotesAndNewlines) {
  ASSERT_OK_AND_ASSIGN(Table t, ReadText("name,note,n\n"
                                         "\"Smith, J\",\"said \"\"hi\"\"\nthen left\",3\n"
                                         "plain,\"\",4\n"));
  ASSERT_EQ(t.num_rows(), 2U);
  EXPECT_EQ(t.column(0).CategoryAt(0), "Smith, J");
  EXPECT_EQ(t.column(1).CategoryAt(0), "said \"hi\"\nthen left");
  EXPECT_TRUE(t.column(1).IsMissing(1));
  EXPECT_EQ(t.column(2).type(), ColumnType::kNumeric);
  EXPECT_EQ(t.column(2).numeric()[1], 4.0);
}

TEST(CsvReaderTest, HandlesCrlfCrBomAndMissingFinalNewline) {
  ASSERT_OK_AND_ASSIGN(Table crlf, ReadText("\xEF\xBB\xBF"
                                            "a,b\r\n1,x\r\n2,\"y\r\nz\"\r\n"));
  ASSERT_EQ(crlf.num_rows(), 2U);
  EXPECT_EQ(crlf.column(0).name(), "a");
  EXPECT_EQ(crlf.column(1).CategoryAt(0), "x");
  EXPECT_EQ(crlf.column(1).CategoryAt(1), "y\r\nz");

  ASSERT_OK_AND_ASSIGN(Table cr, ReadText("a,b\r1,x\r2,y"));
  ASSERT_EQ(cr.num_rows(), 2U);
  EXPECT_EQ(cr.column(1).CategoryAt(1), "y");

  ASSERT_OK_AND_ASSIGN(Table blank, ReadText("a,b\n\n1,x\n\r\n\n2,y\n\n"));
  EXPECT_EQ(blank.num_rows(), 2U);
}

TEST(CsvReaderTest, ReadsOtherDelimitersAndUtf8) {
  ReadOptions options;
  options.delimiter = '\t';
  ASSERT_OK_AND_ASSIGN(Table t, ReadText("city\tn\nZürich, CH\t1\n東京\t2\n", options));
  EXPECT_EQ(t.column(0).CategoryAt(0), "Zürich, CH");
  EXPECT_EQ(t.column(0).CategoryAt(1), "東京");
}

TEST(CsvReaderTest, RaggedRowNamesLineAndFieldCounts) {
  EXPECT_THAT(ReadText("a,b,c\n1,2,3\n4,5\n"),
              StatusIs(StatusCode::kInvalidArgument,
                       HasSubstr("t.csv:3: expected 3 fields (as in the header), found 2")));
  EXPECT_THAT(ReadText("a,b\n1,2\n\"x\ny\",2,3\n"),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("t.csv:3: expected 2 fields")));
}

TEST(CsvReaderTest, UnterminatedQuoteNamesTheLineWhereItOpened) {
  EXPECT_THAT(ReadText("a,b\n1,2\n3,\"open\n4,5\n6,7\n"),
              StatusIs(StatusCode::kInvalidArgument,
                       HasSubstr("t.csv:3: unterminated quoted field in column 'b': the quote "
                                 "opened on line 3")));
}

TEST(CsvReaderTest, TextAfterClosingQuoteIsAnError) {
  EXPECT_THAT(ReadText("a,b\n1,\"x\"y\n"),
              StatusIs(StatusCode::kInvalidArgument,
                       HasSubstr("t.csv:2: column 'b': unexpected 'y' after the closing quote")));
}

TEST(CsvReaderTest, InvalidUtf8NamesLineAndColumn) {
  EXPECT_THAT(ReadText("a,b\n1,caf\xE9\n"),
              StatusIs(StatusCode::kInvalidArgument,
                       HasSubstr("t.csv:2: column 'b', byte 6 of the line: invalid UTF-8 byte "
                                 "0xE9")));
  EXPECT_THAT(ReadText("a,b\n1,\"x\ny\xC0\x80\"\n"),  // overlong, inside a quoted field
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("t.csv:3: column 'b', byte 2")));
  EXPECT_THAT(ReadText("a,b\n1,\xE2\x82"),  // cut off by the end of the file
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("t.csv:2: column 'b'")));
  EXPECT_THAT(ReadText("a,\xFF\n"),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("t.csv:1: field 2")));
}

TEST(CsvReaderTest, BadNumberUnderOverrideNamesFileLineColumnAndValue) {
  ReadOptions options;
  options.type_overrides["age"] = ColumnType::kNumeric;
  EXPECT_THAT(
      ReadText("id,age\nA1,34\nA2,\"long\nnote\"\nA3,forty\n", options, "admissions.csv"),
      StatusIs(
          StatusCode::kInvalidArgument,
          HasSubstr("admissions.csv:3: column 'age': expected a number, got \"long\\nnote\"")));
  EXPECT_THAT(
      ReadText("id,age\nA1,34\nA2,forty\n", options, "admissions.csv"),
      StatusIs(StatusCode::kInvalidArgument,
               HasSubstr("admissions.csv:3: column 'age': expected a number, got \"forty\"")));
  options.type_overrides = {{"t", ColumnType::kTimestamp}};
  EXPECT_THAT(ReadText("t\n2024-01-02\n2024-13-02\n", options),
              StatusIs(StatusCode::kInvalidArgument,
                       HasSubstr("t.csv:3: column 't': expected a timestamp")));
}

TEST(CsvReaderTest, MissingTokensAreConfigurable) {
  ASSERT_OK_AND_ASSIGN(Table t, ReadText("n,c\n1,x\nNA,NA\n,?\nnan,NULL\n"));
  EXPECT_EQ(t.column(0).type(), ColumnType::kNumeric);
  EXPECT_EQ(t.column(0).CountMissing(), 3U);
  EXPECT_EQ(t.column(1).CountMissing(), 3U);

  ReadOptions options;
  options.missing_tokens = {"-", ""};
  ASSERT_OK_AND_ASSIGN(Table u, ReadText("c\nx\nNA\n-\n\"\"\n", options));
  EXPECT_EQ(u.column(0).type(), ColumnType::kCategorical);
  EXPECT_EQ(u.column(0).CategoryAt(1), "NA");
  EXPECT_TRUE(u.column(0).IsMissing(2));
  EXPECT_TRUE(u.column(0).IsMissing(3));
}

TEST(CsvReaderTest, InfersTypesOverTheWholeFile) {
  ASSERT_OK_AND_ASSIGN(Table t, ReadText("num,ts,cat,empty,late\n"
                                         "1.5,2024-01-02,a,,1.50\n"
                                         " +2 ,2024-01-02 10:30,3,NA,2\n"
                                         "-3e2,2024-01-02T10:30:05Z,b,,x\n"
                                         "inf,,c,,3\n"));
  EXPECT_EQ(t.column(0).type(), ColumnType::kNumeric);
  EXPECT_EQ(t.column(0).numeric()[1], 2.0);
  EXPECT_EQ(t.column(0).numeric()[2], -300.0);
  EXPECT_TRUE(t.column(0).IsMissing(3));  // inf is missing
  EXPECT_EQ(t.column(1).type(), ColumnType::kTimestamp);
  EXPECT_EQ(t.column(1).timestamps()[0], 1704153600);
  EXPECT_TRUE(t.column(1).IsMissing(3));
  EXPECT_EQ(t.column(2).type(), ColumnType::kCategorical);
  EXPECT_EQ(t.column(2).CategoryAt(1), "3");
  EXPECT_EQ(t.column(3).type(), ColumnType::kNumeric);
  EXPECT_EQ(t.column(3).CountMissing(), 4U);
  // Looked numeric until row 3: read again as text, so "1.50" keeps its spelling.
  EXPECT_EQ(t.column(4).type(), ColumnType::kCategorical);
  EXPECT_EQ(t.column(4).CategoryAt(0), "1.50");
  EXPECT_EQ(t.column(4).CategoryAt(2), "x");
}

TEST(CsvReaderTest, OverridesFixTypesAndSplitLists) {
  ReadOptions options;
  options.type_overrides = {{"zip", ColumnType::kCategorical}, {"codes", ColumnType::kStringList}};
  ASSERT_OK_AND_ASSIGN(Table t, ReadText("zip,codes\n007,I10;E11.9\n010,\nNA,Z00\n", options));
  EXPECT_EQ(t.column(0).CategoryAt(0), "007");
  EXPECT_TRUE(t.column(0).IsMissing(2));
  EXPECT_THAT(t.column(1).lists()[0], ElementsAre("I10", "E11.9"));
  EXPECT_TRUE(t.column(1).IsMissing(1));
  EXPECT_THAT(t.column(1).lists()[2], ElementsAre("Z00"));

  options.type_overrides = {{"nope", ColumnType::kNumeric}};
  EXPECT_THAT(ReadText("zip,codes\n1,2\n", options),
              StatusIs(StatusCode::kInvalidArgument,
                       HasSubstr("override for column 'nope', but the file has no such column "
                                 "(columns: zip, codes)")));
  // Scoring input may omit columns: then an override for an absent column is ignored.
  options.ignore_absent_overrides = true;
  options.type_overrides = {{"nope", ColumnType::kNumeric}, {"zip", ColumnType::kCategorical}};
  ASSERT_OK_AND_ASSIGN(Table u, ReadText("zip,codes\n007,2\n", options));
  EXPECT_EQ(u.num_columns(), 2u);
  EXPECT_EQ(u.column(0).CategoryAt(0), "007");
  EXPECT_EQ(u.FindColumn("nope"), nullptr);
}

TEST(CsvReaderTest, HeaderIsRequiredAndChecked) {
  EXPECT_THAT(ReadText(""),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("t.csv: the file is empty")));
  EXPECT_THAT(ReadText("\xEF\xBB\xBF\n\n"),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("empty")));
  EXPECT_THAT(
      ReadText("a,b,a\n1,2,3\n"),
      StatusIs(StatusCode::kInvalidArgument,
               HasSubstr("t.csv:1: column 3 of the header repeats the name 'a' of column 1")));
  EXPECT_THAT(ReadText("a,,c\n"),
              StatusIs(StatusCode::kInvalidArgument,
                       HasSubstr("t.csv:1: column 2 of the header has an empty name")));
  ReadOptions options;
  options.type_overrides = {{"b", ColumnType::kTimestamp}};
  ASSERT_OK_AND_ASSIGN(Table t, ReadText("a,b\r\n", options));
  EXPECT_EQ(t.num_rows(), 0U);
  EXPECT_EQ(t.schema(), (Schema{{{"a", ColumnType::kNumeric}, {"b", ColumnType::kTimestamp}}}));
  EXPECT_THAT(ReadCsv(TempPath("does_not_exist.csv")),
              StatusIs(StatusCode::kNotFound, HasSubstr("cannot open")));
}

TEST(CsvReaderTest, TinyBlocksGiveTheSameTable) {
  std::string text = "id,note,value,when\n";
  for (int i = 0; i < 200; ++i) {
    text += "id" + std::to_string(i) + ",\"a, \"\"quoted\"\"\r\nnote " + std::to_string(i) +
            " é\"," + std::to_string(i * 0.25) + ",2024-02-" + std::to_string(1 + i % 28) +
            (i % 3 == 0 ? "\r\n" : "\n");
  }
  const std::string path = TempPath("tiny.csv");
  WriteTextFile(path, text);
  ASSERT_OK_AND_ASSIGN(Table whole, ReadCsv(path));
  ASSERT_EQ(whole.num_rows(), 200U);
  for (const size_t block : {16, 17, 31, 64, 1000}) {
    ASSERT_OK_AND_ASSIGN(Table small, ReadCsv(path, {}, block));
    EXPECT_TRUE(TablesEqual(whole, small)) << "block " << block;
  }
}

TEST(CsvChunkReaderTest, ChunksConcatenateToTheWholeTable) {
  std::string text = "id,x,kind\n";
  for (int i = 0; i < 50; ++i) {
    text += std::to_string(i) + "," + (i % 7 == 0 ? "" : std::to_string(i * 1.5)) + "," +
            (i < 3 ? "1" : "k" + std::to_string(i % 4)) + "\n";
  }
  const std::string path = TempPath("chunks.csv");
  WriteTextFile(path, text);
  ASSERT_OK_AND_ASSIGN(Table whole, ReadCsv(path));
  ReadOptions options;
  options.chunk_rows = 8;
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<CsvChunkReader> reader,
                       CsvChunkReader::Open(path, options, 32));
  EXPECT_EQ(reader->schema(), whole.schema());
  Table all = Table::FromSchema(reader->schema());
  Table chunk;
  size_t chunks = 0;
  for (;;) {
    ASSERT_OK_AND_ASSIGN(const bool more, reader->Next(&chunk));
    if (!more) break;
    EXPECT_LE(chunk.num_rows(), 8U);
    ASSERT_OK(all.Append(chunk));
    ++chunks;
  }
  EXPECT_EQ(chunks, 7U);
  EXPECT_EQ(chunk.num_rows(), 0U);
  EXPECT_TRUE(TablesEqual(whole, all));
}

TEST(CsvChunkReaderTest, LateValueThatDoesNotFitSuggestsAnOverride) {
  std::string text = "id,age\n";
  for (int i = 0; i < 20; ++i)
    text += "p" + std::to_string(i) + "," + std::to_string(30 + i) + "\n";
  text += "p20,forty\n";
  const std::string path = TempPath("late.csv");
  WriteTextFile(path, text);
  ReadOptions options;
  options.chunk_rows = 10;
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<CsvChunkReader> reader, CsvChunkReader::Open(path, options));
  Table chunk;
  Status status;
  for (int i = 0; i < 5 && status.ok(); ++i) {
    StatusOr<bool> more = reader->Next(&chunk);
    status = more.status();
    if (more.ok() && !*more) break;
  }
  EXPECT_THAT(status, StatusIs(StatusCode::kInvalidArgument,
                               HasSubstr("late.csv:22: column 'age': expected a number, got "
                                         "\"forty\" (the column's type was inferred from the "
                                         "first 10 rows; give column 'age' a type override")));
  // Over the whole file the same column is simply categorical.
  ASSERT_OK_AND_ASSIGN(Table whole, ReadCsv(path));
  EXPECT_EQ(whole.column(1).type(), ColumnType::kCategorical);
}

TEST(CsvChunkReaderTest, HeaderOnlyFileHasASchemaAndNoChunks) {
  const std::string path = TempPath("header.csv");
  WriteTextFile(path, "a,b\n");
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<CsvChunkReader> reader, CsvChunkReader::Open(path));
  EXPECT_EQ(reader->schema().fields.size(), 2U);
  Table chunk;
  ASSERT_OK_AND_ASSIGN(const bool more, reader->Next(&chunk));
  EXPECT_FALSE(more);
}

}  // namespace
}  // namespace staycast::data
