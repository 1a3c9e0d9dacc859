// Image-sized buffers stay with the process from one photo to the next.
#pragma once

namespace smp::vision {

// glibc hands a freed block of a few megabytes back to the system at once, and the next photo's
// buffer of the same size faults every page back in, zeroed by the kernel. A preview allocates
// some thirty such buffers: on the development VM, page faults and their zeroing were 60 % of
// the automatic pipeline's 360 ms on a 1280 x 960 photo (perf). The kiosk analyses photos of
// the same few sizes all day, so freed memory is kept for the next one, up to kKeptFreeBytes.
// Process-wide and idempotent; the library's analysis entry points call it.
void keepFreedImageMemory();

}  // namespace smp::vision
