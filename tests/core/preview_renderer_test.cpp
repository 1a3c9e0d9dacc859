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
  auto mask = std::make_shared<engine::GrayImage>(engine::proposeScalp(*photo, guide).mask);
  engine::PreviewParams p;
  p.pxPerMm = engine::pxPerMmFromHead(guide);
  PreviewRenderer renderer;
  std::uint64_t last = 0;
  for (int i = 0; i < 10; ++i) {  // a finger dragging the density slider
    p.densityPerCm2 = 60 + 10 * i;
    last = renderer.request(photo, mask, p);
  }
  renderer.waitFor(last);
  std::uint64_t generation = 0;
  const auto result = renderer.takeResult(&generation);
  ASSERT_TRUE(result.has_value());
  EXPECT_EQ(generation, last) << "only the newest request's render is shown";
  EXPECT_FALSE(renderer.takeResult().has_value()) << "a result is handed over once";
  // Its dots are those of the last density (150/cm2), not of an earlier, stale request.
  p.densityPerCm2 = 150;
  const auto direct = engine::renderPreview({photo.get(), mask.get()}, p);
  EXPECT_EQ(result->dots.size(), direct.dots.size());
}

}  // namespace
}  // namespace smp::core
