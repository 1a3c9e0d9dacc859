// The head-outline guide the client frames their photo in. What it implies for the engine
// (scalp mask, hairline, scale) is the engine's scalp proposal; this file only places the guide.
#pragma once

#include "engine/scalp_proposal.h"

namespace smp::core {

using HeadGuide = engine::HeadEllipse;

// The guide drawn over a camera frame of width x height: centred, slightly above the middle.
HeadGuide defaultGuide(int width, int height);

}  // namespace smp::core
