// What the client has entered so far; lives only in memory until it is saved.
#pragma once

#include <optional>
#include <string>

#include "app/core/head_guide.h"
#include "engine/image.h"
#include "engine/preview.h"

namespace smp::core {

inline constexpr std::size_t kMaxNameLength = 100;

struct ConsultationDraft {
  std::string clientName;
  std::string concern;  // one of protocol::kConcerns
  std::optional<engine::RgbImage> frontPhoto;
  HeadGuide guide;  // where the head was framed in frontPhoto
  engine::PreviewParams preview;
  bool consentGiven = false;

  // Wipes everything personal (name, photo); used on hand-back and idle reset.
  void clear() { *this = ConsultationDraft{}; }
};

// Empty when valid, otherwise a message for the client.
std::string validateName(const std::string& name);

// Engine parameters for a draft's photo: scalp mask and hairline from the guide.
engine::PreviewParams previewParamsFor(const ConsultationDraft& draft);

}  // namespace smp::core
