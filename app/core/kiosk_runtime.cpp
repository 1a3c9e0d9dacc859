#include "app/core/kiosk_runtime.h"

#include "app/core/consultation_service.h"
#include "app/core/kiosk_commands.h"
#include "app/core/kiosk_settings.h"
#include "app/core/store_outbox.h"
#include "sync/client/sync_worker.h"
#include "sync/service/service_manager.h"

namespace smp::core {

// Declared in the order they are built; destroyed in reverse, so the sync worker stops before
// the store it reads is closed, and staff mode's jobs end before the service they use.
struct KioskRuntime::Parts {
  explicit Parts(const KioskRuntimeOptions& o)
      : options(o),
        store(openStore(o.dataDir)),
        tr(Translations::load(o.assetsDir)),
        service(*store, o.assetsDir, store->setting(kSettingKioskId).value_or("")) {}

  static std::unique_ptr<store::KioskStore> openStore(const std::filesystem::path& dataDir) {
    ensureDataDir(dataDir);
    try {
      return std::make_unique<store::KioskStore>(databasePath(dataDir));
    } catch (const store::StoreError& e) {
      throw KioskUnavailable(e.what());
    }
  }

  KioskRuntimeOptions options;
  std::unique_ptr<store::KioskStore> store;
  Translations tr;
  ConsultationService service;
  UiQueue ui;
  std::function<void(const std::string&)> uiSettingChanged;
  std::unique_ptr<sync::SyncWorker> worker;
  std::unique_ptr<KioskFlow> flow;
  std::unique_ptr<StaffMode> staff;
};

KioskRuntime::KioskRuntime(const KioskRuntimeOptions& options)
    : m_parts(std::make_unique<Parts>(options)) {
  Parts& p = *m_parts;
  store::KioskStore& store = *p.store;
  const sync::ServerEndpoint endpoint = endpointFor(store, options.serverOverride);
  if (endpoint.token.empty()) {
    service::logLine(service::LogLevel::kWarning, "smp-kiosk",
                     "not enrolled yet: consultations are kept locally until you run "
                     "'smp-kiosk --data-dir " +
                         options.dataDir.string() + " enroll --server URL --token-file FILE'");
  }
  const auto dbPath = databasePath(options.dataDir);
  // Reports come from the worker's thread: logged there, shown on the UI thread.
  // The worker's connection shares the store key with the UI's: the key it fetches from head
  // office after a restart unseals the staff screens too.
  p.worker = std::make_unique<sync::SyncWorker>(
      endpoint,
      [dbPath, keys = store.keys()] { return std::make_unique<StoreOutbox>(dbPath, keys); },
      [&p](const sync::SyncReport& r) {
        if (r.attempted > 0 || r.outcome != sync::PassOutcome::kAllAcknowledged) {
          service::logLine(
              r.outcome == sync::PassOutcome::kAllAcknowledged ? service::LogLevel::kInfo
                                                               : service::LogLevel::kWarning,
              "smp-kiosk", std::string("sync ") + sync::outcomeName(r.outcome) + ": " + r.message);
        }
        const bool reached = r.outcome == sync::PassOutcome::kAllAcknowledged ||
                             r.outcome == sync::PassOutcome::kPartial;
        p.ui.post([&p, reached, message = r.message] {
          if (p.staff) p.staff->syncReported(reached, message);
        });
      });
  p.flow = std::make_unique<KioskFlow>(
      [&p](const ConsultationDraft& draft) {
        auto record = p.service.save(draft);
        p.worker->wake();  // saved locally first; head office gets it as soon as it can
        return record;
      },
      idleTimeouts(store));
  p.staff = std::make_unique<StaffMode>(
      store, [&p] { p.worker->wake(); }, &p.service, &p.ui);
  p.flow->setDefaultLanguage(p.staff->defaultLanguage());
  // Settings changed in staff mode take effect at once.
  p.staff->onSettingChanged([&p](const std::string& key) {
    if (key == kSettingDefaultLanguage) p.flow->setDefaultLanguage(p.staff->defaultLanguage());
    if (key == kSettingIdleWarn) p.flow->setIdleTimeouts(idleTimeouts(*p.store));
    if (key == kSettingServerUrl || key == kSettingToken) {
      p.worker->setEndpoint(endpointFor(*p.store, p.options.serverOverride));
    }
    if (p.uiSettingChanged) p.uiSettingChanged(key);
  });
}

KioskRuntime::~KioskRuntime() {
  // Staff mode first (its jobs may post), then the worker; the queue is dropped with the rest.
  m_parts->staff.reset();
  m_parts->worker.reset();
}

KioskFlow& KioskRuntime::flow() { return *m_parts->flow; }
StaffMode& KioskRuntime::staff() { return *m_parts->staff; }
Translations& KioskRuntime::translations() { return m_parts->tr; }
UiQueue& KioskRuntime::uiQueue() { return m_parts->ui; }

ConsentText KioskRuntime::consentText(const std::string& language) {
  return m_parts->service.consent(language);
}

TreatmentPlan KioskRuntime::planFor(const ConsultationDraft& draft) {
  // Head office's config (pulled by the sync worker) sets prices.
  return core::planFor(draft, headOfficeConfig(*m_parts->store));
}

std::string KioskRuntime::clinicName() { return core::clinicName(*m_parts->store); }
std::string KioskRuntime::cameraSpec() { return core::cameraSpec(*m_parts->store); }
int KioskRuntime::uiScalePercent() { return core::uiScalePercent(*m_parts->store); }

void KioskRuntime::onUiSettingChanged(std::function<void(const std::string& key)> f) {
  m_parts->uiSettingChanged = std::move(f);
}

}  // namespace smp::core
