// HTTPS end to end (issue 10): smp-server's own TLS with a private CA made in the test, and the
// real libcurl client trusting that CA, pinning the key, and refusing a wrong CA, a wrong pin,
// an expired certificate and a wrong host name.
#include <gtest/gtest.h>

#include "sync/client/http_client.h"
#include "tests/support/test_pki.h"
#include "tests/support/test_server.h"

namespace smp {
namespace {

struct Pki {
  test::TempDir dir;
  test::Credential ca = test::makeCertificate(dir.path(), "ca", "SMP test head-office CA", nullptr);
  test::Credential otherCa = test::makeCertificate(dir.path(), "other-ca", "Someone else", nullptr);
  test::Credential server =
      test::makeCertificate(dir.path(), "server", "127.0.0.1", &ca, "IP:127.0.0.1,DNS:localhost");
};

server::ServerOptions tlsWith(const test::Credential& c) {
  server::ServerOptions o;
  o.tlsCertificateFile = c.certFile.string();
  o.tlsPrivateKeyFile = c.keyFile.string();
  return o;
}

std::string failureOf(sync::HttpOptions options, const std::string& url) {
  sync::HttpClient http(std::move(options));
  try {
    const auto r = http.request("GET", url + "/healthz", "");
    return "answered " + std::to_string(r.status);
  } catch (const sync::NetworkError& e) {
    return e.what();
  }
}

TEST(Tls, AKioskTrustingThePrivateCaGetsThroughAndCanPinTheKey) {
  Pki pki;
  test::TestServer server(tlsWith(pki.server));
  ASSERT_EQ(server.url().rfind("https://", 0), 0u);
  const auto kiosk = server.storage().addKiosk("Leeds");
  sync::HttpOptions trust;
  trust.caFile = pki.ca.certFile.string();
  sync::HttpClient http(trust);
  EXPECT_EQ(http.request("GET", server.url() + "/healthz", "").status, 200);
  EXPECT_EQ(http.request("GET", server.url() + "/v1/kiosk", kiosk.token).status, 200);

  sync::HttpOptions pinned = trust;
  pinned.pinnedPublicKey = test::publicKeyPin(pki.server);
  sync::HttpClient pinnedHttp(pinned);
  EXPECT_EQ(pinnedHttp.request("GET", server.url() + "/v1/kiosk", kiosk.token).status, 200);
}

TEST(Tls, WrongCaWrongPinExpiredAndWrongHostAreRefused) {
  Pki pki;
  test::TestServer server(tlsWith(pki.server));
  sync::HttpOptions otherCa;
  otherCa.caFile = pki.otherCa.certFile.string();
  EXPECT_NE(failureOf(otherCa, server.url()).find("certificate"), std::string::npos);
  EXPECT_NE(failureOf({}, server.url()).find("certificate"), std::string::npos)
      << "the system's CAs do not know a private CA";

  sync::HttpOptions wrongPin;
  wrongPin.caFile = pki.ca.certFile.string();
  wrongPin.pinnedPublicKey = test::publicKeyPin(pki.ca);  // a real key, not the server's
  EXPECT_NE(failureOf(wrongPin, server.url()).find("pinned"), std::string::npos);

  sync::HttpOptions trust;
  trust.caFile = pki.ca.certFile.string();
  const auto expired = test::makeCertificate(pki.dir.path(), "expired", "127.0.0.1", &pki.ca,
                                             "IP:127.0.0.1", -7200, -3600);
  test::TestServer expiredServer(tlsWith(expired));
  EXPECT_NE(failureOf(trust, expiredServer.url()).find("expired"), std::string::npos);

  const auto elsewhere = test::makeCertificate(pki.dir.path(), "elsewhere", "head-office.example",
                                               &pki.ca, "DNS:head-office.example");
  test::TestServer elsewhereServer(tlsWith(elsewhere));
  const std::string wrongHost = failureOf(trust, elsewhereServer.url());
  EXPECT_NE(wrongHost.find("127.0.0.1"), std::string::npos) << wrongHost;
  EXPECT_EQ(wrongHost.find("answered"), std::string::npos) << wrongHost;
}

TEST(Tls, PlainHttpToAnHttpsServerFailsQuicklyAndTheServerStaysUp) {
  Pki pki;
  test::TestServer server(tlsWith(pki.server));
  sync::HttpOptions quick;
  quick.totalTimeout = std::chrono::milliseconds(15000);
  const std::string plainUrl = "http://127.0.0.1:" + std::to_string(server.port());
  EXPECT_EQ(failureOf(quick, plainUrl).find("answered 200"), std::string::npos);
  sync::HttpOptions trust;
  trust.caFile = pki.ca.certFile.string();
  EXPECT_EQ(failureOf(trust, server.url()), "answered 200");
}

TEST(Tls, OverTheConnectionCapAnHttpsClientReadsThe503) {
  Pki pki;
  server::ServerOptions options = tlsWith(pki.server);
  options.connections.maxConnectionsPerAddress = 1;
  test::TestServer server(options);
  sync::HttpOptions trust;
  trust.caFile = pki.ca.certFile.string();
  sync::HttpClient holder(trust);  // libcurl keeps its connection open after the answer
  ASSERT_EQ(holder.request("GET", server.url() + "/healthz", "").status, 200);
  sync::HttpClient second(trust);
  const auto r = second.request("GET", server.url() + "/healthz", "");
  EXPECT_EQ(r.status, 503) << r.body;
  EXPECT_EQ(r.headers.count("retry-after"), 1u);
}

TEST(Tls, AKeyThatIsNotTheCertificatesIsRefusedAtStart) {
  Pki pki;
  server::ServerOptions mismatched = tlsWith(pki.server);
  mismatched.tlsPrivateKeyFile = pki.ca.keyFile.string();
  test::TempDir dir;
  server::SqliteServerStorage storage(dir / "ho.sqlite");
  try {
    server::HeadOfficeServer s(storage, mismatched);
    FAIL() << "started with a key that does not match";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("private key " + pki.ca.keyFile.string()),
              std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace smp
