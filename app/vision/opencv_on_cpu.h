// OpenCV on the CPU only, for the calling thread.
#pragma once

namespace smp::vision {

// OpenCV decides per thread whether to use OpenCL, and on first use it probes the machine's
// OpenCL driver (dlopen libOpenCL and the vendor's ICD) inside the kiosk's process. The kiosk
// needs the same masks on every machine, and no GPU driver loaded behind its back (the probe
// also crashes LeakSanitizer's thread scan). Every entry point of this library calls it first.
void useOpenCvOnTheCpuOnly();

}  // namespace smp::vision
