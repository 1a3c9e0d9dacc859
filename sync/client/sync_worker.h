// Runs sync passes on a background thread: at start, on wake() after each save, and on a timer,
// backing off exponentially (with jitter) while the server is unreachable.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

#include "sync/client/sync_client.h"

namespace smp::sync {

struct SyncWorkerOptions {
  std::chrono::milliseconds interval{60000};
  std::chrono::milliseconds minBackoff{1000};
  std::chrono::milliseconds maxBackoff{30000};  // sync resumes within 30 s of the network's return
};

class SyncWorker {
 public:
  using OutboxFactory = std::function<std::unique_ptr<Outbox>()>;
  using ReportSink = std::function<void(const SyncReport&)>;

  // The outbox is created on the worker thread (its own database connection).
  SyncWorker(ServerEndpoint endpoint, OutboxFactory outboxFactory, ReportSink onReport,
             SyncWorkerOptions options = {});
  ~SyncWorker();
  void wake();
  void stop();
  // After a re-enrolment: the next pass (started at once) uses this endpoint.
  void setEndpoint(ServerEndpoint endpoint);

 private:
  void loop();
  ServerEndpoint m_endpoint;
  std::optional<ServerEndpoint> m_newEndpoint;  // guarded by m_mutex
  OutboxFactory m_outboxFactory;
  ReportSink m_onReport;
  SyncWorkerOptions m_options;
  std::mutex m_mutex;
  std::condition_variable m_cv;
  bool m_wake = false;
  std::atomic<bool> m_stop{false};
  std::thread m_thread;
};

}  // namespace smp::sync
