// Background sync loop.
#include "sync/client/sync_worker.h"

#include <algorithm>
#include <memory>
#include <random>
#include <utility>

namespace smp::sync {

SyncWorker::SyncWorker(ServerEndpoint endpoint, OutboxFactory outboxFactory, ReportSink onReport,
                       SyncWorkerOptions options)
    : m_endpoint(std::move(endpoint)),
      m_outboxFactory(std::move(outboxFactory)),
      m_onReport(std::move(onReport)),
      m_options(options),
      m_thread([this] { loop(); }) {}

SyncWorker::~SyncWorker() { stop(); }

void SyncWorker::wake() {
  {
    std::lock_guard lock(m_mutex);
    m_wake = true;
  }
  m_cv.notify_one();
}

void SyncWorker::setEndpoint(ServerEndpoint endpoint) {
  {
    std::lock_guard lock(m_mutex);
    m_newEndpoint = std::move(endpoint);
    m_wake = true;
  }
  m_cv.notify_one();
}

void SyncWorker::stop() {
  m_stop = true;
  m_cv.notify_one();
  if (m_thread.joinable()) m_thread.join();
}

void SyncWorker::loop() {
  std::unique_ptr<Outbox> outbox;
  std::string openError;
  try {
    outbox = m_outboxFactory();
  } catch (const std::exception& e) {
    openError = e.what();
  }
  if (!outbox) {
    if (m_onReport) {
      SyncReport r;
      r.outcome = PassOutcome::kPartial;
      r.message = "sync cannot open the kiosk store: " + openError;
      m_onReport(r);
    }
    return;
  }
  auto client = std::make_unique<SyncClient>(m_endpoint);
  std::minstd_rand jitter(std::random_device{}());
  auto backoff = m_options.minBackoff;
  while (!m_stop) {
    {
      std::lock_guard lock(m_mutex);
      if (m_newEndpoint) {
        m_endpoint = std::exchange(m_newEndpoint, std::nullopt).value();
        client = std::make_unique<SyncClient>(m_endpoint);
      }
    }
    SyncReport report;
    try {
      report = client->pushOnce(*outbox, &m_stop);
    } catch (const std::exception& e) {
      report.outcome = PassOutcome::kPartial;
      report.message = std::string("sync failed: ") + e.what();
    }
    if (report.outcome != PassOutcome::kOffline && report.outcome != PassOutcome::kUnauthorized &&
        report.outcome != PassOutcome::kNotConfigured && !m_stop) {
      // Head office hears how this kiosk is doing, and the kiosk picks up new prices and texts.
      client->sendHeartbeat(*outbox);
      client->pullConfig(*outbox);
    }
    if (m_onReport) m_onReport(report);
    std::chrono::milliseconds wait = m_options.interval;
    if (report.outcome == PassOutcome::kOffline || report.outcome == PassOutcome::kPartial) {
      // Exponential backoff with full jitter, never past maxBackoff; honour Retry-After.
      const auto jittered = std::chrono::milliseconds(
          std::uniform_int_distribution<long>(backoff.count() / 2, backoff.count())(jitter));
      wait = std::min(jittered, m_options.maxBackoff);
      if (report.retryAfterSeconds)
        wait = std::max(wait, std::chrono::milliseconds(*report.retryAfterSeconds * 1000));
      backoff = std::min(backoff * 2, m_options.maxBackoff);
    } else {
      backoff = m_options.minBackoff;
    }
    std::unique_lock lock(m_mutex);
    m_cv.wait_for(lock, wait, [this] { return m_wake || m_stop.load(); });
    m_wake = false;
  }
}

}  // namespace smp::sync
