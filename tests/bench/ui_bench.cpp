// Kiosk UI figures (a bench program, not a test), under SDL's dummy video driver with the
// software renderer, so every pixel is drawn on the CPU:
//  - cold start to the first frame (translations, store, window, fonts, attract previews);
//  - frame time on the preview screen while a finger drags a hairline handle (the engine
//    re-renders on its background thread; frames must not wait for it);
//  - resident memory.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

#include "app/core/consultation_service.h"
#include "app/core/kiosk_commands.h"
#include "app/core/sample_portrait.h"
#include "app/core/translations.h"
#include "app/ui/kiosk_screens.h"
#include "tests/support/temp_dir.h"

namespace {

using namespace smp;
using Clock = std::chrono::steady_clock;

long statusKb(const char* field) {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(field, 0) == 0) return std::stol(line.substr(std::string(field).size()));
  }
  return -1;
}

double ms(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

}  // namespace

int main() {
  const auto start = Clock::now();
  if (!std::getenv("SDL_VIDEODRIVER")) setenv("SDL_VIDEODRIVER", "dummy", 1);  // else: as given
  const std::filesystem::path assets = SMP_SOURCE_DIR "/assets";
  test::TempDir data;
  core::ensureDataDir(data.path());
  store::KioskStore store(core::databasePath(data.path()));
  core::Translations tr = core::Translations::load(assets);
  core::ConsultationService service(store, assets, "bench");
  core::KioskFlow flow([&](const core::ConsultationDraft& d) { return service.save(d); });
  ui::SdlHost host(ui::WindowOptions{1920, 1080, false, "bench"}, assets);
  platform::CameraSlot noCamera("no camera in the bench");
  ui::KioskScreens screens(host, flow, tr, noCamera,
                           [&](const std::string& l) { return service.consent(l); });
  auto now = Clock::now();
  double lastBuildMs = 0;  // our work: events, flow, widgets (excludes rasterising and present)
  auto frame = [&] {
    now += std::chrono::milliseconds(16);
    const auto t0 = Clock::now();
    host.pumpEvents();
    host.beginFrame();
    screens.draw(now);
    lastBuildMs = ms(Clock::now() - t0);
    host.endFrame();
  };
  frame();
  std::printf("cold start to first frame: %.0f ms\n", ms(Clock::now() - start));

  // Straight to the preview with a 1280x960 camera photo.
  flow.start(now);
  flow.setConcern("pattern-baldness");
  flow.next();
  flow.setLossStage("norwood-4");
  flow.next();
  flow.setHairColour(engine::HairColour::kBlack);
  flow.setFitzpatrick(3);
  flow.next();
  flow.setHairline(engine::HairlineStyle::kSoft);
  flow.setDensityChoice("medium");
  flow.next();
  for (const auto& q : core::kHealthQuestions) flow.setHealthAnswer(q, false);
  flow.next();
  flow.setName("Bench");
  flow.setPhone("+44 7700 900123");
  flow.next();
  flow.setConsent(true);
  flow.addSignatureStroke({{0.1f, 0.5f}, {0.9f, 0.5f}});
  flow.next();
  const auto photo = core::samplePortrait(1280, 960, 3, 1);
  flow.capturePhoto(core::PhotoKind::kFront, photo, core::defaultGuide(1280, 960));
  flow.capturePhoto(core::PhotoKind::kTop, photo, core::defaultGuide(1280, 960));
  flow.next();
  for (int i = 0; i < 30; ++i) frame();  // first render shown

  // The same screen at rest: the cost of drawing it, without any re-render.
  {
    std::vector<double> idle;
    for (int i = 0; i < 120; ++i) {
      const auto t0 = Clock::now();
      frame();
      idle.push_back(ms(Clock::now() - t0));
    }
    std::sort(idle.begin(), idle.end());
    std::printf("preview screen at rest (software renderer): p50 %.2f ms\n", idle[60]);
  }
  // A finger drags the middle handle up and down for 600 frames (10 s at 60 Hz).
  const auto handle = screens.targets().find("handle:2");
  if (!handle) {
    std::printf("no hairline handle on screen\n");
    return 1;
  }
  auto push = [&](Uint32 type, float x, float y) {
    SDL_Event e{};
    e.type = type;
    e.tfinger.x = x / 1920.0f;
    e.tfinger.y = y / 1080.0f;
    SDL_PushEvent(&e);
  };
  std::vector<double> frameMs, buildMs;
  push(SDL_FINGERDOWN, handle->centerX(), handle->centerY());
  const std::uint64_t before = screens.renderer().cancelledCount();
  std::uint64_t shownChanges = 0, lastGeneration = screens.previewRequestedGeneration();
  for (int i = 0; i < 600; ++i) {
    const float dy = 40.0f * std::sin(static_cast<float>(i) * 0.05f);
    push(SDL_FINGERMOTION, handle->centerX(), handle->centerY() + dy);
    const auto t0 = Clock::now();
    frame();
    frameMs.push_back(ms(Clock::now() - t0));
    buildMs.push_back(lastBuildMs);
    if (screens.previewRequestedGeneration() != lastGeneration) {
      ++shownChanges;
      lastGeneration = screens.previewRequestedGeneration();
    }
  }
  push(SDL_FINGERUP, handle->centerX(), handle->centerY());
  frame();
  std::sort(frameMs.begin(), frameMs.end());
  std::sort(buildMs.begin(), buildMs.end());
  std::printf("building the preview UI while dragging: p50 %.2f ms, p99 %.2f ms, max %.2f ms\n",
              buildMs[300], buildMs[594], buildMs.back());
  std::printf(
      "preview screen while dragging (600 frames, software renderer): p50 %.2f ms, p99 %.2f ms, "
      "max %.2f ms\n",
      frameMs[300], frameMs[594], frameMs.back());
  std::printf("  %llu re-render requests, %llu stale renders cancelled\n",
              static_cast<unsigned long long>(shownChanges),
              static_cast<unsigned long long>(screens.renderer().cancelledCount() - before));
  // Staff's "re-run preview" and "retake photo" run on the UI thread: how long a frame stalls.
  {
    const std::string id = service.save(flow.draft()).id;
    std::vector<double> rerun, retake;
    for (int i = 0; i < 10; ++i) {
      auto t0 = Clock::now();
      service.rerender(id, std::nullopt, "bench");
      rerun.push_back(ms(Clock::now() - t0));
      t0 = Clock::now();
      service.rerender(id, photo, "bench");
      retake.push_back(ms(Clock::now() - t0));
    }
    std::sort(rerun.begin(), rerun.end());
    std::sort(retake.begin(), retake.end());
    std::printf("staff re-run preview (1280x960, a new revision): p50 %.0f ms, max %.0f ms\n",
                rerun[5], rerun.back());
    std::printf("staff retake photo (1280x960, a new revision): p50 %.0f ms, max %.0f ms\n",
                retake[5], retake.back());
  }
  std::printf("resident memory: %ld MB now, %ld MB peak\n", statusKb("VmRSS:") / 1024,
              statusKb("VmHWM:") / 1024);
  return 0;
}
