#include "report/json_stream_file.h"

#include "report/coverage_json.h"
#include "report/json_events.h"
#include "util/files.h"
#include "util/huge_heap.h"
#include "util/text.h"

#include <algorithm>
#include <memory>

namespace tollgate::report {

std::optional<model::CoverageReport> read_json_coverage_file(const std::string& path,
                                                             std::string_view forced_format) {
  const bool forced_coverage_py = forced_format == "coveragepy" || forced_format == "coverage.py";
  if (!forced_format.empty() && !forced_coverage_py && forced_format != "istanbul")
    return std::nullopt;
  const util::FileReader file(path);
  if (!file.regular_size()) return std::nullopt;
  const auto buffer = std::make_unique_for_overwrite<char[]>(k_json_read_bytes);
  const long n = file.read_at(buffer.get(), k_json_read_bytes, 0);
  if (n <= 0) return std::nullopt;
  std::string_view head(buffer.get(), static_cast<size_t>(n));
  // parse_coverage's dispatch: a byte order mark, blanks, then '{' is JSON (forced: anything
  // but blanks, which is "empty report").
  const size_t start = util::starts_with(head, "\xEF\xBB\xBF") ? 3 : 0;
  head.remove_prefix(start);
  const std::string_view text = skip_json_blanks(head);
  if (text.empty() || (forced_format.empty() && text[0] != '{')) return std::nullopt;
  const bool coverage_py =
      forced_coverage_py || (forced_format.empty() && starts_like_coverage_py(head));

  // The model (every line's hits) is filled in at once and kept: on huge pages, not faulted in
  // 4 KiB at a time (report/xml_stream_file.cpp does the same for the XML formats). Nothing for a
  // report under util::k_min_huge_heap.
  util::reserve_huge_heap(std::min(*file.regular_size(), util::k_max_model_heap));
  JsonInput input(file, start, buffer.get(), k_json_read_bytes);
  JsonShape shape;
  auto report = coverage_py ? stream_coverage_py(input, shape) : stream_istanbul(input, shape);
  if (!report || input.read_failed()) return std::nullopt;
  // The format parse_coverage decides from the shape must be the one read.
  if (forced_format.empty() &&
      (shape.coverage_py() != coverage_py || (!coverage_py && !shape.istanbul())))
    return std::nullopt;
  return std::move(*report);
}

} // namespace tollgate::report
