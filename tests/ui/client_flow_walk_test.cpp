// Walks the whole client flow with injected finger events under SDL's dummy video driver and a
// test clock: every screen is screenshotted at 1920x1080, every target is checked for size, and
// the saved record is checked field by field. Also the idle reset and the "needs staff" screen.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>

#include "app/core/consultation_service.h"
#include "app/core/head_guide.h"
#include "app/core/kiosk_commands.h"
#include "app/core/sample_portrait.h"
#include "app/core/translations.h"
#include "app/imageio/image_io.h"
#include "app/ui/kiosk_screens.h"
#include "app/ui/needs_staff_screen.h"
#include "tests/support/temp_dir.h"
#include "tests/ui/walk_support.h"

namespace smp::ui {
namespace {

using namespace std::chrono_literals;

class ClientWalk : public ::testing::Test {
 protected:
  void SetUp() override {
    setenv("SDL_VIDEODRIVER", "dummy", 1);
    core::ensureDataDir(data.path());
    store = std::make_unique<store::KioskStore>(core::databasePath(data.path()));
    service = std::make_unique<core::ConsultationService>(*store, assets, "kiosk-test");
    tr = std::make_unique<core::Translations>(core::Translations::load(assets));
    photoPath = std::filesystem::temp_directory_path() /
                ("smp-face-" + std::to_string(::getpid()) + ".png");
    imageio::saveRgb(photoPath, core::samplePortraitWithHair(1280, 960, 4, 2, {38, 30, 26, 3}));
    camera = std::make_unique<platform::CameraSlot>(
        platform::CameraSlot::open("file:" + photoPath.string()));
    ASSERT_TRUE(camera->waitForFirstFrame(10000)) << camera->error();
    host = std::make_unique<SdlHost>(WindowOptions{1920, 1080, false, "test"}, assets);
    config = {{"price_list",
               {{{"item", "Full head"}, {"min", 1800}, {"max", 2600}, {"currency", "GBP"}}}}};
    screens = std::make_unique<KioskScreens>(
        *host, flow, *tr, *camera, [this](const std::string& l) { return service->consent(l); },
        [this](const core::ConsultationDraft& d) { return core::planFor(d, config); });
    screens->setClinicName("Leeds SMP Studio");  // as staff set it in settings
    std::filesystem::create_directories(shots);
  }
  void TearDown() override { std::filesystem::remove(photoPath); }

  void frame(engine::RgbImage* capture = nullptr) {
    now += 16ms;
    host->pumpEvents();
    host->beginFrame();
    screens->draw(now);
    host->endFrame(capture);
  }

  void push(Uint32 type, float x, float y) { test::pushFinger(*host, type, x, y); }

  Rect target(const std::string& name) {
    frame();
    const auto r = screens->targets().find(name);
    EXPECT_TRUE(r.has_value()) << "no target '" << name << "' on "
                               << core::screenName(flow.screen());
    return r.value_or(Rect{-100, -100, 1, 1});
  }

  void tap(const std::string& name) {
    const Rect r = target(name);
    test::tapAt(*host, r.centerX(), r.centerY(), [this] { frame(); });
  }

  // A finger drag through the given points (absolute screen coordinates).
  void drag(const std::vector<std::pair<float, float>>& path) {
    push(SDL_FINGERDOWN, path[0].first, path[0].second);
    frame();
    for (std::size_t i = 1; i < path.size(); ++i) {
      push(SDL_FINGERMOTION, path[i].first, path[i].second);
      frame();
    }
    push(SDL_FINGERUP, path.back().first, path.back().second);
    frame();
    frame();
  }

  void type(const std::string& keys) {
    for (char c : keys) tap(std::string("key:") + c);
  }

  void screenshot(const std::string& name) {
    frame();
    engine::RgbImage img;
    frame(&img);
    imageio::saveRgb(shots / (name + ".png"), img);
    test::expectTouchableTargets(screens->targets(), name, [](const std::string& t) {
      return t.rfind("handle:", 0) == 0 || t == "consent-text";  // drag handles, scroll area
    });
  }

  // Answers every step from the start to the photos screen, as a client would.
  void answerUpToThePhotos(const std::string& concern, const std::string& stage,
                           engine::HairColour colour, int fitzpatrick, const std::string& name,
                           const std::string& phone) {
    flow.start(now);
    flow.setConcern(concern);
    ASSERT_TRUE(flow.next());
    flow.setLossStage(stage);
    ASSERT_TRUE(flow.next());
    flow.setHairColour(colour);
    flow.setFitzpatrick(fitzpatrick);
    ASSERT_TRUE(flow.next());
    flow.setHairline(engine::HairlineStyle::kSoft);
    flow.setDensityChoice("medium");
    ASSERT_TRUE(flow.next());
    for (const auto& q : core::kHealthQuestions) flow.setHealthAnswer(q, false);
    ASSERT_TRUE(flow.next());
    flow.setName(name);
    flow.setPhone(phone);
    ASSERT_TRUE(flow.next());
    flow.setConsent(true);
    flow.addSignatureStroke({{0.1f, 0.5f}, {0.9f, 0.5f}});
    ASSERT_TRUE(flow.next());
  }

  // Takes the front and top photos (each framed in the default guide for its size) and goes on
  // to the preview screen, with its first render done.
  void openPreview(const engine::RgbImage& front, const engine::RgbImage& top) {
    flow.capturePhoto(core::PhotoKind::kFront, front,
                      core::defaultGuide(front.width, front.height));
    flow.capturePhoto(core::PhotoKind::kTop, top, core::defaultGuide(top.width, top.height));
    ASSERT_TRUE(flow.next());
    ASSERT_EQ(flow.screen(), core::Screen::kPreview);
    frame();  // the first frame on the screen asks for the render
    waitForPreview();
  }

  void waitForPreview() {
    for (int i = 0; i < 100 && !screens->previewUpToDate(); ++i) {
      screens->renderer().waitFor(screens->previewRequestedGeneration());
      frame();
    }
    ASSERT_TRUE(screens->previewUpToDate());
  }

  core::Clock::time_point now = core::Clock::time_point{} + 1000h;
  test::TempDir data;
  std::filesystem::path assets = std::filesystem::path(SMP_SOURCE_DIR) / "assets";
  std::filesystem::path shots = std::filesystem::path(SMP_BINARY_DIR) / "screens";
  std::filesystem::path photoPath;
  std::unique_ptr<store::KioskStore> store;
  std::unique_ptr<core::ConsultationService> service;
  std::unique_ptr<core::Translations> tr;
  nlohmann::json config;
  core::KioskFlow flow{[this](const core::ConsultationDraft& d) { return service->save(d); }};
  std::unique_ptr<platform::CameraSlot> camera;
  std::unique_ptr<SdlHost> host;
  std::unique_ptr<KioskScreens> screens;
};

TEST_F(ClientWalk, AWholeConsultationByTouch) {
  screenshot("01-attract");
  tap("start");
  ASSERT_EQ(flow.screen(), core::Screen::kConcern);
  tap("next");
  EXPECT_EQ(flow.message(), "error.choose_concern") << "nothing chosen: a calm message, no step";
  tap("concern:pattern-baldness");
  screenshot("02-concern");
  tap("next");

  tap("stage:norwood-4");
  screenshot("03-stage");
  tap("next");

  tap("hair:dark-brown");
  tap("skin:4");
  screenshot("04-colours");
  tap("next");

  tap("hairline:broken");
  tap("density:full");
  screenshot("05-look");
  tap("next");

  for (const auto& q : core::kHealthQuestions)
    tap("health:" + q + (q == "retinoids" ? ":yes" : ":no"));
  screenshot("06-health");
  tap("next");

  ASSERT_EQ(flow.screen(), core::Screen::kContact);
  type("sam");
  tap("key:space");
  type("l");
  tap("key:é");
  type("e");
  tap("field:phone");
  for (char c : std::string("07700900123")) tap(std::string("pad:") + c);
  tap("field:email");
  type("sam");
  tap("key:@");
  type("example");
  tap("key:.com");
  screenshot("07-contact");
  EXPECT_EQ(flow.draft().clientName, "Sam Lée");
  EXPECT_EQ(flow.draft().phone, "07700900123");
  EXPECT_EQ(flow.draft().email, "sam@example.com");
  tap("next");

  ASSERT_EQ(flow.screen(), core::Screen::kConsent);
  tap("consent");
  const Rect pad = target("signature-pad");
  drag({{pad.x + 60, pad.y + 150},
        {pad.x + 200, pad.y + 60},
        {pad.x + 330, pad.y + 170},
        {pad.x + 520, pad.y + 80}});
  ASSERT_EQ(flow.draft().signature.size(), 1u);
  EXPECT_GE(flow.draft().signature[0].size(), 3u);
  screenshot("08-consent");
  tap("next");

  ASSERT_EQ(flow.screen(), core::Screen::kPhotos);
  tap("take");
  screenshot("09-photos-countdown");
  now += 3100ms;  // the countdown runs on the test clock
  frame();
  ASSERT_TRUE(flow.draft().frontPhoto.has_value());
  tap("take");
  now += 3100ms;
  frame();
  ASSERT_TRUE(flow.draft().topPhoto.has_value());
  screenshot("09-photos");
  tap("next");

  ASSERT_EQ(flow.screen(), core::Screen::kPreview);
  waitForPreview();
  // Drag the crown of the head outline down 30 px: the scalp region is re-proposed from it.
  const double radiusBefore = flow.draft().guide.radiusY;
  const Rect crown = target("outline:top");
  drag({{crown.centerX(), crown.centerY()},
        {crown.centerX(), crown.centerY() + 15},
        {crown.centerX(), crown.centerY() + 30}});
  EXPECT_LT(flow.draft().guide.radiusY, radiusBefore - 10);
  waitForPreview();
  // Drag the middle hairline handle 40 px up: the preview re-renders with the moved line.
  // (Done after the outline drag, which re-places the hairline from the new outline.)
  const Rect handle = target("handle:2");
  const float y0 = handle.centerY();
  drag({{handle.centerX(), y0}, {handle.centerX(), y0 - 20}, {handle.centerX(), y0 - 40}});
  ASSERT_TRUE(flow.draft().preview.hairlineControls.has_value());
  tap("session:2");
  EXPECT_EQ(flow.draft().preview.sessionStage, 2);
  tap("session:3");
  waitForPreview();
  screenshot("10-preview");
  // Mark a patch with a finger on the forehead below the line: the hairline handles step aside
  // while marking, a stroke becomes a mark on lifting the finger, and Undo takes it back.
  const Rect line = target("handle:2");
  tap("mark:toggle");
  EXPECT_FALSE(screens->targets().find("handle:2").has_value());
  const float mx = line.centerX(), my = line.centerY() + 70;
  drag({{mx - 60, my}, {mx - 20, my + 6}, {mx + 20, my + 4}, {mx + 60, my + 10}});
  ASSERT_EQ(flow.draft().preview.marks.size(), 1u);
  EXPECT_GE(flow.draft().preview.marks[0].points.size(), 3u);
  tap("mark:undo");
  EXPECT_TRUE(flow.draft().preview.marks.empty());
  drag({{mx - 60, my}, {mx - 20, my + 6}, {mx + 20, my + 4}, {mx + 60, my + 10}});
  ASSERT_EQ(flow.draft().preview.marks.size(), 1u);
  waitForPreview();
  screenshot("10-preview-mark");
  tap("lang:fr");
  tap("large-text");
  screenshot("10-preview-fr-large");  // the longest labels, the tallest text: nothing overlaps
  tap("large-text");
  tap("lang:en");
  // The remove-area brush over the left side of the head: that scalp is left as it is.
  tap("mark:tool:remove_scalp");
  const float rx = line.centerX() - 125, ry = line.centerY() + 60;
  drag({{rx, ry - 40}, {rx - 10, ry}, {rx - 20, ry + 40}});
  ASSERT_EQ(flow.draft().preview.marks.size(), 2u);
  EXPECT_EQ(flow.draft().preview.marks[1].kind, engine::MarkKind::kRemoveScalp);
  waitForPreview();
  screenshot("10-preview-remove-area");
  tap("mark:toggle");
  waitForPreview();
  screenshot("10-preview-area-removed");  // the wash gone: that side is as photographed
  tap("mark:toggle");
  tap("mark:undo");
  tap("mark:tool:scar");
  tap("mark:toggle");
  EXPECT_GT(target("handle:2").w, 0);  // the handles are back
  waitForPreview();
  screenshot("10-preview-marked");
  tap("next");

  ASSERT_EQ(flow.screen(), core::Screen::kPlan);
  screenshot("11-plan");
  tap("save");
  ASSERT_EQ(flow.screen(), core::Screen::kSaved) << flow.messageDetail();
  screenshot("12-saved");
  tap("done");
  EXPECT_EQ(flow.screen(), core::Screen::kAttract);
  EXPECT_TRUE(flow.draft().clientName.empty()) << "handed back: nothing personal in memory";

  const auto ids = store->consultationIds();
  ASSERT_EQ(ids.size(), 1u);
  const auto r = store->loadRecord(ids[0]);
  EXPECT_EQ(r->clientName, "Sam Lée");
  EXPECT_EQ(r->concern, "pattern-baldness");
  EXPECT_EQ(r->intake["loss_stage"], "norwood-4");
  EXPECT_EQ(r->intake["hair_colour"], "dark-brown");
  EXPECT_EQ(r->intake["fitzpatrick"], 4);
  EXPECT_EQ(r->intake["desired_hairline"], "broken");
  EXPECT_EQ(r->intake["desired_density"], "full");
  EXPECT_EQ(r->intake["health_flags"], nlohmann::json::array({"retinoids"}));
  EXPECT_EQ(r->intake["phone"], "07700900123");
  EXPECT_EQ(r->intake["email"], "sam@example.com");
  EXPECT_EQ(r->intake["marketing_photo_consent"], false);
  EXPECT_EQ(r->consentTextSha256, service->consent("en").sha256);
  ASSERT_EQ(r->photos.size(), 3u);  // front, top, signature
  EXPECT_EQ(r->photos[2].role, "signature");
  EXPECT_EQ(r->previewParams["session_stage"], 3);
  EXPECT_TRUE(r->previewParams.contains("hairline_controls")) << "the dragged hairline is kept";
  EXPECT_EQ(r->previewParams["marks"].size(), 1u) << "the marked patch is kept";
}

// A client who came to hide a scar is led to mark it: the preview opens in marking mode with
// the invitation, the handles out of the way; once a mark is made the invitation gives way.
TEST_F(ClientWalk, AClientWithAScarIsInvitedToMarkIt) {
  ASSERT_NO_FATAL_FAILURE(answerUpToThePhotos("scar", "norwood-2", engine::HairColour::kBrown, 2,
                                              "Kim Ray", "07700900456"));
  const auto photo = core::samplePortraitWithHair(1280, 960, 2, 3, {38, 30, 26, 3});
  ASSERT_NO_FATAL_FAILURE(openPreview(photo, photo));
  EXPECT_TRUE(flow.invitesScarMarking());
  EXPECT_FALSE(screens->targets().find("handle:2").has_value()) << "marking mode is on";
  EXPECT_FALSE(screens->targets().find("outline:top").has_value());
  ASSERT_TRUE(screens->targets().find("mark:toggle").has_value());
  screenshot("10-preview-scar-invite");
  const Rect photoTool = target("mark:toggle");
  const float mx = photoTool.x + 420, my = photoTool.y + 220;
  drag({{mx, my}, {mx + 40, my + 10}, {mx + 80, my + 30}});
  EXPECT_EQ(flow.draft().preview.marks.size(), 1u);
  EXPECT_FALSE(flow.invitesScarMarking());
  // Out of marking mode, "reset to automatic" takes every change by hand back.
  tap("mark:toggle");
  tap("preview:reset");
  EXPECT_TRUE(flow.draft().preview.marks.empty());
  EXPECT_FALSE(flow.adjustedByHand());
  EXPECT_FALSE(screens->targets().find("preview:reset").has_value()) << "nothing left to reset";
}

// A client with little hair on top switches the preview to the crown, marks a patch there,
// and the saved record holds both previews.
TEST_F(ClientWalk, TheCrownIsPreviewedFromTheTopPhotoWithItsOwnMarks) {
  ASSERT_NO_FATAL_FAILURE(answerUpToThePhotos(
      "pattern-baldness", "norwood-6", engine::HairColour::kBrown, 3, "Sam Lee", "07700900457"));
  const core::MannequinHair hair{95, 70, 50, 3};
  const auto front = core::samplePortraitWithHair(800, 600, 3, 3, hair);
  const auto top = core::sampleTopOfHead(800, 600, 3, 3, hair);
  ASSERT_NO_FATAL_FAILURE(openPreview(front, top));
  ASSERT_TRUE(screens->targets().find("outline:top").has_value());
  tap("view:top");
  ASSERT_EQ(flow.previewView(), core::PhotoKind::kTop);
  frame();
  waitForPreview();
  EXPECT_FALSE(screens->targets().find("outline:top").has_value())
      << "the head's outline is found from above, not framed";
  EXPECT_TRUE(screens->targets().find("handle:2").has_value()) << "the hairline can be dragged";
  screenshot("10b-preview-top");
  const Rect hint = target("view:top");
  EXPECT_GT(hint.x, 400) << "the switch sits on the photo's right";
  // A patch marked on the crown stays with the crown.
  tap("mark:toggle");
  const Rect tool = target("mark:toggle");
  const float mx = tool.x + 330, my = tool.y + 260;
  drag({{mx, my}, {mx + 30, my + 10}, {mx + 60, my + 20}});
  EXPECT_EQ(flow.draft().topEdits.marks.size(), 1u);
  EXPECT_TRUE(flow.draft().preview.marks.empty());
  tap("mark:toggle");
  frame();
  waitForPreview();
  screenshot("10c-preview-top-patch");
  tap("view:front");
  frame();
  waitForPreview();
  EXPECT_EQ(flow.previewView(), core::PhotoKind::kFront);
  EXPECT_TRUE(screens->targets().find("outline:top").has_value());
  // Saved: the front and the top previews, each with its own role.
  const auto record = service->save(flow.draft());
  std::vector<std::string> roles;
  for (const auto& b : record.previews) roles.push_back(b.role);
  EXPECT_EQ(roles, (std::vector<std::string>{"preview", "preview-top"}));
}

// A mannequin with a full head of short dark hair: the head above the brows is all strands.
engine::RgbImage fullHeadOfHair(int width, int height) {
  engine::RgbImage photo = core::samplePortraitWithHair(width, height, 2, 7, {45, 35, 30, 3});
  const core::HeadGuide g = core::defaultGuide(width, height);
  const double rx = g.radiusX * 0.97, ry = g.radiusY * 0.97;
  for (int y = 0; y < height; ++y)
    for (int x = 0; x < width; ++x) {
      const double nx = (x + 0.5 - g.centerX) / rx, ny = (y + 0.5 - g.centerY) / ry;
      if (nx * nx + ny * ny > 1.02 || ny > -0.5) continue;
      const int grain = static_cast<int>((static_cast<unsigned>(x * 73856093u) ^
                                          static_cast<unsigned>((y / 3) * 19349663u)) >>
                                         24) %
                        24;
      std::uint8_t* p = photo.at(x, y);
      p[0] = static_cast<std::uint8_t>(30 + grain);
      p[1] = static_cast<std::uint8_t>(24 + grain);
      p[2] = static_cast<std::uint8_t>(21 + grain);
    }
  return photo;
}

// "Keep my hair" on hair that covers the whole scalp changes almost nothing: the client is told
// why, and how to see the buzz, instead of comparing two identical photos.
TEST_F(ClientWalk, KeepingHairThatCoversTheScalpSaysThePigmentWouldHardlyShow) {
  ASSERT_NO_FATAL_FAILURE(answerUpToThePhotos(
      "diffuse-thinning", "norwood-2", engine::HairColour::kBlack, 2, "Ali Shah", "07700900458"));
  const auto photo = fullHeadOfHair(1280, 960);
  ASSERT_NO_FATAL_FAILURE(openPreview(photo, photo));
  frame();
  EXPECT_EQ(screens->previewHintKey(), "preview.drag_hint") << "the buzz shows the pigment";
  tap("preview.mode.keep_hair");
  ASSERT_EQ(flow.draft().preview.mode, engine::PreviewMode::kKeepHair);
  frame();
  waitForPreview();
  frame();
  EXPECT_EQ(screens->previewHintKey(), "preview.keep_hair.hidden");
  screenshot("10d-preview-keep-hair-hidden");
  tap("preview.mode.buzz");
  frame();
  waitForPreview();
  frame();
  EXPECT_EQ(screens->previewHintKey(), "preview.drag_hint");
}

TEST_F(ClientWalk, APhotoWithoutAFaceGetsACalmWordAndTheHairlineIsPlacedByHand) {
  ASSERT_NO_FATAL_FAILURE(answerUpToThePhotos("pattern-baldness", "norwood-5",
                                              engine::HairColour::kDarkBrown, 3, "Sam Reid",
                                              "07700900459"));
  // The client bowed as the countdown ended: the camera saw the top of the head, no face.
  const auto bowed = core::sampleTopOfHead(1280, 960, 3, 2, {60, 42, 30, 3});
  ASSERT_NO_FATAL_FAILURE(openPreview(bowed, bowed));
  frame();
  EXPECT_EQ(screens->previewHintKey(), "preview.face.none");
  screenshot("10e-preview-no-face");
  // The handles are there all the same, and a finger moves the line.
  const Rect handle = target("handle:2");
  const float y0 = handle.centerY();
  drag({{handle.centerX(), y0}, {handle.centerX(), y0 - 20}, {handle.centerX(), y0 - 40}});
  ASSERT_TRUE(flow.draft().preview.hairlineControls.has_value());
  waitForPreview();
  frame();
  EXPECT_LT(target("handle:2").centerY(), y0 - 20) << "the line stays where the finger left it";
}

TEST_F(ClientWalk, LanguagesSwitchOnEveryScreenAndKeepInput) {
  tap("lang:fr");
  tap("start");
  tap("concern:scar");
  screenshot("13-concern-fr");
  tap("lang:es");
  EXPECT_EQ(flow.draft().language, "es");
  EXPECT_EQ(flow.draft().concern, "scar");
  tap("large-text");
  screenshot("14-concern-es-large-text");
}

TEST_F(ClientWalk, IdleTimeoutWipesEverythingAndNeedMoreTimeWorksTenTimes) {
  tap("start");
  tap("concern:alopecia");
  tap("next");
  tap("stage:ludwig-2");
  for (int i = 0; i < 10; ++i) {
    now += 61s;
    frame();
    ASSERT_TRUE(flow.idleWarning(now).has_value());
    if (i == 0) screenshot("15-idle-warning");
    tap("more-time");
    ASSERT_EQ(flow.screen(), core::Screen::kStage) << "extension " << i;
  }
  now += 81s;
  frame();
  frame();
  EXPECT_EQ(flow.screen(), core::Screen::kAttract);
  EXPECT_TRUE(flow.draft().concern.empty());
  EXPECT_TRUE(flow.draft().lossStage.empty());
  // Nothing was written: no record, and no file besides the database itself.
  EXPECT_EQ(store->status().records, 0);
  for (const auto& entry : std::filesystem::directory_iterator(data.path())) {
    EXPECT_EQ(entry.path().filename().string().rfind("kiosk.sqlite", 0), 0u) << entry.path();
  }
}

TEST(NeedsStaff, ADamagedDatabaseShowsACalmScreenAndKeepsTheFile) {
  setenv("SDL_VIDEODRIVER", "dummy", 1);
  test::TempDir data;
  const std::string garbage(9000, 'G');
  { std::ofstream(core::databasePath(data.path()), std::ios::binary) << garbage; }
  std::string reason;
  try {
    store::KioskStore store(core::databasePath(data.path()));
  } catch (const store::StoreError& e) {
    reason = e.what();
  }
  ASSERT_FALSE(reason.empty());
  SdlHost host(WindowOptions{1920, 1080, false, "test"},
               std::filesystem::path(SMP_SOURCE_DIR) / "assets");
  engine::RgbImage img;
  for (int i = 0; i < 2; ++i) {
    host.pumpEvents();
    host.beginFrame();
    drawNeedsStaffScreen(host, reason);
    host.endFrame(i == 1 ? &img : nullptr);
  }
  const auto shots = std::filesystem::path(SMP_BINARY_DIR) / "screens";
  std::filesystem::create_directories(shots);
  imageio::saveRgb(shots / "16-needs-staff.png", img);
  int dark = 0;
  for (std::size_t i = 0; i < img.pixels.size(); i += 3) dark += img.pixels[i] < 100;
  EXPECT_GT(dark, 5000);
  std::ifstream in(core::databasePath(data.path()), std::ios::binary);
  const std::string after((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(after, garbage) << "the damaged file is never overwritten";
}

}  // namespace
}  // namespace smp::ui
