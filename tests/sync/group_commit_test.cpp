// Group commit in the SQLite head office: many threads writing at once share transactions, and
// each still gets its own answer; a change that is refused undoes only its own rows.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "sqlite/sqlite_db.h"
#include "sync/protocol/sha256.h"
#include "sync/server/sqlite_server_storage.h"
#include "tests/support/sample_records.h"
#include "tests/support/temp_dir.h"

namespace smp::server {
namespace {

TEST(GroupCommit, ConcurrentWritersEachGetTheirOwnAnswerAndRefusalsUndoOnlyThemselves) {
  test::TempDir dir;
  SqliteServerStorage storage(dir / "head-office.sqlite");
  const KioskIdentity kiosk{storage.addKiosk("Leeds").kioskId, "Leeds"};
  constexpr int kThreads = 8, kEach = 25;
  std::atomic<int> stored{0}, conflicts{0}, other{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        // Every thread sends records with sequence numbers 1..kEach: for each sequence one
        // record wins and every other id is refused (the kiosk sequence is unique).
        const std::string photo = "photo " + std::to_string(t) + "/" + std::to_string(i);
        const std::string sha = protocol::sha256Hex(photo);
        if (storage.putChunk(kiosk, sha, photo.size(), 0, photo, {}).result !=
            ChunkResult::kCompleted) {
          ++other;
        }
        auto record = test::recordNaming(photo, i + 1);
        std::string receivedAt;
        switch (storage.putConsultation(kiosk, record.id, i + 1, 1, record.contentSha256(),
                                        record.toJson().dump(), record.blobHashes(), receivedAt)) {
          case PutResult::kStored:
            ++stored;
            if (receivedAt.empty()) ++other;
            break;
          case PutResult::kConflict:
            ++conflicts;
            break;
          default:
            ++other;
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(other.load(), 0);
  EXPECT_EQ(stored.load(), kEach);
  EXPECT_EQ(conflicts.load(), kEach * (kThreads - 1));
  // Only the winners' rows exist: a refused change left no revision and no blob link behind.
  int rows = 0, links = 0;
  storage.forEachConsultation([&](const StoredConsultation& c) {
    ++rows;
    links += static_cast<int>(c.record["photos"].size());
  });
  EXPECT_EQ(rows, kEach);
  EXPECT_EQ(links, kEach);
  EXPECT_EQ(storage.checkBlobs(5).named, kThreads * kEach);  // every upload itself was kept
  sqlite::Database raw(dir / "head-office.sqlite");
  for (const char* table : {"consultation_revisions", "consultation_blobs"}) {
    sqlite::Statement count(raw, std::string("SELECT COUNT(*) FROM ") + table);
    ASSERT_TRUE(count.step());
    EXPECT_EQ(count.columnInt(0), kEach) << table << " kept rows of refused changes";
  }
}

}  // namespace
}  // namespace smp::server
