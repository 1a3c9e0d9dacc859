// ServerStorage on one SQLite file; photos and previews as files in a blob folder
// (blob_store.h), which the database names and counts references to.
#pragma once

#include <condition_variable>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <span>

#include "sqlite/sqlite_db.h"
#include "sync/server/blob_store.h"
#include "sync/server/head_office_storage.h"

namespace smp::server {

inline constexpr int kServerSchemaVersion = 9;

// Migration N takes the schema from N to N+1 (for tests that build every earlier version).
std::span<const char* const> serverMigrations();

// Both the sync API's storage and the web application's (sqlite_office_storage.cpp).
class SqliteServerStorage : public HeadOfficeStorage {
 public:
  // Opens or creates the database and migrates it; a damaged file throws and is left untouched.
  // Blobs go to `blobFolder`; when empty, to the folder this database used last, or for a new
  // database to "<name>.blobs" beside it. The database remembers the folder, so every command
  // on it (serve, export, kiosk add) finds the same blobs.
  explicit SqliteServerStorage(const std::filesystem::path& path,
                               const std::filesystem::path& blobFolder = {});
  const std::filesystem::path& blobFolder() const override { return m_blobFolder; }
  std::string describe() const override;
  NewKiosk addKiosk(const std::string& clinic) override;
  bool revokeKiosk(const std::string& kioskId) override;
  std::optional<std::string> rotateKioskToken(const std::string& kioskId) override;
  std::vector<KioskSummary> kiosks() override;
  std::optional<EnrolmentCode> issueEnrolmentCode(const std::string& kioskId,
                                                  std::int64_t expiresAtUnix) override;
  std::variant<Enrolment, EnrolmentRefusal> redeemEnrolmentCode(const std::string& code,
                                                                std::int64_t nowUnix) override;
  std::optional<KioskIdentity> kioskForToken(const std::string& token) override;
  UploadState uploadState(const KioskIdentity& kiosk, const std::string& sha256) override;
  ChunkOutcome putChunk(const KioskIdentity& kiosk, const std::string& sha256,
                        std::uint64_t totalSize, std::uint64_t offset, const std::string& bytes,
                        const UploadQuota& quota) override;
  int expireUploads(std::int64_t cutoffUnixSeconds) override;
  bool hasBlob(const std::string& sha256) override;
  std::optional<std::string> blob(const std::string& sha256) override;
  PutResult putConsultation(const KioskIdentity& kiosk, const std::string& id,
                            std::int64_t kioskSeq, int revision, const std::string& sha256,
                            const std::string& recordJson,
                            const std::vector<std::string>& blobHashes,
                            std::string& receivedAt) override;
  bool eraseConsultation(const KioskIdentity& kiosk, const std::string& id,
                         std::string& erasedAt) override;
  void forEachConsultation(const std::function<void(const StoredConsultation&)>& fn) override;
  bool isErased(const std::string& id) override;
  std::optional<std::string> eraseAtHeadOffice(const std::string& id,
                                               std::string& erasedAt) override;
  std::vector<ErasureOrder> erasureOrders(const KioskIdentity& kiosk, std::int64_t afterSeq,
                                          int limit) override;
  std::vector<protocol::FollowUp> followUpsFor(const KioskIdentity& kiosk, std::int64_t afterSeq,
                                               int limit) override;
  void setConfig(const nlohmann::json& config) override;
  void keepConsentText(const std::string& language, const std::string& version,
                       const std::string& text) override;
  std::vector<ConsentTextVersion> consentTexts() override;
  std::optional<ConsentTextVersion> consentText(const std::string& sha256) override;
  std::pair<nlohmann::json, std::string> config() override;
  void recordHeartbeat(const KioskIdentity& kiosk, const nlohmann::json& heartbeat) override;
  KeyEscrowResult escrowStoreKey(const KioskIdentity& kiosk, const std::string& publicHex,
                                 const std::string& secretHex) override;
  std::optional<std::string> escrowedStoreKey(const KioskIdentity& kiosk) override;
  BlobCheck checkBlobs(int maxListed) override;
  std::int64_t removeOrphanBlobs() override;

  OfficeUser addUser(const OfficeUser& user) override;
  std::vector<OfficeUser> users() override;
  std::optional<OfficeUser> userByName(const std::string& name) override;
  std::optional<OfficeUser> userById(const std::string& id) override;
  bool disableUser(const std::string& name) override;
  bool setPasswordHash(const std::string& userId, const std::string& passwordHash,
                       const std::string& keepSessionSha256) override;
  void createSession(const OfficeSession& session) override;
  std::optional<OfficeSession> session(const std::string& idSha256) override;
  void touchSession(const std::string& idSha256, std::int64_t nowUnix) override;
  void deleteSession(const std::string& idSha256) override;
  void recordSignInFailure(const std::string& key, std::int64_t atUnix) override;
  int signInFailuresSince(const std::string& key, std::int64_t sinceUnix) override;
  void clearSignInFailures(const std::string& key) override;
  void audit(const OfficeAuditEntry& entry) override;
  std::vector<OfficeAuditEntry> auditEntries(const std::string& target, int limit) override;
  ConsultationPage consultations(const ConsultationQuery& query) override;
  std::optional<ConsultationDetail> consultation(const ClinicScope& scope,
                                                 const std::string& id) override;
  std::vector<std::string> clinics(const ClinicScope& scope) override;
  OverviewFigures overview(const ClinicScope& scope, const std::string& fromDate,
                           const std::string& toDate) override;
  std::vector<StoredConsultation> exportBatch(const ConsultationQuery& query,
                                              const std::string& afterCreatedAt,
                                              const std::string& afterId, int limit) override;
  std::optional<protocol::FollowUp> addFollowUp(const ClinicScope& scope, const std::string& id,
                                                const std::string& status, const std::string& note,
                                                const std::string& author) override;
  PhotoExportSize photoExportSize(const ConsultationQuery& query) override;
  void savePhotoExport(const PhotoExportJob& job) override;
  std::optional<PhotoExportJob> photoExport(const std::string& id) override;
  std::vector<PhotoExportJob> photoExports(const std::string& user, int limit) override;
  std::vector<PhotoExportJob> takePhotoExportsBefore(std::int64_t cutoffUnix) override;

 private:
  void migrate();
  // Where the blobs are: the folder given, else the one recorded, else the default.
  std::filesystem::path chooseBlobFolder(const std::filesystem::path& dbPath,
                                         const std::filesystem::path& given);
  // Before schema 8: copies every blob's bytes from the database into the blob folder.
  void moveBlobBytesToFolder();
  // Records a verified blob (its file was put in place) as this kiosk's, in a commit group.
  // False when the file was erased meanwhile and `bytes` (null for an upload in pieces) cannot
  // put it back.
  bool recordBlob(const KioskIdentity& kiosk, const std::string& sha256, std::uint64_t size,
                  const std::string* bytes);
  // Holds the lock: removes the files of blobs whose rows a committed erasure deleted.
  void removeBlobFiles(const std::vector<std::string>& sha256s);
  // id, kiosk_id, clinic, kiosk_seq, revision, sha256, received_at from columns 0-6 and
  // follow_up from column 8; the caller reads the record itself from column 7 (a failed parse
  // is handled differently by export and the tables).
  static StoredConsultation consultationColumns(const sqlite::Statement& st);
  // The deletion both erasures share; the caller holds the lock and a transaction, and
  // removes the returned blobs' files once it has committed.
  [[nodiscard]] std::vector<std::string> deleteConsultation(const std::string& kioskId,
                                                            const std::string& id,
                                                            const std::string& erasedAt);
  // Whether this kiosk has finished uploading the blob (its row in kiosk_blobs). The caller
  // holds m_mutex.
  bool hasUploaded(const KioskIdentity& kiosk, const std::string& sha256);
  // Group commit: `change` runs inside one transaction shared with the changes other threads
  // make at the same moment, so many requests pay for one flush of the WAL instead of one each.
  // It runs under m_mutex (it must not take it) in its own savepoint: false or an exception
  // undoes only its own rows. Returns when the group is durable; rethrows the change's exception,
  // or the commit's for every change in the group.
  // kWithNextDurableChange: returns once committed, without waiting for the flush. A power cut
  // may then undo it, but never without undoing every later change too (the WAL is one
  // sequence, and the next durable commit flushes what came before it). For an uploaded blob's
  // row: the record naming it is durable, and it with it, before the kiosk is answered; a blob
  // row lost alone makes the record's PUT ask for the blob again (422 with the missing hashes),
  // and the kiosk sends it again.
  enum class Flush { kBeforeAnswer, kWithNextDurableChange };
  void changeInGroup(const std::function<bool()>& change, Flush flush = Flush::kBeforeAnswer);
  struct GroupedChange;
  // One connection serialised by a mutex: simple and correct; WAL keeps readers (the export
  // tool running beside the server) unblocked.
  std::mutex m_mutex;
  std::mutex m_groupMutex;  // guards the next group and who is committing one
  std::condition_variable m_groupDone;
  std::vector<GroupedChange*> m_nextGroup;
  bool m_committingGroup = false;
  sqlite::Database m_db;
  std::filesystem::path m_path;
  std::filesystem::path m_blobFolder;
  std::unique_ptr<FileBlobStore> m_blobs;
};

}  // namespace smp::server
