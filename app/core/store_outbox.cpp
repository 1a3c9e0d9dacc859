// Outbox adapter.
#include "app/core/store_outbox.h"

namespace smp::core {

std::vector<sync::PendingItem> StoreOutbox::pending() {
  std::vector<sync::PendingItem> out;
  for (const auto& e : m_store.pendingOutbox()) out.push_back({e.consultationId, e.revision});
  return out;
}

std::optional<protocol::ConsultationRecord> StoreOutbox::loadRecord(const std::string& id) {
  return m_store.loadRecord(id);
}

std::optional<std::vector<std::uint8_t>> StoreOutbox::loadBlob(const std::string& sha256) {
  return m_store.loadBlob(sha256);
}

void StoreOutbox::markSendAttempt(const sync::PendingItem& item) {
  m_store.markSendAttempt(item.consultationId, item.revision);
}

void StoreOutbox::markSynced(const sync::PendingItem& item, const protocol::Ack& ack) {
  m_store.markSynced(item.consultationId, item.revision, ack.receivedAt);
}

void StoreOutbox::markFailed(const sync::PendingItem& item, const std::string& reason) {
  m_store.markFailed(item.consultationId, item.revision, reason);
}

void StoreOutbox::recordPassResult(const std::string& summary) { m_store.setLastSync(summary); }

}  // namespace smp::core
