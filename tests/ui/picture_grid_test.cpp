// The record detail screen's picture grid: every picture a record can have fits whole.
#include "app/ui/staff/picture_grid.h"

#include <gtest/gtest.h>

namespace smp::ui {
namespace {

PictureGridRoom detailRoom() {
  PictureGridRoom room;
  room.x = 50;
  room.y = 120;
  room.width = 800;
  room.height = 810;  // down to the bottom row of buttons on a 1080-high screen
  room.captionH = 40;
  return room;
}

void expectAllInside(const std::vector<Rect>& tiles, const PictureGridRoom& room) {
  for (size_t i = 0; i < tiles.size(); ++i) {
    const Rect& t = tiles[i];
    EXPECT_GE(t.x, room.x) << i;
    EXPECT_GE(t.y, room.y) << i;
    EXPECT_LE(t.x + t.w, room.x + room.width + 0.01f) << i;
    EXPECT_LE(t.y + t.h + room.captionH, room.y + room.height + 0.01f) << i << ": caption too";
    for (size_t j = i + 1; j < tiles.size(); ++j) {
      const Rect withCaption{t.x, t.y, t.w, t.h + room.captionH};
      EXPECT_FALSE(overlaps(withCaption, tiles[j])) << i << " and " << j;
    }
  }
}

TEST(PictureGrid, FrontTopTheirPreviewsAndTheSignatureAllFitWhole) {
  const PictureGridRoom room = detailRoom();
  const std::vector<PictureSize> five = {
      {1280, 960}, {1280, 960}, {1280, 960}, {1280, 960}, {900, 300}};
  const std::vector<Rect> tiles = layoutPictureGrid(five, room);
  ASSERT_EQ(tiles.size(), 5u);
  expectAllInside(tiles, room);
  for (size_t i = 0; i < 4; ++i) {
    EXPECT_NEAR(tiles[i].w / tiles[i].h, 4.0f / 3.0f, 0.01f) << "not stretched";
    EXPECT_GE(tiles[i].w, 340) << "a photo staff can still judge";
  }
  EXPECT_LT(tiles[4].h, 0.5f * tiles[0].h) << "the signature's row is only as tall as it";
  EXPECT_NEAR(tiles[4].w / tiles[4].h, 3.0f, 0.01f);
}

TEST(PictureGrid, FewPicturesKeepTheirFullSizeInTwoColumns) {
  const PictureGridRoom room = detailRoom();
  const std::vector<Rect> tiles = layoutPictureGrid({{1280, 960}, {1280, 960}, {900, 300}}, room);
  ASSERT_EQ(tiles.size(), 3u);
  expectAllInside(tiles, room);
  EXPECT_FLOAT_EQ(tiles[0].w, (room.width - room.gap) / 2) << "half the column each";
  EXPECT_FLOAT_EQ(tiles[1].x, tiles[0].x + tiles[0].w + room.gap) << "side by side";
  EXPECT_GT(tiles[2].y, tiles[0].y + tiles[0].h) << "the signature on the next row";
}

TEST(PictureGrid, AWideRoomNeverBlowsAPictureUpPastItsCap) {
  PictureGridRoom room = detailRoom();
  room.width = 1800;
  const std::vector<Rect> tiles = layoutPictureGrid({{1280, 960}, {1280, 960}}, room);
  ASSERT_EQ(tiles.size(), 2u);
  EXPECT_FLOAT_EQ(tiles[0].w, room.maxTileW);
  EXPECT_FLOAT_EQ(tiles[0].h, room.maxTileH);
  EXPECT_FLOAT_EQ(tiles[1].y, tiles[0].y) << "side by side when either way fits";
}

TEST(PictureGrid, ALowRoomGetsSmallerTilesNeverPicturesPastItsBottom) {
  PictureGridRoom room = detailRoom();
  room.height = 400;  // the erase warning takes the bottom of the column
  const std::vector<Rect> tiles =
      layoutPictureGrid({{1280, 960}, {1280, 960}, {1280, 960}, {1280, 960}, {900, 300}}, room);
  ASSERT_EQ(tiles.size(), 5u);
  expectAllInside(tiles, room);
}

TEST(PictureGrid, NoRoomOrNoPicturesGivesNothingToDraw) {
  PictureGridRoom room = detailRoom();
  EXPECT_TRUE(layoutPictureGrid({}, room).empty());
  room.height = 60;  // not even one row of captions and pictures
  EXPECT_TRUE(
      layoutPictureGrid({{1280, 960}, {1280, 960}, {1280, 960}, {1280, 960}}, room).empty());
  room = detailRoom();
  const std::vector<Rect> broken = layoutPictureGrid({{0, 0}, {1280, 960}}, room);
  ASSERT_EQ(broken.size(), 2u);
  EXPECT_EQ(broken[0].w, 0) << "an image with no pixels takes its tile but draws nothing";
}

}  // namespace
}  // namespace smp::ui
