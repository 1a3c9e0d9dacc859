// The SQLite wrapper the store and the server share: every failure is an SqliteError that names
// what was being done and the file; a transaction not committed is rolled back; damage is
// reported, never repaired; the change stamp moves for this connection's writes and for others'.
#include "sqlite/sqlite_db.h"

#include <gtest/gtest.h>

#include <fstream>

#include "tests/support/temp_dir.h"

namespace smp::sqlite {
namespace {

class SqliteDbTest : public ::testing::Test {
 protected:
  std::filesystem::path file() const { return dir.path() / "db.sqlite"; }
  std::int64_t count(Database& db) {
    Statement st(db, "SELECT COUNT(*) FROM t");
    st.step();
    return st.columnInt(0);
  }
  test::TempDir dir;
};

TEST_F(SqliteDbTest, AFailureNamesTheStatementAndTheFile) {
  Database db(file());
  try {
    db.exec("SELECT * FROM no_such_table");
    FAIL() << "no error";
  } catch (const SqliteError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("no_such_table"), std::string::npos) << what;
    EXPECT_NE(what.find("db.sqlite"), std::string::npos) << what;
    EXPECT_FALSE(e.isCorrupt());
  }
}

TEST_F(SqliteDbTest, ATransactionNotCommittedIsRolledBack) {
  Database db(file());
  db.exec("CREATE TABLE t (x INTEGER)");
  {
    Transaction tx(db);
    db.exec("INSERT INTO t VALUES (1)");
  }  // an exception in between would leave the same way
  EXPECT_EQ(count(db), 0);
  {
    Transaction tx(db);
    db.exec("INSERT INTO t VALUES (1)");
    tx.commit();
  }
  EXPECT_EQ(count(db), 1);
}

TEST_F(SqliteDbTest, ADamagedFileIsReportedAsCorruptAndLeftAlone) {
  {
    std::ofstream out(file(), std::ios::binary);
    out << std::string(8192, '\x5a');  // not a database
  }
  const auto before = std::filesystem::file_size(file());
  bool corrupt = false;
  try {
    Database db(file());
    db.requireIntact();
  } catch (const SqliteError& e) {
    corrupt = e.isCorrupt();
  }
  EXPECT_TRUE(corrupt);
  EXPECT_EQ(std::filesystem::file_size(file()), before) << "nothing was written over it";
}

TEST_F(SqliteDbTest, TheChangeStampMovesForOwnWritesAndForOtherConnections) {
  Database mine(file());
  mine.exec("CREATE TABLE t (x INTEGER)");
  const std::int64_t own = mine.totalChanges(), others = mine.dataVersion();
  mine.exec("INSERT INTO t VALUES (1)");
  EXPECT_GT(mine.totalChanges(), own);
  EXPECT_EQ(mine.dataVersion(), others) << "data_version counts other connections only";
  Database theirs(file());
  theirs.exec("INSERT INTO t VALUES (2)");
  EXPECT_NE(mine.dataVersion(), others) << "another connection's commit is seen";
  EXPECT_EQ(count(mine), 2);
}

}  // namespace
}  // namespace smp::sqlite
