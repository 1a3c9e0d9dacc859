// Pushes the outbox to head office: blobs first (content-addressed), then each record; a record
// counts as synced only when the server acknowledges its id and content hash.
#pragma once

#include <atomic>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>

#include "sync/client/http_client.h"
#include "sync/client/outbox.h"

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
  int quarantined = 0;  // newly quarantined in this pass
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
  enum class ItemResult { kAcknowledged, kRefused, kRetryLater, kStopPass };
  // Hands over or fetches the store key as the outbox needs. A report when the pass must stop.
  std::optional<SyncReport> settleStoreKey(Outbox& outbox);
  // Carries out head office's erasure orders before anything is sent, so a record head office
  // has erased is never sent again. A report when the pass must stop.
  std::optional<SyncReport> applyErasureOrders(Outbox& outbox);
  ItemResult pushItem(Outbox& outbox, const PendingItem& item, SyncReport& report);
  ItemResult pushRecord(Outbox& outbox, const PendingItem& item, SyncReport& report);
  ItemResult pushTombstone(Outbox& outbox, const PendingItem& item, SyncReport& report);
  // Uploads a blob in resumable chunks. Empty when done, else why not (and whether to retry).
  std::optional<std::pair<ItemResult, std::string>> pushBlob(const std::string& sha,
                                                             const std::vector<std::uint8_t>& bytes,
                                                             SyncReport& report);

  ServerEndpoint m_endpoint;
  HttpClient m_http;
};

}  // namespace smp::sync
