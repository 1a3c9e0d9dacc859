// A throwaway PostgreSQL cluster for tests and benchmarks: Debian's postgresql binaries, a data
// folder and a Unix socket in one temporary folder, no TCP port, stopped by its PID.
//
// ctest starts one cluster for a whole run (the `postgres` fixture: tests/CMakeLists.txt) and
// names its folder in $SMP_TEST_POSTGRES; a test binary run by hand starts its own on first
// use and stops it at exit. Each test gets a database of its own (PostgresDatabase).
#pragma once

#include <filesystem>
#include <string>

namespace smp::test {

struct PostgresClusterOptions {
  // Off for tests (nothing here must survive a power cut); on for benchmarks, so PostgreSQL
  // pays for its flushes as SQLite does.
  bool durable = false;
  int maxConnections = 300;
};

// initdb (as the `postgres` user when run as root: initdb refuses root) and start, waiting
// until it accepts connections. A cluster left running in `folder` by an earlier run is
// stopped first. Throws std::runtime_error with the tool's output when something fails.
void startPostgresCluster(const std::filesystem::path& folder,
                          const PostgresClusterOptions& options = {});
// Stops the cluster in `folder` by its PID (immediate shutdown: a crash, which PostgreSQL is
// built to survive), waits for it to exit (bounded), and removes the folder.
void stopPostgresCluster(const std::filesystem::path& folder);
// The PID of the cluster's postmaster, or 0.
int postgresClusterPid(const std::filesystem::path& folder);
// A libpq address for `database` in the cluster in `folder`.
std::string postgresUri(const std::filesystem::path& folder, const std::string& database);

// A new empty database in the shared test cluster; dropped again when this goes.
class PostgresDatabase {
 public:
  PostgresDatabase();
  ~PostgresDatabase();
  PostgresDatabase(const PostgresDatabase&) = delete;
  PostgresDatabase& operator=(const PostgresDatabase&) = delete;
  const std::string& uri() const { return m_uri; }
  const std::string& name() const { return m_name; }

 private:
  std::string m_name;
  std::string m_uri;
};

// The shared cluster's folder ($SMP_TEST_POSTGRES, or one started for this process).
const std::filesystem::path& sharedPostgresCluster();

}  // namespace smp::test
