#include "app/core/failure_notice.h"

#include "app/store/kiosk_store.h"

namespace smp::core {

Notice failureNotice(const std::exception& e) {
  const char* key = "error.unexpected";
  switch (store::classifyFailure(e)) {
    case store::StoreFailure::kDiskFull:
      key = "error.disk_full";
      break;
    case store::StoreFailure::kDiskError:
      key = "error.disk_error";
      break;
    case store::StoreFailure::kDamaged:
      key = "error.store_damaged";
      break;
    case store::StoreFailure::kBusy:
      key = "error.store_busy";
      break;
    case store::StoreFailure::kSealed:
      key = "error.records_sealed";
      break;
    case store::StoreFailure::kOther:
      break;
  }
  return Notice::warning(key, {}, e.what());
}

}  // namespace smp::core
