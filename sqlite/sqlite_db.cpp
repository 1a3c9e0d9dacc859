// Implementation of the SQLite RAII layer; every error names what was being done.
#include "sqlite/sqlite_db.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

namespace smp::sqlite {

bool SqliteError::isConstraint() const { return (m_code & 0xFF) == SQLITE_CONSTRAINT; }
bool SqliteError::isCorrupt() const {
  return (m_code & 0xFF) == SQLITE_CORRUPT || (m_code & 0xFF) == SQLITE_NOTADB;
}
bool SqliteError::isFull() const { return (m_code & 0xFF) == SQLITE_FULL; }
bool SqliteError::isIoError() const { return (m_code & 0xFF) == SQLITE_IOERR; }
bool SqliteError::isBusy() const {
  return (m_code & 0xFF) == SQLITE_BUSY || (m_code & 0xFF) == SQLITE_LOCKED;
}

void Statement::Finalizer::operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
void Database::Closer::operator()(sqlite3* db) const { sqlite3_close_v2(db); }
std::int64_t Database::lastInsertRowId() const { return sqlite3_last_insert_rowid(m_db.get()); }
int Database::changes() const { return sqlite3_changes(m_db.get()); }
std::int64_t Database::totalChanges() const { return sqlite3_total_changes64(m_db.get()); }

void Database::check(int rc, std::string_view context) const {
  if (rc == SQLITE_OK || rc == SQLITE_ROW || rc == SQLITE_DONE) return;
  std::string msg(context);
  msg += ": ";
  msg += m_db ? sqlite3_errmsg(m_db.get()) : sqlite3_errstr(rc);
  msg += " (" + m_path + ")";
  throw SqliteError(rc, msg);
}

namespace {

// Health data and tokens: the file is the owner's alone (0600). SQLite gives its -wal and -shm
// files the database file's mode, so creating the file first, private, covers all three; an
// existing file with wider rights is narrowed.
void keepPrivate(const std::filesystem::path& path, bool mayCreate) {
  if (mayCreate) {
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd >= 0) ::close(fd);
  }
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
    const std::string file = path.string() + suffix;
    struct stat st {};
    if (::stat(file.c_str(), &st) == 0 && (st.st_mode & 077) != 0 && st.st_uid == ::geteuid()) {
      ::chmod(file.c_str(), 0600);
    }
  }
}

}  // namespace

Database::Database(const std::filesystem::path& path, OpenMode mode) : m_path(path.string()) {
  int flags = SQLITE_OPEN_FULLMUTEX;
  switch (mode) {
    case OpenMode::kReadWriteCreate:
      flags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
      break;
    case OpenMode::kReadWriteExisting:
      flags |= SQLITE_OPEN_READWRITE;
      break;
    case OpenMode::kReadOnly:
      flags |= SQLITE_OPEN_READONLY;
      break;
  }
  if (mode != OpenMode::kReadOnly) keepPrivate(path, mode == OpenMode::kReadWriteCreate);
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(m_path.c_str(), &raw, flags, nullptr);
  m_db.reset(raw);
  if (rc != SQLITE_OK) {
    const std::string why = raw ? sqlite3_errmsg(raw) : sqlite3_errstr(rc);
    m_db.reset();
    throw SqliteError(rc, "cannot open database " + m_path + ": " + why);
  }
  sqlite3_extended_result_codes(m_db.get(), 1);
  check(sqlite3_busy_timeout(m_db.get(), 5000), "set busy timeout");
  if (mode != OpenMode::kReadOnly) {
    exec("PRAGMA journal_mode=WAL");
    exec("PRAGMA synchronous=FULL");
  }
  exec("PRAGMA foreign_keys=ON");
}

bool Database::checkpointAndTruncateWal() {
  int logFrames = 0, checkpointed = 0;
  const int rc = sqlite3_wal_checkpoint_v2(m_db.get(), nullptr, SQLITE_CHECKPOINT_TRUNCATE,
                                           &logFrames, &checkpointed);
  if (rc == SQLITE_BUSY) return false;
  check(rc, "checkpoint the WAL");
  return true;
}

void Database::exec(std::string_view sql) {
  char* err = nullptr;
  const std::string s(sql);
  const int rc = sqlite3_exec(m_db.get(), s.c_str(), nullptr, nullptr, &err);
  if (rc != SQLITE_OK) {
    std::string msg = err ? err : sqlite3_errstr(rc);
    sqlite3_free(err);
    throw SqliteError(rc, "executing '" + s.substr(0, 60) + "': " + msg + " (" + m_path + ")");
  }
}

int Database::userVersion() {
  Statement st(*this, "PRAGMA user_version");
  st.step();
  return static_cast<int>(st.columnInt(0));
}

std::int64_t Database::dataVersion() {
  Statement st(*this, "PRAGMA data_version");
  st.step();
  return st.columnInt(0);
}

void Database::setUserVersion(int version) {
  exec("PRAGMA user_version=" + std::to_string(version));
}

void Database::requireIntact() {
  Statement st(*this, "PRAGMA quick_check");
  std::string result;
  while (st.step()) {
    if (!result.empty()) result += "; ";
    result += st.columnText(0);
  }
  if (result != "ok")
    throw SqliteError(SQLITE_CORRUPT, "database " + m_path + " is damaged: " + result);
}

Statement::Statement(Database& db, std::string_view sql) : m_db(db) {
  sqlite3_stmt* raw = nullptr;
  const int rc =
      sqlite3_prepare_v2(db.handle(), sql.data(), static_cast<int>(sql.size()), &raw, nullptr);
  m_stmt.reset(raw);
  db.check(rc, "prepare '" + std::string(sql.substr(0, 60)) + "'");
}

Statement& Statement::bind(int index, std::int64_t value) {
  m_db.check(sqlite3_bind_int64(m_stmt.get(), index, value), "bind");
  return *this;
}

Statement& Statement::bind(int index, double value) {
  m_db.check(sqlite3_bind_double(m_stmt.get(), index, value), "bind");
  return *this;
}

Statement& Statement::bind(int index, std::string_view text) {
  m_db.check(sqlite3_bind_text64(m_stmt.get(), index, text.data(), text.size(), SQLITE_TRANSIENT,
                                 SQLITE_UTF8),
             "bind");
  return *this;
}

Statement& Statement::bindBlob(int index, const std::uint8_t* data, std::size_t size) {
  // An empty vector's data() may be null, which SQLite would store as NULL: use zeroblob.
  if (size == 0) {
    m_db.check(sqlite3_bind_zeroblob(m_stmt.get(), index, 0), "bind");
  } else {
    m_db.check(sqlite3_bind_blob64(m_stmt.get(), index, data, size, SQLITE_TRANSIENT), "bind");
  }
  return *this;
}

Statement& Statement::bindNull(int index) {
  m_db.check(sqlite3_bind_null(m_stmt.get(), index), "bind");
  return *this;
}

bool Statement::step() {
  const int rc = sqlite3_step(m_stmt.get());
  m_db.check(rc, "step");
  return rc == SQLITE_ROW;
}

void Statement::run() {
  while (step()) {
  }
}

void Statement::reset() {
  sqlite3_reset(m_stmt.get());
  sqlite3_clear_bindings(m_stmt.get());
}

std::int64_t Statement::columnInt(int index) const {
  return sqlite3_column_int64(m_stmt.get(), index);
}
double Statement::columnDouble(int index) const {
  return sqlite3_column_double(m_stmt.get(), index);
}

std::string Statement::columnText(int index) const {
  const auto* p = sqlite3_column_text(m_stmt.get(), index);
  const int n = sqlite3_column_bytes(m_stmt.get(), index);
  return p ? std::string(reinterpret_cast<const char*>(p), static_cast<std::size_t>(n))
           : std::string();
}

std::vector<std::uint8_t> Statement::columnBlob(int index) const {
  const auto* p = static_cast<const std::uint8_t*>(sqlite3_column_blob(m_stmt.get(), index));
  const int n = sqlite3_column_bytes(m_stmt.get(), index);
  return p ? std::vector<std::uint8_t>(p, p + n) : std::vector<std::uint8_t>();
}

bool Statement::columnIsNull(int index) const {
  return sqlite3_column_type(m_stmt.get(), index) == SQLITE_NULL;
}

Transaction::Transaction(Database& db, bool immediate) : m_db(db) {
  m_db.exec(immediate ? "BEGIN IMMEDIATE" : "BEGIN");
}

Transaction::~Transaction() {
  if (!m_done) {
    try {
      m_db.exec("ROLLBACK");
    } catch (...) {
      // A failed rollback leaves SQLite to roll back on close; destructors must not throw.
    }
  }
}

void Transaction::commit() {
  m_db.exec("COMMIT");
  m_done = true;
}

}  // namespace smp::sqlite
