// Pushes the outbox to head office: blobs first (content-addressed), then each record; a record
// counts as synced only when the server acknowledges its id and content hash.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <variant>
#include <vector>

#include "sync/client/http_client.h"
#include "sync/client/outbox.h"
#include "sync/protocol/consultation.h"

namespace smp::sync {

struct ServerEndpoint {
  std::string baseUrl;  // e.g. http://127.0.0.1:8080
  std::string token;
  std::string caFile;           // a head office's private CA (PEM), empty: the system's
  std::string pinnedPublicKey;  // "sha256//BASE64" of the server's public key, empty: none
};

enum class PassOutcome {
  kAllAcknowledged,  // the outbox is empty
  kPartial,          // some records were refused or failed; others may have gone through
  kOffline,          // no HTTP answer: the network or the server is down
  kUnauthorized,     // 401: this kiosk must be re-enrolled; nothing is dropped
  kNotConfigured,    // no server or token yet
  kSealed,           // the records stay sealed: head office did not send a key that opens them
};

// Head office answered 401: the token is wrong or revoked; the kiosk must be re-enrolled.
class TokenRefused : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// What head office said to a store key handed over.
enum class KeyEscrow { kHeld, kConflict };

struct SyncReport {
  PassOutcome outcome = PassOutcome::kAllAcknowledged;
  int attempted = 0;
  int acknowledged = 0;
  int failed = 0;
  int quarantined = 0;        // newly quarantined in this pass
  int followUpsReceived = 0;  // head office's follow-up changes kept in this pass
  std::uint64_t bytesSent = 0;
  std::string message;  // plain words for staff and for the CLI
  std::optional<int> retryAfterSeconds;
};

std::string outcomeName(PassOutcome outcome);

// Observable progress while a pass runs (called on the sync thread).
struct SyncProgress {
  int itemsDone = 0;
  int itemsTotal = 0;
  std::uint64_t bytesSent = 0;
};
using ProgressSink = std::function<void(const SyncProgress&)>;

enum class ConfigPull { kUpdated, kUnchanged, kFailed };

struct KioskInfo {
  std::string kioskId;
  std::string clinic;
};

// Head office refused an enrolment code (wrong, used, expired, its kiosk revoked): what() is the
// server's own words, which say what to do.
class EnrolmentRefused : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class SyncClient {
 public:
  // TLS is always verified; the endpoint may add a CA file and a pinned key.
  explicit SyncClient(ServerEndpoint endpoint, HttpOptions options = {});

  // One pass over the outbox. Never throws for network or server trouble: the report says it.
  SyncReport pushOnce(Outbox& outbox, const std::atomic<bool>* cancel = nullptr,
                      const ProgressSink& progress = {});

  // GET /v1/config with If-None-Match; stores a new config through the outbox.
  ConfigPull pullConfig(Outbox& outbox);
  // POST /v1/heartbeat with what the outbox reports. Returns false on any failure.
  bool sendHeartbeat(Outbox& outbox);

  // GET /v1/kiosk: checks the token and returns who the server thinks we are. Throws with a
  // message a person can act on when the server is unreachable or refuses the token.
  KioskInfo identify();

  // POST /v1/enrolment with a one-time code (no token yet: the endpoint's token is ignored).
  // Returns the kiosk's new token. Throws NetworkError, EnrolmentRefused, or
  // std::runtime_error for an answer that is not an smp-server's.
  std::string redeemEnrolmentCode(const std::string& code);

  // PUT /v1/store-key: head office holds the kiosk's store key from now on. Throws NetworkError,
  // TokenRefused, or std::runtime_error with the server's words for any other answer but 200
  // and 409.
  KeyEscrow escrowStoreKey(const StoreKeyToEscrow& key);
  // GET /v1/store-key: the secret half head office holds, or nullopt when it holds none (404).
  // Throws like escrowStoreKey.
  std::optional<std::string> fetchStoreKey();

 private:
  enum class ItemResult { kAcknowledged, kRefused, kRetryLater };
  // Hands over or fetches the store key as the outbox needs. A report when the pass must stop.
  std::optional<SyncReport> settleStoreKey(Outbox& outbox);
  // Carries out head office's erasure orders before anything is sent, so a record head office
  // has erased is never sent again. A report when the pass must stop.
  std::optional<SyncReport> applyErasureOrders(Outbox& outbox);
  // Keeps head office's follow-up changes (status and notes) for the staff screen. Never stops
  // the pass: the records still go out if this fails.
  // Returns how many changes were received.
  int receiveFollowUps(Outbox& outbox);
  ItemResult pushTombstone(Outbox& outbox, const PendingItem& item, SyncReport& report);

  // A record and its blobs read from the outbox (on the sync thread: the store is not shared
  // between threads), ready to send from any lane.
  struct PreparedRecord {
    PendingItem item;
    protocol::ConsultationRecord record;
    std::vector<std::pair<std::string, std::vector<std::uint8_t>>> blobs;
  };
  // What sending one record gave; the sync thread applies it to the outbox and the report.
  struct SendOutcome {
    ItemResult result = ItemResult::kRetryLater;
    std::string message;
    std::string receivedAt;
    std::optional<int> retryAfterSeconds;
    std::uint64_t bytesSent = 0;
    enum class Stop { kNone, kOffline, kUnauthorized } stop = Stop::kNone;
  };
  // The record, or why it cannot be sent (refused alone, so it never blocks the queue).
  static std::variant<PreparedRecord, std::string> prepareRecord(Outbox& outbox,
                                                                 const PendingItem& item);
  // Its blobs (resumable chunks), then the record; on `http`, from any thread.
  SendOutcome sendRecord(HttpClient& http, const PreparedRecord& prepared) const;
  // The record's blobs that a 422 answer says head office lacks; empty for any other answer
  // (or one naming a blob the record does not have).
  static std::vector<const std::pair<std::string, std::vector<std::uint8_t>>*> blobsHeadOfficeLacks(
      const HttpResponse& r, const PreparedRecord& prepared);
  // Empty when the blob is at head office, else why not (and whether to retry).
  std::optional<std::pair<ItemResult, std::string>> sendBlob(HttpClient& http,
                                                             const std::string& sha,
                                                             const std::vector<std::uint8_t>& bytes,
                                                             SendOutcome& out) const;
  // Consecutive records from items[at] on, read from the outbox; `at` moves past them. Empty
  // at the end or at a tombstone.
  struct Batch {
    std::vector<PendingItem> items;
    std::vector<std::variant<PreparedRecord, std::string>> loaded;  // or why it cannot go
  };
  static Batch readBatch(Outbox& outbox, const std::vector<PendingItem>& items, std::size_t& at);
  // Sends the records (null: not sendable) over every lane at once. An outcome per record, or
  // none when no lane took it (a failure stopped them first, or `cancel`).
  std::vector<std::optional<SendOutcome>> sendTogether(const std::vector<PreparedRecord*>& records,
                                                       const std::atomic<bool>* cancel);

  // Records sent at once: each lane is one kept-alive connection; a batch is bounded so that
  // the blobs read (one batch sending, the next read ahead) stay a few tens of MB.
  static constexpr std::size_t kLanes = 4;
  static constexpr std::size_t kBatchRecords = 32;
  static constexpr std::size_t kBatchBytes = 24u << 20;  // two batches in memory at most

  ServerEndpoint m_endpoint;
  HttpClient m_http;                                 // lane 0, and every other request
  std::vector<std::unique_ptr<HttpClient>> m_lanes;  // lanes 1..kLanes-1
};

}  // namespace smp::sync
