#include "tests/support/postgres_cluster.h"

#include <pwd.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <mutex>
#include <pqxx/pqxx>
#include <stdexcept>
#include <thread>

namespace smp::test {
namespace {

std::string shellQuoted(const std::string& s) {
  std::string out = "'";
  for (const char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// Debian installs the server binaries per major version; the newest one present is used.
std::filesystem::path postgresBin() {
  std::filesystem::path best;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator("/usr/lib/postgresql", ec)) {
    const auto bin = entry.path() / "bin";
    if (std::filesystem::exists(bin / "initdb") && (best.empty() || bin > best)) best = bin;
  }
  if (best.empty()) {
    throw std::runtime_error(
        "PostgreSQL's server binaries are not installed (/usr/lib/postgresql/*/bin/initdb): run "
        "scripts/install-deps.sh");
  }
  return best;
}

// Runs a shell command; throws with its output when it fails.
void run(const std::string& command, const std::filesystem::path& log) {
  const std::string full = command + " >" + shellQuoted(log.string()) + " 2>&1";
  if (std::system(full.c_str()) != 0) {
    std::ifstream in(log);
    const std::string output((std::istreambuf_iterator<char>(in)), {});
    throw std::runtime_error("test PostgreSQL: '" + command + "' failed:\n" + output);
  }
}

}  // namespace

int postgresClusterPid(const std::filesystem::path& folder) {
  std::ifstream in(folder / "data" / "postmaster.pid");
  int pid = 0;
  if (!(in >> pid)) return 0;
  return pid;
}

std::string postgresUri(const std::filesystem::path& folder, const std::string& database) {
  return "postgresql:///" + database + "?host=" + folder.string() + "&user=smp";
}

void startPostgresCluster(const std::filesystem::path& folder,
                          const PostgresClusterOptions& options) {
  if (std::filesystem::exists(folder)) stopPostgresCluster(folder);
  // The socket's path must fit in sockaddr_un (107 bytes).
  if ((folder / ".s.PGSQL.5432").string().size() > 100) {
    throw std::runtime_error("test PostgreSQL: the folder path " + folder.string() +
                             " is too long for a Unix socket");
  }
  std::filesystem::create_directories(folder);
  const auto bin = postgresBin();
  const std::string data = (folder / "data").string();
  const std::string settings =
      std::string("-k ") + folder.string() +
      " -c listen_addresses='' -c max_connections=" + std::to_string(options.maxConnections) +
      (options.durable ? "" : " -c fsync=off -c synchronous_commit=off -c full_page_writes=off");
  std::string script = shellQuoted((bin / "initdb").string()) + " -D " + shellQuoted(data) +
                       " -A trust -U smp -E UTF8 --locale=C.UTF-8 --no-sync && " +
                       shellQuoted((bin / "pg_ctl").string()) + " -D " + shellQuoted(data) +
                       " -o " + shellQuoted(settings) + " -l " +
                       shellQuoted((folder / "server.log").string()) + " -w -t 60 start";
  if (geteuid() == 0) {
    const passwd* pg = getpwnam("postgres");
    if (!pg) throw std::runtime_error("test PostgreSQL: there is no 'postgres' user to run it as");
    std::filesystem::permissions(folder, std::filesystem::perms::owner_all);
    if (chown(folder.c_str(), pg->pw_uid, pg->pw_gid) != 0)
      throw std::runtime_error("test PostgreSQL: cannot hand " + folder.string() + " to postgres");
    script = "runuser -u postgres -- sh -c " + shellQuoted(script);
    // Some containers make /dev/null readable by root only, and initdb as postgres needs it:
    // give this one command a private mount with a usable /dev/null.
    struct stat devNull {};
    if (stat("/dev/null", &devNull) == 0 && (devNull.st_mode & S_IWOTH) == 0) {
      const std::string null = (folder / "null").string();
      script =
          "unshare -m sh -c " +
          shellQuoted("mknod " + shellQuoted(null) + " c 1 3 && chmod 666 " + shellQuoted(null) +
                      " && mount --bind " + shellQuoted(null) + " /dev/null && " + script);
    }
  }
  run(script, folder / "start.log");
}

void stopPostgresCluster(const std::filesystem::path& folder) {
  const int pid = postgresClusterPid(folder);
  if (pid > 0 && kill(pid, SIGQUIT) == 0) {
    // Bounded: an immediate shutdown takes milliseconds.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (kill(pid, 0) == 0 && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    if (kill(pid, 0) == 0) kill(pid, SIGKILL);
  }
  std::error_code ec;
  std::filesystem::remove_all(folder, ec);
}

namespace {

// A cluster this process started because ctest did not give one; stopped at exit.
struct OwnCluster {
  std::filesystem::path folder;
  OwnCluster() {
    std::string pattern = "/tmp/smp-pg-XXXXXX";
    if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
    folder = pattern;
    startPostgresCluster(folder);
  }
  ~OwnCluster() { stopPostgresCluster(folder); }
};

}  // namespace

const std::filesystem::path& sharedPostgresCluster() {
  static const std::filesystem::path fromCtest = [] {
    const char* dir = std::getenv("SMP_TEST_POSTGRES");
    return dir ? std::filesystem::path(dir) : std::filesystem::path();
  }();
  if (!fromCtest.empty()) return fromCtest;
  static OwnCluster own;
  return own.folder;
}

PostgresDatabase::PostgresDatabase() {
  static std::atomic<int> counter{0};
  m_name = "t_" + std::to_string(getpid()) + "_" + std::to_string(++counter);
  const auto& folder = sharedPostgresCluster();
  pqxx::connection admin(postgresUri(folder, "postgres"));
  pqxx::nontransaction(admin).exec("CREATE DATABASE " + m_name);
  m_uri = postgresUri(folder, m_name);
}

PostgresDatabase::~PostgresDatabase() {
  try {
    pqxx::connection admin(postgresUri(sharedPostgresCluster(), "postgres"));
    pqxx::nontransaction(admin).exec("DROP DATABASE IF EXISTS " + m_name + " WITH (FORCE)");
  } catch (const std::exception&) {
    // The cluster is thrown away at the end of the run anyway.
  }
}

}  // namespace smp::test
