// Seeded fault schedules between the real kiosk (store + libcurl client) and the real server:
// after every schedule, head office holds exactly the kiosk's records (revisions and erasures
// included), nothing twice, and every blob's sha256 matches its bytes.
#include <gtest/gtest.h>

#include <cstdlib>
#include <map>

#include "app/core/kiosk_commands.h"
#include "sync/protocol/sha256.h"
#include "tests/support/fault_proxy.h"
#include "tests/support/test_server.h"

#ifndef SMP_FAULT_SCHEDULES
#define SMP_FAULT_SCHEDULES 40
#endif
#ifndef SMP_TWO_SERVER_SCHEDULES
#define SMP_TWO_SERVER_SCHEDULES 10
#endif

namespace smp::core {
namespace {

constexpr int kMaxPasses = 300;  // bounded: a schedule that does not converge fails

store::BlobData makeBlob(const std::string& role, std::string bytes) {
  store::BlobData b;
  b.bytes.assign(bytes.begin(), bytes.end());
  b.ref = {role, protocol::sha256Hex(b.bytes), b.bytes.size(), "image/jpeg"};
  return b;
}

protocol::ConsultationRecord saveOne(store::KioskStore& store, int schedule, int i) {
  store::ConsultationToSave c;
  std::string photo = "photo-" + std::to_string(schedule) + "-" + std::to_string(i);
  if (i == 0 && schedule % 10 == 0) photo.resize(1'200'000, 'p');  // two chunks
  c.blobs = {makeBlob("front", photo), makeBlob("preview", "preview-" + photo.substr(0, 40))};
  c.record.createdAt = "2026-11-21T10:00:00Z";
  c.record.clientName = "Client " + std::to_string(i);
  c.record.concern = "alopecia";
  c.record.consentTextSha256 = protocol::sha256Hex("consent");
  c.record.consentedAt = c.record.createdAt;
  c.record.photos = {c.blobs[0].ref};
  c.record.previews = {c.blobs[1].ref};
  return store.save(c);
}

// Sync passes until everything is acknowledged; pass N goes to endpoints[N % size] (with two
// servers the kiosk alternates between them, as behind a load balancer).
int converge(const std::filesystem::path& dataDir,
             const std::vector<sync::ServerEndpoint>& endpoints) {
  for (int pass = 1; pass <= kMaxPasses; ++pass) {
    const auto& endpoint = endpoints[static_cast<std::size_t>(pass) % endpoints.size()];
    if (syncOnce(dataDir, endpoint).outcome == sync::PassOutcome::kAllAcknowledged) return pass;
  }
  return -1;
}

// One server on SQLite, or two servers sharing one PostgreSQL database and blob folder, each
// behind its own fault proxy.
void runSchedule(int schedule, bool twoServers) {
  test::TempDir data;
  test::TestServer server(twoServers ? test::Backend::kPostgres : test::Backend::kSqlite);
  std::unique_ptr<test::TestServer> second;
  if (twoServers) second = std::make_unique<test::TestServer>(server, server::ServerOptions{});
  ensureDataDir(data.path());
  store::KioskStore store(databasePath(data.path()));
  const auto kiosk = server.storage().addKiosk("Leeds");
  enroll(store, server.url(), kiosk.token);
  const auto seed = static_cast<std::uint64_t>(schedule) * 7919 + 1;
  test::FaultProxy proxy(server.port(), seed, 35);
  std::vector<sync::ServerEndpoint> viaProxy{{proxy.url(), kiosk.token, {}, {}}};
  std::unique_ptr<test::FaultProxy> secondProxy;
  if (second) {
    secondProxy = std::make_unique<test::FaultProxy>(second->port(), seed + 1, 35);
    viaProxy.push_back({secondProxy->url(), kiosk.token, {}, {}});
  }

  std::vector<protocol::ConsultationRecord> saved;
  for (int i = 0; i < 3; ++i) saved.push_back(saveOne(store, schedule, i));
  ASSERT_GT(converge(data.path(), viaProxy), 0) << "schedule " << schedule << " did not converge";
  // Staff erase one record and correct another while faults continue.
  ASSERT_TRUE(store.erase(saved[0].id, "staff"));
  store.revise(saved[1].id, {{"norwood", "IV"}}, "staff");
  saved.push_back(saveOne(store, schedule, 3));
  ASSERT_GT(converge(data.path(), viaProxy), 0) << "schedule " << schedule << " did not converge";

  std::map<std::string, std::pair<int, std::string>> atKiosk, atServer;
  for (const auto& id : store.consultationIds()) {
    const auto r = store.loadRecord(id);
    atKiosk[id] = {r->revision, r->contentSha256()};
  }
  int rows = 0;
  std::vector<std::string> blobs;
  server.storage().forEachConsultation([&](const server::StoredConsultation& c) {
    ++rows;
    atServer[c.id] = {c.revision, c.sha256};
    for (const auto& b : c.record["photos"]) blobs.push_back(b["sha256"]);
    for (const auto& b : c.record["previews"]) blobs.push_back(b["sha256"]);
  });
  for (const std::string& sha : blobs) {
    const auto bytes = server.storage().blob(sha);
    ASSERT_TRUE(bytes.has_value()) << "schedule " << schedule;
    EXPECT_EQ(protocol::sha256Hex(*bytes), sha) << "schedule " << schedule;
  }
  EXPECT_EQ(atServer, atKiosk) << "schedule " << schedule;
  EXPECT_EQ(rows, static_cast<int>(atServer.size())) << "duplicates in schedule " << schedule;
  EXPECT_TRUE(server.storage().isErased(saved[0].id)) << "schedule " << schedule;
  EXPECT_FALSE(server.storage().blob(saved[0].photos[0].sha256).has_value())
      << "schedule " << schedule;
  EXPECT_EQ(store.status().pending, 0);
  EXPECT_EQ(store.status().quarantined, 0) << "faults are never the record's fault";
}

// How many schedules: the build's number, or fewer where the run is slow by design (the tsan
// preset sets SMP_FAULT_SCHEDULES; ThreadSanitizer runs each schedule ten times slower).
int scheduleCount() {
  const char* fromEnvironment = std::getenv("SMP_FAULT_SCHEDULES");
  const int n = fromEnvironment ? std::atoi(fromEnvironment) : 0;
  return n > 0 && n < SMP_FAULT_SCHEDULES ? n : SMP_FAULT_SCHEDULES;
}

TEST(FaultSchedules, HeadOfficeEqualsTheKioskAfterEverySchedule) {
  const int schedules = scheduleCount();
  for (int schedule = 1; schedule <= schedules; ++schedule) {
    runSchedule(schedule, false);
    if (HasFailure()) break;
  }
}

// Stateless servers: whatever one server started (an upload in pieces, a revision), the other
// finishes, and nothing arrives twice.
TEST(FaultSchedules, TwoServersOnOnePostgresDatabaseEqualTheKioskAfterEverySchedule) {
  for (int schedule = 1; schedule <= SMP_TWO_SERVER_SCHEDULES; ++schedule) {
    runSchedule(schedule, true);
    if (HasFailure()) break;
  }
}

TEST(FaultProxy, InjectsEveryKindOfFault) {
  test::TempDir data;
  test::TestServer server;
  ensureDataDir(data.path());
  store::KioskStore store(databasePath(data.path()));
  const auto kiosk = server.storage().addKiosk("Leeds");
  enroll(store, server.url(), kiosk.token);
  test::FaultProxy proxy(server.port(), 99, 60);
  for (int i = 0; i < 12; ++i) saveOne(store, 1, i);
  ASSERT_GT(converge(data.path(), {{proxy.url(), kiosk.token, {}, {}}}), 0);
  const auto counts = proxy.counts();
  for (int f = 1; f <= 6; ++f) {
    EXPECT_GT(
        counts.count(static_cast<test::Fault>(f)) ? counts.at(static_cast<test::Fault>(f)) : 0, 0)
        << "fault " << f << " never happened: the test would prove nothing about it";
  }
}

}  // namespace
}  // namespace smp::core
