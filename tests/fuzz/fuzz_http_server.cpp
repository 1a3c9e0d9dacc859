// The head-office server on raw request bytes, in process: httplib's parsing, our guard on the
// headers, every handler and the SQLite storage behind them. "TOKEN" in the input becomes a real
// kiosk token so the fuzzer reaches the authenticated handlers too.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include "sync/server/head_office_server.h"
#include "sync/server/sqlite_server_storage.h"

namespace {

struct World {
  World() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "smp-fuzz-server-XXXXXX").string();
    dir = mkdtemp(pattern.data());
    storage = std::make_unique<smp::server::SqliteServerStorage>(dir / "ho.sqlite");
    token = storage->addKiosk("Fuzz clinic").token;
    server = std::make_unique<smp::server::HeadOfficeServer>(*storage);
  }
  std::filesystem::path dir;
  std::unique_ptr<smp::server::SqliteServerStorage> storage;
  std::unique_ptr<smp::server::HeadOfficeServer> server;
  std::string token;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static World world;
  std::string request(reinterpret_cast<const char*>(data), size);
  for (auto at = request.find("TOKEN"); at != std::string::npos; at = request.find("TOKEN", at))
    request.replace(at, 5, world.token);
  (void)world.server->serveInMemory(request);
  return 0;
}
