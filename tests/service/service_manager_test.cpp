// ServiceManager against a real notification socket (what systemd listens on for Type=notify
// units) and logLine against a real file standing in for the journal's stream.
#include "sync/service/service_manager.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "tests/support/temp_dir.h"

namespace smp::service {
namespace {

using namespace std::chrono_literals;

// A datagram socket bound where NOTIFY_SOCKET points, as systemd's manager has one.
class NotifySocket {
 public:
  explicit NotifySocket(const std::filesystem::path& path) {
    m_fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    const std::string p = path.string();
    EXPECT_LT(p.size(), sizeof(address.sun_path));
    std::copy(p.begin(), p.end(), address.sun_path);
    EXPECT_EQ(::bind(m_fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)), 0);
    ::setenv("NOTIFY_SOCKET", p.c_str(), 1);
  }
  ~NotifySocket() {
    ::close(m_fd);
    ::unsetenv("NOTIFY_SOCKET");
  }
  // What is queued now: sd_notify's sendmsg has returned, so a sent message is already here.
  std::vector<std::string> received() {
    std::vector<std::string> messages;
    char buffer[4096];
    for (int i = 0; i < 100; ++i) {
      const ssize_t n = ::recv(m_fd, buffer, sizeof(buffer), MSG_DONTWAIT);
      if (n < 0) break;
      messages.emplace_back(buffer, static_cast<std::size_t>(n));
    }
    return messages;
  }

 private:
  int m_fd = -1;
};

class ServiceManagerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ::unsetenv("NOTIFY_SOCKET");
    ::unsetenv("WATCHDOG_USEC");
    ::unsetenv("WATCHDOG_PID");
  }
  void TearDown() override { SetUp(); }
  test::TempDir dir;
};

TEST_F(ServiceManagerTest, OutsideSystemdNothingIsSentAndNothingFails) {
  ServiceManager manager;
  EXPECT_FALSE(manager.underSystemd());
  EXPECT_FALSE(manager.watchdogInterval());
  manager.ready("listening");
  manager.alive();
  manager.stopping();
}

TEST_F(ServiceManagerTest, ReadyStatusAndStoppingReachTheManager) {
  NotifySocket socket(dir / "notify");
  ServiceManager manager;
  ASSERT_TRUE(manager.underSystemd());
  manager.ready("listening on http://127.0.0.1:8080");
  manager.status("42 kiosks");
  manager.stopping();
  EXPECT_EQ(socket.received(),
            (std::vector<std::string>{"READY=1\nSTATUS=listening on http://127.0.0.1:8080",
                                      "STATUS=42 kiosks", "STOPPING=1"}));
}

TEST_F(ServiceManagerTest, TheWatchdogIsPingedAtMostEveryHalfInterval) {
  NotifySocket socket(dir / "notify");
  ::setenv("WATCHDOG_USEC", "2000000", 1);
  ServiceManager manager;
  ASSERT_EQ(manager.watchdogInterval(), std::chrono::microseconds(2'000'000));
  const auto t0 = ServiceManager::Clock::now();
  manager.alive(t0);
  manager.alive(t0 + 16ms);  // the next frame: too soon to ping again
  manager.alive(t0 + 999ms);
  EXPECT_EQ(socket.received(), std::vector<std::string>{"WATCHDOG=1"});
  manager.alive(t0 + 1000ms);
  EXPECT_EQ(socket.received(), std::vector<std::string>{"WATCHDOG=1"});
}

TEST_F(ServiceManagerTest, AChildOfTheMainProcessStillPings) {
  // The kiosk runs inside cage, the unit's main process: WATCHDOG_PID names cage, and the unit's
  // NotifyAccess=all lets the kiosk's pings count.
  NotifySocket socket(dir / "notify");
  ::setenv("WATCHDOG_USEC", "30000000", 1);
  ::setenv("WATCHDOG_PID", std::to_string(::getpid() + 1).c_str(), 1);
  ServiceManager manager;
  manager.alive();
  EXPECT_EQ(socket.received(), std::vector<std::string>{"WATCHDOG=1"});
}

TEST_F(ServiceManagerTest, AMalformedWatchdogIntervalMeansNoWatchdog) {
  NotifySocket socket(dir / "notify");
  for (const char* bad : {"", "0", "abc", "30s", "-5", "99999999999999999999999"}) {
    ::setenv("WATCHDOG_USEC", bad, 1);
    ServiceManager manager;
    EXPECT_FALSE(manager.watchdogInterval()) << bad;
    manager.alive();
  }
  EXPECT_TRUE(socket.received().empty());
}

// Runs fn with stderr sent to a file and returns what was written.
template <typename Fn>
std::string stderrOf(const std::filesystem::path& file, Fn fn, bool announceAsJournal) {
  std::fflush(stderr);
  const int saved = ::dup(STDERR_FILENO);
  const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  ::dup2(fd, STDERR_FILENO);
  struct stat st {};
  ::fstat(fd, &st);
  ::close(fd);
  if (announceAsJournal) {
    ::setenv("JOURNAL_STREAM",
             (std::to_string(st.st_dev) + ":" + std::to_string(st.st_ino)).c_str(), 1);
  }
  fn();
  std::fflush(stderr);
  ::dup2(saved, STDERR_FILENO);
  ::close(saved);
  ::unsetenv("JOURNAL_STREAM");
  std::ifstream in(file);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST_F(ServiceManagerTest, LogLinesCarryTheirPriorityOnlyWhenStderrIsTheJournal) {
  const auto journal = stderrOf(
      dir / "journal",
      [] {
        logLine(LogLevel::kError, "smp-server", "error 1a2b3c4d in GET /v1/config: disk I/O");
        logLine(LogLevel::kInfo, "smp-server", "GET /healthz -> 200");
      },
      true);
  EXPECT_EQ(journal,
            "<3>smp-server: error 1a2b3c4d in GET /v1/config: disk I/O\n"
            "<6>smp-server: GET /healthz -> 200\n");
  const auto terminal = stderrOf(
      dir / "terminal", [] { logLine(LogLevel::kWarning, "smp-kiosk", "camera unavailable"); },
      false);
  EXPECT_EQ(terminal, "smp-kiosk: camera unavailable\n");
  // Another stream's JOURNAL_STREAM (stderr redirected away from the journal): plain.
  ::setenv("JOURNAL_STREAM", "1:2", 1);
  const auto redirected = stderrOf(
      dir / "redirected", [] { logLine(LogLevel::kNotice, "smp-kiosk", "ready"); }, false);
  EXPECT_EQ(redirected, "smp-kiosk: ready\n");
}

TEST_F(ServiceManagerTest, ABuildFolderProgramUsesTheSourceTreesFiles) {
  // Test programs live in build/<preset>/tests/, not <prefix>/bin/.
  EXPECT_EQ(installedDataDir("smp-kiosk", "/src/assets"), "/src/assets");
}

}  // namespace
}  // namespace smp::service
