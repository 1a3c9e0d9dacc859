#include "app/core/ui_queue.h"

namespace smp::core {

void UiQueue::post(Task task) {
  std::lock_guard lock(m_mutex);
  m_tasks.push_back(std::move(task));
}

std::size_t UiQueue::runPosted() {
  std::deque<Task> now;
  {
    std::lock_guard lock(m_mutex);
    now.swap(m_tasks);
  }
  for (Task& task : now) task();
  return now.size();
}

std::size_t UiQueue::pending() const {
  std::lock_guard lock(m_mutex);
  return m_tasks.size();
}

BackgroundJobs::BackgroundJobs(UiQueue& queue) : m_queue(queue), m_thread([this] { loop(); }) {}

BackgroundJobs::~BackgroundJobs() {
  {
    std::lock_guard lock(m_mutex);
    m_stopping = true;
    m_jobs.clear();
  }
  m_changed.notify_all();
  m_thread.join();
}

void BackgroundJobs::run(Job job) {
  {
    std::lock_guard lock(m_mutex);
    m_jobs.push_back(std::move(job));
  }
  m_changed.notify_all();
}

bool BackgroundJobs::busy() const {
  std::lock_guard lock(m_mutex);
  return m_running || !m_jobs.empty();
}

bool BackgroundJobs::waitIdle(std::chrono::milliseconds wait) const {
  std::unique_lock lock(m_mutex);
  return m_changed.wait_for(lock, wait, [&] { return !m_running && m_jobs.empty(); });
}

void BackgroundJobs::loop() {
  std::unique_lock lock(m_mutex);
  for (;;) {
    m_changed.wait(lock, [&] { return m_stopping || !m_jobs.empty(); });
    if (m_stopping) return;
    Job job = std::move(m_jobs.front());
    m_jobs.pop_front();
    m_running = true;
    lock.unlock();
    UiQueue::Task result;
    try {
      result = job();
    } catch (...) {
      // The job's own catch reports what it expects; anything else is dropped, never a crash.
    }
    // Posted before the job counts as done, so waitIdle() implies the result is in the queue.
    if (result) m_queue.post(std::move(result));
    lock.lock();
    m_running = false;
    m_changed.notify_all();
  }
}

}  // namespace smp::core
