// Client semantics end to end: the real kiosk store, the real libcurl client, the real server.
#include <gtest/gtest.h>

#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <pqxx/pqxx>

#include "app/core/kiosk_commands.h"
#include "app/core/store_outbox.h"
#include "sqlite/sqlite_db.h"
#include "sync/client/http_client.h"
#include "sync/protocol/sha256.h"
#include "tests/support/sample_records.h"
#include "tests/support/test_server.h"

namespace smp::core {
namespace {

class SyncSemantics : public ::testing::TestWithParam<test::Backend> {
 protected:
  void SetUp() override {
    ensureDataDir(data.path());
    store = std::make_unique<store::KioskStore>(databasePath(data.path()));
    const auto k = server.storage().addKiosk("Leeds");
    token = k.token;
    enroll(*store, server.url(), k.token);
  }

  protocol::ConsultationRecord save(const std::string& name, const std::string& photo) {
    return store->save(test::consultationToSave(name, photo));
  }

  sync::SyncReport sync() { return syncOnce(data.path(), endpointFor(*store, "")); }

  std::map<std::string, int> serverRevisions() {
    std::map<std::string, int> out;
    server.storage().forEachConsultation(
        [&](const server::StoredConsultation& c) { out[c.id] = c.revision; });
    return out;
  }

  test::TempDir data;
  test::TestServer server{GetParam()};
  std::unique_ptr<store::KioskStore> store;
  std::string token;
};

// Several requests in flight: the server holds the first photo upload's thread (in its request
// log, after the answer went out) until a second upload arrives. One connection at a time would
// never send that second upload, and the wait would run out.
TEST(SyncLanes, RecordsTravelOnSeveralConnectionsAtOnce) {
  std::mutex mutex;
  std::condition_variable arrived;
  int uploads = 0;
  bool secondCameWhileFirstWaited = false;
  server::ServerOptions options;
  options.log = [&](service::LogLevel, const std::string& line) {
    if (line.rfind("PUT /v1/blobs/", 0) != 0) return;
    std::unique_lock lock(mutex);
    if (++uploads == 1) {
      secondCameWhileFirstWaited =
          arrived.wait_for(lock, std::chrono::seconds(10), [&] { return uploads >= 2; });
    } else {
      arrived.notify_all();
    }
  };
  test::TestServer server(options);
  test::TempDir data;
  ensureDataDir(data.path());
  store::KioskStore store(databasePath(data.path()));
  enroll(store, server.url(), server.storage().addKiosk("Leeds").token);
  for (int i = 0; i < 8; ++i) {
    store.save(
        test::consultationToSave("Client " + std::to_string(i), "photo " + std::to_string(i)));
  }
  const auto report = syncOnce(data.path(), endpointFor(store, ""));
  EXPECT_EQ(report.outcome, sync::PassOutcome::kAllAcknowledged) << report.message;
  EXPECT_TRUE(secondCameWhileFirstWaited) << "the uploads went one at a time";
  EXPECT_EQ(store.status().pending, 0);
}

TEST_P(SyncSemantics, ErasureReachesHeadOffice) {
  const auto keep = save("Keep", "photo-keep");
  const auto gone = save("Gone", "photo-gone");
  ASSERT_EQ(sync().outcome, sync::PassOutcome::kAllAcknowledged);
  ASSERT_EQ(serverRevisions().size(), 2u);
  ASSERT_TRUE(store->erase(gone.id, "staff-1"));
  const auto report = sync();
  EXPECT_EQ(report.outcome, sync::PassOutcome::kAllAcknowledged) << report.message;
  const auto at = serverRevisions();
  EXPECT_EQ(at.count(gone.id), 0u);
  EXPECT_EQ(at.count(keep.id), 1u);
  EXPECT_FALSE(server.storage().blob(protocol::sha256Hex("photo-gone")).has_value());
  EXPECT_TRUE(server.storage().isErased(gone.id));
  EXPECT_EQ(store->status().pending, 0);
}

// Head office's follow-up travels back on the next pass, once, sealed at rest like the record;
// an erasure decided at head office removes it with the kiosk's copy.
TEST_P(SyncSemantics, HeadOfficesFollowUpReachesTheKioskOnceSealedAndLeavesWithAnErasure) {
  const auto r = save("Lena", "photo-lena");
  const auto other = save("Other", "photo-other");
  ASSERT_EQ(sync().outcome, sync::PassOutcome::kAllAcknowledged);
  const server::ClinicScope everyClinic{true, {}};
  ASSERT_TRUE(server.storage().addFollowUp(everyClinic, r.id, "contacted", "No answer", "lee"));
  ASSERT_TRUE(
      server.storage().addFollowUp(everyClinic, r.id, "booked", "Booked for 12 January", "lee"));
  EXPECT_TRUE(store->followUps(r.id).empty()) << "nothing before a sync";
  ASSERT_EQ(sync().outcome, sync::PassOutcome::kAllAcknowledged);
  auto kept = store->followUps(r.id);
  ASSERT_EQ(kept.size(), 2u);
  EXPECT_EQ(kept[0].status, "contacted");
  EXPECT_EQ(kept[1].status, "booked");
  EXPECT_EQ(kept[1].note, "Booked for 12 January");
  EXPECT_EQ(kept[1].author, "lee");
  EXPECT_TRUE(store->followUps(other.id).empty());
  ASSERT_EQ(sync().outcome, sync::PassOutcome::kAllAcknowledged);
  EXPECT_EQ(store->followUps(r.id).size(), 2u) << "a second pass keeps nothing twice";
  // Sealed at rest: the note's words are in no file of the kiosk's data folder.
  for (const auto& entry : std::filesystem::directory_iterator(data.path())) {
    if (!entry.is_regular_file()) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), {});
    EXPECT_EQ(bytes.find("Booked for 12 January"), std::string::npos) << entry.path();
  }

  std::string erasedAt;
  ASSERT_TRUE(server.storage().eraseAtHeadOffice(r.id, erasedAt));
  ASSERT_EQ(sync().outcome, sync::PassOutcome::kAllAcknowledged);
  EXPECT_FALSE(store->loadRecord(r.id));
  EXPECT_TRUE(store->followUps(r.id).empty());
}

TEST_P(SyncSemantics, ErasedBeforeItWasEverSentNeverLeavesTheKiosk) {
  const auto r = save("Private", "photo-private");
  ASSERT_TRUE(store->erase(r.id, "staff-1"));
  ASSERT_EQ(sync().outcome, sync::PassOutcome::kAllAcknowledged);
  EXPECT_TRUE(serverRevisions().empty());
  EXPECT_FALSE(server.storage().blob(protocol::sha256Hex("photo-private")).has_value());
  // Head office acknowledges the tombstone (the kiosk's outbox empties) but keeps none: an id it
  // never received cannot be blocked by a kiosk that does not own it (issue 10).
  EXPECT_FALSE(server.storage().isErased(r.id));
  EXPECT_EQ(store->status().pending, 0);
}

TEST_P(SyncSemantics, AnEditAfterSendingArrivesAsRevisionTwo) {
  const auto r = save("A", "photo-a");
  ASSERT_EQ(sync().outcome, sync::PassOutcome::kAllAcknowledged);
  store->revise(r.id, {{"norwood", "V"}}, "staff-1");
  ASSERT_EQ(sync().outcome, sync::PassOutcome::kAllAcknowledged);
  EXPECT_EQ(serverRevisions()[r.id], 2);
}

// Head office acknowledged a photo, then lost its row (a power cut undid a commit that had not
// been flushed, or head office was restored from a backup): the record's PUT answers 422 naming
// it, and the kiosk sends it again in the same pass instead of counting a refusal.
TEST_P(SyncSemantics, APhotoHeadOfficeLostIsSentAgainInTheSamePass) {
  std::atomic<int> blobPuts{0};
  std::string address;
  server::ServerOptions options;
  options.log = [&](service::LogLevel, const std::string& line) {
    if (line.rfind("PUT /v1/blobs/", 0) != 0 || ++blobPuts != 1) return;
    // After the first upload's answer, before the record (the same connection's next request).
    if (address.rfind("postgresql://", 0) == 0) {
      pqxx::connection c(address);
      pqxx::nontransaction(c).exec("DELETE FROM kiosk_blobs");
    } else {
      sqlite::Database(address).exec("DELETE FROM kiosk_blobs");
    }
  };
  test::TestServer lossy(options, GetParam());
  address = lossy.databaseAddress();
  test::TempDir kioskData;
  ensureDataDir(kioskData.path());
  store::KioskStore kiosk(databasePath(kioskData.path()));
  enroll(kiosk, lossy.url(), lossy.storage().addKiosk("Leeds").token);
  const auto saved = kiosk.save(test::consultationToSave("Alex", "front photo"));
  const int blobs = static_cast<int>(saved.blobHashes().size());

  const auto report = syncOnce(kioskData.path(), endpointFor(kiosk, ""));
  EXPECT_EQ(report.outcome, sync::PassOutcome::kAllAcknowledged) << report.message;
  EXPECT_EQ(blobPuts.load(), blobs + 1) << "only the lost photo went again";
  EXPECT_EQ(kiosk.status().pending, 0);
  int stored = 0;
  lossy.storage().forEachConsultation(
      [&](const server::StoredConsultation& c) { stored += c.id == saved.id; });
  EXPECT_EQ(stored, 1);
}

TEST_P(SyncSemantics, ARecordTheServerRefusesIsQuarantinedAndTheQueueKeepsFlowing) {
  save("Good 1", "p1");
  const auto bad = save("Clash", "p2");
  save("Good 2", "p3");
  // Head office already holds this id and revision with other content: every PUT gets 409.
  std::string receivedAt;
  const auto kiosk = server.storage().kioskForToken(token);
  ASSERT_EQ(server.storage().putConsultation(*kiosk, bad.id, bad.kioskSeq, 1,
                                             protocol::sha256Hex("other"), "{}", {}, receivedAt),
            server::PutResult::kStored);
  for (int pass = 0; pass < store::kMaxRefusals; ++pass) {
    const auto report = sync();
    EXPECT_EQ(report.outcome, sync::PassOutcome::kPartial);
    EXPECT_NE(report.message.find("different content"), std::string::npos) << report.message;
  }
  EXPECT_EQ(serverRevisions().size(), 3u) << "both good records arrived beside the clash";
  const auto q = store->quarantinedOutbox();
  ASSERT_EQ(q.size(), 1u);
  EXPECT_EQ(q[0].consultationId, bad.id);
  EXPECT_EQ(sync().outcome, sync::PassOutcome::kAllAcknowledged) << "quarantine is not retried";
  EXPECT_TRUE(store->loadRecord(bad.id).has_value()) << "quarantine keeps the record";
  EXPECT_EQ(statusJson(*store)["quarantined"], 1);
}

TEST_P(SyncSemantics, AnUnreadableRecordIsQuarantinedWithoutBlockingTheQueue) {
  const auto bad = save("", "p1");  // unreadable: an empty name fails validation on load
  const auto good = save("Good", "p2");
  for (int pass = 0; pass < store::kMaxRefusals; ++pass) {
    const auto report = sync();
    EXPECT_NE(report.message.find("cannot be read"), std::string::npos) << report.message;
  }
  EXPECT_EQ(serverRevisions().count(good.id), 1u);
  ASSERT_EQ(store->quarantinedOutbox().size(), 1u);
  EXPECT_EQ(store->quarantinedOutbox()[0].consultationId, bad.id);
}

TEST_P(SyncSemantics, LargePhotosResumeWhereTheUploadStopped) {
  std::string photo(3'200'000, '\0');
  for (std::size_t i = 0; i < photo.size(); ++i) photo[i] = static_cast<char>((i * 7919) % 253);
  save("Big", photo);
  // An earlier attempt got two chunks through before the connection died.
  const std::string sha = protocol::sha256Hex(photo);
  sync::HttpClient http;
  for (std::size_t offset = 0; offset < 2 * protocol::kChunkBytes;
       offset += protocol::kChunkBytes) {
    ASSERT_EQ(
        http.request("PUT",
                     server.url() + "/v1/blobs/" + sha + "?offset=" + std::to_string(offset) +
                         "&size=" + std::to_string(photo.size()),
                     token, photo.substr(offset, protocol::kChunkBytes), "application/octet-stream")
            .status,
        202);
  }
  const auto report = sync();
  ASSERT_EQ(report.outcome, sync::PassOutcome::kAllAcknowledged) << report.message;
  EXPECT_LT(report.bytesSent, photo.size() - protocol::kChunkBytes)
      << "the first two chunks were not resent";
  EXPECT_EQ(server.storage().blob(sha), photo);
}

TEST_P(SyncSemantics, ProgressIsReportedPerItemWithBytes) {
  save("A", std::string(5000, 'a'));
  save("B", std::string(7000, 'b'));
  StoreOutbox outbox(databasePath(data.path()));
  sync::SyncClient client(endpointFor(*store, ""));
  std::vector<sync::SyncProgress> seen;
  client.pushOnce(outbox, nullptr, [&](const sync::SyncProgress& p) { seen.push_back(p); });
  ASSERT_EQ(seen.size(), 3u);  // before the first item, then after each
  EXPECT_EQ(seen.front().itemsTotal, 2);
  EXPECT_EQ(seen.back().itemsDone, 2);
  EXPECT_GT(seen.back().bytesSent, 12000u);
  EXPECT_GT(seen[2].bytesSent, seen[1].bytesSent);
}

TEST_P(SyncSemantics, HeartbeatAndConfigTravelWithASync) {
  const nlohmann::json config = {
      {"languages", {"en", "es"}},
      {"consent_texts", {{"en", {{"version", "v3"}, {"text", "We store..."}}}}},
      {"price_list", {{{"item", "Hairline"}, {"min", 800}, {"max", 1500}, {"currency", "EUR"}}}},
      {"idle_timeouts", {{"warning_seconds", 60}, {"reset_seconds", 20}}}};
  server.storage().setConfig(config);
  save("A", "p");
  ASSERT_EQ(sync().outcome, sync::PassOutcome::kAllAcknowledged);
  EXPECT_EQ(nlohmann::json::parse(*store->setting(kSettingConfig)), config);
  const std::string etag = *store->setting(kSettingConfigEtag);
  EXPECT_FALSE(etag.empty());
  const auto kiosks = server.storage().kiosks();
  ASSERT_EQ(kiosks.size(), 1u);
  EXPECT_EQ(kiosks[0].lastHeartbeat["pending"], 0);
  EXPECT_GT(kiosks[0].lastHeartbeat["free_disk_bytes"].get<std::int64_t>(), 0);
  ASSERT_EQ(sync().outcome, sync::PassOutcome::kAllAcknowledged);
  EXPECT_EQ(*store->setting(kSettingConfigEtag), etag)
      << "unchanged config: 304, nothing rewritten";
}

TEST_P(SyncSemantics, ARevokedKioskKeepsEverythingAndAsksForReenrolment) {
  save("A", "p");
  const auto kiosks = server.storage().kiosks();
  server.storage().revokeKiosk(kiosks[0].kioskId);
  const auto report = sync();
  EXPECT_EQ(report.outcome, sync::PassOutcome::kUnauthorized);
  EXPECT_NE(report.message.find("re-enrolled"), std::string::npos);
  EXPECT_EQ(store->status().pending, 1);
  EXPECT_EQ(store->status().quarantined, 0) << "a 401 is never the record's fault";
}

}  // namespace

INSTANTIATE_TEST_SUITE_P(Backends, SyncSemantics, test::allBackends(), test::backendName);

}  // namespace smp::core
