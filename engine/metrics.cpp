// Nearest-neighbour search on a uniform grid: O(n) for blue-noise sets.
#include "engine/metrics.h"

#include <algorithm>
#include <cmath>
#include <complex>
#include <limits>

namespace smp::engine {

SpacingStats measureSpacing(const std::vector<Point2>& points, double width, double height,
                            const std::function<double(double, double)>& lambda,
                            double edgeMargin) {
  SpacingStats stats;
  if (points.size() < 2 || width <= 0 || height <= 0) return stats;
  const double cell = std::sqrt(width * height / static_cast<double>(points.size()));
  const int cols = std::max(1, static_cast<int>(std::ceil(width / cell)));
  const int rows = std::max(1, static_cast<int>(std::ceil(height / cell)));
  std::vector<std::vector<int>> grid(static_cast<std::size_t>(cols) * rows);
  auto cellOf = [&](double v, int n) { return std::clamp(static_cast<int>(v / cell), 0, n - 1); };
  for (std::size_t i = 0; i < points.size(); ++i) {
    grid[static_cast<std::size_t>(cellOf(points[i].y, rows)) * cols + cellOf(points[i].x, cols)]
        .push_back(static_cast<int>(i));
  }
  double minN = std::numeric_limits<double>::max();
  double sumN = 0;
  for (std::size_t i = 0; i < points.size(); ++i) {
    const Point2 p = points[i];
    if (p.x < edgeMargin || p.y < edgeMargin || p.x > width - edgeMargin ||
        p.y > height - edgeMargin) {
      continue;
    }
    const double lam = lambda(p.x, p.y);
    if (lam <= 0) continue;
    double best = std::numeric_limits<double>::max();
    const int cx = cellOf(p.x, cols), cy = cellOf(p.y, rows);
    // Grow the search ring until the best distance is provably inside it.
    for (int ring = 1; ring < std::max(cols, rows); ++ring) {
      for (int j = std::max(0, cy - ring); j <= std::min(rows - 1, cy + ring); ++j) {
        for (int k = std::max(0, cx - ring); k <= std::min(cols - 1, cx + ring); ++k) {
          for (int q : grid[static_cast<std::size_t>(j) * cols + k]) {
            if (static_cast<std::size_t>(q) == i) continue;
            const double dx = points[static_cast<std::size_t>(q)].x - p.x;
            const double dy = points[static_cast<std::size_t>(q)].y - p.y;
            best = std::min(best, dx * dx + dy * dy);
          }
        }
      }
      if (best <= (ring * cell) * (ring * cell)) break;
    }
    if (best == std::numeric_limits<double>::max()) continue;
    const double localSpacing = std::sqrt(2.0 / (std::sqrt(3.0) * lam));
    const double n = std::sqrt(best) / localSpacing;
    minN = std::min(minN, n);
    sumN += n;
    ++stats.counted;
  }
  if (stats.counted > 0) {
    stats.gmd = minN;
    stats.amd = sumN / stats.counted;
  }
  return stats;
}

LatticeOrder measureLatticeOrder(const std::vector<Point2>& points, double width, double height,
                                 double edgeMargin) {
  LatticeOrder order;
  if (points.size() < 7) return order;
  const double cell = std::sqrt(width * height / static_cast<double>(points.size()));
  const int cols = std::max(1, static_cast<int>(std::ceil(width / cell)));
  const int rows = std::max(1, static_cast<int>(std::ceil(height / cell)));
  std::vector<std::vector<int>> grid(static_cast<std::size_t>(cols) * rows);
  auto cellOf = [&](double v, int n) { return std::clamp(static_cast<int>(v / cell), 0, n - 1); };
  for (std::size_t i = 0; i < points.size(); ++i) {
    grid[static_cast<std::size_t>(cellOf(points[i].y, rows)) * cols + cellOf(points[i].x, cols)]
        .push_back(static_cast<int>(i));
  }
  std::complex<double> sum(0, 0);
  double localSum = 0;
  int counted = 0;
  std::vector<std::pair<double, int>> near;
  for (std::size_t i = 0; i < points.size(); ++i) {
    const Point2 p = points[i];
    if (p.x < edgeMargin || p.y < edgeMargin || p.x > width - edgeMargin ||
        p.y > height - edgeMargin)
      continue;
    near.clear();
    const int cx = cellOf(p.x, cols), cy = cellOf(p.y, rows);
    for (int j = std::max(0, cy - 2); j <= std::min(rows - 1, cy + 2); ++j) {
      for (int k = std::max(0, cx - 2); k <= std::min(cols - 1, cx + 2); ++k) {
        for (int q : grid[static_cast<std::size_t>(j) * cols + k]) {
          if (static_cast<std::size_t>(q) == i) continue;
          const double dx = points[static_cast<std::size_t>(q)].x - p.x,
                       dy = points[static_cast<std::size_t>(q)].y - p.y;
          near.push_back({dx * dx + dy * dy, q});
        }
      }
    }
    if (near.size() < 6) continue;
    std::partial_sort(near.begin(), near.begin() + 6, near.end());
    std::complex<double> local(0, 0);
    for (int m = 0; m < 6; ++m) {
      const Point2 q = points[static_cast<std::size_t>(near[static_cast<std::size_t>(m)].second)];
      local += std::polar(1.0, 6.0 * std::atan2(q.y - p.y, q.x - p.x));
    }
    local /= 6.0;
    sum += local;
    localSum += std::abs(local);
    ++counted;
  }
  if (counted > 0) {
    order.globalPsi6 = std::abs(sum) / counted;
    order.localPsi6 = localSum / counted;
  }
  return order;
}

}  // namespace smp::engine
