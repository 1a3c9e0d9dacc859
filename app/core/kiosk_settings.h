// Settings the clinic changes on the kiosk itself (staff settings screen), next to what
// enrolment and head office set. Each reader falls back to a sensible default, so a kiosk
// that never saw the settings screen behaves as before.
#pragma once

#include <array>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "app/core/kiosk_flow.h"
#include "app/store/kiosk_store.h"

namespace smp::core {

inline constexpr const char* kSettingClinicName = "kiosk.clinic_name";  // shown to clients
inline constexpr const char* kSettingCamera = "kiosk.camera";           // a --camera spec
inline constexpr const char* kSettingIdleWarn = "kiosk.idle_warning_seconds";
inline constexpr const char* kSettingIdleReset = "kiosk.idle_reset_seconds";
inline constexpr const char* kSettingUiScale = "kiosk.ui_scale_percent";  // 0: fit the screen

// Limits for the idle timeouts a clinic may set. The reset window is at least 20 s (WCAG 2.2.1);
// more than 10 minutes before the warning would leave a walked-away client's answers on show.
inline constexpr std::size_t kMaxClinicNameChars = 60;  // fits the welcome screen's line
inline constexpr int kIdleWarnMin = 30, kIdleWarnMax = 600;
inline constexpr int kIdleResetMin = 20, kIdleResetMax = 120;

// UI scales staff may choose; 0 fits the 1920x1080 layout to the screen.
inline constexpr std::array<int, 6> kUiScales = {0, 75, 100, 125, 150, 200};

// Head office's config as the sync worker stored it (validated when pulled), parsed with the
// same bounds as a body off the network: a crafted database cannot crash the kiosk. An empty
// object when there is none or it is unreadable.
nlohmann::json headOfficeConfig(store::KioskStore& store);
// The name clients see: the clinic's own choice, else head office's name from enrolment.
std::string clinicName(store::KioskStore& store);
// Idle timeouts: the kiosk's own if set, else head office's config, else the defaults.
IdleTimeouts idleTimeouts(store::KioskStore& store);
// Days the kiosk keeps a record's readable copy after head office acknowledged it, from head
// office's config; nullopt: head office has not set a limit, the copy stays until erased.
std::optional<int> retentionDays(store::KioskStore& store);
bool idleTimeoutsAreLocal(store::KioskStore& store);
// The camera to open: the one staff chose, else "v4l2".
std::string cameraSpec(store::KioskStore& store);
// The UI scale in percent, 0 for "fit the screen"; unknown values read as 0.
int uiScalePercent(store::KioskStore& store);

}  // namespace smp::core
