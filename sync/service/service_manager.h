// Talking to systemd when a program runs as one of its services: "ready", "still alive" (the
// watchdog) and "stopping", and log lines the journal files under the right priority. Every call
// is a no-op outside systemd, so the same binary runs from a shell, a test or a unit.
#pragma once

#include <chrono>
#include <filesystem>
#include <optional>
#include <string_view>

namespace smp::service {

class ServiceManager {
 public:
  using Clock = std::chrono::steady_clock;

  // Reads the service's environment (NOTIFY_SOCKET, WATCHDOG_USEC) once.
  ServiceManager();

  bool underSystemd() const { return m_notify; }
  // How often systemd expects to hear "alive", when the unit sets WatchdogSec=.
  std::optional<std::chrono::microseconds> watchdogInterval() const { return m_watchdog; }

  // Type=notify: the program is serving (the server is listening, the kiosk drew its first
  // frame). `status` is what `systemctl status` shows.
  void ready(std::string_view status);
  void status(std::string_view status);
  void stopping();
  // Call whenever the program has shown it works (a frame drawn, a storage check answered).
  // Sends WATCHDOG=1 at most every half interval, so calling it 60 times a second is cheap.
  void alive(Clock::time_point now = Clock::now());

 private:
  void send(const char* message);
  bool m_notify = false;
  std::optional<std::chrono::microseconds> m_watchdog;
  std::optional<Clock::time_point> m_lastPing;
};

// Syslog priorities, as journalctl -p names them.
enum class LogLevel { kError = 3, kWarning = 4, kNotice = 5, kInfo = 6, kDebug = 7 };

// Writes "program: message" as one line on stderr. When stderr is the journal (systemd sets
// JOURNAL_STREAM to its device and inode), the line starts with "<N>" so the journal stores it at
// that priority; in a terminal or a test log it stays plain. Never pass personal data or tokens.
void logLine(LogLevel level, std::string_view program, std::string_view message);

// Where an installed program's read-only files are: <prefix>/share/<package> beside the running
// executable's <prefix>/bin (so /usr/share/smp-kiosk for /usr/bin/smp-kiosk). `fallback` (the
// source tree's folder, compiled in) when the program runs from a build folder instead.
std::filesystem::path installedDataDir(const std::string& package,
                                       const std::filesystem::path& fallback);

}  // namespace smp::service
