// HeadOfficeStorage on PostgreSQL, for a chain: several smp-server processes on one database
// and one blob folder serve the same kiosks at once. Nothing a request needs lives in one
// process's memory: uploads in progress, sessions, sign-in failures and the config's ETag are
// rows; what must not interleave across processes (an upload's file and an erasure of the same
// bytes; two revisions of one consultation) is ordered by PostgreSQL advisory locks.
#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <span>
#include <string>

#include "sync/server/blob_store.h"
#include "sync/server/head_office_storage.h"
#include "sync/server/kiosk_token_cache.h"
#include "sync/server/postgres_pool.h"

namespace smp::server {

inline constexpr int kPostgresSchemaVersion = 5;

// Migration N takes the schema from N to N+1 (for tests that build every earlier version).
std::span<const char* const> postgresMigrations();
// The query for which of the blobs `$2` (a text[]) kiosk `$1` does not hold (columns sha, n),
// as missingBlobs and smp_put_consultation run it; for the test of its plan.
const char* postgresBlobsNotHeldQuery();

class PostgresServerStorage : public HeadOfficeStorage {
 public:
  // `uri`: a libpq address (postgresql://user@host:port/database, or key=value pairs). Creates
  // or migrates the schema (one server at a time, under an advisory lock). Blobs go to
  // `blobFolder`; when empty, to the folder the database names (every server on it must see the
  // same folder); a new database needs one. Throws std::runtime_error saying what to do.
  PostgresServerStorage(const std::string& uri, const std::filesystem::path& blobFolder,
                        int maxConnections = 8);
  ~PostgresServerStorage() override;

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
  std::vector<std::string> missingBlobs(const KioskIdentity& kiosk,
                                        const std::vector<std::string>& sha256s) override;
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

  // Who a token belongs to, remembered between requests (kiosk_token_cache.h).
  KioskTokenCache& tokenCache() { return *m_tokens; }

  // Thrown inside a transaction to undo what it wrote and end it quietly.
  struct Undo {};

 private:
  void migrate();
  std::filesystem::path chooseBlobFolder(const std::filesystem::path& given);
  // Runs `change` in one transaction on a borrowed connection and commits it; Undo rolls it
  // back. A deadlock or serialisation failure runs it again (up to three times), so `change`
  // must set its outputs afresh each time.
  void transact(const std::function<void(pqxx::work&)>& change);
  // One statement in its own transaction (autocommit): one round trip instead of three.
  // `run` executes it on the nontransaction it is given; a deadlock or serialisation failure
  // (undone by PostgreSQL) runs it again, up to three times.
  template <class Run>
  pqxx::result autocommitWith(const Run& run) {
    for (int attempt = 1;; ++attempt) {
      auto c = m_pool.borrow();
      try {
        pqxx::nontransaction n(*c);
        auto r = run(n);
        n.commit();
        return r;
      } catch (const pqxx::transaction_rollback&) {
        if (attempt == 3) throw;
      }
    }
  }
  template <class... Args>
  pqxx::result autocommit(const std::string& sql, const Args&... args) {
    return autocommitWith([&](pqxx::nontransaction& n) { return n.exec_params(sql, args...); });
  }
  // The same for a statement every connection has prepared (postgres_server_storage.cpp's
  // kPrepared): parsed and planned once per connection, not once per call.
  template <class... Args>
  pqxx::result autocommitPrepared(const std::string& name, const Args&... args) {
    return autocommitWith([&](pqxx::nontransaction& n) { return n.exec_prepared(name, args...); });
  }
  // putChunk for a blob sent in one request (every photo): one call to smp_put_whole_blob.
  ChunkOutcome putWholeBlob(const KioskIdentity& kiosk, const std::string& sha256,
                            const std::string& bytes);
  // The rows of an upload in pieces whose last piece has been verified and moved into place.
  bool recordCompletedUpload(const KioskIdentity& kiosk, const std::string& sha256,
                             std::uint64_t size);
  // Removes the files of blobs a committed erasure or expiry deleted, each under the blob's
  // lock and only if no row names it again by then (another kiosk may have sent the bytes).
  void removeBlobFiles(const std::vector<std::string>& sha256s);
  std::vector<std::string> deleteConsultation(pqxx::work& w, const std::string& kioskId,
                                              const std::string& id, const std::string& erasedAt);

  PostgresPool m_pool;
  std::filesystem::path m_blobFolder;
  std::unique_ptr<FileBlobStore> m_blobs;
  std::unique_ptr<KioskTokenCache> m_tokens;
};

}  // namespace smp::server
