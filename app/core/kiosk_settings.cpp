#include "app/core/kiosk_settings.h"

#include <algorithm>
#include <charconv>
#include <nlohmann/json.hpp>

#include "app/core/kiosk_commands.h"
#include "sync/protocol/messages.h"
#include "sync/protocol/untrusted_json.h"

namespace smp::core {
namespace {

std::optional<int> intSetting(store::KioskStore& store, const char* key) {
  const auto text = store.setting(key);
  if (!text) return std::nullopt;
  int value = 0;
  const auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (ec != std::errc() || end != text->data() + text->size()) return std::nullopt;
  return value;
}

}  // namespace

std::string clinicName(store::KioskStore& store) {
  const auto own = store.setting(kSettingClinicName);
  if (own && !own->empty()) return *own;
  return store.setting(kSettingClinic).value_or("");
}

bool idleTimeoutsAreLocal(store::KioskStore& store) {
  return intSetting(store, kSettingIdleWarn) && intSetting(store, kSettingIdleReset);
}

IdleTimeouts idleTimeouts(store::KioskStore& store) {
  IdleTimeouts idle;
  const auto warn = intSetting(store, kSettingIdleWarn);
  const auto reset = intSetting(store, kSettingIdleReset);
  if (warn && reset) {
    idle.warnAfter = std::chrono::seconds(std::clamp(*warn, kIdleWarnMin, kIdleWarnMax));
    idle.resetAfter = std::chrono::seconds(std::clamp(*reset, kIdleResetMin, kIdleResetMax));
    return idle;
  }
  // Head office's config was validated when it was pulled; the clamp guards older copies.
  const auto config = headOfficeConfig(store);
  if (config.is_object() && config.contains("idle_timeouts") &&
      config["idle_timeouts"].is_object()) {
    const auto& t = config["idle_timeouts"];
    const auto number = [&](const char* key, int fallback) {
      return t.contains(key) && t[key].is_number_integer() ? t[key].get<int>() : fallback;
    };
    idle.warnAfter = std::chrono::seconds(std::max(1, number("warning_seconds", 60)));
    idle.resetAfter = std::chrono::seconds(std::max(kIdleResetMin, number("reset_seconds", 20)));
  }
  return idle;
}

std::string cameraSpec(store::KioskStore& store) {
  const auto spec = store.setting(kSettingCamera);
  return spec && !spec->empty() ? *spec : "v4l2";
}

int uiScalePercent(store::KioskStore& store) {
  const auto value = intSetting(store, kSettingUiScale);
  if (!value || std::find(kUiScales.begin(), kUiScales.end(), *value) == kUiScales.end()) return 0;
  return *value;
}

nlohmann::json headOfficeConfig(store::KioskStore& store) {
  const auto text = store.setting(kSettingConfig);
  if (!text) return nlohmann::json::object();
  try {
    auto config = protocol::parseUntrustedJson(*text, protocol::kMaxConfigBytes);
    return config.is_object() ? config : nlohmann::json::object();
  } catch (const protocol::ProtocolError&) {
    return nlohmann::json::object();
  }
}

std::optional<int> retentionDays(store::KioskStore& store) {
  const auto config = headOfficeConfig(store);
  if (!config.contains("retention_days") || !config["retention_days"].is_number_integer())
    return std::nullopt;
  const int days = config["retention_days"].get<int>();
  // Validated when pulled; the clamp guards a copy written by older software.
  return std::clamp(days, 1, 3650);
}

}  // namespace smp::core
