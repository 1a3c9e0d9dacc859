// Draft validation and engine parameters.
#include "app/core/consultation_draft.h"

#include <algorithm>
#include <cctype>

namespace smp::core {

std::string validateName(const std::string& name) {
  const bool blank =
      std::all_of(name.begin(), name.end(), [](unsigned char c) { return std::isspace(c); });
  if (name.empty() || blank) return "Please enter your name";
  if (name.size() > kMaxNameLength) return "Please use at most 100 characters";
  return {};
}

engine::PreviewParams previewParamsFor(const ConsultationDraft& draft) {
  engine::PreviewParams p = draft.preview;
  p.pxPerMm = engine::pxPerMmFromHead(draft.guide);
  p.hairlinePlacement = engine::hairlineFromHead(draft.guide);
  return p;
}

}  // namespace smp::core
