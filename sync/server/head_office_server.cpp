// Routes of the head-office API. Validation happens here, at the edge, before storage sees input.
#include "sync/server/head_office_server.h"

#include <stdexcept>
#include <thread>

#include "sync/protocol/consultation.h"
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

  // Blobs are content-addressed: the path names the sha256 the body must hash to.
  m_http.Get(R"(/v1/blobs/(.*))", [this](const httplib::Request& req, httplib::Response& res) {
    const auto sha = authenticatedBlobHash(req, res);
    if (!sha) return;
    if (m_storage.hasBlob(*sha)) return reply(res, 200, json{{"sha256", *sha}, {"present", true}});
    refuse(res, 404, "blob " + *sha + " is not stored");
  });

  m_http.Put(R"(/v1/blobs/(.*))", [this](const httplib::Request& req, httplib::Response& res) {
    const auto sha = authenticatedBlobHash(req, res);
    if (!sha) return;
    if (req.body.empty()) return refuse(res, 400, "blob body is empty");
    const std::string actual = protocol::sha256Hex(req.body);
    if (actual != *sha) {
      return refuse(res, 400, "blob body hashes to " + actual + ", not " + *sha + ": resend it");
    }
    m_storage.putBlob(*sha, req.body);
    reply(res, 200, json{{"sha256", *sha}, {"size", req.body.size()}});
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
      if (!m_storage.hasBlob(sha)) missing.push_back(sha);
    }
    if (!missing.empty()) {
      return reply(res, 422,
                   json{{"error", "upload the record's blobs first"}, {"missing", missing}});
    }
    const std::string hash = record.contentSha256();
    std::string receivedAt;
    const PutResult result =
        m_storage.putConsultation(*kiosk, record.id, record.kioskSeq, record.revision, hash,
                                  record.toJson().dump(), receivedAt);
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
