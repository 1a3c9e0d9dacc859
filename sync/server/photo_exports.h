// The photos and previews of a filter as one ZIP, built in the background: a person sees the size
// before it starts, its progress while it is built, and downloads it (resumable: Range requests)
// when it is done. One worker thread per server builds one ZIP at a time; each entry's bytes are
// read from storage only when libzip writes that entry, so memory holds one photo, whatever the
// ZIP's size (Zip64 past 4 GiB). Files live in an exports folder beside the blob folder and go
// after a day; a job whose server stopped while building it is marked failed.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "sync/server/office_storage.h"
#include "sync/server/server_storage.h"

namespace smp::server {

class PhotoExports {
 public:
  using Clock = std::function<std::int64_t()>;  // Unix seconds
  // How long a finished ZIP is kept, and how long a job may go without progress before another
  // server (or this one after a restart) calls it failed.
  static constexpr std::int64_t kKeepSeconds = 24 * 3600;
  static constexpr std::int64_t kStalledSeconds = 10 * 60;
  // Jobs one person may have building at once.
  static constexpr int kMaxBuildingPerUser = 2;
  static constexpr int kMaxWaiting = 2;

  PhotoExports(OfficeStorage& office, ServerStorage& sync, std::filesystem::path folder, Clock now);
  ~PhotoExports();  // cancels the ZIP being built (its job is marked failed) and stops the worker
  PhotoExports(const PhotoExports&) = delete;
  PhotoExports& operator=(const PhotoExports&) = delete;

  // Queues a ZIP of the query's photos. nullopt with `why` set when it cannot start (too many
  // of this person's exports building, not enough free disk).
  std::optional<PhotoExportJob> start(const std::string& user, const ConsultationQuery& query,
                                      const std::string& filterText, std::string& why);
  // The job as stored, with a stalled one reported as failed.
  std::optional<PhotoExportJob> job(const std::string& id);
  // Returns as soon as the job differs from `seen` (state or bytes written), or after `timeout`.
  // A waiting request holds a server thread, so at most kMaxWaiting wait at once; the others
  // are answered at once (the page asks again).
  std::optional<PhotoExportJob> waitForChange(const PhotoExportJob& seen,
                                              std::chrono::milliseconds timeout);
  std::filesystem::path fileOf(const PhotoExportJob& job) const;
  const std::filesystem::path& folder() const { return m_folder; }
  // Removes the files and rows of jobs older than kKeepSeconds.
  void expireOld();

 private:
  struct Pending {
    PhotoExportJob job;
    ConsultationQuery query;
  };
  void work();
  void build(Pending& pending);
  void save(PhotoExportJob& job);

  OfficeStorage& m_office;
  ServerStorage& m_sync;
  std::filesystem::path m_folder;
  Clock m_now;

  std::mutex m_mutex;
  std::condition_variable m_wake;     // the worker: a job queued, or stop
  std::condition_variable m_changed;  // waitForChange: a job saved
  std::deque<Pending> m_queue;
  bool m_stop = false;
  int m_waiting = 0;
  std::thread m_worker;
};

// The exports folder for a blob folder: "<blobs>-exports" beside it, shared by the servers that
// share the blobs and never scanned as blobs.
std::filesystem::path exportsFolderFor(const std::filesystem::path& blobFolder);

}  // namespace smp::server
