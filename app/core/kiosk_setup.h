// The first start of a kiosk, without a shell: a technician types head office's address and a
// one-time enrolment code (or holds up its QR code), creates the first admin, checks the camera
// and starts the kiosk. The enrolment code is the proof of authority: a passer-by at an
// unattended kiosk cannot make themselves admin without one. The CLI (`smp-kiosk enroll
// --code-file`, `staff add`) calls the same functions for scripted installs.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>

#include "app/core/kiosk_commands.h"
#include "app/core/ui_queue.h"
#include "app/store/kiosk_store.h"

namespace smp::core {

// Why an enrolment did not happen, for a message a technician can act on.
enum class SetupProblem {
  kBadAddress,   // not https://host[:port] (or http:// to this machine)
  kBadCode,      // not 16 letters and digits of the code alphabet
  kCodeRefused,  // head office said no: wrong, used, expired, revoked (detail: its words)
  kUnreachable,  // no answer: address, network, firewall
  kCertificate,  // TLS: the certificate does not verify, or the pinned key does not match
  kServer,       // an answer, but not what an smp-server says
};

class SetupError : public std::runtime_error {
 public:
  SetupError(SetupProblem problem, const std::string& detail)
      : std::runtime_error(detail), m_problem(problem) {}
  SetupProblem problem() const { return m_problem; }

 private:
  SetupProblem m_problem;
};

// Head office takes the code and gives this kiosk its token, then enrol() checks it, hands over
// the store key and stores the enrolment. Nothing is stored unless all of that worked.
// Throws SetupError.
sync::KioskInfo enrollWithCode(store::KioskStore& store, const std::string& serverUrl,
                               const std::string& typedCode, const TlsOptions& tls = {});

// A kiosk nobody could sign in to staff mode on: its first start (enrolled or not; an enrolled
// one starts setup at the admin step). A kiosk with staff but not enrolled runs, keeping its
// records until staff enrol it.
bool needsSetup(store::KioskStore& store);
// The same for the kiosk whose data is in dataDir (created if missing).
bool needsSetup(const std::filesystem::path& dataDir);

// The setup screens' state, step by step; the UI draws it and calls these on taps.
class KioskSetup {
 public:
  enum class Step { kConnect, kChecking, kAdmin, kCamera, kDone };

  // Opens the store in dataDir; background work (the check with head office) reports through
  // `queue`, which the frame loop runs.
  KioskSetup(const std::filesystem::path& dataDir, UiQueue& queue);
  ~KioskSetup();

  Step step() const { return m_step; }
  // Connect: what was typed or read from a QR code.
  std::string serverUrl;
  std::string code;
  // Checks address and code with head office on a background thread (the screen keeps
  // answering); on success the step becomes kAdmin, else kConnect with problem() set.
  void connect();
  // A QR code the camera read: when it is an enrolment link, fills address and code and
  // connects. False (and nothing changes) for any other text.
  bool qrCodeRead(const std::string& text);
  const std::optional<SetupError>& problem() const { return m_problem; }
  // How many checks with head office have reported: a screen sees each result once, however
  // fast head office answered (a quick answer can arrive before a frame showed "checking").
  std::uint64_t checksFinished() const { return m_checksFinished; }
  // Tests: waits up to `wait` for the check with head office to post its result.
  bool waitForCheck(std::chrono::milliseconds wait) const { return m_jobs->waitIdle(wait); }
  // The kiosk's id and clinic once enrolled.
  const sync::KioskInfo& enrolled() const { return m_enrolled; }

  // Admin: name, PIN and the PIN again. Empty on success (step becomes kCamera), else the
  // translation key of what to fix (the same as staff mode's Team screen; the PINs are cleared
  // to be typed again).
  std::string adminName;
  std::string pin;
  std::string pinAgain;
  std::optional<std::string> createAdmin();

  // Camera: the spec chosen (as staff settings store it); then the kiosk starts.
  void finish(const std::string& cameraSpec);

 private:
  std::unique_ptr<store::KioskStore> m_store;
  UiQueue& m_queue;
  Step m_step = Step::kConnect;
  std::optional<SetupError> m_problem;
  std::uint64_t m_checksFinished = 0;
  sync::KioskInfo m_enrolled;
  std::unique_ptr<BackgroundJobs> m_jobs;  // last: joined first
};

}  // namespace smp::core
