#include "app/ui/staff/picture_grid.h"

#include <algorithm>

namespace smp::ui {

namespace {

// Height per unit of width of the tallest picture in each row of `columns`.
std::vector<float> rowAspects(const std::vector<PictureSize>& pictures, int columns) {
  std::vector<float> rows((pictures.size() + static_cast<size_t>(columns) - 1) /
                          static_cast<size_t>(columns));
  for (size_t i = 0; i < pictures.size(); ++i) {
    const PictureSize& p = pictures[i];
    const float aspect = p.width > 0 && p.height > 0
                             ? static_cast<float>(p.height) / static_cast<float>(p.width)
                             : 0.0f;
    float& row = rows[i / static_cast<size_t>(columns)];
    row = std::max(row, aspect);
  }
  return rows;
}

}  // namespace

std::vector<Rect> layoutPictureGrid(const std::vector<PictureSize>& pictures,
                                    const PictureGridRoom& room) {
  if (pictures.empty()) return {};
  // Every tile in the grid is as wide as the others; each row is as tall as its tallest
  // picture, so the wide signature takes a low row and leaves the photos their height. The
  // column count that gives the widest tiles wins (more columns on a tie: fewer rows to scan).
  int bestColumns = 0;
  float bestW = 0;
  for (int columns = 1; columns <= 3; ++columns) {
    const std::vector<float> rows = rowAspects(pictures, columns);
    float aspects = 0;
    for (float a : rows) aspects += a;
    const float n = static_cast<float>(rows.size());
    const float forPictures = room.height - n * room.captionH - (n - 1) * room.gap;
    float w = std::min(room.maxTileW, (room.width - static_cast<float>(columns - 1) * room.gap) /
                                          static_cast<float>(columns));
    if (aspects > 0) w = std::min(w, forPictures / aspects);
    if (w >= 1 && w >= bestW - 0.5f) {
      bestColumns = columns;
      bestW = w;
    }
  }
  if (bestColumns == 0) return {};
  const std::vector<float> rows = rowAspects(pictures, bestColumns);
  std::vector<Rect> out;
  out.reserve(pictures.size());
  float rowY = room.y;
  for (size_t i = 0; i < pictures.size(); ++i) {
    const size_t column = i % static_cast<size_t>(bestColumns);
    const size_t row = i / static_cast<size_t>(bestColumns);
    const float rowH = std::min(room.maxTileH, bestW * rows[row]);
    const PictureSize& p = pictures[i];
    const float scale = p.width > 0 && p.height > 0 ? std::min(bestW / static_cast<float>(p.width),
                                                               rowH / static_cast<float>(p.height))
                                                    : 0.0f;
    out.push_back({room.x + static_cast<float>(column) * (bestW + room.gap), rowY,
                   static_cast<float>(p.width) * scale, static_cast<float>(p.height) * scale});
    if (column + 1 == static_cast<size_t>(bestColumns)) rowY += rowH + room.captionH + room.gap;
  }
  return out;
}

}  // namespace smp::ui
