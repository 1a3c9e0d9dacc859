// Store schema v2: migration from every earlier version, erasure, revisions and quarantine.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>

#include "app/store/kiosk_store.h"
#include "app/store/migrations.h"
#include "sync/protocol/sha256.h"
#include "tests/support/kiosk_store_test_peer.h"
#include "tests/support/raw_scan.h"
#include "tests/support/temp_dir.h"

namespace smp::store {
namespace {

using test::rawOccurrences;

BlobData blob(const std::string& role, const std::string& content) {
  BlobData b;
  b.bytes.assign(content.begin(), content.end());
  b.ref = {role, protocol::sha256Hex(b.bytes), b.bytes.size(), "image/jpeg"};
  return b;
}

ConsultationToSave sample(const std::string& name) {
  ConsultationToSave c;
  c.blobs = {blob("front", "photo-" + name), blob("preview", "preview-" + name)};
  c.record.createdAt = "2026-11-21T10:00:00Z";
  c.record.clientName = name;
  c.record.concern = "scar";
  c.record.consentTextSha256 = protocol::sha256Hex("consent");
  c.record.consentedAt = c.record.createdAt;
  c.record.photos = {c.blobs[0].ref};
  c.record.previews = {c.blobs[1].ref};
  return c;
}

// Builds a database at schema version `version` using the shipped migrations only.
void createAtVersion(const std::filesystem::path& path, int version) {
  sqlite::Database db(path);
  for (int v = 0; v < version; ++v) db.exec(kioskMigrations()[static_cast<std::size_t>(v)]);
  db.setUserVersion(version);
}

TEST(KioskStoreMigration, FromEveryEarlierVersionKeepsTheData) {
  for (int from = 0; from < kSchemaVersion; ++from) {
    test::TempDir dir;
    const auto path = dir / "k.sqlite";
    createAtVersion(path, from);
    if (from >= 1) {
      // A pending record as version 1 stored it.
      sqlite::Database db(path);
      auto c = sample("Ada Earlierversion");
      c.record.id = "11111111-1111-4111-8111-111111111111";
      c.record.kioskSeq = 1;
      c.record.revision = 1;
      sqlite::Statement(db,
                        "INSERT INTO consultations(id, kiosk_seq, revision, created_at, "
                        "client_name, concern, record_json, content_sha256, locked) "
                        "VALUES(?, 1, 1, 't', ?, 'scar', ?, 'h', 0)")
          .bind(1, c.record.id)
          .bind(2, c.record.clientName)
          .bind(3, c.record.toJson().dump())
          .run();
      for (const BlobData& b : c.blobs) {
        sqlite::Statement(db, "INSERT INTO blobs(sha256, mime, bytes) VALUES(?, 'image/jpeg', ?)")
            .bind(1, b.ref.sha256)
            .bindBlob(2, b.bytes)
            .run();
      }
      db.exec(
          "INSERT INTO outbox(consultation_id, revision, queued_at, attempts, last_error) "
          "VALUES('11111111-1111-4111-8111-111111111111', 1, 100, 2, 'offline')");
    }
    KioskStore store(path);
    EXPECT_EQ(store::KioskStoreTestPeer::connection(store).userVersion(), kSchemaVersion)
        << "from " << from;
    if (from >= 1) {
      const auto pending = store.pendingOutbox();
      ASSERT_EQ(pending.size(), 1u) << "from " << from;
      EXPECT_EQ(pending[0].attempts, 2);
      EXPECT_EQ(pending[0].lastError, "offline");
      EXPECT_EQ(pending[0].kind, OutboxKind::kRecord);
      // Written in the clear by an earlier version, sealed when this one opened it.
      const auto record = store.loadRecord(pending[0].consultationId);
      ASSERT_TRUE(record.has_value()) << "from " << from;
      EXPECT_EQ(record->clientName, "Ada Earlierversion");
      const auto photo = store.loadBlob(record->photos[0].sha256);
      ASSERT_TRUE(photo.has_value());
      EXPECT_EQ(std::string(photo->begin(), photo->end()), "photo-Ada Earlierversion");
      EXPECT_EQ(rawOccurrences(path, "Ada Earlierversion"), 0) << "from " << from;
      EXPECT_EQ(rawOccurrences(path, "photo-Ada Earlierversion"), 0) << "from " << from;
    }
    sqlite::Statement check(store::KioskStoreTestPeer::connection(store), "PRAGMA integrity_check");
    ASSERT_TRUE(check.step());
    EXPECT_EQ(check.columnText(0), "ok");
    sqlite::Statement fk(store::KioskStoreTestPeer::connection(store), "PRAGMA foreign_key_check");
    EXPECT_FALSE(fk.step()) << "foreign keys broken after migrating from " << from;
  }
}

// The sealed bytes the store keeps for a record and for a blob: what a scan of the files can
// find of a client once their plain data is sealed.
std::string storedBytes(KioskStore& store, const char* sql, const std::string& key) {
  sqlite::Statement st(KioskStoreTestPeer::connection(store), sql);
  st.bind(1, key);
  if (!st.step()) return "";
  const auto b = st.columnBlob(0);
  return std::string(b.begin(), b.end());
}

std::string sealedRecordBytes(KioskStore& store, const std::string& id) {
  return storedBytes(store, "SELECT record_sealed FROM consultations WHERE id = ?", id);
}

std::string sealedBlobBytes(KioskStore& store, const std::string& sha) {
  return storedBytes(store, "SELECT bytes FROM blobs WHERE sha256 = ?", sha);
}

// A consultation whose name, phone and photo bytes a raw scan of the files can look for.
ConsultationToSave withPersonalData(const std::string& name, const std::string& phone,
                                    const std::string& photoBytes) {
  auto c = sample(name);
  c.record.intake = {{"phone", phone}};
  c.blobs[0] = blob("front", photoBytes);
  c.record.photos = {c.blobs[0].ref};
  return c;
}

TEST(KioskStore, AnErasureLeavesNoCopyInTheFilesOrTheWal) {
  // Issue 10: after an erasure, the client's name, phone and photo bytes stayed readable in the
  // WAL file while the kiosk ran.
  test::TempDir dir;
  KioskStore store(dir / "k.sqlite");
  const auto keep = store.save(sample("Keep"));
  const auto gone = store.save(
      withPersonalData("Zebedee Quartermaine", "+44 7700 900417", "PHOTO-BYTES-7f3a9c-unique"));
  // Sealed, the plain bytes are never on disk; what must go is the sealed copy, which opens
  // for anyone who later gets the key.
  const std::string sealedRecord = sealedRecordBytes(store, gone.id);
  const std::string sealedPhoto = sealedBlobBytes(store, gone.photos[0].sha256);
  const std::string keptPhoto = sealedBlobBytes(store, keep.photos[0].sha256);
  ASSERT_GT(sealedRecord.size(), 64u);
  ASSERT_GT(rawOccurrences(dir / "k.sqlite", sealedRecord.substr(0, 48)), 0) << "the scan sees it";
  ASSERT_GT(rawOccurrences(dir / "k.sqlite", sealedPhoto.substr(0, 48)), 0);
  ASSERT_TRUE(store.erase(gone.id, "staff-1"));
  EXPECT_EQ(rawOccurrences(dir / "k.sqlite", sealedRecord.substr(0, 48)), 0);
  EXPECT_EQ(rawOccurrences(dir / "k.sqlite", sealedRecord.substr(sealedRecord.size() - 48)), 0);
  EXPECT_EQ(rawOccurrences(dir / "k.sqlite", sealedPhoto.substr(0, 48)), 0);
  EXPECT_EQ(rawOccurrences(dir / "k.sqlite", "Zebedee Quartermaine"), 0);
  EXPECT_EQ(rawOccurrences(dir / "k.sqlite", "7700 900417"), 0);
  EXPECT_EQ(rawOccurrences(dir / "k.sqlite", "PHOTO-BYTES-7f3a9c"), 0);
  EXPECT_GT(rawOccurrences(dir / "k.sqlite", keptPhoto.substr(0, 48)), 0) << "the other stays";
  EXPECT_TRUE(store.loadRecord(keep.id).has_value());
}

TEST(KioskStore, RetentionPurgesAcknowledgedRecordsAndLeavesNoCopy) {
  // Issue 10: a kiosk kept every readable record for ever; a stolen kiosk gave them all away.
  test::TempDir dir;
  KioskStore store(dir / "k.sqlite");
  const auto old = store.save(
      withPersonalData("Philippa Oldacknowledged", "+44 7700 900555", "OLD-PHOTO-BYTES-c41d"));
  const auto recent = store.save(sample("Recent"));
  const auto unsent = store.save(sample("Unsent"));
  const std::string sealedRecord = sealedRecordBytes(store, old.id);
  const std::string sealedPhoto = sealedBlobBytes(store, old.photos[0].sha256);
  ASSERT_GT(rawOccurrences(dir / "k.sqlite", sealedRecord.substr(0, 48)), 0) << "the scan sees it";
  store.markSynced(old.id, 1, "2026-01-10T09:00:00Z", OutboxKind::kRecord);
  store.markSynced(recent.id, 1, "2026-11-30T09:00:00Z", OutboxKind::kRecord);

  EXPECT_EQ(store.purgeAcknowledgedBefore("2026-06-01T00:00:00Z", "retention"), 1);
  EXPECT_FALSE(store.loadRecord(old.id).has_value()) << "no readable copy";
  EXPECT_FALSE(store.loadBlob(old.photos[0].sha256).has_value());
  EXPECT_TRUE(store.loadRecord(recent.id).has_value()) << "acknowledged too recently";
  EXPECT_TRUE(store.loadRecord(unsent.id).has_value()) << "never purged before head office has it";
  EXPECT_EQ(rawOccurrences(dir / "k.sqlite", "Philippa Oldacknowledged"), 0);
  EXPECT_EQ(rawOccurrences(dir / "k.sqlite", "7700 900555"), 0);
  EXPECT_EQ(rawOccurrences(dir / "k.sqlite", "OLD-PHOTO-BYTES-c41d"), 0);
  EXPECT_EQ(rawOccurrences(dir / "k.sqlite", sealedRecord.substr(0, 48)), 0);
  EXPECT_EQ(rawOccurrences(dir / "k.sqlite", sealedPhoto.substr(0, 48)), 0);

  // The row stays for sync and for staff's list: its id, sequence and state.
  const auto rows = store.listConsultations({});
  const auto it =
      std::find_if(rows.begin(), rows.end(), [&](const auto& r) { return r.id == old.id; });
  ASSERT_NE(it, rows.end());
  EXPECT_EQ(it->syncState, "purged");
  EXPECT_EQ(it->clientName, "");
  EXPECT_EQ(it->acknowledgedAt, "2026-01-10T09:00:00Z");
  EXPECT_EQ(store.purgeAcknowledgedBefore("2026-06-01T00:00:00Z", "retention"), 0) << "once";
  // An erasure of a purged record still reaches head office.
  ASSERT_TRUE(store.erase(old.id, "staff-1"));
  const auto pending = store.pendingOutbox();
  EXPECT_TRUE(std::any_of(pending.begin(), pending.end(), [&](const auto& e) {
    return e.consultationId == old.id && e.kind == OutboxKind::kTombstone;
  }));
}

TEST(KioskStore, EraseRemovesEverythingPersonalAndQueuesATombstone) {
  test::TempDir dir;
  KioskStore store(dir / "k.sqlite");
  const auto keep = store.save(sample("Keep"));
  const auto gone = store.save(sample("Gone"));
  ASSERT_TRUE(store.erase(gone.id, "staff-1"));
  EXPECT_FALSE(store.loadRecord(gone.id).has_value());
  EXPECT_FALSE(store.loadBlob(gone.photos[0].sha256).has_value());
  EXPECT_FALSE(store.loadBlob(gone.previews[0].sha256).has_value());
  EXPECT_TRUE(store.loadBlob(keep.photos[0].sha256).has_value());
  EXPECT_TRUE(store.isErased(gone.id));
  const auto pending = store.pendingOutbox();
  ASSERT_EQ(pending.size(), 2u);  // Keep's record, Gone's tombstone; Gone's record never leaves
  EXPECT_EQ(pending[1].consultationId, gone.id);
  EXPECT_EQ(pending[1].kind, OutboxKind::kTombstone);
  EXPECT_FALSE(store.erase(gone.id, "staff-1")) << "nothing left to erase";
  EXPECT_EQ(sealedRecordBytes(store, gone.id), "") << "no row, sealed or not";
  sqlite::Statement sd(store::KioskStoreTestPeer::connection(store), "PRAGMA secure_delete");
  sd.step();
  EXPECT_EQ(sd.columnInt(0), 1) << "freed pages are overwritten";
}

TEST(KioskStore, EditsBeforeSendingAreInPlaceAfterSendingANewRevision) {
  test::TempDir dir;
  KioskStore store(dir / "k.sqlite");
  const auto r = store.save(sample("A"));
  const auto edited = store.revise(r.id, {{"norwood", "III"}}, "staff-1");
  EXPECT_EQ(edited.revision, 1);
  EXPECT_EQ(store.pendingOutbox().size(), 1u);
  store.markSendAttempt(r.id, 1);
  store.markSynced(r.id, 1, "2026-11-21T10:00:00Z");
  const auto rev2 = store.revise(r.id, {{"norwood", "IV"}}, "staff-1");
  EXPECT_EQ(rev2.revision, 2);
  const auto pending = store.pendingOutbox();
  ASSERT_EQ(pending.size(), 1u);
  EXPECT_EQ(pending[0].revision, 2);
  EXPECT_EQ(store.loadRecord(r.id)->intake["norwood"], "IV");
  EXPECT_THROW(store.revise("no-such-id", nlohmann::json::object(), "x"), StoreError);
}

TEST(KioskStore, RefusedRecordsAreQuarantinedAfterFiveAndCanBeReleased) {
  test::TempDir dir;
  KioskStore store(dir / "k.sqlite");
  const auto a = store.save(sample("A"));
  const auto b = store.save(sample("B"));
  for (int i = 1; i < kMaxRefusals; ++i) EXPECT_FALSE(store.markRefused(a.id, 1, "400: bad name"));
  EXPECT_TRUE(store.markRefused(a.id, 1, "400: bad name"));
  const auto pending = store.pendingOutbox();
  ASSERT_EQ(pending.size(), 1u);
  EXPECT_EQ(pending[0].consultationId, b.id) << "the rest of the queue keeps flowing";
  ASSERT_EQ(store.quarantinedOutbox().size(), 1u);
  EXPECT_EQ(store.quarantinedOutbox()[0].lastError, "400: bad name");
  EXPECT_EQ(store.status().quarantined, 1);
  EXPECT_EQ(store.status().records, 2) << "quarantine keeps the record";
  store.releaseFromQuarantine(a.id, 1, OutboxKind::kRecord, "staff-1");
  EXPECT_EQ(store.pendingOutbox().size(), 2u);
}

}  // namespace
}  // namespace smp::store
