// Staff rows and PIN lockout ladders as the store keeps them; the rules on top are tested in
// tests/core/staff_test.cpp.
#include "app/store/staff_store.h"

#include <gtest/gtest.h>

#include "app/store/kiosk_store.h"
#include "tests/support/temp_dir.h"

namespace smp::store {
namespace {

class StaffStoreTest : public ::testing::Test {
 protected:
  test::TempDir dir;
  KioskStore store{dir / "k.sqlite"};
  StaffStore& staff = store.staff();
};

TEST_F(StaffStoreTest, ListsActiveMembersByNameWithoutTheirPinHashes) {
  staff.add({"s-2", "Zoe", false, "$argon2id$zoe"}, "2026-12-01T09:00:00Z");
  staff.add({"s-1", "Ana", true, "$argon2id$ana"}, "2026-12-01T09:00:00Z");
  const std::vector<StaffRow> rows = staff.active();
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].name, "Ana");
  EXPECT_TRUE(rows[0].admin);
  EXPECT_EQ(rows[1].name, "Zoe");
  EXPECT_FALSE(rows[1].admin);
  for (const StaffRow& r : rows) EXPECT_TRUE(r.pinHash.empty()) << r.name;
  const auto ana = staff.activeMember("s-1");
  ASSERT_TRUE(ana.has_value());
  EXPECT_EQ(ana->pinHash, "$argon2id$ana");
}

TEST_F(StaffStoreTest, ARemovedMemberIsNeitherListedNorFound) {
  staff.add({"s-1", "Ana", true, "h"}, "2026-12-01T09:00:00Z");
  staff.markRemoved("s-1", "2026-12-02T09:00:00Z");
  EXPECT_TRUE(staff.active().empty());
  EXPECT_FALSE(staff.activeMember("s-1").has_value());
  EXPECT_FALSE(staff.activeMember("nobody").has_value());
}

TEST_F(StaffStoreTest, TheLockoutLadderCountsPerAccountAndStartsAgainOnSuccess) {
  EXPECT_EQ(staff.pinGuard("s-1").failures, 0);
  staff.setPinFailures("s-1", 3);
  staff.setPinFailures("s-2", 1);
  EXPECT_EQ(staff.pinGuard("s-1").failures, 3);
  EXPECT_EQ(staff.pinGuard("s-2").failures, 1);

  staff.lockPin("s-1", 1'000);
  PinGuard g = staff.pinGuard("s-1");
  EXPECT_EQ(g.failures, 0) << "a lockout starts the count again";
  EXPECT_EQ(g.lockouts, 1);
  EXPECT_EQ(g.lockedUntil, 1'000);
  staff.lockPin("s-1", 2'000);
  g = staff.pinGuard("s-1");
  EXPECT_EQ(g.lockouts, 2) << "each lockout is counted, so the next one lasts longer";
  EXPECT_EQ(g.lockedUntil, 2'000);

  staff.clearPinGuard("s-1");
  g = staff.pinGuard("s-1");
  EXPECT_EQ(g.lockouts, 0);
  EXPECT_EQ(g.lockedUntil, 0);
  EXPECT_EQ(staff.pinGuard("s-2").failures, 1) << "another account's ladder is untouched";
}

TEST_F(StaffStoreTest, AStoreTransactionRollsBackUnlessCommitted) {
  {
    StoreTransaction tx(store);
    staff.add({"s-1", "Ana", true, "h"}, "2026-12-01T09:00:00Z");
    store.audit("operator", "staff.add", "s-1");
  }
  EXPECT_TRUE(staff.active().empty());
  EXPECT_EQ(store.auditCount("staff.add", "2000-01-01T00:00:00Z"), 0);
  {
    StoreTransaction tx(store);
    staff.add({"s-1", "Ana", true, "h"}, "2026-12-01T09:00:00Z");
    store.audit("operator", "staff.add", "s-1");
    tx.commit();
  }
  EXPECT_EQ(staff.active().size(), 1u);
  EXPECT_EQ(store.auditCount("staff.add", "2000-01-01T00:00:00Z"), 1);
}

}  // namespace
}  // namespace smp::store
