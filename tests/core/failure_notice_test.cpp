// Failures the store really raises become words a person can act on, each its own.
#include "app/core/failure_notice.h"

#include <gtest/gtest.h>

#include <fstream>

#include "tests/support/kiosk_store_test_peer.h"
#include "tests/support/sample_records.h"
#include "tests/support/temp_dir.h"

namespace smp::core {
namespace {

Notice noticeFor(const std::function<void()>& action) {
  try {
    action();
  } catch (const std::exception& e) {
    return failureNotice(e);
  }
  ADD_FAILURE() << "the action did not fail";
  return {};
}

TEST(FailureNotice, AFullDatabaseSaysTheDiskIsFull) {
  test::TempDir dir;
  store::KioskStore store(dir / "k.sqlite");
  store.save(test::consultationToSave("First", "photo one"));
  // The database may not grow by a page more: SQLite answers SQLITE_FULL as on a full disk.
  auto& db = store::KioskStoreTestPeer::connection(store);
  sqlite::Statement pages(db, "PRAGMA page_count");
  ASSERT_TRUE(pages.step());
  db.exec("PRAGMA max_page_count = " + std::to_string(pages.columnInt(0)));
  const Notice n =
      noticeFor([&] { store.save(test::consultationToSave("Second", std::string(200'000, 'x'))); });
  EXPECT_EQ(n.key, "error.disk_full");
  EXPECT_EQ(n.tone, Notice::Tone::kWarning);
  EXPECT_NE(n.detail.find("full"), std::string::npos) << n.detail;
}

TEST(FailureNotice, ADamagedFileSaysSo) {
  test::TempDir dir;
  std::ofstream(dir / "k.sqlite", std::ios::binary) << std::string(8192, 'Z');
  const Notice n = noticeFor([&] { store::KioskStore store(dir / "k.sqlite"); });
  EXPECT_EQ(n.key, "error.store_damaged");
}

TEST(FailureNotice, ALockedFileAsksToTryAgain) {
  test::TempDir dir;
  store::KioskStore store(dir / "k.sqlite");
  store::KioskStore other(dir / "k.sqlite");
  auto& otherDb = store::KioskStoreTestPeer::connection(other);
  otherDb.exec("PRAGMA busy_timeout = 0");
  store::StoreTransaction holding(store);
  store.setSetting("held", "yes");
  const Notice n = noticeFor([&] { other.setSetting("blocked", "yes"); });
  EXPECT_EQ(n.key, "error.store_busy");
}

TEST(FailureNotice, AnythingElseIsUnexpectedWithItsOwnWords) {
  const Notice n = noticeFor([] { throw std::logic_error("index 7 out of range"); });
  EXPECT_EQ(n.key, "error.unexpected");
  EXPECT_EQ(n.detail, "index 7 out of range");
}

}  // namespace
}  // namespace smp::core
