// The treatment plan rules, the photo quality check, the signature image and consent reflow.
#include <gtest/gtest.h>

#include "app/core/consent_text.h"
#include "app/core/photo_check.h"
#include "app/core/sample_portrait.h"
#include "app/core/signature.h"
#include "app/core/treatment_plan.h"

namespace smp::core {
namespace {

TEST(TreatmentPlan, SessionsFollowTheConcernAndStage) {
  ConsultationDraft d;
  d.concern = "pattern-baldness";
  d.lossStage = "norwood-3";
  EXPECT_EQ(planFor(d, {}).sessions, 3);
  d.lossStage = "norwood-7";
  EXPECT_EQ(planFor(d, {}).sessions, 4);
  d.concern = "scar";
  EXPECT_EQ(planFor(d, {}).sessions, 2);
  EXPECT_FALSE(planFor(d, {}).specialistReview);
  d.health["pregnancy"] = true;
  EXPECT_TRUE(planFor(d, {}).specialistReview);
  EXPECT_EQ(planFor(d, {}).topUpYearsMin, 3);
  EXPECT_EQ(planFor(d, {}).topUpYearsMax, 5);
}

TEST(TreatmentPlan, PriceComesFromHeadOfficeMatchedToTheConcern) {
  ConsultationDraft d;
  d.concern = "scar";
  EXPECT_FALSE(planFor(d, nlohmann::json::object()).price.has_value())
      << "no config yet: ask staff";
  const nlohmann::json config = {
      {"price_list",
       {{{"item", "Full head"}, {"min", 1800}, {"max", 2600}, {"currency", "GBP"}},
        {{"item", "Scar"}, {"concern", "scar"}, {"min", 400}, {"max", 900}, {"currency", "GBP"}}}}};
  EXPECT_EQ(planFor(d, config).price->item, "Scar");
  d.concern = "alopecia";
  EXPECT_EQ(planFor(d, config).price->min, 1800);
}

engine::RgbImage boxBlur(const engine::RgbImage& in, int r) {
  engine::RgbImage out(in.width, in.height);
  for (int y = 0; y < in.height; ++y)
    for (int x = 0; x < in.width; ++x)
      for (int c = 0; c < 3; ++c) {
        int sum = 0, n = 0;
        for (int dy = -r; dy <= r; ++dy)
          for (int dx = -r; dx <= r; ++dx) {
            const int xx = std::clamp(x + dx, 0, in.width - 1),
                      yy = std::clamp(y + dy, 0, in.height - 1);
            sum += in.at(xx, yy)[c];
            ++n;
          }
        out.at(x, y)[c] = static_cast<std::uint8_t>(sum / n);
      }
  return out;
}

TEST(PhotoCheck, HintsForDarkBrightAndBlurredPhotos) {
  const auto good = samplePortrait(320, 240, 3, 1);
  const HeadGuide g = defaultGuide(320, 240);
  EXPECT_EQ(assessPhoto(good, g).hintKey, "") << assessPhoto(good, g).edgeStrength;
  auto dark = good;
  for (auto& p : dark.pixels) p = static_cast<std::uint8_t>(p / 5);
  EXPECT_EQ(assessPhoto(dark, g).hintKey, "hint.more_light");
  auto bright = good;
  for (auto& p : bright.pixels) p = static_cast<std::uint8_t>(std::min(255, p * 3));
  EXPECT_EQ(assessPhoto(bright, g).hintKey, "hint.less_light");
  EXPECT_EQ(assessPhoto(boxBlur(good, 4), g).hintKey, "hint.hold_still");
}

TEST(Signature, StrokesBecomeInkAndTheRestStaysWhite) {
  const auto img = renderSignature({{{0.1f, 0.5f}, {0.9f, 0.5f}}}, 300, 100);
  EXPECT_LT(img.at(150, 50)[0], 80) << "ink on the stroke";
  EXPECT_EQ(img.at(150, 10)[0], 255) << "paper elsewhere";
}

TEST(ConsentText, ReflowJoinsLinesKeepsParagraphs) {
  EXPECT_EQ(reflowParagraphs("Title\n\nOne two\nthree four.\n"), "Title\n\nOne two three four. ");
}

}  // namespace
}  // namespace smp::core
