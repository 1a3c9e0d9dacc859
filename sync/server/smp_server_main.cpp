// smp-server: the head-office server and its operator commands (kiosk add, export).
#include <CLI/CLI.hpp>
#include <condition_variable>
#include <csignal>
#include <fstream>
#include <iostream>
#include <thread>

#include "sync/protocol/consultation.h"
#include "sync/protocol/messages.h"
#include "sync/protocol/untrusted_json.h"
#include "sync/server/export.h"
#include "sync/server/head_office_server.h"
#include "sync/server/head_office_storage.h"
#include "sync/server/migrate_to_postgres.h"
#include "sync/server/office_accounts.h"
#include "sync/server/postgres_pool.h"
#include "sync/service/service_manager.h"

namespace {

struct ListenAddress {
  std::string host;
  int port = 0;
};

ListenAddress parseListen(const std::string& text) {
  const auto colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0) {
    throw CLI::ValidationError("--listen", std::string("'").append(text).append(
                                               "' must be HOST:PORT, e.g. 127.0.0.1:8080"));
  }
  ListenAddress a{text.substr(0, colon), -1};
  const std::string port = text.substr(colon + 1);
  try {
    std::size_t used = 0;
    a.port = std::stoi(port, &used);
    if (used != port.size()) a.port = -1;
  } catch (...) {
  }
  if (a.port < 0 || a.port > 65535) {
    throw CLI::ValidationError(
        "--listen", "port '" + port + "' must be a number 0-65535 (0 picks a free port)");
  }
  return a;
}

// Pings systemd's watchdog while the server can still reach its storage, so a server wedged on
// a lock or a lost database is restarted by its unit (WatchdogSec=). Stops when told.
class WatchdogPinger {
 public:
  WatchdogPinger(smp::service::ServiceManager& manager, smp::server::HeadOfficeServer& server)
      : m_manager(manager), m_server(server) {
    if (const auto interval = manager.watchdogInterval()) {
      m_thread = std::thread([this, every = *interval / 3] { loop(every); });
    }
  }
  ~WatchdogPinger() {
    {
      std::lock_guard lock(m_mutex);
      m_stop = true;
    }
    m_wake.notify_all();
    if (m_thread.joinable()) m_thread.join();
  }

 private:
  void loop(std::chrono::microseconds every) {
    std::unique_lock lock(m_mutex);
    while (!m_wake.wait_for(lock, every, [this] { return m_stop; })) {
      lock.unlock();
      try {
        m_server.selfCheck();
        m_manager.alive();
      } catch (const std::exception& e) {
        smp::service::logLine(
            smp::service::LogLevel::kError, "smp-server",
            std::string("self-check failed, not telling the watchdog: ") + e.what());
      }
      lock.lock();
    }
  }
  smp::service::ServiceManager& m_manager;
  smp::server::HeadOfficeServer& m_server;
  std::mutex m_mutex;
  std::condition_variable m_wake;
  bool m_stop = false;
  std::thread m_thread;
};

// What the blob check found, in words for the journal or a technician's terminal.
std::string describeBlobCheck(const smp::server::BlobCheck& check,
                              const std::filesystem::path& folder) {
  std::string text = "blob folder " + folder.string() + ": " + std::to_string(check.named) +
                     " blobs named by the database, " + std::to_string(check.files) + " files";
  if (check.missingCount > 0) {
    text += "; " + std::to_string(check.missingCount) +
            " MISSING (photos lost unless a backup of the blob folder has them), e.g.";
    for (const auto& sha : check.missing) text += " " + sha;
  }
  if (check.orphanCount > 0) {
    text += "; " + std::to_string(check.orphanCount) +
            " files nothing names (left by a crash; 'smp-server blobs check --remove-orphans' "
            "removes them), e.g.";
    for (const auto& sha : check.orphans) text += " " + sha;
  }
  return text;
}

// Prints what was copied, table by table; exit status 1 unless everything arrived.
int migrate(const std::string& from, const std::string& to, const std::string& blobs) {
  const auto report = smp::server::migrateSqliteToPostgres(from, to, blobs);
  for (const auto& t : report.tables) {
    std::cout << t.name << ": " << t.source << " in SQLite, " << t.target << " in PostgreSQL"
              << (t.target < t.source ? "  <- MISSING ROWS" : "") << "\n";
  }
  std::cout << "blobs: " << report.blobsCopied << " copied, " << report.blobsPresent
            << " already there, " << report.blobBytes / (1024 * 1024) << " MB verified by sha256\n";
  for (const auto& sha : report.badBlobs) {
    std::cout << "blob " << sha
              << " is missing or damaged in the SQLite head office's folder: restore it from a "
                 "backup and run this again\n";
  }
  std::cout << (report.complete()
                    ? "migration complete: serve with --db " + smp::server::redactPostgresUri(to)
                    : std::string("migration INCOMPLETE (see above)"))
            << std::endl;
  return report.complete() ? 0 : 1;
}

// The consent texts this release ships (the kiosk shows them until head office publishes its
// own), kept so that a record signed under one finds its text at head office.
void keepBuiltInConsentTexts(smp::server::ServerStorage& storage,
                             const std::filesystem::path& folder) {
  std::error_code ec;
  int kept = 0;
  for (const auto& entry : std::filesystem::directory_iterator(folder, ec)) {
    if (entry.path().extension() != ".txt") continue;
    std::ifstream in(entry.path(), std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), {});
    const auto file = smp::protocol::parseConsentFile(bytes);
    if (!file) {
      smp::service::logLine(smp::service::LogLevel::kWarning, "smp-server",
                            entry.path().string() + " is not a consent text (no 'version:' line)");
      continue;
    }
    storage.keepConsentText(entry.path().stem().string(), file->version, file->text);
    ++kept;
  }
  smp::service::logLine(kept ? smp::service::LogLevel::kInfo : smp::service::LogLevel::kWarning,
                        "smp-server",
                        std::to_string(kept) + " built-in consent texts from " + folder.string());
}

int serve(const std::string& db, const std::string& blobs, const std::string& listen,
          const std::string& tlsCert, const std::string& tlsKey, const std::string& webRoot) {
  if (!std::filesystem::is_regular_file(std::filesystem::path(webRoot) / "index.html")) {
    throw std::invalid_argument("--web-root " + webRoot +
                                " has no index.html: point it at assets/head-office");
  }
  const ListenAddress address = parseListen(listen);
  // Signals are taken by a dedicated thread with sigwait, so stopping is not done inside a handler.
  // Blocked before any thread starts (the storage's listener, the photo export worker, the HTTP
  // pool): a thread inherits the mask, and one that did not block SIGTERM would take it and
  // end the process without a clean stop.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  const auto opened = smp::server::openHeadOfficeStorage(db, blobs);
  smp::server::HeadOfficeStorage& storage = *opened;
  smp::service::logLine(smp::service::LogLevel::kInfo, "smp-server",
                        "records in " + storage.describe());
  {
    const auto check = storage.checkBlobs(5);
    smp::service::logLine(check.missingCount > 0  ? smp::service::LogLevel::kError
                          : check.orphanCount > 0 ? smp::service::LogLevel::kWarning
                                                  : smp::service::LogLevel::kInfo,
                          "smp-server", describeBlobCheck(check, storage.blobFolder()));
  }
  keepBuiltInConsentTexts(
      storage, smp::service::installedDataDir("smp-server", SMP_DEFAULT_SHARE_DIR) / "consent");
  smp::server::ServerOptions options;
  options.log = [](smp::service::LogLevel level, const std::string& line) {
    smp::service::logLine(level, "smp-server", line);
  };
  options.tlsCertificateFile = tlsCert;
  options.tlsPrivateKeyFile = tlsKey;
  options.office = &storage;
  options.webRoot = webRoot;
  smp::server::HeadOfficeServer server(storage, options);
  const int port = server.bind(address.host, address.port);
  const std::string where = std::string(server.usesTls() ? "https://" : "http://") + address.host +
                            ":" + std::to_string(port);
  std::cout << "smp-server: listening on " << where << std::endl;
  smp::service::ServiceManager manager;
  manager.ready("listening on " + where);
  WatchdogPinger pinger(manager, server);
  std::thread waiter([&] {
    int sig = 0;
    sigwait(&signals, &sig);
    smp::service::logLine(smp::service::LogLevel::kNotice, "smp-server", "shutting down");
    manager.stopping();
    server.stop();
  });
  server.run();
  // run() also returns if the listener fails; wake the waiter so it can be joined.
  pthread_kill(waiter.native_handle(), SIGTERM);
  waiter.join();
  return 0;
}

std::int64_t unixSecondsFromNow(int hours) {
  return std::chrono::duration_cast<std::chrono::seconds>(
             (std::chrono::system_clock::now() + std::chrono::hours(hours)).time_since_epoch())
      .count();
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"smp-server: head-office server for smp-kiosk"};
  app.require_subcommand(1);
  // A config file (INI/TOML: a [serve] section with db, blobs, listen, tls-cert, tls-key, web-root)
  // for the systemd unit; flags on the command line win over it, and an unknown key is an error.
  app.set_config("--config", "", "read options from this file (see packaging/smp-server.conf)");
  app.allow_config_extras(false);
  std::string db, listen = "127.0.0.1:8080", clinic, format = "jsonl", kioskId, configFile;

  // --db is a SQLite file (one clinic, or a small chain on one machine) or a PostgreSQL address
  // (several servers on one database); commands other than serve and add need it to exist.
  const std::string kDbHelp =
      "SQLite database file, or a PostgreSQL address postgresql://USER@HOST/DATABASE";
  const CLI::Validator existingDb(
      [](std::string& value) -> std::string {
        if (smp::server::isPostgresUri(value) || std::filesystem::is_regular_file(value)) return {};
        return "no such database file: " + value;
      },
      "FILE|URI");

  auto* serveCmd = app.add_subcommand("serve", "serve the sync API");
  serveCmd->add_option("--db", db, kDbHelp + " (created if missing)")->required();
  std::string blobs;
  serveCmd->add_option("--blobs", blobs,
                       "folder for photos and previews (default: the one the database used "
                       "last, for a new SQLite database NAME.blobs beside it; a new PostgreSQL "
                       "database needs one, shared by every server on it)");
  serveCmd->add_option("--listen", listen, "HOST:PORT to listen on (port 0 picks a free one)");
  std::string tlsCert, tlsKey;
  auto* certOpt =
      serveCmd->add_option("--tls-cert", tlsCert, "serve HTTPS with this PEM certificate chain")
          ->check(CLI::ExistingFile);
  serveCmd->add_option("--tls-key", tlsKey, "the certificate's PEM private key")
      ->check(CLI::ExistingFile)
      ->needs(certOpt);
  certOpt->needs("--tls-key");
  std::string webRoot =
      (smp::service::installedDataDir("smp-server", SMP_DEFAULT_SHARE_DIR) / "head-office")
          .string();
  serveCmd->add_option("--web-root", webRoot,
                       "the head-office pages (default: this build's assets/head-office)");

  auto* userCmd = app.add_subcommand("user", "head-office accounts for the web application");
  userCmd->require_subcommand(1);
  std::string userName, role;
  std::vector<std::string> clinics;
  auto* userAddCmd = userCmd->add_subcommand(
      "add", "add an account; its password is read from stdin (one line, 12-256 characters)");
  userAddCmd->add_option("--db", db, kDbHelp)->required();
  userAddCmd->add_option("--name", userName, "what they sign in with")->required();
  userAddCmd->add_option("--role", role, "admin, analyst or clinic-manager")
      ->required()
      ->check(CLI::IsMember({"admin", "analyst", "clinic-manager"}));
  userAddCmd->add_option("--clinic", clinics, "a clinic a clinic manager sees (repeatable)");
  auto* userListCmd = userCmd->add_subcommand("list", "one JSON line per account");
  userListCmd->add_option("--db", db, kDbHelp)->required()->check(existingDb);
  auto* userDisableCmd =
      userCmd->add_subcommand("disable", "stop an account signing in and end its sessions");
  userDisableCmd->add_option("--db", db, kDbHelp)->required()->check(existingDb);
  userDisableCmd->add_option("--name", userName, "the account's name")->required();

  auto* kioskCmd = app.add_subcommand("kiosk", "manage kiosks");
  kioskCmd->require_subcommand(1);
  auto* addCmd = kioskCmd->add_subcommand(
      "add",
      "register a kiosk; prints {\"kiosk_id\", \"enrolment_code\", \"code_expires_at\", "
      "\"token\"}: the kiosk's setup screen takes the one-time code (the token is for scripted "
      "installs); both are shown only once");
  addCmd->add_option("--db", db, kDbHelp)->required();
  addCmd->add_option("--clinic", clinic, "clinic name")->required();
  int codeHours = 24;
  addCmd->add_option("--code-hours", codeHours, "how long the enrolment code works (1-168)")
      ->check(CLI::Range(1, 168))
      ->capture_default_str();
  auto* codeCmd = kioskCmd->add_subcommand(
      "enrolment-code",
      "a new one-time enrolment code for a kiosk (a replaced or wiped kiosk is set up again); "
      "earlier codes stop working. Prints {\"kiosk_id\", \"enrolment_code\", "
      "\"code_expires_at\"}");
  codeCmd->add_option("--db", db, kDbHelp)->required()->check(existingDb);
  codeCmd->add_option("--kiosk-id", kioskId, "the kiosk_id printed by 'kiosk add'")->required();
  codeCmd->add_option("--hours", codeHours, "how long it works (1-168)")
      ->check(CLI::Range(1, 168))
      ->capture_default_str();

  auto* revokeCmd =
      kioskCmd->add_subcommand("revoke", "cut a kiosk off at once (its token stops working)");
  revokeCmd->add_option("--db", db, kDbHelp)->required()->check(existingDb);
  revokeCmd->add_option("--kiosk-id", kioskId, "the kiosk_id printed by 'kiosk add'")->required();
  auto* rotateCmd = kioskCmd->add_subcommand(
      "rotate-token",
      "a new token for an existing kiosk, to re-enrol it; the old token stops working and the "
      "kiosk keeps its id and records. Prints {\"kiosk_id\", \"token\"}");
  rotateCmd->add_option("--db", db, kDbHelp)->required()->check(existingDb);
  rotateCmd->add_option("--kiosk-id", kioskId, "the kiosk_id printed by 'kiosk add'")->required();
  auto* listCmd = kioskCmd->add_subcommand(
      "list", "one JSON line per kiosk: id, clinic, revoked, last heartbeat");
  listCmd->add_option("--db", db, kDbHelp)->required()->check(existingDb);

  auto* configCmd = app.add_subcommand(
      "config", "what every kiosk pulls: prices, consent texts, languages, timeouts");
  configCmd->require_subcommand(1);
  auto* configSetCmd =
      configCmd->add_subcommand("set", "validate a JSON config file and publish it");
  configSetCmd->add_option("--db", db, kDbHelp)->required();
  configSetCmd->add_option("--file", configFile, "config JSON (see docs/sync.md)")
      ->required()
      ->check(CLI::ExistingFile);

  auto* exportCmd = app.add_subcommand("export", "write one line per consultation to stdout");
  exportCmd->add_option("--db", db, kDbHelp)->required()->check(existingDb);
  exportCmd->add_option("--format", format, "jsonl or csv")->check(CLI::IsMember({"jsonl", "csv"}));

  auto* blobsCmd = app.add_subcommand("blobs", "the photo and preview files");
  blobsCmd->require_subcommand(1);
  auto* blobsCheckCmd = blobsCmd->add_subcommand(
      "check", "compare the files with what the database names (exit 1 when any is missing)");
  blobsCheckCmd->add_option("--db", db, kDbHelp)->required()->check(existingDb);
  bool removeOrphans = false;
  blobsCheckCmd->add_flag("--remove-orphans", removeOrphans,
                          "remove files nothing names (stop the server first)");

  auto* migrateCmd = app.add_subcommand(
      "migrate",
      "copy a SQLite head office (records, revisions, erasures, kiosks, accounts, audit, config "
      "and every photo, verified by its sha256) into PostgreSQL; safe to run again. Stop the "
      "server first");
  std::string migrateFrom, migrateTo;
  migrateCmd->add_option("--from", migrateFrom, "the SQLite head office file")
      ->required()
      ->check(CLI::ExistingFile);
  migrateCmd->add_option("--to", migrateTo, "postgresql://USER@HOST/DATABASE")
      ->required()
      ->check(CLI::Validator(
          [](std::string& value) -> std::string {
            return smp::server::isPostgresUri(value)
                       ? std::string()
                       : "--to must be a postgresql:// address, not " + value;
          },
          "URI"));
  migrateCmd->add_option("--blobs", blobs,
                         "the PostgreSQL head office's blob folder (default: the one its database "
                         "names; needed the first time)");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ConfigError& e) {
    // CLI11 says "INI was not able to parse serve.lisen": name the file and what it may hold.
    std::cerr << "smp-server: error: " << app.get_config_ptr()->as<std::string>() << ": "
              << e.what()
              << ". The [serve] section knows: db, blobs, listen, tls-cert, tls-key, web-root\n";
    return e.get_exit_code();
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  try {
    if (serveCmd->parsed()) return serve(db, blobs, listen, tlsCert, tlsKey, webRoot);
    if (migrateCmd->parsed()) return migrate(migrateFrom, migrateTo, blobs);
    if (blobsCheckCmd->parsed()) {
      const auto opened = smp::server::openHeadOfficeStorage(db, {});
      smp::server::HeadOfficeStorage& storage = *opened;
      auto check = storage.checkBlobs(20);
      std::cout << describeBlobCheck(check, storage.blobFolder()) << "\n";
      if (removeOrphans && check.orphanCount > 0) {
        const auto removed = storage.removeOrphanBlobs();
        std::cout << "removed " << removed << " files nothing named\n";
      }
      return check.missingCount > 0 ? 1 : 0;
    }
    if (userAddCmd->parsed()) {
      std::string password;
      std::getline(std::cin, password);
      while (!password.empty() && (password.back() == '\r' || password.back() == '\n'))
        password.pop_back();
      const auto opened = smp::server::openHeadOfficeStorage(db, {});
      smp::server::HeadOfficeStorage& storage = *opened;
      smp::server::OfficeAccounts accounts(storage);
      const auto u = accounts.addUser(userName, *smp::server::parseRole(role), clinics, password);
      std::cout << nlohmann::json{{"name", u.name},
                                  {"role", smp::server::roleName(u.role)},
                                  {"clinics", u.clinics}}
                       .dump()
                << std::endl;
      return 0;
    }
    if (userListCmd->parsed()) {
      const auto opened = smp::server::openHeadOfficeStorage(db, {});
      smp::server::HeadOfficeStorage& storage = *opened;
      for (const auto& u : storage.users()) {
        std::cout << nlohmann::json{{"name", u.name},
                                    {"role", smp::server::roleName(u.role)},
                                    {"clinics", u.clinics},
                                    {"disabled", u.disabled},
                                    {"created_at", u.createdAt}}
                         .dump()
                  << "\n";
      }
      return 0;
    }
    if (userDisableCmd->parsed()) {
      const auto opened = smp::server::openHeadOfficeStorage(db, {});
      smp::server::HeadOfficeStorage& storage = *opened;
      if (!storage.disableUser(userName)) {
        std::cerr << "smp-server: error: no account '" << userName
                  << "' (see 'smp-server user list')\n";
        return 1;
      }
      storage.audit({"", "operator", "user.disable", userName, ""});
      std::cout << nlohmann::json{{"name", userName}, {"disabled", true}}.dump() << std::endl;
      return 0;
    }
    if (addCmd->parsed()) {
      if (clinic.empty() || clinic.size() > 200) {
        std::cerr << "smp-server: error: --clinic must be 1-200 characters\n";
        return 2;
      }
      const auto opened = smp::server::openHeadOfficeStorage(db, {});
      smp::server::HeadOfficeStorage& storage = *opened;
      const auto k = storage.addKiosk(clinic);
      const auto code = storage.issueEnrolmentCode(k.kioskId, unixSecondsFromNow(codeHours));
      std::cout << nlohmann::json{{"kiosk_id", k.kioskId},
                                  {"enrolment_code", code->code},
                                  {"code_expires_at", code->expiresAt},
                                  {"token", k.token}}
                       .dump()
                << std::endl;
      return 0;
    }
    if (codeCmd->parsed()) {
      const auto opened = smp::server::openHeadOfficeStorage(db, {});
      smp::server::HeadOfficeStorage& storage = *opened;
      const auto code = storage.issueEnrolmentCode(kioskId, unixSecondsFromNow(codeHours));
      if (!code) {
        std::cerr << "smp-server: error: no kiosk '" << kioskId
                  << "' (see 'smp-server kiosk list')\n";
        return 1;
      }
      std::cout << nlohmann::json{{"kiosk_id", kioskId},
                                  {"enrolment_code", code->code},
                                  {"code_expires_at", code->expiresAt}}
                       .dump()
                << std::endl;
      return 0;
    }
    if (revokeCmd->parsed()) {
      const auto opened = smp::server::openHeadOfficeStorage(db, {});
      smp::server::HeadOfficeStorage& storage = *opened;
      if (!storage.revokeKiosk(kioskId)) {
        std::cerr << "smp-server: error: no kiosk '" << kioskId
                  << "' (see 'smp-server kiosk list')\n";
        return 1;
      }
      std::cout << nlohmann::json{{"kiosk_id", kioskId}, {"revoked", true}}.dump() << std::endl;
      return 0;
    }
    if (rotateCmd->parsed()) {
      const auto opened = smp::server::openHeadOfficeStorage(db, {});
      smp::server::HeadOfficeStorage& storage = *opened;
      const auto token = storage.rotateKioskToken(kioskId);
      if (!token) {
        std::cerr << "smp-server: error: no kiosk '" << kioskId
                  << "' (see 'smp-server kiosk list')\n";
        return 1;
      }
      std::cout << nlohmann::json{{"kiosk_id", kioskId}, {"token", *token}}.dump() << std::endl;
      return 0;
    }
    if (listCmd->parsed()) {
      const auto opened = smp::server::openHeadOfficeStorage(db, {});
      smp::server::HeadOfficeStorage& storage = *opened;
      for (const auto& k : storage.kiosks()) {
        std::cout << nlohmann::json{{"kiosk_id", k.kioskId},
                                    {"clinic", k.clinic},
                                    {"revoked", k.revoked},
                                    {"last_seen_at", k.lastSeenAt},
                                    {"last_heartbeat", k.lastHeartbeat}}
                         .dump()
                  << "\n";
      }
      return 0;
    }
    if (configSetCmd->parsed()) {
      std::ifstream in(configFile, std::ios::binary);
      std::string text(smp::protocol::kMaxConfigBytes + 1, '\0');
      in.read(text.data(), static_cast<std::streamsize>(text.size()));
      text.resize(static_cast<std::size_t>(in.gcount()));
      nlohmann::json config;
      try {
        config = smp::protocol::parseUntrustedJson(text, smp::protocol::kMaxConfigBytes);
      } catch (const smp::protocol::ProtocolError& e) {
        std::cerr << "smp-server: error: " << configFile << ": " << e.what() << "\n";
        return 1;
      }
      smp::protocol::validateConfig(config);
      const auto opened = smp::server::openHeadOfficeStorage(db, {});
      smp::server::HeadOfficeStorage& storage = *opened;
      if (const auto clash = smp::server::consentVersionClash(storage, config)) {
        std::cerr << "smp-server: error: " << configFile << ": " << *clash << "\n";
        return 1;
      }
      storage.setConfig(config);
      std::cout << nlohmann::json{{"etag", storage.config().second}}.dump() << std::endl;
      return 0;
    }
    if (exportCmd->parsed()) {
      const auto opened = smp::server::openHeadOfficeStorage(db, {});
      smp::server::HeadOfficeStorage& storage = *opened;
      smp::server::exportConsultations(
          storage,
          format == "csv" ? smp::server::ExportFormat::kCsv : smp::server::ExportFormat::kJsonl,
          std::cout);
      return 0;
    }
  } catch (const CLI::Error& e) {
    return app.exit(e);
  } catch (const std::exception& e) {
    std::cerr << "smp-server: error: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
