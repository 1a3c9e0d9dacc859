// Builds the protocol record and its blobs from a draft.
#include "app/core/consultation_service.h"

#include <stdexcept>

#include "app/core/signature.h"
#include "app/core/translations.h"
#include "app/imageio/image_io.h"
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
                   {"seed", p.seed}};
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
  return j;
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

const ConsentText& ConsultationService::consent(const std::string& language) const {
  auto it = m_consents.find(language);
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
  const engine::GrayImage mask = engine::proposeScalp(photo, draft.guide).mask;
  const engine::PreviewParams params = previewParamsFor(draft);
  const engine::PreviewResult preview = engine::renderPreview({&photo, &mask, nullptr}, params);

  store::ConsultationToSave c;
  c.kioskId = m_kioskId;
  auto jpeg = [](const engine::RgbImage& img) {
    return imageio::encode(
        imageio::downscaleToFit(img, kStoredPhotoMaxWidth, kStoredPhotoMaxHeight),
        imageio::Format::kJpeg, 90);
  };
  protocol::ConsultationRecord& r = c.record;
  c.blobs.push_back(makeBlob("front", jpeg(photo), "image/jpeg"));
  r.photos.push_back(c.blobs.back().ref);
  if (draft.topPhoto) {
    c.blobs.push_back(makeBlob("top", jpeg(*draft.topPhoto), "image/jpeg"));
    r.photos.push_back(c.blobs.back().ref);
  }
  if (!draft.signature.empty()) {
    c.blobs.push_back(makeBlob(
        "signature", imageio::encode(renderSignature(draft.signature), imageio::Format::kPng),
        "image/png"));
    r.photos.push_back(c.blobs.back().ref);
  }
  c.blobs.push_back(makeBlob("preview", jpeg(preview.image), "image/jpeg"));
  r.previews.push_back(c.blobs.back().ref);

  r.createdAt = protocol::nowIso8601Utc();
  r.clientName = draft.clientName;
  r.concern = draft.concern;
  r.intake = intakeJson(draft);
  r.consentTextSha256 = consent(draft.language).sha256;
  r.consentedAt = r.createdAt;
  r.previewParams = paramsJson(params);
  r.previewParams["dot_count"] = preview.dots.size();
  return m_store.save(std::move(c));
}

}  // namespace smp::core
