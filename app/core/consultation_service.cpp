// Builds the protocol record and its blobs from a draft.
#include "app/core/consultation_service.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "app/core/kiosk_commands.h"
#include "app/core/kiosk_settings.h"
#include "app/core/signature.h"
#include "app/core/translations.h"
#include "app/imageio/image_io.h"
#include "app/vision/photo_analysis.h"
#include "sync/protocol/messages.h"
#include "sync/protocol/sha256.h"

namespace smp::core {
namespace {

store::BlobData makeBlob(const std::string& role, imageio::Bytes bytes, const std::string& mime) {
  store::BlobData b;
  b.ref.role = role;
  b.ref.sha256 = protocol::sha256Hex(bytes);
  b.ref.size = bytes.size();
  b.ref.mime = mime;
  b.bytes = std::move(bytes);
  return b;
}

nlohmann::json paramsJson(const engine::PreviewParams& p) {
  nlohmann::json j{{"density_per_cm2", p.densityPerCm2},
                   {"dot_diameter_mm", p.dotDiameterMm},
                   {"hairline", std::string(engine::hairlineStyleName(p.hairline))},
                   {"hair_colour", std::string(engine::hairColourName(p.hairColour))},
                   {"fitzpatrick", p.fitzpatrick},
                   {"session_stage", p.sessionStage},
                   {"years_since_session", p.yearsSinceSession},
                   {"seed", p.seed},
                   {"mode", p.mode == engine::PreviewMode::kBuzz ? "buzz" : "keep-hair"}};
  if (p.pxPerMm) j["px_per_mm"] = *p.pxPerMm;
  if (p.hairlinePlacement) {
    j["hairline_placement"] = {{"center_x", p.hairlinePlacement->centerX},
                               {"front_y", p.hairlinePlacement->frontY},
                               {"half_width", p.hairlinePlacement->halfWidth}};
  }
  if (p.hairlineControls) {
    nlohmann::json controls = nlohmann::json::array();
    for (const auto& c : *p.hairlineControls) controls.push_back({c.x, c.y});
    j["hairline_controls"] = controls;
  }
  if (!p.marks.empty()) {
    nlohmann::json marks = nlohmann::json::array();
    for (const auto& m : p.marks) {
      nlohmann::json points = nlohmann::json::array();
      for (const auto& c : m.points) points.push_back({c.x, c.y});
      marks.push_back({{"radius_px", m.radiusPx},
                       {"points", points},
                       {"kind", std::string(engine::markKindName(m.kind))}});
    }
    j["marks"] = marks;
  }
  return j;
}

// Where a record keeps the top (crown) preview's parameters, within its preview parameters.
constexpr const char* kTopPreviewKey = "top";

nlohmann::json guideJson(const HeadGuide& g) {
  return {{"center_x", g.centerX},
          {"center_y", g.centerY},
          {"radius_x", g.radiusX},
          {"radius_y", g.radiusY}};
}

// What a record keeps of its preview: the parameters, the head outline and the dot count.
nlohmann::json renderedParamsJson(const engine::PreviewParams& p, const HeadGuide& guide,
                                  const engine::PreviewResult& preview) {
  nlohmann::json j = paramsJson(p);
  j["guide"] = guideJson(guide);
  j["dot_count"] = preview.dots.size();
  return j;
}

// Photos and previews as stored: at most kStoredPhotoMax*, JPEG at quality 90.
imageio::Bytes storedJpeg(const engine::RgbImage& img) {
  return imageio::encode(imageio::downscaleToFit(img, kStoredPhotoMaxWidth, kStoredPhotoMaxHeight),
                         imageio::Format::kJpeg, 90);
}

// A stored [x, y] pair, or nothing when the entry is not one.
std::optional<engine::ControlPoint> storedPoint(const nlohmann::json& c) {
  if (!c.is_array() || c.size() != 2 || !c[0].is_number() || !c[1].is_number()) return {};
  return engine::ControlPoint{c[0].get<double>(), c[1].get<double>()};
}

// The client's preview choices back from a stored record (what paramsJson wrote).
void applyStoredParams(const nlohmann::json& j, ConsultationDraft& d) {
  d.preview.densityPerCm2 = j.value("density_per_cm2", 100.0);
  d.preview.dotDiameterMm = j.value("dot_diameter_mm", 0.25);
  d.preview.sessionStage = j.value("session_stage", 3);
  d.preview.yearsSinceSession = j.value("years_since_session", 0.0);
  d.preview.seed = j.value("seed", std::uint64_t{1});
  d.preview.mode = j.value("mode", "buzz") == "keep-hair" ? engine::PreviewMode::kKeepHair
                                                          : engine::PreviewMode::kBuzz;
  d.hairline = engine::parseHairlineStyle(j.value("hairline", "soft"))
                   .value_or(engine::HairlineStyle::kSoft);
  d.hairColour = engine::parseHairColour(j.value("hair_colour", "black"));
  d.fitzpatrick = j.value("fitzpatrick", 3);
  if (j.contains("hairline_controls") && j["hairline_controls"].is_array()) {
    std::vector<engine::ControlPoint> controls;
    for (const auto& c : j["hairline_controls"]) {
      if (const auto point = storedPoint(c)) controls.push_back(*point);
    }
    if (controls.size() >= 2) d.preview.hairlineControls = controls;
  }
  // Marked scars and patches, within the engine's limits (a damaged entry is skipped).
  if (j.contains("marks") && j["marks"].is_array()) {
    for (const auto& m : j["marks"]) {
      if (d.preview.marks.size() >= engine::kMaxMarkStrokes) break;
      if (!m.is_object() || !m.contains("points") || !m["points"].is_array()) continue;
      // value() would throw on a radius that is not a number: the whole re-run would fail.
      if (!m.contains("radius_px") || !m["radius_px"].is_number()) continue;
      const double radius = m["radius_px"].get<double>();
      if (!engine::markRadiusInRange(radius)) continue;
      // Records from before scalp edits have no kind: their marks are scars.
      std::optional<engine::MarkKind> kind = engine::MarkKind::kScar;
      if (m.contains("kind"))
        kind = m["kind"].is_string() ? engine::parseMarkKind(m["kind"].get<std::string>())
                                     : std::nullopt;
      if (!kind) continue;
      engine::MarkStroke stroke{{}, radius, *kind};
      for (const auto& c : m["points"]) {
        if (stroke.points.size() >= engine::kMaxMarkPoints) break;
        const auto point = storedPoint(c);
        if (point && engine::markPointInRange(*point)) stroke.points.push_back(*point);
      }
      if (!stroke.points.empty()) d.preview.marks.push_back(std::move(stroke));
    }
  }
}

nlohmann::json intakeJson(const ConsultationDraft& d) {
  nlohmann::json health = nlohmann::json::object();
  for (const auto& [q, yes] : d.health) health[q] = yes;
  return {
      {"language", d.language},
      {"loss_stage", d.lossStage},
      {"hair_colour", d.hairColour ? std::string(engine::hairColourName(*d.hairColour)) : ""},
      {"fitzpatrick", d.fitzpatrick},
      {"desired_hairline", d.hairline ? std::string(engine::hairlineStyleName(*d.hairline)) : ""},
      {"desired_density", d.density},
      {"health", health},
      {"health_flags", d.healthFlags()},
      {"phone", d.phone},
      {"email", d.email},
      {"marketing_photo_consent", d.marketingConsent}};
}

}  // namespace

ConsultationService::ConsultationService(store::KioskStore& store,
                                         const std::filesystem::path& assetsDir,
                                         std::string kioskId)
    : m_store(store), m_kioskId(std::move(kioskId)) {
  for (const std::string& lang : kLanguages) m_consents[lang] = loadConsentText(assetsDir, lang);
}

ConsentText ConsultationService::consent(const std::string& language) {
  const std::string config = m_store.setting(kSettingConfig).value_or("");
  if (config != m_configSeen) {
    m_configSeen = config;
    m_published.clear();
    const nlohmann::json texts = headOfficeConfig(m_store).value("consent_texts", nlohmann::json());
    if (texts.is_object()) {
      for (const auto& [lang, t] : texts.items()) {
        // Head office validated it; a kiosk still shows nothing it cannot hash the same way.
        if (!t.is_object() || !t.value("version", nlohmann::json()).is_string() ||
            !t.value("text", nlohmann::json()).is_string())
          continue;
        const std::string version = t["version"], text = t["text"];
        if (version.empty() || version.find('\n') != std::string::npos || text.empty()) continue;
        m_published[lang] = {version, text, protocol::consentTextSha256(version, text)};
      }
    }
  }
  if (const auto it = m_published.find(language); it != m_published.end()) return it->second;
  const auto it = m_consents.find(language);
  return it != m_consents.end() ? it->second : m_consents.at("en");
}

protocol::ConsultationRecord ConsultationService::save(const ConsultationDraft& draft) {
  if (const std::string why = validateName(draft.clientName); !why.empty()) {
    throw std::invalid_argument("name: " + why);
  }
  if (!protocol::isKnownConcern(draft.concern)) {
    throw std::invalid_argument("concern '" + draft.concern + "' is not one of the choices");
  }
  if (!draft.frontPhoto) throw std::invalid_argument("a front photo is needed");
  if (!draft.consentGiven) throw std::invalid_argument("consent has not been given");

  const engine::RgbImage& photo = *draft.frontPhoto;
  const engine::PreviewParams params = previewParamsFor(draft);
  vision::PhotoAnalysis frontAnalysis;
  const engine::PreviewResult preview =
      vision::renderAutomaticPreview(photo, draft.guide, params, &frontAnalysis);
  // The crown too, when the top photo was taken: clients with little hair on top look there
  // first, and staff see it beside the front one.
  std::optional<engine::PreviewResult> topPreview;
  const engine::PreviewParams topParams = previewParamsFor(draft, PhotoKind::kTop);
  HeadGuide topGuide{};
  if (draft.topPhoto) {
    topGuide = defaultGuide(draft.topPhoto->width, draft.topPhoto->height);
    topPreview =
        vision::renderAutomaticTopPreview(*draft.topPhoto, topGuide, frontAnalysis.skin, topParams);
  }

  store::ConsultationToSave c;
  c.kioskId = m_kioskId;
  protocol::ConsultationRecord& r = c.record;
  c.blobs.push_back(makeBlob("front", storedJpeg(photo), "image/jpeg"));
  r.photos.push_back(c.blobs.back().ref);
  if (draft.topPhoto) {
    c.blobs.push_back(makeBlob("top", storedJpeg(*draft.topPhoto), "image/jpeg"));
    r.photos.push_back(c.blobs.back().ref);
  }
  if (!draft.signature.empty()) {
    c.blobs.push_back(makeBlob(
        "signature", imageio::encode(renderSignature(draft.signature), imageio::Format::kPng),
        "image/png"));
    r.photos.push_back(c.blobs.back().ref);
  }
  c.blobs.push_back(makeBlob("preview", storedJpeg(preview.image), "image/jpeg"));
  r.previews.push_back(c.blobs.back().ref);
  if (topPreview) {
    c.blobs.push_back(makeBlob("preview-top", storedJpeg(topPreview->image), "image/jpeg"));
    r.previews.push_back(c.blobs.back().ref);
  }

  r.createdAt = protocol::nowIso8601Utc();
  r.clientName = draft.clientName;
  r.concern = draft.concern;
  r.intake = intakeJson(draft);
  // The text the client had on screen when they agreed (head office may publish a new one
  // while they finish), else the current one.
  r.consentTextSha256 =
      draft.consentTextSha256.empty() ? consent(draft.language).sha256 : draft.consentTextSha256;
  r.consentedAt = r.createdAt;
  r.previewParams = renderedParamsJson(params, draft.guide, preview);
  // The crown's own edits (a scar marked there, its hairline) are part of the record too, not
  // only drawn into its preview image: staff and head office see where the client marked.
  if (topPreview)
    r.previewParams[kTopPreviewKey] = renderedParamsJson(topParams, topGuide, *topPreview);
  return m_store.save(std::move(c));
}

RerenderJob ConsultationService::prepareRerender(const std::string& id,
                                                 std::optional<engine::RgbImage> newFront) {
  const auto record = m_store.loadRecord(id);
  if (!record) throw std::invalid_argument("no consultation " + id);
  const auto front = std::find_if(record->photos.begin(), record->photos.end(),
                                  [](const protocol::BlobRef& b) { return b.role == "front"; });
  if (front == record->photos.end())
    throw std::invalid_argument("consultation " + id + " has no front photo");
  RerenderJob job;
  job.id = id;
  job.storedParams = record->previewParams;
  job.newFront = std::move(newFront);
  if (!job.newFront) {
    auto bytes = m_store.loadBlob(front->sha256);
    if (!bytes) throw std::invalid_argument("the front photo of " + id + " is missing");
    job.storedFront = std::move(*bytes);
  }
  return job;
}

RerenderedRevision renderRevision(const RerenderJob& job) {
  ConsultationDraft d;
  d.frontPhoto = job.newFront ? *job.newFront : imageio::decodeRgb(job.storedFront, "front photo");
  applyStoredParams(job.storedParams, d);
  const auto& g = job.storedParams.value("guide", nlohmann::json::object());
  d.guide = job.newFront || !g.contains("radius_x")
                ? defaultGuide(d.frontPhoto->width, d.frontPhoto->height)
                : HeadGuide{g.value("center_x", 0.0), g.value("center_y", 0.0),
                            g.value("radius_x", 1.0), g.value("radius_y", 1.0)};
  if (job.newFront) {  // a new photo: the line is placed anew, and marks on the old one do not fit
    d.preview.hairlineControls.reset();
    d.preview.marks.clear();
  }
  const engine::PreviewParams params = previewParamsFor(d);
  const engine::PreviewResult preview =
      vision::renderAutomaticPreview(*d.frontPhoto, d.guide, params);
  RerenderedRevision out;
  out.id = job.id;
  out.preview = makeBlob("preview", storedJpeg(preview.image), "image/jpeg");
  if (job.newFront) out.front = makeBlob("front", storedJpeg(*job.newFront), "image/jpeg");
  out.previewParams = renderedParamsJson(params, d.guide, preview);
  return out;
}

protocol::ConsultationRecord ConsultationService::commitRerender(const RerenderedRevision& r,
                                                                 const std::string& actor) {
  std::vector<store::BlobData> blobs = {r.preview};
  if (r.front) blobs.push_back(*r.front);
  return m_store.revise(
      r.id,
      [&](protocol::ConsultationRecord& record) {
        // The front's preview is replaced; the top's (its own photo and edits) stays.
        std::erase_if(record.previews,
                      [](const protocol::BlobRef& b) { return b.role == "preview"; });
        record.previews.insert(record.previews.begin(), r.preview.ref);
        if (r.front) {
          for (auto& p : record.photos) {
            if (p.role == "front") p = r.front->ref;
          }
        }
        // The top's parameters stay with the top's preview.
        nlohmann::json params = r.previewParams;
        if (record.previewParams.contains(kTopPreviewKey))
          params[kTopPreviewKey] = record.previewParams[kTopPreviewKey];
        record.previewParams = std::move(params);
      },
      actor, blobs);
}

protocol::ConsultationRecord ConsultationService::rerender(
    const std::string& id, const std::optional<engine::RgbImage>& newFront,
    const std::string& actor) {
  return commitRerender(renderRevision(prepareRerender(id, newFront)), actor);
}

}  // namespace smp::core
