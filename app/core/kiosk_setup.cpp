#include "app/core/kiosk_setup.h"

#include "app/core/kiosk_settings.h"
#include "app/core/staff_accounts.h"
#include "sync/protocol/enrolment_code.h"

namespace smp::core {

namespace {

// The two families of "no answer" a technician acts on differently.
SetupError fromNetworkError(const sync::NetworkError& e, const std::string& serverUrl) {
  if (e.certificateProblem()) return SetupError(SetupProblem::kCertificate, e.what());
  return SetupError(SetupProblem::kUnreachable, serverUrl + ": " + e.what());
}

}  // namespace

sync::KioskInfo enrollWithCode(store::KioskStore& store, const std::string& serverUrl,
                               const std::string& typedCode, const TlsOptions& tls) {
  try {
    validateServerUrl(serverUrl);
  } catch (const std::invalid_argument& e) {
    throw SetupError(SetupProblem::kBadAddress, e.what());
  }
  const auto code = protocol::normaliseEnrolmentCode(typedCode);
  if (!code) {
    throw SetupError(SetupProblem::kBadCode,
                     "an enrolment code is 16 letters and digits in groups of four, like "
                     "K7QM-2XRP-9HDW-TNB4");
  }
  std::string token;
  try {
    sync::SyncClient anonymous({serverUrl, "", tls.caFile, tls.pinnedPublicKey});
    token = anonymous.redeemEnrolmentCode(*code);
  } catch (const sync::NetworkError& e) {
    throw fromNetworkError(e, serverUrl);
  } catch (const sync::EnrolmentRefused& e) {
    throw SetupError(SetupProblem::kCodeRefused, e.what());
  } catch (const std::runtime_error& e) {
    throw SetupError(SetupProblem::kServer, e.what());
  }
  // enroll() reports its own network failures as std::runtime_error with their words.
  try {
    return enroll(store, serverUrl, token, tls);
  } catch (const std::runtime_error& e) {
    // The code is used up by now: head office must issue another.
    throw SetupError(SetupProblem::kServer,
                     std::string(e.what()) + " (ask head office for a new enrolment code)");
  }
}

bool needsSetup(store::KioskStore& store) { return StaffAccounts(store).members().empty(); }

bool needsSetup(const std::filesystem::path& dataDir) {
  ensureDataDir(dataDir);
  store::KioskStore store(databasePath(dataDir));
  return needsSetup(store);
}

KioskSetup::KioskSetup(const std::filesystem::path& dataDir, UiQueue& queue)
    : m_store(std::make_unique<store::KioskStore>(databasePath(dataDir))),
      m_queue(queue),
      m_jobs(std::make_unique<BackgroundJobs>(queue)) {
  // A kiosk enrolled by command but with no admin yet starts at the admin step.
  const auto token = m_store->setting(kSettingToken);
  if (token && !token->empty()) {
    m_enrolled = {m_store->setting(kSettingKioskId).value_or(""),
                  m_store->setting(kSettingClinic).value_or("")};
    m_step = Step::kAdmin;
  }
}

KioskSetup::~KioskSetup() { m_jobs.reset(); }

void KioskSetup::connect() {
  if (m_step != Step::kConnect) return;
  m_problem.reset();
  m_step = Step::kChecking;
  m_jobs->run([this, url = serverUrl, typed = code]() -> UiQueue::Task {
    try {
      const auto info = enrollWithCode(*m_store, url, typed);
      return [this, info] {
        m_enrolled = info;
        m_step = Step::kAdmin;
        ++m_checksFinished;
      };
    } catch (const SetupError& e) {
      return [this, e] {
        m_problem = e;
        m_step = Step::kConnect;
        ++m_checksFinished;
      };
    } catch (const std::exception& e) {
      return [this, what = std::string(e.what())] {
        m_problem = SetupError(SetupProblem::kServer, what);
        m_step = Step::kConnect;
        ++m_checksFinished;
      };
    }
  });
}

bool KioskSetup::qrCodeRead(const std::string& text) {
  if (m_step != Step::kConnect) return false;
  const auto link = protocol::parseEnrolmentLink(text);
  if (!link) return false;
  serverUrl = link->serverUrl;
  code = protocol::displayEnrolmentCode(link->code);
  connect();
  return true;
}

std::optional<std::string> KioskSetup::createAdmin() {
  if (m_step != Step::kAdmin) return std::string("staff.team_failed");
  const auto refuse = [this](const char* key) {
    pin.clear();
    pinAgain.clear();
    return std::optional<std::string>(key);
  };
  if (adminName.empty() || adminName.size() > kMaxStaffNameChars) {
    return std::string("staff.team_name_invalid");
  }
  try {
    StaffAccounts::validatePin(pin);
  } catch (const StaffError&) {
    return refuse("staff.team_pin_invalid");
  }
  if (pin != pinAgain) return refuse("staff.team_pin_mismatch");
  try {
    StaffAccounts(*m_store).add(adminName, pin, /*admin=*/true, "setup");
  } catch (const StaffError&) {
    return refuse("staff.team_failed");
  }
  pin.clear();
  pinAgain.clear();
  m_step = Step::kCamera;
  return std::nullopt;
}

void KioskSetup::finish(const std::string& cameraSpecChosen) {
  if (m_step != Step::kCamera) return;
  if (!cameraSpecChosen.empty()) m_store->setSetting(kSettingCamera, cameraSpecChosen);
  m_store->audit("setup", "kiosk.setup_finished", m_enrolled.kioskId);
  m_step = Step::kDone;
}

}  // namespace smp::core
