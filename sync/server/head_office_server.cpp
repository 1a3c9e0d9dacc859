// Routes of the head-office API. Validation happens here, at the edge, before storage sees input:
// first a guard on the request's headers (route, size, encoding, token, rate), then the handlers
// on the body.
#include "sync/server/head_office_server.h"

#include <malloc.h>
#include <sodium.h>

#include <cstdio>
#include <mutex>
#include <stdexcept>

#include "sync/protocol/consultation.h"
#include "sync/protocol/enrolment_code.h"
#include "sync/protocol/json_fields.h"
#include "sync/protocol/messages.h"
#include "sync/protocol/sha256.h"
#include "sync/protocol/untrusted_json.h"
#include "sync/server/head_office_storage.h"

namespace smp::server {
namespace {

using nlohmann::json;

// The kiosk the guard authenticated for the request this thread is serving (httplib runs the
// guard and the handler of one request on the same thread, one request at a time).
thread_local std::optional<KioskIdentity> t_kiosk;

void reply(httplib::Response& res, int status, const json& body) {
  res.status = status;
  res.set_content(protocol::dumpJson(body), "application/json");
}

void refuse(httplib::Response& res, int status, const std::string& message) {
  reply(res, status, json{{"error", message}});
}

// Digits only, at most `maxDigits` of them (so the value fits in 64 bits), or nullopt.
std::optional<std::uint64_t> wholeNumber(const std::string& text, std::size_t maxDigits) {
  if (text.empty() || text.size() > maxDigits ||
      text.find_first_not_of("0123456789") != std::string::npos) {
    return std::nullopt;
  }
  return std::stoull(text);
}

// The `after=SEQ` of a kiosk's feed (erasure orders, follow-ups): 0 when absent, nullopt when
// it is not a whole number.
std::optional<std::int64_t> afterParam(const httplib::Request& req) {
  if (!req.has_param("after")) return 0;
  const auto n = wholeNumber(req.get_param_value("after"), 18);
  if (!n) return std::nullopt;
  return static_cast<std::int64_t>(*n);
}

// A non-negative integer from a query parameter, or invalid_argument naming it.
std::uint64_t parseCount(const std::string& text, const char* name) {
  const auto n = wholeNumber(text, 12);
  if (!n) {
    throw std::invalid_argument(std::string("query parameter '") + name +
                                "' must be a whole number");
  }
  return *n;
}

// 'value' cut to 80 bytes for messages: ids in paths come from outside and may be huge.
std::string quotedForMessage(const std::string& value) {
  std::string out = "'";
  out.append(value, 0, 80);
  if (value.size() > 80) out += "...";
  out += "'";
  return out;
}

std::string newErrorId() {
  if (sodium_init() < 0) return "00000000";
  unsigned char b[4];
  randombytes_buf(b, sizeof b);
  char hex[9];
  std::snprintf(hex, sizeof hex, "%02x%02x%02x%02x", b[0], b[1], b[2], b[3]);
  return hex;
}

// {"code": "K7QM-2XRP-9HDW-TNB4"} and room for whitespace.
constexpr std::size_t kMaxEnrolmentBodyBytes = 512;

// {"public_key": 64 hex, "secret_key": 64 hex} and room for whitespace.
constexpr std::size_t kMaxStoreKeyBodyBytes = 1024;

bool isKeyHex(const std::string& s) {
  return s.size() == 64 && s.find_first_not_of("0123456789abcdef") == std::string::npos;
}

// The secret half of an X25519 key pair derives its public half: a kiosk cannot escrow a key
// that would not open what it sealed.
bool keyPairMatches(const std::string& publicHex, const std::string& secretHex) {
  unsigned char pub[crypto_box_PUBLICKEYBYTES], secret[crypto_box_SECRETKEYBYTES],
      derived[crypto_box_PUBLICKEYBYTES];
  if (sodium_init() < 0 ||
      sodium_hex2bin(pub, sizeof pub, publicHex.data(), publicHex.size(), nullptr, nullptr,
                     nullptr) != 0 ||
      sodium_hex2bin(secret, sizeof secret, secretHex.data(), secretHex.size(), nullptr, nullptr,
                     nullptr) != 0) {
    return false;
  }
  crypto_scalarmult_base(derived, secret);
  sodium_memzero(secret, sizeof secret);
  return sodium_memcmp(derived, pub, sizeof pub) == 0;
}

// What each endpoint may receive, decided from the method and path alone.
struct RouteRule {
  std::size_t maxBodyBytes = 0;
  bool needsToken = true;
};

bool startsWith(const std::string& s, const char* prefix) { return s.rfind(prefix, 0) == 0; }

std::optional<RouteRule> ruleFor(const std::string& method, const std::string& path) {
  if (path == "/healthz" && method == "GET") return RouteRule{0, false};
  if ((path == "/v1/kiosk" || path == "/v1/config" || path == "/v1/erasures" ||
       path == "/v1/follow-ups") &&
      method == "GET")
    return RouteRule{};
  // The web application: its own sign-in (a session cookie), never a kiosk token.
  if (method == "GET" && (path == "/" || startsWith(path, "/app/") || startsWith(path, "/api/")))
    return RouteRule{0, false};
  // A config with its consent texts is larger than the other changes the pages make.
  if (path == "/api/config" && method == "POST") return RouteRule{protocol::kMaxConfigBytes, false};
  if ((path == "/api/session" && (method == "POST" || method == "DELETE")) ||
      (startsWith(path, "/api/kiosks") && method == "POST") ||
      (startsWith(path, "/api/users") && method == "POST") ||
      (path == "/api/me/password" && method == "POST") ||
      (startsWith(path, "/api/consultations/") && method == "POST") ||
      (path == "/api/exports/photos" && method == "POST"))
    return RouteRule{kMaxOfficeBodyBytes, false};
  // A kiosk's setup collects its token with a one-time code: no token yet.
  if (path == "/v1/enrolment" && method == "POST") return RouteRule{kMaxEnrolmentBodyBytes, false};
  if (path == "/v1/store-key") {
    if (method == "GET") return RouteRule{};
    if (method == "PUT") return RouteRule{kMaxStoreKeyBodyBytes, true};
  }
  if (path == "/v1/heartbeat" && method == "POST")
    return RouteRule{protocol::kMaxHeartbeatBytes, true};
  if (startsWith(path, "/v1/blobs/")) {
    if (method == "GET") return RouteRule{};
    if (method == "PUT") return RouteRule{protocol::kMaxChunkBytes, true};
  }
  if (startsWith(path, "/v1/consultations/")) {
    if (method == "PUT") return RouteRule{protocol::kMaxRecordBytes, true};
    if (method == "DELETE") return RouteRule{};
  }
  return std::nullopt;
}

// The declared body length: nullopt when the header is malformed.
std::optional<std::uint64_t> contentLength(const httplib::Request& req) {
  if (!req.has_header("Content-Length")) return 0;
  return wholeNumber(req.get_header_value("Content-Length"), 18);
}

}  // namespace

std::string escapeForLog(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u >= 0x7f || c == '\\') {
      char esc[5];
      std::snprintf(esc, sizeof esc, "\\x%02x", u);
      out += esc;
    } else {
      out += c;
    }
  }
  return out;
}

namespace {

// Every upload's body (a photo of about 300 KB, a chunk of up to 4 MB) is allocated and freed
// once per request. By default glibc hands such blocks back to the system (it unmaps them or
// trims the heap), and each hand-back flushes the TLB of every core, which costs most on a
// virtual machine; the next request then faults the pages in again. `perf` of a kiosk's sync
// showed 5 % of all samples in the heap's trim. Kept instead: blocks up to 32 MB come from the
// heap, and up to 64 MB of freed memory stays with the process. Refused by another allocator
// (a sanitizer's): slower, never wrong.
void keepFreedRequestMemory() {
  static std::once_flag once;
  std::call_once(once, [] {
    mallopt(M_MMAP_THRESHOLD, 32 << 20);
    mallopt(M_TRIM_THRESHOLD, 64 << 20);
  });
}

}  // namespace

HeadOfficeServer::HeadOfficeServer(ServerStorage& storage, ServerOptions options)
    : m_storage(storage),
      m_options(std::move(options)),
      m_http(m_options.connections),
      m_rateLimiter(m_options.kioskRate),
      m_enrolmentLimiter(m_options.enrolmentRate) {
  if (!m_options.tlsCertificateFile.empty() || !m_options.tlsPrivateKeyFile.empty()) {
    if (m_options.tlsCertificateFile.empty() || m_options.tlsPrivateKeyFile.empty())
      throw std::invalid_argument("HTTPS needs both a certificate and its private key");
    m_http.useTls(m_options.tlsCertificateFile, m_options.tlsPrivateKeyFile);
  }
  keepFreedRequestMemory();
  // Bodies are bounded per endpoint by the guard; this is only the outermost limit.
  m_http.set_payload_max_length(protocol::kMaxChunkBytes);
  // Without NODELAY, Nagle plus the client's delayed ACK adds ~40 ms to every answer.
  m_http.set_tcp_nodelay(true);
  m_http.set_exception_handler(
      [this](const httplib::Request& req, httplib::Response& res, std::exception_ptr ep) {
        // The detail (an SQLite message, a path on disk) is for the operator, not the client.
        const std::string id = newErrorId();
        std::string what = "unknown exception";
        try {
          if (ep) std::rethrow_exception(ep);
        } catch (const std::exception& e) {
          what = e.what();
        } catch (...) {
        }
        log(service::LogLevel::kError,
            "error " + id + " in " + req.method + " " + req.path + ": " + what);
        reply(res, 500,
              json{{"error", "internal error; head office logged it as " + id}, {"error_id", id}});
      });
  m_http.set_error_handler([](const httplib::Request&, httplib::Response& res) {
    if (!res.body.empty()) return;  // a handler already explained itself
    if (res.status == 413) {
      refuse(res, 413, "request body is over this endpoint's limit");
    } else if (res.status == 414) {
      refuse(res, 414, "request path is too long");
    } else {
      refuse(res, res.status, "request refused");
    }
  });
  m_http.set_logger([this](const httplib::Request& req, const httplib::Response& res) {
    log(service::LogLevel::kInfo,
        req.method + " " + req.path + " -> " + std::to_string(res.status));
  });
  installGuards();
  installRoutes();
}

HeadOfficeServer::~HeadOfficeServer() {
  stop();
  if (m_maintenance.joinable()) m_maintenance.join();
}

std::int64_t HeadOfficeServer::nowUnixSeconds() const {
  if (m_options.officeClock) return m_options.officeClock();
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

void HeadOfficeServer::selfCheck() { (void)m_storage.config(); }

void HeadOfficeServer::log(service::LogLevel level, const std::string& line) const {
  if (!m_options.log) return;
  try {
    m_options.log(level, escapeForLog(line));
  } catch (...) {
    // A failing log sink (a closed stderr) must not end the request.
  }
}

int HeadOfficeServer::bind(const std::string& host, int port) {
  if (port == 0) {
    const int bound = m_http.bind_to_any_port(host);
    if (bound <= 0) throw std::runtime_error("cannot listen on " + host + ": no free port");
    m_http.widenListenBacklog();
    return bound;
  }
  if (!m_http.bind_to_port(host, port)) {
    throw std::runtime_error("cannot listen on " + host + ":" + std::to_string(port) +
                             " (in use, or not an address of this machine)");
  }
  m_http.widenListenBacklog();
  return port;
}

void HeadOfficeServer::run() {
  m_inRun = true;
  if (!m_maintenance.joinable()) m_maintenance = std::thread([this] { maintenanceLoop(); });
  if (!m_stopRequested) m_http.listen_after_bind();
  m_http.closeListener();  // if stop() came before listening began
  m_inRun = false;
}

void HeadOfficeServer::stop() {
  // httplib's stop() does nothing before listen has begun; wait for that instant (it is
  // immediate once run() is entered) so a stop racing a start is never lost.
  {
    std::lock_guard lock(m_maintenanceMutex);
    m_stopRequested = true;
  }
  m_maintenanceWake.notify_all();
  while (m_inRun && !m_http.is_running()) std::this_thread::yield();
  m_http.stop();
}

int HeadOfficeServer::expireUploadsNow() {
  const auto cutoff = std::chrono::system_clock::now() - m_options.uploadExpiry;
  return m_storage.expireUploads(
      std::chrono::duration_cast<std::chrono::seconds>(cutoff.time_since_epoch()).count());
}

void HeadOfficeServer::maintenanceLoop() {
  std::unique_lock lock(m_maintenanceMutex);
  while (!m_stopRequested) {
    lock.unlock();
    try {
      const int gone = expireUploadsNow();
      if (gone > 0)
        log(service::LogLevel::kInfo,
            "expired " + std::to_string(gone) + " abandoned upload chunks and blobs");
    } catch (const std::exception& e) {
      log(service::LogLevel::kWarning, std::string("upload expiry failed: ") + e.what());
    }
    lock.lock();
    m_maintenanceWake.wait_for(lock, std::chrono::hours(1),
                               [this] { return m_stopRequested.load(); });
  }
}

void HeadOfficeServer::installGuards() {
  m_http.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
    t_kiosk.reset();
    const auto length = contentLength(req);
    const bool bodyFollows = req.has_header("Transfer-Encoding") || !length || *length > 0;
    // Refused on its headers: the body is never read, so the connection cannot carry another
    // request and is closed after this answer.
    auto refuseNow = [&](int status, const std::string& message) {
      if (bodyFollows) {
        GuardedHttpServer::closeCurrentConnectionAfterResponse();
        res.set_header("Connection", "close");
      }
      refuse(res, status, message);
      return httplib::Server::HandlerResponse::Handled;
    };
    const auto rule = ruleFor(req.method, req.path);
    if (!rule)
      return refuseNow(404, "no such endpoint: " + req.method + " " + quotedForMessage(req.path));
    if (req.has_header("Transfer-Encoding")) {
      return refuseNow(411, "send the body with a Content-Length; chunked bodies are not accepted");
    }
    const std::string encoding = req.get_header_value("Content-Encoding");
    if (!encoding.empty() && encoding != "identity") {
      return refuseNow(415, "Content-Encoding " + quotedForMessage(encoding) +
                                " is not accepted: send the body uncompressed");
    }
    if (!length) return refuseNow(400, "Content-Length is not a whole number");
    if (*length > rule->maxBodyBytes) {
      return refuseNow(413, "a body of " + std::to_string(*length) +
                                " bytes is over this endpoint's limit of " +
                                std::to_string(rule->maxBodyBytes) + " bytes");
    }
    if (rule->needsToken) {
      const std::string header = req.get_header_value("Authorization");
      const std::string prefix = "Bearer ";
      if (header.rfind(prefix, 0) != 0 || header.size() == prefix.size()) {
        return refuseNow(401, "missing bearer token: enroll this kiosk with 'smp-kiosk enroll'");
      }
      auto kiosk = m_storage.kioskForToken(header.substr(prefix.size()));
      if (!kiosk)
        return refuseNow(401, "unknown or revoked kiosk token: this kiosk must be re-enrolled");
      int retryAfter = 1;
      if (!m_rateLimiter.allow(kiosk->kioskId, retryAfter)) {
        res.set_header("Retry-After", std::to_string(retryAfter));
        return refuseNow(429, "too many requests from this kiosk: try again in " +
                                  std::to_string(retryAfter) + " s");
      }
      t_kiosk = std::move(kiosk);
    }
    GuardedHttpServer::allowBodyOfCurrentRequest(*length);
    return httplib::Server::HandlerResponse::Unhandled;
  });
}

std::optional<KioskIdentity> HeadOfficeServer::authenticate(const httplib::Request&,
                                                            httplib::Response& res) {
  // Every route that calls this has needsToken, so the guard either set t_kiosk or refused.
  if (!t_kiosk) refuse(res, 401, "missing bearer token: enroll this kiosk with 'smp-kiosk enroll'");
  return t_kiosk;
}

std::optional<std::string> HeadOfficeServer::authenticatedBlobHash(const httplib::Request& req,
                                                                   httplib::Response& res) {
  if (!authenticate(req, res)) return std::nullopt;
  std::string sha = req.matches[1];
  if (!protocol::isSha256Hex(sha)) {
    refuse(res, 400, quotedForMessage(sha) + " is not a lowercase hex sha256");
    return std::nullopt;
  }
  return sha;
}

std::filesystem::path HeadOfficeServer::exportsFolder() const {
  if (!m_options.exportsFolder.empty()) return m_options.exportsFolder;
  if (const auto* both = dynamic_cast<const HeadOfficeStorage*>(&m_storage))
    return exportsFolderFor(both->blobFolder());
  return {};
}

void HeadOfficeServer::installRoutes() {
  if (m_options.office) {
    m_web = std::make_unique<OfficeWeb>(
        *m_options.office, m_storage, m_options.webRoot, m_http.usesTls(),
        [this](const std::string& line) { log(service::LogLevel::kNotice, line); },
        m_options.officeClock, exportsFolder());
    m_web->install(m_http);
  }
  m_http.Get("/healthz", [](const httplib::Request&, httplib::Response& res) {
    reply(res, 200, json{{"status", "ok"}, {"protocol", protocol::kProtocolVersion}});
  });

  m_http.Get("/v1/kiosk", [this](const httplib::Request& req, httplib::Response& res) {
    auto kiosk = authenticate(req, res);
    if (!kiosk) return;
    reply(res, 200,
          json{{"kiosk_id", kiosk->kioskId},
               {"clinic", kiosk->clinic},
               {"protocol", protocol::kProtocolVersion}});
  });

  // Blobs are content-addressed: the path names the sha256 the bytes must hash to. They arrive
  // in chunks (?offset=N&size=TOTAL); GET tells a resuming client where to continue. Both see
  // only this kiosk's own uploads.
  m_http.Get(R"(/v1/blobs/(.*))", [this](const httplib::Request& req, httplib::Response& res) {
    const auto sha = authenticatedBlobHash(req, res);
    if (!sha) return;
    const UploadState state = m_storage.uploadState(*t_kiosk, *sha);
    if (state.present) return reply(res, 200, json{{"sha256", *sha}, {"present", true}});
    reply(res, 404, json{{"sha256", *sha}, {"present", false}, {"received", state.received}});
  });

  m_http.Put(R"(/v1/blobs/(.*))", [this](const httplib::Request& req, httplib::Response& res) {
    const auto sha = authenticatedBlobHash(req, res);
    if (!sha) return;
    if (req.body.empty()) return refuse(res, 400, "blob chunk is empty");
    std::uint64_t offset = 0, size = req.body.size();
    try {
      if (req.has_param("offset")) offset = parseCount(req.get_param_value("offset"), "offset");
      if (req.has_param("size")) size = parseCount(req.get_param_value("size"), "size");
    } catch (const std::invalid_argument& e) {
      return refuse(res, 400, e.what());
    }
    if (size > protocol::kMaxBlobBytes) {
      return refuse(res, 413,
                    "blob of " + std::to_string(size) + " bytes is over the limit of " +
                        std::to_string(protocol::kMaxBlobBytes));
    }
    const ChunkOutcome outcome =
        m_storage.putChunk(*t_kiosk, *sha, size, offset, req.body, m_options.uploadQuota);
    switch (outcome.result) {
      case ChunkResult::kAccepted:
        return reply(res, 202,
                     json{{"sha256", *sha}, {"present", false}, {"received", outcome.received}});
      case ChunkResult::kCompleted:
      case ChunkResult::kAlreadyPresent:
        return reply(res, 200, json{{"sha256", *sha}, {"present", true}});
      case ChunkResult::kWrongOffset:
        return reply(
            res, 409,
            json{{"error", "chunk at offset " + std::to_string(offset) + " but the server has " +
                               std::to_string(outcome.received) + " bytes: continue from there"},
                 {"received", outcome.received}});
      case ChunkResult::kTooLarge:
        return refuse(res, 400,
                      "chunk runs past the declared size of " + std::to_string(size) + " bytes");
      case ChunkResult::kHashMismatch:
        return refuse(res, 400,
                      "blob hashes to " + outcome.actualSha256 + ", not " + *sha +
                          ": the upload was discarded, resend it");
      case ChunkResult::kQuotaExceeded:
        res.set_header("Retry-After", "60");
        return refuse(res, 429,
                      "this kiosk already has " +
                          std::to_string(m_options.uploadQuota.maxUnfinishedUploads) +
                          " unfinished uploads: finish them before starting another");
    }
    refuse(res, 500, "unknown upload outcome");
  });

  m_http.Delete(R"(/v1/consultations/(.*))",
                [this](const httplib::Request& req, httplib::Response& res) {
                  const auto kiosk = authenticate(req, res);
                  if (!kiosk) return;
                  const std::string id = req.matches[1];
                  if (!protocol::isUuid(id))
                    return refuse(res, 400, quotedForMessage(id) + " is not a consultation UUID");
                  std::string erasedAt;
                  if (!m_storage.eraseConsultation(*kiosk, id, erasedAt)) {
                    return refuse(res, 409, "consultation " + id + " belongs to another kiosk");
                  }
                  reply(res, 200, json{{"id", id}, {"status", "erased"}, {"erased_at", erasedAt}});
                });

  // Sealing at rest (docs/security.md): a kiosk hands over its store key once after
  // enrolment and fetches it after each restart to read its own sealed records. Head office
  // never replaces a key it holds, and every fetch is logged with the kiosk's id.
  m_http.Put("/v1/store-key", [this](const httplib::Request& req, httplib::Response& res) {
    const auto kiosk = authenticate(req, res);
    if (!kiosk) return;
    std::string publicHex, secretHex;
    try {
      const json body = protocol::parseUntrustedJson(req.body, kMaxStoreKeyBodyBytes);
      if (!body.is_object()) return refuse(res, 400, "store key: expected a JSON object");
      publicHex = protocol::stringField(body, "public_key", 64);
      secretHex = protocol::stringField(body, "secret_key", 64);
    } catch (const protocol::ProtocolError& e) {
      return refuse(res, 400, std::string("store key: ") + e.what());
    }
    if (!isKeyHex(publicHex) || !isKeyHex(secretHex)) {
      return refuse(res, 400,
                    "store key: public_key and secret_key must be 64 lowercase hex digits");
    }
    if (!keyPairMatches(publicHex, secretHex)) {
      return refuse(res, 400, "store key: secret_key does not belong to public_key");
    }
    if (m_storage.escrowStoreKey(*kiosk, publicHex, secretHex) == KeyEscrowResult::kConflict) {
      return refuse(res, 409,
                    "head office already holds another store key for this kiosk and never "
                    "replaces it; enrol a wiped kiosk as a new kiosk");
    }
    log(service::LogLevel::kNotice, "kiosk " + kiosk->kioskId + " escrowed its store key");
    reply(res, 200, json{{"status", "held"}});
  });

  // Enrolment with a one-time code (the kiosk's setup screen, or 'smp-kiosk enroll
  // --code-file'): the code is used up and the kiosk gets a new token, which is never shown to
  // a person. Codes carry ~78 random bits, so guessing is hopeless; a global bucket still
  // bounds the database work a flood of attempts can cause.
  m_http.Post("/v1/enrolment", [this](const httplib::Request& req, httplib::Response& res) {
    int retryAfter = 1;
    if (!m_enrolmentLimiter.allow("enrolment", retryAfter)) {
      res.set_header("Retry-After", std::to_string(retryAfter));
      return refuse(
          res, 429,
          "too many enrolment attempts: try again in " + std::to_string(retryAfter) + " s");
    }
    std::optional<std::string> code;
    try {
      const json body = protocol::parseUntrustedJson(req.body, kMaxEnrolmentBodyBytes);
      if (!body.is_object()) return refuse(res, 400, "enrolment: expected a JSON object");
      code = protocol::normaliseEnrolmentCode(protocol::stringField(body, "code", 64));
    } catch (const protocol::ProtocolError& e) {
      return refuse(res, 400, std::string("enrolment: ") + e.what());
    }
    if (!code) {
      return refuse(res, 400,
                    "an enrolment code is 16 letters and digits in groups of four, like "
                    "K7QM-2XRP-9HDW-TNB4: check what was typed");
    }
    const auto outcome = m_storage.redeemEnrolmentCode(*code, nowUnixSeconds());
    if (const auto* refusal = std::get_if<EnrolmentRefusal>(&outcome)) {
      switch (*refusal) {
        case EnrolmentRefusal::kUnknown:
          return refuse(res, 403,
                        "head office does not know this enrolment code: check it, or ask head "
                        "office for a new one");
        case EnrolmentRefusal::kUsed:
          return refuse(res, 409,
                        "this enrolment code was used already (each code sets up one kiosk "
                        "once): ask head office for a new one");
        case EnrolmentRefusal::kExpired:
          return refuse(res, 410, "this enrolment code has expired: ask head office for a new one");
        case EnrolmentRefusal::kKioskRevoked:
          return refuse(res, 403,
                        "head office has revoked the kiosk this code belongs to: ask head "
                        "office for a new kiosk");
      }
    }
    const auto& e = std::get<Enrolment>(outcome);
    log(service::LogLevel::kNotice,
        "kiosk " + e.kioskId + " enrolled with a one-time code from " + req.remote_addr);
    res.set_header("Cache-Control", "no-store");
    reply(res, 200, json{{"kiosk_id", e.kioskId}, {"clinic", e.clinic}, {"token", e.token}});
  });

  m_http.Get("/v1/store-key", [this](const httplib::Request& req, httplib::Response& res) {
    const auto kiosk = authenticate(req, res);
    if (!kiosk) return;
    const auto secretHex = m_storage.escrowedStoreKey(*kiosk);
    if (!secretHex) return refuse(res, 404, "head office holds no store key for this kiosk");
    log(service::LogLevel::kNotice,
        "kiosk " + kiosk->kioskId + " fetched its store key from " + req.remote_addr);
    res.set_header("Cache-Control", "no-store");
    reply(res, 200, json{{"secret_key", *secretHex}});
  });

  // Erasures head office decided (a client asked head office to be forgotten), for this kiosk to
  // remove its own copy; the kiosk asks with the last sequence number it carried out.
  m_http.Get("/v1/erasures", [this](const httplib::Request& req, httplib::Response& res) {
    const auto kiosk = authenticate(req, res);
    if (!kiosk) return;
    const auto after = afterParam(req);
    if (!after) return refuse(res, 400, "'after' is a whole number");
    json orders = json::array();
    for (const auto& o : m_storage.erasureOrders(*kiosk, *after, 500)) {
      orders.push_back({{"seq", o.seq}, {"id", o.consultationId}, {"erased_at", o.erasedAt}});
    }
    reply(res, 200, json{{"erasures", orders}});
  });

  // Head office's follow-up of the consultations this kiosk took (status and notes), for its
  // staff screen; the kiosk asks with the last sequence number it keeps.
  m_http.Get("/v1/follow-ups", [this](const httplib::Request& req, httplib::Response& res) {
    const auto kiosk = authenticate(req, res);
    if (!kiosk) return;
    const auto after = afterParam(req);
    if (!after) return refuse(res, 400, "'after' is a whole number");
    json changes = json::array();
    // 100 at most: with notes of 2,000 bytes an answer stays far below the 1 MiB a kiosk reads.
    for (const auto& f : m_storage.followUpsFor(*kiosk, *after, 100)) {
      changes.push_back({{"seq", f.seq},
                         {"id", f.consultationId},
                         {"status", f.status},
                         {"note", f.note},
                         {"author", f.author},
                         {"at", f.at}});
    }
    res.set_header("Cache-Control", "no-store");  // notes about clients
    reply(res, 200, json{{"follow_ups", changes}});
  });

  m_http.Get("/v1/config", [this](const httplib::Request& req, httplib::Response& res) {
    if (!authenticate(req, res)) return;
    const auto [config, etag] = m_storage.config();
    res.set_header("ETag", etag);
    if (req.get_header_value("If-None-Match") == etag) {
      res.status = 304;
      return;
    }
    reply(res, 200, config);
  });

  m_http.Post("/v1/heartbeat", [this](const httplib::Request& req, httplib::Response& res) {
    const auto kiosk = authenticate(req, res);
    if (!kiosk) return;
    try {
      const json body = protocol::parseUntrustedJson(req.body, protocol::kMaxHeartbeatBytes);
      m_storage.recordHeartbeat(*kiosk, protocol::Heartbeat::fromJson(body).toJson());
    } catch (const protocol::ProtocolError& e) {
      return refuse(res, 400, std::string("heartbeat: ") + e.what());
    }
    reply(res, 200, json{{"status", "ok"}});
  });

  m_http.Put(
      R"(/v1/consultations/(.*))", [this](const httplib::Request& req, httplib::Response& res) {
        auto kiosk = authenticate(req, res);
        if (!kiosk) return;
        const std::string id = req.matches[1];
        if (!protocol::isUuid(id))
          return refuse(res, 400, quotedForMessage(id) + " is not a consultation UUID");
        protocol::ConsultationRecord record;
        try {
          record = protocol::ConsultationRecord::fromJson(
              protocol::parseUntrustedJson(req.body, protocol::kMaxRecordBytes));
        } catch (const protocol::ProtocolError& e) {
          return refuse(res, 400, e.what());
        }
        if (record.id != id)
          return refuse(res, 400, "body id " + record.id + " does not match the path id " + id);
        // The canonical text once: it is what is stored, and its hash is the content hash
        // (ConsultationRecord::contentSha256 hashes the same dump).
        const std::string canonical = record.toJson().dump();
        const std::string hash = protocol::sha256Hex(canonical);
        std::string receivedAt;
        const PutResult result =
            m_storage.putConsultation(*kiosk, record.id, record.kioskSeq, record.revision, hash,
                                      canonical, record.blobHashes(), receivedAt);
        // Which blobs are asked only when some are: the usual record costs one store call.
        if (result == PutResult::kBlobsMissing) {
          return reply(res, 422,
                       json{{"error", "upload the record's blobs first"},
                            {"missing", m_storage.missingBlobs(*kiosk, record.blobHashes())}});
        }
        if (result == PutResult::kErased) {
          return refuse(res, 410, "consultation " + id + " was erased at head office");
        }
        if (result == PutResult::kConflict) {
          return refuse(res, 409,
                        "consultation " + id + " (or kiosk sequence " +
                            std::to_string(record.kioskSeq) +
                            ") is already stored with different content");
        }
        protocol::Ack ack{record.id, hash, result == PutResult::kStored ? "stored" : "duplicate",
                          receivedAt};
        reply(res, result == PutResult::kStored ? 201 : 200, ack.toJson());
      });
}

}  // namespace smp::server
