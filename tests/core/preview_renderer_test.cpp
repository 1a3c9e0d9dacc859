// The kiosk's background renderer: the newest request wins, stale work never reaches the UI.
#include "app/core/preview_renderer.h"

#include <gtest/gtest.h>

#include "app/core/head_guide.h"
#include "app/core/sample_portrait.h"

namespace smp::core {
namespace {

TEST(PreviewRenderer, NewestRequestWinsAndStaleResultsAreDropped) {
  auto photo = std::make_shared<engine::RgbImage>(samplePortrait(1280, 960, 3, 1));
  const HeadGuide guide = defaultGuide(1280, 960);
  engine::PreviewParams p;
  p.hairline = engine::HairlineStyle::kSoft;
  PreviewRenderer renderer;
  std::uint64_t last = 0;
  for (int i = 0; i < 10; ++i) {  // a finger dragging the density slider
    p.densityPerCm2 = 60 + 10 * i;
    last = renderer.request(photo, guide, p);
  }
  renderer.waitFor(last);
  std::uint64_t generation = 0;
  const auto result = renderer.takeResult(&generation);
  ASSERT_TRUE(result.has_value());
  EXPECT_EQ(generation, last) << "only the newest request's render is shown";
  EXPECT_FALSE(renderer.takeResult().has_value()) << "a result is handed over once";
  // Its dots are those of the last density (150/cm2), not of an earlier, stale request.
  p.densityPerCm2 = 150;
  const auto direct = vision::renderAutomaticPreview(*photo, guide, p);
  EXPECT_EQ(result->dots.size(), direct.dots.size());
  EXPECT_GT(direct.dots.size(), 0u);
  EXPECT_TRUE(renderer.faceFinding().has_value()) << "the photo was analysed once, on the worker";
}

TEST(PreviewRenderer, LiveUpdatesReuseTheAnalysisOfThePhoto) {
  auto photo = std::make_shared<engine::RgbImage>(samplePortrait(640, 480, 5, 2));
  const HeadGuide guide = defaultGuide(640, 480);
  engine::PreviewParams p;
  p.hairline = engine::HairlineStyle::kSoft;
  PreviewRenderer renderer;
  renderer.waitFor(renderer.request(photo, guide, p));
  ASSERT_TRUE(renderer.takeResult().has_value());
  const auto first = renderer.faceFinding();
  ASSERT_TRUE(first.has_value());
  p.sessionStage = 1;
  renderer.waitFor(renderer.request(photo, guide, p));
  const auto session1 = renderer.takeResult();
  ASSERT_TRUE(session1.has_value());
  p.sessionStage = 3;
  const auto direct = vision::renderAutomaticPreview(*photo, guide, p);
  EXPECT_LT(session1->dots.size(), direct.dots.size()) << "session 1 places fewer dots than 3";
}

// The top photo's preview learns the skin from the front photo (analysed once, cached) and
// gives what the saved record's pipeline gives.
TEST(PreviewRenderer, TheTopViewRendersTheCrownWithTheFrontPhotosSkin) {
  const MannequinHair hair{95, 70, 50, 3};
  auto front = std::make_shared<engine::RgbImage>(samplePortraitWithHair(640, 480, 3, 2, hair));
  auto top = std::make_shared<engine::RgbImage>(sampleTopOfHead(640, 480, 3, 2, hair));
  const HeadGuide guide = defaultGuide(640, 480);
  engine::PreviewParams p;
  p.hairline = engine::HairlineStyle::kSoft;
  PreviewRenderer renderer;
  renderer.waitFor(renderer.request(top, guide, p, engine::HeadView::kTop, front, guide));
  const auto result = renderer.takeResult();
  ASSERT_TRUE(result.has_value());
  vision::PhotoAnalysis frontAnalysis;
  vision::renderAutomaticPreview(*front, guide, p, &frontAnalysis);
  ASSERT_TRUE(frontAnalysis.skin.known);
  const auto direct = vision::renderAutomaticTopPreview(*top, guide, frontAnalysis.skin, p);
  EXPECT_EQ(result->image.pixels, direct.image.pixels);
  EXPECT_GT(result->dots.size(), 0u);
  // A live update on the top view reuses both analyses: the same as the direct pipeline again.
  p.sessionStage = 1;
  renderer.waitFor(renderer.request(top, guide, p, engine::HeadView::kTop, front, guide));
  const auto session1 = renderer.takeResult();
  ASSERT_TRUE(session1.has_value());
  EXPECT_LT(session1->dots.size(), result->dots.size());
}

// The app's renderer posts to the frame loop's queue: nothing is shown until the UI thread runs
// it, and a result still queued when the renderer goes away is dropped, not delivered to freed
// memory.
TEST(PreviewRenderer, ResultsReachTheUiOnlyThroughTheFrameLoopsQueue) {
  auto photo = std::make_shared<engine::RgbImage>(samplePortrait(640, 480, 5, 2));
  const HeadGuide guide = defaultGuide(640, 480);
  engine::PreviewParams p;
  UiQueue ui;
  {
    PreviewRenderer renderer(&ui);
    const std::uint64_t generation = renderer.request(photo, guide, p);
    renderer.waitFor(generation);
    EXPECT_FALSE(renderer.takeResult().has_value()) << "delivered before the frame loop ran";
    EXPECT_FALSE(renderer.faceFinding().has_value());
    EXPECT_EQ(ui.runPosted(), 1u);
    std::uint64_t shown = 0;
    ASSERT_TRUE(renderer.takeResult(&shown).has_value());
    EXPECT_EQ(shown, generation);
    EXPECT_TRUE(renderer.faceFinding().has_value());

    p.densityPerCm2 = 120;
    renderer.waitFor(renderer.request(photo, guide, p));
    EXPECT_EQ(ui.pending(), 1u);
  }
  EXPECT_EQ(ui.runPosted(), 1u) << "the stale result runs as a no-op, without a crash (asan)";
}

}  // namespace
}  // namespace smp::core
