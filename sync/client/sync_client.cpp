// The push pass. Order of trust: a 2xx alone proves nothing (captive portals answer 200);
// only a well-formed acknowledgement naming our id and hash marks a record synced.
#include "sync/client/sync_client.h"

#include <algorithm>
#include <future>
#include <nlohmann/json.hpp>
#include <thread>

#include "sync/protocol/messages.h"
#include "sync/protocol/untrusted_json.h"

namespace smp::sync {
namespace {

using nlohmann::json;

// A server's answer as JSON, or a discarded value: whatever arrives (from head office or from
// anything in the middle) is size- and depth-checked before a document is built.
json parseAnswer(const std::string& body) {
  try {
    return protocol::parseUntrustedJson(body, protocol::kMaxConfigBytes);
  } catch (const protocol::ProtocolError&) {
    return json(json::value_t::discarded);
  }
}

// Answers that say "not now" about the server, never "no" about the record: they must not count
// towards quarantine.
bool isTransient(long status) {
  return status == 0 || status == 408 || status == 429 || status >= 500;
}

std::string serverMessage(const HttpResponse& r) {
  json body = parseAnswer(r.body);
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
    case PassOutcome::kSealed:
      return "sealed";
  }
  return "unknown";
}

SyncClient::SyncClient(ServerEndpoint endpoint, HttpOptions options)
    : m_endpoint(std::move(endpoint)), m_http([&] {
        options.caFile = m_endpoint.caFile.empty() ? options.caFile : m_endpoint.caFile;
        options.pinnedPublicKey = m_endpoint.pinnedPublicKey.empty() ? options.pinnedPublicKey
                                                                     : m_endpoint.pinnedPublicKey;
        return options;
      }()) {
  // `options` now carries the endpoint's CA and pin too: every lane verifies the same way.
  for (std::size_t l = 1; l < kLanes; ++l) m_lanes.push_back(std::make_unique<HttpClient>(options));
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
  json body = parseAnswer(r.body);
  if (!body.is_object() || !body.contains("kiosk_id") || !body["kiosk_id"].is_string() ||
      !body.contains("clinic") || !body["clinic"].is_string()) {
    throw std::runtime_error("the server's answer is not a kiosk identity: is this an smp-server?");
  }
  return {body["kiosk_id"].get<std::string>(), body["clinic"].get<std::string>()};
}

std::string SyncClient::redeemEnrolmentCode(const std::string& code) {
  const HttpResponse r =
      m_http.request("POST", m_endpoint.baseUrl + "/v1/enrolment", "", json{{"code", code}}.dump());
  if (r.status == 400 || r.status == 403 || r.status == 409 || r.status == 410 || r.status == 429) {
    throw EnrolmentRefused(serverMessage(r));
  }
  if (r.status != 200)
    throw std::runtime_error("unexpected answer from the server: " + serverMessage(r));
  const json body = parseAnswer(r.body);
  if (!body.is_object() || !body.contains("token") || !body["token"].is_string() ||
      body["token"].get<std::string>().size() < 16) {
    throw std::runtime_error("the server's answer holds no kiosk token: is this an smp-server?");
  }
  return body["token"].get<std::string>();
}

KeyEscrow SyncClient::escrowStoreKey(const StoreKeyToEscrow& key) {
  const HttpResponse r = m_http.request(
      "PUT", m_endpoint.baseUrl + "/v1/store-key", m_endpoint.token,
      json{{"public_key", key.publicKeyHex}, {"secret_key", key.secretKeyHex}}.dump());
  if (r.status == 401) throw TokenRefused("this kiosk must be re-enrolled: " + serverMessage(r));
  if (r.status == 200) return KeyEscrow::kHeld;
  if (r.status == 409) return KeyEscrow::kConflict;
  throw std::runtime_error("head office did not take the store key: " + serverMessage(r));
}

std::optional<std::string> SyncClient::fetchStoreKey() {
  const HttpResponse r =
      m_http.request("GET", m_endpoint.baseUrl + "/v1/store-key", m_endpoint.token);
  if (r.status == 401) throw TokenRefused("this kiosk must be re-enrolled: " + serverMessage(r));
  if (r.status == 404) return std::nullopt;
  const json body = parseAnswer(r.body);
  if (r.status != 200 || !body.is_object() || !body.contains("secret_key") ||
      !body["secret_key"].is_string()) {
    throw std::runtime_error("head office did not send the store key: " + serverMessage(r));
  }
  return body["secret_key"].get<std::string>();
}

std::optional<SyncReport> SyncClient::applyErasureOrders(Outbox& outbox) {
  SyncReport report;
  // Bounded: at most 20 batches of 500 per pass; the rest wait for the next pass.
  for (int batch = 0; batch < 20; ++batch) {
    HttpResponse r;
    try {
      r = m_http.request(
          "GET",
          m_endpoint.baseUrl + "/v1/erasures?after=" + std::to_string(outbox.erasureCursor()),
          m_endpoint.token);
    } catch (const NetworkError& e) {
      report.outcome = PassOutcome::kOffline;
      report.message = std::string("head office unreachable: ") + e.what();
      return report;
    }
    if (r.status == 401) {
      report.outcome = PassOutcome::kUnauthorized;
      report.message = "this kiosk must be re-enrolled: " + serverMessage(r);
      return report;
    }
    if (r.status != 200) return std::nullopt;  // a head office without erasure orders
    const json body = parseAnswer(r.body);
    if (!body.is_object() || !body.contains("erasures") || !body["erasures"].is_array())
      return std::nullopt;
    int applied = 0;
    for (const json& o : body["erasures"]) {
      if (!o.is_object() || !o.contains("seq") || !o["seq"].is_number_integer() ||
          !o.contains("id") || !o["id"].is_string())
        continue;
      const std::int64_t seq = o["seq"].get<std::int64_t>();
      const std::string id = o["id"].get<std::string>();
      if (seq <= outbox.erasureCursor() || id.empty() || id.size() > 64) continue;
      outbox.applyErasure(id, seq);
      ++applied;
    }
    if (applied == 0) return std::nullopt;
  }
  return std::nullopt;
}

int SyncClient::receiveFollowUps(Outbox& outbox) {
  int received = 0;
  // Bounded: at most 20 batches (of 100) per pass; the rest come on the next pass.
  for (int batch = 0; batch < 20; ++batch) {
    const std::int64_t cursor = outbox.followUpCursor();
    HttpResponse r;
    try {
      r = m_http.request("GET",
                         m_endpoint.baseUrl + "/v1/follow-ups?after=" + std::to_string(cursor),
                         m_endpoint.token);
    } catch (const NetworkError&) {
      return received;  // the records' own requests will report it
    }
    if (r.status != 200) return received;  // an older head office, or a refusal
    const json body = parseAnswer(r.body);
    if (!body.is_object() || !body.contains("follow_ups") || !body["follow_ups"].is_array())
      return received;
    std::vector<protocol::FollowUp> changes;
    std::int64_t last = cursor;
    for (const json& o : body["follow_ups"]) {
      // Each field checked: what head office sends is shown on the staff screen.
      if (!o.is_object() || !o.contains("seq") || !o["seq"].is_number_integer()) continue;
      protocol::FollowUp f;
      f.seq = o["seq"].get<std::int64_t>();
      if (f.seq <= last) continue;
      last = f.seq;
      const auto text = [&](const char* name, std::size_t maxLen) -> std::optional<std::string> {
        if (!o.contains(name) || !o[name].is_string()) return std::nullopt;
        std::string v = o[name].get<std::string>();
        if (v.size() > maxLen) return std::nullopt;
        return v;
      };
      const auto id = text("id", 64), status = text("status", 20),
                 note = text("note", protocol::kMaxFollowUpNoteBytes), author = text("author", 64),
                 at = text("at", 40);
      if (!id || id->empty() || !status || !protocol::isFollowUpStatus(*status) || !note ||
          !author || !at)
        continue;  // skipped, and the cursor moves past it: asking again would not mend it
      f.consultationId = *id;
      f.status = *status;
      f.note = *note;
      f.author = *author;
      f.at = *at;
      changes.push_back(std::move(f));
    }
    if (last == cursor) return received;
    outbox.keepFollowUps(changes, last);
    received += static_cast<int>(changes.size());
  }
  return received;
}

std::optional<SyncReport> SyncClient::settleStoreKey(Outbox& outbox) {
  SyncReport report;
  try {
    if (const auto key = outbox.keyToEscrow()) {
      if (escrowStoreKey(*key) == KeyEscrow::kHeld) {
        outbox.keyEscrowed();
      }
      // On a conflict the key stays on this disk, so the records stay readable and are sent;
      // the next pass asks again (each 409 is in head office's request log).
      return std::nullopt;
    }
    if (!outbox.sealed()) return std::nullopt;
    const auto secret = fetchStoreKey();
    if (secret && outbox.unseal(*secret)) return std::nullopt;
    report.outcome = PassOutcome::kSealed;
    report.message = secret ? "head office sent a store key that does not open this kiosk's "
                              "records; they stay sealed and unsent"
                            : "head office holds no store key for this kiosk; its records stay "
                              "sealed and unsent";
  } catch (const NetworkError& e) {
    report.outcome = PassOutcome::kOffline;
    report.message = std::string("head office unreachable: ") + e.what();
  } catch (const TokenRefused& e) {
    report.outcome = PassOutcome::kUnauthorized;
    report.message = e.what();
  } catch (const std::runtime_error& e) {
    report.outcome = PassOutcome::kSealed;
    report.message = e.what();
  }
  return report;
}

std::optional<std::pair<SyncClient::ItemResult, std::string>> SyncClient::sendBlob(
    HttpClient& http, const std::string& sha, const std::vector<std::uint8_t>& bytes,
    SendOutcome& out) const {
  const std::string url = m_endpoint.baseUrl + "/v1/blobs/" + sha;
  auto failure = [&](const HttpResponse& r, const std::string& what) {
    out.retryAfterSeconds = retryAfter(r);
    const std::string why = what + " blob " + sha.substr(0, 12) + ": " + serverMessage(r);
    return std::pair{isTransient(r.status) ? ItemResult::kRetryLater : ItemResult::kRefused, why};
  };
  // No "how much do you hold?" first: the upload starts at 0, and a server holding part of it
  // answers 409 with where to go on (it costs at most one chunk, and saves a round trip for
  // every blob in the usual case, where the server holds nothing yet).
  std::uint64_t offset = 0;
  // Bounded: every chunk either advances the offset or the loop gives up for this pass.
  const std::size_t maxRounds = bytes.size() / protocol::kChunkBytes + 4;
  for (std::size_t round = 0; round < maxRounds; ++round) {
    const std::size_t len = std::min<std::size_t>(protocol::kChunkBytes, bytes.size() - offset);
    const std::string chunk(bytes.begin() + static_cast<std::ptrdiff_t>(offset),
                            bytes.begin() + static_cast<std::ptrdiff_t>(offset + len));
    HttpResponse put = http.request(
        "PUT", url + "?offset=" + std::to_string(offset) + "&size=" + std::to_string(bytes.size()),
        m_endpoint.token, chunk, "application/octet-stream");
    throwIfUnauthorized(put);
    const json body = parseAnswer(put.body);
    if (put.status == 200) {
      out.bytesSent += len;
      return std::nullopt;  // complete and verified by the server, or it already held it
    }
    if (put.status == 202 || put.status == 409) {
      if (put.status == 202) out.bytesSent += len;
      // 202: chunk taken; 409: the server holds a different amount (a retried chunk landed).
      if (!body.is_object() || !body.contains("received") ||
          !body["received"].is_number_unsigned()) {
        return failure(put, "uploading");
      }
      offset = std::min<std::uint64_t>(body["received"].get<std::uint64_t>(), bytes.size());
      continue;
    }
    return failure(put, "uploading");
  }
  return std::pair{ItemResult::kRetryLater,
                   "uploading blob " + sha.substr(0, 12) + ": no progress"};
}

SyncClient::ItemResult SyncClient::pushTombstone(Outbox& outbox, const PendingItem& item,
                                                 SyncReport& report) {
  outbox.markSendAttempt(item);
  HttpResponse r = m_http.request(
      "DELETE", m_endpoint.baseUrl + "/v1/consultations/" + item.consultationId, m_endpoint.token);
  throwIfUnauthorized(r);
  const json body = parseAnswer(r.body);
  if (r.status == 200 && body.is_object() && body.value("id", "") == item.consultationId &&
      body.value("status", "") == "erased") {
    outbox.markSynced(item, body.value("erased_at", ""));
    return ItemResult::kAcknowledged;
  }
  report.message = "erasing " + item.consultationId + ": " + serverMessage(r);
  report.retryAfterSeconds = retryAfter(r);
  return isTransient(r.status) || r.status == 200 ? ItemResult::kRetryLater : ItemResult::kRefused;
}

std::variant<SyncClient::PreparedRecord, std::string> SyncClient::prepareRecord(
    Outbox& outbox, const PendingItem& item) {
  PreparedRecord prepared{item, {}, {}};
  try {
    auto record = outbox.loadRecord(item.consultationId);
    if (!record) return std::string("the record is missing from the kiosk store");
    prepared.record = std::move(*record);
  } catch (const std::exception& e) {
    // Unreadable here means unsendable: refuse it alone (quarantined in time, kept for staff)
    // so that it never blocks the records behind it.
    return std::string("the record cannot be read from the kiosk store: ") + e.what();
  }
  for (const std::string& sha : prepared.record.blobHashes()) {
    auto bytes = outbox.loadBlob(sha);
    if (!bytes) return "blob " + sha + " is missing from the kiosk store";
    prepared.blobs.emplace_back(sha, std::move(*bytes));
  }
  return prepared;
}

SyncClient::SendOutcome SyncClient::sendRecord(HttpClient& http,
                                               const PreparedRecord& prepared) const {
  SendOutcome out;
  try {
    // Every blob the first time; the second, only those head office says it lacks.
    std::vector<const std::pair<std::string, std::vector<std::uint8_t>>*> toSend;
    for (const auto& blob : prepared.blobs) toSend.push_back(&blob);
    const auto& record = prepared.record;
    const std::string body = record.toJson().dump();
    HttpResponse r;
    for (int attempt = 1; attempt <= 2; ++attempt) {
      for (const auto* blob : toSend) {
        if (auto problem = sendBlob(http, blob->first, blob->second, out)) {
          out.result = problem->first;
          out.message = problem->second;
          return out;
        }
      }
      r = http.request("PUT", m_endpoint.baseUrl + "/v1/consultations/" + record.id,
                       m_endpoint.token, body);
      out.bytesSent += body.size();
      throwIfUnauthorized(r);
      // 422: head office lacks blobs it had acknowledged (it lost them in a crash, or was
      // restored from a backup). Not the record's fault: they go again, once, in this pass.
      toSend = blobsHeadOfficeLacks(r, prepared);
      if (toSend.empty()) break;
    }
    if (r.status == 200 || r.status == 201) {
      try {
        const protocol::Ack ack = protocol::Ack::fromJson(
            protocol::parseUntrustedJson(r.body, protocol::kMaxRecordBytes));
        if (ack.id == record.id && ack.sha256 == record.contentSha256()) {
          out.result = ItemResult::kAcknowledged;
          out.receivedAt = ack.receivedAt;
          return out;
        }
        out.message = "the server acknowledged a different record or hash";
      } catch (const std::exception& e) {
        out.message = std::string("the server's answer is not an acknowledgement: ") + e.what();
      }
      // A 2xx that is not our acknowledgement (a captive portal, a proxy): not the record's
      // fault.
      out.result = ItemResult::kRetryLater;
      return out;
    }
    out.message = "consultation " + record.id + ": " + serverMessage(r);
    out.retryAfterSeconds = retryAfter(r);
    out.result = isTransient(r.status) ? ItemResult::kRetryLater : ItemResult::kRefused;
  } catch (const NetworkError& e) {
    out.stop = SendOutcome::Stop::kOffline;
    out.message = e.what();
  } catch (const Unauthorized& u) {
    out.stop = SendOutcome::Stop::kUnauthorized;
    out.message = u.message;
  }
  return out;
}

std::vector<const std::pair<std::string, std::vector<std::uint8_t>>*>
SyncClient::blobsHeadOfficeLacks(const HttpResponse& r, const PreparedRecord& prepared) {
  std::vector<const std::pair<std::string, std::vector<std::uint8_t>>*> lacking;
  if (r.status != 422) return lacking;
  const json body = parseAnswer(r.body);
  if (!body.is_object() || !body.contains("missing") || !body["missing"].is_array()) return {};
  for (const json& sha : body["missing"]) {
    if (!sha.is_string()) return {};
    const auto it = std::find_if(prepared.blobs.begin(), prepared.blobs.end(),
                                 [&](const auto& blob) { return blob.first == sha; });
    if (it == prepared.blobs.end()) return {};  // not one of ours: a refusal like any other
    lacking.push_back(&*it);
  }
  return lacking;
}

SyncClient::Batch SyncClient::readBatch(Outbox& outbox, const std::vector<PendingItem>& items,
                                        std::size_t& at) {
  Batch batch;
  std::size_t bytes = 0;
  while (at < items.size() && items[at].kind == ItemKind::kRecord &&
         batch.items.size() < kBatchRecords && bytes < kBatchBytes) {
    batch.items.push_back(items[at++]);
    batch.loaded.push_back(prepareRecord(outbox, batch.items.back()));
    if (const auto* p = std::get_if<PreparedRecord>(&batch.loaded.back())) {
      for (const auto& blob : p->blobs) bytes += blob.second.size();
    }
  }
  return batch;
}

std::vector<std::optional<SyncClient::SendOutcome>> SyncClient::sendTogether(
    const std::vector<PreparedRecord*>& records, const std::atomic<bool>* cancel) {
  std::vector<std::optional<SendOutcome>> outcomes(records.size());
  std::atomic<std::size_t> next{0};
  // One failure that says "not now" (offline, busy, refused token) stops every lane taking
  // more: the server is struggling or unreachable, so back off instead of hammering it.
  std::atomic<bool> halt{false};
  auto lane = [&](HttpClient& http) {
    for (;;) {
      if (halt.load() || (cancel && cancel->load())) return;
      const std::size_t i = next.fetch_add(1);
      if (i >= records.size()) return;
      if (!records[i]) continue;  // could not be read: nothing to send
      SendOutcome out = sendRecord(http, *records[i]);
      if (out.stop != SendOutcome::Stop::kNone || out.result == ItemResult::kRetryLater) {
        halt = true;
      }
      outcomes[i] = std::move(out);
    }
  };
  const std::size_t extra = std::min(m_lanes.size(), records.size() > 0 ? records.size() - 1 : 0);
  std::vector<std::thread> threads;
  for (std::size_t l = 0; l < extra; ++l) threads.emplace_back(lane, std::ref(*m_lanes[l]));
  lane(m_http);
  for (auto& t : threads) t.join();
  return outcomes;
}

SyncReport SyncClient::pushOnce(Outbox& outbox, const std::atomic<bool>* cancel,
                                const ProgressSink& progress) {
  SyncReport report;
  if (m_endpoint.baseUrl.empty() || m_endpoint.token.empty()) {
    report.outcome = PassOutcome::kNotConfigured;
    report.message = "this kiosk is not enrolled with a head-office server yet";
    outbox.recordPassResult(outcomeName(report.outcome) + ": " + report.message);
    return report;
  }
  if (auto stop = applyErasureOrders(outbox)) {
    outbox.recordPassResult(outcomeName(stop->outcome) + ": " + stop->message);
    return *stop;
  }
  if (auto stop = settleStoreKey(outbox)) {
    outbox.recordPassResult(outcomeName(stop->outcome) + ": " + stop->message);
    return *stop;
  }
  report.followUpsReceived = receiveFollowUps(outbox);
  const std::vector<PendingItem> items = outbox.pending();
  SyncProgress state{0, static_cast<int>(items.size()), 0};
  if (progress) progress(state);
  bool stop = false;
  // What one item's result does to the outbox and the report, on this thread.
  auto reportProgress = [&] {
    state.itemsDone = report.attempted;
    state.bytesSent = report.bytesSent;
    if (progress) progress(state);
  };
  // No answer, or a refused token: this item is kept for later and the pass ends.
  auto endPass = [&](const PendingItem& item, PassOutcome outcome, const std::string& why) {
    outbox.markFailed(item, why);
    report.outcome = outcome;
    report.message = outcome == PassOutcome::kOffline ? "head office unreachable: " + why : why;
    ++report.failed;
    stop = true;
  };
  auto settle = [&](const PendingItem& item, ItemResult result) {
    // report.message holds why, when the item failed.
    switch (result) {
      case ItemResult::kAcknowledged:
        ++report.acknowledged;
        break;
      case ItemResult::kRefused:
        // One bad record never blocks the queue: it is counted, quarantined after
        // kMaxRefusals, and the pass moves on to the next record.
        ++report.failed;
        if (outbox.markRefused(item, report.message)) ++report.quarantined;
        break;
      case ItemResult::kRetryLater:
        ++report.failed;
        outbox.markFailed(item, report.message);
        stop = true;  // the server is struggling: back off instead of hammering it
        break;
    }
  };
  std::size_t at = 0;
  while (at < items.size() && !stop && !(cancel && cancel->load())) {
    if (items[at].kind == ItemKind::kTombstone) {
      const PendingItem& item = items[at++];
      ++report.attempted;
      try {
        settle(item, pushTombstone(outbox, item, report));
      } catch (const NetworkError& e) {
        endPass(item, PassOutcome::kOffline, e.what());
        break;
      } catch (const Unauthorized& u) {
        endPass(item, PassOutcome::kUnauthorized, u.message);
        break;
      }
      reportProgress();
      continue;
    }
    // Records go several at a time, each lane on its own kept-alive connection: a batch is
    // read (bounded in count and bytes), locked with one flush, sent, and settled with one
    // flush; while one batch is on the wire, this thread reads the next.
    Batch batch = readBatch(outbox, items, at);
    while (!batch.items.empty()) {
      outbox.markSendAttempts(batch.items);
      std::vector<PreparedRecord*> sendable;
      for (auto& l : batch.loaded) sendable.push_back(std::get_if<PreparedRecord>(&l));
      auto sending = std::async(
          std::launch::async, [this, &sendable, cancel] { return sendTogether(sendable, cancel); });
      Batch next = readBatch(outbox, items, at);
      const auto outcomes = sending.get();
      std::vector<Outbox::Acknowledged> acks;
      for (std::size_t i = 0; i < batch.items.size(); ++i) {
        const PendingItem& item = batch.items[i];
        if (const auto* problem = std::get_if<std::string>(&batch.loaded[i])) {
          ++report.attempted;
          report.message = *problem;
          settle(item, ItemResult::kRefused);
          reportProgress();
          continue;
        }
        if (!outcomes[i]) continue;  // not sent: a lane stopped first; it stays pending
        const SendOutcome& out = *outcomes[i];
        ++report.attempted;
        report.bytesSent += out.bytesSent;
        if (out.stop == SendOutcome::Stop::kOffline) {
          endPass(item, PassOutcome::kOffline, out.message);
        } else if (out.stop == SendOutcome::Stop::kUnauthorized) {
          endPass(item, PassOutcome::kUnauthorized, out.message);
        } else if (out.result == ItemResult::kAcknowledged) {
          acks.push_back({item, out.receivedAt});
          ++report.acknowledged;
        } else {
          report.message = out.message;
          if (out.retryAfterSeconds) report.retryAfterSeconds = out.retryAfterSeconds;
          settle(item, out.result);
        }
        reportProgress();
      }
      outbox.markSyncedAll(acks);
      // A batch read ahead but not sent is left as it was: pending, not even attempted.
      if (stop || (cancel && cancel->load())) break;
      batch = std::move(next);
    }
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

ConfigPull SyncClient::pullConfig(Outbox& outbox) {
  try {
    const std::string etag = outbox.configEtag();
    HttpResponse r =
        m_http.request("GET", m_endpoint.baseUrl + "/v1/config", m_endpoint.token, {},
                       "application/json", etag.empty() ? "" : "If-None-Match: " + etag);
    if (r.status == 304) return ConfigPull::kUnchanged;
    if (r.status != 200) return ConfigPull::kFailed;
    const json config = parseAnswer(r.body);
    auto it = r.headers.find("etag");
    if (config.is_discarded() || it == r.headers.end()) return ConfigPull::kFailed;
    if (!config.empty())
      protocol::validateConfig(config);  // a bad config never replaces a good one
    outbox.storeConfig(config, it->second);
    return ConfigPull::kUpdated;
  } catch (const std::exception&) {
    return ConfigPull::kFailed;
  }
}

bool SyncClient::sendHeartbeat(Outbox& outbox) {
  try {
    HttpResponse r = m_http.request("POST", m_endpoint.baseUrl + "/v1/heartbeat", m_endpoint.token,
                                    outbox.heartbeat().toJson().dump());
    return r.status == 200;
  } catch (const std::exception&) {
    return false;
  }
}

}  // namespace smp::sync
