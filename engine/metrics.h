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

// Hexatic bond order psi6 over each point's 6 nearest neighbours: a hexagonal lattice scores
// |global| = 1; blue noise has |global| near 0 (no shared orientation) and a modest local value.
struct LatticeOrder {
  double globalPsi6 = 0;  // |mean of local psi6|: long-range lattice order
  double localPsi6 = 0;   // mean of |local psi6|: how hexagonal each neighbourhood is
};
LatticeOrder measureLatticeOrder(const std::vector<Point2>& points, double width, double height,
                                 double edgeMargin);

}  // namespace smp::engine
