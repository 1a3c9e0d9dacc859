// The whole kiosk window on the real runtime (store, sync worker, staff mode) with injected
// touches: a store write that fails mid-action (the file-size limit the OS enforces, as a full
// disk would) leaves the kiosk running with a banner that says so, loses nothing already saved,
// and the same action works once there is room again.
#include "app/ui/kiosk_window.h"

#include <gtest/gtest.h>
#include <sys/resource.h>

#include <csignal>
#include <cstdlib>

#include "app/core/consultation_service.h"
#include "app/core/kiosk_commands.h"
#include "app/core/sample_portrait.h"
#include "app/core/staff_accounts.h"
#include "app/imageio/image_io.h"
#include "tests/support/temp_dir.h"
#include "tests/ui/walk_support.h"

namespace smp::ui {
namespace {

using namespace std::chrono_literals;

// Writes past `bytes` fail with EFBIG while it lives (SIGXFSZ ignored): what SQLite sees when a
// disk is full mid-transaction.
class FileSizeLimit {
 public:
  explicit FileSizeLimit(rlim_t bytes) {
    std::signal(SIGXFSZ, SIG_IGN);
    getrlimit(RLIMIT_FSIZE, &m_saved);
    rlimit limit = m_saved;
    limit.rlim_cur = bytes;
    EXPECT_EQ(setrlimit(RLIMIT_FSIZE, &limit), 0);
  }
  ~FileSizeLimit() { setrlimit(RLIMIT_FSIZE, &m_saved); }

 private:
  rlimit m_saved{};
};

class KioskWindowTest : public ::testing::Test {
 protected:
  void SetUp() override {
    setenv("SDL_VIDEODRIVER", "dummy", 1);
    core::ensureDataDir(data.path());
    {
      store::KioskStore store(core::databasePath(data.path()));
      admin = core::StaffAccounts(store).add("Ana Ruiz", "4821", true, "operator").id;
      core::ConsultationService service(store, assets, "kiosk-test");
      core::ConsultationDraft d;
      d.clientName = "Dana Moore";
      d.concern = "scar";
      d.consentGiven = true;
      d.frontPhoto = core::samplePortrait(640, 480, 3, 1);
      d.guide = core::defaultGuide(640, 480);
      recordId = service.save(d).id;
    }
    kiosk =
        std::make_unique<core::KioskRuntime>(core::KioskRuntimeOptions{data.path(), assets, ""});
    camera = std::make_unique<platform::CameraSlot>(platform::CameraSlot::open("test"));
    host = std::make_unique<SdlHost>(WindowOptions{1920, 1080, false, "test"}, assets);
    window = std::make_unique<KioskWindow>(*host, *kiosk, *camera);
  }

  void frame(engine::RgbImage* capture = nullptr) {
    now += 16ms;
    wall += 16ms;
    host->pumpEvents();
    host->beginFrame();
    window->draw(now, wall);
    host->endFrame(capture);
  }
  void tap(const std::string& name) {
    frame();
    const auto r = window->targets().find(name);
    ASSERT_TRUE(r.has_value()) << "no target '" << name << "'";
    test::tapAt(*host, r->centerX(), r->centerY(), [this] { frame(); });
  }
  std::string statusOnDisk() {
    store::KioskStore fresh(core::databasePath(data.path()));
    const auto r = fresh.loadRecord(recordId);
    return r && r->intake.contains("staff_status") ? r->intake["staff_status"].value("status", "")
                                                   : "";
  }

  std::filesystem::path assets = std::filesystem::path(SMP_SOURCE_DIR) / "assets";
  test::TempDir data;
  std::string admin, recordId;
  std::unique_ptr<core::KioskRuntime> kiosk;
  std::unique_ptr<platform::CameraSlot> camera;
  std::unique_ptr<SdlHost> host;
  std::unique_ptr<KioskWindow> window;
  std::filesystem::path shots = std::filesystem::path(SMP_BINARY_DIR) / "screens";
  KioskWindow::Clock::time_point now{};
  core::StaffMode::Clock::time_point wall = core::StaffMode::Clock::now();
};

TEST_F(KioskWindowTest, AFullDiskMidActionShowsABannerAndTheKioskKeepsRunning) {
  core::StaffMode& staff = kiosk->staff();
  staff.cornerHeld(3s, wall);
  staff.chooseStaff(admin);
  for (char c : std::string("4821")) staff.pinDigit(c);
  ASSERT_TRUE(staff.submitPin(wall));
  tap("record:" + recordId);
  ASSERT_EQ(staff.screen(), core::StaffScreen::kDetail);
  engine::RgbImage shot;
  {
    FileSizeLimit full(1);  // no file may grow: every SQLite write fails
    tap("status:booked");
    EXPECT_TRUE(window->banner().showing()) << "the failure is on screen";
    EXPECT_EQ(window->banner().notice().key, "error.disk_error")
        << "a disk that refuses writes is named, not 'something went wrong'";
    EXPECT_NE(window->banner().notice().detail.find("disk I/O error"), std::string::npos);
    frame();
    frame(&shot);
  }
  std::filesystem::create_directories(shots);
  imageio::saveRgb(shots / "26-error-banner.png", shot);
  test::expectTouchableTargets(window->targets(), "error banner");
  EXPECT_EQ(staff.screen(), core::StaffScreen::kDetail) << "still running, still signed in";
  EXPECT_EQ(statusOnDisk(), "") << "the failed change left the record as it was";
  tap("error-banner:ok");
  EXPECT_FALSE(window->banner().showing());
  tap("status:booked");
  EXPECT_EQ(statusOnDisk(), "booked") << "with room again, the same tap works";
  EXPECT_FALSE(window->banner().showing());
}

}  // namespace
}  // namespace smp::ui
