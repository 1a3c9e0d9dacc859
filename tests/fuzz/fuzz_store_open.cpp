// Opening a crafted kiosk database (a stolen-and-returned disk, a bad restore): the store must
// refuse it with a clear error or open and migrate it, and reading from it must not crash.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "app/store/kiosk_store.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::filesystem::path dir = [] {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "smp-fuzz-store-XXXXXX").string();
    return std::filesystem::path(mkdtemp(pattern.data()));
  }();
  const auto file = dir / "kiosk.sqlite";
  std::filesystem::remove(file);
  std::filesystem::remove(dir / "kiosk.sqlite-wal");
  std::filesystem::remove(dir / "kiosk.sqlite-shm");
  {
    std::ofstream out(file, std::ios::binary);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  }
  try {
    smp::store::KioskStore store(file);
    for (const auto& item : store.pendingOutbox()) {
      try {
        (void)store.loadRecord(item.consultationId);
      } catch (const std::exception&) {
      }
    }
    (void)store.status();
  } catch (const std::exception&) {
    // A damaged or foreign file: refused with a message, left untouched.
  }
  return 0;
}
