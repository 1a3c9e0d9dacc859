// Placement by thinning a Bridson (2007) Poisson-disk set generated at the field's peak density.
// A first blue-noise pass: good spacing at full density, exact density in expectation.
#include "engine/stipple.h"

#include <algorithm>
#include <cmath>

#include "engine/random.h"

namespace smp::engine {
namespace {

// Maximal Poisson-disk sets reach about 0.65 points per r^2; generating with r^2 = 0.55 / peak
// keeps the candidate density above the peak so thinning never runs short.
constexpr double kRadiusFactor = 0.55;
constexpr int kCandidatesPerActive = 30;

class BackgroundGrid {
 public:
  BackgroundGrid(double width, double height, double cell)
      : m_cell(cell),
        m_cols(std::max(1, static_cast<int>(std::ceil(width / cell)))),
        m_rows(std::max(1, static_cast<int>(std::ceil(height / cell)))),
        m_cells(static_cast<std::size_t>(m_cols) * m_rows, -1) {}

  int cellX(double x) const { return std::clamp(static_cast<int>(x / m_cell), 0, m_cols - 1); }
  int cellY(double y) const { return std::clamp(static_cast<int>(y / m_cell), 0, m_rows - 1); }
  int& at(int cx, int cy) { return m_cells[static_cast<std::size_t>(cy) * m_cols + cx]; }
  int cols() const { return m_cols; }
  int rows() const { return m_rows; }

 private:
  double m_cell;
  int m_cols;
  int m_rows;
  std::vector<int> m_cells;
};

struct Candidate {
  double x;
  double y;
};

std::vector<Candidate> poissonDisk(double width, double height, double radius, Random& rng) {
  // Cell size r / sqrt(2) holds at most one point, so a 5x5 neighbourhood covers radius r.
  BackgroundGrid grid(width, height, radius / std::sqrt(2.0));
  std::vector<Candidate> points;
  std::vector<int> active;
  const double r2 = radius * radius;

  auto fits = [&](double x, double y) {
    if (x < 0 || y < 0 || x >= width || y >= height) return false;
    const int cx = grid.cellX(x);
    const int cy = grid.cellY(y);
    for (int j = std::max(0, cy - 2); j <= std::min(grid.rows() - 1, cy + 2); ++j) {
      for (int i = std::max(0, cx - 2); i <= std::min(grid.cols() - 1, cx + 2); ++i) {
        const int p = grid.at(i, j);
        if (p < 0) continue;
        const double dx = points[static_cast<std::size_t>(p)].x - x;
        const double dy = points[static_cast<std::size_t>(p)].y - y;
        if (dx * dx + dy * dy < r2) return false;
      }
    }
    return true;
  };
  auto add = [&](double x, double y) {
    grid.at(grid.cellX(x), grid.cellY(y)) = static_cast<int>(points.size());
    active.push_back(static_cast<int>(points.size()));
    points.push_back({x, y});
  };

  add(rng.uniform(0, width), rng.uniform(0, height));
  while (!active.empty()) {
    const std::size_t pick = static_cast<std::size_t>(rng.uniform() * active.size());
    const Candidate origin = points[static_cast<std::size_t>(active[pick])];
    bool placed = false;
    for (int k = 0; k < kCandidatesPerActive; ++k) {
      // Uniform in the annulus [r, 2r].
      const double angle = rng.uniform(0, 6.283185307179586);
      const double dist = std::sqrt(rng.uniform(r2, 4 * r2));
      const double x = origin.x + dist * std::cos(angle);
      const double y = origin.y + dist * std::sin(angle);
      if (fits(x, y)) {
        add(x, y);
        placed = true;
        break;
      }
    }
    if (!placed) {
      active[pick] = active.back();
      active.pop_back();
    }
  }
  return points;
}

}  // namespace

std::vector<PlacedPoint> placePoints(const PlacementRequest& request) {
  std::vector<PlacedPoint> out;
  if (request.width <= 0 || request.height <= 0 || request.maxDensityPerPx2 <= 0) return out;
  Random rng(request.seed);
  const double radius = std::sqrt(kRadiusFactor / request.maxDensityPerPx2);
  const double w = request.width;
  const double h = request.height;
  std::vector<Candidate> candidates = poissonDisk(w, h, radius, rng);
  // The candidates' real density, measured rather than predicted, makes the thinning exact.
  const double candidateDensity = static_cast<double>(candidates.size()) / (w * h);
  out.reserve(candidates.size());
  for (const Candidate& c : candidates) {
    const double x = c.x + request.originX;
    const double y = c.y + request.originY;
    const double rank = rng.uniform();
    const double keep = request.density(x, y) / candidateDensity;
    if (rank >= keep) continue;
    const int session = rank < keep / 3.0 ? 1 : (rank < 2.0 * keep / 3.0 ? 2 : 3);
    out.push_back({static_cast<float>(x), static_cast<float>(y), session});
  }
  return out;
}

}  // namespace smp::engine
