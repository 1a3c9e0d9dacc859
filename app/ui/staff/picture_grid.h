// Where the record detail screen puts its pictures (front photo, its preview, the top photo, its
// preview, the signature): a grid of equally wide tiles, each with a caption under it, that
// always fits the room left of the answers and above the bottom row of buttons, however many
// pictures a record has. Pure arithmetic, so it is tested without a window.
#pragma once

#include <vector>

#include "app/ui/tap_targets.h"

namespace smp::ui {

struct PictureGridRoom {
  float x = 0, y = 0, width = 0, height = 0;
  float gap = 16;        // between tiles, both ways
  float captionH = 40;   // the caption's line under each picture
  float maxTileW = 400;  // a tile never grows past this, however few pictures
  float maxTileH = 300;
};

struct PictureSize {
  int width = 0, height = 0;
};

// One rectangle per picture, in reading order, for pictures of the given pixel sizes: each
// picture scaled without distortion to its tile, at the tile's top left, its caption to go
// right under it. A row is as tall as its tallest picture; the tiles are the widest that fit
// every picture in 1 to 3 columns. An empty list when nothing fits.
std::vector<Rect> layoutPictureGrid(const std::vector<PictureSize>& pictures,
                                    const PictureGridRoom& room);

}  // namespace smp::ui
