// Shapes: a head of hair, then bare-scalp patches on top: temple recession, frontal retreat,
// a crown spot, the bridge between them disappearing; for Ludwig a widening central thinning.
#include "app/ui/loss_icons.h"

#include <imgui.h>

#include <cmath>
#include <vector>

namespace smp::ui {
namespace {

const ImU32 kHair = IM_COL32(74, 58, 48, 255);
const ImU32 kSkin = IM_COL32(232, 196, 170, 255);
const ImU32 kThin = IM_COL32(190, 150, 125, 255);  // skin showing through thinning hair
const ImU32 kOutline = IM_COL32(60, 60, 66, 255);

void ellipse(ImDrawList* dl, ImVec2 c, float rx, float ry, ImU32 colour) {
  std::vector<ImVec2> pts;
  for (int i = 0; i < 40; ++i) {
    const float a = 6.2831853f * static_cast<float>(i) / 40.0f;
    pts.emplace_back(c.x + rx * std::cos(a), c.y + ry * std::sin(a));
  }
  dl->AddConvexPolyFilled(pts.data(), static_cast<int>(pts.size()), colour);
}

}  // namespace

void drawLossIcon(ImDrawList* dl, const ImVec2& c, float size, const std::string& stage) {
  const float rx = size * 0.36f, ry = size * 0.44f;
  ellipse(dl, c, rx + 3, ry + 3, kOutline);
  ellipse(dl, c, rx, ry, kHair);
  const int n = stage.back() - '0';
  auto at = [&](float fx, float fy) { return ImVec2(c.x + fx * rx, c.y + fy * ry); };
  if (stage.rfind("norwood", 0) == 0) {
    // Temples recede from stage 2; the front retreats from 3; a crown spot appears at 4.
    const float temple = n <= 1 ? 0.12f : 0.12f + 0.09f * static_cast<float>(std::min(n, 5) - 1);
    for (float side : {-1.0f, 1.0f})
      ellipse(dl, at(side * 0.55f, -0.92f), rx * temple * 1.6f, ry * (temple + 0.05f), kSkin);
    if (n >= 3)
      ellipse(dl, at(0, -0.95f), rx * (0.25f + 0.1f * static_cast<float>(n - 3)),
              ry * (0.08f + 0.07f * static_cast<float>(n - 3)), kSkin);
    if (n >= 4)
      ellipse(dl, at(0, 0.35f), rx * (0.12f + 0.06f * static_cast<float>(n - 4)),
              ry * (0.10f + 0.05f * static_cast<float>(n - 4)), kSkin);
    if (n >= 6)
      ellipse(dl, at(0, -0.25f), rx * (0.45f + 0.08f * static_cast<float>(n - 6)),
              ry * (0.62f + 0.08f * static_cast<float>(n - 6)), kSkin);
    if (n >= 5) ellipse(dl, at(0, -0.45f), rx * 0.45f, ry * 0.35f, kSkin);
  } else {
    // Ludwig: the centre part widens into diffuse thinning; the frontal line stays.
    ellipse(dl, at(0, -0.1f), rx * (0.18f + 0.17f * static_cast<float>(n - 1)),
            ry * (0.40f + 0.15f * static_cast<float>(n - 1)), kThin);
    if (n >= 2)
      ellipse(dl, at(0, -0.1f), rx * (0.08f + 0.14f * static_cast<float>(n - 2)),
              ry * (0.30f + 0.15f * static_cast<float>(n - 2)), kSkin);
    dl->AddLine(at(0, -0.95f), at(0, 0.6f), kSkin, 3.0f);
  }
}

}  // namespace smp::ui
