// Transitions and their guards.
#include "app/core/kiosk_flow.h"

#include <algorithm>

namespace smp::core {

const char* screenName(Screen screen) {
  switch (screen) {
    case Screen::kWelcome:
      return "welcome";
    case Screen::kIntake:
      return "intake";
    case Screen::kPhoto:
      return "photo";
    case Screen::kPreview:
      return "preview";
    case Screen::kSaved:
      return "saved";
  }
  return "unknown";
}

KioskFlow::KioskFlow(Saver saver) : m_saver(std::move(saver)) {}

int KioskFlow::stepNumber() const {
  switch (m_screen) {
    case Screen::kIntake:
      return 1;
    case Screen::kPhoto:
      return 2;
    case Screen::kPreview:
      return 3;
    default:
      return 0;
  }
}

void KioskFlow::start() {
  if (m_screen != Screen::kWelcome) return;
  m_draft.clear();
  m_message.clear();
  m_screen = Screen::kIntake;
}

void KioskFlow::setName(std::string name) {
  if (name.size() > kMaxNameLength) name.resize(kMaxNameLength);
  m_draft.clientName = std::move(name);
  m_message.clear();  // the client is acting on it: a stale hint would only confuse
}

void KioskFlow::setConcern(std::string concern) {
  if (!protocol::isKnownConcern(concern)) return;
  m_draft.concern = std::move(concern);
  m_message.clear();
}

void KioskFlow::setConsent(bool given) {
  m_draft.consentGiven = given;
  m_message.clear();
}

bool KioskFlow::next() {
  if (m_screen != Screen::kIntake) return false;
  if (std::string why = validateName(m_draft.clientName); !why.empty()) {
    m_message = why;
    return false;
  }
  if (m_draft.concern.empty()) {
    m_message = "Please choose what brings you here";
    return false;
  }
  if (!m_draft.consentGiven) {
    m_message = "Please agree to the privacy consent to continue";
    return false;
  }
  m_message.clear();
  m_screen = Screen::kPhoto;
  return true;
}

void KioskFlow::back() {
  m_message.clear();
  // Going back keeps everything typed; only a finished or reset consultation is wiped.
  switch (m_screen) {
    case Screen::kIntake:
      m_screen = Screen::kWelcome;
      break;
    case Screen::kPhoto:
      m_screen = Screen::kIntake;
      break;
    case Screen::kPreview:
      m_screen = Screen::kPhoto;
      break;
    default:
      break;
  }
}

void KioskFlow::capturePhoto(engine::RgbImage frame, HeadGuide guide) {
  if (m_screen != Screen::kPhoto) return;
  if (frame.empty()) {
    m_message = "The camera did not give a picture. Please try again.";
    return;
  }
  m_draft.frontPhoto = std::move(frame);
  m_draft.guide = guide;
  ++m_photoGeneration;
  m_message.clear();
  m_screen = Screen::kPreview;
}

void KioskFlow::retake() {
  if (m_screen != Screen::kPreview) return;
  m_draft.frontPhoto.reset();
  m_screen = Screen::kPhoto;
}

void KioskFlow::setHairline(engine::HairlineStyle style) { m_draft.preview.hairline = style; }

void KioskFlow::setDensity(double perCm2) {
  m_draft.preview.densityPerCm2 = std::clamp(perCm2, engine::kMinDensity, engine::kMaxDensity);
}

bool KioskFlow::save() {
  if (m_screen != Screen::kPreview) return false;
  try {
    m_savedId = m_saver(m_draft).id;
  } catch (const std::exception& e) {
    // Nothing is lost: the draft stays in memory and the client can try again or call staff.
    m_message = std::string("We could not save just now. Please ask our staff for help. (") +
                e.what() + ")";
    return false;
  }
  m_message.clear();
  m_screen = Screen::kSaved;
  return true;
}

void KioskFlow::finish() {
  if (m_screen != Screen::kSaved) return;
  reset();
}

void KioskFlow::reset() {
  m_draft.clear();
  m_message.clear();
  m_savedId.clear();
  m_screen = Screen::kWelcome;
}

}  // namespace smp::core
