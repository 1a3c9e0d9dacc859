// What the head-office server needs from its storage: kiosks, content-addressed blobs (uploaded
// in resumable chunks, kept in a BlobStore), consultation revisions, tombstones, config and
// heartbeats. SQLite (sqlite_server_storage.h) and PostgreSQL (postgres_server_storage.h)
// implement it.
#pragma once

#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "sync/protocol/follow_up.h"

namespace smp::server {

struct KioskIdentity {
  std::string kioskId;
  std::string clinic;
};

struct NewKiosk {
  std::string kioskId;
  std::string token;  // shown once; only its hash is stored
};

// A one-time code that lets a kiosk collect its token (smp-kiosk's setup screen, or
// 'smp-kiosk enroll --code-file'): short enough to type on a touchscreen, carried by a QR code.
struct EnrolmentCode {
  std::string code;       // shown once; only its hash is stored
  std::string expiresAt;  // ISO 8601 UTC
};

enum class EnrolmentRefusal { kUnknown, kUsed, kExpired, kKioskRevoked };

struct Enrolment {
  std::string kioskId;
  std::string clinic;
  std::string token;  // a new token: every earlier one of this kiosk stops working
};

struct KioskSummary {
  std::string kioskId;
  std::string clinic;
  bool revoked = false;
  std::string lastSeenAt;
  nlohmann::json lastHeartbeat;
};

// kBlobsMissing: the record names photos or previews this kiosk has not uploaded (missingBlobs
// says which); nothing was stored.
enum class PutResult { kStored, kDuplicate, kConflict, kErased, kBlobsMissing };

// A kiosk hands head office the secret half of its store key (docs/security.md): kept so that
// after a restart the kiosk can read its own sealed records again.
enum class KeyEscrowResult {
  kHeld,      // stored, or the same key was already held
  kConflict,  // head office already holds another key for this kiosk: it is never replaced
};

// Where a resumable upload stands.
struct UploadState {
  bool present = false;        // the whole blob is stored and verified
  std::uint64_t received = 0;  // contiguous bytes received so far (when not present)
};

enum class ChunkResult {
  kAccepted,
  kCompleted,
  kAlreadyPresent,
  kWrongOffset,
  kHashMismatch,
  kTooLarge,
  kQuotaExceeded  // the kiosk already has its maximum of unfinished uploads
};

// What one kiosk may hold at head office before it finishes what it started.
struct UploadQuota {
  int maxUnfinishedUploads = 16;
};

struct ChunkOutcome {
  ChunkResult result;
  std::uint64_t received = 0;
  std::string actualSha256;  // for kHashMismatch
};

struct StoredConsultation {
  std::string id;
  std::string kioskId;
  std::string clinic;
  std::int64_t kioskSeq = 0;
  int revision = 0;
  std::string sha256;
  std::string receivedAt;
  nlohmann::json record;
  // Head office's follow-up status (protocol::kFollowUpStatuses): not part of the record, read
  // beside it (exports); "new" until someone changes it.
  std::string followUp = "new";
};

// What the startup check found: blobs the database names whose files are missing (photos that
// are lost unless a backup has them) and files nothing names (left by a crash between a file
// and its row; safe to remove).
struct BlobCheck {
  std::int64_t named = 0;  // blobs the database names
  std::int64_t files = 0;  // blob files in the folder
  std::int64_t missingCount = 0;
  std::int64_t orphanCount = 0;
  std::vector<std::string> missing;  // up to maxListed of each
  std::vector<std::string> orphans;
};

struct ConsentTextVersion {
  std::string sha256, language, version, text, firstPublishedAt;
};

class ServerStorage {
 public:
  virtual ~ServerStorage() = default;
  virtual NewKiosk addKiosk(const std::string& clinic) = 0;
  // Returns false when no such kiosk exists.
  virtual bool revokeKiosk(const std::string& kioskId) = 0;
  // A new token for an existing kiosk (the old one stops working, a revocation is lifted), so a
  // kiosk can be re-enrolled and keep its id and its records. nullopt when no such kiosk exists.
  virtual std::optional<std::string> rotateKioskToken(const std::string& kioskId) = 0;
  virtual std::vector<KioskSummary> kiosks() = 0;
  // A new enrolment code for the kiosk, valid until `expiresAtUnix` and for one use; any code
  // issued before for that kiosk stops working. nullopt when no such kiosk exists.
  virtual std::optional<EnrolmentCode> issueEnrolmentCode(const std::string& kioskId,
                                                          std::int64_t expiresAtUnix) = 0;
  // Uses the code (normalised: upper case, no dashes) at `nowUnix`: marks it used and gives the
  // kiosk a new token, in one transaction, so two kiosks racing with one code get one token.
  virtual std::variant<Enrolment, EnrolmentRefusal> redeemEnrolmentCode(const std::string& code,
                                                                        std::int64_t nowUnix) = 0;
  virtual std::optional<KioskIdentity> kioskForToken(const std::string& token) = 0;

  // Uploads belong to the kiosk that makes them: a blob is "present" for a kiosk only once that
  // kiosk has uploaded its bytes, so no kiosk can learn what another has sent, and one kiosk's
  // half-done upload is invisible to (and safe from) every other kiosk.
  virtual UploadState uploadState(const KioskIdentity& kiosk, const std::string& sha256) = 0;
  // Which of `sha256s` this kiosk has not uploaded yet, in their order (a record's photos and
  // previews before it is stored). A backend over a network answers in one round trip.
  virtual std::vector<std::string> missingBlobs(const KioskIdentity& kiosk,
                                                const std::vector<std::string>& sha256s) {
    std::vector<std::string> missing;
    for (const auto& sha : sha256s)
      if (!uploadState(kiosk, sha).present) missing.push_back(sha);
    return missing;
  }
  // Appends bytes at `offset` of the kiosk's upload of a blob of `totalSize`; on the last chunk
  // verifies the sha256 and stores the blob atomically (a mismatch discards the partial upload).
  virtual ChunkOutcome putChunk(const KioskIdentity& kiosk, const std::string& sha256,
                                std::uint64_t totalSize, std::uint64_t offset,
                                const std::string& bytes, const UploadQuota& quota) = 0;
  // Deletes unfinished uploads not added to since `cutoffUnixSeconds`, and finished blobs of that
  // age that no consultation names (an upload whose record never came). Returns how many
  // chunks and blobs went.
  virtual int expireUploads(std::int64_t cutoffUnixSeconds) = 0;
  // Head office's own view (export, tests): whether the bytes are stored at all.
  virtual bool hasBlob(const std::string& sha256) = 0;
  virtual std::optional<std::string> blob(const std::string& sha256) = 0;

  // Stores a revision under a unique constraint: concurrent identical requests give one row.
  // Every blob in `blobHashes` must be this kiosk's finished upload, or nothing is stored
  // (kBlobsMissing); checked in the same transaction. Same id and revision with the same hash:
  // kDuplicate; with another hash: kConflict; a newer revision becomes current; an erased id:
  // kErased.
  virtual PutResult putConsultation(const KioskIdentity& kiosk, const std::string& id,
                                    std::int64_t kioskSeq, int revision, const std::string& sha256,
                                    const std::string& recordJson,
                                    const std::vector<std::string>& blobHashes,
                                    std::string& receivedAt) = 0;
  // Deletes every revision and the blobs no other consultation uses; keeps a tombstone.
  // Idempotent. An id head office never received is erased trivially (true, no tombstone), so a
  // kiosk cannot block an id it does not own. Returns false if the id belongs to another kiosk.
  virtual bool eraseConsultation(const KioskIdentity& kiosk, const std::string& id,
                                 std::string& erasedAt) = 0;
  // Streams the current revision of every consultation. `fn` must not call back into the
  // storage (implementations may hold their lock while streaming).
  virtual void forEachConsultation(const std::function<void(const StoredConsultation&)>& fn) = 0;
  virtual bool isErased(const std::string& id) = 0;

  // Head office erases a consultation itself (a client asked head office to be forgotten): as
  // eraseConsultation, for whichever kiosk sent it, and an order for that kiosk to remove its
  // own copy. Returns the kiosk's id, or nullopt when there is no such consultation.
  virtual std::optional<std::string> eraseAtHeadOffice(const std::string& id,
                                                       std::string& erasedAt) = 0;
  struct ErasureOrder {
    std::int64_t seq = 0;
    std::string consultationId;
    std::string erasedAt;
  };
  // This kiosk's orders after `afterSeq`, oldest first.
  virtual std::vector<ErasureOrder> erasureOrders(const KioskIdentity& kiosk, std::int64_t afterSeq,
                                                  int limit) = 0;
  // Head office's follow-up changes on the consultations this kiosk sent, after `afterSeq`,
  // oldest first (office_storage.h writes them).
  virtual std::vector<protocol::FollowUp> followUpsFor(const KioskIdentity& kiosk,
                                                       std::int64_t afterSeq, int limit) = 0;

  // Publishes the config; every consent text in it is kept too (keepConsentText).
  virtual void setConfig(const nlohmann::json& config) = 0;
  // The current config and its ETag (empty config: "{}").
  virtual std::pair<nlohmann::json, std::string> config() = 0;
  virtual void recordHeartbeat(const KioskIdentity& kiosk, const nlohmann::json& heartbeat) = 0;

  // The kiosk's store key pair (lowercase hex; the caller has checked that they belong together).
  virtual KeyEscrowResult escrowStoreKey(const KioskIdentity& kiosk, const std::string& publicHex,
                                         const std::string& secretHex) = 0;
  // The secret half this kiosk handed over, or nullopt.
  virtual std::optional<std::string> escrowedStoreKey(const KioskIdentity& kiosk) = 0;

  // Every consent text head office published or ships built in, kept under
  // protocol::consentTextSha256(version, text): the hash a kiosk stores with the record, so the
  // text a client signed can be read back. Keeping one again changes nothing.
  virtual void keepConsentText(const std::string& language, const std::string& version,
                               const std::string& text) = 0;
  // By language, oldest first; `text` left empty (consentText gives it).
  virtual std::vector<ConsentTextVersion> consentTexts() = 0;
  virtual std::optional<ConsentTextVersion> consentText(const std::string& sha256) = 0;

  // Compares the blobs the database names with the files the blob store holds.
  virtual BlobCheck checkBlobs(int maxListed) = 0;
  // Removes the files the database does not name; only while no server uploads (a file is put
  // in place just before its row). Returns how many went.
  virtual std::int64_t removeOrphanBlobs() = 0;

 protected:
  // Keeps the consent texts a config names (setConfig, and opening a database whose config was
  // published before texts were kept).
  void keepConsentTextsOf(const nlohmann::json& config);
};

}  // namespace smp::server
