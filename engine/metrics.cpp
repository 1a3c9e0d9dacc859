// Nearest-neighbour search on a uniform grid: O(n) for blue-noise sets.
#include "engine/metrics.h"

#include <algorithm>
#include <cmath>
#include <complex>
#include <limits>

namespace smp::engine {
namespace {

// Points bucketed into square cells of about one mean spacing, so each point's neighbours are
// found in the few cells around it.
class PointGrid {
 public:
  PointGrid(const std::vector<Point2>& points, double width, double height)
      : m_points(points),
        m_cell(std::sqrt(width * height / static_cast<double>(points.size()))),
        m_cols(std::max(1, static_cast<int>(std::ceil(width / m_cell)))),
        m_rows(std::max(1, static_cast<int>(std::ceil(height / m_cell)))),
        m_cells(static_cast<std::size_t>(m_cols) * m_rows) {
    for (std::size_t i = 0; i < points.size(); ++i)
      m_cells[index(column(points[i].x), row(points[i].y))].push_back(static_cast<int>(i));
  }

  double cell() const { return m_cell; }
  int maxRing() const { return std::max(m_cols, m_rows); }

  // Calls visit(squaredDistance, q) for every other point within `ring` cells of point i.
  template <typename Visit>
  void forEachNear(std::size_t i, int ring, Visit visit) const {
    const Point2 p = m_points[i];
    const int cx = column(p.x), cy = row(p.y);
    for (int j = std::max(0, cy - ring); j <= std::min(m_rows - 1, cy + ring); ++j) {
      for (int k = std::max(0, cx - ring); k <= std::min(m_cols - 1, cx + ring); ++k) {
        for (int q : m_cells[index(k, j)]) {
          if (static_cast<std::size_t>(q) == i) continue;
          const double dx = m_points[static_cast<std::size_t>(q)].x - p.x;
          const double dy = m_points[static_cast<std::size_t>(q)].y - p.y;
          visit(dx * dx + dy * dy, q);
        }
      }
    }
  }

 private:
  int column(double x) const { return std::clamp(static_cast<int>(x / m_cell), 0, m_cols - 1); }
  int row(double y) const { return std::clamp(static_cast<int>(y / m_cell), 0, m_rows - 1); }
  std::size_t index(int col, int row) const { return static_cast<std::size_t>(row) * m_cols + col; }

  const std::vector<Point2>& m_points;
  double m_cell;
  int m_cols, m_rows;
  std::vector<std::vector<int>> m_cells;
};

// Points nearer the border than `margin` have neighbours cut off, so the metrics skip them.
bool insideMargin(Point2 p, double width, double height, double margin) {
  return p.x >= margin && p.y >= margin && p.x <= width - margin && p.y <= height - margin;
}

}  // namespace

SpacingStats measureSpacing(const std::vector<Point2>& points, double width, double height,
                            const std::function<double(double, double)>& lambda,
                            double edgeMargin) {
  SpacingStats stats;
  if (points.size() < 2 || width <= 0 || height <= 0) return stats;
  const PointGrid grid(points, width, height);
  double minN = std::numeric_limits<double>::max();
  double sumN = 0;
  for (std::size_t i = 0; i < points.size(); ++i) {
    const Point2 p = points[i];
    if (!insideMargin(p, width, height, edgeMargin)) continue;
    const double lam = lambda(p.x, p.y);
    if (lam <= 0) continue;
    double best = std::numeric_limits<double>::max();
    // Grow the search ring until the best distance is provably inside it.
    for (int ring = 1; ring < grid.maxRing(); ++ring) {
      grid.forEachNear(i, ring, [&](double d2, int) { best = std::min(best, d2); });
      if (best <= (ring * grid.cell()) * (ring * grid.cell())) break;
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
  const PointGrid grid(points, width, height);
  std::complex<double> sum(0, 0);
  double localSum = 0;
  int counted = 0;
  std::vector<std::pair<double, int>> near;
  for (std::size_t i = 0; i < points.size(); ++i) {
    const Point2 p = points[i];
    if (!insideMargin(p, width, height, edgeMargin)) continue;
    near.clear();
    grid.forEachNear(i, 2, [&](double d2, int q) { near.push_back({d2, q}); });
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
