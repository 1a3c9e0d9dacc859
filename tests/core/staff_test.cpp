// Staff mode: PIN rules and Argon2id hashing, lockout with a growing delay that survives a
// restart, audit entries, auto-logout, double-confirmed erasure that reaches head office.
#include <gtest/gtest.h>

#include <algorithm>

#include "app/core/consultation_service.h"
#include "app/core/kiosk_commands.h"
#include "app/core/sample_portrait.h"
#include "app/core/staff_mode.h"
#include "app/core/store_outbox.h"
#include "sync/client/sync_client.h"
#include "sync/protocol/sha256.h"
#include "tests/core/staff_fixture.h"
#include "tests/support/kiosk_store_test_peer.h"
#include "tests/support/test_server.h"

namespace smp::core {
namespace {

using namespace std::chrono_literals;

TEST_F(StaffTest, PinsAreFourToEightDigitsAndStoredOnlyAsArgon2id) {
  EXPECT_THROW(StaffAccounts::validatePin("123"), StaffError);
  EXPECT_THROW(StaffAccounts::validatePin("123456789"), StaffError);
  EXPECT_THROW(StaffAccounts::validatePin("12a4"), StaffError);
  EXPECT_THROW(StaffAccounts::validatePin("7777"), StaffError);
  EXPECT_NO_THROW(StaffAccounts::validatePin("4821"));
  sqlite::Statement st(store::KioskStoreTestPeer::connection(*store), "SELECT pin_hash FROM staff");
  while (st.step()) {
    const std::string hash = st.columnText(0);
    EXPECT_EQ(hash.rfind("$argon2id$", 0), 0u) << hash;
    EXPECT_EQ(hash.find("4821"), std::string::npos);
  }
  EXPECT_EQ(accounts->checkPin(admin.id, "4821", t0).result, PinCheck::kAccepted);
  EXPECT_EQ(accounts->checkPin(staffer.id, "4821", t0).result, PinCheck::kWrong)
      << "PINs are per person";
}

TEST_F(StaffTest, FiveWrongPinsLockWithAGrowingDelayThatSurvivesARestart) {
  for (int i = 1; i <= 4; ++i) {
    const auto r = accounts->checkPin(admin.id, "0000", t0);
    EXPECT_EQ(r.result, PinCheck::kWrong);
    EXPECT_EQ(r.triesLeft, 5 - i);
  }
  auto r = accounts->checkPin(admin.id, "0000", t0);
  EXPECT_EQ(r.result, PinCheck::kLocked);
  EXPECT_EQ(r.secondsLocked, 30);
  EXPECT_EQ(accounts->checkPin(admin.id, "4821", t0 + 10s).result, PinCheck::kLocked)
      << "even the right PIN waits";
  {
    // Switching the kiosk off and on does not reset the lock.
    store = std::make_unique<store::KioskStore>(databasePath(data.path()));
    accounts = std::make_unique<StaffAccounts>(*store);
    EXPECT_EQ(accounts->secondsLocked(admin.id, t0 + 10s), 20);
  }
  for (int i = 0; i < 5; ++i) r = accounts->checkPin(admin.id, "0000", t0 + 31s);
  EXPECT_EQ(r.result, PinCheck::kLocked);
  EXPECT_EQ(r.secondsLocked, 60) << "the second lockout is twice as long";
  EXPECT_EQ(accounts->checkPin(admin.id, "4821", t0 + 92s).result, PinCheck::kAccepted);
}

TEST_F(StaffTest, AnotherMembersSignInDoesNotResetTheLadder) {
  // Issue 10: any sign-in reset the count, so a member who knew their own PIN could guess
  // another's four at a time, signing in between, for ever.
  for (int i = 0; i < 4; ++i)
    ASSERT_EQ(accounts->checkPin(staffer.id, "0000", t0).result, PinCheck::kWrong);
  ASSERT_EQ(accounts->checkPin(admin.id, "4821", t0).result, PinCheck::kAccepted);
  auto r = accounts->checkPin(staffer.id, "0000", t0);
  EXPECT_EQ(r.result, PinCheck::kLocked) << "the fifth wrong PIN still locks";
  EXPECT_EQ(r.secondsLocked, 30);
  EXPECT_EQ(accounts->secondsLocked(admin.id, t0), 0) << "the lock is the staffer's alone";
  EXPECT_EQ(accounts->checkPin(admin.id, "4821", t0 + 1s).result, PinCheck::kAccepted);
  for (int i = 0; i < 5; ++i) r = accounts->checkPin(staffer.id, "0000", t0 + 31s);
  EXPECT_EQ(r.secondsLocked, 60) << "the ladder kept climbing across the admin's sign-ins";
}

TEST_F(StaffTest, FailedPinsAndLockoutsReachHeadOfficeInTheHeartbeat) {
  for (int i = 0; i < 5; ++i)
    accounts->checkPin(staffer.id, "0000", std::chrono::system_clock::now());
  accounts->checkPin(admin.id, "0000", std::chrono::system_clock::now());
  test::TestServer server;
  const auto k = server.storage().addKiosk("Leeds");
  enroll(*store, server.url(), k.token);
  StoreOutbox outbox(databasePath(data.path()));
  const auto beat = outbox.heartbeat();
  EXPECT_EQ(beat.failedPins24h, 6);
  EXPECT_EQ(beat.pinLockouts24h, 1);
  sync::SyncClient client(endpointFor(*store, ""));
  ASSERT_TRUE(client.sendHeartbeat(outbox));
  const auto kiosks = server.storage().kiosks();
  ASSERT_EQ(kiosks.size(), 1u);
  EXPECT_EQ(kiosks[0].lastHeartbeat["failed_pins_24h"], 6);
  EXPECT_EQ(kiosks[0].lastHeartbeat["pin_lockouts_24h"], 1);
}

TEST_F(StaffTest, TheLastAdminCannotBeRemovedAndTheFirstMustBeAdmin) {
  EXPECT_THROW(accounts->remove(admin.id, "x"), StaffError);
  accounts->remove(staffer.id, admin.id);
  EXPECT_EQ(accounts->members().size(), 1u);
  test::TempDir other;
  store::KioskStore fresh(other / "k.sqlite");
  StaffAccounts none(fresh);
  EXPECT_THROW(none.add("Zed", "2468", false, "operator"), StaffError);
}

TEST_F(StaffTest, EntryNeedsAThreeSecondHoldThenNameAndPin) {
  StaffMode mode(*store, [this] { ++syncRequests; });
  mode.cornerHeld(2900ms, t0);
  EXPECT_FALSE(mode.active());
  mode.cornerHeld(3s, t0);
  ASSERT_EQ(mode.screen(), StaffScreen::kPin);
  for (char c : std::string("1357")) mode.pinDigit(c);
  EXPECT_FALSE(mode.submitPin(t0));
  EXPECT_EQ(mode.notice().key, "staff.choose_name");
  mode.chooseStaff(staffer.id);
  for (char c : std::string("1357")) mode.pinDigit(c);
  ASSERT_TRUE(mode.submitPin(t0));
  EXPECT_EQ(mode.screen(), StaffScreen::kRecords);
  EXPECT_TRUE(mode.pinEntered().empty()) << "the PIN is not kept";
}

TEST_F(StaffTest, AdminsAddAndRemoveStaffOthersCannot) {
  StaffMode mode(*store, [this] { ++syncRequests; });
  ASSERT_TRUE(signIn(mode, staffer, "1357"));
  mode.show(StaffScreen::kTeam);
  EXPECT_EQ(mode.screen(), StaffScreen::kRecords) << "only admins manage the team";
  mode.newStaff() = {"Cleo", "2468", "2468", false};
  EXPECT_FALSE(mode.addStaff());
  mode.logout();

  ASSERT_TRUE(signIn(mode, admin, "4821"));
  mode.show(StaffScreen::kTeam);
  ASSERT_EQ(mode.screen(), StaffScreen::kTeam);
  mode.newStaff() = {"Cleo", "2468", "2469", false};
  EXPECT_FALSE(mode.addStaff());
  EXPECT_EQ(mode.notice().key, "staff.team_pin_mismatch");
  EXPECT_TRUE(mode.newStaff().pin.empty()) << "a refused PIN is cleared";
  mode.newStaff() = {"Cleo", "2222", "2222", false};
  EXPECT_FALSE(mode.addStaff());
  EXPECT_EQ(mode.notice().key, "staff.team_pin_invalid");
  mode.newStaff() = {"", "2468", "2468", false};
  EXPECT_FALSE(mode.addStaff());
  EXPECT_EQ(mode.notice().key, "staff.team_name_invalid");
  EXPECT_EQ(accounts->members().size(), 2u) << "nothing added by a refused form";

  mode.newStaff() = {"Cleo", "2468", "2468", false};
  ASSERT_TRUE(mode.addStaff());
  EXPECT_TRUE(mode.newStaff().pin.empty() && mode.newStaff().name.empty());
  const auto members = accounts->members();
  const auto cleo = std::find_if(members.begin(), members.end(),
                                 [](const StaffMember& m) { return m.name == "Cleo"; });
  ASSERT_NE(cleo, members.end());
  EXPECT_FALSE(cleo->admin);
  EXPECT_EQ(auditActions().back(), admin.id + " staff.add");

  mode.armRemove(admin.id);
  EXPECT_EQ(mode.notice().key, "staff.team_not_yourself");
  EXPECT_FALSE(mode.confirmRemove());
  mode.armRemove(cleo->id);
  EXPECT_EQ(mode.removeArmed(), cleo->id);
  ASSERT_TRUE(mode.confirmRemove());
  EXPECT_EQ(accounts->members().size(), 2u);
  EXPECT_EQ(auditActions().back(), admin.id + " staff.remove");
  mode.logout();
  EXPECT_FALSE(signIn(mode, *cleo, "2468")) << "a removed member cannot sign in";
}

TEST_F(StaffTest, LoggedOutAfterTwoMinutesIdle) {
  StaffMode mode(*store, [] {});
  ASSERT_TRUE(signIn(mode, admin, "4821"));
  mode.tick(t0 + 119s);
  EXPECT_TRUE(mode.active());
  mode.touched(t0 + 100s);
  mode.tick(t0 + 219s);
  EXPECT_TRUE(mode.active());
  mode.tick(t0 + 221s);
  EXPECT_FALSE(mode.active());
  EXPECT_FALSE(mode.staff().has_value());
  EXPECT_EQ(auditActions().back(), admin.id + " staff.logout_idle");
}

TEST_F(StaffTest, RecordsSearchFiltersAndEveryActionIsAudited) {
  const auto a = save("Alice Brown", true);
  const auto b = save("Bob Green");
  StaffMode mode(*store, [this] { ++syncRequests; });
  ASSERT_TRUE(signIn(mode, admin, "4821"));
  EXPECT_EQ(mode.records().size(), 2u);
  EXPECT_EQ(mode.records()[0].id, b.id) << "newest first";
  mode.query().text = "Alice";
  ASSERT_EQ(mode.records().size(), 1u);
  mode.query().text = "900109";  // part of Bob Green's phone number
  ASSERT_EQ(mode.records().size(), 1u);
  EXPECT_EQ(mode.records()[0].id, b.id);
  mode.query() = {};
  mode.query().flaggedOnly = true;
  ASSERT_EQ(mode.records().size(), 1u);
  EXPECT_EQ(mode.records()[0].id, a.id);
  mode.query() = {};
  mode.openRecord(a.id);
  EXPECT_EQ(mode.screen(), StaffScreen::kDetail);
  mode.setStatus("booked", "Tuesday 10:00");
  const auto revised = store->loadRecord(a.id);
  EXPECT_EQ(revised->intake["staff_status"]["status"], "booked");
  EXPECT_EQ(revised->intake["staff_status"]["by"], admin.id);
  EXPECT_GE(syncRequests, 1);
  const auto actions = auditActions();
  for (const std::string& expected :
       {admin.id + " staff.login", admin.id + " record.view", admin.id + " record.booked"}) {
    EXPECT_NE(std::find(actions.begin(), actions.end(), expected), actions.end()) << expected;
  }
}

TEST_F(StaffTest, TheRecordScreenShowsHeadOfficesFollowUpAndTheStoreKeepsOnlyWhatItHolds) {
  const auto a = save("Alice Brown");
  store->keepFollowUps(
      {{4, a.id, "contacted", "No answer, try Friday", "lee", "2026-12-01T09:30:00Z"},
       {7, "not-held-here", "booked", "x", "lee", "2026-12-01T09:31:00Z"},
       {9, a.id, "booked", "", "ada", "2026-12-02T16:05:00Z"}},
      9);
  EXPECT_EQ(store->followUpCursor(), 9);
  store->keepFollowUps({{9, a.id, "treated", "again", "ada", "2026-12-02T16:06:00Z"}}, 9);
  ASSERT_EQ(store->followUps(a.id).size(), 2u) << "a change is kept once, by its number";
  EXPECT_TRUE(store->followUps("not-held-here").empty());

  StaffMode mode(*store, [] {});
  ASSERT_TRUE(signIn(mode, admin, "4821"));
  mode.openRecord(a.id);
  const RecordDetailView* view = mode.openRecordView();
  ASSERT_NE(view, nullptr);
  ASSERT_EQ(view->headOffice.size(), 2u);
  EXPECT_EQ(view->headOffice[0].statusKey, "staff.follow_up_contacted");
  EXPECT_EQ(view->headOffice[0].note, "No answer, try Friday");
  EXPECT_EQ(view->headOffice[0].when, "2026-12-01 09:30");
  EXPECT_EQ(view->headOffice[1].statusKey, "staff.follow_up_booked");
  EXPECT_EQ(view->headOffice[1].author, "ada");
}

TEST_F(StaffTest, EditingAnswersMakesANewRevisionAfterSending) {
  const auto r = save("Fay Long");
  store->markSendAttempt(r.id, 1);  // it has left the kiosk once: read-only now
  StaffMode mode(*store, [this] { ++syncRequests; });
  ASSERT_TRUE(signIn(mode, admin, "4821"));
  mode.openRecord(r.id);
  mode.beginEdit();
  ASSERT_EQ(mode.screen(), StaffScreen::kEdit);
  EXPECT_EQ(mode.edits().clientName, "Fay Long");
  mode.edits().phone = "12";
  EXPECT_FALSE(mode.saveEdits());
  EXPECT_EQ(mode.notice().key, "error.phone_invalid");
  mode.edits().clientName = "Faye Long";
  mode.edits().phone = "+44 7700 900555";
  mode.edits().health["pregnancy"] = true;
  ASSERT_TRUE(mode.saveEdits());
  const auto after = store->loadRecord(r.id);
  EXPECT_EQ(after->revision, 2);
  EXPECT_EQ(after->clientName, "Faye Long");
  EXPECT_EQ(after->intake["health_flags"], nlohmann::json::array({"pregnancy"}));
  EXPECT_EQ(store->pendingOutbox().back().revision, 2);
  mode.query().text = "Faye";
  EXPECT_EQ(mode.records().size(), 1u) << "the list shows the corrected name";
}

TEST_F(StaffTest, RetakingThePhotoReplacesPhotoAndPreviewAndReachesHeadOffice) {
  test::TestServer server;
  enroll(*store, server.url(), server.storage().addKiosk("Leeds").token);
  ConsultationService service(*store, std::filesystem::path(SMP_SOURCE_DIR) / "assets", "kiosk-x");
  ConsultationDraft d;
  d.clientName = "Gil Ray";
  d.concern = "scar";
  d.consentGiven = true;
  d.frontPhoto = samplePortrait(320, 240, 2, 1);
  d.guide = defaultGuide(320, 240);
  const auto saved = service.save(d);
  ASSERT_EQ(syncOnce(data.path(), endpointFor(*store, "")).outcome,
            sync::PassOutcome::kAllAcknowledged);
  StaffMode mode(
      *store, [&] { syncOnce(data.path(), endpointFor(*store, "")); }, &service);
  ASSERT_TRUE(signIn(mode, admin, "4821"));
  mode.openRecord(saved.id);
  ASSERT_TRUE(mode.retakeFrontPhoto(samplePortrait(320, 240, 5, 9)));
  EXPECT_TRUE(mode.rendering()) << "the render runs off the UI thread";
  EXPECT_EQ(store->loadRecord(saved.id)->revision, 1) << "nothing is saved before it is rendered";
  ASSERT_TRUE(mode.finishWork(60s));
  EXPECT_FALSE(mode.rendering());
  EXPECT_EQ(mode.notice().key, "staff.rerendered");
  const auto after = store->loadRecord(saved.id);
  EXPECT_EQ(after->revision, 2);
  EXPECT_NE(after->photos[0].sha256, saved.photos[0].sha256);
  EXPECT_NE(after->previews[0].sha256, saved.previews[0].sha256);
  EXPECT_FALSE(store->loadBlob(saved.photos[0].sha256).has_value()) << "the old photo is not kept";
  EXPECT_TRUE(store->loadBlob(after->photos[0].sha256).has_value());
  EXPECT_TRUE(after->previewParams.contains("guide"));
  std::string atServer;
  server.storage().forEachConsultation(
      [&](const server::StoredConsultation& c) { atServer = c.record["photos"][0]["sha256"]; });
  EXPECT_EQ(atServer, after->photos[0].sha256) << "head office has the retaken photo";
  // Re-running renders from the stored (JPEG) photo: deterministic for the same stored inputs.
  ASSERT_TRUE(mode.rerunPreview());
  EXPECT_FALSE(mode.rerunPreview()) << "one render at a time";
  ASSERT_TRUE(mode.finishWork(60s));
  const std::string firstRerun = store->loadRecord(saved.id)->previews[0].sha256;
  ASSERT_TRUE(mode.rerunPreview());
  ASSERT_TRUE(mode.finishWork(60s));
  EXPECT_EQ(store->loadRecord(saved.id)->previews[0].sha256, firstRerun);
}

TEST_F(StaffTest, ErasureNeedsTwoConfirmationsAndReachesHeadOffice) {
  test::TestServer server;
  const auto kiosk = server.storage().addKiosk("Leeds");
  enroll(*store, server.url(), kiosk.token);
  const auto r = save("Carol White");
  ASSERT_EQ(syncOnce(data.path(), endpointFor(*store, "")).outcome,
            sync::PassOutcome::kAllAcknowledged);
  StaffMode mode(*store, [&] { syncOnce(data.path(), endpointFor(*store, "")); });
  ASSERT_TRUE(signIn(mode, admin, "4821"));
  mode.openRecord(r.id);
  EXPECT_FALSE(mode.confirmErase()) << "one tap is not enough";
  EXPECT_TRUE(store->loadRecord(r.id).has_value());
  mode.armErase();
  EXPECT_TRUE(mode.confirmErase());
  EXPECT_FALSE(store->loadRecord(r.id).has_value());
  EXPECT_TRUE(server.storage().isErased(r.id)) << "the tombstone reached head office";
  int rows = 0;
  server.storage().forEachConsultation([&](const server::StoredConsultation&) { ++rows; });
  EXPECT_EQ(rows, 0);
  const auto actions = auditActions();
  EXPECT_NE(std::find(actions.begin(), actions.end(), admin.id + " consultation.erase"),
            actions.end());
}

TEST_F(StaffTest, SyncHealthSaysWhatIsWrongInPlainWords) {
  save("Dan");
  store->setLastSync(
      "unauthorized: this kiosk must be re-enrolled: unknown or revoked kiosk token");
  StaffMode mode(*store, [] {});
  const SyncHealth h = mode.syncHealth(t0);
  EXPECT_FALSE(h.online);
  EXPECT_TRUE(h.needsReenrolment);
  EXPECT_EQ(h.pending, 1);
  EXPECT_FALSE(h.oldestPendingWarning);
}

}  // namespace
}  // namespace smp::core
