#include "sync/service/service_manager.h"

#include <sys/stat.h>
#include <systemd/sd-daemon.h>
#include <unistd.h>

#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

namespace smp::service {

namespace {

std::optional<std::chrono::microseconds> watchdogFromEnvironment() {
  // Read WATCHDOG_USEC directly rather than through sd_watchdog_enabled(): that also demands
  // WATCHDOG_PID == getpid(), and the kiosk is not the unit's main process (cage is; the unit
  // sets NotifyAccess=all so the kiosk's pings count).
  const char* text = std::getenv("WATCHDOG_USEC");
  if (!text || !*text) return std::nullopt;
  unsigned long long usec = 0;
  const char* end = text + std::strlen(text);
  const auto [ptr, ec] = std::from_chars(text, end, usec);
  if (ec != std::errc() || ptr != end || usec == 0) return std::nullopt;
  return std::chrono::microseconds(usec);
}

bool stderrIsTheJournal() {
  const char* stream = std::getenv("JOURNAL_STREAM");
  if (!stream) return false;
  struct stat st {};
  if (fstat(STDERR_FILENO, &st) != 0) return false;
  const std::string expected = std::to_string(static_cast<unsigned long long>(st.st_dev)) + ":" +
                               std::to_string(static_cast<unsigned long long>(st.st_ino));
  return expected == stream;
}

}  // namespace

ServiceManager::ServiceManager()
    : m_notify(std::getenv("NOTIFY_SOCKET") != nullptr), m_watchdog(watchdogFromEnvironment()) {}

void ServiceManager::send(const char* message) {
  if (!m_notify) return;
  // unset_environment=0: the kiosk keeps pinging for its whole life, and children need nothing.
  if (sd_notify(0, message) < 0) {
    logLine(LogLevel::kWarning, "service", "systemd did not take a notification");
  }
}

void ServiceManager::ready(std::string_view status) {
  send(("READY=1\nSTATUS=" + std::string(status)).c_str());
}

void ServiceManager::status(std::string_view status) {
  send(("STATUS=" + std::string(status)).c_str());
}

void ServiceManager::stopping() { send("STOPPING=1"); }

void ServiceManager::alive(Clock::time_point now) {
  if (!m_notify || !m_watchdog) return;
  if (m_lastPing && now - *m_lastPing < *m_watchdog / 2) return;
  m_lastPing = now;
  send("WATCHDOG=1");
}

void logLine(LogLevel level, std::string_view program, std::string_view message) {
  // Checked per line (an environment lookup and an fstat): stderr can be redirected at run time.
  const bool journal = stderrIsTheJournal();
  std::string line;
  line.reserve(program.size() + message.size() + 8);
  if (journal) line.append("<").append(std::to_string(static_cast<int>(level))).append(">");
  line.append(program).append(": ").append(message).append("\n");
  // One write per line, so lines from several threads never interleave mid-line.
  std::fwrite(line.data(), 1, line.size(), stderr);
  std::fflush(stderr);
}

std::filesystem::path installedDataDir(const std::string& package,
                                       const std::filesystem::path& fallback) {
  std::error_code ec;
  const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec || exe.parent_path().filename() != "bin") return fallback;
  const auto shared = exe.parent_path().parent_path() / "share" / package;
  return std::filesystem::is_directory(shared, ec) ? shared : fallback;
}

}  // namespace smp::service
