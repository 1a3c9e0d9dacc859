// Staff settings: each change is validated, stored, audited and announced to the running
// kiosk; head-office checks (re-enrolment, a new address) run against a real server on
// 127.0.0.1 on a worker thread.
#include <gtest/gtest.h>

#include <algorithm>

#include "app/core/kiosk_settings.h"
#include "tests/core/staff_fixture.h"
#include "tests/support/test_server.h"

namespace smp::core {
namespace {

TEST_F(StaffTest, TheDefaultLanguageIsStoredAuditedAndReachesTheFlow) {
  StaffMode mode(*store, [this] { ++syncRequests; });
  std::string applied;
  mode.onSettingChanged([&](const std::string& key) {
    if (key == kSettingDefaultLanguage) applied = mode.defaultLanguage();
  });
  EXPECT_EQ(mode.defaultLanguage(), "en");
  EXPECT_FALSE(mode.setDefaultLanguage("es")) << "only signed-in staff change settings";
  ASSERT_TRUE(signIn(mode, staffer, "1357"));
  EXPECT_FALSE(mode.setDefaultLanguage("de"));
  EXPECT_TRUE(applied.empty());
  ASSERT_TRUE(mode.setDefaultLanguage("fr"));
  EXPECT_EQ(applied, "fr");
  EXPECT_EQ(auditActions().back(), staffer.id + " setting.default_language");
  StaffMode afterRestart(*store, [] {});
  EXPECT_EQ(afterRestart.defaultLanguage(), "fr");
}

TEST_F(StaffTest, AdminsNameTheClinicShownToClients) {
  StaffMode mode(*store, [] {});
  std::vector<std::string> announced;
  mode.onSettingChanged([&](const std::string& key) { announced.push_back(key); });
  store->setSetting(kSettingClinic, "Head Office Leeds");  // from enrolment
  EXPECT_EQ(mode.clinicName(), "Head Office Leeds");
  ASSERT_TRUE(signIn(mode, staffer, "1357"));
  EXPECT_FALSE(mode.setClinicName("Ben's clinic")) << "only admins";
  mode.logout();
  ASSERT_TRUE(signIn(mode, admin, "4821"));
  EXPECT_FALSE(mode.setClinicName(std::string(61, 'x')));
  EXPECT_EQ(mode.notice().key, "staff.clinic_name_invalid");
  ASSERT_TRUE(mode.setClinicName("  Leeds SMP Studio  "));
  EXPECT_EQ(mode.clinicName(), "Leeds SMP Studio");
  EXPECT_EQ(clinicName(*store), "Leeds SMP Studio") << "what the welcome screen reads";
  EXPECT_EQ(announced, std::vector<std::string>{kSettingClinicName});
  EXPECT_EQ(auditActions().back(), admin.id + " setting.clinic_name");
  ASSERT_TRUE(mode.setClinicName(""));
  EXPECT_EQ(mode.clinicName(), "Head Office Leeds") << "empty goes back to head office's name";
}

TEST_F(StaffTest, IdleTimeoutsAreTheClinicsOwnWithinLimitsElseHeadOfficesConfig) {
  store->setSetting(kSettingConfig,
                    R"({"idle_timeouts":{"warning_seconds":45,"reset_seconds":25}})");
  StaffMode mode(*store, [] {});
  int announced = 0;
  mode.onSettingChanged([&](const std::string& key) { announced += key == kSettingIdleWarn; });
  EXPECT_EQ(mode.idleTimeouts().warnAfter, 45s);
  EXPECT_EQ(mode.idleTimeouts().resetAfter, 25s);
  EXPECT_FALSE(mode.idleTimeoutsAreLocal());
  ASSERT_TRUE(signIn(mode, staffer, "1357"));
  EXPECT_FALSE(mode.setIdleTimeouts(90, 30)) << "only admins";
  mode.logout();
  ASSERT_TRUE(signIn(mode, admin, "4821"));
  for (const auto& [warn, reset] :
       std::vector<std::pair<int, int>>{{29, 30}, {601, 30}, {90, 19}, {90, 121}}) {
    EXPECT_FALSE(mode.setIdleTimeouts(warn, reset)) << warn << "/" << reset;
    EXPECT_EQ(mode.notice().key, "staff.idle_invalid");
  }
  EXPECT_EQ(announced, 0);
  ASSERT_TRUE(mode.setIdleTimeouts(90, 30));
  EXPECT_EQ(announced, 1);
  EXPECT_TRUE(mode.idleTimeoutsAreLocal());
  EXPECT_EQ(idleTimeouts(*store).warnAfter, 90s) << "what the kiosk applies, also after a restart";
  EXPECT_EQ(idleTimeouts(*store).resetAfter, 30s);
  EXPECT_EQ(auditActions().back(), admin.id + " setting.idle_timeouts");
  ASSERT_TRUE(mode.useHeadOfficeIdleTimeouts());
  EXPECT_FALSE(mode.idleTimeoutsAreLocal());
  EXPECT_EQ(idleTimeouts(*store).warnAfter, 45s);
  EXPECT_EQ(announced, 2);
}

// The settings screen draws one view, read once and again only when the store changes: a new
// config pulled by the sync worker (its own connection) shows at once.
TEST_F(StaffTest, TheSettingsViewFollowsHeadOfficesConfigAndLocalChanges) {
  StaffMode mode(*store, [] {});
  ASSERT_TRUE(signIn(mode, admin, "4821"));
  EXPECT_EQ(mode.settingsView().defaultLanguage, "en");
  EXPECT_FALSE(mode.settingsView().idleTimeoutsAreLocal);
  {
    store::KioskStore worker(databasePath(data.path()));
    worker.setSetting(kSettingConfig,
                      R"({"idle_timeouts":{"warning_seconds":45,"reset_seconds":25}})");
  }
  const SettingsView& v = mode.settingsView();
  EXPECT_EQ(v.idleWarnSeconds, 45);
  EXPECT_EQ(v.idleResetSeconds, 25);
  const auto row = std::find_if(v.headOffice.begin(), v.headOffice.end(),
                                [](const auto& kv) { return kv.first == "settings.idle"; });
  ASSERT_NE(row, v.headOffice.end()) << "head office's values are listed for staff";
  ASSERT_TRUE(mode.setIdleTimeouts(90, 30));
  EXPECT_TRUE(mode.settingsView().idleTimeoutsAreLocal);
  EXPECT_EQ(mode.settingsView().idleWarnSeconds, 90);
  ASSERT_TRUE(mode.setDefaultLanguage("fr"));
  EXPECT_EQ(mode.settingsView().defaultLanguage, "fr");
}

TEST_F(StaffTest, TheUiScaleAndTheCameraAreStoredForTheNextStart) {
  StaffMode mode(*store, [] {});
  std::vector<std::string> announced;
  mode.onSettingChanged([&](const std::string& key) { announced.push_back(key); });
  EXPECT_EQ(mode.uiScalePercent(), 0) << "fit the screen until someone chooses";
  EXPECT_EQ(mode.cameraSpec(), "v4l2");
  EXPECT_FALSE(mode.setUiScale(125)) << "only signed-in staff";
  ASSERT_TRUE(signIn(mode, staffer, "1357"));
  EXPECT_FALSE(mode.setUiScale(110)) << "not one of the offered scales";
  ASSERT_TRUE(mode.setUiScale(125));
  ASSERT_TRUE(mode.cameraChosen("v4l2:/dev/video2"));
  EXPECT_EQ(announced, (std::vector<std::string>{kSettingUiScale, kSettingCamera}));
  EXPECT_EQ(uiScalePercent(*store), 125);
  EXPECT_EQ(cameraSpec(*store), "v4l2:/dev/video2");
  EXPECT_EQ(auditActions().back(), staffer.id + " setting.camera");
  store->setSetting(kSettingUiScale, "abc");  // a damaged value reads as "fit"
  EXPECT_EQ(uiScalePercent(*store), 0);
}

TEST_F(StaffTest, AnAdminMovesTheKioskToHeadOfficesNewAddressAfterItAcceptsTheToken) {
  test::TestServer server;
  const auto kiosk = server.storage().addKiosk("Leeds");
  enroll(*store, server.url(), kiosk.token);
  // Head office moved; the kiosk still has the old address and keeps records meanwhile.
  store->setSetting(kSettingServerUrl, "http://127.0.0.1:1");
  const auto r = save("Fay");
  StaffMode mode(*store, [&] { syncOnce(data.path(), endpointFor(*store, "")); });
  int announced = 0;
  mode.onSettingChanged([&](const std::string& key) { announced += key == kSettingServerUrl; });
  ASSERT_TRUE(signIn(mode, staffer, "1357"));
  EXPECT_FALSE(mode.changeServer(server.url())) << "only admins";
  mode.logout();
  ASSERT_TRUE(signIn(mode, admin, "4821"));

  EXPECT_FALSE(mode.changeServer("ftp://head-office"));
  EXPECT_EQ(mode.notice().key, "staff.server_invalid");
  EXPECT_NE(mode.notice().detail.find("http://HOST:PORT"), std::string::npos);

  test::TestServer stranger;  // another head office: it does not know this kiosk's token
  ASSERT_TRUE(mode.changeServer(stranger.url()));
  ASSERT_TRUE(mode.finishWork(20s));
  EXPECT_EQ(mode.notice().key, "staff.server_unreachable");
  EXPECT_NE(mode.notice().detail.find("re-enrol"), std::string::npos) << mode.notice().detail;
  EXPECT_EQ(store->setting(kSettingServerUrl), "http://127.0.0.1:1");
  EXPECT_EQ(announced, 0);

  ASSERT_TRUE(mode.changeServer(server.url()));
  ASSERT_TRUE(mode.finishWork(20s));
  EXPECT_EQ(mode.notice().key, "staff.server_changed") << mode.notice().detail;
  EXPECT_EQ(store->setting(kSettingServerUrl), server.url());
  EXPECT_EQ(announced, 1);
  EXPECT_EQ(store->status().pending, 0) << "the waiting record went to the new address";
  bool atHeadOffice = false;
  server.storage().forEachConsultation(
      [&](const server::StoredConsultation& c) { atHeadOffice = atHeadOffice || c.id == r.id; });
  EXPECT_TRUE(atHeadOffice);
  const auto actions = auditActions();
  EXPECT_NE(std::find(actions.begin(), actions.end(), admin.id + " kiosk.server_url"),
            actions.end());
}

TEST_F(StaffTest, AnAdminReenrolsWithARotatedTokenAndNothingIsLost) {
  test::TestServer server;
  const auto kiosk = server.storage().addKiosk("Leeds");
  enroll(*store, server.url(), kiosk.token);
  ASSERT_TRUE(server.storage().revokeKiosk(kiosk.kioskId));
  const auto r = save("Erin");
  EXPECT_EQ(syncOnce(data.path(), endpointFor(*store, "")).outcome,
            sync::PassOutcome::kUnauthorized);
  int reenrolled = 0;
  StaffMode mode(*store, [&] { syncOnce(data.path(), endpointFor(*store, "")); });
  mode.onSettingChanged([&](const std::string& key) { reenrolled += key == kSettingToken; });
  ASSERT_TRUE(mode.syncHealth(t0).needsReenrolment);
  const std::string rotated = *server.storage().rotateKioskToken(kiosk.kioskId);
  ASSERT_TRUE(signIn(mode, staffer, "1357"));
  EXPECT_FALSE(mode.reenrol(rotated)) << "only admins re-enrol";
  mode.logout();

  ASSERT_TRUE(signIn(mode, admin, "4821"));
  ASSERT_TRUE(mode.reenrol("smpk_0000000000000000000000000000000000000000"));
  EXPECT_EQ(mode.notice().key, "staff.checking") << "head office answers on a worker thread";
  ASSERT_TRUE(mode.finishWork(20s));
  EXPECT_EQ(mode.notice().key, "staff.reenrol_failed");
  EXPECT_NE(mode.notice().detail.find("refused"), std::string::npos) << mode.notice().detail;
  const auto other = server.storage().addKiosk("York");
  ASSERT_TRUE(mode.reenrol(other.token));
  ASSERT_TRUE(mode.finishWork(20s));
  EXPECT_EQ(mode.notice().key, "staff.reenrol_other_kiosk");
  EXPECT_EQ(store->setting(kSettingToken), kiosk.token) << "a refused token changes nothing";
  EXPECT_EQ(reenrolled, 0);

  ASSERT_TRUE(mode.reenrol(rotated));
  ASSERT_TRUE(mode.finishWork(20s));
  EXPECT_EQ(mode.notice().key, "staff.reenrolled") << mode.notice().detail;
  EXPECT_EQ(reenrolled, 1);
  EXPECT_EQ(store->setting(kSettingToken), rotated);
  EXPECT_EQ(store->setting(kSettingKioskId), kiosk.kioskId);
  EXPECT_EQ(store->status().pending, 0) << "the record waiting since the revocation was sent";
  bool atHeadOffice = false;
  server.storage().forEachConsultation(
      [&](const server::StoredConsultation& c) { atHeadOffice = atHeadOffice || c.id == r.id; });
  EXPECT_TRUE(atHeadOffice);
  EXPECT_EQ(auditActions().back(), admin.id + " kiosk.reenrol");
}

}  // namespace
}  // namespace smp::core
