// Golden renders: fixed scenes rendered and compared with committed PNGs within a tolerance, so
// an unintended change in look fails, while float differences between compilers do not.
// Regenerate on purpose with SMP_UPDATE_GOLDEN=1 and look at the new images before committing.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>

#include "app/imageio/image_io.h"
#include "engine/preview.h"
#include "engine/scalp_proposal.h"

namespace smp::engine {
namespace {

// A plain shaded head on a grey wall, drawn here so the test depends on the engine only.
RgbImage syntheticHead(int w, int h) {
  RgbImage img(w, h);
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      const double dx = (x + 0.5 - w / 2.0) / (0.28 * w), dy = (y + 0.5 - 0.47 * h) / (0.39 * h);
      auto* p = img.at(x, y);
      if (dx * dx + dy * dy < 1) {
        const double light = 0.75 + 0.25 * std::sqrt(std::max(0.0, 1 - dx * dx - dy * dy));
        p[0] = static_cast<std::uint8_t>(220 * light);
        p[1] = static_cast<std::uint8_t>(176 * light);
        p[2] = static_cast<std::uint8_t>(150 * light);
      } else {
        p[0] = p[1] = p[2] = 150;
      }
    }
  return img;
}

void compareWithGolden(const RgbImage& image, const std::string& name) {
  const auto path = std::filesystem::path(SMP_SOURCE_DIR) / "tests/engine/golden" / name;
  if (const char* update = std::getenv("SMP_UPDATE_GOLDEN"); update && std::string(update) == "1") {
    imageio::saveRgb(path, image);
    GTEST_SKIP() << "golden image written: " << path;
  }
  ASSERT_TRUE(std::filesystem::exists(path)) << path << " missing: run with SMP_UPDATE_GOLDEN=1";
  const RgbImage golden = imageio::loadRgb(path);
  ASSERT_EQ(golden.width, image.width);
  ASSERT_EQ(golden.height, image.height);
  double sum = 0;
  std::size_t bad = 0;
  for (std::size_t i = 0; i < image.pixels.size(); ++i) {
    const int d = std::abs(static_cast<int>(image.pixels[i]) - golden.pixels[i]);
    sum += d;
    if (d > 16) ++bad;
  }
  EXPECT_LT(sum / static_cast<double>(image.pixels.size()), 0.5) << name << ": mean difference";
  EXPECT_LE(bad, image.pixels.size() / 1000) << name << ": channels off by more than 16";
}

TEST(Golden, SoftHairlineOnSyntheticHead) {
  const RgbImage photo = syntheticHead(480, 360);
  const ScalpProposal scalp = proposeScalp(photo, {240, 169, 134, 140});
  PreviewParams p;
  p.hairline = HairlineStyle::kSoft;
  p.pxPerMm = 4;
  p.hairlinePlacement = scalp.hairline;
  p.seed = 5;
  compareWithGolden(renderPreview({&photo, &scalp.mask}, p).image, "soft-480x360.png");
}

TEST(Golden, AgedBrokenHairlineSessionTwo) {
  const RgbImage photo = syntheticHead(480, 360);
  const ScalpProposal scalp = proposeScalp(photo, {240, 169, 134, 140});
  PreviewParams p;
  p.hairline = HairlineStyle::kBroken;
  p.pxPerMm = 4;
  p.hairlinePlacement = scalp.hairline;
  p.sessionStage = 2;
  p.yearsSinceSession = 6;
  p.hairColour = HairColour::kDarkBrown;
  p.seed = 9;
  compareWithGolden(renderPreview({&photo, &scalp.mask}, p).image, "broken-aged-480x360.png");
}

}  // namespace
}  // namespace smp::engine
