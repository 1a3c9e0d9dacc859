// Implementation of the headless kiosk operations.
#include "app/core/kiosk_commands.h"

#include <algorithm>
#include <fstream>
#include <iostream>
#include <stdexcept>

#include "app/core/consultation_service.h"
#include "app/core/kiosk_settings.h"
#include "app/core/sample_portrait.h"
#include "app/core/store_outbox.h"
#include "app/core/translations.h"
#include "app/imageio/image_io.h"

namespace smp::core {

std::filesystem::path databasePath(const std::filesystem::path& dataDir) {
  return dataDir / "kiosk.sqlite";
}

void ensureDataDir(const std::filesystem::path& dataDir) {
  std::error_code ec;
  std::filesystem::create_directories(dataDir, ec);
  if (ec || !std::filesystem::is_directory(dataDir)) {
    throw std::runtime_error("cannot create the data directory " + dataDir.string() +
                             (ec ? ": " + ec.message() : ""));
  }
  std::filesystem::permissions(dataDir, std::filesystem::perms::owner_all,
                               std::filesystem::perm_options::replace, ec);
}

void validateServerUrl(const std::string& url) {
  const auto fail = [&] {
    throw std::invalid_argument("server URL '" + url +
                                "' must look like http://HOST:PORT or https://HOST (no path)");
  };
  std::string rest;
  if (url.rfind("http://", 0) == 0) {
    rest = url.substr(7);
  } else if (url.rfind("https://", 0) == 0) {
    rest = url.substr(8);
  } else {
    fail();
  }
  if (!rest.empty() && rest.back() == '/') rest.pop_back();
  const auto colon = rest.find(':');
  const std::string host = rest.substr(0, colon);
  const bool hostOk =
      !host.empty() &&
      host.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-") ==
          std::string::npos;
  if (!hostOk) fail();
  if (colon != std::string::npos) {
    const std::string port = rest.substr(colon + 1);
    if (port.empty() || port.size() > 5 ||
        port.find_first_not_of("0123456789") != std::string::npos || std::stoi(port) < 1 ||
        std::stoi(port) > 65535) {
      fail();
    }
  }
  // Plain HTTP would show tokens, names and photos to anyone on the clinic's network: it is
  // only for a head office on this same machine (a local try-out, a TLS proxy beside it).
  const bool loopback =
      host == "localhost" ||
      (host.rfind("127.", 0) == 0 && host.find_first_not_of("0123456789.") == std::string::npos);
  if (url.rfind("http://", 0) == 0 && !loopback) {
    throw std::invalid_argument("server URL '" + url +
                                "' must use https://: plain http is accepted only for a head "
                                "office on this machine (127.0.0.1 or localhost)");
  }
}

std::string readSecret(const std::string& source) {
  std::string text;
  if (source == "-") {
    std::getline(std::cin, text);
  } else {
    std::ifstream in(source);
    if (!in) throw std::invalid_argument("cannot read the token file " + source);
    std::getline(in, text);
  }
  while (!text.empty() && (text.back() == '\r' || text.back() == ' ' || text.back() == '\t'))
    text.pop_back();
  text.erase(0, text.find_first_not_of(" \t"));
  if (text.empty() || text.size() > 200 ||
      text.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") !=
          std::string::npos) {
    throw std::invalid_argument("the token (first line of " +
                                std::string(source == "-" ? "stdin" : source) +
                                ") must be the 'token' value printed by 'smp-server kiosk add'");
  }
  return text;
}

sync::KioskInfo enroll(store::KioskStore& store, const std::string& serverUrl,
                       const std::string& token, const TlsOptions& tls) {
  validateServerUrl(serverUrl);
  if (token.size() < 16 || token.size() > 200) {
    throw std::invalid_argument(
        "the token must be the 'token' value printed by 'smp-server kiosk add'");
  }
  if (!tls.caFile.empty() && !std::filesystem::is_regular_file(tls.caFile)) {
    throw std::invalid_argument("--ca-file " + tls.caFile + " is not a readable file");
  }
  if (!tls.pinnedPublicKey.empty() && tls.pinnedPublicKey.rfind("sha256//", 0) != 0) {
    throw std::invalid_argument(
        "--pinned-key must look like sha256//BASE64 (see curl's --pinnedpubkey)");
  }
  sync::SyncClient client({serverUrl, token, tls.caFile, tls.pinnedPublicKey});
  const sync::KioskInfo info = client.identify();
  // Head office takes the store key before anything is stored (docs/security.md); a kiosk
  // whose key head office already holds (a re-enrolment) gets it checked instead.
  const auto secretOnDisk = store.secretKeyOnDisk();
  try {
    if (secretOnDisk) {
      const sync::KeyEscrow held = client.escrowStoreKey(
          {store::keyToHex(store.storePublicKey()), store::keyToHex(*secretOnDisk)});
      if (held == sync::KeyEscrow::kConflict) {
        throw std::runtime_error(
            "head office already holds another store key for kiosk " + info.kioskId +
            ": this token belongs to a kiosk set up before. Ask head office for a new kiosk "
            "('smp-server kiosk add') and enrol with its token");
      }
    } else {
      const auto secret = client.fetchStoreKey();
      const auto key = secret ? store::keyFromHex(*secret) : std::nullopt;
      if (!key || !store.unseal(*key)) {
        throw std::runtime_error(
            "this kiosk's records are sealed with a key that head office does not hold for "
            "kiosk " +
            info.kioskId +
            ": enrol with a token of the kiosk these records belong to ('smp-server kiosk "
            "rotate-token'), or move this data folder aside to start afresh");
      }
    }
  } catch (const sync::NetworkError& e) {
    throw std::runtime_error("cannot reach the head-office server: " + std::string(e.what()));
  }
  storeEnrolment(store, serverUrl, token, tls, info);
  if (secretOnDisk) store.forgetSecretKeyOnDisk();
  store.audit("operator", "kiosk.enroll", info.kioskId);
  return info;
}

void storeEnrolment(store::KioskStore& store, const std::string& serverUrl,
                    const std::string& token, const TlsOptions& tls, const sync::KioskInfo& info) {
  store::StoreTransaction tx(store);
  store.setSetting(kSettingServerUrl, serverUrl);
  store.setSetting(kSettingToken, token);
  store.setSetting(kSettingCaFile, tls.caFile);
  store.setSetting(kSettingPinnedKey, tls.pinnedPublicKey);
  store.setSetting(kSettingKioskId, info.kioskId);
  store.setSetting(kSettingClinic, info.clinic);
  tx.commit();
}

sync::ServerEndpoint endpointFor(store::KioskStore& store, const std::string& serverOverride) {
  sync::ServerEndpoint e;
  e.baseUrl =
      serverOverride.empty() ? store.setting(kSettingServerUrl).value_or("") : serverOverride;
  e.token = store.setting(kSettingToken).value_or("");
  e.caFile = store.setting(kSettingCaFile).value_or("");
  e.pinnedPublicKey = store.setting(kSettingPinnedKey).value_or("");
  return e;
}

int createDemoConsultations(store::KioskStore& store, const std::filesystem::path& assetsDir,
                            int count, const std::optional<std::filesystem::path>& photosDir) {
  if (count < 1 || count > 100000) throw std::invalid_argument("--count must be 1-100000");
  std::vector<std::filesystem::path> photos;
  if (photosDir) {
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(*photosDir, ec)) {
      std::string ext = entry.path().extension().string();
      std::transform(ext.begin(), ext.end(), ext.begin(),
                     [](unsigned char c) { return std::tolower(c); });
      if (ext == ".jpg" || ext == ".jpeg" || ext == ".png") photos.push_back(entry.path());
    }
    if (ec) throw std::invalid_argument("--photos " + photosDir->string() + ": " + ec.message());
    if (photos.empty()) {
      throw std::invalid_argument("--photos " + photosDir->string() +
                                  " holds no .jpg or .png files");
    }
    std::sort(photos.begin(), photos.end());
  }
  ConsultationService service(store, assetsDir, store.setting(kSettingKioskId).value_or(""));
  static const char* kNames[] = {"Alex Demo", "Sam Example", "Jordan Sample", "Casey Test",
                                 "Riley Trial"};
  static const char* kDensities[] = {"light", "medium", "full"};
  for (int i = 0; i < count; ++i) {
    const auto u = static_cast<std::size_t>(i);
    ConsultationDraft d;
    d.language = kLanguages[u % kLanguages.size()];
    d.clientName = std::string(kNames[u % 5]) + " " + std::to_string(i + 1);
    d.concern = std::string(protocol::kConcerns[u % std::size(protocol::kConcerns)]);
    d.lossStage = kLossStages[u % kLossStages.size()];
    d.hairColour = static_cast<engine::HairColour>(u % 5);
    d.fitzpatrick = 1 + i % 6;
    d.hairline = static_cast<engine::HairlineStyle>(1 + i % 5);
    d.density = kDensities[u % 3];
    for (const auto& q : kHealthQuestions) d.health[q] = (i % 7 == 0 && q == "blood_thinners");
    d.phone = "+44 7700 900" + std::to_string(100 + i % 900);
    d.email = i % 2 ? "" : "demo" + std::to_string(i + 1) + "@example.com";
    d.consentGiven = true;
    d.marketingConsent = i % 4 == 0;
    d.signature = {{{0.1f, 0.6f}, {0.3f, 0.3f}, {0.5f, 0.7f}, {0.7f, 0.35f}, {0.9f, 0.55f}}};
    engine::RgbImage photo =
        photos.empty()
            ? samplePortrait(640, 480, d.fitzpatrick, static_cast<std::uint64_t>(i))
            : imageio::downscaleToFit(imageio::loadRgb(photos[u % photos.size()]), 1280, 960);
    d.guide = defaultGuide(photo.width, photo.height);
    // The crown from above for every fourth generated client; a folder of photos holds front
    // photos only. Few and small: its preview is rendered on save, and tests create demo
    // records by the hundred.
    if (photos.empty() && i % 4 == 0) {
      d.topPhoto =
          sampleTopOfHead(320, 240, d.fitzpatrick, static_cast<std::uint64_t>(i), {62, 48, 38, 3});
    }
    d.frontPhoto = std::move(photo);
    d.preview.densityPerCm2 = kDensityChoices.at(d.density);
    d.preview.seed = static_cast<std::uint64_t>(i + 1);
    service.save(d);
  }
  return count;
}

sync::SyncReport syncOnce(const std::filesystem::path& dataDir,
                          const sync::ServerEndpoint& endpoint) {
  StoreOutbox outbox(databasePath(dataDir));
  sync::SyncClient client(endpoint);
  sync::SyncReport report = client.pushOnce(outbox);
  if (report.outcome == sync::PassOutcome::kAllAcknowledged ||
      report.outcome == sync::PassOutcome::kPartial) {
    // The server answered: tell it how this kiosk is doing and pick up new prices and texts.
    client.sendHeartbeat(outbox);
    client.pullConfig(outbox);
  }
  return report;
}

nlohmann::json statusJson(store::KioskStore& store) {
  const store::StoreStatus s = store.status();
  nlohmann::json j{{"records", s.records},
                   {"pending", s.pending},
                   {"quarantined", s.quarantined},
                   {"quarantined", s.quarantined},
                   {"oldest_pending_age_seconds", nullptr},
                   {"last_sync_at",
                    s.lastSyncAt.empty() ? nlohmann::json(nullptr) : nlohmann::json(s.lastSyncAt)},
                   {"last_sync_result", s.lastSyncResult},
                   {"kiosk_id", store.setting(kSettingKioskId).value_or("")},
                   {"clinic", store.setting(kSettingClinic).value_or("")},
                   {"server", store.setting(kSettingServerUrl).value_or("")}};
  if (s.oldestPendingAgeSeconds) j["oldest_pending_age_seconds"] = *s.oldestPendingAgeSeconds;
  return j;
}

int applyRetention(store::KioskStore& store, std::chrono::system_clock::time_point now) {
  const auto days = retentionDays(store);
  if (!days) return 0;
  return store.purgeAcknowledgedBefore(protocol::iso8601Utc(now - std::chrono::hours(24 * *days)),
                                       "retention");
}

std::string keptUntil(store::KioskStore& store, const std::string& acknowledgedAt) {
  const auto days = retentionDays(store);
  const auto at = protocol::parseIso8601Utc(acknowledgedAt);
  if (!days || !at) return "";
  return protocol::iso8601Utc(*at + std::chrono::hours(24 * *days)).substr(0, 10);
}

}  // namespace smp::core
