#include "app/vision/image_memory.h"

#include <malloc.h>

#include <mutex>

namespace smp::vision {
namespace {

// Blocks up to glibc's largest mmap threshold (32 MB on 64-bit: a 12 MP float plane is
// larger and still goes straight to the system) come from the heap, and up to this much free
// memory at the heap's top is kept rather than trimmed.
constexpr int kLargestHeapBlockBytes = 32 << 20;
constexpr int kKeptFreeBytes = 256 << 20;

}  // namespace

void keepFreedImageMemory() {
  static std::once_flag once;
  std::call_once(once, [] {
    // Either call may be refused (another allocator, such as a sanitizer's, is in place): the
    // pipeline is then slower, never wrong.
    mallopt(M_MMAP_THRESHOLD, kLargestHeapBlockBytes);
    mallopt(M_TRIM_THRESHOLD, kKeptFreeBytes);
  });
}

}  // namespace smp::vision
