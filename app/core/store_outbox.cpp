// Outbox adapter.
#include "app/core/store_outbox.h"

#include <chrono>

#include "app/core/kiosk_commands.h"

#ifndef SMP_VERSION
#define SMP_VERSION "dev"
#endif

namespace smp::core {
namespace {

store::OutboxKind kindOf(const sync::PendingItem& item) {
  return item.kind == sync::ItemKind::kTombstone ? store::OutboxKind::kTombstone
                                                 : store::OutboxKind::kRecord;
}

}  // namespace

std::vector<sync::PendingItem> StoreOutbox::pending() {
  std::vector<sync::PendingItem> out;
  for (const auto& e : m_store.pendingOutbox()) {
    out.push_back({e.consultationId, e.revision,
                   e.kind == store::OutboxKind::kTombstone ? sync::ItemKind::kTombstone
                                                           : sync::ItemKind::kRecord});
  }
  return out;
}

std::optional<protocol::ConsultationRecord> StoreOutbox::loadRecord(const std::string& id) {
  return m_store.loadRecord(id);
}

std::optional<std::vector<std::uint8_t>> StoreOutbox::loadBlob(const std::string& sha256) {
  return m_store.loadBlob(sha256);
}

void StoreOutbox::markSendAttempt(const sync::PendingItem& item) {
  m_store.markSendAttempt(item.consultationId, item.revision, kindOf(item));
}

void StoreOutbox::markSynced(const sync::PendingItem& item, const std::string& receivedAt) {
  m_store.markSynced(item.consultationId, item.revision, receivedAt, kindOf(item));
}

void StoreOutbox::markSendAttempts(const std::vector<sync::PendingItem>& items) {
  std::vector<store::KioskStore::OutboxItem> batch;
  for (const auto& item : items)
    batch.push_back({item.consultationId, item.revision, kindOf(item)});
  m_store.markSendAttempts(batch);
}

void StoreOutbox::markSyncedAll(const std::vector<Acknowledged>& acks) {
  std::vector<store::KioskStore::OutboxAck> batch;
  for (const auto& ack : acks) {
    batch.push_back(
        {{ack.item.consultationId, ack.item.revision, kindOf(ack.item)}, ack.receivedAt});
  }
  m_store.markSyncedAll(batch);
}

void StoreOutbox::markFailed(const sync::PendingItem& item, const std::string& reason) {
  m_store.markFailed(item.consultationId, item.revision, reason, kindOf(item));
}

bool StoreOutbox::markRefused(const sync::PendingItem& item, const std::string& reason) {
  return m_store.markRefused(item.consultationId, item.revision, reason, kindOf(item));
}

void StoreOutbox::recordPassResult(const std::string& summary) {
  m_store.setLastSync(summary);
  // After every pass: what head office has held long enough leaves the kiosk.
  applyRetention(m_store, std::chrono::system_clock::now());
}

protocol::Heartbeat StoreOutbox::heartbeat() {
  const store::StoreStatus s = m_store.status();
  protocol::Heartbeat h;
  h.appVersion = SMP_VERSION;
  h.pending = s.pending;
  h.oldestPendingAgeSeconds = s.oldestPendingAgeSeconds.value_or(-1);
  h.quarantined = s.quarantined;
  std::error_code ec;
  const auto space = std::filesystem::space(m_dataDir, ec);
  h.freeDiskBytes = ec ? -1 : static_cast<std::int64_t>(space.available);
  const std::string dayAgo =
      protocol::iso8601Utc(std::chrono::system_clock::now() - std::chrono::hours(24));
  h.failedPins24h = m_store.auditCount("staff.pin_wrong", dayAgo);
  h.pinLockouts24h = m_store.auditCount("staff.locked", dayAgo);
  return h;
}

std::string StoreOutbox::configEtag() { return m_store.setting(kSettingConfigEtag).value_or(""); }

void StoreOutbox::storeConfig(const nlohmann::json& config, const std::string& etag) {
  store::StoreTransaction tx(m_store);
  m_store.setSetting(kSettingConfig, config.dump());
  m_store.setSetting(kSettingConfigEtag, etag);
  tx.commit();
}

std::optional<sync::StoreKeyToEscrow> StoreOutbox::keyToEscrow() {
  const auto secret = m_store.secretKeyOnDisk();
  if (!secret) return std::nullopt;
  return sync::StoreKeyToEscrow{store::keyToHex(m_store.storePublicKey()),
                                store::keyToHex(*secret)};
}

void StoreOutbox::keyEscrowed() {
  m_store.forgetSecretKeyOnDisk();
  m_store.audit("sync", "store.key_escrowed", "");
}

bool StoreOutbox::sealed() { return m_store.sealed(); }

bool StoreOutbox::unseal(const std::string& secretKeyHex) {
  const auto key = store::keyFromHex(secretKeyHex);
  return key && m_store.unseal(*key);
}

namespace {
constexpr const char* kErasureCursorSetting = "sync.erasure_cursor";
}

std::int64_t StoreOutbox::erasureCursor() { return m_store.sequenceSetting(kErasureCursorSetting); }

void StoreOutbox::applyErasure(const std::string& consultationId, std::int64_t seq) {
  // Erased first, then the cursor moved: after a crash between the two the order is carried
  // out again, which finds nothing left to erase.
  m_store.erase(consultationId, "head-office", /*tellHeadOffice=*/false);
  m_store.setSetting(kErasureCursorSetting, std::to_string(seq));
}

}  // namespace smp::core
