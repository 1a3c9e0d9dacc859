// Head-office export: one line per consultation as JSON Lines or CSV, for analysts.
#pragma once

#include <ostream>
#include <string>

#include "sync/server/server_storage.h"

namespace smp::server {

enum class ExportFormat { kJsonl, kCsv };

// Returns the number of consultations written.
int exportConsultations(ServerStorage& storage, ExportFormat format, std::ostream& out);

// The same lines one at a time (the web application streams its exports): the CSV header row
// (empty for JSON Lines), then one line per consultation.
std::string exportHeader(ExportFormat format);
std::string exportLine(const StoredConsultation& c, ExportFormat format);

}  // namespace smp::server
