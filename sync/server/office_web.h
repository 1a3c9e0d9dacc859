// The head-office web application, served by smp-server beside the kiosks' sync API: the
// pages under /app/ (static files, no build step) and their JSON API under /api/. Every API
// call checks the session and the person's clinics on the server; a record, photo or page
// outside them is "not found", exactly like one that does not exist.
#pragma once

#include <httplib.h>

#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "sync/server/office_accounts.h"
#include "sync/server/office_storage.h"
#include "sync/server/photo_exports.h"
#include "sync/server/server_storage.h"

namespace smp::server {

// Request bodies the web application accepts (sign-in, a new kiosk's clinic, a follow-up note
// of 2,000 bytes with room for JSON escapes).
inline constexpr std::size_t kMaxOfficeBodyBytes = 16384;

class OfficeWeb {
 public:
  using Log = std::function<void(const std::string&)>;
  // `exportsFolder`: where photo ZIPs are built (photo_exports.h); empty: no photo export.
  OfficeWeb(OfficeStorage& office, ServerStorage& sync, std::filesystem::path webRoot,
            bool secureCookies, Log log, OfficeAccounts::Clock now = {},
            const std::filesystem::path& exportsFolder = {});
  ~OfficeWeb();

  void install(httplib::Server& http);

 private:
  std::optional<CurrentSession> requireSession(const httplib::Request& req, httplib::Response& res);
  bool requireCsrf(const httplib::Request& req, httplib::Response& res,
                   const CurrentSession& session);
  // A signed-in admin whose request carries the CSRF token, or the refusal in res.
  std::optional<CurrentSession> requireAdminChange(const httplib::Request& req,
                                                   httplib::Response& res);
  void audit(const CurrentSession& who, const std::string& action, const std::string& target,
             const std::string& detail = {});
  void serveFile(const std::string& relative, httplib::Response& res);
  // The photo ZIP export's routes (office_web_exports.cpp).
  void installPhotoExports(httplib::Server& http);

  OfficeStorage& m_office;
  ServerStorage& m_sync;
  std::filesystem::path m_webRoot;
  bool m_secureCookies;
  Log m_log;
  OfficeAccounts m_accounts;
  std::unique_ptr<PhotoExports> m_exports;
};

}  // namespace smp::server
