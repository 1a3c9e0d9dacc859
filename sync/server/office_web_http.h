// The web application's HTTP helpers, shared by its route files (office_web.cpp,
// office_web_exports.cpp): answers with the security headers, and the table's filter read from a
// query string with every parameter checked.
#pragma once

#include <httplib.h>

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "sync/server/office_storage.h"

namespace smp::server::web {

// On every page and answer: no inline script, no framing, no sniffing, no referrer.
void securityHeaders(httplib::Response& res);
// JSON with the security headers and Cache-Control: no-store.
void answer(httplib::Response& res, int status, const nlohmann::json& body);
void fail(httplib::Response& res, int status, const std::string& message);
// Well-formed UTF-8 without control characters.
bool isTypedText(std::string_view text);
// The table's filters from the query string, or why not.
std::optional<std::string> readQuery(const httplib::Request& req, ConsultationQuery& q);
// The query string's parameters (each cut at 100 bytes), for the audit and a job's label.
std::string filterText(const httplib::Request& req);

}  // namespace smp::server::web
