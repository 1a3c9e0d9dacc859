// Crash test in the style of SQLite's own: a child process saves consultations in a loop and is
// killed with SIGKILL at a random moment; afterwards every record is complete or absent and
// PRAGMA integrity_check says ok.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <random>
#include <thread>

#include "app/store/kiosk_store.h"
#include "sync/protocol/sha256.h"
#include "tests/support/kiosk_store_test_peer.h"
#include "tests/support/temp_dir.h"

#ifndef SMP_CRASH_RUNS
#define SMP_CRASH_RUNS 20
#endif

namespace smp::store {
namespace {

[[noreturn]] void saveForever(const std::filesystem::path& path, int readyFd) {
  KioskStore store(path);
  const char ready = 'r';
  if (::write(readyFd, &ready, 1) != 1) _exit(2);
  for (int i = 0;; ++i) {
    ConsultationToSave c;
    std::string photo(40'000 + i % 7 * 1000, static_cast<char>('a' + i % 26));
    photo += std::to_string(i) + "-" + std::to_string(::getpid());
    for (const auto& [role, bytes] :
         {std::pair{"front", photo}, std::pair{"preview", "preview" + photo}}) {
      BlobData b;
      b.bytes.assign(bytes.begin(), bytes.end());
      b.ref = {role, protocol::sha256Hex(b.bytes), b.bytes.size(), "image/jpeg"};
      c.blobs.push_back(b);
    }
    c.record.createdAt = "2026-11-21T10:00:00Z";
    c.record.clientName = "Client " + std::to_string(i);
    c.record.concern = "scar";
    c.record.consentTextSha256 = protocol::sha256Hex("consent");
    c.record.consentedAt = c.record.createdAt;
    c.record.photos = {c.blobs[0].ref};
    c.record.previews = {c.blobs[1].ref};
    store.save(c);
    // One byte per committed save, so the parent can let a few finish before it strikes.
    const char saved = 's';
    if (::write(readyFd, &saved, 1) != 1) _exit(3);
  }
}

void checkAllOrNothing(const std::filesystem::path& path, int run) {
  KioskStore store(path);  // opening also proves the file is readable and migrated
  sqlite::Statement integrity(store::KioskStoreTestPeer::connection(store),
                              "PRAGMA integrity_check");
  ASSERT_TRUE(integrity.step());
  EXPECT_EQ(integrity.columnText(0), "ok") << "run " << run;
  for (const std::string& id : store.consultationIds()) {
    const auto record = store.loadRecord(id);
    ASSERT_TRUE(record.has_value()) << "run " << run;
    for (const std::string& sha : record->blobHashes()) {
      const auto bytes = store.loadBlob(sha);
      ASSERT_TRUE(bytes.has_value()) << "run " << run << ": record without its photo";
      EXPECT_EQ(protocol::sha256Hex(*bytes), sha) << "run " << run;
    }
    sqlite::Statement parts(store::KioskStoreTestPeer::connection(store),
                            "SELECT (SELECT COUNT(*) FROM consents WHERE consultation_id = ?1), "
                            "(SELECT COUNT(*) FROM outbox WHERE consultation_id = ?1), "
                            "(SELECT COUNT(*) FROM photos WHERE consultation_id = ?1)");
    parts.bind(1, id);
    ASSERT_TRUE(parts.step());
    EXPECT_EQ(parts.columnInt(0), 1) << "run " << run << ": consent missing";
    EXPECT_EQ(parts.columnInt(1), 1) << "run " << run << ": outbox entry missing";
    EXPECT_EQ(parts.columnInt(2), 1) << "run " << run << ": photo row missing";
  }
  sqlite::Statement orphans(
      store::KioskStoreTestPeer::connection(store),
      "SELECT COUNT(*) FROM outbox o LEFT JOIN consultations c ON c.id = o.consultation_id "
      "WHERE c.id IS NULL AND o.kind = 'record'");
  orphans.step();
  EXPECT_EQ(orphans.columnInt(0), 0) << "run " << run << ": outbox entry without its record";
}

TEST(StoreCrash, KilledMidSaveLeavesEveryRecordCompleteOrAbsent) {
  test::TempDir dir;
  const auto path = dir / "kiosk.sqlite";
  std::mt19937 rng(20261121);
  std::uniform_int_distribution<int> savesFirst(1, 3);
  std::uniform_int_distribution<int> killAfterUs(0, 20'000);
  int recordsSeen = 0;
  for (int run = 0; run < SMP_CRASH_RUNS; ++run) {
    int pipeFds[2];
    ASSERT_EQ(::pipe(pipeFds), 0);
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      ::close(pipeFds[0]);
      saveForever(path, pipeFds[1]);
    }
    ::close(pipeFds[1]);
    char ready = 0;
    ASSERT_EQ(::read(pipeFds[0], &ready, 1), 1) << "the child could not open the store";
    // Wait for a few committed saves (however slow the machine, e.g. under a sanitizer, the
    // test exercises real records), then kill at a random moment of the saves that follow.
    // That moment is the point of the test, not a synchronisation.
    for (int k = savesFirst(rng); k > 0; --k) {
      char saved = 0;
      ASSERT_EQ(::read(pipeFds[0], &saved, 1), 1) << "the child stopped saving";
    }
    std::this_thread::sleep_for(std::chrono::microseconds(killAfterUs(rng)));
    ::kill(child, SIGKILL);
    ::close(pipeFds[0]);
    int status = 0;
    ::waitpid(child, &status, 0);
    ASSERT_TRUE(WIFSIGNALED(status)) << "the child ended on its own: " << status;
    checkAllOrNothing(path, run);
    if (HasFailure()) return;
    recordsSeen = static_cast<int>(KioskStore(path).consultationIds().size());
  }
  EXPECT_GT(recordsSeen, SMP_CRASH_RUNS / 2) << "the child saved too little to test anything";
}

}  // namespace
}  // namespace smp::store
