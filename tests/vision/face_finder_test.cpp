// Face geometry from a photo: the real portraits (when the machine has them), a photo too dark,
// an empty one, and the proportions the geometry is built from.
#include "app/vision/face_finder.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>

#include "app/core/head_guide.h"
#include "app/core/sample_portrait.h"
#include "app/imageio/image_io.h"
#include "app/vision/photo_analysis.h"
#include "tests/vision/overlap.h"

namespace smp::vision {
namespace {

const std::filesystem::path kPhotos = std::filesystem::path(SMP_SOURCE_DIR) / "../shared/photos";

TEST(FaceFinder, GeometryFollowsThePupils) {
  // 63 mm between pupils 126 px apart: 2 px/mm; brow, hairline and skull by proportions.
  const engine::FaceGeometry g = geometryFromPupils(437, 500, 563, 500);
  EXPECT_DOUBLE_EQ(g.pxPerMm, 2.0);
  EXPECT_NEAR(g.browY, 500 - 24 * 2, 1e-9);
  EXPECT_NEAR(g.hairline.frontY, 500 - 72 * 2, 1e-9);
  EXPECT_NEAR(g.hairline.centerX, 500, 1e-9);
  EXPECT_NEAR(g.skull.radiusX, 76 * 2, 1e-9);
  // The braincase a buzz leaves: as wide as the skull, its top about 104 mm above the pupils
  // (on both real portraits the hair's own top stood only 111-115 mm above them).
  EXPECT_NEAR(g.cranium.radiusX, 76 * 2, 1e-9);
  EXPECT_NEAR(g.cranium.centerY - g.cranium.radiusY, 500 - 104 * 2, 1e-9);
}

TEST(FaceFinder, ATooDarkPhotoGetsACalmMessageAndTheGuide) {
  const FaceFinder finder;
  engine::RgbImage dark(640, 480);
  for (auto& b : dark.pixels) b = 10;
  const auto guide = core::defaultGuide(640, 480);
  const FaceFinding f = finder.find(dark, guide);
  EXPECT_EQ(f.status, FaceStatus::kTooDark);
  EXPECT_EQ(f.messageKey, "preview.face.dark");
  EXPECT_NE(f.message.find("retake"), std::string::npos);
  EXPECT_FALSE(f.geometry.detected);
  EXPECT_NEAR(f.geometry.hairline.centerX, guide.centerX, 1e-6) << "the guide still places it";
}

TEST(FaceFinder, NoFaceInAPlainWallFallsBackToTheGuide) {
  const FaceFinder finder;
  engine::RgbImage wall(640, 480);
  for (std::size_t i = 0; i < wall.pixels.size(); ++i) wall.pixels[i] = 120 + (i % 7);
  const FaceFinding f = finder.find(wall, core::defaultGuide(640, 480));
  EXPECT_EQ(f.status, FaceStatus::kNoFace);
  EXPECT_EQ(f.messageKey, "preview.face.none");
  EXPECT_GT(f.geometry.pxPerMm, 0);
}

TEST(FaceFinder, AFaceOfDarkerSkinAgainstALightWallIsFoundToo) {
  // The same mannequin drawn in skin types III and IV: equalising the whole photo spends its
  // contrast on the light wall and left the type IV face without features for the cascade.
  const FaceFinder finder;
  const auto guide = core::defaultGuide(1280, 960);
  const FaceFinding light =
      finder.find(core::samplePortraitWithHair(1280, 960, 3, 7, {95, 70, 50, 3}), guide);
  const FaceFinding darker =
      finder.find(core::samplePortraitWithHair(1280, 960, 4, 7, {30, 25, 22, 2}), guide);
  ASSERT_EQ(light.status, FaceStatus::kFound);
  ASSERT_EQ(darker.status, FaceStatus::kFound) << darker.message;
  EXPECT_TRUE(darker.geometry.detected);
  // The same head, so the same geometry within a few millimetres.
  const engine::FaceGeometry& a = light.geometry;
  const engine::FaceGeometry& b = darker.geometry;
  EXPECT_NEAR(b.pxPerMm, a.pxPerMm, 0.1 * a.pxPerMm);
  EXPECT_NEAR((b.leftEyeX + b.rightEyeX) / 2, (a.leftEyeX + a.rightEyeX) / 2, 4 * a.pxPerMm);
  EXPECT_NEAR(b.browY, a.browY, 5 * a.pxPerMm);
  EXPECT_NEAR(b.hairline.frontY, a.hairline.frontY, 8 * a.pxPerMm);
}

TEST(FaceFinder, AMissingCascadeFolderIsNamedInTheError) {
  try {
    FaceFinder finder("/nonexistent/cascades");
    FAIL() << "expected an error";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent/cascades"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("opencv-data"), std::string::npos);
  }
}

// The two real portraits: the face is found, the scale is that of an adult head in the frame,
// and the brow line sits above the eyes. Skipped where the photos are not on the machine.
TEST(FaceFinder, FindsTheFaceOnTheRealPortraits) {
  if (!std::filesystem::exists(kPhotos)) GTEST_SKIP() << "no " << kPhotos;
  const FaceFinder finder;
  for (const char* name : {"thinning-receding-1200.jpg", "short-dark-hair-910x1137.jpg"}) {
    const engine::RgbImage photo = imageio::loadRgb((kPhotos / name).string());
    const FaceFinding f = finder.find(photo, core::defaultGuide(photo.width, photo.height));
    EXPECT_EQ(f.status, FaceStatus::kFound) << name << ": " << f.message;
    EXPECT_TRUE(f.geometry.detected) << name;
    // An adult head (about 150 mm) takes between a fifth and two thirds of the width here.
    const double headShare = 152 * f.geometry.pxPerMm / photo.width;
    EXPECT_GT(headShare, 0.2) << name;
    EXPECT_LT(headShare, 0.67) << name;
    EXPECT_LT(f.geometry.browY, f.geometry.leftEyeY) << name;
    EXPECT_LT(f.geometry.hairline.frontY, f.geometry.browY) << name;
  }
}

TEST(HeadSegmenter, HairOnTheMannequinIsFoundAndTheZoneStopsAtTheBrows) {
  engine::GrayImage truth;
  const engine::RgbImage photo =
      core::samplePortraitWithHair(1280, 960, 3, 7, {95, 70, 50, 3}, &truth);
  const PhotoAnalysis a = analysePhoto(sharedFaceFinder(), photo, core::defaultGuide(1280, 960));
  const Overlap o =
      overlap(truth, a.analysis.layers.hair, nullptr, static_cast<int>(a.analysis.geometry.browY));
  EXPECT_GT(o.recall, 0.85) << "recall of hair pixels";
  EXPECT_GT(o.precision, 0.90) << "precision of hair pixels";
  for (int y = static_cast<int>(std::ceil(a.analysis.geometry.browY)); y < 960; ++y)
    for (int x = 0; x < 1280; x += 7) ASSERT_EQ(a.analysis.layers.scalpZone.at(x, y), 0) << y;
}

TEST(HeadSegmenter, TheSamePhotoGivesTheSameLayers) {
  const engine::RgbImage photo = core::samplePortraitWithHair(640, 480, 5, 3, {30, 25, 22, 2});
  const auto guide = core::defaultGuide(640, 480);
  const PhotoAnalysis a = analysePhoto(sharedFaceFinder(), photo, guide);
  const PhotoAnalysis b = analysePhoto(sharedFaceFinder(), photo, guide);
  EXPECT_EQ(a.analysis.layers.hair.pixels, b.analysis.layers.hair.pixels);
  EXPECT_EQ(a.analysis.layers.scalpZone.pixels, b.analysis.layers.scalpZone.pixels);
}

}  // namespace
}  // namespace smp::vision
