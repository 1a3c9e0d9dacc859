// What the head-office web application needs from storage: its own accounts, sessions, sign-in
// throttling and audit, and queries over the consultations kiosks sent, always within the
// clinics the signed-in person may see. Implemented by each server backend beside
// ServerStorage, so the web application works on any of them.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "sync/server/server_storage.h"

namespace smp::server {

enum class OfficeRole { kAdmin, kAnalyst, kClinicManager };
const char* roleName(OfficeRole role);
std::optional<OfficeRole> parseRole(const std::string& name);

struct OfficeUser {
  std::string id;
  std::string name;  // what they sign in with
  OfficeRole role = OfficeRole::kAnalyst;
  std::vector<std::string> clinics;  // for clinic managers: the only clinics they see
  bool disabled = false;
  std::string createdAt;
  std::string passwordHash;  // Argon2id (libsodium's crypto_pwhash_str format)
};

struct OfficeSession {
  std::string idSha256;  // the cookie's value is never stored, only its hash
  std::string userId;
  std::string csrfToken;
  std::int64_t createdUnix = 0;
  std::int64_t lastSeenUnix = 0;
};

// Which consultations a person may see: every clinic, or only these.
struct ClinicScope {
  bool allClinics = false;
  std::vector<std::string> clinics;
};

struct ConsultationQuery {
  ClinicScope scope;
  std::string clinic, kioskId, concern, lossStage;
  std::string fromDate, toDate;  // YYYY-MM-DD, inclusive, on the kiosk's created_at
  bool flaggedOnly = false;
  std::string followUp;        // a status from protocol::kFollowUpStatuses, or "" for any
  std::string consentVersion;  // records signed under a consent text of this version, or ""
  std::string text;            // in the name, phone or email
  bool oldestFirst = false;
  int page = 1;
  int perPage = 50;
};

struct ConsultationRow {
  std::string id, clinic, kioskId, createdAt, receivedAt, clientName, phone, email, concern,
      lossStage;
  int revision = 0;
  int healthFlags = 0;
  std::string followUp = "new";
};

struct ConsultationPage {
  std::int64_t total = 0;
  std::vector<ConsultationRow> rows;
};

struct ConsultationDetail {
  ConsultationRow row;
  nlohmann::json record;
  struct Revision {
    int revision = 0;
    std::string sha256, receivedAt;
    nlohmann::json record;  // null for a revision stored before records were kept per revision
  };
  std::vector<Revision> revisions;
  std::vector<protocol::FollowUp> followUps;  // oldest first
};

// The Overview page's figures, within a scope and a date range (YYYY-MM-DD, inclusive).
struct OverviewFigures {
  struct WeekCount {
    std::string week;  // the Monday that starts it, YYYY-MM-DD
    std::string clinic;
    std::int64_t count = 0;
  };
  struct Share {
    std::string key;  // a stage or a concern ("" when not given)
    std::int64_t count = 0;
  };
  std::vector<WeekCount> perWeek;
  std::vector<Share> stages;
  std::vector<Share> concerns;
  std::vector<Share> followUps;  // consultations per follow-up status
  std::int64_t total = 0;
  std::int64_t flagged = 0;  // with at least one health flag
};

// The photos and previews of the consultations a filter selects: how many and how large.
struct PhotoExportSize {
  std::int64_t files = 0;
  std::int64_t bytes = 0;
};

// A ZIP of photos built in the background (photo_exports.h). A row, so that any server sharing
// the database can say how far it is; the file lives in the exports folder beside the blobs.
struct PhotoExportJob {
  std::string id;
  std::string user;    // who asked; only they may see and download it
  std::string filter;  // the table's filter as a query string, to show with it
  std::string state;   // "building", "done" or "failed"
  std::int64_t files = 0;
  std::int64_t totalBytes = 0;  // the photos' bytes
  std::int64_t doneBytes = 0;   // written so far
  std::int64_t zipBytes = 0;    // the finished file
  std::string error;
  std::string createdAt;
  std::int64_t updatedUnix = 0;
};

struct OfficeAuditEntry {
  std::string at, user, action, target, detail;
};

class OfficeStorage {
 public:
  virtual ~OfficeStorage() = default;

  // Throws std::invalid_argument when the name is taken.
  virtual OfficeUser addUser(const OfficeUser& user) = 0;
  virtual std::vector<OfficeUser> users() = 0;
  virtual std::optional<OfficeUser> userByName(const std::string& name) = 0;
  virtual std::optional<OfficeUser> userById(const std::string& id) = 0;
  // Disables the account and ends its sessions. False when there is no such account.
  virtual bool disableUser(const std::string& name) = 0;
  // A new password hash for the account, and every session of it ends except `keepSessionSha256`
  // (the one that made the change). False when no such account exists.
  virtual bool setPasswordHash(const std::string& userId, const std::string& passwordHash,
                               const std::string& keepSessionSha256) = 0;

  virtual void createSession(const OfficeSession& session) = 0;
  virtual std::optional<OfficeSession> session(const std::string& idSha256) = 0;
  virtual void touchSession(const std::string& idSha256, std::int64_t nowUnix) = 0;
  virtual void deleteSession(const std::string& idSha256) = 0;

  // Sign-in throttling: failures under a key ("account:NAME", "address:IP") since a time.
  virtual void recordSignInFailure(const std::string& key, std::int64_t atUnix) = 0;
  virtual int signInFailuresSince(const std::string& key, std::int64_t sinceUnix) = 0;
  virtual void clearSignInFailures(const std::string& key) = 0;

  virtual void audit(const OfficeAuditEntry& entry) = 0;
  // Newest first; `target` empty for every target.
  virtual std::vector<OfficeAuditEntry> auditEntries(const std::string& target, int limit) = 0;

  virtual ConsultationPage consultations(const ConsultationQuery& query) = 0;
  // nullopt when there is no such consultation or it is outside the scope.
  virtual std::optional<ConsultationDetail> consultation(const ClinicScope& scope,
                                                         const std::string& id) = 0;
  virtual std::vector<std::string> clinics(const ClinicScope& scope) = 0;
  virtual OverviewFigures overview(const ClinicScope& scope, const std::string& fromDate,
                                   const std::string& toDate) = 0;
  // A follow-up change on a consultation within the scope: its status from now on and a note.
  // nullopt when there is no such consultation or it is outside the scope. The caller has
  // checked the status and the note.
  virtual std::optional<protocol::FollowUp> addFollowUp(const ClinicScope& scope,
                                                        const std::string& id,
                                                        const std::string& status,
                                                        const std::string& note,
                                                        const std::string& author) = 0;
  // Whole records for an export, newest first, `limit` at a time: the next batch starts after
  // the last one returned (its created_at and id), so a long export never rereads what it wrote.
  virtual PhotoExportSize photoExportSize(const ConsultationQuery& query) = 0;
  // Inserts or replaces the job's row.
  virtual void savePhotoExport(const PhotoExportJob& job) = 0;
  virtual std::optional<PhotoExportJob> photoExport(const std::string& id) = 0;
  // Newest first.
  virtual std::vector<PhotoExportJob> photoExports(const std::string& user, int limit) = 0;
  // Jobs updated before `cutoffUnix` (every state), so their files can go; their rows go too.
  virtual std::vector<PhotoExportJob> takePhotoExportsBefore(std::int64_t cutoffUnix) = 0;

  virtual std::vector<StoredConsultation> exportBatch(const ConsultationQuery& query,
                                                      const std::string& afterCreatedAt,
                                                      const std::string& afterId, int limit) = 0;
};

}  // namespace smp::server
