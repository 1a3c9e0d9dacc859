// The kiosk's local SQLite store: consultations, their photos and previews, consents, the outbox,
// settings and the audit log. A save is one transaction; nothing is shown as saved before commit.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "app/store/staff_store.h"
#include "app/store/store_keys.h"
#include "sqlite/sqlite_db.h"
#include "sync/protocol/consultation.h"
#include "sync/protocol/follow_up.h"

namespace smp::store {

using Bytes = std::vector<std::uint8_t>;

// kSealed: the record cannot be read until head office sends this kiosk's store key (after a
// restart with no network); saving still works.
enum class StoreErrorCode { kCorrupt, kNewerSchema, kNotFound, kInvalid, kIo, kSealed };

// Typed store failures; kCorrupt and kNewerSchema put the kiosk into a "needs staff" state.
class StoreError : public std::runtime_error {
 public:
  StoreError(StoreErrorCode code, const std::string& message)
      : std::runtime_error(message), m_code(code) {}
  StoreErrorCode code() const { return m_code; }

 private:
  StoreErrorCode m_code;
};

// What kind of trouble a failed store call was, for a message a person can act on; callers
// outside the store see this instead of SQLite's codes.
enum class StoreFailure {
  kOther,      // not the store's: a bug, or something the caller did
  kDiskFull,   // nothing more can be written until space is freed
  kDiskError,  // the operating system refused a read or write (full, failing or removed disk)
  kDamaged,    // the file is damaged
  kBusy,       // another program kept the file locked
  kSealed,     // records stay sealed until head office sends this kiosk's key
};
StoreFailure classifyFailure(const std::exception& e);

inline constexpr int kSchemaVersion = 7;

// A record the server refuses (4xx other than 401) this many times is quarantined.
inline constexpr int kMaxRefusals = 5;

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

enum class OutboxKind { kRecord, kTombstone };

struct OutboxEntry {
  std::string consultationId;
  int revision = 0;
  OutboxKind kind = OutboxKind::kRecord;
  int attempts = 0;
  int refusals = 0;
  std::string lastError;
  std::string quarantinedAt;  // empty unless quarantined
};

// What staff see in the records list.
struct ConsultationSummary {
  std::string id;
  std::int64_t kioskSeq = 0;
  int revision = 0;
  std::string createdAt;
  std::string clientName;
  std::string phone;
  std::string concern;
  int healthFlags = 0;
  std::string staffStatus;     // "", "onboarded" or "booked"
  std::string syncState;       // "synced", "pending", "quarantined" or "purged"
  std::string acknowledgedAt;  // when head office last acknowledged it (ISO 8601), or ""
  bool sealed = false;         // name, phone and answers unknown until the store is unsealed
};

struct RecordQuery {
  std::string text;  // matches name, phone or date (YYYY-MM-DD prefix)
  bool flaggedOnly = false;
  bool pendingOnly = false;
  bool quarantinedOnly = false;
  int limit = 200;
  bool operator==(const RecordQuery&) const = default;
};

// Changes whenever anything in the store changes, through this connection (own) or through
// another one such as the sync worker's (others): screens re-query only when it moves.
struct ChangeStamp {
  std::int64_t own = -1;
  std::int64_t others = -1;
  bool sealed = false;  // unsealing changes what every screen can show
  bool operator==(const ChangeStamp&) const = default;
};

struct StoreStatus {
  std::int64_t records = 0;
  std::int64_t pending = 0;  // waiting to be sent (not quarantined)
  std::int64_t quarantined = 0;
  std::optional<std::int64_t> oldestPendingAgeSeconds;
  std::string lastSyncAt;
  std::string lastSyncResult;
};

class KioskStore {
 public:
  // Opens or creates the store and applies migrations. A damaged or unreadable file throws
  // StoreError(kCorrupt) and is left untouched: never recreated over existing data. `keys` is
  // shared by every connection to this store in the process (the UI's and the sync worker's);
  // without it the connection has keys of its own. A new store makes its key pair; rows an
  // earlier version wrote in the clear are sealed here.
  explicit KioskStore(const std::filesystem::path& path, std::shared_ptr<StoreKeys> keys = nullptr);

  // Sealing at rest. Every record, photo, signature and preview is saved sealed to the store's
  // public key, so saving never needs a secret. Until head office holds the secret half it is
  // kept in the settings; afterwards only in memory, fetched from head office after a restart.
  // True while it is not in memory: saving works, reading records and photos throws
  // StoreError(kSealed), and staff see sealed rows.
  bool sealed() const { return !m_keys->unlocked(); }
  StoreKey storePublicKey() const;
  // The secret half while it is still on this disk (head office does not hold it yet).
  std::optional<StoreKey> secretKeyOnDisk();
  // Head office holds the secret half now: removes it from the disk (and from the WAL and free
  // pages) and notes when. The key stays in this process's memory.
  void forgetSecretKeyOnDisk();
  // When head office took the key (ISO 8601), or "" while the key is still on this disk.
  std::string keyEscrowedAt();
  // Unseals with the key head office sent back; false when it is not this store's key.
  bool unseal(const StoreKey& secretKey);
  const std::shared_ptr<StoreKeys>& keys() const { return m_keys; }

  // Assigns id (if empty), sequence number and revision 1, computes the content hash and writes
  // the record, its blobs, consent, outbox entry and an audit line in one transaction.
  protocol::ConsultationRecord save(ConsultationToSave consultation);

  // Changes a saved record's answers. Before its first send attempt the record is edited in
  // place; afterwards it is read-only and the change becomes a new revision with its own
  // outbox entry. Returns the record as now stored.
  protocol::ConsultationRecord revise(const std::string& id, const nlohmann::json& intake,
                                      const std::string& actor);
  // The same for any change to the record's content (name, answers, photos); id and sequence
  // stay. New blobs the changed record names are stored with it; blobs no record uses any more
  // are deleted (health data is not kept longer than needed).
  protocol::ConsultationRecord revise(
      const std::string& id, const std::function<void(protocol::ConsultationRecord&)>& change,
      const std::string& actor, const std::vector<BlobData>& newBlobs = {});

  // Right to erasure: removes the record, its photos, previews and consent (secure_delete
  // overwrites the freed pages), keeps a tombstone and queues it for head office. One
  // transaction. Returns false if there is no such record.
  // `tellHeadOffice` false: head office decided the erasure itself, so no tombstone is queued.
  bool erase(const std::string& id, const std::string& actor, bool tellHeadOffice = true);

  // The record, or nullopt when there is none or its readable copy was purged (retention).
  std::optional<protocol::ConsultationRecord> loadRecord(const std::string& id);
  // Retention: for every record head office acknowledged before `cutoffIso` (every revision
  // synced, nothing pending), deletes the name, answers, photos, previews and signature and
  // keeps the row for sync (id, sequence, revision, hashes). Then the WAL is truncated, so no
  // copy is left in any file. Returns how many records were purged; each is audited.
  int purgeAcknowledgedBefore(const std::string& cutoffIso, const std::string& actor);
  bool isPurged(const std::string& id);

  // Head office's follow-up (GET /v1/follow-ups). Keeps the changes for records held here in
  // full (one erased or purged here is skipped) and moves the cursor past them, in one
  // transaction: after a crash the batch is asked for again and kept once (by its seq).
  void keepFollowUps(const std::vector<protocol::FollowUp>& changes, std::int64_t cursor);
  // The last sequence number kept (0 before the first).
  std::int64_t followUpCursor();
  // A record's follow-up, oldest first. The notes are sealed like the record: without the key
  // this throws StoreError(kSealed).
  std::vector<protocol::FollowUp> followUps(const std::string& id);
  // When head office last acknowledged a revision of the record (ISO 8601), or "".
  std::string acknowledgedAt(const std::string& id);
  std::optional<Bytes> loadBlob(const std::string& sha256);
  // Oldest first by kiosk sequence; quarantined entries are left out.
  std::vector<OutboxEntry> pendingOutbox(int limit = 1000);
  std::vector<OutboxEntry> quarantinedOutbox();

  // From the first send attempt on, a record is read-only: an edit makes a new revision.
  void markSendAttempt(const std::string& id, int revision, OutboxKind kind = OutboxKind::kRecord);
  void markSynced(const std::string& id, int revision, const std::string& receivedAt,
                  OutboxKind kind = OutboxKind::kRecord);
  // The same for many entries in one transaction (one flush to disk instead of one each): the
  // sync pass sends records several at a time.
  struct OutboxItem {
    std::string id;
    int revision = 0;
    OutboxKind kind = OutboxKind::kRecord;
  };
  void markSendAttempts(const std::vector<OutboxItem>& items);
  struct OutboxAck {
    OutboxItem item;
    std::string receivedAt;
  };
  void markSyncedAll(const std::vector<OutboxAck>& acks);
  // A network failure or a 5xx: nothing is wrong with the record; just try again later.
  void markFailed(const std::string& id, int revision, const std::string& error,
                  OutboxKind kind = OutboxKind::kRecord);
  // A 4xx for this record alone: counted; at kMaxRefusals it is quarantined with the reason.
  // Returns true if it is now quarantined.
  bool markRefused(const std::string& id, int revision, const std::string& error,
                   OutboxKind kind = OutboxKind::kRecord);
  // Staff decided to try a quarantined entry again.
  void releaseFromQuarantine(const std::string& id, int revision, OutboxKind kind,
                             const std::string& actor);
  bool isLocked(const std::string& id);
  bool isErased(const std::string& id);

  void setLastSync(const std::string& result);
  StoreStatus status();
  std::vector<std::string> consultationIds();
  // Newest first.
  std::vector<ConsultationSummary> listConsultations(const RecordQuery& query);
  ChangeStamp changeStamp() { return {m_db.totalChanges(), m_db.dataVersion(), sealed()}; }

  std::optional<std::string> setting(const std::string& key);
  void setSetting(const std::string& key, const std::string& value);
  void deleteSetting(const std::string& key);
  // A setting that holds a sequence number (a sync cursor): 0 when absent or not one.
  std::int64_t sequenceSetting(const std::string& key);

  // How many audit lines of `action` were written at or after `sinceIso` (ISO 8601 UTC).
  std::int64_t auditCount(const std::string& action, const std::string& sinceIso);
  void audit(const std::string& actor, const std::string& action, const std::string& recordId);

  // Staff accounts and PIN lockouts (their rules are core's StaffAccounts).
  StaffStore& staff() { return m_staff; }

 private:
  friend class StoreTransaction;
  friend class KioskStoreTestPeer;  // tests read PRAGMAs of this very connection

  // The name, phone and answers a records list shows, read from a record's sealed JSON once
  // per revision and kept in memory (never on disk) so that listing does not unseal every
  // record each time something changes.
  struct ListedFields {
    std::string contentSha256;
    std::string clientName, phone, concern, staffStatus;
    int healthFlags = 0;
  };

  void migrate();
  void setUpKeys();
  void sealPlaintextRows();
  std::vector<std::uint8_t> sealText(const std::string& text) const;
  // Opens a sealed value; throws StoreError(kSealed) without the key, kCorrupt when it fails.
  std::vector<std::uint8_t> openSealed(const std::vector<std::uint8_t>& sealed,
                                       const std::string& what) const;
  void insertBlob(const BlobData& blob);
  // The sha256 of every blob (photos, the signature, previews) the consultation names.
  std::vector<std::string> blobsNamedBy(const std::string& id);
  // Deletes those of `shas` that no photo or preview row names any more.
  void deleteUnnamedBlobs(const std::vector<std::string>& shas);
  sqlite::Database m_db;
  std::shared_ptr<StoreKeys> m_keys;
  StaffStore m_staff{m_db};
  std::map<std::string, ListedFields> m_listed;  // by consultation id
};

// Several store calls that must happen together or not at all (two settings that belong
// together, a staff change and its audit line). Rolls back unless committed. The calls inside
// must not open a transaction of their own (save, revise, erase and purge do).
class StoreTransaction {
 public:
  explicit StoreTransaction(KioskStore& store) : m_tx(store.m_db) {}
  void commit() { m_tx.commit(); }

 private:
  sqlite::Transaction m_tx;
};

}  // namespace smp::store
