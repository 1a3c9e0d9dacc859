#include "sync/server/blob_store.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <vector>

#include "sync/protocol/sha256.h"

namespace smp::server {
namespace {

namespace fs = std::filesystem;

[[noreturn]] void fail(const std::string& what, const fs::path& path) {
  throw BlobStoreError(what + " " + path.string() + ": " + std::strerror(errno));
}

// A file descriptor closed on every path out.
class Fd {
 public:
  Fd(const fs::path& path, int flags, mode_t mode = 0600)
      : m_fd(::open(path.c_str(), flags | O_CLOEXEC, mode)), m_path(path) {}
  ~Fd() {
    if (m_fd >= 0) ::close(m_fd);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  bool ok() const { return m_fd >= 0; }
  int get() const { return m_fd; }
  void writeAllAt(std::string_view bytes, std::uint64_t offset) {
    std::size_t done = 0;
    while (done < bytes.size()) {
      const ssize_t n = ::pwrite(m_fd, bytes.data() + done, bytes.size() - done,
                                 static_cast<off_t>(offset + done));
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) fail("cannot write", m_path);
      done += static_cast<std::size_t>(n);
    }
  }
  void sync() {
    if (::fdatasync(m_fd) != 0) fail("cannot flush", m_path);
  }
  // Closes now, reporting a failure (a close can be the first to say the disk is full).
  void close() {
    const int fd = m_fd;
    m_fd = -1;
    if (::close(fd) != 0) fail("cannot close", m_path);
  }

 private:
  int m_fd;
  fs::path m_path;
};

void syncFolder(const fs::path& folder) {
  Fd dir(folder, O_RDONLY | O_DIRECTORY);
  if (!dir.ok() || ::fsync(dir.get()) != 0) fail("cannot flush the folder", folder);
}

// Creates `folder` and any missing parents, flushing each parent that gained an entry: a blob's
// rename is flushed in its own folder, and a folder made for it must itself survive a crash.
void createFolderDurably(const fs::path& folder) {
  std::error_code ec;
  if (fs::is_directory(folder, ec) || folder == folder.parent_path()) return;
  createFolderDurably(folder.parent_path());
  if (::mkdir(folder.c_str(), 0755) != 0 && errno != EEXIST) fail("cannot create", folder);
  syncFolder(folder.parent_path());
}

void requireSha256(const std::string& sha256) {
  if (!protocol::isSha256Hex(sha256)) {
    throw std::invalid_argument("not a sha256 in lowercase hex: '" + sha256.substr(0, 80) + "'");
  }
}

// A name no two writers share: the temporary files of concurrent writers never collide.
std::string uniqueSuffix() {
  unsigned char random[8];
  randombytes_buf(random, sizeof random);
  char hex[sizeof random * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, random, sizeof random);
  return hex;
}

}  // namespace

FileBlobStore::FileBlobStore(fs::path root) : m_root(std::move(root)) {
  if (sodium_init() < 0) throw BlobStoreError("libsodium could not start");
  std::error_code ec;
  fs::create_directories(m_root / "uploads", ec);
  if (ec) {
    throw BlobStoreError("cannot use the blob folder " + m_root.string() + ": " + ec.message());
  }
  if (::access(m_root.c_str(), W_OK | X_OK) != 0) fail("cannot write to the blob folder", m_root);
}

fs::path FileBlobStore::pathOf(const std::string& sha256) const {
  requireSha256(sha256);
  return m_root / sha256.substr(0, 2) / sha256.substr(2, 2) / sha256;
}

fs::path FileBlobStore::partPath(const std::string& uploadName) const {
  const bool safe = !uploadName.empty() && uploadName.size() <= 200 &&
                    std::all_of(uploadName.begin(), uploadName.end(), [](char c) {
                      return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
                    });
  if (!safe) throw std::invalid_argument("not a usable upload name");
  return m_root / "uploads" / uploadName;
}

void FileBlobStore::moveIntoPlace(const fs::path& from, const std::string& sha256) {
  const fs::path to = pathOf(sha256);
  createFolderDurably(to.parent_path());
  if (::rename(from.c_str(), to.c_str()) != 0) fail("cannot move a blob to", to);
  syncFolder(to.parent_path());
}

void FileBlobStore::put(const std::string& sha256, std::string_view bytes) {
  const fs::path to = pathOf(sha256);
  if (fs::exists(to)) return;  // content-addressed: the same name holds the same bytes
  createFolderDurably(to.parent_path());
  const fs::path temporary = to.parent_path() / (".incoming-" + uniqueSuffix());
  try {
    Fd file(temporary, O_WRONLY | O_CREAT | O_EXCL);
    if (!file.ok()) fail("cannot create", temporary);
    file.writeAllAt(bytes, 0);
    file.sync();
    file.close();
    moveIntoPlace(temporary, sha256);
  } catch (...) {
    ::unlink(temporary.c_str());
    throw;
  }
}

void FileBlobStore::writePart(const std::string& uploadName, std::uint64_t offset,
                              std::string_view bytes) {
  const fs::path path = partPath(uploadName);
  Fd file(path, O_WRONLY | O_CREAT);
  if (!file.ok()) fail("cannot open", path);
  file.writeAllAt(bytes, offset);
  file.sync();
  file.close();
}

std::string FileBlobStore::completePart(const std::string& uploadName, std::uint64_t size,
                                        const std::string& sha256) {
  requireSha256(sha256);
  const fs::path path = partPath(uploadName);
  protocol::Sha256 hash;
  {
    Fd file(path, O_RDWR);
    if (!file.ok()) fail("cannot open", path);
    std::vector<std::uint8_t> buffer(1u << 16);
    std::uint64_t done = 0;
    while (done < size) {
      const std::size_t want =
          static_cast<std::size_t>(std::min<std::uint64_t>(buffer.size(), size - done));
      const ssize_t n = ::pread(file.get(), buffer.data(), want, static_cast<off_t>(done));
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) fail("cannot read", path);
      if (n == 0) break;  // shorter than the database says: the hash will not match
      hash.update(buffer.data(), static_cast<std::size_t>(n));
      done += static_cast<std::uint64_t>(n);
    }
    const std::string actual = hash.finishHex();
    if (actual != sha256 || done != size) {
      file.close();
      discardPart(uploadName);
      return actual;
    }
    // Bytes past `size` are a retried chunk's leftovers from before a crash: not the blob's.
    if (::ftruncate(file.get(), static_cast<off_t>(size)) != 0) fail("cannot truncate", path);
    file.sync();
    file.close();
  }
  moveIntoPlace(path, sha256);
  return sha256;
}

void FileBlobStore::discardPart(const std::string& uploadName) {
  const fs::path path = partPath(uploadName);
  if (::unlink(path.c_str()) != 0 && errno != ENOENT) fail("cannot remove", path);
}

bool FileBlobStore::contains(const std::string& sha256) { return fs::exists(pathOf(sha256)); }

std::optional<std::string> FileBlobStore::read(const std::string& sha256) {
  const fs::path path = pathOf(sha256);
  Fd file(path, O_RDONLY);
  if (!file.ok()) {
    if (errno == ENOENT) return std::nullopt;
    fail("cannot open", path);
  }
  struct stat st {};
  if (::fstat(file.get(), &st) != 0) fail("cannot read", path);
  std::string bytes(static_cast<std::size_t>(st.st_size), '\0');
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n =
        ::pread(file.get(), bytes.data() + done, bytes.size() - done, static_cast<off_t>(done));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) fail("cannot read", path);
    if (n == 0) break;
    done += static_cast<std::size_t>(n);
  }
  bytes.resize(done);
  return bytes;
}

void FileBlobStore::remove(const std::string& sha256) {
  const fs::path path = pathOf(sha256);
  {
    Fd file(path, O_WRONLY);
    if (!file.ok()) {
      if (errno == ENOENT) return;
      fail("cannot open", path);
    }
    struct stat st {};
    if (::fstat(file.get(), &st) != 0) fail("cannot read", path);
    const std::string zeros(1u << 16, '\0');
    for (std::uint64_t at = 0; at < static_cast<std::uint64_t>(st.st_size); at += zeros.size()) {
      const auto n =
          std::min<std::uint64_t>(zeros.size(), static_cast<std::uint64_t>(st.st_size) - at);
      file.writeAllAt(std::string_view(zeros.data(), static_cast<std::size_t>(n)), at);
    }
    file.sync();
    file.close();
  }
  if (::unlink(path.c_str()) != 0 && errno != ENOENT) fail("cannot remove", path);
  syncFolder(path.parent_path());
}

void FileBlobStore::forEach(const std::function<bool(const std::string& sha256)>& fn) {
  std::error_code ec;
  for (fs::recursive_directory_iterator it(m_root, ec), end; !ec && it != end; it.increment(ec)) {
    if (it.depth() == 0 && it->path().filename() == "uploads") {
      it.disable_recursion_pending();
      continue;
    }
    const std::string name = it->path().filename().string();
    if (it.depth() == 2 && it->is_regular_file() && protocol::isSha256Hex(name) &&
        it->path().parent_path().filename() == name.substr(2, 2) &&
        it->path().parent_path().parent_path().filename() == name.substr(0, 2)) {
      if (!fn(name)) return;
    }
  }
  if (ec)
    throw BlobStoreError("cannot list the blob folder " + m_root.string() + ": " + ec.message());
}

}  // namespace smp::server
