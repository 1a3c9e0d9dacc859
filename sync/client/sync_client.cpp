// The push pass. Order of trust: a 2xx alone proves nothing (captive portals answer 200);
// only a well-formed acknowledgement naming our id and hash marks a record synced.
#include "sync/client/sync_client.h"

#include <nlohmann/json.hpp>

namespace smp::sync {
namespace {

using nlohmann::json;

std::string serverMessage(const HttpResponse& r) {
  json body = json::parse(r.body, nullptr, false);
  if (body.is_object() && body.contains("error") && body["error"].is_string()) {
    return body["error"].get<std::string>();
  }
  return "HTTP " + std::to_string(r.status);
}

std::optional<int> retryAfter(const HttpResponse& r) {
  auto it = r.headers.find("retry-after");
  if (it == r.headers.end()) return std::nullopt;
  try {
    const int s = std::stoi(it->second);
    if (s >= 0 && s <= 24 * 3600) return s;
  } catch (...) {
  }
  return std::nullopt;
}

// A 401 on any request ends the pass: the token is wrong or revoked for every record alike.
struct Unauthorized {
  std::string message;
};

void throwIfUnauthorized(const HttpResponse& r) {
  if (r.status == 401) throw Unauthorized{"this kiosk must be re-enrolled: " + serverMessage(r)};
}

}  // namespace

std::string outcomeName(PassOutcome outcome) {
  switch (outcome) {
    case PassOutcome::kAllAcknowledged:
      return "ok";
    case PassOutcome::kPartial:
      return "partial";
    case PassOutcome::kOffline:
      return "offline";
    case PassOutcome::kUnauthorized:
      return "unauthorized";
    case PassOutcome::kNotConfigured:
      return "not-configured";
  }
  return "unknown";
}

SyncClient::SyncClient(ServerEndpoint endpoint, HttpOptions options)
    : m_endpoint(std::move(endpoint)), m_http(std::move(options)) {
  while (!m_endpoint.baseUrl.empty() && m_endpoint.baseUrl.back() == '/')
    m_endpoint.baseUrl.pop_back();
}

KioskInfo SyncClient::identify() {
  HttpResponse r;
  try {
    r = m_http.request("GET", m_endpoint.baseUrl + "/v1/kiosk", m_endpoint.token);
  } catch (const NetworkError& e) {
    throw std::runtime_error("cannot reach the head-office server: " + std::string(e.what()));
  }
  if (r.status == 401)
    throw std::runtime_error("the server refused this token: " + serverMessage(r));
  if (r.status != 200)
    throw std::runtime_error("unexpected answer from the server: " + serverMessage(r));
  json body = json::parse(r.body, nullptr, false);
  if (!body.is_object() || !body.contains("kiosk_id") || !body["kiosk_id"].is_string() ||
      !body.contains("clinic") || !body["clinic"].is_string()) {
    throw std::runtime_error("the server's answer is not a kiosk identity: is this an smp-server?");
  }
  return {body["kiosk_id"].get<std::string>(), body["clinic"].get<std::string>()};
}

bool SyncClient::pushBlob(const std::string& sha, const std::vector<std::uint8_t>& bytes,
                          SyncReport& report, std::string& why) {
  const std::string url = m_endpoint.baseUrl + "/v1/blobs/" + sha;
  HttpResponse head = m_http.request("GET", url, m_endpoint.token);
  throwIfUnauthorized(head);
  if (head.status == 200) return true;
  if (head.status != 404) {
    why = "checking blob " + sha.substr(0, 12) + ": " + serverMessage(head);
    report.retryAfterSeconds = retryAfter(head);
    return false;
  }
  HttpResponse put =
      m_http.request("PUT", url, m_endpoint.token, std::string(bytes.begin(), bytes.end()),
                     "application/octet-stream");
  throwIfUnauthorized(put);
  if (put.status != 200) {
    why = "uploading blob " + sha.substr(0, 12) + ": " + serverMessage(put);
    report.retryAfterSeconds = retryAfter(put);
    return false;
  }
  report.bytesSent += bytes.size();
  return true;
}

SyncClient::ItemResult SyncClient::pushItem(Outbox& outbox, const PendingItem& item,
                                            SyncReport& report) {
  outbox.markSendAttempt(item);
  auto record = outbox.loadRecord(item.consultationId);
  if (!record) {
    outbox.markFailed(item, "the record is missing from the kiosk store");
    return ItemResult::kRefused;
  }
  for (const std::string& sha : record->blobHashes()) {
    auto bytes = outbox.loadBlob(sha);
    if (!bytes) {
      outbox.markFailed(item, "blob " + sha + " is missing from the kiosk store");
      return ItemResult::kRefused;
    }
    std::string why;
    if (!pushBlob(sha, *bytes, report, why)) {
      outbox.markFailed(item, why);
      report.message = why;
      return ItemResult::kRefused;
    }
  }
  const std::string body = record->toJson().dump();
  HttpResponse r = m_http.request("PUT", m_endpoint.baseUrl + "/v1/consultations/" + record->id,
                                  m_endpoint.token, body);
  report.bytesSent += body.size();
  throwIfUnauthorized(r);
  if (r.status == 200 || r.status == 201) {
    try {
      const protocol::Ack ack = protocol::Ack::fromJson(json::parse(r.body));
      if (ack.id == record->id && ack.sha256 == record->contentSha256()) {
        outbox.markSynced(item, ack);
        return ItemResult::kAcknowledged;
      }
      report.message = "the server acknowledged a different record or hash";
    } catch (const std::exception& e) {
      report.message = std::string("the server's answer is not an acknowledgement: ") + e.what();
    }
  } else {
    report.message = "consultation " + record->id + ": " + serverMessage(r);
    report.retryAfterSeconds = retryAfter(r);
  }
  outbox.markFailed(item, report.message);
  // A 5xx means the server is struggling: stop this pass and let the caller back off.
  return r.status >= 500 ? ItemResult::kStopPass : ItemResult::kRefused;
}

SyncReport SyncClient::pushOnce(Outbox& outbox, const std::atomic<bool>* cancel) {
  SyncReport report;
  if (m_endpoint.baseUrl.empty() || m_endpoint.token.empty()) {
    report.outcome = PassOutcome::kNotConfigured;
    report.message = "this kiosk is not enrolled with a head-office server yet";
    outbox.recordPassResult(outcomeName(report.outcome) + ": " + report.message);
    return report;
  }
  const std::vector<PendingItem> items = outbox.pending();
  for (const PendingItem& item : items) {
    if (cancel && cancel->load()) break;
    ++report.attempted;
    ItemResult result;
    try {
      result = pushItem(outbox, item, report);
    } catch (const NetworkError& e) {
      outbox.markFailed(item, e.what());
      report.outcome = PassOutcome::kOffline;
      report.message = std::string("head office unreachable: ") + e.what();
      ++report.failed;
      break;
    } catch (const Unauthorized& u) {
      outbox.markFailed(item, u.message);
      report.outcome = PassOutcome::kUnauthorized;
      report.message = u.message;
      ++report.failed;
      break;
    }
    if (result == ItemResult::kAcknowledged) {
      ++report.acknowledged;
      continue;
    }
    ++report.failed;
    if (result == ItemResult::kStopPass) break;
  }
  if (report.outcome == PassOutcome::kAllAcknowledged &&
      (report.failed > 0 || report.acknowledged < static_cast<int>(items.size()))) {
    report.outcome = PassOutcome::kPartial;
  }
  if (report.outcome == PassOutcome::kAllAcknowledged) {
    report.message = items.empty()
                         ? "nothing to send"
                         : "all " + std::to_string(report.acknowledged) + " records acknowledged";
  }
  outbox.recordPassResult(outcomeName(report.outcome) + ": " + report.message);
  return report;
}

}  // namespace smp::sync
