// The kiosk's local SQLite store: consultations, their photos and previews, consents, the outbox,
// settings and the audit log. A save is one transaction; nothing is shown as saved before commit.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "app/store/sqlite/sqlite_db.h"
#include "sync/protocol/consultation.h"

namespace smp::store {

using Bytes = std::vector<std::uint8_t>;

enum class StoreErrorCode { kCorrupt, kNewerSchema, kNotFound, kInvalid, kIo };

// Typed store failures; kCorrupt and kNewerSchema put the kiosk into a "needs staff" state.
class StoreError : public std::runtime_error {
 public:
  StoreError(StoreErrorCode code, const std::string& message)
      : std::runtime_error(message), m_code(code) {}
  StoreErrorCode code() const { return m_code; }

 private:
  StoreErrorCode m_code;
};

inline constexpr int kSchemaVersion = 1;

// A blob's reference and its bytes, saved together with the record that names it.
struct BlobData {
  protocol::BlobRef ref;
  Bytes bytes;
};

struct ConsultationToSave {
  protocol::ConsultationRecord record;  // id, kioskSeq and revision are assigned by save()
  std::vector<BlobData> blobs;          // one per photo and preview the record names
  std::string kioskId;                  // who took the consent (may be empty before enrolment)
};

struct OutboxEntry {
  std::string consultationId;
  int revision = 0;
  int attempts = 0;
  std::string lastError;
};

struct StoreStatus {
  std::int64_t records = 0;
  std::int64_t pending = 0;
  std::optional<std::int64_t> oldestPendingAgeSeconds;
  std::string lastSyncAt;
  std::string lastSyncResult;
};

class KioskStore {
 public:
  // Opens or creates the store and applies migrations. A damaged or unreadable file throws
  // StoreError(kCorrupt) and is left untouched: never recreated over existing data.
  explicit KioskStore(const std::filesystem::path& path);

  // Assigns id (if empty), sequence number and revision 1, computes the content hash and writes
  // the record, its blobs, consent, outbox entry and an audit line in one transaction.
  protocol::ConsultationRecord save(ConsultationToSave consultation);

  std::optional<protocol::ConsultationRecord> loadRecord(const std::string& id);
  std::optional<Bytes> loadBlob(const std::string& sha256);
  std::vector<OutboxEntry> pendingOutbox(int limit = 1000);

  // From the first send attempt on, a record is read-only: an edit would need a new revision.
  void markSendAttempt(const std::string& id, int revision);
  void markSynced(const std::string& id, int revision, const std::string& receivedAt);
  void markFailed(const std::string& id, int revision, const std::string& error);
  bool isLocked(const std::string& id);

  void setLastSync(const std::string& result);
  StoreStatus status();
  std::vector<std::string> consultationIds();

  std::optional<std::string> setting(const std::string& key);
  void setSetting(const std::string& key, const std::string& value);

  void audit(const std::string& actor, const std::string& action, const std::string& recordId);

  sqlite::Database& database() { return m_db; }

 private:
  void migrate();
  sqlite::Database m_db;
};

}  // namespace smp::store
