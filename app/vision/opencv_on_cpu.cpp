#include "app/vision/opencv_on_cpu.h"

#include <opencv2/core/ocl.hpp>

namespace smp::vision {

void useOpenCvOnTheCpuOnly() {
  // Per thread in OpenCV (and cheap: a thread-local flag); turning it off never probes.
  cv::ocl::setUseOpenCL(false);
}

}  // namespace smp::vision
