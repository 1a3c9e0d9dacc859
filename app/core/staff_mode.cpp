// Staff mode transitions. Each action that reads or changes a record is written to the audit
// log with the staff member's id.
#include "app/core/staff_mode.h"

#include <algorithm>
#include <utility>

#include "app/core/consultation_draft.h"
#include "app/core/kiosk_commands.h"
#include "app/core/translations.h"
#include "sync/client/sync_client.h"
#include "sync/protocol/consultation.h"

namespace smp::core {

StaffMode::StaffMode(store::KioskStore& store, SyncNow syncNow, ConsultationService* service,
                     UiQueue* ui)
    : m_store(store),
      m_accounts(store),
      m_syncNow(std::move(syncNow)),
      m_service(service),
      m_ui(ui ? *ui : m_ownQueue) {}

bool StaffMode::rerunPreview() { return rerender(std::nullopt, "record.rerun_preview"); }

bool StaffMode::retakeFrontPhoto(const engine::RgbImage& photo) {
  return !photo.empty() && rerender(photo, "record.retake_photo");
}

bool StaffMode::rerender(std::optional<engine::RgbImage> newFront, const std::string& action) {
  if (!m_staff || !m_service || m_openId.empty() || m_rendering) return false;
  RerenderJob job;
  try {
    job = m_service->prepareRerender(m_openId, std::move(newFront));
  } catch (const std::exception&) {
    m_notice = Notice::warning("staff.rerender_failed");
    return false;
  }
  m_rendering = true;
  m_notice = Notice::working("staff.rendering");
  // The render (about 70 ms, more for a large photo) runs off the UI thread; the revision is
  // saved back on it, in the staff member's name even if they have signed out meanwhile.
  const std::string staffId = m_staff->id;
  m_jobs.run([this, job = std::move(job), staffId, action]() -> UiQueue::Task {
    std::shared_ptr<const RerenderedRevision> revision;
    try {
      revision = std::make_shared<const RerenderedRevision>(renderRevision(job));
    } catch (const std::exception&) {
      return m_lifeline.guard([this] {
        m_rendering = false;
        m_notice = Notice::warning("staff.rerender_failed");
      });
    }
    return m_lifeline.guard([this, revision, staffId, action] {
      m_rendering = false;
      try {
        m_service->commitRerender(*revision, staffId);
        m_store.audit(staffId, action, revision->id);
      } catch (const std::exception&) {
        m_notice = Notice::warning("staff.rerender_failed");
        return;
      }
      m_notice = Notice::success("staff.rerendered");
      m_syncNow();
    });
  });
  return true;
}

void StaffMode::audit(const std::string& action, const std::string& record) {
  m_store.audit(m_staff ? m_staff->id : "kiosk", action, record);
}

void StaffMode::cornerHeld(Clock::duration heldFor, Clock::time_point now) {
  if (m_screen != StaffScreen::kClosed || heldFor < kEntryHold) return;
  m_screen = StaffScreen::kPin;
  m_pin.clear();
  m_chosen.clear();
  m_notice = m_accounts.empty() ? Notice::warning("staff.no_staff") : Notice{};
  m_lastTouch = now;
}

void StaffMode::chooseStaff(const std::string& staffId) {
  m_chosen = staffId;
  m_pin.clear();
  m_notice = {};
}

void StaffMode::pinDigit(char digit) {
  if (m_screen != StaffScreen::kPin) return;  // a PIN is only ever typed on the PIN pad
  if (m_pin.size() < kMaxPinDigits && digit >= '0' && digit <= '9') m_pin += digit;
}

void StaffMode::pinDelete() {
  if (!m_pin.empty()) m_pin.pop_back();
}

bool StaffMode::submitPin(Clock::time_point now) {
  if (m_chosen.empty()) {
    m_notice = Notice::warning("staff.choose_name");
    return false;
  }
  const PinResult r = m_accounts.checkPin(m_chosen, m_pin, now);
  m_pin.clear();  // a PIN never stays in memory longer than one check
  switch (r.result) {
    case PinCheck::kAccepted:
      m_staff = r.staff;
      m_screen = StaffScreen::kRecords;
      m_notice = {};
      m_lastTouch = now;
      return true;
    case PinCheck::kWrong:
      m_notice = Notice::warning("staff.pin_wrong", {std::to_string(r.triesLeft)});
      return false;
    case PinCheck::kLocked:
      m_notice = Notice::warning("staff.pin_locked", {std::to_string(r.secondsLocked)});
      return false;
  }
  return false;
}

void StaffMode::cancel() {
  if (m_staff) return logout();
  m_screen = StaffScreen::kClosed;
  m_pin.clear();
  m_notice = {};
}

void StaffMode::logout(const std::string& why) {
  if (m_staff) audit(why, "");
  m_staff.reset();
  m_pin.clear();
  m_chosen.clear();
  m_openId.clear();
  m_eraseArmed = false;
  m_notice = {};
  m_query = {};
  m_newStaff = {};  // no typed PIN outlives the session
  m_removeArmed.clear();
  m_screen = StaffScreen::kClosed;
}

void StaffMode::tick(Clock::time_point now) {
  if (&m_ui == &m_ownQueue) m_ownQueue.runPosted();  // else the frame loop runs the app's queue
  if (active() && now - m_lastTouch >= kStaffIdleLogout) logout("staff.logout_idle");
}

void StaffMode::show(StaffScreen screen) {
  if (!m_staff || screen == StaffScreen::kPin || screen == StaffScreen::kClosed) return;
  if (screen == StaffScreen::kTeam && !isAdmin()) return;
  m_screen = screen;
  m_eraseArmed = false;
  m_newStaff = {};
  m_removeArmed.clear();
  m_notice = {};
}

void StaffMode::openRecord(const std::string& id) {
  if (!m_staff) return;
  if (m_store.isPurged(id)) {
    m_notice = Notice::warning("staff.record_purged");
    return;
  }
  if (m_store.sealed()) {
    m_notice = Notice::warning("error.records_sealed");
    return;
  }
  if (!m_store.loadRecord(id)) return;
  m_openId = id;
  m_eraseArmed = false;
  m_notice = {};  // what was said about another record is not about this one
  m_screen = StaffScreen::kDetail;
  audit("record.view", id);  // who saw which record, as health-data rules ask
}

void StaffMode::setStatus(const std::string& status, const std::string& note) {
  if (!m_staff || m_openId.empty() || (status != "onboarded" && status != "booked")) return;
  auto record = m_store.loadRecord(m_openId);
  if (!record) return;
  nlohmann::json intake = record->intake;
  intake["staff_status"] = {{"status", status},
                            {"note", note.substr(0, 500)},
                            {"by", m_staff->id},
                            {"at", protocol::nowIso8601Utc()}};
  m_store.revise(m_openId, intake, m_staff->id);
  audit("record." + status, m_openId);
  m_syncNow();
}

void StaffMode::beginEdit() {
  auto record = m_store.loadRecord(m_openId);
  if (!m_staff || !record) return;
  m_edits = {
      record->clientName, record->intake.value("phone", ""), record->intake.value("email", ""), {}};
  if (record->intake.contains("health") && record->intake["health"].is_object()) {
    for (const auto& [q, yes] : record->intake["health"].items()) {
      if (yes.is_boolean()) m_edits.health[q] = yes.get<bool>();
    }
  }
  m_notice = {};
  m_screen = StaffScreen::kEdit;
}

bool StaffMode::saveEdits() {
  if (!m_staff || m_openId.empty()) return false;
  for (const std::string& why : {validateName(m_edits.clientName), validatePhone(m_edits.phone),
                                 validateEmail(m_edits.email)}) {
    if (!why.empty()) {
      m_notice = Notice::warning(why);
      return false;
    }
  }
  m_store.revise(
      m_openId,
      [&](protocol::ConsultationRecord& r) {
        r.clientName = m_edits.clientName;
        r.intake["phone"] = m_edits.phone;
        r.intake["email"] = m_edits.email;
        nlohmann::json health = nlohmann::json::object();
        std::vector<std::string> flags;
        for (const auto& q : kHealthQuestions) {
          auto it = m_edits.health.find(q);
          if (it == m_edits.health.end()) continue;
          health[q] = it->second;
          if (it->second) flags.push_back(q);
        }
        r.intake["health"] = health;
        r.intake["health_flags"] = flags;
      },
      m_staff->id);
  audit("record.edit", m_openId);
  m_notice = {};
  m_screen = StaffScreen::kDetail;
  m_syncNow();
  return true;
}

void StaffMode::armErase() {
  if (m_staff && !m_openId.empty()) m_eraseArmed = true;
}

bool StaffMode::confirmErase() {
  if (!m_staff || !m_eraseArmed || m_openId.empty()) return false;
  const bool erased = m_store.erase(m_openId, m_staff->id);
  m_eraseArmed = false;
  m_openId.clear();
  m_screen = StaffScreen::kRecords;
  m_notice = erased ? Notice::success("staff.erased") : Notice{};
  m_syncNow();  // the tombstone goes to head office as soon as it can
  return erased;
}

const std::vector<StaffMember>& StaffMode::members() {
  const store::ChangeStamp stamp = m_store.changeStamp();
  if (m_membersStamp != stamp) {
    m_members = m_accounts.members();
    m_membersStamp = stamp;
  }
  return m_members;
}

const SyncHealth& StaffMode::syncHealth(Clock::time_point now) {
  const store::ChangeStamp stamp = m_store.changeStamp();
  if (m_healthStamp == stamp && now >= m_healthReadAt &&
      now - m_healthReadAt < std::chrono::seconds(1))
    return m_health;
  m_healthStamp = stamp;
  m_healthReadAt = now;
  const store::StoreStatus s = m_store.status();
  SyncHealth& h = m_health;
  h = SyncHealth{};
  h.pending = s.pending;
  h.oldestPendingSeconds = s.oldestPendingAgeSeconds;
  h.oldestPendingWarning = s.oldestPendingAgeSeconds && *s.oldestPendingAgeSeconds > 24 * 3600;
  h.lastResult = s.lastSyncResult;
  h.lastSyncAt = s.lastSyncAt;
  h.online = s.lastSyncResult.rfind("ok", 0) == 0 || s.lastSyncResult.rfind("partial", 0) == 0;
  h.needsReenrolment = s.lastSyncResult.rfind("unauthorized", 0) == 0;
  for (const store::OutboxEntry& e : m_store.quarantinedOutbox()) {
    h.quarantined.push_back({e.consultationId, e.revision, e.kind == store::OutboxKind::kTombstone,
                             e.lastError.substr(0, 100)});
  }
  return h;
}

void StaffMode::syncNow() {
  audit("sync.now", "");
  m_syncAsked = true;
  m_notice = Notice::working("staff.syncing");
  m_syncNow();
}

void StaffMode::syncReported(bool reachedHeadOffice, const std::string& message) {
  if (!m_syncAsked || !m_staff) return;  // passes nobody asked for are on the health screen
  m_syncAsked = false;
  m_notice = reachedHeadOffice ? Notice::success("staff.sync_done", message)
                               : Notice::warning("staff.sync_failed", {}, message);
}

void StaffMode::releaseQuarantine(const QuarantinedRow& row) {
  if (!m_staff) return;
  m_store.releaseFromQuarantine(
      row.consultationId, row.revision,
      row.tombstone ? store::OutboxKind::kTombstone : store::OutboxKind::kRecord, m_staff->id);
  m_syncNow();
}

bool StaffMode::addStaff() {
  if (!isAdmin()) return false;
  NewStaffForm& f = m_newStaff;
  // Checked here, with message keys, so the admin reads the reason in the kiosk's language.
  if (f.name.empty() || f.name.size() > kMaxStaffNameChars) {
    m_notice = Notice::warning("staff.team_name_invalid");
    return false;
  }
  try {
    StaffAccounts::validatePin(f.pin);
  } catch (const StaffError&) {
    m_notice = Notice::warning("staff.team_pin_invalid");
    f.pin.clear();
    f.pinAgain.clear();
    return false;
  }
  if (f.pin != f.pinAgain) {
    m_notice = Notice::warning("staff.team_pin_mismatch");
    f.pin.clear();
    f.pinAgain.clear();
    return false;
  }
  try {
    m_accounts.add(f.name, f.pin, f.admin, m_staff->id);
  } catch (const StaffError&) {
    m_notice = Notice::warning("staff.team_failed");
    return false;
  }
  m_newStaff = {};
  m_notice = Notice::success("staff.team_added");
  return true;
}

void StaffMode::armRemove(const std::string& staffId) {
  if (!isAdmin()) return;
  if (staffId == m_staff->id) {
    m_notice = Notice::warning("staff.team_not_yourself");
    return;
  }
  m_removeArmed = staffId;
  m_notice = {};
}

bool StaffMode::confirmRemove() {
  if (!isAdmin() || m_removeArmed.empty()) return false;
  const std::string id = std::exchange(m_removeArmed, std::string());
  try {
    m_accounts.remove(id, m_staff->id);
  } catch (const StaffError&) {
    m_notice = Notice::warning("staff.team_failed");
    return false;
  }
  m_notice = Notice::success("staff.team_removed");
  return true;
}

}  // namespace smp::core
