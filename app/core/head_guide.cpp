// Guide geometry.
#include "app/core/head_guide.h"

namespace smp::core {

HeadGuide defaultGuide(int width, int height) {
  const double ry = 0.40 * height;
  return {0.5 * width, 0.47 * height, ry * 0.74, ry};
}

}  // namespace smp::core
