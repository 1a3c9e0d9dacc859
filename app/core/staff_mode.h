// Staff mode as a state machine: entry by a long press, staff and PIN, then records (search,
// filters, detail, onboarded/booked with a note, erase confirmed twice), sync health,
// settings, and the team (admins add and remove staff). Logged out after two minutes without a
// touch. Every action is audited.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "app/core/consultation_service.h"
#include "app/core/kiosk_flow.h"
#include "app/core/notice.h"
#include "app/core/staff_accounts.h"
#include "app/core/staff_views.h"
#include "app/core/ui_queue.h"
#include "app/store/kiosk_store.h"
#include "sync/client/sync_client.h"

namespace smp::core {

enum class StaffScreen { kClosed, kPin, kRecords, kDetail, kEdit, kSyncHealth, kSettings, kTeam };

// The form an admin fills in to add a staff member. The PIN is typed twice.
struct NewStaffForm {
  std::string name;
  std::string pin;
  std::string pinAgain;
  bool admin = false;
};

// Answers staff may correct with the client; saved as a new revision.
struct RecordEdits {
  std::string clientName;
  std::string phone;
  std::string email;
  std::map<std::string, bool> health;
};

inline constexpr std::chrono::seconds kStaffIdleLogout{120};
inline constexpr std::chrono::seconds kEntryHold{3};

struct SyncHealth {
  bool online = false;  // the last pass reached head office
  std::int64_t pending = 0;
  std::optional<std::int64_t> oldestPendingSeconds;
  bool oldestPendingWarning = false;  // over 24 h
  std::string lastResult;             // in plain words
  std::string lastSyncAt;
  std::vector<QuarantinedRow> quarantined;
  bool needsReenrolment = false;
};

class StaffMode {
 public:
  using Clock = std::chrono::system_clock;
  using SyncNow = std::function<void()>;
  // service (optional) enables re-running the preview and retaking the front photo. Results of
  // work off the UI thread (head-office checks, renders) come back through `ui`, which the
  // frame loop runs; without one, StaffMode keeps its own and tick() runs it.
  StaffMode(store::KioskStore& store, SyncNow syncNow, ConsultationService* service = nullptr,
            UiQueue* ui = nullptr);

  // Runs work a staff screen starts (a camera switch) on staff mode's worker, after the
  // checks and renders before it; its result comes back through the UiQueue, and
  // finishWork() waits for it like for the rest.
  void runInBackground(BackgroundJobs::Job job) { m_jobs.run(std::move(job)); }
  StaffScreen screen() const { return m_screen; }
  bool active() const { return m_screen != StaffScreen::kClosed; }
  const std::optional<StaffMember>& staff() const { return m_staff; }
  // What the last action has to say (kept until the next action or screen change).
  const Notice& notice() const { return m_notice; }

  // Entry: a press held on the corner for kEntryHold opens the PIN pad.
  void cornerHeld(Clock::duration heldFor, Clock::time_point now);
  // The team, by name; cached until the store changes (the PIN and team screens draw it).
  const std::vector<StaffMember>& members();
  void chooseStaff(const std::string& staffId);
  const std::string& chosenStaff() const { return m_chosen; }
  void pinDigit(char digit);
  void pinDelete();
  const std::string& pinEntered() const { return m_pin; }
  bool submitPin(Clock::time_point now);
  void cancel();  // back to the client screens
  void logout(const std::string& why = "staff.logout");

  // Idle: every touch while active; tick() each frame logs out after kStaffIdleLogout.
  void touched(Clock::time_point now) { m_lastTouch = now; }
  void tick(Clock::time_point now);

  // Records.
  void show(StaffScreen screen);
  store::RecordQuery& query() { return m_query; }
  // The list for query(), newest first; queried again only when the query or the store changed.
  const std::vector<RecordRow>& records();
  // After a restart, until head office sends the store key: rows show no names, records and
  // photos cannot be opened; new consultations are saved as usual.
  bool recordsSealed() const { return m_store.sealed(); }
  void openRecord(const std::string& id);
  const std::string& openId() const { return m_openId; }
  // The open record, ready to draw, or nullptr. Rebuilt when the store changed; its images are
  // decoded again only when the record has a new revision.
  const RecordDetailView* openRecordView();
  // Marks the open record onboarded or booked with a note (a new revision, synced).
  void setStatus(const std::string& status, const std::string& note);
  // Editing: begin copies the open record's answers; save validates and writes a revision.
  void beginEdit();
  RecordEdits& edits() { return m_edits; }
  bool saveEdits();
  // New revisions with a re-rendered preview, from the stored photo or a retaken one. The
  // render runs off the UI thread (rendering() until its revision is saved); false if it could
  // not start (notice() says why).
  bool canRerender() const { return m_service != nullptr; }
  bool rerunPreview();
  bool retakeFrontPhoto(const engine::RgbImage& photo);
  bool rendering() const { return m_rendering; }
  // Erasure needs two confirmations; the first arms it, the second erases.
  bool eraseArmed() const { return m_eraseArmed; }
  void armErase();
  bool confirmErase();

  // Team (admins only): add staff, and remove them with a second confirmation. An admin cannot
  // remove themselves, so the kiosk always keeps an admin who can sign in.
  bool isAdmin() const { return m_staff && m_staff->admin; }
  NewStaffForm& newStaff() { return m_newStaff; }
  bool addStaff();
  const std::string& removeArmed() const { return m_removeArmed; }
  void armRemove(const std::string& staffId);
  void disarmRemove() { m_removeArmed.clear(); }
  bool confirmRemove();

  // Sync health.
  // Re-read when the store changes (the sync worker's commits included) and at most once a
  // second otherwise, so the oldest record's age keeps counting without a query per frame.
  const SyncHealth& syncHealth(Clock::time_point now);
  void syncNow();
  void releaseQuarantine(const QuarantinedRow& row);

  // Settings (staff_mode_settings.cpp). Any staff: the default language, the camera and the UI
  // scale. Admins: the clinic name, head office's address and the idle timeouts. Each change is
  // stored, audited and announced through onSettingChanged with its settings key, so the
  // running kiosk applies it at once.
  void onSettingChanged(std::function<void(const std::string& key)> f) {
    m_settingChanged = std::move(f);
  }
  // Everything the settings screen shows, cached until the store changes.
  const SettingsView& settingsView();
  // What enrolment and head office set, read-only: (translation key, value).
  std::vector<std::pair<std::string, std::string>> headOfficeSettings();
  std::string defaultLanguage();
  bool setDefaultLanguage(const std::string& language);
  std::string headOfficeUrl();
  std::string clinicName();
  bool setClinicName(const std::string& name);
  IdleTimeouts idleTimeouts();
  bool idleTimeoutsAreLocal();
  bool setIdleTimeouts(int warnSeconds, int resetSeconds);
  bool useHeadOfficeIdleTimeouts();
  std::string cameraSpec();
  // Records the camera the screens switched to (the UI owns the device).
  bool cameraChosen(const std::string& spec);
  int uiScalePercent();
  bool setUiScale(int percent);

  // Head-office checks run on a worker thread, so the screen keeps drawing while the network
  // answers (up to the client's timeouts).
  bool checking() const { return m_checking; }
  // Waits up to `wait` for the work off the UI thread (checks, renders) to finish, then applies
  // its results; true if any were applied. For tests and for callers without a frame loop.
  bool finishWork(std::chrono::milliseconds wait = std::chrono::milliseconds(0));
  // A sync pass ended (posted by the sync worker through the UI queue): after "sync now", the
  // staff see how it went.
  void syncReported(bool reachedHeadOffice, const std::string& message);
  // Re-enrolment (admins) with a token from head office's `kiosk rotate-token`: checked with
  // head office first; a token of another kiosk is refused, so records keep their owner.
  // Returns false if the check could not start (message() says why).
  bool reenrol(const std::string& token);
  // Moves the kiosk to another address of its head office (admins): the kiosk's own token must
  // be accepted there and name this kiosk before the address is stored.
  bool changeServer(const std::string& url);

 private:
  void audit(const std::string& action, const std::string& record);
  void settingChanged(const std::string& key, const std::string& action, const std::string& value);
  // Runs `work` (network only, no store) on a worker thread; its result runs on the UI thread.
  using CheckResult = std::function<void()>;
  bool startCheck(std::function<CheckResult()> work);
  // Asks head office who endpoint.token belongs to, off the UI thread. No answer sets
  // failureKey with the reason; an answer runs onAnswer on the UI thread.
  bool askHeadOffice(const sync::ServerEndpoint& endpoint, const std::string& failureKey,
                     std::function<void(const sync::KioskInfo&)> onAnswer);
  // False, with the message set, if head office named another kiosk.
  bool isThisKiosk(const sync::KioskInfo& info, const std::string& kioskId);
  // A new revision re-rendered from the stored front photo, or from newFront.
  bool rerender(std::optional<engine::RgbImage> newFront, const std::string& action);

  store::KioskStore& m_store;
  StaffAccounts m_accounts;
  SyncNow m_syncNow;
  ConsultationService* m_service;
  StaffScreen m_screen = StaffScreen::kClosed;
  std::optional<StaffMember> m_staff;
  std::string m_chosen;
  std::string m_pin;
  Notice m_notice;
  store::RecordQuery m_query;
  // records() and openRecordView() are cached against the store's change stamp.
  std::vector<RecordRow> m_rows;
  std::optional<store::RecordQuery> m_rowsQuery;
  store::ChangeStamp m_rowsStamp;
  std::optional<RecordDetailView> m_detail;
  store::ChangeStamp m_detailStamp;
  std::vector<StaffMember> m_members;
  std::optional<store::ChangeStamp> m_membersStamp;
  std::optional<SettingsView> m_settingsView;
  store::ChangeStamp m_settingsStamp;
  SyncHealth m_health;
  std::optional<store::ChangeStamp> m_healthStamp;
  Clock::time_point m_healthReadAt{};
  std::string m_openId;
  bool m_eraseArmed = false;
  RecordEdits m_edits;
  NewStaffForm m_newStaff;
  std::function<void(const std::string&)> m_settingChanged;
  bool m_checking = false;
  bool m_rendering = false;
  bool m_syncAsked = false;  // "sync now" was pressed and its pass has not reported yet
  std::string m_removeArmed;
  Clock::time_point m_lastTouch{};
  UiQueue m_ownQueue;
  UiQueue& m_ui;
  Lifeline m_lifeline;
  BackgroundJobs m_jobs{m_ui};  // last: stopped first, before anything its jobs use
};

}  // namespace smp::core
