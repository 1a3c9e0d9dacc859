// Staff mode's settings: what the clinic changes on the kiosk, and the head-office checks
// (re-enrolment, a new server address) that run off the UI thread.
#include <algorithm>
#include <nlohmann/json.hpp>

#include "app/core/kiosk_commands.h"
#include "app/core/kiosk_settings.h"
#include "app/core/staff_mode.h"
#include "app/core/translations.h"
#include "sync/client/sync_client.h"
#include "sync/protocol/untrusted_json.h"

namespace smp::core {

void StaffMode::settingChanged(const std::string& key, const std::string& action,
                               const std::string& value) {
  audit(action, value);
  m_notice = Notice::success("staff.settings_saved");
  if (m_settingChanged) m_settingChanged(key);
}

const SettingsView& StaffMode::settingsView() {
  const store::ChangeStamp stamp = m_store.changeStamp();
  if (m_settingsView && m_settingsStamp == stamp) return *m_settingsView;
  SettingsView v;
  v.defaultLanguage = defaultLanguage();
  v.clinicName = clinicName();
  v.headOfficeUrl = headOfficeUrl();
  v.uiScalePercent = uiScalePercent();
  const IdleTimeouts idle = idleTimeouts();
  v.idleWarnSeconds = static_cast<int>(idle.warnAfter.count());
  v.idleResetSeconds = static_cast<int>(idle.resetAfter.count());
  v.idleTimeoutsAreLocal = idleTimeoutsAreLocal();
  v.headOffice = headOfficeSettings();
  m_settingsView = std::move(v);
  m_settingsStamp = stamp;
  return *m_settingsView;
}

std::vector<std::pair<std::string, std::string>> StaffMode::headOfficeSettings() {
  auto get = [&](const char* key) { return m_store.setting(key).value_or(""); };
  std::vector<std::pair<std::string, std::string>> out = {
      {"settings.kiosk", get(kSettingKioskId)},
      {"settings.clinic", get(kSettingClinic)},
  };
  const auto config = headOfficeConfig(m_store);
  if (config.empty()) return out;
  // Written for people: "60 s / 20 s", one price per line, "en, es, fr". The config was
  // validated when it was pulled; anything unexpected is shown as it came.
  const auto text = [](const nlohmann::json& j) {
    return j.is_string() ? j.get<std::string>() : protocol::dumpJson(j);
  };
  if (const auto t = config.find("idle_timeouts"); t != config.end() && t->is_object()) {
    out.push_back(
        {"settings.idle", text(t->value("warning_seconds", nlohmann::json(60))) + " s / " +
                              text(t->value("reset_seconds", nlohmann::json(20))) + " s"});
  }
  if (const auto p = config.find("price_list"); p != config.end() && p->is_array()) {
    std::string lines;
    for (const auto& item : *p) {
      if (!item.is_object()) continue;
      if (!lines.empty()) lines += "\n";
      lines += text(item.value("item", nlohmann::json("?"))) + ": " +
               text(item.value("min", nlohmann::json("?"))) + "\xE2\x80\x93" +
               text(item.value("max", nlohmann::json("?"))) + " " +
               text(item.value("currency", nlohmann::json("")));
    }
    out.push_back({"settings.prices", lines});
  }
  if (const auto l = config.find("languages"); l != config.end() && l->is_array()) {
    std::string list;
    for (const auto& code : *l) {
      if (!list.empty()) list += ", ";
      list += text(code);
    }
    out.push_back({"settings.languages", list});
  }
  return out;
}

std::string StaffMode::defaultLanguage() {
  return m_store.setting(kSettingDefaultLanguage).value_or("en");
}

bool StaffMode::setDefaultLanguage(const std::string& language) {
  if (!m_staff) return false;
  if (std::find(kLanguages.begin(), kLanguages.end(), language) == kLanguages.end()) return false;
  m_store.setSetting(kSettingDefaultLanguage, language);
  settingChanged(kSettingDefaultLanguage, "setting.default_language", language);
  return true;
}

std::string StaffMode::headOfficeUrl() { return m_store.setting(kSettingServerUrl).value_or(""); }

std::string StaffMode::clinicName() { return core::clinicName(m_store); }

bool StaffMode::setClinicName(const std::string& typed) {
  if (!isAdmin()) return false;
  const auto first = typed.find_first_not_of(' ');
  const std::string name = first == std::string::npos
                               ? ""
                               : typed.substr(first, typed.find_last_not_of(' ') - first + 1);
  if (name.size() > kMaxClinicNameChars) {
    m_notice = Notice::warning("staff.clinic_name_invalid");
    return false;
  }
  // Empty means "use head office's name" again.
  m_store.setSetting(kSettingClinicName, name);
  settingChanged(kSettingClinicName, "setting.clinic_name", name);
  return true;
}

IdleTimeouts StaffMode::idleTimeouts() { return core::idleTimeouts(m_store); }
bool StaffMode::idleTimeoutsAreLocal() { return core::idleTimeoutsAreLocal(m_store); }

bool StaffMode::setIdleTimeouts(int warnSeconds, int resetSeconds) {
  if (!isAdmin()) return false;
  if (warnSeconds < kIdleWarnMin || warnSeconds > kIdleWarnMax || resetSeconds < kIdleResetMin ||
      resetSeconds > kIdleResetMax) {
    m_notice = Notice::warning("staff.idle_invalid");
    return false;
  }
  store::StoreTransaction tx(m_store);
  m_store.setSetting(kSettingIdleWarn, std::to_string(warnSeconds));
  m_store.setSetting(kSettingIdleReset, std::to_string(resetSeconds));
  tx.commit();
  settingChanged(kSettingIdleWarn, "setting.idle_timeouts",
                 std::to_string(warnSeconds) + "/" + std::to_string(resetSeconds));
  return true;
}

bool StaffMode::useHeadOfficeIdleTimeouts() {
  if (!isAdmin()) return false;
  store::StoreTransaction tx(m_store);
  m_store.deleteSetting(kSettingIdleWarn);
  m_store.deleteSetting(kSettingIdleReset);
  tx.commit();
  settingChanged(kSettingIdleWarn, "setting.idle_timeouts", "head office");
  return true;
}

std::string StaffMode::cameraSpec() { return core::cameraSpec(m_store); }

bool StaffMode::cameraChosen(const std::string& spec) {
  if (!m_staff || spec.empty()) return false;
  m_store.setSetting(kSettingCamera, spec);
  settingChanged(kSettingCamera, "setting.camera", spec);
  return true;
}

int StaffMode::uiScalePercent() { return core::uiScalePercent(m_store); }

bool StaffMode::setUiScale(int percent) {
  if (!m_staff) return false;
  if (std::find(kUiScales.begin(), kUiScales.end(), percent) == kUiScales.end()) return false;
  m_store.setSetting(kSettingUiScale, std::to_string(percent));
  settingChanged(kSettingUiScale, "setting.ui_scale", std::to_string(percent));
  return true;
}

bool StaffMode::startCheck(std::function<CheckResult()> work) {
  m_notice = Notice::working("staff.checking");
  if (m_checking) return false;  // one at a time; the first one's answer comes soon
  m_checking = true;
  m_jobs.run([this, work = std::move(work)]() -> UiQueue::Task {
    CheckResult apply;
    try {
      apply = work();
    } catch (const std::exception& e) {
      // work() catches what it expects; anything else still reaches the screen as text.
      apply = [this, why = std::string(e.what())] {
        m_notice = Notice::warning("staff.check_failed", {}, why);
      };
    }
    return m_lifeline.guard([this, apply] {
      m_checking = false;
      apply();
    });
  });
  return true;
}

bool StaffMode::finishWork(std::chrono::milliseconds wait) {
  m_jobs.waitIdle(wait);
  return m_ui.runPosted() > 0;
}

bool StaffMode::askHeadOffice(const sync::ServerEndpoint& endpoint, const std::string& failureKey,
                              std::function<void(const sync::KioskInfo&)> onAnswer) {
  return startCheck([this, endpoint, failureKey, onAnswer]() -> CheckResult {
    try {
      const sync::KioskInfo info = sync::SyncClient(endpoint).identify();
      return [info, onAnswer] { onAnswer(info); };
    } catch (const std::exception& e) {
      const std::string why = e.what();
      return [this, failureKey, why] { m_notice = Notice::warning(failureKey, {}, why); };
    }
  });
}

bool StaffMode::isThisKiosk(const sync::KioskInfo& info, const std::string& kioskId) {
  if (kioskId.empty() || info.kioskId == kioskId) return true;
  m_notice = Notice::warning("staff.reenrol_other_kiosk", {}, info.kioskId);
  return false;
}

bool StaffMode::reenrol(const std::string& token) {
  if (!isAdmin()) return false;
  sync::ServerEndpoint endpoint = endpointFor(m_store, "");
  if (endpoint.baseUrl.empty()) {
    m_notice = Notice::warning("staff.reenrol_not_enrolled");
    return false;
  }
  endpoint.token = token;
  const std::string kioskId = m_store.setting(kSettingKioskId).value_or("");
  const std::string staffId = m_staff->id;
  // Head office says whose token this is before anything is stored.
  return askHeadOffice(endpoint, "staff.reenrol_failed", [=, this](const sync::KioskInfo& info) {
    if (!isThisKiosk(info, kioskId)) return;
    storeEnrolment(m_store, endpoint.baseUrl, token, {endpoint.caFile, endpoint.pinnedPublicKey},
                   info);
    m_store.audit(staffId, "kiosk.reenrol", kioskId);
    m_notice = Notice::success("staff.reenrolled");
    if (m_settingChanged) m_settingChanged(kSettingToken);
    m_syncNow();
  });
}

bool StaffMode::changeServer(const std::string& url) {
  if (!isAdmin()) return false;
  try {
    validateServerUrl(url);
  } catch (const std::invalid_argument& e) {
    m_notice = Notice::warning("staff.server_invalid", {}, e.what());
    return false;
  }
  sync::ServerEndpoint endpoint = endpointFor(m_store, url);
  const std::string kioskId = m_store.setting(kSettingKioskId).value_or("");
  if (endpoint.token.empty() || kioskId.empty()) {
    m_notice = Notice::warning("staff.reenrol_not_enrolled");
    return false;
  }
  const std::string staffId = m_staff->id;
  // The kiosk's own token must be accepted at the new address and name this kiosk.
  return askHeadOffice(endpoint, "staff.server_unreachable",
                       [=, this](const sync::KioskInfo& info) {
                         if (!isThisKiosk(info, kioskId)) return;
                         m_store.setSetting(kSettingServerUrl, url);
                         m_store.audit(staffId, "kiosk.server_url", url);
                         m_notice = Notice::success("staff.server_changed");
                         if (m_settingChanged) m_settingChanged(kSettingServerUrl);
                         m_syncNow();
                       });
}

}  // namespace smp::core
