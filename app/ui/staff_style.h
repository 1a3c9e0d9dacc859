// Shared sizes and colours of the staff screens (high contrast, targets of at least 60 px).
#pragma once

#include <imgui.h>

namespace smp::ui::staff_style {

inline constexpr float kMargin = 50.0f;
inline const ImVec4 kPrimary(0.08f, 0.32f, 0.30f, 1.0f);  // deep teal: 9.6:1 against white
inline const ImVec4 kMuted(0.30f, 0.32f, 0.36f, 1.0f);    // 8:1 on the background
inline const ImVec4 kWarn(0.55f, 0.16f, 0.05f, 1.0f);

}  // namespace smp::ui::staff_style
