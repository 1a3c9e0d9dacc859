// A private certificate authority made inside a test (OpenSSL), so TLS is tested for real: a CA,
// server certificates for 127.0.0.1 or another name, expired ones, and the key pin a kiosk uses.
#pragma once

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <cstdio>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>

namespace smp::test {

struct KeyFree {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
struct CertFree {
  void operator()(X509* c) const { X509_free(c); }
};

struct Credential {
  std::unique_ptr<EVP_PKEY, KeyFree> key;
  std::unique_ptr<X509, CertFree> cert;
  std::filesystem::path certFile, keyFile;
};

namespace detail {

inline void addExtension(X509* cert, X509* issuer, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
  if (!ext || X509_add_ext(cert, ext, -1) != 1) throw std::runtime_error("test PKI: extension");
  X509_EXTENSION_free(ext);
}

inline void writePem(const Credential& c) {
  std::unique_ptr<FILE, int (*)(FILE*)> cf(std::fopen(c.certFile.c_str(), "w"), &std::fclose);
  std::unique_ptr<FILE, int (*)(FILE*)> kf(std::fopen(c.keyFile.c_str(), "w"), &std::fclose);
  if (!cf || !kf || PEM_write_X509(cf.get(), c.cert.get()) != 1 ||
      PEM_write_PrivateKey(kf.get(), c.key.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1) {
    throw std::runtime_error("test PKI: cannot write " + c.certFile.string());
  }
}

}  // namespace detail

// A certificate for `commonName`. `issuer` null: a self-signed CA. `subjectAltName` e.g.
// "IP:127.0.0.1,DNS:localhost" for a server. Validity is [now + fromSeconds, now + toSeconds].
inline Credential makeCertificate(const std::filesystem::path& dir, const std::string& fileStem,
                                  const std::string& commonName, const Credential* issuer,
                                  const std::string& subjectAltName = {}, long fromSeconds = -3600,
                                  long toSeconds = 86400) {
  static long serial = 1;
  Credential c;
  c.key.reset(EVP_EC_gen("P-256"));
  c.cert.reset(X509_new());
  if (!c.key || !c.cert) throw std::runtime_error("test PKI: cannot make a key");
  X509* x = c.cert.get();
  X509_set_version(x, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(x), serial++);
  X509_gmtime_adj(X509_getm_notBefore(x), fromSeconds);
  X509_gmtime_adj(X509_getm_notAfter(x), toSeconds);
  X509_set_pubkey(x, c.key.get());
  X509_NAME_add_entry_by_txt(X509_get_subject_name(x), "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>(commonName.c_str()), -1, -1, 0);
  X509* issuerCert = issuer ? issuer->cert.get() : x;
  X509_set_issuer_name(x, X509_get_subject_name(issuerCert));
  detail::addExtension(x, issuerCert, NID_subject_key_identifier, "hash");
  if (issuer) {
    detail::addExtension(x, issuerCert, NID_authority_key_identifier, "keyid");
    detail::addExtension(x, issuerCert, NID_basic_constraints, "critical,CA:FALSE");
    detail::addExtension(x, issuerCert, NID_ext_key_usage, "serverAuth");
    if (!subjectAltName.empty())
      detail::addExtension(x, issuerCert, NID_subject_alt_name, subjectAltName.c_str());
  } else {
    detail::addExtension(x, issuerCert, NID_basic_constraints, "critical,CA:TRUE");
    detail::addExtension(x, issuerCert, NID_key_usage, "critical,keyCertSign,cRLSign");
  }
  EVP_PKEY* signer = issuer ? issuer->key.get() : c.key.get();
  if (X509_sign(x, signer, EVP_sha256()) == 0) throw std::runtime_error("test PKI: cannot sign");
  c.certFile = dir / (fileStem + ".pem");
  c.keyFile = dir / (fileStem + ".key");
  detail::writePem(c);
  return c;
}

// "sha256//BASE64" of the key's SubjectPublicKeyInfo: what CURLOPT_PINNEDPUBLICKEY expects.
inline std::string publicKeyPin(const Credential& c) {
  unsigned char* der = nullptr;
  const int len = i2d_PUBKEY(c.key.get(), &der);
  if (len <= 0) throw std::runtime_error("test PKI: cannot encode the public key");
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int digestLen = 0;
  EVP_Digest(der, static_cast<std::size_t>(len), digest, &digestLen, EVP_sha256(), nullptr);
  OPENSSL_free(der);
  unsigned char b64[128];
  const int b64Len = EVP_EncodeBlock(b64, digest, static_cast<int>(digestLen));
  return "sha256//" + std::string(reinterpret_cast<char*>(b64), static_cast<std::size_t>(b64Len));
}

// A head office's private CA and a server certificate for 127.0.0.1 it signed, in `dir`: what
// an HTTPS test server serves and what a kiosk is told to trust.
struct LoopbackPki {
  Credential ca;
  Credential server;
};
inline LoopbackPki makeLoopbackPki(const std::filesystem::path& dir) {
  LoopbackPki pki;
  pki.ca = makeCertificate(dir, "ca", "SMP test CA", nullptr);
  pki.server = makeCertificate(dir, "server", "127.0.0.1", &pki.ca, "IP:127.0.0.1");
  return pki;
}

}  // namespace smp::test
