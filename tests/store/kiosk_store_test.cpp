// Kiosk store: atomic saves, outbox bookkeeping, migrations, and damaged files left untouched.
#include "app/store/kiosk_store.h"

#include <gtest/gtest.h>

#include <fstream>

#include "sync/protocol/sha256.h"
#include "tests/support/kiosk_store_test_peer.h"
#include "tests/support/temp_dir.h"

namespace smp::store {
namespace {

BlobData blob(const std::string& role, const std::string& content) {
  BlobData b;
  b.bytes.assign(content.begin(), content.end());
  b.ref = {role, protocol::sha256Hex(b.bytes), b.bytes.size(), "image/jpeg"};
  return b;
}

ConsultationToSave sample(const std::string& name = "Alex") {
  ConsultationToSave c;
  c.blobs = {blob("front", "photo-bytes-" + name), blob("preview", "preview-bytes-" + name)};
  c.record.createdAt = "2026-11-21T10:00:00Z";
  c.record.clientName = name;
  c.record.concern = "scar";
  c.record.consentTextSha256 = protocol::sha256Hex("consent");
  c.record.consentedAt = c.record.createdAt;
  c.record.photos = {c.blobs[0].ref};
  c.record.previews = {c.blobs[1].ref};
  c.kioskId = "kiosk-1";
  return c;
}

TEST(KioskStore, SaveAssignsIdSequenceAndQueuesIt) {
  test::TempDir dir;
  KioskStore store(dir / "k.sqlite");
  const auto a = store.save(sample("A"));
  const auto b = store.save(sample("B"));
  EXPECT_TRUE(protocol::isUuid(a.id));
  EXPECT_EQ(a.kioskSeq, 1);
  EXPECT_EQ(b.kioskSeq, 2);
  const auto loaded = store.loadRecord(a.id);
  ASSERT_TRUE(loaded);
  EXPECT_EQ(loaded->contentSha256(), a.contentSha256());
  EXPECT_EQ(store.loadBlob(a.photos[0].sha256)->size(), std::string("photo-bytes-A").size());
  const auto pending = store.pendingOutbox();
  ASSERT_EQ(pending.size(), 2u);
  EXPECT_EQ(pending[0].consultationId, a.id);
  EXPECT_EQ(store.status().pending, 2);
}

TEST(KioskStore, ABadBlobSavesNothing) {
  test::TempDir dir;
  KioskStore store(dir / "k.sqlite");
  auto c = sample();
  c.blobs[1].bytes.push_back('x');  // no longer matches its hash
  EXPECT_THROW(store.save(c), StoreError);
  auto d = sample();
  d.blobs.pop_back();  // the preview is named but missing
  EXPECT_THROW(store.save(d), StoreError);
  EXPECT_EQ(store.status().records, 0);
  EXPECT_EQ(store.status().pending, 0);
}

TEST(KioskStore, ATransactionThatFailsHalfwayLeavesNoTrace) {
  test::TempDir dir;
  KioskStore store(dir / "k.sqlite");
  auto first = store.save(sample("A"));
  auto again = sample("B");
  again.record.id = first.id;  // violates the primary key after the sequence was read
  EXPECT_THROW(store.save(again), sqlite::SqliteError);
  EXPECT_EQ(store.status().records, 1);
  EXPECT_EQ(store.pendingOutbox().size(), 1u);
  EXPECT_FALSE(store.loadBlob(protocol::sha256Hex(std::string("photo-bytes-B"))).has_value());
}

TEST(KioskStore, OutboxLifecycle) {
  test::TempDir dir;
  KioskStore store(dir / "k.sqlite");
  const auto r = store.save(sample());
  EXPECT_FALSE(store.isLocked(r.id));
  store.markSendAttempt(r.id, 1);
  EXPECT_TRUE(store.isLocked(r.id));  // read-only from the first send attempt
  store.markFailed(r.id, 1, "offline");
  EXPECT_EQ(store.pendingOutbox()[0].lastError, "offline");
  EXPECT_EQ(store.pendingOutbox()[0].attempts, 1);
  store.markSynced(r.id, 1, "2026-11-21T10:00:01Z");
  EXPECT_TRUE(store.pendingOutbox().empty());
  EXPECT_FALSE(store.status().oldestPendingAgeSeconds.has_value());
}

TEST(KioskStore, SurvivesReopenAndKeepsSettings) {
  test::TempDir dir;
  std::string id;
  {
    KioskStore store(dir / "k.sqlite");
    id = store.save(sample()).id;
    store.setSetting("server.url", "http://127.0.0.1:1");
  }
  KioskStore store(dir / "k.sqlite");
  EXPECT_TRUE(store.loadRecord(id).has_value());
  EXPECT_EQ(store.setting("server.url"), "http://127.0.0.1:1");
  EXPECT_EQ(store::KioskStoreTestPeer::connection(store).userVersion(), kSchemaVersion);
}

TEST(KioskStore, GarbageFileIsReportedAndLeftUntouched) {
  test::TempDir dir;
  const auto path = dir / "k.sqlite";
  const std::string garbage(8192, 'Z');
  std::ofstream(path, std::ios::binary) << garbage;
  try {
    KioskStore store(path);
    FAIL() << "opened a garbage file";
  } catch (const StoreError& e) {
    EXPECT_EQ(e.code(), StoreErrorCode::kCorrupt);
    EXPECT_NE(std::string(e.what()).find("left untouched"), std::string::npos);
  }
  std::ifstream in(path, std::ios::binary);
  const std::string after((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(after, garbage);
}

TEST(KioskStore, RefusesANewerSchema) {
  test::TempDir dir;
  {
    KioskStore store(dir / "k.sqlite");
    store::KioskStoreTestPeer::connection(store).setUserVersion(kSchemaVersion + 5);
  }
  try {
    KioskStore store(dir / "k.sqlite");
    FAIL();
  } catch (const StoreError& e) {
    EXPECT_EQ(e.code(), StoreErrorCode::kNewerSchema);
  }
}

// Regression for fuzz_store_open's find: a negative user_version indexed the migrations at -1.
TEST(KioskStore, RefusesANegativeSchemaVersionAsCorrupt) {
  test::TempDir dir;
  {
    KioskStore store(dir / "k.sqlite");
    store::KioskStoreTestPeer::connection(store).setUserVersion(-23);
  }
  try {
    KioskStore store(dir / "k.sqlite");
    FAIL();
  } catch (const StoreError& e) {
    EXPECT_EQ(e.code(), StoreErrorCode::kCorrupt);
    EXPECT_NE(std::string(e.what()).find("impossible schema version (-23)"), std::string::npos);
  }
}

TEST(KioskStore, UsesWalAndFullSync) {
  test::TempDir dir;
  KioskStore store(dir / "k.sqlite");
  sqlite::Statement mode(store::KioskStoreTestPeer::connection(store), "PRAGMA journal_mode");
  ASSERT_TRUE(mode.step());
  EXPECT_EQ(mode.columnText(0), "wal");
  sqlite::Statement sync(store::KioskStoreTestPeer::connection(store), "PRAGMA synchronous");
  ASSERT_TRUE(sync.step());
  EXPECT_EQ(sync.columnInt(0), 2);  // FULL
  sqlite::Statement fk(store::KioskStoreTestPeer::connection(store), "PRAGMA foreign_keys");
  ASSERT_TRUE(fk.step());
  EXPECT_EQ(fk.columnInt(0), 1);
}

}  // namespace
}  // namespace smp::store
