// The background sync worker on its own: while head office is down it backs off; when head
// office comes back it resumes by itself within its backoff cap, and reports progress.
#include "sync/client/sync_worker.h"

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <condition_variable>
#include <mutex>

#include "app/core/kiosk_commands.h"
#include "app/core/store_outbox.h"
#include "sync/protocol/sha256.h"
#include "sync/server/head_office_server.h"
#include "sync/server/sqlite_server_storage.h"
#include "tests/support/sample_records.h"
#include "tests/support/temp_dir.h"

namespace smp::core {
namespace {

int reservePort() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

// The worker's pass outcomes, as its report callback (on the worker thread) delivers them.
class ReportLog {
 public:
  void add(sync::PassOutcome outcome) {
    std::lock_guard lock(m_mutex);
    m_outcomes.push_back(outcome);
    m_cv.notify_all();
  }
  // Waits, at most 20 s, until the latest pass ended with `wanted`.
  bool waitFor(sync::PassOutcome wanted) {
    std::unique_lock lock(m_mutex);
    return m_cv.wait_for(lock, std::chrono::seconds(20),
                         [&] { return !m_outcomes.empty() && m_outcomes.back() == wanted; });
  }
  int first() {  // for failure messages; -1 when there was no pass
    std::lock_guard lock(m_mutex);
    return m_outcomes.empty() ? -1 : static_cast<int>(m_outcomes.front());
  }

 private:
  std::mutex m_mutex;
  std::condition_variable m_cv;
  std::vector<sync::PassOutcome> m_outcomes;
};

// Saves `count` small consultations, each with one photo, into the kiosk store at dbPath.
void saveConsultations(const std::filesystem::path& dbPath, int count) {
  store::KioskStore store(dbPath);
  for (int i = 0; i < count; ++i) {
    store.save(test::consultationToSave("Client", "photo " + std::to_string(i)));
  }
}

TEST(SyncWorker, ResumesByItselfWhenHeadOfficeComesBack) {
  test::TempDir data;
  ensureDataDir(data.path());
  const auto dbPath = databasePath(data.path());
  saveConsultations(dbPath, 3);
  server::SqliteServerStorage storage(data / "head-office.sqlite");
  const auto kiosk = storage.addKiosk("Leeds");
  const int port = reservePort();

  ReportLog reports;
  sync::SyncWorkerOptions options;
  options.interval = std::chrono::milliseconds(60'000);
  options.minBackoff = std::chrono::milliseconds(20);
  options.maxBackoff = std::chrono::milliseconds(200);  // production: 30 s
  sync::SyncWorker worker(
      {"http://127.0.0.1:" + std::to_string(port), kiosk.token, {}, {}},
      [dbPath] { return std::make_unique<StoreOutbox>(dbPath); },
      [&](const sync::SyncReport& r) { reports.add(r.outcome); }, options);
  ASSERT_TRUE(reports.waitFor(sync::PassOutcome::kOffline))
      << "head office is down: the pass says offline";

  server::HeadOfficeServer server(storage);
  ASSERT_EQ(server.bind("127.0.0.1", port), port);
  std::thread serving([&] { server.run(); });
  const bool caughtUp = reports.waitFor(sync::PassOutcome::kAllAcknowledged);
  worker.stop();  // first: its keep-alive connection closes, so the server stops at once
  server.stop();
  serving.join();
  ASSERT_TRUE(caughtUp) << "the worker did not resume on its own";
  int rows = 0;
  storage.forEachConsultation([&](const server::StoredConsultation&) { ++rows; });
  EXPECT_EQ(rows, 3);
  EXPECT_EQ(store::KioskStore(dbPath).status().pending, 0);
}

TEST(SyncWorker, ANewEndpointAfterReenrolmentIsUsedAtOnce) {
  test::TempDir data;
  ensureDataDir(data.path());
  const auto dbPath = databasePath(data.path());
  saveConsultations(dbPath, 1);
  server::SqliteServerStorage storage(data / "head-office.sqlite");
  const auto kiosk = storage.addKiosk("Leeds");
  server::HeadOfficeServer server(storage);
  const int port = server.bind("127.0.0.1", 0);
  std::thread serving([&] { server.run(); });
  const std::string url = "http://127.0.0.1:" + std::to_string(port);

  ReportLog reports;
  sync::SyncWorkerOptions options;
  options.interval =
      std::chrono::milliseconds(60'000);  // only a wake or a new endpoint runs a pass
  sync::SyncWorker worker(
      {url, "smpk_revoked", {}, {}}, [dbPath] { return std::make_unique<StoreOutbox>(dbPath); },
      [&](const sync::SyncReport& r) { reports.add(r.outcome); }, options);
  const bool refused = reports.waitFor(sync::PassOutcome::kUnauthorized);
  worker.setEndpoint({url, kiosk.token, {}, {}});
  const bool sent = reports.waitFor(sync::PassOutcome::kAllAcknowledged);
  worker.stop();
  server.stop();
  serving.join();
  EXPECT_TRUE(refused) << "a wrong token is refused first; first outcome: " << reports.first();
  EXPECT_TRUE(sent) << "the new endpoint was not used";
  EXPECT_EQ(store::KioskStore(dbPath).status().pending, 0);
}

}  // namespace
}  // namespace smp::core
