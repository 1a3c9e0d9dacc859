// The one queue to the UI thread: results run on the thread that runs the queue, in the order
// posted; a job's result outlives neither its owner (Lifeline) nor the jobs' own shutdown.
#include "app/core/ui_queue.h"

#include <gtest/gtest.h>

#include <atomic>
#include <stdexcept>
#include <thread>
#include <vector>

namespace smp::core {
namespace {

using namespace std::chrono_literals;

TEST(UiQueue, RunsWhatWasPostedInOrderOnTheCallingThread) {
  UiQueue queue;
  std::vector<int> order;
  std::vector<std::thread::id> ranOn;
  std::thread poster([&] {
    for (int i = 0; i < 3; ++i) {
      queue.post([&, i] {
        order.push_back(i);
        ranOn.push_back(std::this_thread::get_id());
      });
    }
  });
  poster.join();
  EXPECT_EQ(queue.pending(), 3u);
  EXPECT_EQ(order.size(), 0u) << "nothing runs until the UI thread runs the queue";
  EXPECT_EQ(queue.runPosted(), 3u);
  EXPECT_EQ(order, (std::vector<int>{0, 1, 2}));
  for (const auto& id : ranOn) EXPECT_EQ(id, std::this_thread::get_id());
  EXPECT_EQ(queue.runPosted(), 0u);
}

TEST(UiQueue, ATaskPostedByATaskRunsInTheNextRound) {
  UiQueue queue;
  int rounds = 0;
  queue.post([&] {
    ++rounds;
    queue.post([&] { ++rounds; });
  });
  EXPECT_EQ(queue.runPosted(), 1u) << "a frame never loops on work that keeps posting";
  EXPECT_EQ(rounds, 1);
  EXPECT_EQ(queue.runPosted(), 1u);
  EXPECT_EQ(rounds, 2);
}

TEST(BackgroundJobs, ResultsComeBackThroughTheQueue) {
  UiQueue queue;
  BackgroundJobs jobs(queue);
  std::atomic<std::thread::id> workedOn;
  int result = 0;
  jobs.run([&]() -> UiQueue::Task {
    workedOn = std::this_thread::get_id();
    const int computed = 6 * 7;
    return [&result, computed] { result = computed; };
  });
  ASSERT_TRUE(jobs.waitIdle(10s));
  EXPECT_NE(workedOn.load(), std::this_thread::get_id()) << "the work ran on the worker";
  EXPECT_EQ(result, 0) << "and its result waits for the UI thread";
  EXPECT_EQ(queue.runPosted(), 1u);
  EXPECT_EQ(result, 42);
}

TEST(BackgroundJobs, AJobThatThrowsPostsNothingAndTheNextStillRuns) {
  UiQueue queue;
  BackgroundJobs jobs(queue);
  jobs.run([]() -> UiQueue::Task { throw std::runtime_error("disk on fire"); });
  bool second = false;
  jobs.run([&]() -> UiQueue::Task { return [&] { second = true; }; });
  ASSERT_TRUE(jobs.waitIdle(10s));
  EXPECT_FALSE(jobs.busy());
  EXPECT_EQ(queue.runPosted(), 1u);
  EXPECT_TRUE(second);
}

TEST(Lifeline, AResultArrivingAfterItsOwnerIsGoneIsDropped) {
  UiQueue queue;
  int applied = 0;
  {
    Lifeline owner;
    queue.post(owner.guard([&] { ++applied; }));
    EXPECT_EQ(queue.runPosted(), 1u);
    EXPECT_EQ(applied, 1);
    queue.post(owner.guard([&] { ++applied; }));
  }
  EXPECT_EQ(queue.runPosted(), 1u);
  EXPECT_EQ(applied, 1) << "the owner was destroyed before its result ran";
}

TEST(BackgroundJobs, StoppingWaitsForTheRunningJobAndDropsTheRest) {
  UiQueue queue;
  std::atomic<bool> started{false};
  std::atomic<int> ran{0};
  {
    BackgroundJobs jobs(queue);
    // A long job: the owner is destroyed while it runs (it stands for a slow render).
    jobs.run([&]() -> UiQueue::Task {
      started = true;
      std::this_thread::sleep_for(500ms);
      ++ran;
      return nullptr;
    });
    jobs.run([&]() -> UiQueue::Task {
      ++ran;
      return nullptr;
    });
    for (int i = 0; i < 5000 && !started; ++i) std::this_thread::sleep_for(1ms);  // bounded
    ASSERT_TRUE(started);
  }  // the destructor joined: no job runs after this line
  EXPECT_EQ(ran.load(), 1) << "the queued job was dropped, the running one finished";
}

}  // namespace
}  // namespace smp::core
