// GStreamer pipeline: source -> videoconvert -> videoscale -> RGB caps -> appsink (callbacks on
// GStreamer's streaming thread copy the frame under a mutex).
#include "app/platform/camera.h"

#include <gst/app/gstappsink.h>
#include <gst/gst.h>

#include <algorithm>
#include <condition_variable>
#include <filesystem>
#include <mutex>

namespace smp::platform {
namespace {

std::string quoteForLaunch(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

}  // namespace

CameraSpec parseCameraSpec(const std::string& text) {
  CameraSpec spec;
  if (text == "v4l2") {
    spec.kind = CameraKind::kV4l2;
  } else if (text.rfind("v4l2:/dev/", 0) == 0 && text.size() > 10) {
    spec.kind = CameraKind::kV4l2;
    spec.path = text.substr(5);
  } else if (text == "test") {
    spec.kind = CameraKind::kTest;
  } else if (text.rfind("file:", 0) == 0 && text.size() > 5) {
    spec.kind = CameraKind::kFile;
    spec.path = text.substr(5);
    if (!std::filesystem::is_regular_file(spec.path)) {
      throw CameraError("--camera file: '" + spec.path + "' is not a readable file");
    }
  } else {
    throw CameraError("--camera '" + text +
                      "' is not valid: use v4l2, v4l2:/dev/videoN, test or file:PATH");
  }
  return spec;
}

struct Camera::Impl {
  GstElement* pipeline = nullptr;
  std::mutex mutex;
  std::condition_variable cv;
  engine::RgbImage frame;
  std::uint64_t sequence = 0;
  std::string error;

  static GstFlowReturn onSample(GstAppSink* sink, gpointer user) {
    auto* self = static_cast<Impl*>(user);
    GstSample* sample = gst_app_sink_pull_sample(sink);
    if (!sample) return GST_FLOW_OK;
    GstCaps* caps = gst_sample_get_caps(sample);
    GstStructure* s = gst_caps_get_structure(caps, 0);
    int w = 0, h = 0;
    gst_structure_get_int(s, "width", &w);
    gst_structure_get_int(s, "height", &h);
    GstBuffer* buffer = gst_sample_get_buffer(sample);
    GstMapInfo map;
    if (w > 0 && h > 0 && gst_buffer_map(buffer, &map, GST_MAP_READ)) {
      // RGB rows are padded to 4 bytes by GStreamer.
      const std::size_t stride = (static_cast<std::size_t>(w) * 3 + 3) & ~std::size_t{3};
      if (map.size >= stride * static_cast<std::size_t>(h)) {
        engine::RgbImage img(w, h);
        for (int y = 0; y < h; ++y) {
          std::copy_n(map.data + stride * static_cast<std::size_t>(y),
                      static_cast<std::size_t>(w) * 3,
                      img.pixels.begin() +
                          static_cast<std::ptrdiff_t>(static_cast<std::size_t>(y) * w * 3));
        }
        std::lock_guard lock(self->mutex);
        self->frame = std::move(img);
        ++self->sequence;
      }
      gst_buffer_unmap(buffer, &map);
    }
    gst_sample_unref(sample);
    self->cv.notify_all();
    return GST_FLOW_OK;
  }
};

Camera::Camera(const CameraSpec& spec) : m_impl(std::make_unique<Impl>()) {
  if (!gst_is_initialized()) gst_init(nullptr, nullptr);
  std::string source;
  switch (spec.kind) {
    case CameraKind::kV4l2:
      source = spec.path.empty() ? "v4l2src" : "v4l2src device=" + quoteForLaunch(spec.path);
      break;
    case CameraKind::kTest:
      source = "videotestsrc pattern=smpte is-live=true";
      break;
    case CameraKind::kFile:
      source = "filesrc location=" + quoteForLaunch(spec.path) +
               " ! decodebin ! imagefreeze is-live=true";
      break;
  }
  const std::string launch =
      source + " ! videoconvert ! videoscale ! videorate ! video/x-raw,format=RGB,width=" +
      std::to_string(spec.width) + ",height=" + std::to_string(spec.height) +
      ",framerate=15/1,pixel-aspect-ratio=1/1 ! appsink name=sink max-buffers=1 drop=true "
      "sync=false";
  GError* err = nullptr;
  m_impl->pipeline = gst_parse_launch(launch.c_str(), &err);
  if (err) {
    const std::string why = err->message;
    g_error_free(err);
    if (m_impl->pipeline) gst_object_unref(m_impl->pipeline);
    m_impl->pipeline = nullptr;
    throw CameraError("camera pipeline cannot be built: " + why +
                      " (is gstreamer1.0-plugins-base/-good installed?)");
  }
  GstElement* sink = gst_bin_get_by_name(GST_BIN(m_impl->pipeline), "sink");
  GstAppSinkCallbacks callbacks{};
  callbacks.new_sample = &Impl::onSample;
  gst_app_sink_set_callbacks(GST_APP_SINK(sink), &callbacks, m_impl.get(), nullptr);
  gst_object_unref(sink);
  if (gst_element_set_state(m_impl->pipeline, GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE) {
    const std::string why = lastError();
    gst_element_set_state(m_impl->pipeline, GST_STATE_NULL);
    gst_object_unref(m_impl->pipeline);
    m_impl->pipeline = nullptr;
    throw CameraError(
        "the camera could not start" + (why.empty() ? std::string() : ": " + why) +
        (spec.kind == CameraKind::kV4l2 ? " (no camera connected? try --camera test)" : ""));
  }
}

Camera::~Camera() {
  if (m_impl->pipeline) {
    gst_element_set_state(m_impl->pipeline, GST_STATE_NULL);
    gst_object_unref(m_impl->pipeline);
  }
}

std::optional<engine::RgbImage> Camera::latestFrame(std::uint64_t afterSequence,
                                                    std::uint64_t* sequence) {
  std::lock_guard lock(m_impl->mutex);
  if (m_impl->sequence <= afterSequence || m_impl->frame.empty()) return std::nullopt;
  if (sequence) *sequence = m_impl->sequence;
  return m_impl->frame;
}

bool Camera::waitForFrame(std::uint64_t afterSequence, int timeoutMs) {
  std::unique_lock lock(m_impl->mutex);
  return m_impl->cv.wait_for(lock, std::chrono::milliseconds(timeoutMs),
                             [&] { return m_impl->sequence > afterSequence; });
}

std::string Camera::lastError() {
  if (!m_impl->pipeline) return {};
  GstBus* bus = gst_element_get_bus(m_impl->pipeline);
  std::string out;
  while (GstMessage* msg = gst_bus_pop_filtered(bus, GST_MESSAGE_ERROR)) {
    GError* err = nullptr;
    gst_message_parse_error(msg, &err, nullptr);
    if (err) {
      out = err->message;
      g_error_free(err);
    }
    gst_message_unref(msg);
  }
  gst_object_unref(bus);
  return out;
}

}  // namespace smp::platform
