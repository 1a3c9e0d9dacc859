// Everything the client has entered so far; lives only in memory until it is saved.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "app/core/head_guide.h"
#include "engine/image.h"
#include "engine/preview.h"

namespace smp::core {

inline constexpr std::size_t kMaxNameLength = 100;
inline constexpr std::size_t kMaxPhoneLength = 20;
inline constexpr std::size_t kMaxEmailLength = 120;

// Screening questions (DOMAIN.md): a "yes" is flagged for a specialist, never refused.
inline const std::vector<std::string> kHealthQuestions = {
    "keloid",    "scalp_skin", "blood_thinners", "retinoids",
    "pregnancy", "allergy",    "chemotherapy",   "laser_removal"};

// Hair-loss scales: Norwood I-VII (men), Ludwig I-III (women).
inline const std::vector<std::string> kLossStages = {
    "norwood-1", "norwood-2", "norwood-3", "norwood-4", "norwood-5",
    "norwood-6", "norwood-7", "ludwig-1",  "ludwig-2",  "ludwig-3"};

// Desired density: impressions per cm^2 at full coverage.
inline const std::map<std::string, double> kDensityChoices = {
    {"light", 70.0}, {"medium", 100.0}, {"full", 130.0}};

using Stroke = std::vector<std::pair<float, float>>;  // signature pad points, 0..1 each axis

enum class PhotoKind { kFront, kTop };

// What the client adjusted by hand on one photo's preview, in that photo's pixels.
struct PreviewEdits {
  std::vector<engine::MarkStroke> marks;
  std::optional<std::vector<engine::ControlPoint>> hairlineControls;
};

struct ConsultationDraft {
  std::string language = "en";
  std::string concern;    // protocol::kConcerns
  std::string lossStage;  // kLossStages
  std::optional<engine::HairColour> hairColour;
  int fitzpatrick = 0;  // 1..6, 0 = not chosen
  std::optional<engine::HairlineStyle> hairline;
  std::string density;                 // kDensityChoices
  std::map<std::string, bool> health;  // answered questions
  std::string clientName;
  std::string phone;
  std::string email;
  bool consentGiven = false;      // required privacy consent
  std::string consentTextSha256;  // of the text on screen when consent was given
  bool marketingConsent = false;  // separate, optional
  std::vector<Stroke> signature;
  std::optional<engine::RgbImage> frontPhoto;
  std::optional<engine::RgbImage> topPhoto;
  HeadGuide guide;                // where the head was framed in frontPhoto
  engine::PreviewParams preview;  // the client's choices on the preview screen (front's edits)
  PreviewEdits topEdits;          // the marks and hairline on the top photo's preview
  PhotoKind previewView = PhotoKind::kFront;

  // Wipes everything personal; used on hand-back and idle reset.
  void clear() { *this = ConsultationDraft{}; }
  std::vector<std::string> healthFlags() const;
};

// Each returns empty when valid, otherwise a translation key for a calm message.
std::string validateName(const std::string& name);
std::string validatePhone(const std::string& phone);
std::string validateEmail(const std::string& email);  // optional: empty is valid

// Engine parameters for the draft's photo: the client's
// style, density, colours and chosen session/years (scale and placement come from the face).
engine::PreviewParams previewParamsFor(const ConsultationDraft& draft);
// The same for one photo's preview: the top view takes its own marks and hairline.
engine::PreviewParams previewParamsFor(const ConsultationDraft& draft, PhotoKind view);

}  // namespace smp::core
