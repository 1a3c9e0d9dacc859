// Tile placement. The tile is bucketed into cells once; a render visits only the cells of each
// tile copy that overlap the window, so the cost follows the window, not the tile.
#include "engine/stipple.h"

#include <algorithm>
#include <cmath>

#include "engine/random.h"
#include "engine/tile/bluenoise_tile.h"

namespace smp::engine {
namespace {

constexpr int kCells = 64;  // per tile side: ~16 points per cell

// The share of the finished result's impressions in place after sessions 1, 2 and 3 (nested:
// each session keeps the earlier ones' dots and fills between them). Session 1 is light and
// sparse (../shared/DOMAIN.md); clinics describe the second as doing most of the building, the
// third as refining. The darkening follows the count almost linearly (smp-preview-eval: equal
// thirds gave 0.33-0.35 and 0.64-0.68 of session 3's tone), so these put sessions 1 and 2 at
// about 40 % and 75 % of the finished tone.
constexpr double kSessionShare[3] = {0.40, 0.75, 1.0};

struct TilePoint {
  std::uint16_t x;
  std::uint16_t y;
  std::uint32_t rank;
};

struct BucketedTile {
  std::vector<TilePoint> points;     // grouped by cell, rank ascending inside a cell
  std::vector<std::uint32_t> start;  // kCells * kCells + 1 offsets
};

const BucketedTile& bucketedTile() {
  static const BucketedTile tile = [] {
    BucketedTile t;
    const int n = tile::kTilePointCount;
    std::vector<std::uint32_t> counts(kCells * kCells, 0);
    auto cellOf = [](std::uint16_t x, std::uint16_t y) { return (y >> 10) * kCells + (x >> 10); };
    for (int i = 0; i < n; ++i)
      ++counts[static_cast<std::size_t>(
          cellOf(tile::kTilePoints[2 * i], tile::kTilePoints[2 * i + 1]))];
    t.start.assign(kCells * kCells + 1, 0);
    for (int c = 0; c < kCells * kCells; ++c)
      t.start[static_cast<std::size_t>(c) + 1] =
          t.start[static_cast<std::size_t>(c)] + counts[static_cast<std::size_t>(c)];
    t.points.resize(static_cast<std::size_t>(n));
    std::vector<std::uint32_t> fill(t.start.begin(), t.start.end() - 1);
    for (int i = 0; i < n; ++i) {  // i ascends, so each cell stays in rank order
      const std::uint16_t x = tile::kTilePoints[2 * i], y = tile::kTilePoints[2 * i + 1];
      t.points[fill[static_cast<std::size_t>(cellOf(x, y))]++] = {x, y,
                                                                  static_cast<std::uint32_t>(i)};
    }
    return t;
  }();
  return tile;
}

std::uint32_t mix(std::uint64_t v) {
  v ^= v >> 33;
  v *= 0xFF51AFD7ED558CCDull;
  v ^= v >> 33;
  v *= 0xC4CEB9FE1A85EC53ull;
  v ^= v >> 33;
  return static_cast<std::uint32_t>(v);
}

}  // namespace

double tileSideMm(double densityPerMm2) {
  return std::sqrt(static_cast<double>(tile::kTilePointCount) / densityPerMm2);
}

std::vector<PlacedPoint> placePoints(const PlacementRequest& r) {
  std::vector<PlacedPoint> out;
  const CoverageField& f = r.field;
  if (r.x1 <= r.x0 || r.y1 <= r.y0 || r.pxPerMm <= 0 || r.densityPerMm2 <= 0 || f.width <= 0)
    return out;
  const BucketedTile& tile = bucketedTile();
  const double n = tile::kTilePointCount;
  const double sidePx = tileSideMm(r.densityPerMm2) * r.pxPerMm;
  const double unit = sidePx / 65536.0;
  // The seed moves the tile, so different seeds give different (equally good) patterns.
  Random rng(r.seed);
  const double offX = rng.uniform() * sidePx, offY = rng.uniform() * sidePx;
  const double stage = kSessionShare[std::clamp(r.sessionStage, 1, 3) - 1];
  const double cellPx = sidePx / kCells;
  const int tx0 = static_cast<int>(std::floor((r.x0 - offX) / sidePx));
  const int tx1 = static_cast<int>(std::floor((r.x1 - offX) / sidePx));
  const int ty0 = static_cast<int>(std::floor((r.y0 - offY) / sidePx));
  const int ty1 = static_cast<int>(std::floor((r.y1 - offY) / sidePx));
  out.reserve(static_cast<std::size_t>((r.x1 - r.x0) * (r.y1 - r.y0) * r.densityPerMm2 /
                                       (r.pxPerMm * r.pxPerMm) * stage) +
              64);
  const float x0 = static_cast<float>(r.x0), x1 = static_cast<float>(r.x1);
  const float y0 = static_cast<float>(r.y0), y1 = static_cast<float>(r.y1);

  for (int ty = ty0; ty <= ty1; ++ty) {
    const double baseY = offY + ty * sidePx;
    const int cy0 = std::max(0, static_cast<int>((r.y0 - baseY) / cellPx));
    const int cy1 = std::min(kCells - 1, static_cast<int>((r.y1 - baseY) / cellPx));
    for (int tx = tx0; tx <= tx1; ++tx) {
      if (r.cancel && r.cancel->load(std::memory_order_relaxed)) return {};
      const double baseX = offX + tx * sidePx;
      const int cx0 = std::max(0, static_cast<int>((r.x0 - baseX) / cellPx));
      const int cx1 = std::min(kCells - 1, static_cast<int>((r.x1 - baseX) / cellPx));
      const std::uint64_t copyId =
          (static_cast<std::uint64_t>(static_cast<std::uint32_t>(tx)) << 32) ^
          static_cast<std::uint32_t>(ty);
      for (int cy = cy0; cy <= cy1; ++cy) {
        for (int cx = cx0; cx <= cx1; ++cx) {
          const std::size_t c = static_cast<std::size_t>(cy * kCells + cx);
          for (std::uint32_t k = tile.start[c]; k < tile.start[c + 1]; ++k) {
            const TilePoint& p = tile.points[k];
            const float px = static_cast<float>(baseX + p.x * unit);
            const float py = static_cast<float>(baseY + p.y * unit);
            if (px < x0 || px >= x1 || py < y0 || py >= y1) continue;
            const int ix = static_cast<int>(px), iy = static_cast<int>(py);
            const std::size_t pix =
                static_cast<std::size_t>(iy) * static_cast<std::size_t>(f.width) +
                static_cast<std::size_t>(ix);
            float coverage = 1.0f;
            if (f.mask) {
              if (f.mask[pix] == 0) continue;
              coverage *= f.mask[pix] * (1.0f / 255.0f);
            }
            if (f.densityMap) coverage *= f.densityMap[pix] * (1.0f / 255.0f);
            const std::uint32_t id = mix(copyId * 0x9E3779B97F4A7C15ull + p.rank);
            // A marked pixel escapes the hairline with its value's probability (from the
            // impression's identity), so a soft-edged mark has a dithered, not a hard, edge.
            const bool unbounded =
                f.marked && f.marked[pix] > 0 && f.marked[pix] >= ((id >> 8) & 0xFF);
            if (f.hairlineY && !unbounded) {
              float behind = f.hairlineY[ix] - py;
              // Micro irregularity: each impression sees the line a little higher or lower.
              behind += f.microIrregularityPx *
                        (static_cast<float>(id & 0xFFFF) * (2.0f / 65535.0f) - 1.0f);
              if (behind <= 0) continue;  // in front of the line: the forehead stays clear
              const float ramp = f.transitionPx / 0.8f;
              if (ramp > 0 && behind < ramp) coverage *= behind / ramp;
            }
            const double limit = coverage * n;
            const double rank = p.rank;
            if (rank >= limit * stage) continue;
            const int session =
                rank < limit * kSessionShare[0] ? 1 : (rank < limit * kSessionShare[1] ? 2 : 3);
            out.push_back({px, py, session, id});
          }
        }
      }
    }
  }
  return out;
}

}  // namespace smp::engine
