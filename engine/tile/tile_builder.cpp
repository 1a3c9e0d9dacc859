// The three build steps of the progressive tile; see tile_builder.h.
#include "engine/tile/tile_builder.h"

#include <algorithm>
#include <cmath>
#include <queue>

#include "engine/random.h"

namespace smp::engine::tile {
namespace {

double wrap(double v) { return v - std::floor(v); }

double wrappedDelta(double d) {
  if (d > 0.5) return d - 1.0;
  if (d < -0.5) return d + 1.0;
  return d;
}

double torusDist2(UnitPoint a, UnitPoint b) {
  const double dx = wrappedDelta(a.x - b.x), dy = wrappedDelta(a.y - b.y);
  return dx * dx + dy * dy;
}

// Buckets points into a G x G toroidal grid.
class TorusGrid {
 public:
  TorusGrid(const std::vector<UnitPoint>& points, int cells)
      : m_cells(std::max(1, cells)), m_buckets(static_cast<std::size_t>(m_cells) * m_cells) {
    for (std::size_t i = 0; i < points.size(); ++i) {
      m_buckets[index(cellOf(points[i].x), cellOf(points[i].y))].push_back(static_cast<int>(i));
    }
  }
  int cells() const { return m_cells; }
  int cellOf(double v) const { return std::min(m_cells - 1, static_cast<int>(v * m_cells)); }
  const std::vector<int>& bucket(int cx, int cy) const {
    return m_buckets[index(((cx % m_cells) + m_cells) % m_cells,
                           ((cy % m_cells) + m_cells) % m_cells)];
  }

 private:
  std::size_t index(int cx, int cy) const { return static_cast<std::size_t>(cy) * m_cells + cx; }
  int m_cells;
  std::vector<std::vector<int>> m_buckets;
};

std::vector<UnitPoint> poissonDiskTorus(double radius, int candidates, Random& rng) {
  const int cells = static_cast<int>(std::floor(std::sqrt(2.0) / radius));
  std::vector<int> grid(static_cast<std::size_t>(cells) * cells, -1);
  auto cellIndex = [&](UnitPoint p) {
    const int cx = std::min(cells - 1, static_cast<int>(p.x * cells));
    const int cy = std::min(cells - 1, static_cast<int>(p.y * cells));
    return std::pair{cx, cy};
  };
  std::vector<UnitPoint> points;
  std::vector<int> active;
  const double r2 = radius * radius;
  auto fits = [&](UnitPoint p) {
    const auto [cx, cy] = cellIndex(p);
    for (int j = -2; j <= 2; ++j) {
      for (int i = -2; i <= 2; ++i) {
        const int q = grid[static_cast<std::size_t>(((cy + j + cells) % cells) * cells +
                                                    (cx + i + cells) % cells)];
        if (q >= 0 && torusDist2(points[static_cast<std::size_t>(q)], p) < r2) return false;
      }
    }
    return true;
  };
  auto add = [&](UnitPoint p) {
    const auto [cx, cy] = cellIndex(p);
    grid[static_cast<std::size_t>(cy * cells + cx)] = static_cast<int>(points.size());
    active.push_back(static_cast<int>(points.size()));
    points.push_back(p);
  };
  add({rng.uniform(), rng.uniform()});
  while (!active.empty()) {
    const std::size_t pick =
        static_cast<std::size_t>(rng.uniform() * static_cast<double>(active.size()));
    const UnitPoint origin = points[static_cast<std::size_t>(active[pick])];
    bool placed = false;
    for (int k = 0; k < candidates && !placed; ++k) {
      const double angle = rng.uniform(0, 6.283185307179586);
      const double dist = std::sqrt(rng.uniform(r2, 4 * r2));
      const UnitPoint p{wrap(origin.x + dist * std::cos(angle)),
                        wrap(origin.y + dist * std::sin(angle))};
      if (fits(p)) {
        add(p);
        placed = true;
      }
    }
    if (!placed) {
      active[pick] = active.back();
      active.pop_back();
    }
  }
  return points;
}

void relax(std::vector<UnitPoint>& points, const TileBuildOptions& o) {
  const double n = static_cast<double>(points.size());
  const double spacing = std::sqrt(2.0 / (std::sqrt(3.0) * n));
  const double reach = o.relaxReach * spacing;
  std::vector<UnitPoint> push(points.size());
  for (int it = 0; it < o.relaxIterations; ++it) {
    const TorusGrid grid(points, static_cast<int>(1.0 / reach));
    std::fill(push.begin(), push.end(), UnitPoint{0, 0});
    for (std::size_t i = 0; i < points.size(); ++i) {
      const int cx = grid.cellOf(points[i].x), cy = grid.cellOf(points[i].y);
      for (int j = -1; j <= 1; ++j) {
        for (int k = -1; k <= 1; ++k) {
          for (int q : grid.bucket(cx + k, cy + j)) {
            if (static_cast<std::size_t>(q) == i) continue;
            const double dx = wrappedDelta(points[i].x - points[static_cast<std::size_t>(q)].x);
            const double dy = wrappedDelta(points[i].y - points[static_cast<std::size_t>(q)].y);
            const double d = std::sqrt(dx * dx + dy * dy);
            if (d >= reach || d == 0) continue;
            const double w = (1 - d / reach) * (1 - d / reach);
            push[i].x += dx / d * w;
            push[i].y += dy / d * w;
          }
        }
      }
    }
    for (std::size_t i = 0; i < points.size(); ++i) {
      points[i].x = wrap(points[i].x + o.relaxStep * spacing * push[i].x);
      points[i].y = wrap(points[i].y + o.relaxStep * spacing * push[i].y);
    }
  }
}

std::vector<UnitPoint> farthestPointOrder(const std::vector<UnitPoint>& points) {
  const std::size_t n = points.size();
  const TorusGrid grid(points, static_cast<int>(std::sqrt(static_cast<double>(n) / 2.0)));
  std::vector<double> nearest(n, 1e9);
  std::vector<char> taken(n, 0);
  std::priority_queue<std::pair<double, int>> heap;  // lazy: stale entries are skipped
  std::vector<UnitPoint> ordered;
  ordered.reserve(n);
  int current = 0;
  for (std::size_t k = 0; k < n; ++k) {
    taken[static_cast<std::size_t>(current)] = 1;
    const UnitPoint p = points[static_cast<std::size_t>(current)];
    ordered.push_back(p);
    // Only points nearer to p than their current nearest distance change; that distance is at
    // most the largest one left, so the search radius shrinks as the prefix fills in.
    const double reach = heap.empty() ? 1.0 : std::min(0.71, std::sqrt(heap.top().first));
    const int rings = static_cast<int>(std::ceil(reach * grid.cells()));
    const int cx = grid.cellOf(p.x), cy = grid.cellOf(p.y);
    auto visit = [&](int q) {
      if (taken[static_cast<std::size_t>(q)]) return;
      const double d = torusDist2(points[static_cast<std::size_t>(q)], p);
      if (d < nearest[static_cast<std::size_t>(q)]) {
        nearest[static_cast<std::size_t>(q)] = d;
        heap.push({d, q});
      }
    };
    if (2 * rings + 1 >= grid.cells()) {
      for (std::size_t q = 0; q < n; ++q) visit(static_cast<int>(q));
    } else {
      for (int j = -rings; j <= rings; ++j) {
        for (int i = -rings; i <= rings; ++i) {
          for (int q : grid.bucket(cx + i, cy + j)) visit(q);
        }
      }
    }
    while (!heap.empty() &&
           (taken[static_cast<std::size_t>(heap.top().second)] ||
            heap.top().first != nearest[static_cast<std::size_t>(heap.top().second)])) {
      heap.pop();
    }
    if (heap.empty()) break;
    current = heap.top().second;
  }
  return ordered;
}

}  // namespace

std::vector<UnitPoint> buildProgressiveTile(const TileBuildOptions& options) {
  Random rng(options.seed);
  // A maximal Poisson-disk set holds about 0.69 / r^2 points.
  const double radius = std::sqrt(0.69 / options.targetPoints);
  std::vector<UnitPoint> points = poissonDiskTorus(radius, options.bridsonCandidates, rng);
  relax(points, options);
  return farthestPointOrder(points);
}

}  // namespace smp::engine::tile
