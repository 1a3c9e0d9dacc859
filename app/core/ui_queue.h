// The one way work finished on another thread reaches the UI thread (after Tracy's RunQueue):
// a worker posts a closure, and the frame loop runs everything posted at the start of a frame,
// in order, on the UI thread. Nothing a screen draws is touched by another thread.
//
// BackgroundJobs is the worker side: one thread that runs jobs in order, each returning the
// closure to post. A job's owner guards its closures with a Lifeline, so a result arriving after
// its owner is gone is dropped instead of touching freed memory.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

namespace smp::core {

class UiQueue {
 public:
  using Task = std::function<void()>;
  // Any thread.
  void post(Task task);
  // UI thread: runs what was posted before the call (not what those tasks post), in order.
  // Returns how many ran.
  std::size_t runPosted();
  std::size_t pending() const;

 private:
  mutable std::mutex m_mutex;
  std::deque<Task> m_tasks;
};

// Hands out guarded closures: once the Lifeline is destroyed, they do nothing. Guarded closures
// must run on the thread that destroys the Lifeline (the UI thread), so there is no race.
class Lifeline {
 public:
  std::function<void()> guard(std::function<void()> f) const {
    return [alive = std::weak_ptr<char>(m_token), f = std::move(f)] {
      if (alive.lock()) f();
    };
  }

 private:
  std::shared_ptr<char> m_token = std::make_shared<char>(0);
};

class BackgroundJobs {
 public:
  // What a job returns: the closure to run on the UI thread with its result.
  using Job = std::function<UiQueue::Task()>;
  explicit BackgroundJobs(UiQueue& queue);
  // Waits for the running job; jobs not yet started are dropped.
  ~BackgroundJobs();
  BackgroundJobs(const BackgroundJobs&) = delete;
  BackgroundJobs& operator=(const BackgroundJobs&) = delete;

  // A job that throws posts nothing; catch inside the job to report failures.
  void run(Job job);
  // True from run() until the job's result has been posted.
  bool busy() const;
  // Tests: waits up to `wait` until no job is queued or running.
  bool waitIdle(std::chrono::milliseconds wait) const;

 private:
  void loop();

  UiQueue& m_queue;
  mutable std::mutex m_mutex;
  mutable std::condition_variable m_changed;
  std::deque<Job> m_jobs;
  bool m_running = false;
  bool m_stopping = false;
  std::thread m_thread;
};

}  // namespace smp::core
