#include "app/ui/kiosk_window.h"

#include "app/core/failure_notice.h"
#include "app/core/kiosk_settings.h"
#include "sync/service/service_manager.h"

namespace smp::ui {

KioskWindow::KioskWindow(SdlHost& host, core::KioskRuntime& kiosk, platform::CameraSlot& camera)
    : m_host(host),
      m_kiosk(kiosk),
      m_screens(
          host, kiosk.flow(), kiosk.translations(), camera,
          [&kiosk](const std::string& lang) { return kiosk.consentText(lang); },
          [&kiosk](const core::ConsultationDraft& d) { return kiosk.planFor(d); },
          &kiosk.uiQueue()),
      m_staffScreens(host, kiosk.staff(), kiosk.translations(), camera) {
  m_screens.setClinicName(kiosk.clinicName());
  kiosk.onUiSettingChanged([this](const std::string& key) {
    if (key == core::kSettingClinicName) m_screens.setClinicName(m_kiosk.clinicName());
    if (key == core::kSettingUiScale) m_host.setUiScale(m_kiosk.uiScalePercent());
  });
}

void KioskWindow::draw(Clock::time_point now, core::StaffMode::Clock::time_point wall) {
  try {
    m_kiosk.uiQueue().runPosted();  // results from sync, checks and renders, on this thread
    core::StaffMode& staff = m_kiosk.staff();
    if (!staff.active()) m_staffScreens.watchCorner(wall);  // a 3 s press, top-left corner
    if (staff.active()) {
      m_kiosk.flow().touched(now);  // the client's session waits while staff help
      m_staffScreens.draw(wall);
    } else {
      m_screens.draw(now);
    }
  } catch (const std::exception& e) {
    // The kiosk keeps running and says so; what was saved before stays saved.
    service::logLine(service::LogLevel::kError, "smp-kiosk", std::string("error: ") + e.what());
    m_host.recoverFrame();
    m_banner.show(core::failureNotice(e));
  }
  m_banner.draw(m_host, m_kiosk.translations());
}

TapTargets KioskWindow::targets() const {
  TapTargets all;
  const TapTargets& screen =
      m_kiosk.staff().active() ? m_staffScreens.targets() : m_screens.targets();
  const auto banner = m_banner.area();
  for (const auto& [name, rect] : screen.all()) {
    const bool covered = banner && rect.y < banner->y + banner->h;
    if (!covered) all.add(name, rect);
  }
  for (const auto& [name, rect] : m_banner.targets().all()) all.add(name, rect);
  return all;
}

}  // namespace smp::ui
