// The running kiosk's parts, wired: the store, the consultation service, background sync, the
// client flow and staff mode, and the settings that change them while it runs. The UI creates
// one, draws its flow and staff mode, and runs its UI queue once a frame; it holds no store,
// no socket and no sync worker of its own.
#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>

#include "app/core/kiosk_flow.h"
#include "app/core/staff_mode.h"
#include "app/core/translations.h"
#include "app/core/treatment_plan.h"
#include "app/core/ui_queue.h"

namespace smp::core {

// The store could not be opened (damaged, unreadable): the kiosk must not take consultations
// and calls staff. what() says why in words for a technician.
class KioskUnavailable : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct KioskRuntimeOptions {
  std::filesystem::path dataDir;
  std::filesystem::path assetsDir;
  std::string serverOverride;  // --server for this run
};

class KioskRuntime {
 public:
  // Throws KioskUnavailable when the store cannot be opened; never recreates over data.
  explicit KioskRuntime(const KioskRuntimeOptions& options);
  ~KioskRuntime();
  KioskRuntime(const KioskRuntime&) = delete;
  KioskRuntime& operator=(const KioskRuntime&) = delete;

  KioskFlow& flow();
  StaffMode& staff();
  Translations& translations();
  // Every result from another thread (sync reports, staff checks and renders) arrives here; the
  // frame loop runs it once a frame.
  UiQueue& uiQueue();

  // For the client screens.
  ConsentText consentText(const std::string& language);
  TreatmentPlan planFor(const ConsultationDraft& draft);
  std::string clinicName();
  // For the window and camera at start.
  std::string cameraSpec();
  int uiScalePercent();

  // A setting changed in staff mode that the UI applies itself (the clinic name on the welcome
  // screen, the UI scale); the runtime applies the rest (language, idle times, head office).
  void onUiSettingChanged(std::function<void(const std::string& key)> f);

 private:
  struct Parts;
  std::unique_ptr<Parts> m_parts;
};

}  // namespace smp::core
