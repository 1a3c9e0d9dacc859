#include "sync/server/photo_exports.h"

#include <zip.h>

#include <cstring>
#include <fstream>
#include <map>
#include <set>

#include "sync/protocol/consultation.h"
#include "sync/protocol/messages.h"
#include "sync/server/export.h"

namespace smp::server {
namespace {

// One ZIP entry whose bytes come from storage only while libzip writes it (zip_source_function),
// so a ZIP of any size needs memory for one photo.
struct BlobEntry {
  ServerStorage* storage = nullptr;
  std::string sha256;
  std::uint64_t size = 0;
  std::string bytes;
  std::uint64_t at = 0;
  zip_error_t error{};
  std::string* failure = nullptr;  // what went wrong, in words, for the job
  std::string name;                // the entry's path in the ZIP
};

zip_int64_t blobEntrySource(void* state, void* data, zip_uint64_t len, zip_source_cmd_t cmd) {
  auto* e = static_cast<BlobEntry*>(state);
  switch (cmd) {
    case ZIP_SOURCE_OPEN: {
      auto bytes = e->storage->blob(e->sha256);
      if (!bytes || bytes->size() != e->size) {
        *e->failure = e->name + (bytes ? " is not the size its record gives"
                                       : " is no longer stored (erased while the ZIP was built)");
        zip_error_set(&e->error, ZIP_ER_OPEN, ENOENT);
        return -1;
      }
      e->bytes = std::move(*bytes);
      e->at = 0;
      return 0;
    }
    case ZIP_SOURCE_READ: {
      const std::uint64_t n = std::min<std::uint64_t>(len, e->bytes.size() - e->at);
      std::memcpy(data, e->bytes.data() + e->at, n);
      e->at += n;
      return static_cast<zip_int64_t>(n);
    }
    case ZIP_SOURCE_CLOSE:
      e->bytes = std::string();  // free it now, not when the archive closes
      return 0;
    case ZIP_SOURCE_STAT: {
      auto* st = static_cast<zip_stat_t*>(data);
      zip_stat_init(st);
      st->size = e->size;
      st->valid |= ZIP_STAT_SIZE;
      return sizeof(zip_stat_t);
    }
    case ZIP_SOURCE_ERROR:
      return zip_error_to_data(&e->error, data, len);
    case ZIP_SOURCE_FREE:
      zip_error_fini(&e->error);
      delete e;
      return 0;
    case ZIP_SOURCE_SUPPORTS:
      return zip_source_make_command_bitmap(ZIP_SOURCE_OPEN, ZIP_SOURCE_READ, ZIP_SOURCE_CLOSE,
                                            ZIP_SOURCE_STAT, ZIP_SOURCE_ERROR, ZIP_SOURCE_FREE, -1);
    default:
      zip_error_set(&e->error, ZIP_ER_OPNOTSUPP, 0);
      return -1;
  }
}

// A name part a file system and an unzip program accept: no separators, control characters or
// leading dots; at most 60 bytes (cut at a character boundary).
std::string safePart(const std::string& text) {
  std::string out;
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (c < 0x20 || c == 0x7f || ch == '/' || ch == '\\' || ch == ':' || ch == '*' || ch == '?' ||
        ch == '"' || ch == '<' || ch == '>' || ch == '|')
      out += '_';
    else
      out += ch;
  }
  while (!out.empty() && (out.front() == '.' || out.front() == ' ')) out.erase(0, 1);
  if (out.size() > 60) {
    std::size_t cut = 60;
    while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xc0) == 0x80) --cut;
    out.resize(cut);
  }
  return out.empty() ? "_" : out;
}

std::string csvCell(const std::string& s) {
  std::string out = "\"";
  for (const char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

struct BuildState {
  PhotoExports* exports;
  PhotoExportJob* job;
  std::function<void(PhotoExportJob&)> save;
  std::function<bool()> stopping;
  double lastSaved = 0;
};

void onProgress(zip_t*, double progress, void* ud) {
  auto* s = static_cast<BuildState*>(ud);
  if (progress - s->lastSaved < 0.01 && progress < 1.0) return;
  s->lastSaved = progress;
  s->job->doneBytes = static_cast<std::int64_t>(progress * static_cast<double>(s->job->totalBytes));
  s->save(*s->job);
}

int onCancel(zip_t*, void* ud) { return static_cast<BuildState*>(ud)->stopping() ? 1 : 0; }

}  // namespace

std::filesystem::path exportsFolderFor(const std::filesystem::path& blobFolder) {
  const auto folder = std::filesystem::absolute(blobFolder).lexically_normal();
  const auto name = folder.has_filename() ? folder.filename() : folder.parent_path().filename();
  const auto parent =
      folder.has_filename() ? folder.parent_path() : folder.parent_path().parent_path();
  return parent / (name.string() + "-exports");
}

PhotoExports::PhotoExports(OfficeStorage& office, ServerStorage& sync, std::filesystem::path folder,
                           Clock now)
    : m_office(office), m_sync(sync), m_folder(std::move(folder)), m_now(std::move(now)) {
  std::filesystem::create_directories(m_folder);
  std::filesystem::permissions(m_folder, std::filesystem::perms::owner_all,
                               std::filesystem::perm_options::replace);
  m_worker = std::thread([this] { work(); });
}

PhotoExports::~PhotoExports() {
  {
    std::lock_guard lock(m_mutex);
    m_stop = true;
  }
  m_wake.notify_all();
  m_worker.join();
  // Jobs still queued never started: say so, so nobody waits for them.
  for (auto& p : m_queue) {
    p.job.state = "failed";
    p.job.error = "the server stopped before building it; start it again";
    save(p.job);
  }
}

std::filesystem::path PhotoExports::fileOf(const PhotoExportJob& job) const {
  return m_folder / (job.id + ".zip");
}

void PhotoExports::save(PhotoExportJob& job) {
  job.updatedUnix = m_now();
  try {
    m_office.savePhotoExport(job);
  } catch (const std::exception&) {
    // The database is away for a moment: the next save says it; the file is unaffected.
  }
  m_changed.notify_all();
}

std::optional<PhotoExportJob> PhotoExports::start(const std::string& user,
                                                  const ConsultationQuery& query,
                                                  const std::string& filterText, std::string& why) {
  expireOld();
  int building = 0;
  for (const auto& j : m_office.photoExports(user, 20))
    if (j.state == "building" && m_now() - j.updatedUnix <= kStalledSeconds) ++building;
  if (building >= kMaxBuildingPerUser) {
    why = "two of your photo exports are still being built: wait for one to finish";
    return std::nullopt;
  }
  const PhotoExportSize size = m_office.photoExportSize(query);
  if (size.files == 0) {
    why = "these consultations have no photos to export";
    return std::nullopt;
  }
  std::error_code ec;
  const auto space = std::filesystem::space(m_folder, ec);
  // Stored, not compressed (JPEG and PNG are already), plus the ZIP's own headers and a margin.
  const std::uint64_t needed = static_cast<std::uint64_t>(size.bytes) +
                               static_cast<std::uint64_t>(size.files) * 200 + (64u << 20);
  if (!ec && space.available < needed) {
    why = "the server has " + std::to_string(space.available >> 20) +
          " MB free and this ZIP needs " + std::to_string(needed >> 20) +
          " MB: export fewer consultations (narrow the filter)";
    return std::nullopt;
  }
  PhotoExportJob job;
  job.id = "export-" + protocol::randomHex(12);
  job.user = user;
  job.filter = filterText;
  job.state = "building";
  job.files = size.files;
  job.totalBytes = size.bytes;
  job.createdAt = protocol::nowIso8601Utc();
  save(job);
  {
    std::lock_guard lock(m_mutex);
    m_queue.push_back({job, query});
  }
  m_wake.notify_all();
  return job;
}

std::optional<PhotoExportJob> PhotoExports::job(const std::string& id) {
  auto j = m_office.photoExport(id);
  if (j && j->state == "building" && m_now() - j->updatedUnix > kStalledSeconds) {
    j->state = "failed";
    j->error = "the server building it stopped; start it again";
  }
  return j;
}

std::optional<PhotoExportJob> PhotoExports::waitForChange(const PhotoExportJob& seen,
                                                          std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  {
    std::lock_guard lock(m_mutex);
    if (m_waiting >= kMaxWaiting) return job(seen.id);
    ++m_waiting;
  }
  struct Leave {
    PhotoExports& e;
    ~Leave() {
      std::lock_guard lock(e.m_mutex);
      --e.m_waiting;
    }
  } leave{*this};
  for (;;) {
    auto now = job(seen.id);
    if (!now || now->state != seen.state || now->doneBytes != seen.doneBytes) return now;
    std::unique_lock lock(m_mutex);
    // Woken by a save in this process; a job another server builds is read again each second.
    if (m_changed.wait_until(
            lock, std::min(deadline, std::chrono::steady_clock::now() + std::chrono::seconds(1))) ==
            std::cv_status::timeout &&
        std::chrono::steady_clock::now() >= deadline)
      return job(seen.id);
    if (m_stop) return job(seen.id);
  }
}

void PhotoExports::expireOld() {
  for (const auto& j : m_office.takePhotoExportsBefore(m_now() - kKeepSeconds)) {
    std::error_code ec;
    std::filesystem::remove(fileOf(j), ec);
    std::filesystem::remove(m_folder / (j.id + ".zip.part"), ec);
    std::filesystem::remove(m_folder / (j.id + ".manifest.csv"), ec);
  }
}

void PhotoExports::work() {
  for (;;) {
    Pending next;
    {
      std::unique_lock lock(m_mutex);
      m_wake.wait(lock, [&] { return m_stop || !m_queue.empty(); });
      if (m_stop) return;
      next = std::move(m_queue.front());
      m_queue.pop_front();
    }
    try {
      build(next);
    } catch (const std::exception& e) {
      next.job.state = "failed";
      next.job.error = std::string("the ZIP could not be built: ") + e.what();
      save(next.job);
    }
  }
}

void PhotoExports::build(Pending& pending) {
  PhotoExportJob& job = pending.job;
  const auto part = m_folder / (job.id + ".zip.part");
  const auto manifestPath = m_folder / (job.id + ".manifest.csv");
  int err = 0;
  zip_t* zip = zip_open(part.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &err);
  if (!zip) throw std::runtime_error("cannot create " + part.string());
  BuildState state{this, &job, [this](PhotoExportJob& j) { save(j); },
                   [this] {
                     std::lock_guard lock(m_mutex);
                     return m_stop;
                   }};
  bool closed = false;
  std::string failure;
  try {
    std::ofstream manifest(manifestPath, std::ios::binary | std::ios::trunc);
    manifest << "folder,consultation_id,clinic,created_at,client_name,file,role,sha256\r\n";
    // Every record of the filter, newest first, in batches: never the whole table in memory.
    std::string afterCreatedAt, afterId;
    std::set<std::string> folders;
    std::int64_t added = 0;
    for (;;) {
      const auto batch = m_office.exportBatch(pending.query, afterCreatedAt, afterId, 500);
      if (batch.empty()) break;
      for (const auto& c : batch) {
        const std::string created = c.record.value("created_at", "");
        std::string folder = safePart(c.clinic) + "/" +
                             safePart(created.substr(0, 10) + " " +
                                      c.record.value("client_name", "") + " " + c.id.substr(0, 8));
        if (!folders.insert(folder).second) folder += " " + c.id;
        std::map<std::string, int> names;
        for (const char* list : {"photos", "previews"}) {
          for (const auto& b : c.record.value(list, nlohmann::json::array())) {
            if (!b.is_object() || !b.value("sha256", nlohmann::json()).is_string()) continue;
            const std::string sha = b["sha256"], mime = b.value("mime", "");
            // Previews are named by their view ("preview", "preview-top"); a preview whose role
            // says otherwise is still called a preview.
            std::string role =
                b.value("role", std::string(list) == "previews" ? "preview" : "photo");
            if (std::string(list) == "previews" && role.rfind("preview", 0) != 0) role = "preview";
            std::string name = safePart(role);
            if (++names[name] > 1) name += "-" + std::to_string(names[name]);
            name += mime == "image/png" ? ".png" : ".jpg";
            auto* entry = new BlobEntry;
            entry->storage = &m_sync;
            entry->sha256 = sha;
            entry->size = b.value("size", std::uint64_t{0});
            entry->failure = &failure;
            entry->name = folder + "/" + name;
            zip_error_init(&entry->error);
            zip_source_t* source = zip_source_function(zip, blobEntrySource, entry);
            if (!source) {
              zip_error_fini(&entry->error);
              delete entry;
              throw std::runtime_error("libzip: no source");
            }
            const zip_int64_t index =
                zip_file_add(zip, (folder + "/" + name).c_str(), source, ZIP_FL_ENC_UTF_8);
            if (index < 0) {
              zip_source_free(source);
              throw std::runtime_error(std::string("libzip: ") + zip_strerror(zip));
            }
            zip_set_file_compression(zip, static_cast<zip_uint64_t>(index), ZIP_CM_STORE, 0);
            manifest << csvCell(folder) << ',' << csvCell(c.id) << ',' << csvCell(c.clinic) << ','
                     << csvCell(created) << ',' << csvCell(c.record.value("client_name", "")) << ','
                     << csvCell(name) << ',' << csvCell(role) << ',' << csvCell(sha) << "\r\n";
            ++added;
          }
        }
      }
      afterCreatedAt = batch.back().record.value("created_at", "");
      afterId = batch.back().id;
    }
    manifest.close();
    if (!manifest) throw std::runtime_error("cannot write the manifest");
    zip_source_t* list = zip_source_file(zip, manifestPath.c_str(), 0, -1);
    if (!list || zip_file_add(zip, "manifest.csv", list, ZIP_FL_ENC_UTF_8) < 0) {
      if (list) zip_source_free(list);
      throw std::runtime_error(std::string("libzip: ") + zip_strerror(zip));
    }
    job.files = added;  // records may have changed since the size was shown
    zip_register_progress_callback_with_state(zip, 0.001, onProgress, nullptr, &state);
    zip_register_cancel_callback_with_state(zip, onCancel, nullptr, &state);
    // libzip writes every entry now, reading each source in turn.
    if (zip_close(zip) != 0) {
      const std::string message = failure.empty() ? zip_strerror(zip) : failure;
      zip_discard(zip);
      closed = true;
      throw std::runtime_error(state.stopping() ? "the server stopped while building it" : message);
    }
    closed = true;
  } catch (...) {
    if (!closed) zip_discard(zip);
    std::error_code ec;
    std::filesystem::remove(part, ec);
    std::filesystem::remove(manifestPath, ec);
    throw;
  }
  std::error_code ec;
  std::filesystem::remove(manifestPath, ec);
  std::filesystem::rename(part, fileOf(job));
  job.state = "done";
  job.doneBytes = job.totalBytes;
  job.zipBytes = static_cast<std::int64_t>(std::filesystem::file_size(fileOf(job)));
  save(job);
}

}  // namespace smp::server
