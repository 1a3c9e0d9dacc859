// Walks staff mode with injected finger events: the 3-second corner press, name and PIN,
// records with a filter, a record's detail, "booked" with a note, erasure confirmed twice,
// sync health and settings. Saves a screenshot of each screen.
#include <gtest/gtest.h>

#include <cstdlib>

#include "app/core/consultation_service.h"
#include "app/core/kiosk_commands.h"
#include "app/core/kiosk_settings.h"
#include "app/core/sample_portrait.h"
#include "app/imageio/image_io.h"
#include "app/ui/staff/staff_screens.h"
#include "tests/support/kiosk_store_test_peer.h"
#include "tests/support/temp_dir.h"
#include "tests/ui/walk_support.h"

namespace smp::ui {
namespace {

using namespace std::chrono_literals;

class StaffWalk : public ::testing::Test {
 protected:
  void SetUp() override {
    setenv("SDL_VIDEODRIVER", "dummy", 1);
    core::ensureDataDir(data.path());
    store = std::make_unique<store::KioskStore>(core::databasePath(data.path()));
    core::StaffAccounts accounts(*store);
    admin = accounts.add("Ana Ruiz", "4821", true, "operator").id;
    accounts.add("Ben Clark", "1357", false, admin);
    core::ConsultationService seedService(*store, assets, "kiosk-test");
    for (int i = 0; i < 3; ++i) {
      core::ConsultationDraft d;
      d.clientName = std::vector<std::string>{"Chris Hale", "Dana Moore",
                                              "Eli Park"}[static_cast<std::size_t>(i)];
      d.concern = i == 1 ? "alopecia" : "pattern-baldness";
      d.lossStage = "norwood-3";
      d.phone = "+44 7700 90012" + std::to_string(i);
      d.health["keloid"] = i == 1;
      d.consentGiven = true;
      d.signature = {{{0.1f, 0.6f}, {0.4f, 0.3f}, {0.8f, 0.6f}}};
      d.frontPhoto = core::samplePortrait(640, 480, 2 + i, static_cast<std::uint64_t>(i));
      // The crown seen from above, with the dark brown horseshoe of a Norwood III head.
      d.topPhoto = core::sampleTopOfHead(640, 480, 2 + i, static_cast<std::uint64_t>(i),
                                         core::MannequinHair{60, 42, 30, 3});
      d.guide = core::defaultGuide(640, 480);
      d.hairline = engine::HairlineStyle::kSoft;
      ids.push_back(seedService.save(d).id);
    }
    tr = std::make_unique<core::Translations>(core::Translations::load(assets));
    host = std::make_unique<SdlHost>(WindowOptions{1920, 1080, false, "test"}, assets);
    photoPath = std::filesystem::temp_directory_path() /
                ("smp-staff-face-" + std::to_string(::getpid()) + ".png");
    imageio::saveRgb(photoPath, core::samplePortrait(1280, 960, 5, 4));
    camera = std::make_unique<platform::CameraSlot>(
        platform::CameraSlot::open("file:" + photoPath.string()));
    ASSERT_TRUE(camera->waitForFirstFrame(10000)) << camera->error();
    service = std::make_unique<core::ConsultationService>(*store, assets, "kiosk-test");
    staff = std::make_unique<core::StaffMode>(
        *store, [this] { ++syncRequests; }, service.get());
    screens = std::make_unique<StaffScreens>(*host, *staff, *tr, *camera);
    std::filesystem::create_directories(shots);
  }

  void TearDown() override { std::filesystem::remove(photoPath); }

  void frame(engine::RgbImage* capture = nullptr) {
    now += 16ms;
    host->pumpEvents();
    host->beginFrame();
    if (!staff->active()) screens->watchCorner(now);
    screens->draw(now);
    host->endFrame(capture);
  }
  void push(Uint32 type, float x, float y) { test::pushFinger(*host, type, x, y); }
  void tap(const std::string& name) {
    frame();
    const auto r = screens->targets().find(name);
    ASSERT_TRUE(r.has_value()) << "no target '" << name << "'";
    test::tapAt(*host, r->centerX(), r->centerY(), [this] { frame(); });
  }
  void signInAsAdmin() {
    push(SDL_FINGERDOWN, 40, 40);
    frame();
    now += 3100ms;
    frame();
    ASSERT_TRUE(staff->active());
    push(SDL_FINGERUP, 40, 40);
    frame();
    tap("who:" + admin);
    for (char c : std::string("4821")) tap(std::string("pin:") + c);
    tap("pin:ok");
    ASSERT_EQ(staff->screen(), core::StaffScreen::kRecords);
  }
  void screenshot(const std::string& name) {
    frame();
    engine::RgbImage img;
    frame(&img);
    imageio::saveRgb(shots / (name + ".png"), img);
    test::expectTouchableTargets(screens->targets(), name);
    expectPicturesInTheClear(name);
  }
  // On the record detail screen every picture the record has is shown whole: inside the left
  // column, clear of each other and of every button, its caption (one line) included.
  void expectPicturesInTheClear(const std::string& name) {
    const std::vector<Rect> pictures = screens->detailPictures();
    if (pictures.empty()) return;
    const core::RecordDetailView* view = staff->openRecordView();
    ASSERT_NE(view, nullptr) << name;
    EXPECT_EQ(pictures.size(), view->images.size()) << name << ": every image is shown";
    constexpr float kCaptionH = 40;
    for (size_t i = 0; i < pictures.size(); ++i) {
      const Rect tile{pictures[i].x, pictures[i].y, pictures[i].w, pictures[i].h + kCaptionH};
      EXPECT_GT(tile.w, 150) << name << ": picture " << i << " is big enough to judge";
      EXPECT_LE(tile.x + tile.w, 850) << name << ": picture " << i << " stays in its column";
      EXPECT_LE(tile.y + tile.h, 1080) << name << ": picture " << i << " is on the screen";
      for (const auto& [target, r] : screens->targets().all())
        EXPECT_FALSE(overlaps(tile, r)) << name << ": picture " << i << " is under " << target;
      for (size_t j = i + 1; j < pictures.size(); ++j)
        EXPECT_FALSE(overlaps(tile, pictures[j])) << name << ": pictures " << i << ", " << j;
    }
  }

  core::StaffMode::Clock::time_point now = core::StaffMode::Clock::time_point{} + 500000h;
  test::TempDir data;
  std::filesystem::path assets = std::filesystem::path(SMP_SOURCE_DIR) / "assets";
  std::filesystem::path shots = std::filesystem::path(SMP_BINARY_DIR) / "screens";
  std::unique_ptr<store::KioskStore> store;
  std::string admin;
  std::vector<std::string> ids;
  std::unique_ptr<core::Translations> tr;
  std::unique_ptr<SdlHost> host;
  std::filesystem::path photoPath;
  std::unique_ptr<platform::CameraSlot> camera;
  std::unique_ptr<core::ConsultationService> service;
  std::unique_ptr<core::StaffMode> staff;
  std::unique_ptr<StaffScreens> screens;
  int syncRequests = 0;
};

TEST_F(StaffWalk, FromCornerPressToErasure) {
  // A short press does nothing; three seconds on the corner opens the PIN pad.
  push(SDL_FINGERDOWN, 40, 40);
  frame();
  for (int i = 0; i < 60; ++i) frame();  // about one second
  EXPECT_FALSE(staff->active());
  now += 2100ms;  // now held for a little over three seconds
  frame();
  ASSERT_TRUE(staff->active());
  push(SDL_FINGERUP, 40, 40);
  frame();
  tap("who:" + admin);
  for (char c : std::string("4820")) tap(std::string("pin:") + c);
  tap("pin:ok");
  EXPECT_EQ(staff->notice().key, "staff.pin_wrong");
  EXPECT_EQ(staff->notice().args, std::vector<std::string>{"4"}) << "tries left";
  screenshot("17-staff-pin");
  for (char c : std::string("4821")) tap(std::string("pin:") + c);
  tap("pin:ok");
  ASSERT_EQ(staff->screen(), core::StaffScreen::kRecords);
  screenshot("18-staff-records");

  tap("filter:flagged");
  frame();
  EXPECT_TRUE(screens->targets().find("record:" + ids[1]).has_value());
  EXPECT_FALSE(screens->targets().find("record:" + ids[0]).has_value())
      << "the filter hides unflagged records";
  tap("filter:flagged");
  // Head office called this client twice; the last sync brought its notes.
  store->keepFollowUps(
      {{11, ids[1], "contacted", "No answer; left a voicemail.", "lee", "2026-12-01T09:30:00Z"},
       {14, ids[1], "booked", "Booked session 1 for 12 January, 10:00.", "lee",
        "2026-12-02T16:05:00Z"}},
      14);
  tap("record:" + ids[1]);
  ASSERT_EQ(staff->screen(), core::StaffScreen::kDetail);
  tap("note-field");
  for (char c : std::string("tue")) tap(std::string("key:") + c);
  screenshot("19-staff-note");
  tap("note-done");
  tap("status:booked");
  EXPECT_EQ(store->loadRecord(ids[1])->intake["staff_status"]["note"], "Tue");
  screenshot("19-staff-detail");
  const std::string photoBefore = store->loadRecord(ids[1])->photos[0].sha256;
  tap("retake-photo");
  screenshot("19-staff-retake");
  tap("retake-take");
  ASSERT_TRUE(staff->finishWork(60s)) << "rendered off the UI thread, saved back on it";
  frame();
  EXPECT_NE(store->loadRecord(ids[1])->photos[0].sha256, photoBefore)
      << "the retaken photo replaced the old one";
  tap("edit");
  ASSERT_EQ(staff->screen(), core::StaffScreen::kEdit);
  tap("edit-health:pregnancy:yes");
  tap("edit-field:2");
  for (char c : std::string("dana")) tap(std::string("key:") + c);
  tap("key:@");
  for (char c : std::string("mail")) tap(std::string("key:") + c);
  tap("key:.com");
  screenshot("19-staff-edit");
  tap("edit-save");
  ASSERT_EQ(staff->screen(), core::StaffScreen::kDetail) << staff->notice().key;
  EXPECT_EQ(store->loadRecord(ids[1])->intake["email"], "dana@mail.com");
  EXPECT_EQ(store->loadRecord(ids[1])->intake["health"]["pregnancy"], true);
  // No two targets on this screen may overlap: a tap must never do something else.
  frame();
  const auto& all = screens->targets().all();
  for (auto a = all.begin(); a != all.end(); ++a) {
    for (auto b = std::next(a); b != all.end(); ++b) {
      const Rect& p = a->second;
      const Rect& q = b->second;
      EXPECT_FALSE(overlaps(p, q)) << a->first << " overlaps " << b->first;
    }
  }
  tap("erase");
  ASSERT_TRUE(staff->eraseArmed());
  screenshot("20-staff-erase-confirm");
  tap("erase-confirm");
  EXPECT_FALSE(store->loadRecord(ids[1]).has_value());
  EXPECT_EQ(staff->screen(), core::StaffScreen::kRecords);

  // Head office has revoked the kiosk: sync health says so and offers re-enrolment.
  store->setLastSync(
      "unauthorized: this kiosk must be re-enrolled: unknown or revoked kiosk token");
  tap("tab:sync");
  screenshot("21-staff-sync-health");
  tap("reenrol-open");
  for (char c : std::string("smpk_3f9a")) tap(std::string("key:") + c);
  tap("reenrol-submit");
  EXPECT_EQ(staff->notice().key, "staff.reenrol_not_enrolled")
      << "this walk's kiosk was never enrolled";
  screenshot("21-staff-reenrol");
  tap("reenrol-cancel");
  tap("sync-now");
  EXPECT_GE(syncRequests, 2);  // booked, erased, and the button
  tap("tab:settings");
  tap("settings-language:es");
  EXPECT_EQ(staff->defaultLanguage(), "es");  // the settings walk below takes the screenshots

  // Team: the admin adds a member on the keyboard and keypad, then removes them in two steps.
  tap("tab:team");
  ASSERT_EQ(staff->screen(), core::StaffScreen::kTeam);
  for (char c : std::string("cleo")) tap(std::string("key:") + c);
  tap("team-field:1");
  for (char c : std::string("2468")) tap(std::string("team-pin:") + c);
  tap("team-field:2");
  for (char c : std::string("2469")) tap(std::string("team-pin:") + c);
  tap("team-add");
  EXPECT_EQ(staff->notice().key, "staff.team_pin_mismatch");
  tap("team-field:1");
  for (char c : std::string("2468")) tap(std::string("team-pin:") + c);
  tap("team-field:2");
  for (char c : std::string("2468")) tap(std::string("team-pin:") + c);
  screenshot("23-staff-team-add");
  tap("team-add");
  ASSERT_EQ(staff->notice().key, "staff.team_added");
  std::string cleo;
  for (const auto& m : staff->members())
    if (m.name == "Cleo") cleo = m.id;
  ASSERT_FALSE(cleo.empty()) << "the name typed on the keyboard was stored";
  tap("team-remove:" + cleo);
  screenshot("23-staff-team-remove");
  tap("team-remove-confirm:" + cleo);
  EXPECT_EQ(staff->notice().key, "staff.team_removed");
  for (const auto& m : staff->members()) EXPECT_NE(m.id, cleo);
  tap("logout");
  EXPECT_FALSE(staff->active());
}

TEST_F(StaffWalk, SettingsChangeTheRunningKiosk) {
  // As the kiosk wires it: a changed UI scale reaches the host at once.
  staff->onSettingChanged([this](const std::string& key) {
    if (key == core::kSettingUiScale) host->setUiScale(core::uiScalePercent(*store));
  });
  store->setSetting(core::kSettingServerUrl, "http://127.0.0.1:1");  // head office has moved
  store->setSetting(core::kSettingToken, "smpk_walk_token_0123456789");
  store->setSetting(core::kSettingKioskId, "k-7f3a9c2e");
  store->setSetting(core::kSettingClinic, "Leeds (head office)");
  store->setSetting(core::kSettingConfig,
                    R"({"idle_timeouts":{"warning_seconds":60,"reset_seconds":20},
    "price_list":[{"item":"Full head","min":1800,"max":2600,"currency":"GBP"},
                  {"item":"Scar camouflage","min":400,"max":900,"currency":"GBP"}],
    "languages":["en","es","fr"]})");
  signInAsAdmin();
  tap("tab:settings");
  ASSERT_EQ(staff->screen(), core::StaffScreen::kSettings);
  EXPECT_TRUE(screens->targets().find("settings-scale:100").has_value());
  EXPECT_FALSE(screens->targets().find("settings-scale:125").has_value())
      << "a scale that would cut the 1920x1080 layout off is not offered on a 1920x1080 screen";

  // The camera: switch to the test picture; the choice is stored for the next start.
  tap("settings-camera:test");
  staff->finishWork(30s);  // the switch runs off the UI thread; frames may already have applied it
  EXPECT_FALSE(camera->switching());
  EXPECT_EQ(camera->spec(), "test");
  EXPECT_EQ(staff->cameraSpec(), "test");

  // Idle timeouts: two steps up, saved once.
  tap("settings-idle-warn-more");
  tap("settings-idle-warn-more");
  tap("settings-idle-reset-more");
  tap("settings-idle-save");
  EXPECT_EQ(core::idleTimeouts(*store).warnAfter, 90s);
  EXPECT_EQ(core::idleTimeouts(*store).resetAfter, 25s);

  // The clinic name, typed on the keyboard.
  tap("settings-clinic-edit");
  // The editor starts from the name in use (head office's), for a small correction.
  for (std::size_t i = 0; i < std::string("Leeds (head office)").size(); ++i) tap("key:backspace");
  for (char c : std::string("leeds smp")) tap(c == ' ' ? "key:space" : std::string("key:") + c);
  screenshot("22-staff-settings-clinic-name");
  tap("settings-save");
  EXPECT_EQ(staff->clinicName(), "Leeds Smp");

  // A new head-office address that nobody answers at (loopback, a closed port): refused, the old
  // one kept.
  tap("settings-server-edit");
  for (int i = 0; i < 18; ++i) tap("key:backspace");
  EXPECT_EQ(staff->headOfficeUrl(), "http://127.0.0.1:1");
  tap("key:https");
  for (char c : std::string("127.0.0.1:9")) tap(std::string("key:") + c);
  tap("settings-save");
  staff->finishWork(30s);  // the check runs off the UI thread; frames may already have applied it
  frame();
  EXPECT_EQ(staff->notice().key, "staff.server_unreachable") << staff->notice().detail;
  EXPECT_EQ(staff->headOfficeUrl(), "http://127.0.0.1:1");
  screenshot("22-staff-settings-server");
  tap("settings-cancel");

  tap("settings-language:fr");
  screenshot("22-staff-settings");

  // A smaller UI: 75 % lays the screens out on 2560x1440 logical pixels.
  tap("settings-scale:75");
  frame();
  EXPECT_EQ(host->width(), 2560);
  EXPECT_EQ(host->height(), 1440);
  screenshot("22-staff-settings-scale-75");
  tap("settings-scale:0");
  frame();
  EXPECT_EQ(host->width(), 1920) << "taps still land on the right button after a scale change";
  EXPECT_EQ(core::uiScalePercent(*store), 0);

  std::vector<std::string> actions;
  sqlite::Statement st(store::KioskStoreTestPeer::connection(*store),
                       "SELECT action FROM audit_log ORDER BY id");
  while (st.step()) actions.push_back(st.columnText(0));
  for (const char* a : {"setting.camera", "setting.idle_timeouts", "setting.clinic_name",
                        "setting.default_language", "setting.ui_scale"}) {
    EXPECT_NE(std::find(actions.begin(), actions.end(), a), actions.end()) << a;
  }
}

TEST_F(StaffWalk, RetentionShowsWhenTheCopyGoesAndWhatWasPurged) {
  // Head office keeps records 90 days on kiosks; one was acknowledged long ago and purged.
  store->setSetting(core::kSettingConfig,
                    R"({"languages":["en"],"idle_timeouts":{"warning_seconds":60,)"
                    R"("reset_seconds":20},"retention_days":90})");
  store->markSynced(ids[0], 1, "2026-01-05T10:00:00Z", store::OutboxKind::kRecord);
  store->markSynced(ids[1], 1, "2026-11-30T10:00:00Z", store::OutboxKind::kRecord);
  ASSERT_EQ(store->purgeAcknowledgedBefore("2026-03-01T00:00:00Z", "retention"), 1);
  signInAsAdmin();
  screenshot("24-staff-retention-records");
  tap("record:" + ids[0]);
  EXPECT_EQ(staff->screen(), core::StaffScreen::kRecords) << "nothing to open on this kiosk";
  EXPECT_EQ(staff->notice().key, "staff.record_purged");
  tap("record:" + ids[1]);
  ASSERT_EQ(staff->screen(), core::StaffScreen::kDetail);
  EXPECT_TRUE(staff->notice().empty()) << "the purged record's notice is not about this one";
  ASSERT_NE(staff->openRecordView(), nullptr);
  EXPECT_EQ(staff->openRecordView()->keptUntil, "2027-02-28");
  screenshot("25-staff-kept-until");
}

TEST_F(StaffWalk, AfterARestartRecordsStaySealedUntilHeadOfficeSendsTheKey) {
  // Head office holds the store key (as after enrolment); the kiosk restarts without network.
  const auto secret = store->secretKeyOnDisk();
  ASSERT_TRUE(secret.has_value());
  store->forgetSecretKeyOnDisk();
  screens.reset();
  staff.reset();
  service.reset();
  store = std::make_unique<store::KioskStore>(core::databasePath(data.path()));
  service = std::make_unique<core::ConsultationService>(*store, assets, "kiosk-test");
  staff = std::make_unique<core::StaffMode>(
      *store, [this] { ++syncRequests; }, service.get());
  screens = std::make_unique<StaffScreens>(*host, *staff, *tr, *camera);
  signInAsAdmin();  // staff accounts are not client data: signing in works
  ASSERT_TRUE(staff->recordsSealed());
  const auto rows = staff->records();
  ASSERT_EQ(rows.size(), 3u) << "staff see that records exist";
  for (const auto& r : rows) {
    EXPECT_TRUE(r.sealed);
    EXPECT_EQ(r.clientName, "");
  }
  screenshot("26-staff-records-sealed");
  tap("record:" + ids[0]);
  EXPECT_EQ(staff->screen(), core::StaffScreen::kRecords) << "nothing to open yet";
  EXPECT_EQ(staff->notice().key, "error.records_sealed");
  // The sync worker fetched the key: the same screen shows names at once.
  ASSERT_TRUE(store->unseal(*secret));
  frame();
  EXPECT_FALSE(staff->recordsSealed());
  EXPECT_EQ(staff->records().back().clientName, "Chris Hale");
  tap("record:" + ids[0]);
  EXPECT_EQ(staff->screen(), core::StaffScreen::kDetail);
}

}  // namespace
}  // namespace smp::ui
