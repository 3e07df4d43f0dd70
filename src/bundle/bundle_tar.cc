// Packing a bundle directory into a .tar and back, over libarchive. Only plain files at the top
// level are accepted when unpacking, so a crafted archive cannot write outside its directory.
#include <archive.h>
#include <archive_entry.h>

#include <algorithm>
#include <filesystem>
#include <memory>
#include <vector>

#include "src/bundle/bundle_files.h"

namespace staycast::bundle {
namespace {

namespace fs = std::filesystem;

struct ArchiveCloser {
  bool write;
  void operator()(archive* a) const {
    if (write) {
      archive_write_free(a);
    } else {
      archive_read_free(a);
    }
  }
};
using ArchivePtr = std::unique_ptr<archive, ArchiveCloser>;

Status ArchiveError(archive* a, const std::string& what) {
  const char* msg = archive_error_string(a);
  return DataLossError(what + ": " + (msg != nullptr ? msg : "archive error"));
}

}  // namespace

Status PackBundle(const std::string& dir, const std::string& tar_path) {
  Env* env = Env::Default();
  if (!env->IsDirectory(dir)) return NotFoundError(dir + ": not a bundle directory");
  ASSIGN_OR_RETURN(std::vector<std::string> names, env->ListDirectory(dir));
  std::sort(names.begin(), names.end());
  // Write to a temporary name beside the target, then rename: no half-written .tar is ever visible.
  const std::string temp = tar_path + ".tmp";
  {
    ArchivePtr a(archive_write_new(), ArchiveCloser{true});
    archive_write_set_format_pax_restricted(a.get());
    if (archive_write_open_filename(a.get(), temp.c_str()) != ARCHIVE_OK) {
      return ArchiveError(a.get(), tar_path);
    }
    for (const std::string& name : names) {
      ASSIGN_OR_RETURN(std::string contents, env->ReadFile(dir + "/" + name));
      std::unique_ptr<archive_entry, void (*)(archive_entry*)> entry(archive_entry_new(),
                                                                     archive_entry_free);
      archive_entry_set_pathname(entry.get(), name.c_str());
      archive_entry_set_size(entry.get(), static_cast<la_int64_t>(contents.size()));
      archive_entry_set_filetype(entry.get(), AE_IFREG);
      archive_entry_set_perm(entry.get(), 0644);
      if (archive_write_header(a.get(), entry.get()) != ARCHIVE_OK ||
          archive_write_data(a.get(), contents.data(), contents.size()) < 0) {
        Status s = ArchiveError(a.get(), tar_path);
        env->RemoveFile(temp).IgnoreError();
        return s;
      }
    }
    if (archive_write_close(a.get()) != ARCHIVE_OK) {
      Status s = ArchiveError(a.get(), tar_path);
      env->RemoveFile(temp).IgnoreError();
      return s;
    }
  }
  std::error_code ec;
  fs::rename(temp, tar_path, ec);
  if (ec) return UnavailableError(tar_path + ": cannot move into place: " + ec.message());
  return OkStatus();
}

Status UnpackBundle(const std::string& tar_path, const std::string& dir) {
  Env* env = Env::Default();
  ArchivePtr a(archive_read_new(), ArchiveCloser{false});
  archive_read_support_format_tar(a.get());
  if (archive_read_open_filename(a.get(), tar_path.c_str(), 1 << 16) != ARCHIVE_OK) {
    return ArchiveError(a.get(), tar_path + ": not a bundle directory or .tar");
  }
  RETURN_IF_ERROR(env->CreateDirectories(dir));
  archive_entry* entry = nullptr;
  while (true) {
    const int rc = archive_read_next_header(a.get(), &entry);
    if (rc == ARCHIVE_EOF) break;
    if (rc != ARCHIVE_OK) return ArchiveError(a.get(), tar_path);
    const std::string name = archive_entry_pathname(entry);
    if (archive_entry_filetype(entry) != AE_IFREG || name.find('/') != std::string::npos ||
        name.empty() || name[0] == '.') {
      return DataLossError(tar_path + ": unexpected entry '" + name + "' in bundle archive");
    }
    std::string contents;
    const la_int64_t size = archive_entry_size(entry);
    if (size < 0 || size > (la_int64_t{1} << 32)) {
      return DataLossError(tar_path + ": entry '" + name + "' has an invalid size");
    }
    contents.resize(static_cast<size_t>(size));
    if (size > 0 && archive_read_data(a.get(), contents.data(), contents.size()) != size) {
      return ArchiveError(a.get(), tar_path + ": entry '" + name + "' is truncated");
    }
    RETURN_IF_ERROR(WriteFileAtomic(env, dir + "/" + name, contents));
  }
  return OkStatus();
}

}  // namespace staycast::bundle
