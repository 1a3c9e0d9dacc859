// Photos as files beside the head-office database: the blob store on a real folder, the
// storage that names its files, the move out of a schema-7 database, and the startup check.
#include "sync/server/blob_store.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>

#include "sqlite/sqlite_db.h"
#include "sync/protocol/sha256.h"
#include "sync/server/head_office_storage.h"
#include "sync/server/sqlite_server_storage.h"
#include "tests/support/sample_records.h"
#include "tests/support/temp_dir.h"

namespace smp::server {
namespace {

namespace fs = std::filesystem;

std::string bytesOf(std::size_t size, int seed) {
  std::string b(size, '\0');
  for (std::size_t i = 0; i < size; ++i) b[i] = static_cast<char>((i * 131 + seed * 7) % 251);
  return b;
}

std::string fileText(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

TEST(FileBlobStore, StoresByHashAtomicallyAndReadsBack) {
  test::TempDir dir;
  FileBlobStore store(dir / "blobs");
  const std::string photo = bytesOf(300'000, 1);
  const std::string sha = protocol::sha256Hex(photo);
  EXPECT_FALSE(store.contains(sha));
  EXPECT_FALSE(store.read(sha).has_value());
  store.put(sha, photo);
  store.put(sha, photo);  // the same bytes again: nothing changes
  EXPECT_TRUE(store.contains(sha));
  EXPECT_EQ(store.pathOf(sha), dir / "blobs" / sha.substr(0, 2) / sha.substr(2, 2) / sha);
  EXPECT_EQ(fileText(store.pathOf(sha)), photo);
  EXPECT_EQ(*store.read(sha), photo);
  // No temporary file is left beside it.
  int entries = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(store.pathOf(sha).parent_path()))
    ++entries;
  EXPECT_EQ(entries, 1);
  std::vector<std::string> listed;
  store.forEach([&](const std::string& s) {
    listed.push_back(s);
    return true;
  });
  EXPECT_EQ(listed, std::vector<std::string>{sha});
}

TEST(FileBlobStore, RemoveOverwritesThenDeletes) {
  test::TempDir dir;
  FileBlobStore store(dir / "blobs");
  const std::string photo = bytesOf(100'000, 2);
  const std::string sha = protocol::sha256Hex(photo);
  store.put(sha, photo);
  // A second name for the same inode sees what remove() does to the bytes before unlinking.
  const fs::path witness = dir / "witness";
  fs::create_hard_link(store.pathOf(sha), witness);
  store.remove(sha);
  EXPECT_FALSE(store.contains(sha));
  EXPECT_EQ(fileText(witness), std::string(photo.size(), '\0'));
  store.remove(sha);  // already gone: not an error
}

TEST(FileBlobStore, PartsBecomeABlobOnlyWhenTheirHashMatches) {
  test::TempDir dir;
  FileBlobStore store(dir / "blobs");
  const std::string big = bytesOf(2'500'000, 3);
  const std::string sha = protocol::sha256Hex(big);
  store.writePart("kiosk-1-" + sha, 0, std::string_view(big).substr(0, 1'000'000));
  store.writePart("kiosk-1-" + sha, 1'000'000, std::string_view(big).substr(1'000'000));
  // A retried chunk after a crash left bytes past the end: they are not part of the blob.
  store.writePart("kiosk-1-" + sha, big.size(), "leftover");
  EXPECT_EQ(store.completePart("kiosk-1-" + sha, big.size(), sha), sha);
  EXPECT_EQ(*store.read(sha), big);
  EXPECT_FALSE(fs::exists(dir / "blobs" / "uploads" / ("kiosk-1-" + sha)));

  std::string damaged = big;
  damaged[10] ^= 1;
  const std::string other = protocol::sha256Hex(bytesOf(10, 9));
  store.writePart("kiosk-1-" + other, 0, damaged);
  EXPECT_EQ(store.completePart("kiosk-1-" + other, damaged.size(), other),
            protocol::sha256Hex(damaged));
  EXPECT_FALSE(store.contains(other));
  EXPECT_FALSE(fs::exists(dir / "blobs" / "uploads" / ("kiosk-1-" + other)));
}

TEST(FileBlobStore, RefusesNamesThatAreNotHashesOrThatLeaveTheFolder) {
  test::TempDir dir;
  FileBlobStore store(dir / "blobs");
  EXPECT_THROW(store.put("../../etc/passwd", "x"), std::invalid_argument);
  EXPECT_THROW(store.put(std::string(64, 'A'), "x"), std::invalid_argument);
  EXPECT_THROW(store.writePart("../escape", 0, "x"), std::invalid_argument);
  EXPECT_THROW(store.writePart("", 0, "x"), std::invalid_argument);
}

TEST(FileBlobStore, AFolderItCannotWriteIsAClearError) {
  if (::geteuid() == 0) GTEST_SKIP() << "root writes anywhere";
  test::TempDir dir;
  fs::create_directories(dir / "locked");
  fs::permissions(dir / "locked", fs::perms::owner_read | fs::perms::owner_exec);
  try {
    FileBlobStore store(dir / "locked" / "blobs");
    FAIL() << "a folder that cannot be created was accepted";
  } catch (const BlobStoreError& e) {
    EXPECT_NE(std::string(e.what()).find((dir / "locked").string()), std::string::npos) << e.what();
  }
  fs::permissions(dir / "locked", fs::perms::owner_all);
}

class StorageOnFiles : public ::testing::Test {
 protected:
  test::TempDir dir;
  fs::path db = dir / "head-office.sqlite";
  std::unique_ptr<SqliteServerStorage> storage = std::make_unique<SqliteServerStorage>(db);
  KioskIdentity kiosk{storage->addKiosk("Leeds").kioskId, "Leeds"};

  std::string upload(const std::string& bytes) {
    const std::string sha = protocol::sha256Hex(bytes);
    EXPECT_EQ(storage->putChunk(kiosk, sha, bytes.size(), 0, bytes, {}).result,
              ChunkResult::kCompleted);
    return sha;
  }
  std::string store(const std::string& photo, std::int64_t seq = 1) {
    if (!storage->uploadState(kiosk, protocol::sha256Hex(photo)).present) upload(photo);
    auto record = test::recordNaming(photo, seq);
    std::string receivedAt;
    EXPECT_EQ(storage->putConsultation(kiosk, record.id, seq, 1, record.contentSha256(),
                                       record.toJson().dump(), record.blobHashes(), receivedAt),
              PutResult::kStored);
    return record.id;
  }
};

TEST_F(StorageOnFiles, PhotosAreFilesBesideTheDatabaseNotRowsInIt) {
  const std::string photo = bytesOf(3'000'000, 4);
  const std::string sha = upload(photo);
  EXPECT_EQ(storage->blobFolder(), dir / "head-office.blobs");
  EXPECT_EQ(fileText(dir / "head-office.blobs" / sha.substr(0, 2) / sha.substr(2, 2) / sha), photo);
  EXPECT_EQ(*storage->blob(sha), photo);
  storage.reset();
  sqlite::Database raw(db);
  raw.exec("PRAGMA wal_checkpoint(TRUNCATE)");
  // The schema alone is a few hundred KB of pages; the photo would be 3 MB.
  EXPECT_LT(fs::file_size(db), photo.size() / 4) << "the photo's bytes went into the database";
}

// A head office that cannot be opened (its blob folder cannot be made) leaves no empty database
// file behind, which the next `serve` would take for a real one.
TEST(OpenHeadOffice, AFailedOpenLeavesNoEmptyDatabase) {
  test::TempDir dir;
  std::ofstream(dir / "a-file") << "not a folder";
  const fs::path db = dir / "new-head-office.sqlite";
  EXPECT_ANY_THROW(openHeadOfficeStorage(db.string(), dir / "a-file" / "blobs"));
  EXPECT_FALSE(fs::exists(db));
  EXPECT_FALSE(fs::exists(db.string() + "-wal"));
  // An existing database is never removed, whatever goes wrong.
  { SqliteServerStorage made(db, dir / "blobs"); }
  EXPECT_ANY_THROW(openHeadOfficeStorage(db.string(), dir / "a-file" / "blobs"));
  EXPECT_TRUE(fs::exists(db));
}

TEST_F(StorageOnFiles, TheDatabaseRemembersItsBlobFolder) {
  storage.reset();
  storage = std::make_unique<SqliteServerStorage>(db, dir / "elsewhere");
  const std::string sha = upload(bytesOf(1000, 5));
  storage.reset();
  storage = std::make_unique<SqliteServerStorage>(db);  // no folder given: the one it used
  EXPECT_EQ(storage->blobFolder(), dir / "elsewhere");
  EXPECT_TRUE(storage->blob(sha).has_value());
}

TEST_F(StorageOnFiles, AnUploadInPiecesIsCountedByTheDatabaseAndResumes) {
  const std::string big = bytesOf(2'500'000, 6);
  const std::string sha = protocol::sha256Hex(big);
  EXPECT_EQ(storage->putChunk(kiosk, sha, big.size(), 0, big.substr(0, 1'000'000), {}).result,
            ChunkResult::kAccepted);
  // The server restarts: the upload's progress is in the database, its bytes in the folder.
  storage.reset();
  storage = std::make_unique<SqliteServerStorage>(db);
  EXPECT_EQ(storage->uploadState(kiosk, sha).received, 1'000'000u);
  EXPECT_EQ(storage->putChunk(kiosk, sha, big.size(), 0, big.substr(0, 1'000'000), {}).result,
            ChunkResult::kWrongOffset);
  EXPECT_EQ(storage->putChunk(kiosk, sha, big.size(), 1'000'000, big.substr(1'000'000), {}).result,
            ChunkResult::kCompleted);
  EXPECT_TRUE(storage->uploadState(kiosk, sha).present);
  EXPECT_EQ(*storage->blob(sha), big);
  EXPECT_TRUE(fs::is_empty(dir / "head-office.blobs" / "uploads"));
}

TEST_F(StorageOnFiles, ErasureRemovesThePhotoFileUnlessAnotherRecordNamesIt) {
  const std::string photo = bytesOf(50'000, 7);
  const std::string first = store(photo, 1);
  const std::string second = store(photo, 2);  // the same bytes in another record
  std::string erasedAt;
  ASSERT_TRUE(storage->eraseConsultation(kiosk, first, erasedAt));
  EXPECT_TRUE(storage->blob(protocol::sha256Hex(photo)).has_value());
  EXPECT_EQ(storage->checkBlobs(5).files, 1);
  ASSERT_TRUE(storage->eraseConsultation(kiosk, second, erasedAt));
  EXPECT_FALSE(storage->blob(protocol::sha256Hex(photo)).has_value());
  EXPECT_EQ(storage->checkBlobs(5).files, 0) << "the erased photo's file is still there";
}

TEST_F(StorageOnFiles, ExpiredUploadsAndUnnamedBlobsLoseTheirFiles) {
  const std::string unnamed = upload(bytesOf(20'000, 8));
  const std::string big = bytesOf(2'000'000, 9);
  storage->putChunk(kiosk, protocol::sha256Hex(big), big.size(), 0, big.substr(0, 1'000'000), {});
  const std::string kept = protocol::sha256Hex(bytesOf(30'000, 10));
  store(bytesOf(30'000, 10));
  EXPECT_EQ(storage->expireUploads(4'000'000'000), 2);  // a cutoff after everything
  EXPECT_FALSE(storage->blob(unnamed).has_value());
  EXPECT_TRUE(storage->blob(kept).has_value());
  EXPECT_TRUE(fs::is_empty(storage->blobFolder() / "uploads"));
  const auto check = storage->checkBlobs(5);
  EXPECT_EQ(check.files, 1);
  EXPECT_EQ(check.named, 1);
}

TEST_F(StorageOnFiles, TheCheckNamesMissingFilesAndOrphansAndOrphansCanBeRemoved) {
  const std::string lost = upload(bytesOf(1000, 11));
  upload(bytesOf(1000, 12));
  fs::remove(storage->blobFolder() / lost.substr(0, 2) / lost.substr(2, 2) / lost);
  const std::string stray = bytesOf(1000, 13);
  FileBlobStore(storage->blobFolder()).put(protocol::sha256Hex(stray), stray);
  auto check = storage->checkBlobs(5);
  EXPECT_EQ(check.named, 2);
  EXPECT_EQ(check.files, 2);
  EXPECT_EQ(check.missing, std::vector<std::string>{lost});
  EXPECT_EQ(check.orphans, std::vector<std::string>{protocol::sha256Hex(stray)});
  EXPECT_EQ(storage->removeOrphanBlobs(), 1);
  check = storage->checkBlobs(5);
  EXPECT_EQ(check.orphanCount, 0);
  EXPECT_EQ(check.missingCount, 1);
}

TEST(StorageMigration, ASchema7DatabaseMovesItsPhotosIntoTheFolder) {
  test::TempDir dir;
  const fs::path db = dir / "head-office.sqlite";
  const std::string photo = bytesOf(400'000, 14);
  const std::string sha = protocol::sha256Hex(photo);
  std::string damagedSha(64, 'e');
  {
    sqlite::Database raw(db);
    for (int v = 0; v < 7; ++v) raw.exec(serverMigrations()[static_cast<std::size_t>(v)]);
    raw.setUserVersion(7);
    const auto insert = [&](const std::string& s, const std::string& bytes) {
      sqlite::Statement(raw,
                        "INSERT INTO blobs(sha256, size, bytes, received_at) VALUES(?,?,?,'t')")
          .bind(1, s)
          .bind(2, static_cast<std::int64_t>(bytes.size()))
          .bindBlob(3, reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size())
          .run();
    };
    insert(sha, photo);
    insert(damagedSha, "bytes that do not hash to their name");
  }
  SqliteServerStorage storage(db);
  EXPECT_EQ(*storage.blob(sha), photo);
  // The damaged row is not written under a false name; the check says it is missing.
  const auto check = storage.checkBlobs(5);
  EXPECT_EQ(check.named, 2);
  EXPECT_EQ(check.missing, std::vector<std::string>{damagedSha});
  sqlite::Database raw(db);
  sqlite::Statement columns(raw,
                            "SELECT COUNT(*) FROM pragma_table_info('blobs') WHERE name = 'bytes'");
  columns.step();
  EXPECT_EQ(columns.columnInt(0), 0) << "the bytes column is gone";
}

}  // namespace
}  // namespace smp::server
