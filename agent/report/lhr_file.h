#pragma once
// Reading LHR files one after another into one buffer. Most of the CPU time of a run over a
// hundred LHRs was the kernel's page-fault path, not parsing (docs/lighthouse.md, "Speed"): a
// fresh, zero-filled std::string per file touches every page of it again. This buffer is mapped
// once, grown only for a larger file, asked for huge pages (where the kernel offers them, one
// fault per 2 MiB instead of 512), and never cleared: read(2) writes the file into it and only the
// padding after the file is written by us.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace tollgate::report {

class LhrFileBuffer {
public:
  LhrFileBuffer() = default;
  ~LhrFileBuffer();
  LhrFileBuffer(const LhrFileBuffer&) = delete;
  LhrFileBuffer& operator=(const LhrFileBuffer&) = delete;

  // The file's bytes, followed by util::k_simd_padding NUL bytes (as util::pad_for_simd leaves
  // them), valid until the next read; or the error util::read_file_into words for the path (a
  // directory, a missing file, a pipe past the limit, a file past util::k_max_read_bytes).
  // Anything but a regular file that keeps its size while read is read by util::read_file_into.
  std::string_view read(const std::string& path, std::optional<std::string>& error);

private:
  bool reserve(size_t bytes);

  char* m_data = nullptr;
  size_t m_capacity = 0;
  std::string m_fallback; // util::read_file_into's buffer, for pipes and files that change size
};

} // namespace tollgate::report
