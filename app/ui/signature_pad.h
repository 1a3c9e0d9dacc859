// A finger signature pad: draws the strokes so far and returns a stroke when a finger lifts.
#pragma once

#include <optional>
#include <vector>

#include "app/core/consultation_draft.h"
#include "app/ui/tap_targets.h"

namespace smp::ui {

class SignaturePad {
 public:
  // Draws at the cursor, size w x h. Returns a finished stroke (0..1 coordinates) when the
  // finger lifts; strokes already kept are passed in to be drawn.
  std::optional<core::Stroke> draw(const std::vector<core::Stroke>& kept, float w, float h,
                                   TapTargets& targets);

 private:
  core::Stroke m_current;
  bool m_drawing = false;
};

}  // namespace smp::ui
