// A thin RAII layer over SQLite: every return code goes through check(), handles are owned,
// and a Transaction rolls back unless committed. Shared by the kiosk store and the server.
// SQLite's own header stays in sqlite_db.cpp: users see our types, not sqlite3's (after
// SQLiteCpp's forward-declared handles).
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

struct sqlite3;
struct sqlite3_stmt;

namespace smp::sqlite {

class SqliteError : public std::runtime_error {
 public:
  SqliteError(int code, const std::string& message) : std::runtime_error(message), m_code(code) {}
  int code() const { return m_code; }
  bool isConstraint() const;
  bool isCorrupt() const;  // damaged, or not a database at all
  bool isFull() const;     // the disk (or the database's size limit) is full
  bool isIoError() const;  // the operating system refused a read or write
  bool isBusy() const;     // another connection held a lock past the busy timeout

 private:
  int m_code;
};

class Database;

class Statement {
 public:
  Statement(Database& db, std::string_view sql);
  Statement& bind(int index, std::int64_t value);
  Statement& bind(int index, int value) { return bind(index, static_cast<std::int64_t>(value)); }
  Statement& bind(int index, double value);
  Statement& bind(int index, std::string_view text);
  Statement& bind(int index, const char* text) { return bind(index, std::string_view(text)); }
  Statement& bind(int index, const std::string& text) {
    return bind(index, std::string_view(text));
  }
  Statement& bindBlob(int index, const std::uint8_t* data, std::size_t size);
  Statement& bindBlob(int index, const std::vector<std::uint8_t>& bytes) {
    return bindBlob(index, bytes.data(), bytes.size());
  }
  Statement& bindNull(int index);

  // Returns true while a row is available.
  bool step();
  // Runs a statement that returns no rows.
  void run();
  void reset();

  std::int64_t columnInt(int index) const;
  double columnDouble(int index) const;
  std::string columnText(int index) const;
  std::vector<std::uint8_t> columnBlob(int index) const;
  bool columnIsNull(int index) const;

 private:
  struct Finalizer {
    void operator()(sqlite3_stmt* s) const;
  };
  Database& m_db;
  std::unique_ptr<sqlite3_stmt, Finalizer> m_stmt;
};

enum class OpenMode { kReadWriteCreate, kReadWriteExisting, kReadOnly };

class Database {
 public:
  // Opens with WAL, synchronous=FULL, foreign keys on and a busy timeout.
  explicit Database(const std::filesystem::path& path, OpenMode mode = OpenMode::kReadWriteCreate);
  sqlite3* handle() const { return m_db.get(); }
  const std::string& path() const { return m_path; }

  void exec(std::string_view sql);
  // Copies the WAL into the database and truncates the WAL to zero bytes, so that rows deleted
  // with secure_delete leave no copy in the WAL either. False when a reader still holds an
  // older snapshot (the copy then goes at the next checkpoint).
  bool checkpointAndTruncateWal();
  std::int64_t lastInsertRowId() const;
  int changes() const;
  // Rows changed through this connection since it opened.
  std::int64_t totalChanges() const;
  // PRAGMA data_version: changes whenever another connection commits to the file.
  std::int64_t dataVersion();
  int userVersion();
  void setUserVersion(int version);
  // PRAGMA quick_check; throws SqliteError(SQLITE_CORRUPT) with SQLite's own words when not ok.
  void requireIntact();

  // Throws SqliteError with the code and the connection's message unless rc is OK/ROW/DONE.
  void check(int rc, std::string_view context) const;

 private:
  struct Closer {
    void operator()(sqlite3* db) const;
  };
  std::string m_path;
  std::unique_ptr<sqlite3, Closer> m_db;
};

class Transaction {
 public:
  explicit Transaction(Database& db, bool immediate = true);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  void commit();

 private:
  Database& m_db;
  bool m_done = false;
};

}  // namespace smp::sqlite
