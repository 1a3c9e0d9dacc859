// Routes of the head-office API. Validation happens here, at the edge, before storage sees input.
#include "sync/server/head_office_server.h"

#include <stdexcept>
#include <thread>

#include "sync/protocol/consultation.h"
#include "sync/protocol/messages.h"
#include "sync/protocol/sha256.h"

namespace smp::server {
namespace {

using nlohmann::json;

void reply(httplib::Response& res, int status, const json& body) {
  res.status = status;
  res.set_content(body.dump(), "application/json");
}

void refuse(httplib::Response& res, int status, const std::string& message) {
  reply(res, status, json{{"error", message}});
}

// 'value' cut to 80 characters for messages: ids in paths come from outside and may be huge.
// A non-negative integer from a query parameter, or invalid_argument naming it.
std::uint64_t parseCount(const std::string& text, const char* name) {
  if (text.empty() || text.size() > 12 ||
      text.find_first_not_of("0123456789") != std::string::npos) {
    throw std::invalid_argument(std::string("query parameter '") + name +
                                "' must be a whole number");
  }
  return std::stoull(text);
}

std::string quotedForMessage(const std::string& value) {
  std::string out = "'";
  out.append(value, 0, 80);
  out += "'";
  return out;
}

}  // namespace

HeadOfficeServer::HeadOfficeServer(ServerStorage& storage, ServerOptions options)
    : m_storage(storage), m_options(std::move(options)) {
  // Larger bodies are answered 413 by httplib before a handler runs.
  m_http.set_payload_max_length(protocol::kMaxBlobBytes);
  // Without NODELAY, Nagle plus the client's delayed ACK adds ~40 ms to every answer.
  m_http.set_tcp_nodelay(true);
  m_http.set_read_timeout(30, 0);
  m_http.set_write_timeout(30, 0);
  m_http.set_exception_handler(
      [](const httplib::Request&, httplib::Response& res, std::exception_ptr ep) {
        std::string what = "internal error";
        try {
          if (ep) std::rethrow_exception(ep);
        } catch (const std::exception& e) {
          what = std::string("internal error: ") + e.what();
        } catch (...) {
        }
        refuse(res, 500, what);
      });
  m_http.set_error_handler([](const httplib::Request& req, httplib::Response& res) {
    if (!res.body.empty()) return;  // a handler already explained itself
    if (res.status == 413) {
      refuse(res, 413,
             "request body is larger than the limit of " + std::to_string(protocol::kMaxBlobBytes) +
                 " bytes");
    } else if (res.status == 404) {
      refuse(res, 404, "no such endpoint: " + req.method + " " + req.path);
    } else {
      refuse(res, res.status, "request refused");
    }
  });
  if (m_options.log) {
    m_http.set_logger(
        [log = m_options.log](const httplib::Request& req, const httplib::Response& res) {
          log(req.method + " " + req.path + " -> " + std::to_string(res.status));
        });
  }
  installRoutes();
}

HeadOfficeServer::~HeadOfficeServer() { stop(); }

int HeadOfficeServer::bind(const std::string& host, int port) {
  if (port == 0) {
    const int bound = m_http.bind_to_any_port(host);
    if (bound <= 0) throw std::runtime_error("cannot listen on " + host + ": no free port");
    return bound;
  }
  if (!m_http.bind_to_port(host, port)) {
    throw std::runtime_error("cannot listen on " + host + ":" + std::to_string(port) +
                             " (in use, or not an address of this machine)");
  }
  return port;
}

void HeadOfficeServer::run() {
  m_inRun = true;
  if (!m_stopRequested) m_http.listen_after_bind();
  m_inRun = false;
}

void HeadOfficeServer::stop() {
  // httplib's stop() does nothing before listen has begun; wait for that instant (it is
  // immediate once run() is entered) so a stop racing a start is never lost.
  m_stopRequested = true;
  while (m_inRun && !m_http.is_running()) std::this_thread::yield();
  m_http.stop();
}

std::optional<KioskIdentity> HeadOfficeServer::authenticate(const httplib::Request& req,
                                                            httplib::Response& res) {
  const std::string header = req.get_header_value("Authorization");
  const std::string prefix = "Bearer ";
  if (header.rfind(prefix, 0) != 0 || header.size() == prefix.size()) {
    refuse(res, 401, "missing bearer token: enroll this kiosk with 'smp-kiosk enroll'");
    return std::nullopt;
  }
  auto kiosk = m_storage.kioskForToken(header.substr(prefix.size()));
  if (!kiosk) refuse(res, 401, "unknown or revoked kiosk token: this kiosk must be re-enrolled");
  return kiosk;
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

void HeadOfficeServer::installRoutes() {
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
  // in chunks (?offset=N&size=TOTAL); GET tells a resuming client where to continue.
  m_http.Get(R"(/v1/blobs/(.*))", [this](const httplib::Request& req, httplib::Response& res) {
    const auto sha = authenticatedBlobHash(req, res);
    if (!sha) return;
    const UploadState state = m_storage.uploadState(*sha);
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
    const ChunkOutcome outcome = m_storage.putChunk(*sha, size, offset, req.body);
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
    }
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
    if (req.body.size() > 4096) return refuse(res, 413, "heartbeat is over 4096 bytes");
    const json body = json::parse(req.body, nullptr, false);
    if (body.is_discarded()) return refuse(res, 400, "body is not valid JSON");
    try {
      m_storage.recordHeartbeat(*kiosk, protocol::Heartbeat::fromJson(body).toJson());
    } catch (const protocol::ProtocolError& e) {
      return refuse(res, 400, e.what());
    }
    reply(res, 200, json{{"status", "ok"}});
  });

  m_http.Put(R"(/v1/consultations/(.*))", [this](const httplib::Request& req,
                                                 httplib::Response& res) {
    auto kiosk = authenticate(req, res);
    if (!kiosk) return;
    const std::string id = req.matches[1];
    if (!protocol::isUuid(id))
      return refuse(res, 400, quotedForMessage(id) + " is not a consultation UUID");
    if (req.body.size() > protocol::kMaxRecordBytes) {
      return refuse(res, 413,
                    "consultation body of " + std::to_string(req.body.size()) +
                        " bytes is over the limit of " + std::to_string(protocol::kMaxRecordBytes));
    }
    json body = json::parse(req.body, nullptr, false);
    if (body.is_discarded()) return refuse(res, 400, "body is not valid JSON");
    protocol::ConsultationRecord record;
    try {
      record = protocol::ConsultationRecord::fromJson(body);
    } catch (const protocol::ProtocolError& e) {
      return refuse(res, 400, e.what());
    }
    if (record.id != id)
      return refuse(res, 400, "body id " + record.id + " does not match the path id " + id);
    json missing = json::array();
    for (const std::string& sha : record.blobHashes()) {
      if (!m_storage.uploadState(sha).present) missing.push_back(sha);
    }
    if (!missing.empty()) {
      return reply(res, 422,
                   json{{"error", "upload the record's blobs first"}, {"missing", missing}});
    }
    const std::string hash = record.contentSha256();
    std::string receivedAt;
    const PutResult result =
        m_storage.putConsultation(*kiosk, record.id, record.kioskSeq, record.revision, hash,
                                  record.toJson().dump(), record.blobHashes(), receivedAt);
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
