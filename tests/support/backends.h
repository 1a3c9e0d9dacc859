// The head office's two storage backends, for suites that run every test on both
// (INSTANTIATE_TEST_SUITE_P(..., test::allBackends(), test::backendName)).
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <ostream>
#include <string>

#include "sync/server/postgres_server_storage.h"
#include "sync/server/sqlite_server_storage.h"
#include "tests/support/postgres_cluster.h"

namespace smp::test {

enum class Backend { kSqlite, kPostgres };

inline auto allBackends() { return ::testing::Values(Backend::kSqlite, Backend::kPostgres); }

// How gtest (and so ctest's test list) prints the parameter: "SQLite", not the enum's bytes.
inline void PrintTo(Backend backend, std::ostream* out) {
  *out << (backend == Backend::kSqlite ? "SQLite" : "PostgreSQL");
}

inline std::string backendName(const ::testing::TestParamInfo<Backend>& info) {
  return info.param == Backend::kSqlite ? "SQLite" : "PostgreSQL";
}

// One head office on either backend, its files (database or blobs) in `folder`.
class BackendStorage {
 public:
  BackendStorage(Backend backend, const std::filesystem::path& folder) {
    if (backend == Backend::kPostgres) {
      m_database = std::make_unique<PostgresDatabase>();
      m_address = m_database->uri();
      m_storage = std::make_unique<server::PostgresServerStorage>(m_address, folder / "blobs");
    } else {
      m_address = (folder / "head-office.sqlite").string();
      m_storage = std::make_unique<server::SqliteServerStorage>(m_address);
    }
  }
  // Another storage object on the head office `first` opened (its database and blob folder),
  // as a second server process would open it.
  struct AlsoOpen {
    const BackendStorage& first;
  };
  explicit BackendStorage(AlsoOpen again)
      : m_storage(server::openHeadOfficeStorage(again.first.m_address,
                                                again.first.m_storage->blobFolder())),
        m_address(again.first.m_address) {}
  server::HeadOfficeStorage& operator*() { return *m_storage; }
  server::HeadOfficeStorage* get() { return m_storage.get(); }
  // What --db would say for this head office.
  const std::string& address() const { return m_address; }

 private:
  std::unique_ptr<PostgresDatabase> m_database;  // outlives the storage (declared first)
  std::unique_ptr<server::HeadOfficeStorage> m_storage;
  std::string m_address;
};

}  // namespace smp::test
