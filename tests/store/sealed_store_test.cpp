// Issue 10, "a stolen kiosk gives away nothing": what the kiosk's files hold about a client, before
// and after head office holds the store key, and what a restart without head office can do.
#include <gtest/gtest.h>

#include <algorithm>

#include "app/store/kiosk_store.h"
#include "app/store/migrations.h"
#include "sync/protocol/sha256.h"
#include "tests/support/kiosk_store_test_peer.h"
#include "tests/support/raw_scan.h"
#include "tests/support/temp_dir.h"

namespace smp::store {
namespace {

using test::rawOccurrences;

constexpr const char* kName = "Oluwaseun Featherstonehaugh";
constexpr const char* kPhone = "+44 7700 900642";
constexpr const char* kAnswer = "warfarin-5mg-daily";
constexpr const char* kPhoto = "JPEG-PORTRAIT-BYTES-91c2e7";
constexpr const char* kSignature = "PNG-SIGNATURE-BYTES-5be0aa";

BlobData blob(const std::string& role, const std::string& content) {
  BlobData b;
  b.bytes.assign(content.begin(), content.end());
  b.ref = {role, protocol::sha256Hex(b.bytes), b.bytes.size(),
           role == "signature" ? "image/png" : "image/jpeg"};
  return b;
}

ConsultationToSave client(const std::string& name = kName) {
  ConsultationToSave c;
  c.blobs = {blob("front", kPhoto + name), blob("signature", kSignature + name)};
  c.record.createdAt = "2026-12-01T10:00:00Z";
  c.record.clientName = name;
  c.record.concern = "scar";
  c.record.intake = {{"phone", kPhone},
                     {"medications", kAnswer},
                     {"health_flags", nlohmann::json::array({"blood_thinners"})}};
  c.record.consentTextSha256 = protocol::sha256Hex("consent");
  c.record.consentedAt = c.record.createdAt;
  c.record.photos = {c.blobs[0].ref, c.blobs[1].ref};
  return c;
}

// What a thief who copies the files can read of this client.
int plainTraces(const std::filesystem::path& db) {
  int n = 0;
  for (const char* needle : {kName, kPhone, kAnswer, kPhoto, kSignature, "Featherstone"}) {
    n += rawOccurrences(db, needle);
  }
  return n;
}

TEST(SealedStore, NoNamePhoneAnswerPhotoOrSignatureIsEverWrittenInTheClear) {
  test::TempDir dir;
  const auto path = dir / "k.sqlite";
  KioskStore store(path);
  const auto saved = store.save(client());
  EXPECT_EQ(plainTraces(path), 0) << "in the database, its WAL or its shared memory";
  // A staff edit and a new revision are sealed too.
  store.markSendAttempt(saved.id, 1);
  store.revise(
      saved.id, [](protocol::ConsultationRecord& r) { r.clientName = std::string(kName) + " Jr"; },
      "staff-1");
  EXPECT_EQ(plainTraces(path), 0);
  // And still readable by this kiosk, which holds the key.
  const auto back = store.loadRecord(saved.id);
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->clientName, std::string(kName) + " Jr");
  EXPECT_EQ(back->intake["medications"], kAnswer);
  const auto photo = store.loadBlob(saved.photos[0].sha256);
  ASSERT_TRUE(photo.has_value());
  EXPECT_EQ(std::string(photo->begin(), photo->end()), kPhoto + std::string(kName));
  const auto rows = store.listConsultations({});
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].phone, kPhone);
  EXPECT_EQ(rows[0].healthFlags, 1);
  EXPECT_FALSE(rows[0].sealed);
}

TEST(SealedStore, OnceHeadOfficeHoldsTheKeyTheDiskHasNoKeyAndARestartIsSealed) {
  test::TempDir dir;
  const auto path = dir / "k.sqlite";
  std::string firstId;
  StoreKey secret{};
  {
    KioskStore store(path);
    firstId = store.save(client()).id;
    const auto onDisk = store.secretKeyOnDisk();
    ASSERT_TRUE(onDisk.has_value()) << "before head office has it, the key is on the disk";
    secret = *onDisk;
    ASSERT_GT(rawOccurrences(path, keyToHex(secret)), 0) << "the scan can see it";
    store.forgetSecretKeyOnDisk();
    EXPECT_FALSE(store.secretKeyOnDisk().has_value());
    EXPECT_NE(store.keyEscrowedAt(), "");
    EXPECT_FALSE(store.sealed()) << "this process keeps it in memory";
    EXPECT_TRUE(store.loadRecord(firstId).has_value());
  }
  EXPECT_EQ(rawOccurrences(path, keyToHex(secret)), 0) << "not in the file, the WAL or free pages";
  EXPECT_EQ(rawOccurrences(path, std::string_view(reinterpret_cast<const char*>(secret.data()),
                                                  secret.size())),
            0);

  // A restart (or a thief) with the files alone.
  KioskStore store(path);
  EXPECT_TRUE(store.sealed());
  const auto second = store.save(client("Second Client"));  // saving needs no secret
  try {
    store.loadRecord(firstId);
    FAIL() << "a sealed record was read without the key";
  } catch (const StoreError& e) {
    EXPECT_EQ(e.code(), StoreErrorCode::kSealed);
    EXPECT_EQ(classifyFailure(e), StoreFailure::kSealed);
  }
  EXPECT_THROW(store.loadBlob(second.photos[0].sha256), StoreError);
  EXPECT_THROW(store.revise(firstId, nlohmann::json::object(), "staff-1"), StoreError);
  const auto rows = store.listConsultations({});
  ASSERT_EQ(rows.size(), 2u) << "staff still see that records exist, and their sync state";
  for (const auto& r : rows) {
    EXPECT_TRUE(r.sealed);
    EXPECT_EQ(r.clientName, "");
    EXPECT_EQ(r.phone, "");
    EXPECT_EQ(r.syncState, "pending");
  }
  EXPECT_TRUE(store.listConsultations({.text = "Second"}).empty()) << "names cannot be searched";
  EXPECT_EQ(store.listConsultations({.text = "2026-12-01"}).size(), 2u) << "dates can";
  EXPECT_EQ(plainTraces(path), 0);

  // Head office sends the key back: a wrong one changes nothing, the right one opens all.
  const StoreKey wrong = makeStoreKeyPair().secretKey;
  EXPECT_FALSE(store.unseal(wrong));
  EXPECT_TRUE(store.sealed());
  const auto stampBefore = store.changeStamp();
  ASSERT_TRUE(store.unseal(secret));
  EXPECT_NE(store.changeStamp(), stampBefore) << "screens cached on the stamp show names again";
  EXPECT_EQ(store.loadRecord(firstId)->clientName, kName);
  EXPECT_EQ(store.loadRecord(second.id)->clientName, "Second Client");
  EXPECT_EQ(store.listConsultations({.text = "second"}).size(), 1u);
  EXPECT_FALSE(store.secretKeyOnDisk().has_value()) << "unsealing does not write the key back";
}

TEST(SealedStore, ConnectionsSharingKeysUnsealTogether) {
  // The UI's connection and the sync worker's share one StoreKeys: the key the worker fetches
  // opens the staff screens too.
  test::TempDir dir;
  const auto path = dir / "k.sqlite";
  StoreKey secret{};
  std::string id;
  {
    KioskStore store(path);
    id = store.save(client()).id;
    secret = *store.secretKeyOnDisk();
    store.forgetSecretKeyOnDisk();
  }
  auto keys = std::make_shared<StoreKeys>();
  KioskStore ui(path, keys);
  KioskStore worker(path, keys);
  ASSERT_TRUE(ui.sealed());
  ASSERT_TRUE(worker.unseal(secret));
  EXPECT_FALSE(ui.sealed());
  EXPECT_EQ(ui.loadRecord(id)->clientName, kName);
}

TEST(SealedStore, ATamperedSealedValueIsReportedAsDamagedNotReadAsSomethingElse) {
  test::TempDir dir;
  KioskStore store(dir / "k.sqlite");
  const auto a = store.save(client());
  const auto b = store.save(client("Untouched Client"));
  sqlite::Database& db = KioskStoreTestPeer::connection(store);
  // One byte changed to another value (was: set to 0, which left it as it was when it already
  // was 0, one run in 256, and the record read fine).
  db.exec(
      "UPDATE consultations SET record_sealed = substr(record_sealed, 1, 60) || "
      "CASE WHEN substr(record_sealed, 61, 1) = x'00' THEN x'01' ELSE x'00' END || "
      "substr(record_sealed, 62) WHERE id = '" +
      a.id + "'");
  db.exec(
      "UPDATE blobs SET bytes = CASE WHEN substr(bytes, 1, 1) = x'00' THEN x'01' ELSE x'00' END "
      "|| substr(bytes, 2) WHERE sha256 = '" +
      a.photos[0].sha256 + "'");
  EXPECT_NE(db.changes(), 0);
  try {
    store.loadRecord(a.id);
    FAIL() << "a changed sealed record was read";
  } catch (const StoreError& e) {
    EXPECT_EQ(e.code(), StoreErrorCode::kCorrupt);
  }
  EXPECT_THROW(store.loadBlob(a.photos[0].sha256), StoreError);
  // The list still works: the damaged record shows by its date, the other in full.
  const auto rows = store.listConsultations({});
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].clientName, "Untouched Client");
  EXPECT_EQ(rows[1].clientName, "");
  EXPECT_EQ(store.loadRecord(b.id)->clientName, "Untouched Client");
}

TEST(SealedStore, ADamagedOrMismatchedKeyStopsTheStoreWithoutTouchingIt) {
  test::TempDir dir;
  const auto path = dir / "k.sqlite";
  {
    KioskStore store(path);
    store.save(client());
    store.setSetting("store.secret_key", keyToHex(makeStoreKeyPair().secretKey));
  }
  try {
    KioskStore store(path);
    FAIL() << "a key pair that does not match was accepted";
  } catch (const StoreError& e) {
    EXPECT_EQ(e.code(), StoreErrorCode::kCorrupt);
    EXPECT_NE(std::string(e.what()).find("left untouched"), std::string::npos);
  }
  {
    sqlite::Database db(path);
    db.exec("UPDATE settings SET value = 'not-hex' WHERE key = 'store.public_key'");
  }
  EXPECT_THROW(KioskStore store(path), StoreError);
}

TEST(StoreKeys, SealsOpenOnlyWithTheMatchingSecret) {
  const StoreKeyPair pair = makeStoreKeyPair();
  StoreKeys keys;
  ASSERT_TRUE(keys.adoptPublicKey(pair.publicKey));
  EXPECT_FALSE(keys.adoptPublicKey(makeStoreKeyPair().publicKey)) << "one store, one key";
  const std::string text = "health answers";
  const auto sealedA = keys.seal(reinterpret_cast<const std::uint8_t*>(text.data()), text.size());
  const auto sealedB = keys.seal(reinterpret_cast<const std::uint8_t*>(text.data()), text.size());
  EXPECT_EQ(sealedA.size(), text.size() + StoreKeys::kSealOverhead);
  EXPECT_NE(sealedA, sealedB) << "the same answers do not seal to the same bytes";
  EXPECT_FALSE(keys.open(sealedA.data(), sealedA.size()).has_value()) << "locked";
  ASSERT_TRUE(keys.unlock(pair.secretKey));
  const auto opened = keys.open(sealedA.data(), sealedA.size());
  ASSERT_TRUE(opened.has_value());
  EXPECT_EQ(std::string(opened->begin(), opened->end()), text);
  EXPECT_THROW(keys.open(sealedA.data(), 10), std::runtime_error) << "too short";
  EXPECT_FALSE(keyFromHex("zz").has_value());
  EXPECT_EQ(keyFromHex(keyToHex(pair.publicKey)), pair.publicKey);
}

}  // namespace
}  // namespace smp::store
