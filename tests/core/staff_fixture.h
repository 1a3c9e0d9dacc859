// The staff-mode test fixture: a kiosk store with an admin (Ana, 4821) and a staff member
// (Ben, 1357), records to save, the way in, and the audit log to read.
#pragma once

#include <gtest/gtest.h>

#include "app/core/kiosk_commands.h"
#include "app/core/staff_mode.h"
#include "sync/protocol/sha256.h"
#include "tests/support/kiosk_store_test_peer.h"
#include "tests/support/sample_records.h"
#include "tests/support/temp_dir.h"

namespace smp::core {

using namespace std::chrono_literals;

class StaffTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ensureDataDir(data.path());
    store = std::make_unique<store::KioskStore>(databasePath(data.path()));
    accounts = std::make_unique<StaffAccounts>(*store);
    admin = accounts->add("Ana", "4821", true, "operator");
    staffer = accounts->add("Ben", "1357", false, admin.id);
  }

  protocol::ConsultationRecord save(const std::string& name, bool flagged = false) {
    store::ConsultationToSave c = test::consultationToSave(name, "photo of " + name);
    c.record.intake = {
        {"phone", "+44 7700 900" + std::to_string(100 + name.size())},
        {"health_flags", flagged ? nlohmann::json::array({"keloid"}) : nlohmann::json::array()}};
    return store->save(c);
  }

  // The whole way in: the corner hold, a name, a PIN.
  bool signIn(StaffMode& mode, const StaffMember& who, const std::string& pin) {
    mode.cornerHeld(3s, t0);
    mode.chooseStaff(who.id);
    for (char c : pin) mode.pinDigit(c);
    return mode.submitPin(t0);
  }

  std::vector<std::string> auditActions() {
    sqlite::Statement st(store::KioskStoreTestPeer::connection(*store),
                         "SELECT actor || ' ' || action FROM audit_log ORDER BY id");
    std::vector<std::string> out;
    while (st.step()) out.push_back(st.columnText(0));
    return out;
  }

  StaffMode::Clock::time_point t0 = StaffMode::Clock::time_point{} + 500000h;
  test::TempDir data;
  std::unique_ptr<store::KioskStore> store;
  std::unique_ptr<StaffAccounts> accounts;
  StaffMember admin, staffer;
  int syncRequests = 0;
};

}  // namespace smp::core
