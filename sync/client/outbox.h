// What the sync client needs from the kiosk's storage; the kiosk store provides it through an
// adapter in app/core, so this library never depends on the store.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sync/protocol/consultation.h"

namespace smp::sync {

struct PendingItem {
  std::string consultationId;
  int revision = 0;
};

class Outbox {
 public:
  virtual ~Outbox() = default;
  virtual std::vector<PendingItem> pending() = 0;
  virtual std::optional<protocol::ConsultationRecord> loadRecord(const std::string& id) = 0;
  virtual std::optional<std::vector<std::uint8_t>> loadBlob(const std::string& sha256) = 0;
  virtual void markSendAttempt(const PendingItem& item) = 0;
  virtual void markSynced(const PendingItem& item, const protocol::Ack& ack) = 0;
  virtual void markFailed(const PendingItem& item, const std::string& reason) = 0;
  virtual void recordPassResult(const std::string& summary) = 0;
};

}  // namespace smp::sync
