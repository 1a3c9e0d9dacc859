// Recall and precision of a segmentation against ground truth, for the vision tests.
#pragma once

#include <limits>

#include "engine/image.h"

namespace smp::vision {

struct Overlap {
  double recall = 0, precision = 0;
};

// Pixels above 128 in `found` against those above 128 in `truth`, counted in the rows above
// `aboveRow` and, when given, where `within` is above 128.
inline Overlap overlap(const engine::GrayImage& truth, const engine::GrayImage& found,
                       const engine::GrayImage* within = nullptr,
                       int aboveRow = std::numeric_limits<int>::max()) {
  long tp = 0, fp = 0, fn = 0;
  for (int y = 0; y < truth.height && y < aboveRow; ++y) {
    for (int x = 0; x < truth.width; ++x) {
      if (within && within->at(x, y) < 128) continue;
      const bool t = truth.at(x, y) > 128, f = found.at(x, y) > 128;
      tp += t && f;
      fp += !t && f;
      fn += t && !f;
    }
  }
  return {tp + fn ? static_cast<double>(tp) / (tp + fn) : 1.0,
          tp + fp ? static_cast<double>(tp) / (tp + fp) : 1.0};
}

}  // namespace smp::vision
