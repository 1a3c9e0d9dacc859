// Transitions, guards and idle handling of the client flow.
#include "app/core/kiosk_flow.h"

#include <algorithm>
#include <cmath>

#include "app/core/translations.h"

namespace smp::core {

const char* screenName(Screen screen) {
  switch (screen) {
    case Screen::kAttract:
      return "attract";
    case Screen::kConcern:
      return "concern";
    case Screen::kStage:
      return "stage";
    case Screen::kColours:
      return "colours";
    case Screen::kLook:
      return "look";
    case Screen::kHealth:
      return "health";
    case Screen::kContact:
      return "contact";
    case Screen::kConsent:
      return "consent";
    case Screen::kPhotos:
      return "photos";
    case Screen::kPreview:
      return "preview";
    case Screen::kPlan:
      return "plan";
    case Screen::kSaved:
      return "saved";
  }
  return "unknown";
}

KioskFlow::KioskFlow(Saver saver, IdleTimeouts idle) : m_saver(std::move(saver)), m_idle(idle) {}

int KioskFlow::stepNumber() const {
  if (m_screen == Screen::kAttract || m_screen == Screen::kSaved) return 0;
  return static_cast<int>(m_screen);  // kConcern = 1 .. kPlan = 10
}

void KioskFlow::setMessage(std::string key, std::string detail) {
  m_message = std::move(key);
  m_messageDetail = std::move(detail);
}

void KioskFlow::start(Clock::time_point now) {
  if (m_screen != Screen::kAttract) return;
  const std::string language = m_draft.language;
  m_draft.clear();
  m_draft.language = language;
  setMessage({});
  m_lastTouch = now;
  m_extensions = 0;
  m_screen = Screen::kConcern;
}

void KioskFlow::setLanguage(const std::string& language) { m_draft.language = language; }

void KioskFlow::setDefaultLanguage(const std::string& language) {
  if (std::find(kLanguages.begin(), kLanguages.end(), language) == kLanguages.end()) return;
  m_defaultLanguage = language;
  if (m_screen == Screen::kAttract) m_draft.language = language;  // nobody is mid-consultation
}

std::string KioskFlow::validateStep() const {
  const ConsultationDraft& d = m_draft;
  switch (m_screen) {
    case Screen::kConcern:
      return d.concern.empty() ? "error.choose_concern" : "";
    case Screen::kStage:
      return d.lossStage.empty() ? "error.choose_stage" : "";
    case Screen::kColours:
      if (!d.hairColour) return "error.choose_hair_colour";
      return d.fitzpatrick == 0 ? "error.choose_skin" : "";
    case Screen::kLook:
      if (!d.hairline) return "error.choose_hairline";
      return d.density.empty() ? "error.choose_density" : "";
    case Screen::kHealth:
      return d.health.size() < kHealthQuestions.size() ? "error.answer_all" : "";
    case Screen::kContact: {
      if (auto e = validateName(d.clientName); !e.empty()) return e;
      if (auto e = validatePhone(d.phone); !e.empty()) return e;
      return validateEmail(d.email);
    }
    case Screen::kConsent:
      if (!d.consentGiven) return "error.consent_required";
      return d.signature.empty() ? "error.signature_required" : "";
    case Screen::kPhotos:
      return d.frontPhoto && d.topPhoto ? "" : "error.photos_needed";
    default:
      return "";
  }
}

bool KioskFlow::next() {
  if (m_screen == Screen::kAttract || m_screen == Screen::kPlan || m_screen == Screen::kSaved)
    return false;
  if (std::string why = validateStep(); !why.empty()) {
    setMessage(why);
    return false;
  }
  setMessage({});
  m_screen = static_cast<Screen>(static_cast<int>(m_screen) + 1);
  return true;
}

void KioskFlow::back() {
  // Going back keeps everything entered; only a finished or reset consultation is wiped.
  setMessage({});
  if (m_screen == Screen::kConcern) {
    m_screen = Screen::kAttract;
  } else if (m_screen != Screen::kAttract && m_screen != Screen::kSaved) {
    m_screen = static_cast<Screen>(static_cast<int>(m_screen) - 1);
  }
}

void KioskFlow::setConcern(const std::string& concern) {
  if (!protocol::isKnownConcern(concern)) return;
  m_draft.concern = concern;
  setMessage({});
}

void KioskFlow::setLossStage(const std::string& stage) {
  if (std::find(kLossStages.begin(), kLossStages.end(), stage) == kLossStages.end()) return;
  m_draft.lossStage = stage;
  setMessage({});
}

void KioskFlow::setHairColour(engine::HairColour colour) {
  m_draft.hairColour = colour;
  setMessage({});
}

void KioskFlow::setFitzpatrick(int type) {
  if (type < 1 || type > 6) return;
  m_draft.fitzpatrick = type;
  setMessage({});
}

void KioskFlow::setHairline(engine::HairlineStyle style) {
  m_draft.hairline = style;
  m_draft.preview.hairlineControls.reset();  // a new template starts from its own shape
  setMessage({});
}

void KioskFlow::setDensityChoice(const std::string& choice) {
  auto it = kDensityChoices.find(choice);
  if (it == kDensityChoices.end()) return;
  m_draft.density = choice;
  m_draft.preview.densityPerCm2 = it->second;
  setMessage({});
}

void KioskFlow::setHealthAnswer(const std::string& question, bool yes) {
  if (std::find(kHealthQuestions.begin(), kHealthQuestions.end(), question) ==
      kHealthQuestions.end())
    return;
  m_draft.health[question] = yes;
  setMessage({});
}

void KioskFlow::setName(std::string name) {
  if (name.size() > kMaxNameLength) name.resize(kMaxNameLength);
  m_draft.clientName = std::move(name);
  setMessage({});  // the client is acting on it: a stale hint would only confuse
}

void KioskFlow::setPhone(std::string phone) {
  if (phone.size() > kMaxPhoneLength) phone.resize(kMaxPhoneLength);
  m_draft.phone = std::move(phone);
  setMessage({});
}

void KioskFlow::setEmail(std::string email) {
  if (email.size() > kMaxEmailLength) email.resize(kMaxEmailLength);
  m_draft.email = std::move(email);
  setMessage({});
}

void KioskFlow::setConsent(bool given, const std::string& textSha256) {
  m_draft.consentGiven = given;
  m_draft.consentTextSha256 = given ? textSha256 : std::string();
  setMessage({});
}

void KioskFlow::setMarketingConsent(bool given) { m_draft.marketingConsent = given; }

void KioskFlow::addSignatureStroke(Stroke stroke) {
  if (stroke.size() < 2 || m_draft.signature.size() >= 200) return;
  for (auto& [x, y] : stroke) {
    x = std::clamp(x, 0.0f, 1.0f);
    y = std::clamp(y, 0.0f, 1.0f);
  }
  m_draft.signature.push_back(std::move(stroke));
  setMessage({});
}

void KioskFlow::clearSignature() { m_draft.signature.clear(); }

void KioskFlow::capturePhoto(PhotoKind kind, engine::RgbImage frame, HeadGuide guide) {
  if (m_screen != Screen::kPhotos) return;
  if (frame.empty()) {
    setMessage("error.camera_no_picture");
    return;
  }
  if (kind == PhotoKind::kFront) {
    m_draft.frontPhoto = std::move(frame);
    m_draft.guide = guide;
    m_draft.preview.hairlineControls.reset();
    m_draft.preview.marks.clear();  // marks belong to the photo they were drawn on
    ++m_photoGeneration;
  } else {
    m_draft.topPhoto = std::move(frame);
    m_draft.topEdits = {};
    ++m_topPhotoGeneration;
  }
  setMessage({});
}

void KioskFlow::retakePhoto(PhotoKind kind) {
  if (kind == PhotoKind::kFront) {
    m_draft.frontPhoto.reset();
  } else {
    m_draft.topPhoto.reset();
    m_draft.previewView = PhotoKind::kFront;
  }
  if (m_screen == Screen::kPreview) m_screen = Screen::kPhotos;
}

void KioskFlow::setPreviewDensity(double perCm2) {
  m_draft.preview.densityPerCm2 = std::clamp(perCm2, engine::kMinDensity, engine::kMaxDensity);
}

void KioskFlow::setPreviewSession(int stage) {
  m_draft.preview.sessionStage = std::clamp(stage, 1, 3);
}

void KioskFlow::setPreviewMode(engine::PreviewMode mode) { m_draft.preview.mode = mode; }

void KioskFlow::setPreviewYears(double years) {
  m_draft.preview.yearsSinceSession = std::clamp(years, engine::kMinYears, engine::kMaxYears);
}

void KioskFlow::setPreviewView(PhotoKind view) {
  if (view == PhotoKind::kTop && !m_draft.topPhoto) return;
  m_draft.previewView = view;
}

const std::vector<engine::MarkStroke>& KioskFlow::marksInView() const {
  return m_draft.previewView == PhotoKind::kTop ? m_draft.topEdits.marks : m_draft.preview.marks;
}

const std::optional<std::vector<engine::ControlPoint>>& KioskFlow::hairlineControlsInView() const {
  return m_draft.previewView == PhotoKind::kTop ? m_draft.topEdits.hairlineControls
                                                : m_draft.preview.hairlineControls;
}

// The same two, to edit: one choice of view, in the const accessors above.
std::vector<engine::MarkStroke>& KioskFlow::marksRef() {
  return const_cast<std::vector<engine::MarkStroke>&>(marksInView());
}

std::optional<std::vector<engine::ControlPoint>>& KioskFlow::hairlineControlsRef() {
  return const_cast<std::optional<std::vector<engine::ControlPoint>>&>(hairlineControlsInView());
}

const engine::RgbImage* KioskFlow::photoInView() const {
  const auto& photo =
      m_draft.previewView == PhotoKind::kTop ? m_draft.topPhoto : m_draft.frontPhoto;
  return photo ? &*photo : nullptr;
}

void KioskFlow::setHairlineControls(std::vector<engine::ControlPoint> controls) {
  hairlineControlsRef() = std::move(controls);
}

bool KioskFlow::addMark(engine::MarkStroke stroke) {
  const engine::RgbImage* photo = photoInView();
  if (!photo || stroke.points.empty()) return false;
  auto& marks = marksRef();
  if (marks.size() >= engine::kMaxMarkStrokes) return false;
  const double w = photo->width, h = photo->height;
  std::vector<engine::ControlPoint> points;
  // Thin a long stroke evenly to the engine's limit; keep its ends.
  const std::size_t n = stroke.points.size();
  const std::size_t keep = std::min(n, engine::kMaxMarkPoints);
  for (std::size_t k = 0; k < keep; ++k) {
    const std::size_t at = keep == 1 ? 0 : k * (n - 1) / (keep - 1);
    const engine::ControlPoint& p = stroke.points[at];
    if (!std::isfinite(p.x) || !std::isfinite(p.y)) continue;
    points.push_back({std::clamp(p.x, 0.0, w), std::clamp(p.y, 0.0, h)});
  }
  if (points.empty() || !std::isfinite(stroke.radiusPx)) return false;
  marks.push_back({std::move(points),
                   std::clamp(stroke.radiusPx, engine::kMinMarkRadiusPx, engine::kMaxMarkRadiusPx),
                   stroke.kind});
  return true;
}

void KioskFlow::undoMark() {
  if (!marksRef().empty()) marksRef().pop_back();
}

void KioskFlow::clearMarks() { marksRef().clear(); }

void KioskFlow::resetToAutomatic() {
  marksRef().clear();
  hairlineControlsRef().reset();
}

bool KioskFlow::adjustedByHand() const {
  return !marksInView().empty() || hairlineControlsInView().has_value();
}

bool KioskFlow::invitesScarMarking() const {
  const auto isScar = [](const engine::MarkStroke& m) { return m.kind == engine::MarkKind::kScar; };
  const auto& front = m_draft.preview.marks;
  const auto& top = m_draft.topEdits.marks;
  return m_draft.concern == "scar" && std::none_of(front.begin(), front.end(), isScar) &&
         std::none_of(top.begin(), top.end(), isScar);
}

void KioskFlow::setGuide(HeadGuide guide) {
  if (!m_draft.frontPhoto || !(guide.radiusX > 20 && guide.radiusY > 20)) return;
  const double w = m_draft.frontPhoto->width, h = m_draft.frontPhoto->height;
  guide.radiusX = std::min(guide.radiusX, w);
  guide.radiusY = std::min(guide.radiusY, h);
  m_draft.guide = guide;
  m_draft.preview.hairlineControls.reset();  // the hairline is re-placed from the new outline
  ++m_guideGeneration;
}

bool KioskFlow::save() {
  if (m_screen != Screen::kPlan) return false;
  try {
    m_savedId = m_saver(m_draft).id;
  } catch (const std::exception& e) {
    // Nothing is lost: the draft stays in memory and the client can try again or call staff.
    setMessage("error.save_failed", e.what());
    return false;
  }
  setMessage({});
  m_screen = Screen::kSaved;
  return true;
}

void KioskFlow::finish() {
  if (m_screen == Screen::kSaved) reset();
}

void KioskFlow::reset() {
  m_draft.clear();
  m_draft.language = m_defaultLanguage;  // the next person starts in the clinic's language
  setMessage({});
  m_savedId.clear();
  m_extensions = 0;
  m_screen = Screen::kAttract;
}

void KioskFlow::touched(Clock::time_point now) {
  // A touch while the warning shows does not dismiss it by accident: only the button does.
  if (!idleWarning(now)) m_lastTouch = now;
}

std::optional<int> KioskFlow::idleWarning(Clock::time_point now) const {
  if (m_screen == Screen::kAttract) return std::nullopt;
  const auto idleFor = now - m_lastTouch;
  if (idleFor < m_idle.warnAfter) return std::nullopt;
  const auto left = m_idle.warnAfter + m_idle.resetAfter - idleFor;
  // Whole seconds, rounded up: the countdown shows 20 at the moment the warning appears.
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(left).count();
  return static_cast<int>(std::max<long>(0, (ms + 999) / 1000));
}

void KioskFlow::tick(Clock::time_point now) {
  if (m_screen == Screen::kAttract) return;
  if (now - m_lastTouch >= m_idle.warnAfter + m_idle.resetAfter) reset();
}

void KioskFlow::needMoreTime(Clock::time_point now) {
  if (!idleWarning(now)) return;
  ++m_extensions;  // no limit: WCAG asks for at least 10
  m_lastTouch = now;
}

}  // namespace smp::core
