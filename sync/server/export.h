// Head-office export: one line per consultation as JSON Lines or CSV, for analysts.
#pragma once

#include <ostream>
#include <string>

#include "sync/server/server_storage.h"

namespace smp::server {

enum class ExportFormat { kJsonl, kCsv };

// Returns the number of consultations written.
int exportConsultations(ServerStorage& storage, ExportFormat format, std::ostream& out);

}  // namespace smp::server
