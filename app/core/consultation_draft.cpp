// Draft validation and engine parameters.
#include "app/core/consultation_draft.h"

#include <algorithm>
#include <cctype>

namespace smp::core {

std::vector<std::string> ConsultationDraft::healthFlags() const {
  std::vector<std::string> flags;
  for (const auto& q : kHealthQuestions) {
    auto it = health.find(q);
    if (it != health.end() && it->second) flags.push_back(q);
  }
  return flags;
}

std::string validateName(const std::string& name) {
  const bool blank =
      std::all_of(name.begin(), name.end(), [](unsigned char c) { return std::isspace(c); });
  if (name.empty() || blank) return "error.name_missing";
  if (name.size() > kMaxNameLength) return "error.name_too_long";
  return {};
}

std::string validatePhone(const std::string& phone) {
  int digits = 0;
  for (std::size_t i = 0; i < phone.size(); ++i) {
    const char c = phone[i];
    if (std::isdigit(static_cast<unsigned char>(c))) {
      ++digits;
    } else if (!(c == ' ' || (c == '+' && i == 0))) {
      return "error.phone_invalid";
    }
  }
  if (digits == 0) return "error.phone_missing";
  if (digits < 7 || digits > 15) return "error.phone_invalid";  // E.164 allows up to 15 digits
  return {};
}

std::string validateEmail(const std::string& email) {
  if (email.empty()) return {};
  const auto at = email.find('@');
  if (email.size() > kMaxEmailLength || at == std::string::npos || at == 0 ||
      email.find('@', at + 1) != std::string::npos) {
    return "error.email_invalid";
  }
  const std::string domain = email.substr(at + 1);
  const auto dot = domain.rfind('.');
  if (dot == std::string::npos || dot == 0 || dot + 2 > domain.size()) return "error.email_invalid";
  for (char c : email) {
    if (std::isspace(static_cast<unsigned char>(c))) return "error.email_invalid";
  }
  return {};
}

engine::PreviewParams previewParamsFor(const ConsultationDraft& draft) {
  engine::PreviewParams p = draft.preview;
  // Scale and hairline placement come from the face the vision step finds (or, failing
  // that, from this guide): see vision::analysePhoto.
  p.hairline = draft.hairline.value_or(engine::HairlineStyle::kSoft);
  if (draft.hairColour) p.hairColour = *draft.hairColour;
  if (draft.fitzpatrick >= 1 && draft.fitzpatrick <= 6) p.fitzpatrick = draft.fitzpatrick;
  return p;
}

engine::PreviewParams previewParamsFor(const ConsultationDraft& draft, PhotoKind view) {
  engine::PreviewParams p = previewParamsFor(draft);
  if (view == PhotoKind::kTop) {
    p.marks = draft.topEdits.marks;
    p.hairlineControls = draft.topEdits.hairlineControls;
  }
  return p;
}

}  // namespace smp::core
