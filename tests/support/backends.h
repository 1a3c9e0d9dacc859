// The head office's two storage backends, for suites that run every test on both
// (INSTANTIATE_TEST_SUITE_P(..., test::allBackends(), test::backendName)).
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <string>

#include "sync/server/postgres_server_storage.h"
#include "sync/server/sqlite_server_storage.h"
#include "tests/support/postgres_cluster.h"

namespace smp::test {

enum class Backend { kSqlite, kPostgres };

inline auto allBackends() { return ::testing::Values(Backend::kSqlite, Backend::kPostgres); }

inline std::string backendName(const ::testing::TestParamInfo<Backend>& info) {
  return info.param == Backend::kSqlite ? "SQLite" : "PostgreSQL";
}

// One head office on either backend, its files (database or blobs) in `folder`.
class BackendStorage {
 public:
  BackendStorage(Backend backend, const std::filesystem::path& folder) {
    if (backend == Backend::kPostgres) {
      m_database = std::make_unique<PostgresDatabase>();
      m_storage =
          std::make_unique<server::PostgresServerStorage>(m_database->uri(), folder / "blobs");
    } else {
      m_storage = std::make_unique<server::SqliteServerStorage>(folder / "head-office.sqlite");
    }
  }
  server::HeadOfficeStorage& operator*() { return *m_storage; }
  server::HeadOfficeStorage* get() { return m_storage.get(); }
  // The address another storage object (a second server) opens the same head office by.
  std::string address(const std::filesystem::path& folder) const {
    return m_database ? m_database->uri() : (folder / "head-office.sqlite").string();
  }
  void reset() { m_storage.reset(); }

 private:
  std::unique_ptr<PostgresDatabase> m_database;  // outlives the storage (declared first)
  std::unique_ptr<server::HeadOfficeStorage> m_storage;
};

}  // namespace smp::test
