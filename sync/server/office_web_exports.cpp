// The web application's photo ZIP export (photo_exports.h): its size before it starts, a job
// that builds it in the background, its progress (a request may wait for the next change), and
// the download, resumable with Range requests. Only the person who asked sees and downloads a
// job; the filter is applied within their clinics like every other page.
#include <fstream>
#include <memory>

#include "sync/server/office_web.h"
#include "sync/server/office_web_http.h"

namespace smp::server {
namespace {

using nlohmann::json;
using web::answer;
using web::fail;

json jobJson(const PhotoExportJob& j) {
  return {{"id", j.id},
          {"state", j.state},
          {"filter", j.filter},
          {"files", j.files},
          {"total_bytes", j.totalBytes},
          {"done_bytes", j.doneBytes},
          {"zip_bytes", j.zipBytes},
          {"error", j.error},
          {"created_at", j.createdAt}};
}

bool isJobId(const std::string& id) {
  if (id.size() != 31 || id.rfind("export-", 0) != 0) return false;
  return id.find_first_not_of("0123456789abcdef", 7) == std::string::npos;
}

}  // namespace

void OfficeWeb::installPhotoExports(httplib::Server& http) {
  const auto unavailable = [](httplib::Response& res) {
    fail(res, 503,
         "photo exports are off on this server: it cannot write its exports folder (its log "
         "says why)");
  };

  // What a ZIP of the current filter holds, before anyone waits for it.
  http.Get("/api/exports/photos/size",
           [this, unavailable](const httplib::Request& req, httplib::Response& res) {
             const auto s = requireSession(req, res);
             if (!s) return;
             if (!m_exports) return unavailable(res);
             ConsultationQuery q;
             q.scope = OfficeAccounts::scopeOf(s->user);
             if (const auto why = web::readQuery(req, q)) return fail(res, 400, *why);
             const PhotoExportSize size = m_office.photoExportSize(q);
             std::error_code ec;
             const auto space = std::filesystem::space(m_exports->folder(), ec);
             answer(res, 200,
                    json{{"files", size.files},
                         {"bytes", size.bytes},
                         {"free_bytes", ec ? -1 : static_cast<std::int64_t>(space.available)}});
           });

  http.Post("/api/exports/photos", [this, unavailable](const httplib::Request& req,
                                                       httplib::Response& res) {
    auto s = requireSession(req, res);
    if (!s || !requireCsrf(req, res, *s)) return;
    if (!m_exports) return unavailable(res);
    ConsultationQuery q;
    q.scope = OfficeAccounts::scopeOf(s->user);
    if (const auto why = web::readQuery(req, q)) return fail(res, 400, *why);
    std::string why;
    const std::string filter = web::filterText(req);
    const auto job = m_exports->start(s->user.name, q, filter, why);
    if (!job) return fail(res, why.find("still being built") != std::string::npos ? 429 : 409, why);
    audit(*s, "export.photos", job->id, filter);
    answer(res, 202, jobJson(*job));
  });

  http.Get("/api/exports", [this](const httplib::Request& req, httplib::Response& res) {
    const auto s = requireSession(req, res);
    if (!s) return;
    json jobs = json::array();
    if (m_exports) {
      for (const auto& j : m_office.photoExports(s->user.name, 10)) {
        if (const auto current = m_exports->job(j.id)) jobs.push_back(jobJson(*current));
      }
    }
    answer(res, 200, json{{"exports", jobs}});
  });

  // One job. `wait=STATE:BYTES` (what the page shows now) answers when that changes, or after
  // ten seconds: progress without polling in a tight loop.
  http.Get(R"(/api/exports/([a-z0-9-]{1,40}))",
           [this](const httplib::Request& req, httplib::Response& res) {
             const auto s = requireSession(req, res);
             if (!s) return;
             const std::string id = req.matches[1];
             auto job = m_exports && isJobId(id) ? m_exports->job(id) : std::nullopt;
             if (!job || job->user != s->user.name) return fail(res, 404, "no such export");
             if (req.has_param("wait")) {
               const std::string wait = req.get_param_value("wait");
               const auto colon = wait.find(':');
               if (wait.size() > 40 || colon == std::string::npos ||
                   wait.find_first_not_of("0123456789", colon + 1) != std::string::npos ||
                   colon + 1 == wait.size() || wait.size() - colon - 1 > 18)
                 return fail(res, 400, "'wait' is STATE:BYTES, as the export was last shown");
               PhotoExportJob seen = *job;
               seen.state = wait.substr(0, colon);
               seen.doneBytes = std::stoll(wait.substr(colon + 1));
               job = m_exports->waitForChange(seen, std::chrono::seconds(10));
               if (!job) return fail(res, 404, "no such export");
             }
             answer(res, 200, jobJson(*job));
           });

  // The finished ZIP, streamed from its file; a Range request resumes an interrupted download.
  http.Get(R"(/api/exports/([a-z0-9-]{1,40})/download)",
           [this](const httplib::Request& req, httplib::Response& res) {
             const auto s = requireSession(req, res);
             if (!s) return;
             const std::string id = req.matches[1];
             const auto job = m_exports && isJobId(id) ? m_exports->job(id) : std::nullopt;
             if (!job || job->user != s->user.name) return fail(res, 404, "no such export");
             if (job->state != "done") return fail(res, 409, "this export is not finished yet");
             const auto path = m_exports->fileOf(*job);
             auto file = std::make_shared<std::ifstream>(path, std::ios::binary);
             std::error_code ec;
             const auto size = std::filesystem::file_size(path, ec);
             if (!*file || ec)
               return fail(res, 410, "this export's file is gone (kept for a day): build it again");
             if (!req.has_header("Range")) audit(*s, "export.download", id, job->filter);
             web::securityHeaders(res);
             res.set_header("Cache-Control", "private, no-store");
             res.set_header("Accept-Ranges", "bytes");
             res.set_header("Content-Disposition", "attachment; filename=\"smp-photos-" +
                                                       job->createdAt.substr(0, 10) + ".zip\"");
             res.set_content_provider(
                 static_cast<std::size_t>(size), "application/zip",
                 [file](std::size_t offset, std::size_t length, httplib::DataSink& sink) {
                   char buffer[64 * 1024];
                   file->clear();
                   file->seekg(static_cast<std::streamoff>(offset));
                   while (length > 0) {
                     const std::size_t n = std::min(length, sizeof buffer);
                     file->read(buffer, static_cast<std::streamsize>(n));
                     const auto got = static_cast<std::size_t>(file->gcount());
                     if (got == 0 || !sink.write(buffer, got)) return false;
                     length -= got;
                   }
                   return true;
                 });
           });
}

}  // namespace smp::server
