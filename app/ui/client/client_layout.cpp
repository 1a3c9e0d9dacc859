#include "app/ui/client/client_layout.h"

#include <cmath>

namespace smp::ui::client_layout {

void drawGuide(ImDrawList* dl, const core::HeadGuide& g, float x, float y, float scale) {
  constexpr int kSegments = 96;
  ImVec2 points[kSegments];
  for (int i = 0; i < kSegments; ++i) {
    const double a = 2.0 * 3.14159265358979 * i / kSegments;
    points[i] = ImVec2(x + static_cast<float>(g.centerX + g.radiusX * std::cos(a)) * scale,
                       y + static_cast<float>(g.centerY + g.radiusY * std::sin(a)) * scale);
  }
  dl->AddPolyline(points, kSegments, IM_COL32(255, 255, 255, 230), ImDrawFlags_Closed, 6.0f);
}

}  // namespace smp::ui::client_layout
