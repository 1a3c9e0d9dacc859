// Point-set quality metrics used by tests and benchmarks (Lagae & Dutre 2008).
#pragma once

#include <functional>
#include <vector>

namespace smp::engine {

struct Point2 {
  double x;
  double y;
};

struct SpacingStats {
  double gmd = 0;  // minimum normalized nearest-neighbour distance
  double amd = 0;  // mean normalized nearest-neighbour distance
  int counted = 0;
};

// Nearest-neighbour spacing normalised by the local hexagonal spacing sqrt(2 / (sqrt(3) lambda)).
// Points within edgeMargin of the window are left out (their neighbours may lie outside).
SpacingStats measureSpacing(const std::vector<Point2>& points, double width, double height,
                            const std::function<double(double, double)>& lambda, double edgeMargin);

}  // namespace smp::engine
