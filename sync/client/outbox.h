// What the sync client reads and writes on the kiosk; the kiosk store provides it through an
// adapter in app/core, so this library never depends on the store.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "sync/protocol/consultation.h"
#include "sync/protocol/messages.h"

namespace smp::sync {

enum class ItemKind { kRecord, kTombstone };

struct PendingItem {
  std::string consultationId;
  int revision = 0;
  ItemKind kind = ItemKind::kRecord;
};

class Outbox {
 public:
  virtual ~Outbox() = default;
  // Oldest first; quarantined items are not listed.
  virtual std::vector<PendingItem> pending() = 0;
  virtual std::optional<protocol::ConsultationRecord> loadRecord(const std::string& id) = 0;
  virtual std::optional<std::vector<std::uint8_t>> loadBlob(const std::string& sha256) = 0;
  virtual void markSendAttempt(const PendingItem& item) = 0;
  virtual void markSynced(const PendingItem& item, const std::string& receivedAt) = 0;
  // Network trouble or 5xx: try again later, the record is fine.
  virtual void markFailed(const PendingItem& item, const std::string& reason) = 0;
  // The server refused this item (4xx). Returns true once it is quarantined.
  virtual bool markRefused(const PendingItem& item, const std::string& reason) = 0;
  virtual void recordPassResult(const std::string& summary) = 0;

  virtual protocol::Heartbeat heartbeat() = 0;
  virtual std::string configEtag() = 0;
  virtual void storeConfig(const nlohmann::json& config, const std::string& etag) = 0;
};

}  // namespace smp::sync
