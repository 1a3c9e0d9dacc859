# Every third-party dependency comes from a Debian 12 package (scripts/install-deps.sh).
find_package(PkgConfig REQUIRED)
find_package(Threads REQUIRED)
find_package(SQLite3 REQUIRED)
find_package(CURL REQUIRED)
find_package(nlohmann_json 3 REQUIRED)
find_package(CLI11 REQUIRED)
find_package(SDL2 REQUIRED)
# TLS for the head-office server (the kiosk's TLS is libcurl's).
find_package(OpenSSL 3 REQUIRED)
# Face detection and head segmentation for the preview (app/vision): only these two modules.
# Debian splits OpenCV per module and ships its CMake config only in the all-modules
# libopencv-dev (it pulls VTK, Qt and more), so the three modules are found directly.
find_path(OPENCV_INCLUDE_DIR opencv2/core.hpp PATH_SUFFIXES opencv4 REQUIRED)
add_library(smp_opencv INTERFACE)
foreach(module core imgproc objdetect)
  find_library(OPENCV_${module}_LIBRARY opencv_${module} REQUIRED)
  target_link_libraries(smp_opencv INTERFACE ${OPENCV_${module}_LIBRARY})
endforeach()
target_include_directories(smp_opencv SYSTEM INTERFACE ${OPENCV_INCLUDE_DIR})
set(SMP_HAARCASCADE_DIR "/usr/share/opencv4/haarcascades" CACHE PATH
    "Folder of OpenCV's Haar cascades (Debian package opencv-data)")

# Debian's cpp-httplib is a compiled library built with OpenSSL, zlib and brotli; its pkg-config
# file carries the matching compile definitions (without them class layouts differ: UB).
pkg_check_modules(HTTPLIB REQUIRED IMPORTED_TARGET cpp-httplib)
pkg_check_modules(IMGUI REQUIRED IMPORTED_TARGET imgui)
pkg_check_modules(STB REQUIRED IMPORTED_TARGET stb)
pkg_check_modules(SODIUM REQUIRED IMPORTED_TARGET libsodium)
# The head office on PostgreSQL (Debian 12: libpqxx 6.4 over libpq 15).
pkg_check_modules(PQXX REQUIRED IMPORTED_TARGET libpqxx)
# libzip: the photo ZIP export (Zip64, a progress callback, entries read from our own source).
pkg_check_modules(LIBZIP REQUIRED IMPORTED_TARGET libzip)
pkg_check_modules(GST REQUIRED IMPORTED_TARGET gstreamer-1.0 gstreamer-app-1.0 gstreamer-video-1.0)

# The SDL_Renderer backend ships only as source in libimgui-dev's examples.
set(IMGUI_SDLRENDERER_SOURCE /usr/share/doc/libimgui-dev/examples/backends/imgui_impl_sdlrenderer.cpp)
if(NOT EXISTS ${IMGUI_SDLRENDERER_SOURCE})
  message(FATAL_ERROR "Missing ${IMGUI_SDLRENDERER_SOURCE}: run scripts/install-deps.sh")
endif()

if(SMP_BUILD_TESTS)
  find_package(GTest REQUIRED)
endif()
if(SMP_BUILD_BENCHMARKS)
  find_package(benchmark REQUIRED)
endif()
