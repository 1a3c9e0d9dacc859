// The sizes and colours every client screen shares (a 1920 x 1080 layout; every target is at
// least 60 px tall), and the swatches and drawings more than one screen uses.
#pragma once

#include <imgui.h>

#include <chrono>

#include "app/core/head_guide.h"
#include "app/ui/widgets.h"

namespace smp::ui::client_layout {

inline constexpr float kMargin = 60.0f;
inline constexpr float kTop = 200.0f;
inline constexpr float kFooterH = 100.0f;
inline constexpr float kPhotoW = 840.0f, kPhotoH = 630.0f;  // the camera and the preview
inline constexpr auto kCountdown = std::chrono::seconds(3);
using palette::kMuted;
using palette::kPrimary;
inline const ImVec4& kError = palette::kWarn;  // 7:1 on the background
inline const ImVec4& kHint = palette::kWarn;

// The head-outline guide over the camera picture, in photo pixels scaled to the screen.
void drawGuide(ImDrawList* dl, const core::HeadGuide& g, float x, float y, float scale);

}  // namespace smp::ui::client_layout
